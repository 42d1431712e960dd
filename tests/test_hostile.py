"""Hostile text in, inert pages out: what an issue prints is shown as text, never run as markup.

One site is built from an issue (and a policy document) whose titles and bodies hold HTML,
script, `javascript:` links, Markdown, Jinja and MkDocs/Material syntax; the built HTML, its
<title> and meta tags, the sidebar and the search index are read back with BeautifulSoup.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator.model import Article, Issue
from generator.read import decode_file
from generator.site import slugify
from generator.write import check_page_path, write_docs
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# Every title and paragraph carries a payload; the strings are data the page must show.
HOSTILE_ISSUE = """\
天堂之芯

2024/05

总第999期

目录

芯企业 ENTERPRISE

- ▲ 恶意标题<script>alert(1)</script>测试 - 01
- ▲ 框架<iframe onload=alert(1)>注入</title><script>x()</script> - 02

芯资讯 INFORMATION

- ▲ 链接[x](javascript:alert(1))与{{ 7*7 }}模板{% raw %} - 03
- ▲ 标记# * | [x](y) !!! note { .class } - 04

恶意标题<script>alert(1)</script>测试

第一段<script>alert(1)</script>正文。

<iframe onload=alert(1)></iframe>原始HTML<img src=x onerror=alert(1)>

[点我](javascript:alert(1))和<a href="javascript:alert(1)">链接</a>

框架<iframe onload=alert(1)>注入</title><script>x()</script>

# 井号标题 * 星号 | 竖线 | [x](y)

{{ 7*7 }} {% raw %} {% endraw %} {# 注释 #}

!!! note "提示"

    缩进的代码块

--8<-- "README.md"

段落 { .class #id } 结尾

链接[x](javascript:alert(1))与{{ 7*7 }}模板{% raw %}

</title><script>alert(document.cookie)</script><meta http-equiv="refresh" content="0;url=javascript:alert(1)">

（来源：<svg onload=alert(1)>）

标记# * | [x](y) !!! note { .class }

| a | b |
|---|---|
| <script>1</script> | `code` |

&lt;script&gt;已转义&amp;实体&#x3C;script&#x3E;

<!-- HTML注释 --> <?php echo 1; ?> <![CDATA[ x ]]>

<style>body{display:none}</style><form action="javascript:alert(1)"><input autofocus onfocus=alert(1)></form>
"""

# A policy document: its outline headings become Markdown headings and the page's TOC.
HOSTILE_DOCUMENT = """\
关于<script>alert(1)</script>的通知{{ 7*7 }}

一、总体要求<img src=x onerror=alert(1)>

第一段[x](javascript:alert(1))正文 {% raw %} !!! note

二、保障措施</title><script>x()</script>

第二段 --8<-- "README.md" { .class }
"""

# What must come out as visible text (each appears in the input exactly so).
PAYLOADS = (
    "<script>alert(1)</script>",
    "<iframe onload=alert(1)>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
    "!!! note",
    '--8<-- "README.md"',
    "{ .class #id }",
    "</title><script>x()</script>",
    "井号标题 * 星号 | 竖线 | [x](y)",  # the `# ` of an export's heading marks a sub-heading
    "&lt;script&gt;已转义&amp;实体&#x3C;script&#x3E;",
)

_EVENT_ATTRIBUTE = re.compile(r"^on", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"^[\s\x00-\x1f]*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_PAYLOAD = re.compile(r"alert\(|x\(\)|document\.cookie")
_CONTENT_FOLDERS = ("issues/", "documents/", "sections/", "raw/")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset")
# Elements no newsletter text may ever produce inside the page content.
_ACTIVE = ("script", "iframe", "object", "embed", "style", "form", "input", "svg", "meta", "link")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project holding only the hostile issue and document, built once; yields its root."""
    from generator.build import build

    project = tmp_path_factory.mktemp("hostile")
    (project / "issues" / "documents").mkdir(parents=True)
    (project / "issues" / "2024-05.txt").write_text(HOSTILE_ISSUE, encoding="utf-8")
    (project / "issues" / "documents" / "evil-notice.txt").write_text(
        HOSTILE_DOCUMENT, encoding="utf-8"
    )
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build(project)
    yield project


@pytest.fixture(scope="module")
def hostile_issue() -> Issue:
    from generator.issue import parse_issue

    return parse_issue(decode_file("issues/2024-05.txt", HOSTILE_ISSUE.encode()))


def page(project: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / url / "index.html").read_text("utf-8"), "html.parser")


def content(soup: BeautifulSoup) -> Tag:
    """Material's article element: what the Markdown page became."""
    found = soup.select_one("article.md-content__inner")
    assert found is not None
    return found


def squeeze(text: str) -> str:
    return "".join(text.split())


def html_pages(project: Path) -> list[Path]:
    return sorted((project / "site").rglob("*.html"))


def test_the_hostile_issue_parses_into_four_articles(hostile_issue: Issue) -> None:
    # The premise of every test below: the payloads reached titles and paragraphs.
    assert [a.toc_title for a in hostile_issue.articles] == [
        "恶意标题<script>alert(1)</script>测试",
        "框架<iframe onload=alert(1)>注入</title><script>x()</script>",
        "链接[x](javascript:alert(1))与{{ 7*7 }}模板{% raw %}",
        "标记# * | [x](y) !!! note { .class }",
    ]
    assert [a.toc_title == a.body_title for a in hostile_issue.articles] == [True] * 4


def test_no_script_or_handler_comes_from_the_content(hostile_site: Path) -> None:
    pages = html_pages(hostile_site)
    assert len(pages) > 10
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        where = path.relative_to(hostile_site / "site").as_posix()
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                values = value if isinstance(value, list) else [value]
                if _EVENT_ATTRIBUTE.match(name):  # the theme's own handlers only
                    assert not any(_PAYLOAD.search(v) for v in values), (where, element)
                if name in _URL_ATTRIBUTES:
                    assert not any(_SCRIPT_URL.match(v) for v in values), (where, element)
        for script in soup.find_all("script"):
            # Material's own scripts: its bundle, or inline setup without any payload marker.
            assert not _PAYLOAD.search(script.get_text() + script.get("src", "")), where
        assert soup.find("iframe") is None, where
        assert soup.find("meta", attrs={"http-equiv": True}) is None, where
        if where == "index.html" or where.startswith(_CONTENT_FOLDERS):
            # Pages made of the newsletter's text: nothing active in them at all.
            for name in _ACTIVE:
                assert content(soup).find(name) is None, (where, name)
            for element in content(soup).find_all(True):
                assert not any(_EVENT_ATTRIBUTE.match(a) for a in element.attrs), (where, element)


def test_article_text_is_shown_as_printed(hostile_site: Path, hostile_issue: Issue) -> None:
    for article in hostile_issue.articles:
        soup = page(hostile_site, f"issues/2024-05/{article.id[-2:]}")
        article_tag = content(soup)
        heading = article_tag.find("h1")
        assert heading is not None
        # The permalink anchor Python-Markdown adds to the heading is a ¶, not text of ours.
        assert heading.get_text().removesuffix("¶") == article.body_title
        body = article_tag.select_one(".tt-body")
        assert body is not None
        assert squeeze(body.get_text()) == squeeze("".join(_block_texts(article)))


def test_every_payload_is_visible_text(hostile_site: Path) -> None:
    shown = "".join(
        content(page(hostile_site, f"issues/2024-05/{n:02d}")).get_text() for n in range(1, 5)
    )
    for payload in PAYLOADS:
        assert payload in shown, payload
    assert "49" not in shown  # {{ 7*7 }} was never evaluated
    readme = (ROOT / "README.md").read_text("utf-8").splitlines()[0]
    assert readme not in shown  # --8<-- never included a file


def test_title_and_meta_tags_are_the_printed_title(hostile_site: Path, hostile_issue: Issue):
    for article in hostile_issue.articles:
        soup = page(hostile_site, f"issues/2024-05/{article.id[-2:]}")
        assert soup.title is not None
        assert soup.title.get_text() == f"{article.toc_title} - 天堂之芯"
        og = soup.find("meta", attrs={"property": "og:title"})
        assert og is not None and og["content"] == article.toc_title
        for meta in soup.find_all("meta"):
            assert set(meta.attrs) <= {"charset", "name", "content", "property"}, meta


def test_sidebar_lists_the_titles_as_text(hostile_site: Path, hostile_issue: Issue) -> None:
    soup = page(hostile_site, "issues/2024-05/01")
    links = [a.get_text() for a in soup.select("nav a")]
    for article in hostile_issue.articles:
        assert article.toc_title in links


def test_issue_and_section_pages_list_the_titles_as_text(
    hostile_site: Path, hostile_issue: Issue
) -> None:
    for url in ("issues/2024-05", "sections/" + slugify("芯企业"), ""):
        shown = content(page(hostile_site, url) if url else _home(hostile_site)).get_text()
        for article in hostile_issue.articles[:2]:
            assert article.toc_title in shown, (url, article.toc_title)


def test_document_page_is_inert(hostile_site: Path) -> None:
    soup = page(hostile_site, "documents/evil-notice")
    shown = content(soup).get_text()
    for payload in ("<script>alert(1)</script>", "{{ 7*7 }}", "<img src=x onerror=alert(1)>"):
        assert payload in shown
    assert soup.title is not None
    assert soup.title.get_text() == "关于<script>alert(1)</script>的通知{{ 7*7 }} - 天堂之芯"
    # The outline headings reach Material's table of contents: as text.
    toc = [a.get_text().strip() for a in soup.select("nav.md-nav--secondary a")]
    assert any("二、保障措施</title><script>x()</script>" in entry for entry in toc), toc


def test_search_index_holds_text_not_markup(hostile_site: Path, hostile_issue: Issue) -> None:
    """Material's own index (when its plugin is on) is HTML its UI inserts: it must be inert."""
    path = hostile_site / "site/search/search_index.json"
    docs = json.loads(path.read_text("utf-8")).get("docs", []) if path.exists() else []
    if not docs:
        pytest.skip("Material's search index is not used; the browser test covers the search")
    for doc in docs:
        for field in ("title", "text"):
            fragment = BeautifulSoup(doc[field], "html.parser")
            for name in _ACTIVE:
                assert fragment.find(name) is None, (doc["location"], field, name)
            for element in fragment.find_all(True):
                assert not any(_EVENT_ATTRIBUTE.match(a) for a in element.attrs), doc
    # jieba's segmentation marks word boundaries in the index with U+200B.
    titles = {
        BeautifulSoup(doc["title"], "html.parser").get_text().replace("\u200b", "") for doc in docs
    }
    for article in hostile_issue.articles:
        assert article.body_title in titles, article.body_title


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    import functools
    import http.server
    import threading

    from tests.conftest import _QuietHandler

    handler = functools.partial(_QuietHandler, directory=str(hostile_site / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.browser
def test_nothing_runs_in_a_browser(browser, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    """Article pages and search results in Chromium: no dialog opens, the titles show as text."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for n in range(1, 5):
            page.goto(f"{hostile_url}/issues/2024-05/{n:02d}/")
            page.wait_for_load_state("networkidle")
        page.goto(f"{hostile_url}/documents/evil-notice/")
        page.wait_for_load_state("networkidle")
        page.goto(hostile_url + "/")
        page.locator("input[data-md-component=search-query]").click()
        page.keyboard.type("恶意标题", delay=30)
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        shown = " ".join(page.locator(".md-search-result__item").all_inner_texts())
        assert "<script>alert(1)</script>" in shown.replace("\u200b", "")
        assert page.locator(".md-search-result script, .md-search-result iframe").count() == 0
        if _exists(hostile_url + "/search/"):  # the search page, when there is one
            page.goto(hostile_url + "/search/?q=alert")
            page.wait_for_selector(".tt-results .tt-result", timeout=10_000)
            results = page.locator(".tt-results")
            assert "<script>alert(1)</script>" in results.inner_text().replace("\u200b", "")
            assert results.locator("script, iframe, img, svg, [onerror], [onload]").count() == 0
    finally:
        context.close()
    assert dialogs == []


def _exists(url: str) -> bool:
    from urllib.error import URLError
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=5):
            return True
    except (URLError, OSError):
        return False


def test_raw_page_shows_the_file_as_text(hostile_site: Path) -> None:
    raw = hostile_site / "site/raw/2024-05/index.html"
    if not raw.exists():
        pytest.skip("no raw-text page in this build")
    shown = content(BeautifulSoup(raw.read_text("utf-8"), "html.parser")).get_text()
    for payload in PAYLOADS:
        assert payload in shown, payload


def test_written_files_stay_inside_docs(hostile_site: Path) -> None:
    docs = (hostile_site / "docs").resolve()
    site = (hostile_site / "site").resolve()
    for folder in (docs, site):
        for path in folder.rglob("*"):
            assert path.resolve().is_relative_to(folder), path


# --- slugs and page paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        pytest.param("芯企业", "xin-qi-ye", id="pinyin"),
        pytest.param("../../etc/passwd", "etc-passwd", id="traversal"),
        pytest.param("..", "x", id="dots"),
        pytest.param("", "x", id="empty"),
        pytest.param("<script>alert(1)</script>", "script-alert-1-script", id="markup"),
        pytest.param("index", "index-x", id="index-page"),
        pytest.param("CON", "con-x", id="windows-reserved"),
        pytest.param("com1", "com1-x", id="windows-port"),
        pytest.param("a\x00b\u200bc", "a-b-c", id="control-and-zero-width"),
        pytest.param("C:\\Windows\\system32", "c-windows-system32", id="backslashes"),
    ],
)
def test_slugify_is_one_safe_path_component(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["天" * 500, "a" * 500, "半导体 " * 200, "x-" * 300])
def test_slugs_are_bounded(text: str) -> None:
    slug = slugify(text)
    assert 0 < len(slug) <= 64
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


@pytest.mark.parametrize(
    "path",
    [
        "../outside.md",
        "/etc/passwd",
        "a/../../b.md",
        "",
        "a//b.md",
        ".hidden.md",
        "a\\b.md",
        "c:/x.md",
        "a/\x00.md",
        "./a.md",
    ],
)
def test_write_docs_refuses_paths_outside_docs(tmp_path: Path, path: str) -> None:
    docs = tmp_path / "docs"
    with pytest.raises(ValueError, match="unsafe page path"):
        write_docs(docs, {"index.md": "ok", path: "escaped"})
    assert not docs.exists()  # refused before anything was written
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


def test_write_docs_refuses_a_symlink_out_of_docs(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "issues").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (docs / "issues" / "2020-03").symlink_to(outside)
    with pytest.raises(ValueError, match="outside"):
        write_docs(docs, {"issues/2020-03/index.md": "escaped"})
    assert list(outside.iterdir()) == []


def test_check_page_path_accepts_the_generated_paths(hostile_site: Path) -> None:
    docs = hostile_site / "docs"
    for path in docs.rglob("*"):
        if path.is_file():
            check_page_path(path.relative_to(docs).as_posix())


def test_document_addresses_are_unique(tmp_path: Path) -> None:
    from generator.build import plan

    documents = tmp_path / "issues" / "documents"
    documents.mkdir(parents=True)
    # 芯片 and 心片 are both xin-pian; index would replace the list of documents.
    for name in ("芯片", "心片", "index"):
        (documents / f"{name}.txt").write_text(f"关于{name}的通知\n\n一、总则\n\n正文。\n", "utf-8")
    result = plan(tmp_path)
    from generator.site import document_path

    paths = [document_path(d) for d in result.site.documents]
    assert sorted(paths) == ["documents/index-x.md", "documents/xin-pian.md"]
    assert [(p.path, p.code, p.severity) for p in result.problems if p.code == "duplicate-url"] == [
        ("issues/documents/芯片.txt", "duplicate-url", "error")
    ]


def _block_texts(article: Article) -> list[str]:
    out: list[str] = []
    for block in article.blocks:
        if block.kind == "table":
            out += ["".join(row) for row in block.rows]
        elif block.kind == "list":
            out += list(block.items)
        else:
            out.append(block.text)
    return out


def _home(project: Path) -> BeautifulSoup:
    return BeautifulSoup((project / "site/index.html").read_text("utf-8"), "html.parser")
