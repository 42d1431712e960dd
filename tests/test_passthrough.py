"""Finished-HTML pages skip Python-Markdown (generator/mkdocs_plugin.py): the shortcut must give
what converting them would, or it is a bug, not an optimisation."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.bench import markdown_extensions
from generator.mkdocs_plugin import is_finished_html, toc_tokens
from generator.pages import SIDEBAR_CLOSE, SIDEBAR_OPEN, html_heading, md_escape

ROOT = Path(__file__).resolve().parent.parent


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and options of the project's mkdocs.yml."""
    extensions, configs = markdown_extensions(ROOT / "mkdocs.yml")
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def finished_pages(docs: Path) -> list[tuple[str, str]]:
    """(path, body) of the finished-HTML pages, their sidebar cut out as the plugin does."""
    pages = []
    for path in sorted(docs.rglob("*.md")):
        body, meta = get_data(path.read_text(encoding="utf-8"))
        if is_finished_html(meta):
            if body.startswith(SIDEBAR_OPEN):
                body = body.split(SIDEBAR_CLOSE, 1)[1]
            pages.append((path.relative_to(docs).as_posix(), body))
    return pages


@pytest.fixture(scope="module")
def docs(built_site: Path) -> Path:
    return built_site.parent / "docs"


def test_articles_and_raw_texts_are_finished_html(docs: Path) -> None:
    pages = dict(finished_pages(docs))
    assert "issues/2023-08/01.md" in pages
    assert "raw/2023-08.md" in pages
    assert "sections/xin-qi-ye.md" in pages or "sections/xin-qi-ye/index.md" in pages
    assert "index.md" not in pages  # the home and other listings are Markdown, converted
    assert len(pages) >= 89 + 5  # every article of the samples and every raw text


_HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="headerlink"[^>]*>&para;</a></h\1>')


def as_markdown(body: str) -> str:
    """The page as it would be written without the shortcut: its headings in Markdown."""

    def heading(match: re.Match[str]) -> str:
        text, _, note = match[2].partition(" <small>")
        source = md_escape(html.unescape(text))
        if note:  # inline HTML in a Markdown heading stays HTML
            source += " <small>" + note
        return "#" * int(match[1]) + " " + source

    return _HEADING.sub(heading, body)


def blank_lines_dropped(text: str) -> str:
    """Blank lines between blocks mean nothing in HTML; Python-Markdown drops some of them."""
    return re.sub(r"\n\s*\n", "\n", text.strip())


def test_converting_the_markdown_page_gives_the_same_html_and_toc(docs: Path) -> None:
    """Python-Markdown passes block HTML through (expanding tabs: the raw texts keep theirs, so
    the shortcut is the more faithful of the two) and makes the same headings and page TOC."""
    converter = site_markdown()
    for path, body in finished_pages(docs):
        source = as_markdown(body)
        assert source != body, path  # every finished page has its heading
        converted = converter.reset().convert(source)
        assert blank_lines_dropped(converted) == blank_lines_dropped(body.expandtabs(4)), path
        assert toc_tokens(body) == converter.toc_tokens, path


# Titles as the texts have them: CJK, Latin, digits, punctuation that is Markdown or HTML
# syntax, entities, full-width and odd spaces.
TITLE_CHARACTERS = st.sampled_from(
    list("芯片中芯国际半导体ＡＢＣabcXYZ0123 　\u00a0\t-_*#`[]()!.+|\\<>&\"'{}：，“”《》%$@~^=/")
)


@settings(max_examples=300, deadline=None)
@given(st.text(TITLE_CHARACTERS, min_size=1, max_size=30), st.integers(1, 6))
def test_html_heading_is_what_markdown_makes_of_the_escaped_heading(text: str, level: int) -> None:
    if not text.split():
        return  # a blank title is never a heading
    expected = site_markdown().convert("#" * level + " " + md_escape(text))
    assert html_heading(level, text) == expected


def test_repeated_headings_get_the_ids_markdown_gives_them() -> None:
    used: set[str] = set()
    ids = [html_heading(2, title, used).split('"')[1] for title in ("芯片", "芯片", "5G 芯片")]
    converted = site_markdown().convert("## 芯片\n\n## 芯片\n\n## 5G 芯片")
    assert ids == ["_1", "_2", "5g"]
    assert all(f'id="{ident}"' in converted for ident in ids)


def test_a_heading_with_a_note_is_what_markdown_makes_of_inline_html() -> None:
    expected = site_markdown().convert("# 芯企业 <small>ENTERPRISE</small>")
    assert html_heading(1, "芯企业", note="ENTERPRISE") == expected
