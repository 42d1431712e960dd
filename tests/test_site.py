"""The built sample site: the archive.json contract, links, feeds, language, no external assets."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.read import read_site_url
from tests.conftest import ROOT
from tests.test_golden import GOLDEN

SITE_PREFIX = urlparse(read_site_url(ROOT)).path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def archive(built_site: Path) -> dict:
    return json.loads((built_site / "data/archive.json").read_text(encoding="utf-8"))


def test_archive_json_issues_follow_the_contract(archive: dict) -> None:
    assert archive["schema"] == 1
    assert set(archive) >= {
        "schema",
        "generator_version",
        "issues",
        "documents",
        "companies",
        "policies",
        "warnings",
    }
    issue = next(i for i in archive["issues"] if i["id"] == "2020-03")
    assert {
        k: issue[k] for k in ("source", "title", "number", "year", "month", "url", "toc_lines")
    } == {
        "source": "issues/2020-03.txt",
        "title": "天堂之芯",
        "number": 326,
        "year": 2020,
        "month": 3,
        "url": "/issues/2020-03/",
        "toc_lines": [49, 83],
    }
    first = issue["sections"][0]
    assert (first["name"], first["english"]) == ("芯企业", "ENTERPRISE")
    article = first["articles"][0]
    assert article["id"] == "2020-03-01"
    assert article["lines"] == [85, 109]
    assert article["sources"] == ["宇视科技"]
    assert article["page"] == 1
    assert article["toc_title"] == "AIoT时代认证！宇视两款AI摄像机获德国红点奖"
    assert article["body_title"] == "AIoT时代认证！ 宇视两款AI摄像机获德国红点奖"
    assert set(article) >= {
        "id",
        "title",
        "toc_title",
        "body_title",
        "page",
        "lines",
        "sources",
        "url",
        "companies",
        "policies",
    }


@pytest.mark.parametrize("issue_id", ["2020-03", "2023-08", "2025-07"])
def test_archive_json_agrees_with_the_goldens(archive: dict, issue_id: str) -> None:
    golden = yaml.safe_load((GOLDEN / f"{issue_id}.yml").read_text(encoding="utf-8"))
    issue = next(i for i in archive["issues"] if i["id"] == issue_id)
    exported = [
        (a["id"], a["lines"], a["sources"]) for s in issue["sections"] for a in s["articles"]
    ]
    expected = [
        (a["id"], [a["first_line"], a["last_line"]], a["sources"]) for a in golden["articles"]
    ]
    assert exported == expected


def test_archive_json_documents(archive: dict) -> None:
    shanxi = next(
        d for d in archive["documents"] if d["id"] == "shanxi-semiconductor-2020-action-plan"
    )
    assert shanxi["source"] == "issues/documents/shanxi-semiconductor-2020-action-plan.txt"
    assert shanxi["outline"][0] == {"line": 6, "level": 1, "text": "发展思路和目标"}
    assert [t["rows"] for t in shanxi["tables"]] == [12]
    assert shanxi["tables"][0]["columns"][0] == "序号"


def test_warnings_name_file_and_line(archive: dict) -> None:
    misprint = [w for w in archive["warnings"] if w["code"] == "heading-misprint"]
    assert [(w["source"], w["line"]) for w in misprint] == [("issues/2025-07.txt", 1489)]


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_article_has_a_page(built_site: Path, archive: dict) -> None:
    for issue in archive["issues"]:
        for section in issue["sections"]:
            for article in section["articles"]:
                page = built_site / article["url"].strip("/") / "index.html"
                soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
                assert soup.h1 is not None, article["url"]


def test_internal_links_resolve(built_site: Path) -> None:
    """Every href/src inside the site points at a file that exists (fragments aside)."""
    broken = []
    for page in html_pages(built_site):
        url = "/" + page.relative_to(built_site).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if not target or target.startswith(("mailto:", "#", "data:")):
                continue
            parsed = urlparse(target)
            if parsed.scheme or parsed.netloc:
                continue  # external links are checked by the next test
            path = unquote(urldefrag(urljoin(url, target))[0])
            if path.startswith(SITE_PREFIX):  # 404.html links absolutely, under site_url's path
                path = "/" + path[len(SITE_PREFIX) :]
            file = built_site / path.lstrip("/")
            if path.endswith("/"):
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{url} → {target}")
    assert broken == []


def test_no_external_assets(built_site: Path) -> None:
    """Nothing is loaded from another host: no CDN, no Google Fonts (the site must work in China)."""
    loaded = []
    for page in html_pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["link", "script", "img", "iframe"]):
            target = tag.get("src") or (
                tag.get("href")
                if tag.name == "link" and "stylesheet" in (tag.get("rel") or [])
                else None
            )
            if target and urlparse(target).netloc:
                loaded.append(f"{page.name}: {target}")
    assert loaded == []
    css = " ".join(
        p.read_text(encoding="utf-8", errors="replace") for p in built_site.rglob("*.css")
    )
    assert "fonts.googleapis.com" not in css


def test_pages_are_chinese_with_open_graph(built_site: Path) -> None:
    page = built_site / "issues/2020-03/12/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"].startswith("zh")
    assert (
        soup.find("meta", property="og:title")["content"]
        == "格科微签约上海临港！投资150亿建12寸晶圆厂！"
    )
    assert soup.find("meta", property="og:description")["content"].startswith(
        "刚刚，最新消息：3月5日"
    )


def test_article_page_shows_what_a_reader_needs(built_site: Path) -> None:
    soup = BeautifulSoup(
        (built_site / "issues/2023-08/14/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    meta = soup.select_one(".tt-meta").get_text(" ", strip=True)
    assert "2023年8月" in meta and "总第367期" in meta and "芯企业" in meta and "第 11 页" in meta
    assert "来源：集微网" in meta
    assert re.search(r"阅读约 \d+ 分钟", meta)
    assert (
        soup.select_one(".tt-prev")
        .get_text()
        .endswith("浙江大和半导体产业园：总投资近20亿元，三期建设项目竣工")
    )
    assert soup.select_one(".tt-raw a")["href"] == "../../../raw/2023-08/#L397"
    nav = [a.get_text(strip=True) for a in soup.select(".tt-issue-nav a.md-nav__link")]
    assert len(nav) == 33 and nav[13].startswith("士兰微")
    active = soup.select(".tt-issue-nav a.md-nav__link--active")
    assert [a.get_text(strip=True) for a in active] == [nav[13]]
    assert [a["href"] for a in soup.select(".tt-issue-nav a")][:2] == ["../", "../01/"]


def test_nav_does_not_list_the_archive(built_site: Path) -> None:
    """The tabs are fixed; no page's primary nav lists issues or other issues' articles."""
    soup = BeautifulSoup(
        (built_site / "issues/2020-03/01/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    tabs = [a.get_text(strip=True) for a in soup.select(".md-tabs__link")]
    assert tabs[:4] == ["最新", "往期", "栏目", "政策"] or tabs[:3] == ["最新", "往期", "栏目"]
    hrefs = [a["href"] for a in soup.select(".md-nav--primary a[href]")]
    assert not any("2023-08" in h or "2025-07" in h for h in hrefs)


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("feed", "entries", "first"),
    [
        (
            "feeds/rss.xml",
            50,
            "集成电路产业集群协同发展对接会暨丽水特色半导体“万亩千亿”新产业平台交流会成功举办",
        ),
        (
            "feeds/atom.xml",
            50,
            "集成电路产业集群协同发展对接会暨丽水特色半导体“万亩千亿”新产业平台交流会成功举办",
        ),
        (
            "feeds/sections/xin-qi-ye.xml",
            25,
            "浙江晶瑞: SuperSiC马来西亚新制造工厂成功举办奠基仪式",
        ),
    ],
)
def test_feeds_parse_newest_first(built_site: Path, feed: str, entries: int, first: str) -> None:
    """Parsed back as XML: newest issue first in print order, links to the article pages."""
    root = ET.parse(built_site / feed).getroot()
    items = root.findall("./channel/item") or root.findall(f"{ATOM}entry")
    assert len(items) == entries
    title = items[0].find("title")
    title = title if title is not None else items[0].find(f"{ATOM}title")
    assert title.text == first
    link = items[0].find("link")
    href = link.text if link is not None else items[0].find(f"{ATOM}link").get("href")
    assert href.endswith("/issues/2025-07/01/") or href.endswith("/issues/2025-07/06/")


def test_sitemap_lists_articles(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/issues/2020-03/01/" in sitemap


def test_404_page(built_site: Path) -> None:
    assert "页面不存在" in (built_site / "404.html").read_text(encoding="utf-8")
