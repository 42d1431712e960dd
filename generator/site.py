"""The site model: every parsed issue and document, their stable URLs and cross-links.

URLs are ASCII and depend only on the thing itself (an issue's month, an article's print
position, a document's file name, a section's pinyin), so adding an issue never moves a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pypinyin import lazy_pinyin

from generator.model import Article, Document, Issue, Problem

if TYPE_CHECKING:
    from generator.entities import Candidate, Entity, Link, Mention
    from generator.facts import Fact


@dataclass(frozen=True, slots=True)
class SectionPage:
    """A 栏目 across all issues: the section page lists its articles newest first."""

    name: str  # "芯企业"
    slug: str  # "xin-qi-ye"
    english: str | None
    articles: tuple[tuple[Issue, Article], ...]  # newest issue first, then print order


@dataclass(frozen=True, slots=True, weakref_slot=True)  # pages.entity_index forgets it
class Site:
    """Everything the pages and the export are made from."""

    issues: tuple[Issue, ...]  # newest first
    documents: tuple[Document, ...]  # by id
    sections: tuple[SectionPage, ...]  # by first appearance in the newest issue, then name
    problems: tuple[Problem, ...] = ()
    # Filled in by entities.link_entities: registry entries and discovered names, by id.
    companies: tuple[Entity, ...] = ()  # companies and organisations
    policies: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()  # every name found, by file, line and column
    entity_links: tuple[Link, ...] = ()  # the first mention of each entity in each article
    facts: tuple[Fact, ...] = ()  # financing rounds, investments, listings… with their source
    candidates: tuple[Candidate, ...] = ()  # discovered names: the review queue


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 60
# A document file named index.txt would replace documents/index.md, the list of documents;
# con, nul, aux… cannot be file names on Windows, where an editor may check out the site.
_RESERVED_SLUGS = frozenset(
    {"index", "con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)


def slugify(text: str) -> str:
    """ASCII slug from Chinese or Latin text: pinyin syllables joined by hyphens, bounded length.

    Only [a-z0-9-] ever comes out, so a slug is one safe path component, never a reserved name.
    """
    words = lazy_pinyin(text, errors=lambda chars: [chars])  # keep Latin runs whole
    slug = _SLUG_DROP.sub("-", "-".join(words).lower()).strip("-")
    slug = slug[:_SLUG_MAX].rstrip("-") or "x"
    return f"{slug}-x" if slug in _RESERVED_SLUGS else slug


def issue_path(issue: Issue) -> str:
    return f"issues/{issue.id}/index.md"


def article_path(article: Article) -> str:
    issue_id, position = article.id.rsplit("-", 1)
    return f"issues/{issue_id}/{position}.md"


def document_path(document: Document) -> str:
    return f"documents/{slugify(document.id)}.md"


def section_path(section: SectionPage) -> str:
    return f"sections/{section.slug}.md"


def url_of(path: str) -> str:
    """The site URL MkDocs gives a docs/ path with directory URLs: `a/b.md` → `/a/b/`."""
    if path.endswith("index.md"):
        return "/" + path[: -len("index.md")]
    return "/" + path[: -len(".md")] + "/"


def build_site(issues: Sequence[Issue], documents: Sequence[Document]) -> Site:
    """Order issues newest first, gather sections across issues, give sections unique slugs.

    An issue claiming a month another issue has, or a document whose page address another
    document has, is left out with an error (its own problems are kept in `Site.problems`).
    """
    issues, month_problems = _one_issue_per_month(issues)
    documents, url_problems = _one_document_per_url(documents)
    ordered = tuple(sorted(issues, key=lambda i: i.id, reverse=True))
    names: list[str] = []
    english: dict[str, str | None] = {}
    for issue in ordered:
        for section in issue.sections:
            if section.name not in english:
                names.append(section.name)
            if section.english and not english.get(section.name):
                english[section.name] = section.english
            english.setdefault(section.name, None)
    used: set[str] = set()
    sections = []
    for name in names:
        base = slug = slugify(name)
        suffix = 1
        while slug in used:  # two names with the same pinyin get -2, -3…
            suffix += 1
            slug = f"{base}-{suffix}"
        used.add(slug)
        listed = tuple(
            (issue, article)
            for issue in ordered
            for section in issue.sections
            if section.name == name
            for article in section.articles
        )
        sections.append(SectionPage(name, slug, english[name], listed))
    return Site(
        issues=ordered,
        documents=tuple(sorted(documents, key=lambda d: d.id)),
        sections=tuple(sections),
        problems=(*month_problems, *url_problems),
    )


def _one_issue_per_month(issues: Sequence[Issue]) -> tuple[list[Issue], list[Problem]]:
    """Keep one issue per printed month: the one named for it, else the first by file name.

    A copy of 2020-03.txt saved as 2020-04.txt prints 2020/03: two pages for one month would
    be a reader's puzzle, and its articles would be listed twice on every section page.
    """
    claims: dict[tuple[int, int], list[Issue]] = {}
    for issue in sorted(issues, key=lambda i: i.path):
        claims.setdefault((issue.masthead.year, issue.masthead.month), []).append(issue)
    kept: list[Issue] = []
    problems: list[Problem] = []
    for (year, month), claimants in sorted(claims.items()):
        named = [i for i in claimants if i.id == f"{year:04d}-{month:02d}"]
        keeper = (named or claimants)[0]
        kept.append(keeper)
        for issue in claimants:
            if issue is keeper:
                continue
            date = dict(issue.masthead.evidence).get("date", "")
            line = int(date[5:]) if date.startswith("line ") else None
            problems += [
                *issue.problems,
                Problem(
                    issue.path,
                    line,
                    "duplicate-month",
                    f"the issue is dated {year}/{month:02d} ({date or 'unknown'}), the month of"
                    f" {keeper.path}; it is left out of the site",
                    "if it is another month's issue, name the file for that month or set year:"
                    " and month: in its .yml sidecar; if it is a copy, delete it",
                    "error",
                ),
            ]
    return kept, problems


def _one_document_per_url(
    documents: Sequence[Document],
) -> tuple[list[Document], list[Problem]]:
    """Keep one document per page address (file names 芯片.txt and 心片.txt both give xin-pian)."""
    by_path: dict[str, list[Document]] = {}
    for document in sorted(documents, key=lambda d: d.path):
        by_path.setdefault(document_path(document), []).append(document)
    kept: list[Document] = []
    problems: list[Problem] = []
    for path, claimants in sorted(by_path.items()):
        keeper, *others = claimants
        kept.append(keeper)
        for document in others:
            problems += [
                *document.problems,
                Problem(
                    document.path,
                    None,
                    "duplicate-url",
                    f"the file name gives the page address {url_of(path)}, which"
                    f" {keeper.path} already has; this document is left out of the site",
                    "rename one of the two files: the address is made from the file name",
                    "error",
                ),
            ]
    return kept, problems


def neighbours(issue: Issue, article: Article) -> tuple[Article | None, Article | None]:
    """The articles before and after `article` in the issue's print order."""
    articles = issue.articles
    index = articles.index(article)
    before = articles[index - 1] if index > 0 else None
    after = articles[index + 1] if index + 1 < len(articles) else None
    return before, after
