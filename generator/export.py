"""Site → the `site/data/archive.json` document that other tools read (schema 1, DESIGN.md).

Line numbers are raw lines; `lines` of an article is [first line, last non-blank line].
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from generator import __version__
from generator.model import Article, Document, Issue, Problem
from generator.site import Site, article_path, document_path, issue_path, url_of

if TYPE_CHECKING:
    from generator.entities import Entity, Mention

SCHEMA = 1


def export_archive(site: Site) -> dict[str, object]:
    """The archive as plain JSON-ready data, in a stable order."""
    named = _named_by_article(site)
    return {
        "schema": SCHEMA,
        "generator_version": __version__,
        "issues": [_issue(issue, named) for issue in sorted(site.issues, key=lambda i: i.id)],
        "documents": [_document(document) for document in site.documents],
        "companies": [_company(entity, site) for entity in site.companies],
        "policies": [_policy(entity, site) for entity in site.policies],
        "warnings": [_problem(p) for p in all_problems(site)],
    }


def render_export(site: Site) -> str:
    return json.dumps(export_archive(site), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def all_problems(site: Site) -> list[Problem]:
    found = list(site.problems)
    found += [p for issue in site.issues for p in issue.problems]
    found += [p for document in site.documents for p in document.problems]
    return sorted(found, key=lambda p: (p.path, p.line or 0, p.code, p.message))


def _issue(issue: Issue, named: Mapping[str, tuple[list[str], list[str]]]) -> dict[str, object]:
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
                "articles": [_article(article, named) for article in section.articles],
            }
            for section in issue.sections
        ],
    }


def _article(
    article: Article, named: Mapping[str, tuple[list[str], list[str]]]
) -> dict[str, object]:
    companies, policies = named.get(article.id, ([], []))
    return {
        "id": article.id,
        "title": article.toc_title,
        "toc_title": article.toc_title,
        "body_title": article.body_title,
        "page": article.page,
        "lines": [article.span.first, article.span.last],
        "sources": [source.name for source in article.sources],
        "url": url_of(article_path(article)),
        "companies": companies,
        "policies": policies,
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


# --- companies and policies (entities.py) ----------------------------------------------------


def _named_by_article(site: Site) -> dict[str, tuple[list[str], list[str]]]:
    """Article id → (company ids, policy ids) it names, in order of first mention."""
    policies = {entity.id for entity in site.policies}
    named: dict[str, tuple[list[str], list[str]]] = {}
    for mention in site.mentions:
        if mention.article is None:
            continue
        companies_of, policies_of = named.setdefault(mention.article, ([], []))
        listed = policies_of if mention.entity in policies else companies_of
        if mention.entity not in listed:
            listed.append(mention.entity)
    return named


def _mentions(entity: Entity, site: Site) -> list[dict[str, object]]:
    """Every line that names the entity, per input file: TOC, 来源 and document lines too."""
    return _mention_lines(m for m in site.mentions if m.entity == entity.id)


def _mention_lines(mentions: Iterable[Mention]) -> list[dict[str, object]]:
    lines: dict[str, set[int]] = {}
    for mention in mentions:
        lines.setdefault(mention.path, set()).update(mention.lines)
    return [{"source": path, "lines": sorted(found)} for path, found in sorted(lines.items())]


def _entity_url(entity: Entity) -> str:
    folder = "policies" if entity.kind == "policy" else "companies"
    return url_of(f"{folder}/{entity.id}.md")


def _company(entity: Entity, site: Site) -> dict[str, object]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "type": entity.type,
        "full_names": list(entity.full_names),
        "aliases": list(entity.aliases),
        "city": entity.city,
        "code": entity.code,
        "website": entity.website,
        "parent": entity.parent,
        "discovered": entity.discovered,
        "url": _entity_url(entity),
        "mentions": _mentions(entity, site),
        "facts": [
            {
                "kind": fact.kind,
                "article": fact.article,
                "source": fact.path,
                "line": fact.line,
                "text": fact.text,
                "round": fact.round,
                "amount": fact.amount,
                "currency": fact.currency,
                "approximate": fact.approximate,
                "amount_text": fact.amount_text,
            }
            for fact in site.facts
            if fact.company == entity.id
        ],
    }


def _policy(entity: Entity, site: Site) -> dict[str, object]:
    return {
        "id": entity.id,
        "name": entity.name,
        "doc_number": entity.doc_number,
        "issuer": entity.issuer,
        "level": entity.level,
        "date": entity.date,
        "aliases": list(entity.aliases),
        "discovered": entity.discovered,
        "url": _entity_url(entity),
        "document": entity.document,
        "mentions": _mentions(entity, site),
    }
