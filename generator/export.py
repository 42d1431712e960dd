"""Site → the `site/data/archive.json` document that other tools read (schema 1, DESIGN.md).

Line numbers are raw lines; `lines` of an article is [first line, last non-blank line].
"""

from __future__ import annotations

import json

from generator import __version__
from generator.model import Article, Document, Issue, Problem
from generator.site import Site, article_path, document_path, issue_path, url_of

SCHEMA = 1


def export_archive(site: Site) -> dict[str, object]:
    """The archive as plain JSON-ready data, in a stable order."""
    return {
        "schema": SCHEMA,
        "generator_version": __version__,
        "issues": [_issue(issue) for issue in sorted(site.issues, key=lambda i: i.id)],
        "documents": [_document(document) for document in site.documents],
        "companies": [],
        "policies": [],
        "warnings": [_problem(p) for p in all_problems(site)],
    }


def render_export(site: Site) -> str:
    return json.dumps(export_archive(site), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def all_problems(site: Site) -> list[Problem]:
    found = list(site.problems)
    found += [p for issue in site.issues for p in issue.problems]
    found += [p for document in site.documents for p in document.problems]
    return sorted(found, key=lambda p: (p.path, p.line or 0, p.code, p.message))


def _issue(issue: Issue) -> dict[str, object]:
    return {
        "id": issue.id,
        "source": issue.path,
        "title": issue.masthead.title,
        "number": issue.masthead.number,
        "year": issue.masthead.year,
        "month": issue.masthead.month,
        "url": url_of(issue_path(issue)),
        "toc_lines": [issue.toc.span.first, issue.toc.span.last] if issue.toc else None,
        "sections": [
            {
                "name": section.name,
                "english": section.english,
                "articles": [_article(article) for article in section.articles],
            }
            for section in issue.sections
        ],
    }


def _article(article: Article) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.toc_title,
        "toc_title": article.toc_title,
        "body_title": article.body_title,
        "page": article.page,
        "lines": [article.span.first, article.span.last],
        "sources": [source.name for source in article.sources],
        "url": url_of(article_path(article)),
        "companies": [],
        "policies": [],
    }


def _document(document: Document) -> dict[str, object]:
    return {
        "id": document.id,
        "source": document.path,
        "title": document.title,
        "issuer": document.issuer,
        "doc_number": document.doc_number,
        "status": document.status,
        "region": document.region,
        "year": document.year,
        "url": url_of(document_path(document)),
        "outline": [
            {"line": entry.line, "level": entry.level, "text": entry.text}
            for entry in document.outline
        ],
        "tables": [
            {
                "lines": [table.span.first, table.span.last],
                "caption": table.caption,
                "columns": list(table.columns),
                "rows": len(table.rows),
            }
            for table in document.tables
        ],
    }


def _problem(problem: Problem) -> dict[str, object]:
    return {
        "source": problem.path,
        "line": problem.line,
        "code": problem.code,
        "severity": problem.severity,
        "message": problem.message,
    }
