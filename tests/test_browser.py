"""The built site in a real browser (system Chromium via Playwright): a reader's path through it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser, site_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.tiantang_errors = []
    page.tiantang_hosts = set()
    page.on("console", lambda m: page.tiantang_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.tiantang_errors.append(str(e)))
    page.on("request", lambda r: page.tiantang_hosts.add(urlparse(r.url).netloc))
    yield page
    context.close()


def test_home_to_issue_to_article(page, site_url: str) -> None:
    page.goto(site_url + "/")
    assert page.locator("h1").first.inner_text().rstrip("¶") == "天堂之芯"
    page.locator(".md-tabs__link", has_text="往期").click()
    page.wait_for_url("**/issues/")
    page.get_by_role("link", name="2023年8月", exact=True).first.click()
    page.wait_for_url("**/issues/2023-08/")
    page.get_by_role(
        "link", name="士兰微：上半年实现营收44.76亿元，IPM模块仍将快速创收"
    ).first.click()
    page.wait_for_url("**/issues/2023-08/14/")
    assert "士兰微" in page.locator("h1").first.inner_text()
    page.locator(".tt-next").click()
    page.wait_for_url("**/issues/2023-08/15/")
    assert page.tiantang_errors == []
    assert page.tiantang_hosts == {urlparse(site_url).netloc}


def test_search_finds_a_company_article(page, site_url: str) -> None:
    page.goto(site_url + "/")
    page.locator("input[data-md-component=search-query]").click()
    page.keyboard.type("格科微", delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    titles = page.locator(".md-search-result__item").all_inner_texts()
    assert any("格科微签约上海临港" in t.replace("\u200b", "") for t in titles)
    assert page.tiantang_hosts == {urlparse(site_url).netloc}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/issues/2020-03/",
        "/issues/2020-03/12/",
        "/documents/shanxi-semiconductor-2020-action-plan/",
        "/raw/2020-03/",
    ],
)
def test_phone_width_has_no_horizontal_scrolling(browser, site_url: str, path: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(site_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390


def test_raw_line_anchor_highlights_the_article_start(page, site_url: str) -> None:
    page.goto(site_url + "/issues/2020-03/01/")
    page.locator(".tt-raw a").click()
    page.wait_for_url("**/raw/2020-03/#L85")
    assert page.locator("#L85").inner_text().endswith("AIoT时代认证！ 宇视两款AI摄像机获德国红点奖")
