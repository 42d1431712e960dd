"""The `tiantang` MkDocs plugin: pages the generator wrote as finished HTML skip Python-Markdown.

Articles and raw texts are most of the site (14,000 of 15,600 pages at 400 issues) and their
Markdown is HTML already (pages.py, `html_heading`): converting it is pure cost, most of the
MkDocs build, and holding every page's HTML from the reading phase to the writing phase is
most of its memory. A page whose front matter says `tiantang: {html: true}`:

- is read as usual (front matter, title), but its body is dropped after reading, so the
  Markdown step converts an empty text;
- gets its body back, read from docs/ again, just before its template is rendered
  (`on_page_context`), and lets go of it once written (`on_post_page`).

Every page of an issue carries the issue's contents for the sidebar at the head of its body
(pages.sidebar); it is cut out into `page.meta["tiantang"]["issue_nav_html"]` for
theme/partials/nav.html when the body is read back, and dropped once the page is written.

So at any time only one such page's HTML is in memory. The result is what converting would
give (tests/test_passthrough.py); pages without the flag are converted as before.

Shards (`SHARD`, set by write.py in the processes it forks): several MkDocs runs build one
site together, each the pages of its share, into the same folder. Every run knows every page
(the nav, the sitemap and the links are the same), but in a `--dirty` build MkDocs renders
only the files it finds modified: a page of another share is never modified here, and the
static files, the 404 page and the sitemap are the first share's.
"""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE

from generator.pages import SIDEBAR_CLOSE, SIDEBAR_OPEN

# A heading as pages.html_heading writes it (the ones Markdown would have made, with their ¶
# link); headings written as plain HTML are not in a converted page's TOC either.
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="headerlink" href="#')
_TAG = re.compile(r"<[^>]*>")


def is_finished_html(meta: dict[str, Any]) -> bool:
    """Whether a page's front matter marks its body as finished HTML."""
    tiantang = meta.get("tiantang")
    return isinstance(tiantang, dict) and tiantang.get("html") is True


# (this process's share, number of shares) while write.py builds the site in several
# processes; None in a single build.
SHARD: tuple[int, int] | None = None


def _never_modified() -> bool:
    return False


class TiantangPlugin(BasePlugin):
    """Finished-HTML pages pass through; sharded builds; see the module docstring."""

    def on_config(self, config: Any, **kwargs: Any) -> Any:
        if SHARD is not None and SHARD[0] > 0:
            config.theme.static_templates.difference_update({"404.html", "sitemap.xml"})
        return config

    def on_files(self, files: Any, config: Any, **kwargs: Any) -> Any:
        if SHARD is None:
            return files
        share, shares = SHARD
        pages = sorted((f for f in files if f.is_documentation_page()), key=lambda f: f.src_uri)
        for position, file in enumerate(pages):
            if position % shares != share:
                file.is_modified = _never_modified
        if share > 0:
            for file in files:
                if not file.is_documentation_page():
                    file.is_modified = _never_modified
        return files

    def on_page_markdown(self, markdown: str, page: Any, **kwargs: Any) -> str:
        return "" if is_finished_html(page.meta) else markdown

    def on_page_context(self, context: Any, page: Any, **kwargs: Any) -> Any:
        if is_finished_html(page.meta):
            source = page.file.content_string
            front = YAML_RE.match(source)
            body = source[front.end() if front else 0 :].strip("\n")
            if body.startswith(SIDEBAR_OPEN) and SIDEBAR_CLOSE in body:
                nav_html, body = body[len(SIDEBAR_OPEN) :].split(SIDEBAR_CLOSE, 1)
                page.meta["tiantang"]["issue_nav_html"] = nav_html
                body = body.lstrip("\n")
            page.content = body
            page.toc = get_toc(toc_tokens(page.content))
        return context

    def on_post_page(self, output: str, page: Any, **kwargs: Any) -> str:
        if is_finished_html(page.meta):
            page.content = None  # written: nothing reads it again
        tiantang = page.meta.get("tiantang")
        if isinstance(tiantang, dict):
            tiantang.pop("issue_nav_html", None)  # nor this page's copy of the contents
        return output


def toc_tokens(body: str) -> list[dict[str, Any]]:
    """The page TOC of finished HTML, nested as Python-Markdown's toc extension nests it."""
    from markdown.extensions.toc import nest_toc_tokens

    tokens = [
        {
            "level": int(level),
            "id": ident,
            "name": html.escape(html.unescape(_TAG.sub("", inner)), quote=False),
            "html": inner,
            "data-toc-label": "",
        }
        for level, ident, inner in _HEADING.findall(body)
    ]
    return nest_toc_tokens(tokens)
