"""TOC entries ↔ body headings: one monotone alignment per issue on fuzzy match-key scores.

Body headings are not the TOC's titles: 2020-03 prints “芯象半导体受邀参加 创投项目对接活动”
and moves “GSMA 5G” two lines down; 2025-07 repeats the previous article's title over the next
article. So every body line (and every pair of lines a heading may be split over) is scored
against every entry, and a dynamic programme picks the increasing sequence of lines with the
best total score. Entries left over are then placed by order when a line between their
neighbours repeats an earlier title (a misprint), or reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from generator.keys import key_surely_longer, match_key
from generator.model import Line, Match, Problem, TocEntry

# Below this a line is not taken as an entry's heading: measured on the samples, true headings
# score ≥ 0.80 and the best wrong line under 0.55 (see tests/test_align.py).
ACCEPT = 0.62
# A heading this close to an earlier entry's title, where the TOC expects a new article, is a
# misprint of that title.
MISPRINT = 0.85
# Lines whose key is much longer than any title are paragraphs: not scored at all.
_MAX_HEADING_FACTOR = 2.0
_MAX_PARTS = 3  # a heading may be split over up to three non-blank lines
# How the alignment reached a cell, besides taking a candidate (its index, ≥ 0).
_LEFT = -1  # the entry was left unmatched
_SKIPPED = -2  # the body line was skipped


@dataclass(frozen=True, slots=True)
class Candidate:
    """A run of 1..3 consecutive non-blank body lines that could be a heading."""

    index: int  # position of the first line in the non-blank line list
    parts: int  # how many non-blank lines it joins
    first: int  # raw line number of its first line
    last: int  # raw line number of its last line
    key: str


def find_candidates(lines: Sequence[Line], longest: int) -> list[Candidate]:
    """Every 1-, 2- and 3-line run of non-blank lines short enough to be a heading."""
    rows = [line for line in lines if line.text.strip()]
    limit = max(8, int(longest * _MAX_HEADING_FACTOR))
    # A paragraph's key would be too long for any run it starts or joins: never computed.
    keys = [None if key_surely_longer(line.text, limit) else match_key(line.text) for line in rows]
    candidates = []
    for index in range(len(rows)):
        joined = ""
        for parts in range(1, _MAX_PARTS + 1):
            end = index + parts - 1
            if end >= len(rows) or (key := keys[end]) is None:
                break
            joined += key
            if not joined or len(joined) > limit:
                break
            candidates.append(Candidate(index, parts, rows[index].no, rows[end].no, joined))
    return candidates


def align(
    path: str,
    entries: Sequence[TocEntry],
    body: Sequence[Line],
    fixes: Mapping[str, str] | None = None,
) -> tuple[tuple[Match | None, ...], tuple[Problem, ...]]:
    """For each TOC entry, the body line its article starts at (None when not found).

    `fixes` maps a TOC title's key to the body heading an editor says it is printed as
    (the sidecar's `title_fixes`); such entries are aligned on the heading instead.
    """
    if not entries:
        return (), ()
    fixes = fixes or {}
    entry_keys = [fixes.get(match_key(e.title), match_key(e.title)) for e in entries]
    fixed = {i for i, e in enumerate(entries) if match_key(e.title) in fixes}
    candidates = find_candidates(body, max(len(key) for key in entry_keys))
    if not candidates:
        return tuple(None for _ in entries), tuple(_unmatched(path, e, None) for e in entries)
    scores = process.cdist(
        entry_keys, [c.key for c in candidates], scorer=fuzz.ratio, dtype=np.float32
    )
    scores /= 100.0
    chosen = _best_path(scores, candidates)
    matches: list[Match | None] = [
        None
        if c is None
        else Match(
            line=candidates[c].first,
            last=candidates[c].last,
            score=_round(scores[e, c]),
            how="override" if e in fixed else "fuzzy",
        )
        for e, c in enumerate(chosen)
    ]
    problems: list[Problem] = []
    _place_misprints(path, entries, scores, candidates, chosen, matches, problems)
    for e, match in enumerate(matches):
        if match is None:
            nearest = int(np.argmax(scores[e]))
            problems.append(_unmatched(path, entries[e], (candidates[nearest], scores[e, nearest])))
    return tuple(matches), tuple(problems)


def _best_path(scores: np.ndarray, candidates: Sequence[Candidate]) -> list[int | None]:
    """The increasing choice of candidates with the largest total gain (score above ACCEPT).

    A monotone alignment: F[e][i] is the best gain for the first e entries using non-blank
    lines before position i. Ties go to the earlier line, so a bold repeat of the title inside
    the article body never wins over the heading itself.

    Row F[e + 1] comes from row F[e] in three steps, each taking a value only when it is
    strictly better, in the order a cell-by-cell sweep would offer them: entry e taken at a
    candidate (earlier lines first), entry e left unmatched, a body line skipped. Only the
    few candidates scoring above ACCEPT are visited one by one; the rest is whole-row numpy.
    """
    n_entries = scores.shape[0]
    n_rows = max(c.index + c.parts for c in candidates)
    starts = np.array([c.index for c in candidates])
    ends = starts + np.array([c.parts for c in candidates])
    gain = scores - ACCEPT
    # a vanishing preference for earlier lines breaks exact ties deterministically
    tiny = 1e-6 / (n_rows + 1)
    neg = -1e18
    rows = [np.zeros(n_rows + 1)]
    # how each cell of row e + 1 was reached: a candidate index, or _LEFT / _SKIPPED
    steps: list[np.ndarray] = []
    for e in range(n_entries):
        here = rows[-1]
        taken = np.full(n_rows + 1, neg)
        step = np.full(n_rows + 1, _LEFT)
        for ci in np.flatnonzero(gain[e] > 0).tolist():
            i = int(starts[ci])
            value = float(here[i]) + float(gain[e, ci]) - tiny * i
            j = int(ends[ci])
            if value > taken[j]:
                taken[j] = value
                step[j] = ci
        left = here > taken
        taken[left] = here[left]
        step[left] = _LEFT
        best = np.maximum.accumulate(taken)
        skipped = np.zeros(n_rows + 1, dtype=bool)
        skipped[1:] = best[:-1] > taken[1:]
        step[skipped] = _SKIPPED
        rows.append(best)
        steps.append(step)
    chosen: list[int | None] = [None] * n_entries
    e, i = n_entries, int(np.argmax(rows[n_entries]))
    while e > 0:
        step_here = int(steps[e - 1][i])
        if step_here == _SKIPPED:
            i -= 1
            continue
        e -= 1
        if step_here != _LEFT:
            chosen[e] = step_here
            i = int(starts[step_here])
    return chosen


def _place_misprints(
    path: str,
    entries: Sequence[TocEntry],
    scores: np.ndarray,
    candidates: Sequence[Candidate],
    chosen: list[int | None],
    matches: list[Match | None],
    problems: list[Problem],
) -> None:
    """Place unmatched entries whose heading repeats the previous entry's title.

    2025-07 prints an article's heading as the previous article's title. The aligner gives the
    previous entry one of the two equal lines; the other, lying where the TOC expects the next
    article, starts that next article.
    """
    for e in range(1, len(entries)):
        if matches[e] is not None or matches[e - 1] is None:
            continue
        prev_ci = chosen[e - 1]
        assert prev_ci is not None
        after = candidates[prev_ci].last
        before = next((m.line for m in matches[e + 1 :] if m is not None), None)
        repeat = [
            ci
            for ci, candidate in enumerate(candidates)
            if candidate.first > after
            and (before is None or candidate.last < before)
            and scores[e - 1, ci] >= MISPRINT
        ]
        if not repeat:
            continue
        # the closest repeat, earliest on a tie: a two-line run that starts at the （来源：…）
        # line before the misprint scores lower than the heading alone
        ci = max(repeat, key=lambda c: (scores[e - 1, c], -candidates[c].first))
        candidate = candidates[ci]
        chosen[e] = ci
        matches[e] = Match(
            line=candidate.first, last=candidate.last, score=_round(scores[e, ci]), how="misprint"
        )
        problems.append(
            Problem(
                path,
                candidate.first,
                "heading-misprint",
                f"the heading repeats the title of the article before it "
                f"(“{entries[e - 1].title}”); taken as the start of “{entries[e].title}” "
                f"(p. {entries[e].page}) by its place in the contents",
                "correct the heading in the text, or add a title fix in the issue's .yml sidecar",
            )
        )


def _unmatched(path: str, entry: TocEntry, nearest: tuple[Candidate, float] | None) -> Problem:
    near = f" (nearest: line {nearest[0].first}, score {nearest[1]:.2f})" if nearest else ""
    page = f" (p. {entry.page})" if entry.page is not None else ""
    return Problem(
        path,
        entry.span.first,
        "toc-unmatched",
        f"TOC entry “{entry.title}”{page} matches no body heading{near}",
        "fix the heading, or add a title fix in the issue's .yml sidecar",
        "error",
    )


def _round(score: float) -> float:
    return round(float(score), 3)
