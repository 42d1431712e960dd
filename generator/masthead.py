"""The masthead: newsletter title, issue number, year and month, and the evidence for each.

Precedence for every value: the editor's sidecar, then what the cover prints, then the file
name (for year and month). The number is never guessed: 2025-07 prints none, so without a
sidecar it stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from generator.keys import fold_width, match_key
from generator.model import Line, Masthead, Overrides, Problem

NEWSLETTER_TITLE = "天堂之芯"

_NUMBER = re.compile(r"总\s*第\s*(\d{1,5})\s*期")
# `2020/03`, `2023/08月刊`, `2020年3月`, `2020.03`: a plausible year and month on the cover.
_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*(?:[/.\-]|年)\s*(\d{1,2})(?!\d)")
# The date is a cover line of its own (`2020/03`, `总第367期 | 2023/08月刊`), never a date inside
# the cover's prose (2025-07 line 27: “于2018年3月批复”).
_DATE_LINE_MAX = 24
_SENTENCE = re.compile(r"[，。；,;]")
_FILE_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?!\d)")


def parse_masthead(
    path: str, cover: Sequence[Line], overrides: Overrides
) -> tuple[Masthead, tuple[Problem, ...]]:
    """Read the masthead from the cover lines (everything before the contents)."""
    evidence: list[tuple[str, str]] = []
    used: list[int] = []
    problems: list[Problem] = []

    title = overrides.title
    if title:
        evidence.append(("title", "sidecar"))
    else:
        line = next((x for x in cover if match_key(x.text) == match_key(NEWSLETTER_TITLE)), None)
        title = NEWSLETTER_TITLE
        evidence.append(("title", f"line {line.no}" if line else "default"))
        if line:
            used.append(line.no)

    number = overrides.number
    printed_number = _first(cover, _NUMBER)
    if number is not None:
        evidence.append(("number", "sidecar"))
    elif printed_number:
        line, match = printed_number
        number = int(match[1])
        evidence.append(("number", f"line {line.no}"))
        used.append(line.no)
    else:
        evidence.append(("number", "unknown"))

    file_date = _FILE_MONTH.search(path.rsplit("/", 1)[-1])
    printed_date = _first(
        [
            line
            for line in cover
            if len(line.text.strip()) <= _DATE_LINE_MAX and not _SENTENCE.search(line.text)
        ],
        _DATE,
        valid=lambda m: 1 <= int(m[2]) <= 12,
    )
    if overrides.year is not None and overrides.month is not None:
        year, month = overrides.year, overrides.month
        evidence.append(("date", "sidecar"))
    elif printed_date:
        line, match = printed_date
        year, month = int(match[1]), int(match[2])
        evidence.append(("date", f"line {line.no}"))
        used.append(line.no)
        if file_date and (int(file_date[1]), int(file_date[2])) != (year, month):
            problems.append(
                Problem(
                    path,
                    line.no,
                    "date-mismatch",
                    f"the cover prints {year}/{month:02d} but the file is named {file_date[0]}",
                    "rename the file to the printed month, or set year: and month: in the sidecar",
                )
            )
    elif file_date:
        year, month = int(file_date[1]), int(file_date[2])
        evidence.append(("date", "file name"))
    else:
        year, month = 0, 0
        evidence.append(("date", "unknown"))
    if overrides.year is not None and overrides.month is None:
        year = overrides.year
    masthead = Masthead(
        title=title,
        number=number,
        year=year,
        month=month,
        evidence=tuple(evidence),
        lines=tuple(sorted(set(used))),
    )
    return masthead, tuple(problems)


def _first(
    lines: Sequence[Line],
    pattern: re.Pattern[str],
    valid: Callable[[re.Match[str]], bool] = lambda m: True,
) -> tuple[Line, re.Match[str]] | None:
    """The first line (and its match) where `pattern` matches in the width-folded text."""
    for line in lines:
        for match in pattern.finditer(fold_width(line.text)):
            if valid(match):
                return line, match
    return None
