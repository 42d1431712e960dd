"""The site model: every parsed issue and document, their stable URLs and cross-links.

URLs are ASCII and depend only on the thing itself (an issue's month, an article's print
position, a document's file name, a section's pinyin), so adding an issue never moves a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from generator.model import Article, Document, Issue, Problem


@dataclass(frozen=True, slots=True)
class SectionPage:
    """A 栏目 across all issues: the section page lists its articles newest first."""

    name: str  # "芯企业"
    slug: str  # "xin-qi-ye"
    english: str | None
    articles: tuple[tuple[Issue, Article], ...]  # newest issue first, then print order


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the pages and the export are made from."""

    issues: tuple[Issue, ...]  # newest first
    documents: tuple[Document, ...]  # by id
    sections: tuple[SectionPage, ...]  # by first appearance in the newest issue, then name
    problems: tuple[Problem, ...] = ()


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 60


def slugify(text: str) -> str:
    """ASCII slug from Chinese or Latin text: pinyin syllables joined by hyphens, bounded length."""
    words = lazy_pinyin(text, errors=lambda chars: list(chars))
    slug = _SLUG_DROP.sub("-", "-".join(words).lower()).strip("-")
    return slug[:_SLUG_MAX].rstrip("-") or "x"


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
    """Order issues newest first, gather sections across issues, give sections unique slugs."""
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
    )


def neighbours(issue: Issue, article: Article) -> tuple[Article | None, Article | None]:
    """The articles before and after `article` in the issue's print order."""
    articles = issue.articles
    index = articles.index(article)
    before = articles[index - 1] if index > 0 else None
    after = articles[index + 1] if index + 1 < len(articles) else None
    return before, after
