"""Problems and counts → the text `tiantang check` prints: per issue, then one summary line.

issues/2025-07.txt:1489: warning[heading-misprint]: the heading repeats … — correct the …
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from generator.model import Document, Issue, Problem
from generator.site import Site

# A match below this is listed as low-confidence so an editor can look at it.
LOW_CONFIDENCE = 0.9


def format_problem(problem: Problem) -> str:
    """`file:line[:column]: severity[code]: what is wrong — what to do`."""
    where = problem.path
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    return f"{where}: {problem.severity}[{problem.code}]: {problem.message} — {problem.fix}"


def render_issue_report(issue: Issue) -> str:
    """Articles per section, unmatched entries, low-confidence matches and leftovers."""
    masthead = issue.masthead
    number = f"总第{masthead.number}期" if masthead.number is not None else "number unknown"
    evidence = ", ".join(f"{field} from {where}" for field, where in masthead.evidence)
    out = [f"{issue.path}: {issue.id} · {number} · {len(issue.articles)} articles ({evidence})"]
    for section in issue.sections:
        out.append(f"  {section.name}: {len(section.articles)}")
    for article in issue.articles:
        if article.match.score < LOW_CONFIDENCE or article.match.how != "fuzzy":
            out.append(
                f"  {issue.path}:{article.match.line}: {article.match.how} match "
                f"{article.match.score:.2f} for “{article.toc_title}” "
                f"(body: “{article.body_title}”)"
            )
    for region in issue.regions:
        if region.kind == "leftover":
            span = region.span
            lines = f"{span.first}" if span.first == span.last else f"{span.first}-{span.last}"
            label = f" ({region.label})" if region.label else ""
            out.append(f"  {issue.path}:{lines}: leftover lines in no article{label}")
    return "\n".join(out)


def render_document_report(document: Document) -> str:
    levels = Counter(entry.level for entry in document.outline)
    per_level = ", ".join(f"level {level}: {count}" for level, count in sorted(levels.items()))
    return (
        f"{document.path}: “{document.title}” · {len(document.outline)} outline entries "
        f"({per_level or 'none'}) · {len(document.tables)} tables"
    )


def summary(
    issues: Sequence[Issue], documents: Sequence[Document], problems: Sequence[Problem]
) -> str:
    """`3 issues · 89 articles · 2 documents · 1 warning · 0 errors`."""
    counts = Counter(p.severity for p in problems)
    articles = sum(len(issue.articles) for issue in issues)
    return (
        f"{_plural(len(issues), 'issue')} · {_plural(articles, 'article')} · "
        f"{_plural(len(documents), 'document')} · {_plural(counts['warning'], 'warning')} · "
        f"{_plural(counts['error'], 'error')}"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_entity_report(site: Site, wanted: Collection[str] = ()) -> str:
    """Companies and policies found, new names for the registry, and entries nothing names.

    With `wanted` (input files), only what those files name; the unused entries are an archive-
    wide fact, so they are listed only for the whole archive.
    """
    from generator.entities import unused_entries

    mentions = [m for m in site.mentions if not wanted or m.path in wanted]
    named = {m.entity for m in mentions}
    companies = sum(1 for e in site.companies if e.id in named)
    policies = sum(1 for e in site.policies if e.id in named)
    out = [f"entities: {companies} companies and organisations · {policies} policies named"]
    candidates = [
        c for c in site.candidates if not wanted or any(path in wanted for path, _ in c.evidence)
    ]
    if candidates:
        out.append(f"  {len(candidates)} new names for the registry (see registry/candidates.yml):")
    for candidate in candidates:
        path, line = candidate.evidence[0]
        more = f" (+{len(candidate.evidence) - 1} more)" if len(candidate.evidence) > 1 else ""
        out.append(
            f"  {path}:{line}: new {candidate.kind} “{candidate.name}” ({candidate.rule}){more}"
        )
    if not wanted:
        for entity in unused_entries((*site.companies, *site.policies), site.mentions):
            out.append(
                f"  {entity.path}:{entity.line}: registry entry “{entity.name}” matches nothing"
                " in the archive"
            )
    return "\n".join(out)
