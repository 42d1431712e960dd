"""An article's body lines → display blocks: paragraphs, sub-headings, lists, tables, captions.

In: the raw lines of one article after its heading, blank lines included, as exported from PDF
or Word. Out: `Block`s in reading order; their spans never overlap, and every non-blank line
lies inside exactly one of them. Also `find_sources`, the printed 来源 of the article.

What is shown stays the printed characters. This stage decides only
- the whitespace between pieces it puts together: a sentence that a page break split over two
  paragraphs is rejoined with no space when a CJK character is on either side, with one space
  when Latin or digits meet Latin or digits; lines printed one under the other with no blank
  line between them (poster text, signatures, two-line captions) keep a "\n" between them;
  table cells lose the tabs around them;
- the removal of markup that is not text: `#` of Markdown headings, `**` pairs, HTML tags such
  as `<b>` or `<sup>`, Markdown backslash escapes (`InFO\\_SoW` → `InFO_SoW`), list bullets
  (`- `, `· `, `•`, `●`). Printed numbering (`1、`, `2.`, `①`) stays in the list item.

The export has no layout left, so the shape of a line and of its neighbours is all there is to
go on; the rules below are tuned on the sample issues and prefer leaving two paragraphs apart to
gluing a sub-heading onto the text under it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from generator.model import Block, Line, Source, Span

# --- sources -------------------------------------------------------------------------------

# A photo credit "（图片来源：…）" is no source: 来源 must follow the bracket.
_SOURCE = re.compile(r"[（(]\s*来源\s*[:：]\s*([^）)]+)[）)]")
_SOURCE_LINE = re.compile(r"^\s*[（(]\s*来源\s*[:：]\s*([^）)]+)[）)]\s*$")
# `来源：滨江发布` printed alone without brackets. 2025-07 line 2293 `来源：2024年财报 半导体产业
# 纵横整理` is the same shape under a table in mid-article: only at the article's end is it one.
_BARE_SOURCE = re.compile(r"^\s*来源\s*[:：]\s*([^（）()]+?)\s*$")
_SOURCE_NAMES = re.compile(r"[、，,；;]")


def _names_a_picture(printed: str) -> bool:
    # `（来源：网络公开图）` under a photo (2020-03 line 291) credits the picture: a 来源
    # whose name ends in 图/图片 is an image credit, not the article's source.
    return printed.strip().endswith(("图", "图片"))


def _trailing_bare_sources(lines: Sequence[Line]) -> set[int]:
    """Raw lines of `来源：X` printed bare in the article's closing run of source lines."""
    found: set[int] = set()
    for line in reversed(lines):
        if not line.text.strip():
            continue
        bare = _BARE_SOURCE.match(line.text)
        if bare and not _names_a_picture(bare[1]):
            found.add(line.no)
        elif not _SOURCE_LINE.match(line.text):
            break
    return found


def _printed_sources(line: Line, bare: set[int]) -> list[str]:
    """What follows `来源：` on the line, once per 来源 it prints."""
    if line.no in bare:
        return [_BARE_SOURCE.sub(r"\1", line.text)]
    return [m[1] for m in _SOURCE.finditer(line.text) if not _names_a_picture(m[1])]


def find_sources(lines: Sequence[Line]) -> tuple[Source, ...]:
    """The sources an article prints, in reading order, each with its raw line number."""
    bare = _trailing_bare_sources(lines)
    return tuple(
        Source(name=name.strip(), line=line.no)
        for line in lines
        if "来源" in line.text  # every source pattern prints the word; most lines lack it
        for printed in _printed_sources(line, bare)
        for name in _SOURCE_NAMES.split(printed)
        if name.strip()
    )


# --- what a single line is -----------------------------------------------------------------

LineKind = Literal[
    "blank", "row", "cell", "heading", "bold-open", "item", "source", "caption", "text"
]

_ONE_CELL = re.compile(r"\t[^\t]*\S[^\t]*")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?=\S)(.*)$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*(.+)\*\*|<(b|strong)>(.+)</\2>)\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]\s+|[·•●▪◦]\s*)(?=\S)")
# Printed numbering: `1、`, `2.`, `3．`, `①`; not `16.9%` nor `2.5D` (a digit follows the dot).
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[、.．](?!\d)|[①-⑳])\s*\S")
# Figure captions and credits: `△ 授课现场`, `▲…`, `图1 …`, `图 2 …`, `图：…`, `（图 …）`,
# `表、…`, `附表1 …`, `Fig. 1. …`, and credits that are not the article's source: `（图片来源：
# 滨江发布）`, `资料来源：WSTS`, `(信息来源：集微网)`, `Source: SEMI …`.
_CAPTION = re.compile(
    r"^\s*(?:[△▲]\s*\S"
    r"|[（(]?\s*图(?:\s*\d|\s*[：:]|\s)"
    r"|附?表\s*\d|表\s*[、：:]"
    r"|(?:Fig\.|Figure)\s*\d"
    r"|[（(]?\s*(?:图片|资料|数据|信息|图表)?来源\s*[:：]"
    r"|[（(]?\s*Source\s*:)",
)
_CAPTION_MAX = 80  # `▲ …` longer than this is running text with a bullet, not a caption


def _classify(text: str) -> LineKind:
    """What one raw line is, on its own."""
    if not text.strip():
        return "blank"
    if "\t" in text.strip("\n"):
        # One leading tab and no other: a table flattened to one cell per line (documents).
        # `\t截至12月31日止年度\t\t\t\t\t` (2025-07 line 648) is a row: trailing tabs count.
        return "cell" if _ONE_CELL.fullmatch(text.rstrip(" \u3000\r")) else "row"
    if _MD_HEADING.match(text) or _BOLD_LINE.match(text):
        return "heading"
    stripped = text.strip()
    if stripped.startswith("**") and "**" not in stripped[2:]:
        return "bold-open"
    if _BULLET.match(text) or _NUMBERED.match(text):
        return "item"
    if _SOURCE_LINE.match(text):
        return "caption" if _names_a_picture(_SOURCE_LINE.sub(r"\1", text)) else "source"
    if _CAPTION.match(text) and len(stripped) <= _CAPTION_MAX:
        return "caption"
    return "text"


# --- markup and joining --------------------------------------------------------------------

_HTML_TAG = re.compile(r"</?(?:b|strong|i|em|u|sup|sub|p|br|span|font)(?:\s[^<>]*)?/?>", re.I)
_BOLD_PAIR = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def _unmark(text: str) -> str:
    """Printed text without the export's markup: `**…**`, HTML tags, Markdown escapes."""
    # Most lines carry no markup at all; the substitutions cost more than these looks.
    if "<" in text:
        text = _HTML_TAG.sub("", text)
    if "**" in text:
        text = _BOLD_PAIR.sub(r"\1", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text.strip()


def _heading_text(text: str) -> str:
    """`### **(04)EDA 出口管制解除**` → `(04)EDA 出口管制解除`."""
    heading = _MD_HEADING.match(text)
    return _unmark(heading[1] if heading else text)


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def join_parts(parts: Iterable[str]) -> str:
    """Pieces of one text broken over lines (a title, a table cell), joined as printed."""
    joined = ""
    for part in parts:
        joined = join_text(joined, part)
    return joined


def join_text(left: str, right: str) -> str:
    """Two pieces of one sentence that a page break or a wrapped line split apart."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    # `…“InFO (Integrated` + `Fan-Out)”…` (2025-07 line 1646): Latin meets Latin, one space.
    if (_is_latin(a) or a in ",.;:!?%)") and (_is_latin(b) or b == "("):
        return f"{left} {right}"
    # `…将重点放在技术创` + `新和丰富产品体系中…`: CJK on either side, no space.
    return left + right


def _wider_than(text: str, limit: int) -> bool:
    """Whether the display width of `text` exceeds `limit`; a CJK character counts two.

    Each character counts one or two, so only a line between `limit / 2` and `limit`
    characters long needs counting: a paragraph is wider than any limit by its length alone.
    """
    if len(text) > limit:
        return True
    if 2 * len(text) <= limit:
        return False
    return sum(map(_CHAR_WIDTHS.__getitem__, text)) > limit


class _CharWidths(dict[str, int]):
    """Character → display width, each looked up in the Unicode tables once."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STOP = frozenset("。！？!?；;…．.")  # a sentence certainly ends here
_LEAD_IN = frozenset("：:")  # `公司简介：`, `如下：` end a line but lead into what follows
_CLAUSE = frozenset("，,、")
_CLOSE_QUOTES = "”’」』\"'"
_CLOSE_BRACKETS = frozenset("）)】]〕>")  # `>` closes an autolink `<https://…>`
# Words a Chinese title never ends with: a line ending in one was cut mid-sentence, e.g.
# `红外无接触式测温仪具备高安全性和测温快速的优势，通过` (2020-03 line 321) and
# `这也意味着，目前国内在` (2020-03 line 577).
_DANGLING = (
    "通过", "包括", "根据", "按照", "随着", "作为", "经过", "称之为",
    "的", "在", "对", "为", "和", "与", "及", "或", "将", "把", "被", "从", "由", "向", "以",
    "于", "并", "而", "且", "是", "让", "使", "给", "跟", "若", "因", "但",
)  # fmt: skip
# `一、总体要求`, `（二）主要目标`, `第三章 …`: outline numbering makes a short line a heading.
_OUTLINE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]"
    r"|第[一二三四五六七八九十百零]+[章节部分篇])"
)
# What only starts a paragraph, never carries on a broken one: `六、集成电路企业应…` under the
# formula `… ÷ 当期全部销售额` (2023-08 lines 870-872), `——打造战略科技力量…`, `第三条 …`.
_NEW_PARAGRAPH = re.compile(
    _OUTLINE.pattern + r"|^\s*(?:——|第[一二三四五六七八九十百零]+条|[（(]\s*\d{1,2}\s*[）)])"
)
_PARENTHETICAL = re.compile(r"^\s*[（(].*[）)]\s*$")
# Contact lines, e-mails, document numbers (`省疫情防控〔2020〕15号`), dates
# (`时间：2025年7月16日`).
_NOT_A_TITLE = re.compile(r"@|://|www\.|〔\d{4}〕\d*号|\d\s*[年月日号]\s*$", re.I)
# `省科技厅 省经信厅 省教育厅 …`, `首页 通知公告 职称评审 …`: words set apart by spaces are a
# list of names or a menu, not running text (which spaces only around Latin and digits).
_SPACED_WORDS = re.compile(r"[\u4e00-\u9fff]\s+(?=[\u4e00-\u9fff])")
_COLON = re.compile("[:：]")
# 30 CJK characters: `战略思考：建立内循环，引导双循环，重塑国际集成电路循环体系` is 58.
_HEADING_WIDTH = 60
# `IC独角兽企业如何崛起?` is a heading; `至于 EDA 如何占据如此重要的地位？` is a sentence.
_QUESTION_WIDTH = 32
_FULL_LINE = 60  # wider than any heading: a line of running text


def _ends_sentence(text: str) -> bool:
    """Whether the line ends a sentence (or a lead-in such as `如下：`)."""
    text = text.rstrip().rstrip("*").rstrip()
    if text and text[-1] in _CLOSE_BRACKETS:
        # `…。（责任单位：省财政厅）`, `(来源：…)`: a closing parenthetical closes the paragraph.
        return True
    text = text.rstrip(_CLOSE_QUOTES)
    return bool(text) and (text[-1] in _STOP or text[-1] in _LEAD_IN)


def _running_text(text: str) -> bool:
    """Whether a line reads as prose: it has Chinese and no words set apart by spaces."""
    return bool(_CJK.search(text)) and len(_SPACED_WORDS.findall(text)) < 2


def _dangles(text: str) -> bool:
    return text.rstrip().endswith(_DANGLING)


def _heading_shape(text: str) -> bool:
    """A line that could be a sub-heading: short, a title's ending, no running-text marks."""
    text = text.strip()
    # Sub-headings in these articles are Chinese; a short Latin line is a figure label or the
    # masthead of a screenshot (`Cerebras`, `1 MIN READ`, 2020-03 line 873).
    if not text or _wider_than(text, _HEADING_WIDTH) or not _CJK.search(text):
        return False
    if text[-1] in "？！?!":
        return not _wider_than(text, _QUESTION_WIDTH)
    if _ends_sentence(text) or text[-1] in _CLAUSE or text[-1].isdigit() or _dangles(text):
        return False
    # `发布日期: 2023-08-11 15:12 访问次数: 376 信息来源: 省财政厅`: a line of fields.
    return not _NOT_A_TITLE.search(text) and len(_COLON.findall(text)) <= 1


def _outline_heading(text: str) -> bool:
    text = text.strip()
    return (
        bool(_OUTLINE.match(text))
        and not _wider_than(text, _HEADING_WIDTH)
        and text[-1] not in "。；;"
    )


# --- units: what the lines make before sub-headings and page breaks are decided -------------

UnitKind = Literal["text", "heading", "list", "table", "caption", "source"]


@dataclass(frozen=True, slots=True)
class _Unit:
    kind: UnitKind
    first: int  # raw line numbers
    last: int
    lines: tuple[str, ...] = ()  # text: the printed lines, stripped; others: display text
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def tail(self) -> str:
        """The last printed line (or list item): where a page break would have cut."""
        return self.items[-1] if self.kind == "list" else self.lines[-1]


def _cells(text: str) -> list[str]:
    return [_unmark(cell) for cell in text.rstrip("\n").split("\t")]


def _next_non_blank(kinds: Sequence[LineKind], start: int) -> int | None:
    return next((j for j in range(start, len(kinds)) if kinds[j] != "blank"), None)


def _row_run(
    lines: Sequence[Line], kinds: Sequence[LineKind], start: int
) -> tuple[int, list[_Unit]]:
    """Tab-separated rows from `start`: a table, with title lines above it kept apart."""
    rows: list[tuple[int, list[str]]] = [(lines[start].no, _cells(lines[start].text))]
    end = start + 1
    while True:
        nxt = _next_non_blank(kinds, end)
        if nxt is None or kinds[nxt] != "row":
            break
        cells = _cells(lines[nxt].text)
        # Blank lines may fall inside a table (2020-03 line 643); a repeated header after them
        # starts the next table (2025-07 lines 754 and 763).
        if nxt > end and cells == rows[0][1]:
            break
        rows.append((lines[nxt].no, cells))
        end = nxt + 1
    # `职业技能等级证书信息管理服务平台\t\t\t` (2020-03 line 221): a screenshot's title lines
    # above the table, text in the first cell only.
    titles: list[tuple[int, list[str]]] = []
    while len(rows) > 1 and sum(1 for c in rows[0][1] if c) <= 1 and rows[0][1][0]:
        titles.append(rows.pop(0))
    units: list[_Unit] = []
    if titles:
        units.append(_Unit("text", titles[0][0], titles[-1][0], tuple(t[1][0] for t in titles)))
    widths = [len(cells) - _trailing_empty(cells) for _, cells in rows]
    columns = max(widths)
    if len(rows) >= 2 and columns >= 2:
        table = tuple(tuple((cells + [""] * columns)[:columns]) for _, cells in rows)
        units.append(_Unit("table", rows[0][0], rows[-1][0], rows=table))
    else:
        # One row is no table: its cells as a line of text.
        text = tuple(" ".join(c for c in cells if c) for _, cells in rows)
        units.append(_Unit("text", rows[0][0], rows[-1][0], text))
    return end, units


def _trailing_empty(cells: Sequence[str]) -> int:
    count = 0
    for cell in reversed(cells):
        if cell:
            break
        count += 1
    return count


def _cell_run(lines: Sequence[Line], kinds: Sequence[LineKind], start: int) -> tuple[int, _Unit]:
    """One cell per tab-prefixed line, rows apart by blank lines (the Shanxi plan's appendix).

    A cell that wraps goes on in a line without the tab: `\\t建设起`, blank, `止年月`.
    """
    rows: list[list[str]] = []
    first = last = lines[start].no
    i = start
    while i < len(lines):
        kind = kinds[i]
        if kind == "cell":
            if not rows or kinds[i - 1] == "blank":
                rows.append([])
            rows[-1].append(_unmark(lines[i].text))
        elif kind == "text" and rows and rows[-1]:
            nxt = _next_non_blank(kinds, i + 1)
            if nxt is None or kinds[nxt] != "cell":
                break
            rows[-1][-1] = join_text(rows[-1][-1], lines[i].text.strip())
        elif kind != "blank":
            break
        if kind != "blank":
            last = lines[i].no
        i += 1
    while i > start and kinds[i - 1] == "blank":
        i -= 1
    end = i
    width = len(rows[0])
    if len(rows) >= 2 and width >= 2 and all(len(row) == width for row in rows):
        return end, _Unit("table", first, last, rows=tuple(tuple(row) for row in rows))
    # Rows of different lengths: a grid would put cells under the wrong header. A list of rows
    # keeps every cell in order instead.
    items = tuple(" ".join(row) for row in rows)
    if len(items) == 1 and len(rows[0]) == 1:
        return end, _Unit("text", first, last, items)
    return end, _Unit("list", first, last, items=items)


def _item_text(text: str) -> str:
    bullet = _BULLET.match(text)
    return _unmark(text[bullet.end() :] if bullet else text)


def _units(lines: Sequence[Line]) -> list[_Unit]:
    """Lines grouped by what they are, before sub-headings and page breaks are decided."""
    kinds: list[LineKind] = [_classify(line.text) for line in lines]
    units: list[_Unit] = []
    i = 0
    while i < len(lines):
        kind, line = kinds[i], lines[i]
        if kind == "blank":
            i += 1
        elif kind == "row":
            i, found = _row_run(lines, kinds, i)
            units.extend(found)
        elif kind == "cell":
            i, unit = _cell_run(lines, kinds, i)
            units.append(unit)
        elif kind == "heading":
            units.append(_heading_unit(line.no, line.no, (line.text,)))
            i += 1
        elif kind == "bold-open" and (close := _bold_close(lines, kinds, i)) is not None:
            # `**“1+X”集成电路开发与测试` / `职业技能等级证书正式发布！**` (2020-03 line 210).
            texts = tuple(lines[j].text for j in range(i, close + 1))
            units.append(_heading_unit(line.no, lines[close].no, texts))
            i = close + 1
        elif kind == "item":
            items: list[str] = []
            first = line.no
            while i < len(lines) and kinds[i] == "item":
                items.append(_item_text(lines[i].text))
                last = lines[i].no
                nxt = _next_non_blank(kinds, i + 1)
                i = nxt if nxt is not None and kinds[nxt] == "item" else i + 1
            if len(items) == 1 and not _BULLET.match(line.text) and _heading_shape(items[0]):
                # `04. 小米、宁德时代、国家大基金二期均持股` (2025-07 line 845): a numbered
                # section heading whose `###` the export lost, not a list of one.
                units.append(_Unit("text", first, last, (items[0],)))
            else:
                units.append(_Unit("list", first, last, items=tuple(items)))
        elif kind == "source":
            units.append(_Unit("source", line.no, line.no, (_unmark(line.text),)))
            i += 1
        else:
            # Running text, or a caption with the lines printed right under it.
            start = i
            i += 1
            while i < len(lines) and kinds[i] in ("text", "bold-open"):
                i += 1
            texts = tuple(_unmark(lines[j].text) for j in range(start, i))
            unit_kind: UnitKind = "caption" if kind == "caption" else "text"
            units.append(_Unit(unit_kind, line.no, lines[i - 1].no, texts))
    return units


def _bold_close(lines: Sequence[Line], kinds: Sequence[LineKind], start: int) -> int | None:
    """The line that closes a `**` opened at `start`, printed right under it (up to 3 lines)."""
    for j in range(start + 1, min(start + 4, len(lines))):
        if kinds[j] == "blank":
            return None
        if lines[j].text.rstrip().endswith("**"):
            return j
    return None


def _heading_unit(first: int, last: int, texts: tuple[str, ...]) -> _Unit:
    text = _heading_text(texts[0])
    for more in texts[1:]:
        text = join_text(text, _heading_text(more))
    text = _unmark(text)
    if not text:
        # `<b> </b>`: markup around nothing; keep what was printed rather than an empty heading.
        return _Unit("text", first, last, tuple(t.strip() for t in texts))
    if not _MD_HEADING.match(texts[0]) and text.rstrip(_CLOSE_QUOTES).endswith("。"):
        # `**从 3 万亿美元市值增至 4 万亿美元市值，英伟达用了 13 个月。**` (2025-07 line
        # 1585) is a sentence set in bold, not a heading.
        return _Unit("text", first, last, (text,))
    return _Unit("heading", first, last, (text,))


# --- page breaks and sub-headings ----------------------------------------------------------


def _breaks_off(unit: _Unit) -> bool:
    """Whether the unit's last line stops mid-sentence, as at the foot of a page."""
    if unit.kind not in ("text", "list"):
        return False
    tail = unit.tail
    if _ends_sentence(tail) or _heading_shape(tail):
        return False
    # A full-width line of running text without a full stop (`…由产业牵头`, 2023-08 line 242),
    # or any line ending in a word that needs more (`…目前国内在`).
    return _running_text(tail) and (_wider_than(tail, _FULL_LINE) or _dangles(tail))


def _paragraph_like(unit: _Unit) -> bool:
    """Running text that can carry on a broken sentence: a full line, or one ending a sentence.

    Not a heading-shaped line, a caption or a chart title (`Benchmark MCM vs. InFO_SoW` under
    `…技术，称之为`, 2025-07 line 1754).
    """
    if unit.kind != "text" or _NEW_PARAGRAPH.match(unit.lines[0]):
        return False
    if _PARENTHETICAL.match(unit.lines[0]):
        # `（三方通过视频连线签署…合作协议）` between the halves of a sentence is the caption of
        # a photo the page break fell on (2020-03 line 257), not the second half.
        return False
    if len(unit.lines) == 1 and _heading_shape(unit.lines[0]):
        return False
    if not _running_text(unit.lines[0]):
        return False
    tail = unit.lines[-1].rstrip(_CLOSE_QUOTES)
    return _wider_than(unit.lines[0], _FULL_LINE) or (bool(tail) and tail[-1] in _STOP)


def _rejoin(units: list[_Unit]) -> list[_Unit]:
    """Paragraphs (and list items) a page break split, put back together."""
    joined: list[_Unit] = []
    for unit in units:
        if joined and joined[-1].kind == unit.kind == "list":
            # `2. 加强协同联动…` went on over a page break, and `3. 压实主体责任…` follows
            # (2025-07 lines 1872-1876): one list.
            items = joined[-1].items + unit.items
            joined[-1] = replace(joined[-1], last=unit.last, items=items)
            continue
        if joined and _breaks_off(joined[-1]) and _paragraph_like(unit):
            before = joined[-1]
            text = "\n".join(unit.lines)
            if before.kind == "list":
                items = (*before.items[:-1], join_text(before.items[-1], text))
                joined[-1] = replace(before, last=unit.last, items=items)
            else:
                # The broken line and its continuation become one printed line.
                merged = (*before.lines[:-1], join_text(before.lines[-1], unit.lines[0]))
                joined[-1] = replace(before, last=unit.last, lines=merged + unit.lines[1:])
            continue
        joined.append(unit)
    return joined


def _decide_headings(units: list[_Unit]) -> list[_Unit]:
    """Short title-like lines that introduce text become sub-headings.

    A run of at most two of them (`我国集成电路产业规模持续增长，供给能力显著提升` over
    `逆势突围，全年实现较快增长`, 2025-07 lines 277-281) heads what follows when that is running
    text, a list or a table. Longer runs are poster text or a screenshot; a line before a
    caption, a source or nothing at all is a figure label or a signature.
    """
    decided = list(units)
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind == "text" and len(unit.lines) == 1 and _outline_heading(unit.lines[0]):
            decided[i] = replace(unit, kind="heading")
            i += 1
            continue
        end = i
        while end < len(units) and _candidate(units[end]):
            end += 1
        if end == i:
            i += 1
            continue
        after = units[end] if end < len(units) else None
        introduces = after is not None and (
            after.kind in ("list", "table") or _paragraph_like(after)
        )
        if introduces and end - i <= 2:
            for j in range(i, end):
                decided[j] = replace(units[j], kind="heading")
        i = end
    return decided


def _candidate(unit: _Unit) -> bool:
    return (
        unit.kind == "text"
        and len(unit.lines) == 1
        and _heading_shape(unit.lines[0])
        and not _outline_heading(unit.lines[0])
    )


def _block(unit: _Unit) -> Block:
    span = Span(unit.first, unit.last)
    if unit.kind == "text":
        return Block("paragraph", span, "\n".join(unit.lines))
    if unit.kind == "list":
        return Block("list", span, items=unit.items)
    if unit.kind == "table":
        return Block("table", span, rows=unit.rows)
    return Block(unit.kind, span, "\n".join(unit.lines))


def parse_blocks(lines: Sequence[Line]) -> tuple[Block, ...]:
    """The display blocks of an article's body, in reading order.

    `lines` are the raw lines after the article's heading, blank ones included. Paragraph,
    heading, caption and source texts are the printed characters with the export's markup
    removed (see the module docstring); list items lose their bullets; a table's first row is
    its header. A bare `来源：X` counts as a source only in the article's closing lines, like
    `find_sources`; elsewhere it is a data credit and becomes a caption.
    """
    bare = _trailing_bare_sources(lines)
    units = _units(lines)
    units = [
        replace(u, kind="source") if u.kind == "caption" and u.first in bare else u for u in units
    ]
    units = _decide_headings(_rejoin(units))
    return tuple(_block(unit) for unit in units)
