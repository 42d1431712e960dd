"""The plan of the program: read → parse each file in isolation → site → pages → write.

Each input file is parsed on its own: a crash in one becomes an `internal-error` problem
naming the file, and the rest of the archive still builds.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.documents import parse_document
from generator.export import all_problems, render_export
from generator.issue import parse_issue
from generator.model import Document, Issue, Problem, RawFile
from generator.pages import render_pages
from generator.read import Inputs, read_inputs
from generator.site import Site, build_site
from generator.write import build_site_dir, write_docs

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole archive parsed and linked, before anything is written."""

    site: Site
    problems: tuple[Problem, ...]  # every problem of every file, sorted


def plan(root: Path, debug: bool = False) -> Plan:
    """Read `issues/` under root and parse and link all of it."""
    inputs = read_inputs(root)
    issues, documents, problems = parse_inputs(inputs, debug)
    site = build_site(issues, documents)
    site = Site(site.issues, site.documents, site.sections, tuple(inputs.problems) + problems)
    return Plan(site=site, problems=tuple(all_problems(site)))


def parse_inputs(
    inputs: Inputs, debug: bool = False
) -> tuple[list[Issue], list[Document], tuple[Problem, ...]]:
    """Parse every issue and document, each in isolation."""
    problems: list[Problem] = []
    issues: list[Issue] = []
    for raw, overrides in inputs.issues:
        issue = _isolated(raw, lambda r=raw, o=overrides: parse_issue(r, o), problems, debug)
        if issue is not None:
            issues.append(issue)
    documents: list[Document] = []
    for raw in inputs.documents:
        document = _isolated(raw, lambda r=raw: parse_document(r), problems, debug)
        if document is not None:
            documents.append(document)
    return issues, documents, tuple(problems)


def _isolated(
    raw: RawFile, parse: Callable[[], T], problems: list[Problem], debug: bool
) -> T | None:
    """Parse one file; a file that cannot be read, or a crash, costs only that file."""
    if any(p.severity == "error" for p in raw.problems):
        problems.extend(raw.problems)  # empty, binary or undecodable: nothing to parse
        return None
    try:
        return parse()
    except Exception as error:  # our bug, not the editor's: keep the rest of the archive
        if debug:
            traceback.print_exc()
        problems.append(
            Problem(
                raw.path,
                None,
                "internal-error",
                f"the generator failed on this file ({type(error).__name__}: {error})",
                "report it with the file attached; run with --debug for the traceback",
                "error",
            )
        )
        return None


def render(site: Site) -> dict[str, str]:
    """Every file of docs/: the pages and the data export."""
    pages = render_pages(site)
    pages["data/archive.json"] = render_export(site)
    return pages


def build(root: Path, site_dir: Path | None = None, debug: bool = False) -> Plan:
    """Parse everything, write docs/, build site/. Returns the plan (with its problems)."""
    result = plan(root, debug=debug)
    docs_dir = root / "docs"
    write_docs(docs_dir, render(result.site))
    # MkDocs' sitemap dates come from SOURCE_DATE_EPOCH: fix it to the newest issue's month so
    # two builds of the same input are byte-identical.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(_epoch(result.site.issues)))
    build_site_dir(root / "mkdocs.yml", docs_dir, site_dir or root / "site")
    return result


def _epoch(issues: Sequence[Issue]) -> int:
    import calendar

    if not issues:
        return 0
    newest = max(issues, key=lambda i: i.id).masthead
    return calendar.timegm((max(newest.year, 1970), max(newest.month, 1), 1, 0, 0, 0))
