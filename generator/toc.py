"""The printed table of contents: raw lines in, `Toc` (sections, entries, pages) out.

The three exports seen so far print it three ways:

    芯企业 ENTERPRISE                  ◆ 芯动态                    ### • 芯动态
    - ▲ 国芯入选…培育名单” - 03         - 地芯科技：获近亿元B轮融资 - 06   - ▲瞻芯电子: … — 17

so a section heading is any short decorated line of CJK (plus an optional English label), and
an entry is a line ending in a page number after a dash. A 免责声明 printed in the middle of
the contents (2025-07, line 92) does not end it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.keys import fold_width, match_key
from generator.model import Line, Problem, Span, Toc, TocEntry, TocSection

# `目录`, `# 目录`, `> 目录 CONTENTS`: the word alone on its line, whatever the decoration.
_TOC_START = re.compile(r"^[\W_]*目\s*录[\W_]*(CONTENTS)?[\W_]*$", re.IGNORECASE)
_CONTENTS = re.compile(r"^[\W_]*CONTENTS[\W_]*$", re.IGNORECASE)
# `- ▲ title - 03`, `- ▲title — 12`, `title……12`: a dash (or dots) before a 1–3 digit page.
_ENTRY = re.compile(
    r"^\s*(?:[-*+•·]\s*)?(?:[▲△►▶■□◆●○]\s*)?(?P<title>.*?\S)\s*"
    r"(?:[-—–－]{1,2}|…{1,}|\.{2,}|·{2,})\s*(?P<page>\d{1,3})\s*$"
)
# An entry whose title wraps: the first part carries the bullet and no page number.
_ENTRY_START = re.compile(r"^\s*[-*+•·]\s*(?:[▲△►▶■□◆●○]\s*)?(?P<title>\S.*?)\s*$")
# `芯企业 ENTERPRISE`, `◆ 芯观点`, `### • 芯动态`, `<b>芯政策</b>`, `◆芯企业◆`, `芯要闻 FOCUS NEWS`.
_SECTION = re.compile(
    r"^[\s#>*•·◆◇■□●○▲△【\[]*(?:<b>)?\s*[•·◆◇■●]?\s*"
    r"(?P<name>[\u4e00-\u9fff]{2,6})"
    r"\s*[◆◇■●】\]]?\s*(?P<english>[A-Z][A-Z &]*[A-Z])?\s*(?:</b>)?[\s*◆◇■●】\]]*$"
)
# Seven ideographs anywhere: more than a section name holds. Width folding keeps every one
# (none is folded or composed away), so such a line is no heading whatever its folded form:
# the body's paragraphs are turned away without folding them.
_TOO_MANY_IDEOGRAPHS = re.compile(r"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){7}")
_DISCLAIMER = re.compile(r"^[\W_]*免责声明")


def find_toc(lines: Sequence[Line]) -> int | None:
    """Index in `lines` of the 目录 line that opens the contents, or None when none is printed."""
    for index, line in enumerate(lines):
        if _TOC_START.match(fold_width(line.text)):
            return index
    return None


def parse_section_heading(text: str) -> tuple[str, str | None] | None:
    """(name, English label) when `text` is a section heading: `◆ 芯企业`, `芯要闻 FOCUS NEWS`."""
    if _TOO_MANY_IDEOGRAPHS.match(text):
        return None
    match = _SECTION.match(fold_width(text).replace("\\*", "*"))
    if not match:
        return None
    english = match["english"]
    return match["name"], english.strip() if english else None


def is_disclaimer(text: str) -> bool:
    """The `*免责声明：` line the magazine prints near its contents."""
    return bool(_DISCLAIMER.match(text.replace("\\*", "*")))


def parse_toc(path: str, lines: Sequence[Line]) -> tuple[Toc | None, tuple[Problem, ...]]:
    """The contents of an issue: its section headings and entries, with the raw lines they use."""
    start = find_toc(lines)
    if start is None:
        first = next((line.no for line in lines if line.text.strip()), None)
        return None, (
            Problem(
                path,
                first,
                "toc-missing",
                "no table of contents (a line 目录) was found, so no article can be placed",
                "add the contents as printed: a line 目录, then section headings and "
                "entries such as `- ▲ 标题 - 03`",
                "error",
            ),
        )

    sections: list[TocSection] = []
    entries: list[TocEntry] = []
    problems: list[Problem] = []
    section: TocSection | None = None
    pending: Line | None = None  # first half of an entry title that wraps
    last = lines[start].no
    in_disclaimer = False
    for line in lines[start + 1 :]:
        text = line.text.strip()
        if not text:
            continue
        folded = fold_width(text)
        if _CONTENTS.match(folded):
            last = line.no
            continue
        if is_disclaimer(text):
            in_disclaimer = True
            continue
        if in_disclaimer and text.startswith("《"):
            in_disclaimer = False  # the disclaimer's sentence; the contents may go on after it
            continue
        in_disclaimer = False
        heading = parse_section_heading(text)
        entry = _ENTRY.match(folded)
        if heading and not entry:
            if pending is not None:
                break
            section = TocSection(name=heading[0], english=heading[1], line=line.no)
            sections.append(section)
            last = line.no
            continue
        if entry and section is not None:
            title_start = pending.no if pending else line.no
            title = _entry_title(line.text, pending)
            entries.append(
                TocEntry(
                    section=section.name,
                    title=title,
                    page=int(entry["page"]),
                    span=Span(title_start, line.no),
                )
            )
            pending = None
            last = line.no
            continue
        if pending is None and section is not None and _ENTRY_START.match(folded):
            pending = line  # a bulleted title with no page yet: it wraps onto the next line
            continue
        break  # the first line that is no part of the contents: the body begins
    # A section heading with no entry after it is the body's first heading (`## 正文标题`),
    # not part of the contents.
    while sections and not any(
        e.section == sections[-1].name and e.span.first > sections[-1].line for e in entries
    ):
        sections.pop()
    if entries:
        last = entries[-1].span.last
    if pending is not None:
        problems.append(
            Problem(
                path,
                pending.no,
                "toc-no-page",
                f"TOC entry “{pending.text.strip()}” has no page number",
                "end the entry with its page, e.g. ` - 12`",
            )
        )
    if not entries:
        problems.append(
            Problem(
                path,
                lines[start].no,
                "toc-empty",
                "the table of contents lists no entries",
                "print each entry as `- ▲ 标题 - 03` under its section heading",
                "error",
            )
        )
    toc = Toc(span=Span(lines[start].no, last), sections=tuple(sections), entries=tuple(entries))
    return toc, tuple(problems)


def _entry_title(text: str, pending: Line | None) -> str:
    """The title as printed: marker and page cut off, a wrapped first half joined in front."""
    # Cut on the raw text (not the folded one) so full-width characters stay as printed.
    match = _ENTRY.match(text)
    title = match["title"] if match else text.strip()
    if pending is None:
        return title
    head = _ENTRY_START.match(pending.text)
    first = head["title"] if head else pending.text.strip()
    return first + title


def toc_key(entry: TocEntry) -> str:
    """The match key the aligner compares body headings with."""
    return match_key(entry.title)
