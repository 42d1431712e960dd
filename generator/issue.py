"""parse_issue(raw, overrides) -> Issue: the issue stages in order, nothing else."""

from __future__ import annotations

import re

from generator.align import align
from generator.articles import parse_articles
from generator.keys import match_key
from generator.masthead import parse_masthead
from generator.model import (
    Issue,
    Overrides,
    Problem,
    RawFile,
    Region,
    Section,
    Span,
    Toc,
    TocSection,
)
from generator.toc import find_toc, parse_toc

_ISSUE_NAME = re.compile(r"(?:^|/)(\d{4})-(0[1-9]|1[0-2])\.txt$")
_COVER_LINES = 80  # without a contents line, the masthead is looked for this far


def issue_id(path: str, year: int, month: int) -> str:
    """`2020-03` from the file name; from the printed month when the name is not YYYY-MM."""
    named = _ISSUE_NAME.search(path)
    if named:
        return f"{named[1]}-{named[2]}"
    return f"{year:04d}-{month:02d}"


def parse_issue(raw: RawFile, overrides: Overrides | None = None) -> Issue:
    """Masthead, contents, alignment and articles of one newsletter issue."""
    overrides = overrides or Overrides()
    lines = tuple(raw.lines)  # read over and over below; the Issue keeps the compact raw.lines
    problems: list[Problem] = list(raw.problems)

    toc, toc_problems = parse_toc(raw.path, lines)
    problems += toc_problems
    start = find_toc(lines)
    cover = lines[:start] if start is not None else lines[:_COVER_LINES]
    masthead, masthead_problems = parse_masthead(raw.path, cover, overrides)
    problems += masthead_problems
    ident = issue_id(raw.path, masthead.year, masthead.month)

    if toc is None or not toc.entries:
        regions = tuple(
            Region("leftover", Span(line.no, line.no), "no contents")
            for line in lines
            if line.text.strip()
        )
        return Issue(ident, raw.path, masthead, toc, (), regions, tuple(problems), raw.lines)

    body = [line for line in lines if line.no > toc.span.last]
    fixes = {match_key(toc_title): match_key(body) for toc_title, body in overrides.title_fixes}
    matches, align_problems = align(raw.path, toc.entries, body, fixes)
    problems += align_problems
    articles, regions = parse_articles(ident, lines, toc, matches)

    sections = tuple(
        Section(
            name=s.name,
            english=s.english,
            articles=tuple(a for a in articles if a.section == s.name),
        )
        for s in _unique_sections(toc)
    )
    return Issue(ident, raw.path, masthead, toc, sections, regions, tuple(problems), raw.lines)


def _unique_sections(toc: Toc) -> list[TocSection]:
    """Sections in TOC order; a section printed twice is one section."""
    seen: dict[str, TocSection] = {}
    for section in toc.sections:
        seen.setdefault(section.name, section)
    return list(seen.values())
