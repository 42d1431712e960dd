"""The vocabulary of the archive: frozen dataclasses only, no behaviour that reads or writes.

Every stage takes and returns these. Line numbers are always the raw file's (1-based, as
`grep -n` shows them, after decoding and CR/CRLF folding); every `title` and `text` is the
characters as printed, never normalised (comparisons use `keys.match_key` beside them).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import Literal, overload

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the input an editor may want to fix, with where and what to do."""

    path: str  # the input file, e.g. "issues/2025-07.txt"
    line: int | None  # raw line number, None when the whole file is concerned
    code: str  # stable kebab-case word, e.g. "toc-unmatched"
    message: str  # what is wrong, in the newsletter's terms
    fix: str  # what the editor can do about it
    severity: Severity = "warning"
    column: int | None = None  # 1-based column, for YAML errors


@dataclass(frozen=True, slots=True)
class Line:
    """One raw line of an input file."""

    no: int  # 1-based line number, as `grep -n`
    text: str  # the characters as exported, without the newline


class Lines(Sequence[Line]):
    """A file's lines, numbered from 1: a tuple of `Line` as far as the reader can tell.

    Held as the lines' text joined by newlines (no line holds one: CR and LF end lines), not as
    one `Line` and one `str` object per line: 400 issues have 750,000 lines, which as objects
    cost ~140 MB in every process that holds the archive, and a forked worker that reads them
    writes to (and so copies) each object, where one long string is copied once, or not at all.
    A `Line` is made when a line is read; parsers that read the lines over and over work on
    `tuple(lines)`.
    """

    __slots__ = ("_count", "_starts", "text")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        texts = list(texts)
        self.text = "\n".join(texts)  # the lines, each without its end
        self._count = len(texts)
        self._starts: array[int] | None = None  # where each line starts in text, once indexed

    @classmethod
    def _joined(cls, text: str, count: int) -> Lines:
        lines = cls.__new__(cls)
        lines.text, lines._count, lines._starts = text, count, None
        return lines

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return Lines._joined, (self.text, self._count)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Line]:
        if self._count:
            yield from map(Line, range(1, self._count + 1), self.text.split("\n"))

    @overload
    def __getitem__(self, index: int) -> Line: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Line, ...]: ...
    def __getitem__(self, index: int | slice) -> Line | tuple[Line, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            return tuple(islice(self, start, stop, step))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("line index out of range")
        if self._starts is None:
            ends = accumulate(len(t) + 1 for t in self.text.split("\n"))
            self._starts = array("I", (0, *ends))  # 4 bytes a line
        start, end = self._starts[index], self._starts[index + 1] - 1
        return Line(index + 1, self.text[start:end])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lines):
            return (self._count, self.text) == (other._count, other.text)
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # as the equal tuple's

    def __repr__(self) -> str:
        return f"Lines({[line.text for line in self]!r})"


@dataclass(frozen=True, slots=True)
class Span:
    """An inclusive range of raw lines."""

    first: int
    last: int


@dataclass(frozen=True, slots=True)
class RawFile:
    """An input file decoded and split into lines; the text itself is untouched."""

    path: str  # relative to the project root, e.g. "issues/2020-03.txt"
    lines: Sequence[Line]  # every line, blank ones included (a Lines, or a tuple in tests)
    encoding: str  # what the bytes were decoded as, e.g. "utf-8", "gb18030"
    digest: str  # sha256 of the raw bytes: the cache key
    problems: tuple[Problem, ...] = ()  # decoding trouble found while reading


@dataclass(frozen=True, slots=True)
class Overrides:
    """An editor's sidecar `issues/YYYY-MM.yml`: values that win over what the text prints."""

    path: str | None = None  # the sidecar file, None when there is none
    number: int | None = None  # 总第N期
    year: int | None = None
    month: int | None = None
    title: str | None = None  # the newsletter's name, if the masthead misprints it
    title_fixes: tuple[tuple[str, str], ...] = ()  # (TOC title, body heading) pairs to force


@dataclass(frozen=True, slots=True)
class Masthead:
    """What the cover prints about the issue, and which evidence gave each value."""

    title: str  # "天堂之芯"
    number: int | None  # 总第326期; None when neither the text nor the sidecar gives it
    year: int
    month: int
    evidence: tuple[tuple[str, str], ...]  # (field, where it came from), e.g. ("month", "sidecar")
    lines: tuple[int, ...] = ()  # raw lines the masthead values were read from


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line (or two, when the title wraps) of the printed table of contents."""

    section: str  # 栏目 under which the TOC lists it, e.g. "芯企业"
    title: str  # the title as the TOC prints it, untouched (wrapped lines joined)
    page: int | None  # print page number, None when the TOC gives none
    span: Span  # the raw TOC line(s)


@dataclass(frozen=True, slots=True)
class TocSection:
    """A section heading of the TOC: `芯企业 ENTERPRISE`, `◆ 芯企业`, `### • 芯动态`…"""

    name: str  # "芯企业"
    english: str | None  # "ENTERPRISE" when printed
    line: int  # raw line of the heading


@dataclass(frozen=True, slots=True)
class Toc:
    """The printed contents of an issue."""

    span: Span  # from the 目录 line to the last entry
    sections: tuple[TocSection, ...]
    entries: tuple[TocEntry, ...]  # in print order


@dataclass(frozen=True, slots=True)
class Source:
    """A printed 来源 of an article, e.g. `（来源：宇视科技）`."""

    name: str
    line: int


BlockKind = Literal["paragraph", "heading", "list", "table", "caption", "source"]


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of an article's text as a page shows it."""

    kind: BlockKind
    span: Span  # raw lines the block covers
    text: str = ""  # paragraph/heading/caption/source: the original characters, rejoined
    items: tuple[str, ...] = ()  # list: one entry per item, original characters
    rows: tuple[tuple[str, ...], ...] = ()  # table: first row is the header


@dataclass(frozen=True, slots=True)
class Match:
    """How a TOC entry was found in the body: the evidence behind an article's start."""

    line: int  # the body heading's first raw line
    last: int  # the heading's last raw line (headings may be split over lines)
    score: float  # 0..1 similarity of the match keys
    how: Literal["fuzzy", "misprint", "override"]  # misprint: placed by order and page


@dataclass(frozen=True, slots=True)
class Article:
    """One article of an issue, from its body heading to its last line."""

    id: str  # "2020-03-01": issue + print order; stable when issues are added
    section: str  # 栏目 as printed in the TOC, e.g. "芯企业"
    toc_title: str  # the title as the TOC prints it, untouched
    body_title: str  # the heading as the body prints it, untouched (lines joined)
    page: int | None  # print page from the TOC; None when the TOC gives none
    span: Span  # raw lines [heading (or letterhead above it), last non-blank line]
    match: Match  # how the TOC entry was aligned to the body
    sources: tuple[Source, ...] = ()  # printed 来源, in order, each with its raw line
    blocks: tuple[Block, ...] = ()  # the text: paragraphs, sub-headings, lists, tables, captions
    letterhead: tuple[str, ...] = ()  # an official document's 文件 line and 文号 above the title


@dataclass(frozen=True, slots=True)
class Section:
    """A 栏目 of one issue with its articles in print order."""

    name: str  # "芯企业"
    english: str | None  # "ENTERPRISE", when the TOC prints it
    articles: tuple[Article, ...]


Accounting = Literal["article", "toc", "masthead", "boilerplate", "leftover"]


@dataclass(frozen=True, slots=True)
class Region:
    """A run of raw lines and what they are: the no-text-lost ledger."""

    kind: Accounting
    span: Span
    label: str = ""  # article id, or what the boilerplate is ("免责声明", "封底"…)


@dataclass(frozen=True, slots=True)
class Issue:
    """One newsletter issue: masthead, contents, sections of articles, and the ledger."""

    id: str  # "2020-03"
    path: str  # "issues/2020-03.txt"
    masthead: Masthead
    toc: Toc | None
    sections: tuple[Section, ...]  # in TOC order
    regions: tuple[Region, ...]  # every non-blank line in exactly one region
    problems: tuple[Problem, ...] = ()
    lines: Sequence[Line] = ()  # the raw file's lines (RawFile.lines), for the raw text page

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for s in self.sections for a in s.articles)


# --- policy documents (issues/documents/*.txt) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """A heading of an official document's outline: 一、 / （一） / 1. / （1） / ① / 附件."""

    line: int  # raw line
    level: int  # 1 for the top numbering style used, 2 below it, …
    text: str  # heading as printed (run-in headings cut at their first full stop)
    number: str = ""  # the printed numbering, e.g. "（三）"


@dataclass(frozen=True, slots=True)
class DocTable:
    """A table rebuilt from tab-prefixed one-cell-per-line text."""

    span: Span
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    unit: str | None = None  # e.g. "万元" when the caption or header prints it


@dataclass(frozen=True, slots=True)
class Document:
    """A standalone policy document (plan, action plan, notice…)."""

    id: str  # from the file name, e.g. "shanxi-semiconductor-2020-action-plan"
    path: str  # "issues/documents/….txt"
    title: str
    status: str | None = None  # 征求意见稿…
    issuer: str | None = None
    region: str | None = None
    year: int | None = None
    doc_number: str | None = None  # 文号, e.g. 浙政办发〔2023〕17号
    outline: tuple[OutlineEntry, ...] = ()
    tables: tuple[DocTable, ...] = ()
    blocks: tuple[Block, ...] = ()
    regions: tuple[Region, ...] = ()
    problems: tuple[Problem, ...] = ()
    lines: Sequence[Line] = ()  # the raw file's lines (RawFile.lines), for the raw text page
