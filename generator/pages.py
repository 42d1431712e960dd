"""Site → {docs/ path: Markdown with front matter}, through the Jinja2 templates in templates/.

The newsletter's text is data, never markup: running text is written as HTML with every
character escaped (Python-Markdown leaves block HTML alone, so `*`, `#`, `[x](y)`, `{ .c }`
stay literal), and the few places that must be Markdown (headings for the page TOC, link
texts) go through `md_escape`.

The pages there are thousands of (articles, raw texts) are finished HTML, headings included
(`html_heading`), and say so in their front matter (`tiantang: {html: true}`): the MkDocs
plugin in mkdocs_plugin.py hands them to the theme without running Python-Markdown over them,
which at 400 issues is most of the site build. Converting them would give the same HTML
(tests/test_passthrough.py).
"""

from __future__ import annotations

import functools
import html
import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique as toc_unique
from pypinyin import Style, lazy_pinyin

from generator.model import Article, Block, Document, Issue

if TYPE_CHECKING:
    from generator.entities import Entity, Mention
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


# libyaml's emitter when the wheel has it: the same bytes, eight times faster per page
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(**fields: object) -> str:
    """YAML front matter, quoted by the YAML dumper (never by string formatting)."""
    dumped = yaml.dump(fields, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000)
    return f"---\n{dumped}---\n"


def html_heading(level: int, text: str, used: set[str] | None = None, note: str = "") -> str:
    """`#`×level + `md_escape(text)` (+ ` <small>note</small>`) as Python-Markdown's toc
    extension (`permalink: true`, as in mkdocs.yml) renders it: the same id, made unique
    against `used`, and the ¶ link."""
    shown = " ".join(text.split())
    small = " ".join(note.split())
    ident = toc_unique(
        toc_slugify(f"{shown} {small}" if small else shown, "-"),
        used if used is not None else set(),
    )
    inner = html.escape(shown, quote=False)
    if small:
        inner += f" <small>{html.escape(small, quote=False)}</small>"
    return (
        f'<h{level} id="{ident}">{inner}'
        f'<a class="headerlink" href="#{ident}" title="Permanent link">&para;</a></h{level}>'
    )


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
    page = to_path.endswith(".md")  # else a file such as a feed, served under its own name
    source = [part for part in url_of(from_path).split("/") if part]
    target = [part for part in (url_of(to_path) if page else to_path).split("/") if part]
    folders = len(target) if page else len(target) - 1
    common = 0
    while common < min(len(source), folders) and source[common] == target[common]:
        common += 1
    path = "/".join([".."] * (len(source) - common) + target[common:])
    if not page:
        return path
    return path + "/" if path else "./"


def render_block(block: Block, links: Sequence[tuple[int, int, str]] = ()) -> str:
    """One block of an article or document as escaped HTML.

    `links` are (start, end, href) spans of `block.text` to link (the first mention of a
    company or policy); the text inside and around them is escaped like the rest.
    """
    esc = html.escape
    if links and block.kind in ("heading", "caption", "source", "paragraph"):
        esc = functools.partial(linked_text, links=links)
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


def render_pages(site: Site, base_url: str = "") -> dict[str, str]:
    """Every page of the site as docs/-relative path → Markdown text."""
    pages = dict(listing_pages(site, base_url))
    for issue in site.issues:
        pages.update(issue_pages(site, issue))
    return pages


def issue_pages(site: Site, issue: Issue) -> Iterator[tuple[str, str]]:
    """An issue's own pages, one at a time: the issue, its raw text, its articles. Nothing
    else depends on them, so the issues of an archive can be rendered apart (build.py)."""
    helpers = _helpers()
    sections = {section.name: section for section in site.sections}
    path = issue_path(issue)
    nav_html = issue_nav(issue, path).html()
    yield path, _render("issue.md.j2", path, issue=issue, nav=nav_html, **helpers)
    # a sibling of the articles that is none of them: every link is ../NN/ from any article
    sibling = article_path(issue.articles[0]).rsplit("/", 1)[0] + "/_.md" if issue.articles else ""
    nav = issue_nav(issue, sibling) if issue.articles else None
    yield raw_path(issue.path), render_raw_page(issue.path, issue_text(issue))
    for article in issue.articles:
        path = article_path(article)
        before, after = neighbours(issue, article)
        yield (
            path,
            _render(
                "article.md.j2",
                path,
                issue=issue,
                article=article,
                before=before,
                after=after,
                section=sections[article.section],
                related=related_articles(sections[article.section], article),
                minutes=reading_minutes(article),
                nav=nav.html(article.id) if nav else "",
                site=site,
                **helpers,
            ),
        )


def listing_pages(site: Site, base_url: str = "") -> Iterator[tuple[str, str]]:
    """Every page but the issues' own: home, archive, sections, years, documents, entities."""
    helpers = _helpers()
    yield "index.md", _render("home.md.j2", "index.md", site=site, **helpers)
    yield "issues/index.md", _render("archive.md.j2", "issues/index.md", site=site, **helpers)
    yield "sections/index.md", _render("sections.md.j2", "sections/index.md", site=site, **helpers)
    for section in site.sections:
        path = section_path(section)
        yield path, _render("section.md.j2", path, section=section, **helpers)
    for year, issues in years(site):
        path = year_path(year)
        yield path, _render("year.md.j2", path, year=year, issues=issues, **helpers)
    yield (
        "documents/index.md",
        _render("documents.md.j2", "documents/index.md", site=site, **helpers),
    )
    for document in site.documents:
        path = document_path(document)
        yield path, _render("document.md.j2", path, document=document, **helpers)
        yield raw_path(document.path), render_raw_page(document.path, document_text(document))
    yield from render_entity_pages(site, base_url).items()


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


@dataclass(frozen=True, slots=True)
class IssueNav:
    """The current issue's articles for the sidebar (theme/partials/nav.html): bounded by one
    issue, never the archive. Rendered here, once per issue, as HTML with links relative to
    the issue's pages: a Jinja loop over 35 links in the theme cost more than the rest of the
    page's template. `html(here)` marks the page's own link."""

    title: str  # the issue link, for the issue page
    entries: tuple[tuple[str, str], ...]  # (article id or "", <li> HTML) in print order

    def html(self, here: str = "") -> str:
        items = "".join(
            item.replace('class="md-nav__link"', 'class="md-nav__link md-nav__link--active"', 1)
            if ident == here and ident
            else item
            for ident, item in self.entries
        )
        return (
            f'<nav class="md-nav tt-issue-nav" aria-label="本期文章">{self.title}'
            f'<ul class="md-nav__list">{items}</ul></nav>'
        )


# The sidebar travels at the head of a finished page's body, between these markers: the MkDocs
# plugin cuts it out for theme/partials/nav.html when it renders the page. In the front
# matter, MkDocs would hold every page's copy from reading all pages to writing the first.
SIDEBAR_OPEN, SIDEBAR_CLOSE = "<!--tiantang:sidebar-->", "<!--/tiantang:sidebar-->"


def sidebar(nav_html: str) -> str:
    return f"{SIDEBAR_OPEN}{nav_html}{SIDEBAR_CLOSE}" if nav_html else ""


def issue_nav(issue: Issue, here: str) -> IssueNav:
    """The sidebar of `issue`'s pages, links relative to `here`: any of its articles (they
    share one depth) or the issue page."""
    esc = html.escape
    label = f"{month_label(issue)} · {number_label(issue)}"
    title = (
        f'<a class="md-nav__title tt-issue-nav__title" href="{href(here, issue_path(issue))}">'
        f"{esc(label)}</a>"
    )
    entries: list[tuple[str, str]] = []
    for section in issue.sections:
        entries.append(
            ("", f'<li class="md-nav__item tt-issue-nav__section">{esc(section.name)}</li>')
        )
        for article in section.articles:
            link = href(here, article_path(article))
            entries.append(
                (
                    article.id,
                    f'<li class="md-nav__item"><a class="md-nav__link" href="{link}">'
                    f"{esc(article.toc_title)}</a></li>",
                )
            )
    return IssueNav(title, tuple(entries))


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
    # by position, nearest first (the later one first on a tie): constant work per article,
    # where sorting the whole section for each of its articles made the build cubic
    around: list[tuple[Issue, Article]] = []
    for step in range(1, len(listed)):
        for position in (index + step, index - step):
            if 0 <= position < len(listed) and len(around) < limit:
                around.append(listed[position])
        if len(around) >= limit:
            break
    return around


def render_raw_page(source: str, lines: Sequence[str]) -> str:
    """The input file as published: every raw line with its number and an anchor `#L85`."""
    rows = "".join(
        f'<span class="tt-line" id="L{no}"><a href="#L{no}">{no}</a>{html.escape(text)}</span>'
        for no, text in enumerate(lines, start=1)
    )
    head = front_matter(
        title=html.escape(f"原文 {source}"), search={"exclude": True}, tiantang={"html": True}
    )
    return f'{head}{html_heading(1, f"原文：{source}")}\n<pre class="tt-rawtext">{rows}</pre>\n'


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
        "block_links": block_links,
        "article_entities": article_entities,
        "entity_path": entity_path,
        "html_heading": html_heading,
        "heading_ids": set,  # the ids a page's headings have taken (html_heading)
        "sidebar": sidebar,
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


# --- companies and policies ----------------------------------------------------------------

FACT_LABELS = {
    "financing": "融资",
    "investment": "投资",
    "listing": "上市",
    "award": "获奖",
    "revenue": "营收",
}
LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区县级"}
ORGANISATION_LABELS = {
    "fund": "基金",
    "agency": "政府部门",
    "association": "协会",
    "institute": "研究机构",
    "university": "高校",
    "media": "媒体",
    "park": "园区",
    "other": "机构",
}
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_SENTENCE_MAX = 120


def entity_path(entity: Entity) -> str:
    """companies/<id>.md for companies and organisations, policies/<id>.md for policies."""
    folder = "policies" if entity.kind == "policy" else "companies"
    return f"{folder}/{entity.id}.md"


def entity_feed_path(entity: Entity) -> str:
    folder = "policies" if entity.kind == "policy" else "companies"
    return f"feeds/{folder}/{entity.id}.xml"


def linked_text(text: str, links: Sequence[tuple[int, int, str]]) -> str:
    """`text` escaped, with the spans in `links` wrapped in links (escaped too)."""
    out: list[str] = []
    at = 0
    for start, end, target in sorted(links):
        if start < at or end > len(text) or start >= end:
            continue  # overlapping or out of range: leave the text as it is
        out.append(html.escape(text[at:start]))
        out.append(
            f'<a class="tt-entity" href="{html.escape(target)}">{html.escape(text[start:end])}</a>'
        )
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Appearance:
    """An article or document that names an entity, with the sentence that first does."""

    issue: Issue | None
    article: Article | None
    document: Document | None
    sentence: str
    lines: tuple[int, ...]  # every raw line of it that names the entity
    path: str  # the input file


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Lookups the entity pages and the article pages share, built once per site."""

    by_id: dict[str, Entity]
    appearances: dict[str, list[Appearance]]  # entity id → newest first
    per_article: dict[str, list[str]]  # article id → entity ids in order of first mention
    links: dict[tuple[str, int], list[tuple[int, int, str]]]  # (article, block) → spans
    related: dict[str, list[tuple[Entity, int]]]  # company id → co-mentioned companies
    children: dict[str, list[Entity]]  # company id → subsidiaries


# The last site indexed, with its index: every article page asks for its own links, and
# hashing a whole Site per call (lru_cache) would cost more than building the index. Both go
# when the site does (the index holds the issues: at 400, hundreds of MB).
_INDEXED: list[tuple[weakref.ref[Site], EntityIndex]] = []


def entity_index(site: Site) -> EntityIndex:
    """Lookups over `site`'s mentions and links, built once per site."""
    if _INDEXED and _INDEXED[0][0]() is site:
        return _INDEXED[0][1]
    index = _build_index(site)
    _INDEXED[:] = [(weakref.ref(site, lambda _: _INDEXED.clear()), index)]
    return index


def _build_index(site: Site) -> EntityIndex:
    by_id = {e.id: e for e in (*site.companies, *site.policies)}
    articles = {a.id: (i, a) for i in site.issues for a in i.articles}
    documents = {d.id: d for d in site.documents}
    lines = {source.path: source.lines for source in (*site.issues, *site.documents)}
    grouped: dict[tuple[str, str], list[Mention]] = {}
    per_article: dict[str, list[str]] = {}
    for mention in site.mentions:
        where = mention.article or (f"document:{mention.document}" if mention.document else None)
        if where is None or mention.entity not in by_id:
            continue
        grouped.setdefault((mention.entity, where), []).append(mention)
        if mention.article and mention.entity not in per_article.setdefault(mention.article, []):
            per_article[mention.article].append(mention.entity)
    appearances: dict[str, list[Appearance]] = {}
    for (entity_id, where), mentions in grouped.items():
        # The sentence shown is the first one of the text that names it: not the heading
        # (the reader sees the title anyway), not the TOC, not the 来源 line.
        heading = articles[where][1].match.last if where in articles else 0
        best = min(mentions, key=lambda m: (m.place != "article", m.line <= heading, m.line))
        source = lines.get(best.path, ())
        line = source[best.line - 1].text if 0 < best.line <= len(source) else best.text
        sentence = _sentence(line, best.column, best.text)
        all_lines = tuple(sorted({n for m in mentions for n in m.lines}))
        if where.startswith("document:"):
            document = documents.get(where.removeprefix("document:"))
            item = Appearance(None, None, document, sentence, all_lines, best.path)
        else:
            issue, article = articles[where]
            item = Appearance(issue, article, None, sentence, all_lines, best.path)
        appearances.setdefault(entity_id, []).append(item)
    for items in appearances.values():
        items.sort(key=_newest_first)
    links: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for link in site.entity_links:
        entity = by_id.get(link.entity)
        if entity is not None:
            links.setdefault((link.article, link.block), []).append(
                (link.start, link.end, entity_path(entity))
            )
    related: dict[str, Counter[str]] = {}
    for entity_ids in per_article.values():
        companies = [e for e in entity_ids if by_id[e].kind != "policy"]
        for one in companies:
            for other in companies:
                if one != other:
                    related.setdefault(one, Counter())[other] += 1
    children: dict[str, list[Entity]] = {}
    for entity in by_id.values():
        if entity.parent and entity.parent in by_id:
            children.setdefault(entity.parent, []).append(entity)
    return EntityIndex(
        by_id=by_id,
        appearances=appearances,
        per_article=per_article,
        links=links,
        related={
            key: [
                (by_id[o], n)
                for o, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
                if by_id[o].kind == "company"
            ]
            for key, c in related.items()
        },
        children=children,
    )


def _newest_first(item: Appearance) -> tuple[int, str, int]:
    if item.article is not None and item.issue is not None:
        position = int(item.article.id.rsplit("-", 1)[1])
        return (0, _reverse(item.issue.id), position)
    return (1, item.document.id if item.document else "", 0)


def _reverse(text: str) -> str:
    """A sort key that orders `text` descending inside an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _sentence(line: str, column: int, name: str) -> str:
    """The sentence of `line` around the name at `column`, cut to a readable length."""
    start = 0
    for piece in _SENTENCE_END.split(line):
        if start + len(piece) > column:
            sentence = piece.strip()
            break
        start += len(piece)
    else:
        sentence = line.strip()
    sentence = " ".join(sentence.split())
    if len(sentence) > _SENTENCE_MAX:
        at = max(0, sentence.find(name) - _SENTENCE_MAX // 3)
        sentence = ("…" if at else "") + sentence[at : at + _SENTENCE_MAX] + "…"
    return sentence


def block_links(site: Site, article: Article, index: int, here: str) -> list[tuple[int, int, str]]:
    """The (start, end, href) spans to link in block `index` of `article` (page `here`)."""
    spans = entity_index(site).links.get((article.id, index), [])
    return [(start, end, href(here, target)) for start, end, target in spans]


def article_entities(site: Site, article: Article) -> dict[str, list[Entity]]:
    """The companies (and organisations) and policies an article names, in order of mention."""
    index = entity_index(site)
    named = [index.by_id[e] for e in index.per_article.get(article.id, [])]
    return {
        "companies": [e for e in named if e.kind != "policy"],
        "policies": [e for e in named if e.kind == "policy"],
    }


def initial(name: str) -> str:
    """The letter a name is listed under: its pinyin initial, A–Z, or # for anything else."""
    first = lazy_pinyin(name[:1], style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    letter = (first[0][:1] if first else "").upper()
    return letter if "A" <= letter <= "Z" else "#"


def _article_count(index: EntityIndex, entity: Entity) -> int:
    return sum(1 for a in index.appearances.get(entity.id, []) if a.article is not None)


def _documents_of(site: Site) -> dict[str, Document]:
    return {d.id: d for d in site.documents}


def full_text_path(site: Site, entity: Entity) -> str | None:
    """The page holding a policy's full text: its document's or its article's."""
    if not entity.document:
        return None
    document = _documents_of(site).get(entity.document)
    if document is not None:
        return document_path(document)
    for issue in site.issues:
        for article in issue.articles:
            if article.id == entity.document:
                return article_path(article)
    return None


def shown_entities(site: Site) -> tuple[list[Entity], list[Entity]]:
    """(companies and organisations, policies) that get a page: those some text names."""
    index = entity_index(site)
    return (
        [e for e in site.companies if index.appearances.get(e.id)],
        [e for e in site.policies if index.appearances.get(e.id)],
    )


def entity_page_paths(site: Site) -> set[str]:
    """The docs/ paths of the company, organisation and policy pages `render_entity_pages`
    writes."""
    shown, policies = shown_entities(site)
    return {entity_path(e) for e in (*shown, *policies)}


def render_entity_pages(site: Site, base_url: str = "") -> dict[str, str]:
    """The company, organisation and policy pages, their indexes and their feeds."""
    index = entity_index(site)
    helpers = _helpers()
    pages: dict[str, str] = {}
    counts = {e.id: _article_count(index, e) for e in index.by_id.values()}
    articles = {a.id: a for issue in site.issues for a in issue.articles}
    shown, policies = shown_entities(site)
    for entity in shown:
        path = entity_path(entity)
        pages[path] = _render(
            "company.md.j2",
            path,
            entity=entity,
            appearances=index.appearances.get(entity.id, []),
            facts=[f for f in site.facts if f.company == entity.id],
            fact_labels=FACT_LABELS,
            articles=articles,
            related=[(e, n) for e, n in index.related.get(entity.id, []) if e in shown][:12],
            parent=index.by_id.get(entity.parent or ""),
            children=[c for c in index.children.get(entity.id, []) if c in shown],
            feed=entity_feed_path(entity),
            organisation_labels=ORGANISATION_LABELS,
            **helpers,
        )
    companies = [e for e in shown if e.kind == "company"]
    organisations = [e for e in shown if e.kind == "organisation"]
    groups: dict[str, list[Entity]] = {}
    for entity in sorted(companies, key=lambda e: (initial(e.name), lazy_pinyin(e.name), e.id)):
        groups.setdefault(initial(entity.name), []).append(entity)
    by_type: dict[str, list[Entity]] = {}
    for entity in sorted(organisations, key=lambda e: (lazy_pinyin(e.name), e.id)):
        by_type.setdefault(entity.type or "other", []).append(entity)
    pages["companies/index.md"] = _render(
        "companies.md.j2",
        "companies/index.md",
        groups=sorted(groups.items()),
        organisations=[
            (ORGANISATION_LABELS[t], by_type[t]) for t in ORGANISATION_LABELS if t in by_type
        ],
        counts=counts,
        **helpers,
    )
    for entity in policies:
        path = entity_path(entity)
        pages[path] = _render(
            "policy.md.j2",
            path,
            entity=entity,
            level=LEVEL_LABELS.get(entity.level or "", ""),
            appearances=index.appearances.get(entity.id, []),
            full_text=full_text_path(site, entity),
            feed=entity_feed_path(entity),
            **helpers,
        )
    levels: list[tuple[str, list[tuple[str, list[Entity]]]]] = []
    for level, label in (*LEVEL_LABELS.items(), ("", "其他")):
        listed = [e for e in policies if (e.level or "") == level]
        years: dict[str, list[Entity]] = {}
        for entity in sorted(listed, key=lambda e: (e.date or "", e.name), reverse=True):
            years.setdefault((entity.date or "")[:4] or "年份不详", []).append(entity)
        if listed:
            levels.append((label, list(years.items())))
    pages["policies/index.md"] = _render(
        "policies.md.j2",
        "policies/index.md",
        levels=levels,
        counts=counts,
        documents=site.documents,
        **helpers,
    )
    for entity in (*shown, *policies):
        pages[entity_feed_path(entity)] = render_entity_feed(
            entity, index.appearances.get(entity.id, []), base_url
        )
    return pages


def render_entity_feed(entity: Entity, appearances: Sequence[Appearance], base_url: str) -> str:
    """The RSS feed of one company or policy: the articles naming it, newest first."""
    from generator.feeds import render_feed

    base = base_url.rstrip("/")
    entries = [
        (item.issue, item.article, item.sentence)
        for item in appearances
        if item.issue is not None and item.article is not None
    ]
    feed = entity_feed_path(entity)
    return render_feed(
        f"天堂之芯 · {entity.name}",
        f"{base}{url_of(entity_path(entity))}",
        f"{base}/{feed}",
        entries,
    )
