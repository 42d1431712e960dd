"""Policy documents: a RawFile of `issues/documents/*.txt` in, a `Document` out.

A document is a masthead (title lines, 征求意见稿-style status, 文号, date), a body numbered in
the official style (一、 / （一） / 1. / （1） / ① / 附件), and attachment tables that the Word
export flattened to one tab-prefixed cell per line. This stage finds each of these, checks the
numbering, rebuilds the tables, turns the body into display `Block`s and accounts for every
non-blank line in a `Region`. It never raises for what an editor typed: oddities become
`Problem`s (`outline-gap`, `outline-separator-missing`, `table-ragged`, `document-title-missing`).

Decisions the texts forced (line numbers are the raw files'):
- Levels come from the numbering *style*, ranked in the official order 一、 > （一） > 1. > （1）
  > ① and compressed to the styles a document uses. The Qiantang plan lost its 一、 and 二、
  headings in export and starts at （一） (line 9), yet prints 三、 (42): ranking by first
  appearance would put 三、 below （一）; ranking by style keeps （一） at level 2 everywhere.
  A document that never prints 一、 gets （一） at level 1. 前言/结语-style headings and 附件
  are level 1.
- A run-in heading (`1. 区位优势明显。钱塘区位于…`, Qiantang 17) is cut at its first 。！？
  — or at its first colon when that comes earlier (`（一）行业咨询服务：接受…`, 2023-08 1209) —
  outside brackets and quotes. Not at ；: numbered items ending in ； are whole list items
  (2025-07 1832 `最近一年销售收入…比例不低于5%；`) and a ； inside a run-in sentence comes after
  its heading (2020-03 1017).
- Numbering that continues across parents is a house style, not a gap: the Qiantang plan
  numbers its 24 measures 1.–24. straight through （一）–（八） of 五、 (lines 80–133).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import cn2an

from generator.blocks import join_parts
from generator.keys import fold_width, key_length, match_key
from generator.model import (
    Accounting,
    Block,
    DocTable,
    Document,
    Line,
    OutlineEntry,
    Problem,
    RawFile,
    Region,
    Span,
)

# --- what a line can be -------------------------------------------------------------------

# Word's hidden heading anchors survive the export as text (Qiantang 9:
# ` [bookmark: _Toc488779070][bookmark: _Toc1061037579]（一）产业现状`).
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Export markup around a heading (`### （一）专业范围`, 2025-07 153; `**…**`): not heading text.
_MARKUP_PREFIX = re.compile(r"^(?:#{1,6}\s+)?(?:\*\*)?")
_MARKUP_SUFFIX = re.compile(r"\*\*\s*$")

# Numbering, matched on the width-folded text (so `１．`, `1．` and `1.` are one style).
_CN = "一二三四五六七八九十百零〇"
_NUMBER_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^([{_CN}]+)\s*、")),
    ("cn-paren", re.compile(rf"^\(\s*([{_CN}]+)\s*\)")),
    ("arabic-paren", re.compile(r"^\(\s*(\d{1,3})\s*\)")),
    # `1.` but not `2.5D…`, `16.9%` (a wrapped line, 2025-07 323) or `10.....` (a leader).
    ("arabic", re.compile(r"^(\d{1,3})(?:\.(?![\d.])|、)")),
)
# Circled numbers fold to plain digits under NFKC (① → 1), so they are matched unfolded.
_CIRCLED = re.compile("^([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])")
# The official order of the styles: a lower index is a higher level.
_STYLE_ORDER = ("cn", "cn-paren", "arabic", "arabic-paren", "circled")
# `附件` / `附件1` / `附件：` / `附表1 省重点企业研究院…` (2025-07 2125): an attachment heading.
_ATTACHMENT = re.compile(
    r"^(附\s*[件表])\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*(?:[:：.、]\s*)?"
)
# Front and back matter that stands alone on a short line (Qiantang 5 `前言`).
_UNNUMBERED = frozenset({"前言", "引言", "序言", "导言", "结语", "结束语", "后记", "总则", "附则"})
# A number with no separator at all (2020-03 1047 `13切实降低…` after `12.` on 1045): only taken
# as a heading when it is the next number of the current 1. sequence, and not a quantity.
_BARE_NUMBER = re.compile(
    r"^(\d{1,3})(?=[\u4e00-\u9fff])(?![\d]*[年月日号个万亿元家人名条项届期次])"
)

# Where a run-in heading ends, and the brackets/quotes inside which a stop does not count.
_STOPS = frozenset("。！？!?")
_COLONS = frozenset("：:")
_OPENERS = "（(“‘「『【《〔["
_CLOSERS = "）)”’」』】》〕]"
# What ends a heading text but is not part of it (`（三）支持科技创新。`, `…不低于5%；`).
_TRAILING_PUNCT = "。！？!?；;，,：:、"

# Stray page numbers: `3`, `- 3 -`, `第3页`.
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*)?\d{1,4}(?:\s*[-—–])?\s*$|^\s*第\s*\d{1,4}\s*页\s*$")

# --- masthead -------------------------------------------------------------------------------

_STATUS_WORDS = r"(?:公开)?征求意见稿|送审稿|讨论稿|草案|修订稿|代拟稿|报批稿|初稿"
_STATUS_LINE = re.compile(rf"^[（(]\s*({_STATUS_WORDS})\s*[)）]$")
# A title that carries its status on the same line: `…建设规划方案（征求意见稿）`.
_STATUS_TAIL = re.compile(rf"^(.*?)\s*[（(]\s*({_STATUS_WORDS})\s*[)）]$")
# The document's own 文号 on a line of its own (`省疫情防控〔2020〕15号`, 2020-03 1005); a
# number cited inside a sentence (`(浙政办发(2022)54号)`, Qiantang 12) is another policy's.
_DOC_NUMBER_LINE = re.compile(
    r"^[（(]?\s*([\u4e00-\u9fff]{1,12}\s*[〔\[(（【]\s*\d{4}\s*[〕\])）】]\s*\d{1,4}\s*号)\s*[)）]?$"
)
_DATE_LINE = re.compile(r"^\(?(\d{4})年(\d{1,2})月(\d{1,2})日(?:印发|发布)?\)?$")
_LETTERHEAD = re.compile(r"文\s*件\s*$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_MAX_LINES = 3
_TITLE_LINE_MAX_KEY = 40
_SENTENCE_PUNCT = re.compile(r"[。；;]")

# Places. Provincial-level names are a closed list; below that a 2-character stem and 市/区/县.
_PROVINCES = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|广西|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|台湾|香港|澳门"
)
_PLACE = re.compile(
    rf"(?:{_PROVINCES})(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)|[\u4e00-\u9fff]{{2}}[市区县]"
)
# Places at the very start of a title (`山西省半导体…`, `宁波市镇海区人民政府关于…`).
_TITLE_PLACES = re.compile(rf"^[“\"《]?((?:{_PLACE.pattern})+)")
# How a document names its own territory (`我区拥有…`, Qiantang 25; `立足我省`, Shanxi 46).
_SELF_REFERENCE = re.compile(r"[我本]([省市区县])")
# 区/市/县 words that are kinds of area or market, not places (`核心区`, `高教园区`, `板上市`).
_NOT_PLACE = re.compile(
    r"[园片城地新社范发税贸验聚心载造用同点景厂校辖街山业展功能全本我各该市县]区$"
    r"|[全本我各该上城超股楼车门都区]市$|[全本我各该市区]县$"
)
_SELF_PLACE_MIN_MENTIONS = 3


# --- internal records -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Numbering:
    """The numbering at the start of a heading line, as found."""

    style: str  # one of _STYLE_ORDER, "attachment" or "unnumbered"
    value: int | None  # 3 for 三、/（三）/3./③; None for 前言 and an unnumbered 附件
    number: str  # as printed, e.g. "（三）", "1.", "附件1"; "" for 前言
    rest: str  # the line after the numbering, e.g. "产业现状"
    gap: str  # the spacing printed between numbering and text (`1. 区位优势明显`: " ")


@dataclass(frozen=True, slots=True)
class _Heading:
    """An outline heading with what its display blocks need."""

    line: int
    level: int
    style: str
    value: int | None
    number: str
    text: str  # OutlineEntry.text
    head: str  # heading block text: numbering + heading as printed (run-in: up to its stop)
    tail: str  # run-in: the rest of the line, shown as a paragraph; "" otherwise


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    first: int  # raw line of the tab-prefixed line
    last: int  # raw line of its last wrapped continuation
    after_blank: bool  # a blank line comes right before it


@dataclass(frozen=True, slots=True)
class _Table:
    table: DocTable
    caption_lines: tuple[int, ...]
    problems: tuple[tuple[int, str, str], ...]  # (line, message, fix)


@dataclass(frozen=True, slots=True)
class _Masthead:
    title: str
    status: str | None
    doc_number: str | None
    issuer: str | None  # from a `…文件` letterhead
    year: int | None  # from a printed date
    lines: frozenset[int]


# --- public API -------------------------------------------------------------------------------


def parse_document(raw: RawFile) -> Document:
    """The document in `raw`: masthead facts, outline, tables, display blocks, ledger, problems.

    `id` is the file stem. `title` joins wrapped title lines as printed; `status` comes from a
    `（征求意见稿）`-style line; `doc_number` only from a 文号 standing alone in the masthead;
    `issuer` only when printed: the part of the title before 关于, else a `…文件` letterhead,
    else a signature above the closing date; `region` from a place at the start of the title, in the
    issuer, or the place the body calls 我区/本省…; `year` from the title, else a printed date.
    """
    doc_id = PurePosixPath(raw.path).stem
    masthead = _find_masthead(raw.lines)
    body = [line for line in raw.lines if line.no not in masthead.lines]
    headings = _scan_outline(body)
    tables = _find_tables(body)
    outline = tuple(_entry(h) for h in headings)
    problems: list[Problem] = list(raw.problems)
    if not masthead.title:
        first = next((line.no for line in raw.lines if line.text.strip()), None)
        problems.append(
            Problem(
                raw.path,
                first,
                "document-title-missing",
                "no title was found above the document's first paragraph or heading",
                "put the title on the first lines of the file, before the text",
            )
        )
    problems.extend(check_outline(outline, raw.path))
    problems.extend(
        Problem(raw.path, line, "table-ragged", message, fix)
        for table in tables
        for line, message, fix in table.problems
    )
    issuer = _title_issuer(masthead.title) or masthead.issuer or _signature_issuer(body)
    return Document(
        id=doc_id,
        path=raw.path,
        title=masthead.title,
        status=masthead.status,
        issuer=issuer,
        region=_region(masthead.title, issuer, body),
        year=_title_year(masthead.title) or masthead.year or _signature_year(body),
        doc_number=masthead.doc_number,
        outline=outline,
        tables=tuple(t.table for t in tables),
        blocks=_blocks(body, headings, tables),
        regions=_regions(raw.lines, masthead.lines, doc_id),
        problems=tuple(problems),
        lines=raw.lines,
    )


def parse_outline(lines: Sequence[Line]) -> tuple[OutlineEntry, ...]:
    """The headings among `lines`, in order, each with its level, printed number and text.

    `number` is the numbering as printed (`（三）`, `1．`, `附件1`; "" for 前言-style headings);
    `text` is the heading without its numbering and without Word bookmark artifacts. A run-in
    heading's text stops before its first 。！？ (or an earlier colon); a whole-line heading keeps
    its text, minus one closing 。/；/：. An attachment heading's text is its title
    (`附件1：…表` → `…表`), or its numbering (`附件`) when nothing follows. Tab-prefixed table
    cells are never headings. Works on a document body and on one newsletter article alike.
    """
    return tuple(_entry(h) for h in _scan_outline(lines))


def parse_tables(lines: Sequence[Line]) -> tuple[DocTable, ...]:
    """The tables flattened to one tab-prefixed cell per line, rebuilt into columns and rows.

    A cell's wrapped continuation (an untabbed short line, Shanxi 62 `止年月` under 60 `建设起`)
    is joined to it. With a 序号 column the header is every cell before the first `1`, and a row
    starts at the next serial number; a short row's cells are placed by the shape of each
    column (numbers, year ranges, text length) and the missing cells left empty, never shifted.
    Without a 序号 column, blank lines separate header and rows. The caption is the short line
    (or two) just above; `unit` is a `（万元）`/`单位：万元` printed in the caption or header.
    """
    return tuple(t.table for t in _find_tables(lines))


def check_outline(outline: Sequence[OutlineEntry], path: str) -> tuple[Problem, ...]:
    """Numbering that skips, repeats or goes back, per parent: `outline-gap` warnings.

    Each parent restarts its children at 1 (a new 一、 restarts （一））, or — a house style
    seen in the Qiantang plan — continues where the previous parent's children stopped. A
    number printed without its separator (`13切实…`) gets an `outline-separator-missing`.
    """
    problems: list[Problem] = []
    last: dict[int, tuple[str, int, str]] = {}  # level → (style, value, number) under the parent
    carried: dict[int, int] = {}  # level → the last value under the previous parent
    for entry in outline:
        style, value = _numbering_of(entry.number)
        if style == "arabic" and entry.number.isdecimal():
            problems.append(
                Problem(
                    path,
                    entry.line,
                    "outline-separator-missing",
                    f"heading “{entry.number}{entry.text}” prints no separator after its number; "
                    f"it was read as {entry.number}. because the headings before it count up to it",
                    f"write “{entry.number}.” (or “{entry.number}、”) as the headings around it do",
                )
            )
        for deeper in [level for level in last if level > entry.level]:
            carried[deeper] = last.pop(deeper)[1]
        if value is None:  # 前言, or 附件 without a number: nothing to count
            continue
        previous = last.get(entry.level)
        if previous is not None and previous[0] != style:
            previous = None  # 附件1 after 六、: another sequence at the same level
        if previous is None:
            allowed = {1} | ({carried[entry.level] + 1} if entry.level in carried else set())
            if value not in allowed:
                problems.append(_gap_problem(path, entry, style, 1, None))
        elif value != previous[1] + 1:
            problems.append(_gap_problem(path, entry, style, previous[1] + 1, previous[2]))
        last[entry.level] = (style, value, entry.number)
    return tuple(problems)


# --- outline ----------------------------------------------------------------------------------


def _display(text: str) -> str:
    """A line as shown: Word bookmark artifacts removed, surrounding spaces trimmed."""
    return _BOOKMARK.sub("", text).strip()


def _unmarked(text: str) -> str:
    return _MARKUP_SUFFIX.sub("", _MARKUP_PREFIX.sub("", text)).strip()


def _is_cell(text: str) -> bool:
    """A tab-prefixed line holding one table cell (a line with more tabs is a whole row)."""
    return text.startswith("\t") and bool(text.strip()) and "\t" not in text.strip()


def _fold_map(text: str) -> tuple[str, list[int]]:
    """`fold_width(text)` character by character, with the raw index after each folded one."""
    folded: list[str] = []
    ends: list[int] = []
    for i, char in enumerate(text):
        piece = fold_width(char)
        folded.append(piece)
        ends.extend([i + 1] * len(piece))
    return "".join(folded), ends


def _classify(text: str) -> _Numbering | None:
    """The numbering that starts `text` (a display line, markup removed), or None."""
    circled = _CIRCLED.match(text)
    if circled:
        value = int(fold_width(circled[1]))
        return _numbering("circled", value, text, circled.end())
    folded, ends = _fold_map(text)
    for style, pattern in _NUMBER_STYLES:
        match = pattern.match(folded)
        if match:
            value = _number_value(match[1])
            return _numbering(style, value, text, ends[match.end() - 1]) if value else None
    attachment = _ATTACHMENT.match(folded)
    if attachment:
        numbering = _numbering("attachment", None, text, ends[attachment.end() - 1])
        if key_length(numbering.rest) > _TITLE_LINE_MAX_KEY or _SENTENCE_PUNCT.search(
            numbering.rest
        ):
            return None  # `附件材料请于…报送。`: a sentence about attachments, not a heading
        value = _number_value(attachment[2]) if attachment[2] else None
        number = numbering.number.rstrip().rstrip(":：.、").rstrip()
        return _Numbering("attachment", value, number, numbering.rest, numbering.gap)
    if re.sub(r"\s+", "", text) in _UNNUMBERED:
        return _Numbering("unnumbered", None, "", text, "")
    return None


def _numbering(style: str, value: int | None, text: str, end: int) -> _Numbering:
    rest = text[end:]
    return _Numbering(
        style, value, text[:end], rest.lstrip(), rest[: len(rest) - len(rest.lstrip())]
    )


def _numbering_of(number: str) -> tuple[str, int | None]:
    """The style and value of a printed numbering (an OutlineEntry.number)."""
    if not number:
        return "unnumbered", None
    if number.isdecimal():  # printed without a separator
        return "arabic", int(number)
    numbering = _classify(number)
    return (numbering.style, numbering.value) if numbering else ("unnumbered", None)


def _number_value(digits: str) -> int | None:
    folded = fold_width(digits)
    if folded.isdecimal():
        return int(folded)
    try:
        return int(cn2an.cn2an(digits, "strict"))
    except (ValueError, KeyError):
        return None  # `十百、` is no number


def _scan_outline(lines: Sequence[Line]) -> tuple[_Heading, ...]:
    found: list[tuple[Line, _Numbering]] = []
    last_arabic: int | None = None
    for line in lines:
        if not line.text.strip() or _is_cell(line.text):
            continue
        text = _unmarked(_display(line.text))
        numbering = _classify(text)
        if numbering is None and last_arabic is not None:
            numbering = _bare_number(text, last_arabic)
        if numbering is None:
            continue
        if numbering.style == "arabic":
            last_arabic = numbering.value
        found.append((line, numbering))
    used = sorted({n.style for _, n in found if n.style in _STYLE_ORDER}, key=_STYLE_ORDER.index)
    headings = []
    for line, numbering in found:
        text, head, tail = _split_run_in(numbering.rest)
        if numbering.number:
            head = numbering.number + numbering.gap + head
        if numbering.style == "attachment" and not text:
            text = numbering.number
        level = used.index(numbering.style) + 1 if numbering.style in used else 1
        headings.append(
            _Heading(
                line.no, level, numbering.style, numbering.value, numbering.number, text, head, tail
            )
        )
    return tuple(headings)


def _bare_number(text: str, last_arabic: int) -> _Numbering | None:
    match = _BARE_NUMBER.match(fold_width(text))
    if not match or int(match[1]) != last_arabic + 1:
        return None
    return _numbering("arabic", int(match[1]), text, len(match[1]))


def _split_run_in(rest: str) -> tuple[str, str, str]:
    """(outline text, heading part as printed, run-in tail) of the text after a numbering."""
    depth = 0
    for i, char in enumerate(rest):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0 and (char in _STOPS or (char in _COLONS and _is_heading_colon(rest, i))):
            return rest[:i].rstrip(_TRAILING_PUNCT).strip(), rest[: i + 1], rest[i + 1 :].strip()
    return rest.rstrip(_TRAILING_PUNCT).strip(), rest, ""


def _is_heading_colon(text: str, i: int) -> bool:
    """A colon that ends a heading: not the one in `8:30`, nor in `http://`."""
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return not (before.isdigit() and after.isdigit()) and after != "/"


def _entry(heading: _Heading) -> OutlineEntry:
    return OutlineEntry(heading.line, heading.level, heading.text, heading.number)


def _gap_problem(
    path: str, entry: OutlineEntry, style: str, expected: int, previous: str | None
) -> Problem:
    wanted = _render_number(entry.number, style, expected)
    printed = f"{entry.number}{entry.text}"
    if previous is None:
        message = (
            f"heading “{printed}” is the first of its level under its parent heading but is "
            f"numbered {entry.number}; expected {wanted}"
        )
    else:
        message = f"heading “{printed}” follows {previous}; expected {wanted}"
    return Problem(
        path,
        entry.line,
        "outline-gap",
        message,
        "restore the heading(s) the export lost, or correct the numbering",
    )


def _render_number(number: str, style: str, value: int) -> str:
    """`value` printed the way `number` is printed (`（二）` for （三）, `2.` for 3.)."""
    if style == "circled":
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    pattern = rf"[{_CN}]+" if style in ("cn", "cn-paren") else r"[0-9０-９]+"
    current = re.search(pattern, number)
    if not current:
        return str(value)
    numeral = cn2an.an2cn(value) if style in ("cn", "cn-paren") else str(value)
    return number[: current.start()] + numeral + number[current.end() :]


# --- tables -----------------------------------------------------------------------------------

_SERIAL_HEADERS = frozenset({"序号", "序", "编号", "no", "#"})
_CELL_CONTINUATION_MAX_KEY = 20
_CAPTION_MAX_LINES = 2
_MIN_TABLE_CELLS = 3
_UNIT = re.compile(
    r"单位\s*[:：]\s*([^\s）)，,;；]+)|[（(]\s*(万元|亿元|元|千元|百万元|万美元|亿美元|美元|"
    r"万吨|吨|万平方米|平方米|亩|个|家|人|%)\s*[)）]"
)
_INTEGER = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^-?[\d,]+(?:\.\d+)?%?$")
_RANGE = re.compile(r"^\d{4}(?:[.年]\d{1,2}月?)?\s*[-—–~至]\s*\d{4}(?:[.年]\d{1,2}月?)?$")


def _find_tables(lines: Sequence[Line]) -> tuple[_Table, ...]:
    tables = []
    i = 0
    while i < len(lines):
        if not _is_cell(lines[i].text):
            i += 1
            continue
        cells, end = _read_cells(lines, i)
        if len(cells) >= _MIN_TABLE_CELLS:
            tables.append(_build_table(lines, i, cells))
        i = end + 1
    return tuple(tables)


def _read_cells(lines: Sequence[Line], start: int) -> tuple[list[_Cell], int]:
    """The cells of the run starting at `start`, and the index of its last line."""
    cells: list[_Cell] = []
    end = start
    blank_before = False
    for i in range(start, len(lines)):
        text = lines[i].text
        if not text.strip():
            blank_before = True
            continue
        if _is_boilerplate(text):
            continue  # a page number or bookmark between two cells: accounted, not a cell
        if _is_cell(text):
            cells.append(_Cell(text.strip(), lines[i].no, lines[i].no, blank_before))
        elif cells and _is_continuation(lines, i):
            # The header cell `建设起` wrapped, and Word put `止年月` on an untabbed line
            # (Shanxi 60–62): CJK meets CJK, so it joins with no space.
            previous = cells[-1]
            cells[-1] = _Cell(
                join_parts([previous.text, text.strip()]),
                previous.first,
                lines[i].no,
                previous.after_blank,
            )
        else:
            break
        end = i
        blank_before = False
    return cells, end


def _is_continuation(lines: Sequence[Line], i: int) -> bool:
    """An untabbed line inside a table: short, no sentence, and the table goes on after it."""
    text = lines[i].text.strip()
    if key_length(text) > _CELL_CONTINUATION_MAX_KEY or _SENTENCE_PUNCT.search(text):
        return False
    following = next((line for line in lines[i + 1 :] if line.text.strip()), None)
    return following is not None and _is_cell(following.text)


def _build_table(lines: Sequence[Line], start: int, cells: list[_Cell]) -> _Table:
    caption, caption_lines = _caption(lines, start)
    span = Span(cells[0].first, max(cell.last for cell in cells))
    problems: list[tuple[int, str, str]] = []
    serial = match_key(cells[0].text) in _SERIAL_HEADERS
    if serial:
        header, rows = _rows_by_serial(cells)
    else:
        header, rows = _rows_by_blank_lines(cells)
    columns = tuple(cell.text for cell in header)
    label = f"“{caption}”" if caption else f"at line {span.first}"
    if not rows:
        problems.append(
            (
                span.first,
                f"table {label} has no row that fits its {len(columns)} header cells; "
                "every cell was read as a column",
                "start each row with its 序号 (1, 2, …) or separate rows with a blank line",
            )
        )
    fitted = [_fit_row(row, header, rows, serial, label, problems) for row in rows]
    table = DocTable(
        span=span,
        caption=caption,
        columns=columns,
        rows=tuple(fitted),
        unit=_unit(caption, columns),
    )
    return _Table(table, caption_lines, tuple(problems))


def _rows_by_serial(cells: list[_Cell]) -> tuple[list[_Cell], list[list[_Cell]]]:
    """Header = the cells before the first `1`; a row starts at the next serial number.

    When the export separates rows with blank lines (Shanxi 75, 83, …), a serial number only
    starts a row after one, so a 总投资 cell that happens to read `4` cannot split a row.
    """
    first = next((i for i, c in enumerate(cells[1:], 1) if fold_width(c.text) == "1"), None)
    if first is None:
        return cells, []
    header, rows = cells[:first], [[cells[first]]]
    by_blank_lines = cells[first].after_blank
    for cell in cells[first + 1 :]:
        starts = fold_width(cell.text) == str(len(rows) + 1) and len(rows[-1]) > 1
        if starts and (cell.after_blank or not by_blank_lines):
            rows.append([cell])
        else:
            rows[-1].append(cell)
    return header, rows


def _rows_by_blank_lines(cells: list[_Cell]) -> tuple[list[_Cell], list[list[_Cell]]]:
    groups: list[list[_Cell]] = []
    for cell in cells:
        if not groups or cell.after_blank:
            groups.append([])
        groups[-1].append(cell)
    return groups[0], groups[1:]


def _fit_row(
    row: list[_Cell],
    header: list[_Cell],
    rows: list[list[_Cell]],
    serial: bool,
    label: str,
    problems: list[tuple[int, str, str]],
) -> tuple[str, ...]:
    width = len(header)
    texts = [cell.text for cell in row]
    if len(row) == width:
        return tuple(texts)
    name = f"row {texts[0]}" if _INTEGER.match(fold_width(texts[0])) else "a row"
    where = f"{name} of table {label} (line {row[0].first})"
    if len(row) > width:
        problems.append(
            (
                row[0].first,
                f"{where} has {len(row)} cells for {width} columns; "
                "the extra cells are kept at the end of the row",
                "check the row against the original table: a cell may have been split in two",
            )
        )
        return tuple(texts)
    placed = _place_cells(texts, [r for r in rows if len(r) == width], width, serial)
    missing = [header[j].text for j in range(width) if j not in placed]
    problems.append(
        (
            row[0].first,
            f"{where} has {len(row)} cells for {width} columns; "
            f"read as empty: {'、'.join(missing)}",
            "check the row against the original table: merged cells are exported only once",
        )
    )
    fitted = [""] * width
    for text, column in zip(texts, placed, strict=True):
        fitted[column] = text
    return tuple(fitted)


def _shape(text: str) -> str:
    folded = fold_width(text).replace(" ", "")
    if _INTEGER.match(folded):
        return "integer"
    if _NUMBER.match(folded):
        return "number"
    if _RANGE.match(folded):
        return "range"
    return "text"


def _place_cells(
    texts: list[str], full_rows: list[list[_Cell]], width: int, serial: bool
) -> list[int]:
    """The columns of a short row's cells: the monotone placement that best fits each column.

    A column's profile is the shapes and mean length of its cells in the rows that fit; with a
    missing 所在市 cell, `北纬三十八度集成电路制造有限公司` lands under 企业名称, not 所在市.
    """
    shapes = [Counter(_shape(row[j].text) for row in full_rows) for j in range(width)]
    lengths = [
        sum(len(row[j].text) for row in full_rows) / len(full_rows) if full_rows else 0.0
        for j in range(width)
    ]

    def fit(text: str, column: int) -> float:
        total = sum(shapes[column].values())
        shape = shapes[column][_shape(text)] / total if total else 0.0
        size = min(len(text), lengths[column]) / max(len(text), lengths[column], 1)
        return shape + 0.5 * size

    # best[i][j]: the best score placing texts[:i] into columns[:j]
    count = len(texts)
    best = [[float("-inf")] * (width + 1) for _ in range(count + 1)]
    choice = [[False] * (width + 1) for _ in range(count + 1)]
    for j in range(width + 1):
        best[0][j] = 0.0
    for i in range(1, count + 1):
        for j in range(i, width + 1):
            skip = best[i][j - 1]
            take = best[i - 1][j - 1] + fit(texts[i - 1], j - 1)
            if serial and i == 1 and j > 1:
                take = float("-inf")  # the serial number that started the row stays under 序号
            best[i][j], choice[i][j] = (take, True) if take >= skip else (skip, False)
    placed: list[int] = []
    i, j = count, width
    while i > 0:
        if choice[i][j]:
            placed.append(j - 1)
            i -= 1
        j -= 1
    return placed[::-1]


def _caption(lines: Sequence[Line], start: int) -> tuple[str, tuple[int, ...]]:
    """The short line(s) right above a table, unless they are a heading or a sentence."""
    taken: list[Line] = []
    i = start - 1
    while i >= 0 and len(taken) < _CAPTION_MAX_LINES:
        text = _display(lines[i].text)
        if not text:
            if taken:
                break
            i -= 1
            continue
        numbering = _classify(_unmarked(text))
        if numbering is not None:
            if numbering.style == "attachment" and numbering.rest and not taken:
                return numbering.rest, ()  # `附件1：…项目表`: the heading carries the caption
            break
        if (
            _is_cell(lines[i].text)
            or key_length(text) > _TITLE_LINE_MAX_KEY
            or _SENTENCE_PUNCT.search(text)
            or _PAGE_NUMBER.match(text)
        ):
            break
        taken.append(lines[i])
        i -= 1
    taken.reverse()
    return join_parts([_display(line.text) for line in taken]), tuple(line.no for line in taken)


def _unit(caption: str, columns: Sequence[str]) -> str | None:
    found = _UNIT.search(caption)
    if found:
        return found[1] or found[2]
    units = {m[1] or m[2] for column in columns if (m := _UNIT.search(column))}
    return units.pop() if len(units) == 1 else None


# --- masthead and facts -----------------------------------------------------------------------


def _find_masthead(lines: Sequence[Line]) -> _Masthead:
    """Letterhead, 文号, title lines, status and date above the first paragraph or heading."""
    title: list[str] = []
    taken: set[int] = set()
    status = doc_number = issuer = None
    year = None
    closed = False  # a status or date line ends the title
    for line in lines:
        text = _display(line.text)
        if not text:
            continue
        folded = re.sub(r"\s+", "", fold_width(text))
        if match := _STATUS_LINE.match(text):
            status, closed = match[1], True
        elif match := _DOC_NUMBER_LINE.match(text):
            doc_number = match[1]
        elif match := _DATE_LINE.match(folded):
            year, closed = int(match[1]), True
        elif (
            _LETTERHEAD.search(text)
            and "关于" not in text
            and key_length(text) <= _CELL_CONTINUATION_MAX_KEY
        ):
            issuer = _unspaced(_LETTERHEAD.sub("", text).strip())
        elif _is_title_line(line.text) and not closed and len(title) < _TITLE_MAX_LINES:
            shown = _unmarked(text)  # `# 标题`: markdown markers are no title text
            if match := _STATUS_TAIL.match(shown):
                title.append(match[1])
                status, closed = match[2], True
            else:
                title.append(shown)
        else:
            break
        taken.add(line.no)
    return _Masthead(join_parts(title), status, doc_number, issuer or None, year, frozenset(taken))


def _is_title_line(text: str) -> bool:
    shown = _display(text)
    return (
        not _is_cell(text)
        and key_length(shown) <= _TITLE_LINE_MAX_KEY
        and not _SENTENCE_PUNCT.search(shown)
        and not shown.endswith(("：", ":"))  # `各省、自治区：`, the addressees under a title
        and not _PAGE_NUMBER.match(shown)
        and _classify(_unmarked(shown)) is None
    )


def _unspaced(text: str) -> str:
    """`财 政 部` → `财政部`: letter-spacing in a letterhead is typography, not words."""
    return re.sub(r"\s+", "", text) if re.fullmatch(r"(?:\S\s+)+\S", text) else text


def _title_year(title: str) -> int | None:
    match = _YEAR.search(fold_width(title))
    return int(match[1]) if match else None


def _title_issuer(title: str) -> str | None:
    """`中共浙江省委 浙江省人民政府 关于…的若干意见` → the organs before 关于."""
    before, found, _ = title.partition("关于")
    issuer = before.strip()
    return issuer if found and issuer and key_length(issuer) <= _TITLE_LINE_MAX_KEY else None


def _signature(body: Sequence[Line]) -> tuple[list[str], int | None]:
    """The signing organ's lines above a closing date (2020-03 1127–1129), and the year."""
    tail = [_display(line.text) for line in body if _display(line.text)][-3:]
    if not tail:
        return [], None
    date = _DATE_LINE.match(re.sub(r"\s+", "", fold_width(tail[-1])))
    if not date:
        return [], None
    organ = []
    for text in reversed(tail[:-1]):
        if re.search(r"[。，；：,;:]", text) or _classify(_unmarked(text)) or len(text) > 30:
            break
        organ.insert(0, text)
    return organ, int(date[1])


def _signature_issuer(body: Sequence[Line]) -> str | None:
    organ, _ = _signature(body)
    return join_parts(organ) or None


def _signature_year(body: Sequence[Line]) -> int | None:
    return _signature(body)[1]


def _region(title: str, issuer: str | None, body: Sequence[Line]) -> str | None:
    """The place a document is about: from its title, its issuer, or how it names itself."""
    if match := _TITLE_PLACES.match(title):
        places = [p for p in _PLACE.findall(match[1]) if not _NOT_PLACE.search(p)]
        if places:
            return places[-1]  # `宁波市镇海区…`: the most specific place
    if issuer:
        places = [m[0] for m in _PLACE.finditer(issuer) if not _NOT_PLACE.search(m[0])]
        if places:
            return places[-1]  # `宁波市镇海区人民政府`: the most specific place
    text = "\n".join(_display(line.text) for line in body)
    levels = Counter(_SELF_REFERENCE.findall(text))
    if not levels:
        return None
    level = levels.most_common(1)[0][0]
    names = Counter(
        m[0] for m in _PLACE.finditer(text) if m[0].endswith(level) and not _NOT_PLACE.search(m[0])
    )
    ranked = names.most_common(2)
    if not ranked or ranked[0][1] < _SELF_PLACE_MIN_MENTIONS:
        return None
    if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
        return None  # two places named as often: do not guess
    return ranked[0][0]


# --- display blocks and the ledger ------------------------------------------------------------


def _is_boilerplate(text: str) -> str | None:
    """What a body line is when it is no text: "书签" (only bookmarks) or "页码"."""
    if text.strip() and not _display(text):
        return "书签"
    if not text.startswith("\t") and _PAGE_NUMBER.match(fold_width(text)):
        return "页码"
    return None


def _blocks(
    body: Sequence[Line], headings: Sequence[_Heading], tables: Sequence[_Table]
) -> tuple[Block, ...]:
    by_line = {h.line: h for h in headings}
    table_at = {t.table.span.first: t.table for t in tables}
    in_table = {no for t in tables for no in range(t.table.span.first, t.table.span.last + 1)}
    caption_first = {t.caption_lines[0]: t.caption_lines for t in tables if t.caption_lines}
    in_caption = {no for t in tables for no in t.caption_lines}
    by_no = {line.no: line for line in body}
    blocks: list[Block] = []
    for line in body:
        if not line.text.strip():
            continue
        if line.no in table_at:
            table = table_at[line.no]
            blocks.append(Block("table", table.span, rows=(table.columns, *table.rows)))
        elif line.no in caption_first:
            numbers = caption_first[line.no]
            text = join_parts(_display(by_no[no].text) for no in numbers)
            blocks.append(Block("caption", Span(numbers[0], numbers[-1]), text))
        elif line.no in in_table or line.no in in_caption or _is_boilerplate(line.text):
            continue
        elif line.no in by_line:
            heading = by_line[line.no]
            span = Span(line.no, line.no)
            blocks.append(Block("heading", span, heading.head))
            if heading.tail:
                blocks.append(Block("paragraph", span, heading.tail))
        else:
            blocks.append(Block("paragraph", Span(line.no, line.no), _display(line.text)))
    return tuple(blocks)


def _regions(lines: Sequence[Line], masthead: frozenset[int], doc_id: str) -> tuple[Region, ...]:
    """Every non-blank line in one region: masthead, body ("article") or boilerplate."""
    runs: list[tuple[Accounting, str, int, int]] = []
    for line in lines:
        if not line.text.strip():
            continue
        kind: Accounting
        if line.no in masthead:
            kind, label = "masthead", "题名"
        elif what := _is_boilerplate(line.text):
            kind, label = "boilerplate", what
        else:
            kind, label = "article", doc_id
        if runs and runs[-1][:2] == (kind, label):
            runs[-1] = (kind, label, runs[-1][2], line.no)
        else:
            runs.append((kind, label, line.no, line.no))
    return tuple(Region(kind, Span(first, last), label) for kind, label, first, last in runs)
