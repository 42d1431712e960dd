"""Search on the built sample archive, in the system Chromium: the queries segmenters fail.

Each case types into Material's search box (answered by theme/javascripts/search.js from the
sharded index) and expects an article found by reading the raw text (`grep -n`), not by
running the search.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from generator.keys import match_key

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.hosts = set()
    page.search_bytes = 0
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.hosts.add(urlparse(r.url).netloc))
    yield page
    assert page.errors == []
    assert page.hosts == {urlparse(site_url).netloc}
    context.close()


def type_query(page: Any, site_url: str, query: str) -> list[str]:
    """Results of the search box, once they answer `query` (each result links with `?h=` and
    the query, for Material's highlighting on the page): their titles."""
    page.goto(site_url + "/")
    page.locator("input[data-md-component=search-query]").click()
    page.keyboard.type(query, delay=10)
    page.wait_for_function(
        """(q) => [...document.querySelectorAll('.md-search-result__item a')].some(
            a => new URL(a.href).searchParams.get('h') === q)""",
        arg=" ".join(query.split()),
    )
    return [t.split("\n")[0] for t in page.locator(".md-search-result__item h1").all_inner_texts()]


SMIC_ARTICLE = "中芯国际N+1（7纳米）整装待发，量产在即"
BIG_FUND_ARTICLE = "大基金二期投资即将启动，哪些半导体设备和材料企业会受青睐？"
VAT_ARTICLE = "财政部 税务总局关于集成电路企业增值税加计抵减政策的通知（财税〔2023〕17号）"
VAT_POLICY = "财政部 税务总局关于集成电路企业增值税加计抵减政策的通知"  # registry/policies.yml


@pytest.mark.parametrize(
    ("query", "expected", "first"),
    [
        # 2023-08.txt:214 "…德州仪器、华为海思等…": a segmenter keeps 华为海思 whole
        pytest.param("华为", "地芯科技：获近亿元B轮融资", None, id="huawei"),
        # 2020-03.txt:299 heading "中芯国际N+1（7纳米）"; the company page (its title is the
        # query too) first among the titles holding it
        pytest.param("中芯国际", SMIC_ARTICLE, ("中芯国际", SMIC_ARTICLE), id="smic"),
        # the English name in registry/companies.yml finds the article naming 中芯国际; no
        # title holds SMIC, so the company's page comes first
        pytest.param("SMIC", SMIC_ARTICLE, ("中芯国际",), id="smic-english"),
        # 2020-03.txt:557 heading "大基金二期投资即将启动 …": the phrase in a title comes
        # first, then the fund's page (its registry name is 国家集成电路产业投资基金)
        pytest.param(
            "大基金",
            BIG_FUND_ARTICLE,
            (BIG_FUND_ARTICLE, "国家集成电路产业投资基金"),
            id="big-fund",
        ),
        # 2025-07.txt 芯企业 "芯迈半导体: 港交所IPO申请获受理": 导体 only inside 半导体
        pytest.param("导体", "芯迈半导体: 港交所IPO申请获受理", None, id="substring"),
        # 2023-08.txt:842 the 文号 in the title of the VAT policy article, then the policy's page
        pytest.param("财税〔2023〕17号", VAT_ARTICLE, (VAT_ARTICLE, VAT_POLICY), id="doc-number"),
        # same 文号 typed with ASCII brackets
        pytest.param(
            "财税(2023)17号", VAT_ARTICLE, (VAT_ARTICLE, VAT_POLICY), id="doc-number-ascii"
        ),
        # traditional query, simplified text (2025-07 芯企业)
        pytest.param("半導體", "芯迈半导体: 港交所IPO申请获受理", None, id="traditional-query"),
        # traditional text (2020-03.txt:753 日月光半導體製造股份有限公司), simplified query
        pytest.param(
            "日月光半导体制造", "封测巨无霸诞生，日月光矽品合并获批", None, id="traditional-text"
        ),
        # Latin word, any case (2025-07.txt:1431)
        pytest.param(
            "lpddr6", "LPDDR6内存标准, 正式发布!", ("LPDDR6内存标准, 正式发布!",), id="latin-case"
        ),
    ],
)
def test_search_box_finds(
    page: Any, site_url: str, query: str, expected: str, first: tuple[str, ...] | None
) -> None:
    titles = type_query(page, site_url, query)
    assert expected in titles[:10]
    if first:
        assert tuple(titles[: len(first)]) == first


def urls_containing(site: Path, text: str) -> set[str]:
    """The URLs of the indexed pages that hold `text`, read from the raw texts and the registry
    names in archive.json (articles' raw lines, issues' printed contents, whole documents, the
    names on company and policy pages), folded with keys.match_key."""
    archive = json.loads((site / "data/archive.json").read_text("utf-8"))
    project = site.parent
    wanted = match_key(text)
    raw = {}

    def lines(source: str) -> list[str]:
        if source not in raw:
            raw[source] = (project / source).read_text("utf-8").split("\n")
        return raw[source]

    urls = set()
    for issue in archive["issues"]:
        first, last = issue["toc_lines"]
        if wanted in match_key("".join(lines(issue["source"])[first - 1 : last])):
            urls.add(issue["url"])
        for section in issue["sections"]:
            for article in section["articles"]:
                first, last = article["lines"]
                if wanted in match_key("".join(lines(issue["source"])[first - 1 : last])):
                    urls.add(article["url"])
    for document in archive["documents"]:
        if wanted in match_key("".join(lines(document["source"]))):
            urls.add(document["url"])
    for entity in archive["companies"] + archive["policies"]:
        names = [entity["name"], *entity.get("full_names", []), *entity.get("aliases", [])]
        names.append(entity.get("doc_number") or "")
        if entity.get("url") is not None and any(wanted in match_key(n) for n in names):
            urls.add(entity["url"])
    return urls


def pages_containing(site: Path, text: str) -> int:
    """How many indexed pages hold `text` (see urls_containing)."""
    return len(urls_containing(site, text))


def test_every_result_contains_the_query(page: Any, site_url: str, built_site: Path) -> None:
    type_query(page, site_url, "导体")
    items = page.locator(".md-search-result__item").all_inner_texts()
    assert len(items) == 10  # Material shows ten, then more on scrolling
    assert all("导体" in item for item in items)
    # 导体 is on 66 pages of the sample's raw texts (61 articles, 3 contents, 2 documents),
    # and in the names on company pages (芯迈半导体…)
    total = pages_containing(built_site, "导体")
    assert total >= 66
    assert page.locator(".md-search-result__meta").inner_text() == f"共 {total} 条结果"
    page.locator(".md-search__scrollwrap").evaluate("e => e.scrollTo(0, e.scrollHeight)")
    page.wait_for_selector(f".md-search-result__item >> text=查看全部 {total} 条结果")


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        # registry/companies.yml: SMIC is an alias of 中芯国际, 华为技术有限公司 华为's full name;
        # the sample holds each on only a few pages, others name the company otherwise
        pytest.param("SMIC", "中芯国际", id="alias"),
        pytest.param("华为技术有限公司", "华为", id="full-name"),
    ],
)
def test_typed_name_is_listed_and_its_synonyms_are_one_click_away(
    page: Any, site_url: str, built_site: Path, query: str, entity: str
) -> None:
    titles = type_query(page, site_url, query)
    links = page.locator(".md-search-result__item a").evaluate_all(
        "(links) => links.map((a) => new URL(a.href).pathname)"
    )
    typed = urls_containing(built_site, query)
    assert 0 < len(typed) < 10
    # the box lists exactly the pages holding the typed string, the company's own page among
    # them; the pages naming the company only otherwise are not listed beside them…
    assert set(link for link in links if "/search/" not in link) == typed
    assert any(entity in title for title in titles)
    # …its result says where they are, and 查看全部 counts them
    note = page.locator(".md-search-result__item .tt-sr-also").all_inner_texts()
    assert len(note) == 1 and "其他名称" in note[0] and "见本页" in note[0]
    more = page.locator(".md-search-result__item", has_text="查看全部").inner_text()
    assert int(re.search(r"(\d+) 条结果", more)[1]) > len(typed)
    # the search page lists them, after the pages holding the typed string
    page.goto(site_url + "/search/?query=" + query)
    page.wait_for_selector(".tt-synonyms")
    before = page.locator(".tt-synonyms").evaluate(
        """(divider) => [...document.querySelectorAll('.tt-result > a')]
            .filter(a => a.compareDocumentPosition(divider) & Node.DOCUMENT_POSITION_FOLLOWING)
            .map(a => new URL(a.href).pathname)"""
    )
    after = page.locator(".tt-synonyms + ol .tt-result > a").evaluate_all(
        "(links) => links.map((a) => new URL(a.href).pathname)"
    )
    assert set(before) == typed and after and not typed & set(after)


def test_result_marks_the_match_and_enter_opens_the_best(page: Any, site_url: str) -> None:
    page.goto(site_url + "/issues/2020-03/")
    page.keyboard.press("s")  # Material's shortcut opens the search
    page.keyboard.type("中芯国际", delay=10)
    page.wait_for_selector(".md-search-result__item mark")
    assert page.locator(".md-search-result__item mark").first.inner_text() == "中芯国际"
    page.keyboard.press("Enter")  # the best result: the company's own page
    page.wait_for_url("**/companies/zhong-xin-guo-ji/**")
    assert page.locator("h1").first.inner_text().rstrip("¶") == "中芯国际"


def test_first_query_downloads_little(page: Any, site_url: str) -> None:
    sizes: dict[str, int] = {}
    page.on(
        "response",
        lambda r: sizes.__setitem__(r.url, len(r.body())) if "/search/" in r.url else None,
    )
    type_query(page, site_url, "中芯国际")
    assert any("/search/shards/" in url for url in sizes)
    assert sum(sizes.values()) < 300_000


def test_search_page_filters_by_facet_and_sorts_by_date(page: Any, site_url: str) -> None:
    page.goto(site_url + "/search/?q=大基金")  # Material would open its dialog on ?q=
    page.wait_for_selector(".tt-result")
    assert "query=" in page.url
    assert not page.locator("#__search").is_checked()  # Material's dialog stayed shut
    labels = page.locator(".tt-result .tt-sr-label").all_inner_texts()
    assert any("2020年3月" in label for label in labels)
    assert any("2023年8月" in label for label in labels)
    page.locator(".tt-facets label", has_text="2023").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.tt-result .tt-sr-label')]"
        ".every(e => e.textContent.includes('2023'))"
    )
    page.locator("select[name=sort]").select_option("old")
    page.wait_for_url("**sort=old**")
    page.wait_for_selector(".tt-result")
    titles = page.locator(".tt-result > a").all_inner_texts()
    assert titles  # the 2023 results, oldest first: all from the one 2023 issue
