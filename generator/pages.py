"""Site → {docs/ path: Markdown with front matter}, through the Jinja2 templates in templates/.

The newsletter's text is data, never markup: running text is written as HTML with every
character escaped (Python-Markdown leaves block HTML alone, so `*`, `#`, `[x](y)`, `{ .c }`
stay literal), and the few places that must be Markdown (headings for the page TOC, link
texts) go through `md_escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.model import Article, Block, Document, Issue
from generator.site import (
    SectionPage,
    Site,
    article_path,
    document_path,
    issue_path,
    neighbours,
    section_path,
    slugify,
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


def href(from_path: str, to_path: str) -> str:
    """A relative URL from one page to another as served (`issues/2020-03/12/` → `../`).

    Raw HTML is not rewritten by MkDocs, and the site may live under a sub-path (a GitHub
    Pages project site), so links inside HTML blocks are relative to the page's own URL.
    """
    source = [part for part in url_of(from_path).split("/") if part]
    target = [part for part in url_of(to_path).split("/") if part]
    common = 0
    while common < min(len(source), len(target)) and source[common] == target[common]:
        common += 1
    up = [".."] * (len(source) - common)
    return "/".join(up + target[common:]) + "/" if up or target[common:] else "./"


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
    sections = {section.name: section for section in site.sections}
    for section in site.sections:
        path = section_path(section)
        pages[path] = _render("section.md.j2", path, section=section, **helpers)
    for year, issues in years(site):
        path = year_path(year)
        pages[path] = _render("year.md.j2", path, year=year, issues=issues, **helpers)
    for issue in site.issues:
        path = issue_path(issue)
        nav = issue_nav(issue)
        pages[path] = _render("issue.md.j2", path, issue=issue, nav=nav, **helpers)
        pages[raw_path(issue.path)] = render_raw_page(issue.path, issue_text(issue))
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
                section=sections[article.section],
                related=related_articles(sections[article.section], article),
                minutes=reading_minutes(article),
                nav=nav,
                **helpers,
            )
    pages["documents/index.md"] = _render(
        "documents.md.j2", "documents/index.md", site=site, **helpers
    )
    for document in site.documents:
        path = document_path(document)
        pages[path] = _render("document.md.j2", path, document=document, **helpers)
        pages[raw_path(document.path)] = render_raw_page(document.path, document_text(document))
    return pages


def years(site: Site) -> list[tuple[int, list[Issue]]]:
    """Issues grouped by year, newest year first, months newest first."""
    grouped: dict[int, list[Issue]] = {}
    for issue in site.issues:
        grouped.setdefault(issue.masthead.year, []).append(issue)
    return sorted(grouped.items(), reverse=True)


def year_path(year: int) -> str:
    return f"issues/{year}/index.md"


def raw_path(source: str) -> str:
    """The page showing an input file's raw lines: `issues/2020-03.txt` → `raw/2020-03.md`."""
    stem = source.rsplit("/", 1)[-1].removesuffix(".txt")
    folder = "raw/documents" if "/documents/" in source else "raw"
    return f"{folder}/{slugify(stem) if folder.endswith('documents') else stem}.md"


def issue_nav(issue: Issue) -> dict[str, object]:
    """The current issue's articles for the sidebar: bounded by one issue, never the archive."""
    return {
        "url": url_of(issue_path(issue)).lstrip("/"),
        "label": f"{month_label(issue)} · {number_label(issue)}",
        "sections": [
            {
                "name": section.name,
                "articles": [
                    {
                        "id": article.id,
                        "title": article.toc_title,
                        "url": url_of(article_path(article)).lstrip("/"),
                    }
                    for article in section.articles
                ],
            }
            for section in issue.sections
        ],
    }


# Chinese is read at about 400 characters a minute; Latin words at about 200 a minute.
_CJK_PER_MINUTE = 400
_WORDS_PER_MINUTE = 200
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+")


def reading_minutes(article: Article) -> int:
    """Reading time counted in characters, as Chinese is read, not in space-separated words."""
    text = " ".join(block.text or " ".join(block.items) for block in article.blocks)
    text += " ".join(" ".join(row) for block in article.blocks for row in block.rows)
    minutes = (
        len(_CJK.findall(text)) / _CJK_PER_MINUTE + len(_WORD.findall(text)) / _WORDS_PER_MINUTE
    )
    return max(1, round(minutes))


def related_articles(
    section: SectionPage, article: Article, limit: int = 5
) -> list[tuple[Issue, Article]]:
    """Articles of the same section nearest in print time (newest first around it)."""
    listed = section.articles
    index = next(i for i, (_, a) in enumerate(listed) if a.id == article.id)
    around = sorted(
        (pair for i, pair in enumerate(listed) if i != index),
        key=lambda pair: (abs(listed.index(pair) - index), pair[1].id),
    )
    return around[:limit]


def render_raw_page(source: str, lines: Sequence[str]) -> str:
    """The input file as published: every raw line with its number and an anchor `#L85`."""
    rows = "".join(
        f'<span class="tt-line" id="L{no}"><a href="#L{no}">{no}</a>{html.escape(text)}</span>'
        for no, text in enumerate(lines, start=1)
    )
    head = front_matter(title=html.escape(f"原文 {source}"), search={"exclude": True})
    return f'{head}# 原文：{md_escape(source)}\n\n<pre class="tt-rawtext">{rows}</pre>\n'


def issue_text(issue: Issue) -> list[str]:
    return [line.text for line in issue.lines]


def document_text(document: Document) -> list[str]:
    return [line.text for line in document.lines]


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
        "year_path": year_path,
        "raw_path": raw_path,
    }


def _render(template: str, path: str, **context: object) -> str:
    def link(target: str) -> str:
        return relative(path, target)

    def to(target: str) -> str:
        return href(path, target)

    return _ENV.get_template(template).render(link=link, href=to, here=path, **context)


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
