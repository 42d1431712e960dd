"""Article extents, boilerplate and the no-text-lost ledger of an issue.

In: the raw lines, the contents and where each entry's heading was found. Out: articles (from
their heading to their last line before the next heading, section marker or boilerplate) and
`Region`s that put every non-blank line in exactly one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from generator.blocks import find_sources, join_parts, parse_blocks
from generator.keys import fold_width, key_surely_longer, match_key
from generator.masthead import NEWSLETTER_TITLE
from generator.model import Article, Line, Match, Region, Span, Toc, TocEntry
from generator.toc import is_disclaimer, parse_section_heading

# The back cover: the publisher's names and contact lines after the last article
# (2020-03 lines 1268–1275: `杭州国家集成电路设计产业化基地有限公司`, `地址：…`, `传真：…`).
_CONTACT = re.compile(
    r"^\s*(地址|投稿|官网|网址|电话|传真|邮箱|电子邮箱|邮编|E-?mail)\s*[:：]", re.I
)
_PUBLISHER = re.compile(r"(有限公司|协会|基地)\s*$")
# A letterhead above an official document's title (2023-08 lines 840–842:
# `财 政 部 税 务 总 局 文 件`, `财税〔2023〕17号`): the issuer, the word 文件, the 文号.
# The article starts there.
_DOC_NUMBER = re.compile(r"^\S{1,12}\s*[〔\[(（【]\s*\d{4}\s*[〕\])）】]\s*\d{1,4}\s*号$")
_LETTERHEAD = re.compile(r"(文件|人民政府|办公厅|委员会|领导小组|总局|厅|局|部|委)$")
_LETTERHEAD_LINES = 4
# Markdown/HTML emphasis the exporter put around a heading: markup, not title text.
_HEADING_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)?|</?b>|\*\*|\\\*")
_TITLE_KEY = match_key(NEWSLETTER_TITLE)


def heading_text(lines: Sequence[Line]) -> str:
    """A heading as printed, its markup (`##`, `**`, `<b>`) removed and split lines joined."""
    parts = [_HEADING_MARKUP.sub("", line.text).strip() for line in lines]
    return join_parts([p for p in parts if p])


def find_letterhead(
    lines: Sequence[Line], heading: int, floor: int, by_no: Mapping[int, Line] | None = None
) -> int:
    """The first line of the letterhead printed above the heading at `heading`, if any.

    Walks back over at most four non-blank lines after raw line `floor`, each of which must
    be a 文号, a `…文件` line or an issuer's name; a date or sentence stops the walk.
    `by_no` is `lines` by raw line number, when the caller has it already: an issue asks
    once per article, and rebuilding it each time cost more than the walk.
    """
    if by_no is None:
        by_no = {line.no: line for line in lines}
    first = heading
    seen = 0
    for no in range(heading - 1, floor, -1):
        text = re.sub(r"\s+", "", by_no[no].text)
        if not text:
            continue
        if not (_DOC_NUMBER.match(fold_width(text)) or _LETTERHEAD.search(text)):
            break
        if len(text) > 30 or seen == _LETTERHEAD_LINES:
            break
        first, seen = no, seen + 1
    return first


def find_back_cover(lines: Sequence[Line]) -> Span | None:
    """The publisher's contact block closing the issue, when the last group of lines is one."""
    rows = [line for line in lines if line.text.strip()]
    if not rows:
        return None
    # the last group: non-blank lines after the last run of two or more blank lines
    group_start = 0
    blank_run = 0
    last_no = rows[-1].no
    for index, line in enumerate(lines):
        if line.no > last_no:
            break
        if line.text.strip():
            if blank_run >= 2:
                group_start = index
            blank_run = 0
        else:
            blank_run += 1
    group = [line for line in lines[group_start:] if line.text.strip()]
    contact = [line for line in group if _CONTACT.match(fold_width(line.text))]
    publisher = [line for line in group if _PUBLISHER.search(line.text.strip())]
    if len(contact) >= 2 and len(contact) + len(publisher) >= 0.6 * len(group):
        return Span(group[0].no, group[-1].no)
    return None


def classify_boilerplate(lines: Sequence[Line], sections: set[str]) -> dict[int, str]:
    """Raw line → what boilerplate it is: disclaimers, section markers, running masthead."""
    found: dict[int, str] = {}
    in_disclaimer = False
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if is_disclaimer(text):
            found[line.no] = "免责声明"
            in_disclaimer = True
            continue
        if in_disclaimer and text.startswith("《"):
            found[line.no] = "免责声明"
        in_disclaimer = False
        heading = parse_section_heading(text)
        if heading and heading[0] in sections:
            found[line.no] = "栏目"
        elif _is_title(text):
            found[line.no] = "刊头"
    return found


def _is_title(text: str) -> bool:
    """Whether the line prints the newsletter's name (a running masthead)."""
    return not key_surely_longer(text, len(_TITLE_KEY)) and match_key(text) == _TITLE_KEY


def parse_articles(
    issue_id: str,
    lines: Sequence[Line],
    toc: Toc,
    matches: Sequence[Match | None],
) -> tuple[tuple[Article, ...], tuple[Region, ...]]:
    """Cut the body into articles at the matched headings and account for every other line."""
    by_no = {line.no: line for line in lines}
    last_no = lines[-1].no if lines else 0
    boiler = classify_boilerplate(
        [line for line in lines if line.no > toc.span.last], {s.name for s in toc.sections}
    )
    back_cover = find_back_cover(lines)
    if back_cover:
        for no in range(back_cover.first, back_cover.last + 1):
            boiler[no] = "封底"

    placed = [(entry, match) for entry, match in zip(toc.entries, matches, strict=True) if match]
    starts = []
    for index, (_, match) in enumerate(placed):
        floor = placed[index - 1][1].last if index else toc.span.last
        starts.append(find_letterhead(lines, match.line, floor, by_no))
    articles: list[Article] = []
    regions: list[Region] = []
    for index, (entry, match) in enumerate(placed):
        stop = starts[index + 1] - 1 if index + 1 < len(starts) else last_no
        end = match.last
        for no in range(match.last + 1, stop + 1):
            if no in boiler and boiler[no] != "刊头":
                break  # a section marker, disclaimer or the back cover ends the article
            if by_no[no].text.strip():
                end = no
        article_id = f"{issue_id}-{toc.entries.index(entry) + 1:02d}"
        start = starts[index]
        heading = [by_no[no] for no in range(match.line, match.last + 1)]
        letterhead = [by_no[no] for no in range(start, match.line)]
        body = [by_no[no] for no in range(match.last + 1, end + 1)]
        articles.append(_article(article_id, entry, match, heading, letterhead, body, end))
        regions.append(Region("article", Span(start, end), article_id))
    covered = {no for region in regions for no in range(region.span.first, region.span.last + 1)}

    first_start = starts[0] if starts else last_no + 1
    for line in lines:
        if not line.text.strip() or line.no in covered:
            continue
        if line.no < toc.span.first:
            kind, label = "masthead", "封面"
        elif line.no <= toc.span.last:
            kind, label = "toc", "目录"
        elif line.no in boiler:
            kind, label = "boilerplate", boiler[line.no]
        else:
            kind, label = "leftover", "before the first article" if line.no < first_start else ""
        regions.append(Region(kind, Span(line.no, line.no), label))
    return tuple(articles), merge_regions(regions, lines)


def _article(
    article_id: str,
    entry: TocEntry,
    match: Match,
    heading: Sequence[Line],
    letterhead: Sequence[Line],
    body: Sequence[Line],
    end: int,
) -> Article:
    first = letterhead[0].no if letterhead else match.line
    return Article(
        id=article_id,
        section=entry.section,
        toc_title=entry.title,
        body_title=heading_text(heading),
        page=entry.page,
        span=Span(first, end),
        match=match,
        sources=find_sources(body),
        blocks=parse_blocks(body),
        letterhead=tuple(line.text.strip() for line in letterhead if line.text.strip()),
    )


def merge_regions(regions: Sequence[Region], lines: Sequence[Line]) -> tuple[Region, ...]:
    """Regions in line order, runs of the same kind and label merged across blank lines."""
    blank = {line.no for line in lines if not line.text.strip()}
    merged: list[Region] = []
    for region in sorted(regions, key=lambda r: r.span.first):
        if merged:
            prev = merged[-1]
            gap = range(prev.span.last + 1, region.span.first)
            if (
                prev.kind == region.kind
                and prev.label == region.label
                and prev.kind != "article"
                and all(no in blank for no in gap)
            ):
                merged[-1] = Region(prev.kind, Span(prev.span.first, region.span.last), prev.label)
                continue
        merged.append(region)
    return tuple(merged)
