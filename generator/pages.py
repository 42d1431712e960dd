"""Site → {docs/ path: Markdown with front matter}, through the Jinja2 templates in templates/.

The newsletter's text is data, never markup: running text is written as HTML with every
character escaped (Python-Markdown leaves block HTML alone, so `*`, `#`, `[x](y)`, `{ .c }`
stay literal), and the few places that must be Markdown (headings for the page TOC, link
texts) go through `md_escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.model import Article, Block, Document, Issue
from generator.site import (
    Site,
    article_path,
    document_path,
    issue_path,
    neighbours,
    section_path,
    url_of,
)

# Python-Markdown's escapable characters (plus `|` from tables): a backslash before any other
# character would be shown. `&`, `<` and `>` become entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_escape(text: str) -> str:
    """Text as a literal inside Markdown: entities for HTML, backslashes for Markdown syntax."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def front_matter(**fields: object) -> str:
    """YAML front matter, quoted by the YAML dumper (never by string formatting)."""
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=True, width=1000)
    return f"---\n{dumped}---\n"


def relative(from_path: str, to_path: str) -> str:
    """A link from one docs/ page to another, as a relative .md path MkDocs resolves and checks."""
    source = from_path.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < min(len(source), len(target) - 1) and source[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + target[common:])


def render_block(block: Block) -> str:
    """One block of an article or document as escaped HTML."""
    esc = html.escape
    if block.kind == "heading":
        return f'<h3 class="tt-subhead">{esc(block.text)}</h3>'
    if block.kind == "list":
        items = "".join(f"<li>{esc(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if block.kind == "table":
        return render_table(block.rows)
    if block.kind == "caption":
        return f'<p class="tt-caption">{esc(block.text)}</p>'
    if block.kind == "source":
        return f'<p class="tt-source">{esc(block.text)}</p>'
    return f"<p>{esc(block.text)}</p>"


def render_table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    esc = html.escape
    head = "".join(f"<th>{esc(cell)}</th>" for cell in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:]
    )
    return (
        '<div class="tt-table"><table><thead><tr>'
        f"{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=False,  # the output is Markdown: escaping is explicit, per context
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["html"] = html.escape
    env.filters["block"] = render_block
    return env


_ENV = _environment()


def month_label(issue: Issue) -> str:
    return f"{issue.masthead.year}年{issue.masthead.month}月"


def number_label(issue: Issue) -> str:
    number = issue.masthead.number
    return f"总第{number}期" if number is not None else "期号未印"


def render_pages(site: Site) -> dict[str, str]:
    """Every page of the site as docs/-relative path → Markdown text."""
    pages: dict[str, str] = {}
    helpers = _helpers()
    pages["index.md"] = _render("home.md.j2", "index.md", site=site, **helpers)
    pages["issues/index.md"] = _render("archive.md.j2", "issues/index.md", site=site, **helpers)
    pages["sections/index.md"] = _render(
        "sections.md.j2", "sections/index.md", site=site, **helpers
    )
    for section in site.sections:
        path = section_path(section)
        pages[path] = _render("section.md.j2", path, section=section, **helpers)
    for issue in site.issues:
        path = issue_path(issue)
        pages[path] = _render("issue.md.j2", path, issue=issue, site=site, **helpers)
        for article in issue.articles:
            path = article_path(article)
            before, after = neighbours(issue, article)
            pages[path] = _render(
                "article.md.j2",
                path,
                issue=issue,
                article=article,
                before=before,
                after=after,
                section=next(s for s in site.sections if s.name == article.section),
                **helpers,
            )
    pages["documents/index.md"] = _render(
        "documents.md.j2", "documents/index.md", site=site, **helpers
    )
    for document in site.documents:
        path = document_path(document)
        pages[path] = _render("document.md.j2", path, document=document, **helpers)
    return pages


def _helpers() -> dict[str, Callable[..., object]]:
    return {
        "issue_path": issue_path,
        "article_path": article_path,
        "document_path": document_path,
        "section_path": section_path,
        "url_of": url_of,
        "month_label": month_label,
        "number_label": number_label,
        "front_matter": front_matter,
        "plain_text": plain_text,
        "article_count": lambda site: sum(len(issue.articles) for issue in site.issues),
        "heading_depth": heading_depth,
    }


def _render(template: str, path: str, **context: object) -> str:
    def link(target: str) -> str:
        return relative(path, target)

    return _ENV.get_template(template).render(link=link, here=path, **context)


def heading_depth(document: Document, block: Block) -> int:
    """Markdown depth of an outline heading: level 1 is `##` (the title is `#`), at most 5."""
    levels = {entry.line: entry.level for entry in document.outline}
    return min(levels.get(block.span.first, 1), 4) + 1


def plain_text(article: Article | Document, limit: int = 120) -> str:
    """The first characters of the text, for descriptions and previews."""
    text = "".join(
        block.text or "".join(block.items) for block in article.blocks if block.kind == "paragraph"
    )
    return text[:limit]
