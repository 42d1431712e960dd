"""TOC ↔ body alignment on the shapes the texts have: fuzzy, monotone, misprints."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.align import ACCEPT, Candidate, _best_path, align, find_candidates
from generator.model import Line, Span, TocEntry


def entries(*titles: str) -> list[TocEntry]:
    return [TocEntry("芯资讯", t, i + 1, Span(i + 1, i + 1)) for i, t in enumerate(titles)]


def body(*texts: str, start: int = 100) -> list[Line]:
    return [Line(start + i, t) for i, t in enumerate(texts)]


PARA = "这是一段很长的正文，用来填充文章内容，并不会被当成标题，因为它比任何标题都长得多而且以句号结束。"


@pytest.mark.parametrize(
    ("toc_title", "heading_lines"),
    [
        pytest.param(
            "AIoT时代认证！宇视两款AI摄像机获德国红点奖",
            ["AIoT时代认证！ 宇视两款AI摄像机获德国红点奖"],
            id="space-inside",
        ),
        pytest.param(
            "芯象半导体受邀参加GSMA 5G创投项目对接活动",
            ["芯象半导体受邀参加 创投项目对接活动", "", "GSMA 5G"],
            id="words-moved-to-own-line",
        ),
        pytest.param(
            "封测巨无霸诞生，日月光矽品合并获批",
            ["封測巨无霸诞生", "", "日月光矽品合并获批"],
            id="traditional-and-split",
        ),
        pytest.param("楚赞科技：完成新一轮融资", ["楚贇科技： 完成新一轮融资"], id="typo"),
        pytest.param(
            "SIA：Q2全球半导体销售额1245亿美元",
            ["## SIA: Q2全球半导体销售额1245亿美元"],
            id="half-width-punct-markdown",
        ),
        pytest.param(
            "投资400亿元，富芯半导体模拟芯片IDM项目开工",
            ["投资400亿元 富芯半导体模拟芯片“IDM”项目开工"],
            id="quotes-added",
        ),
        pytest.param(
            "兆易创新胡洪：技术与人才双驱动，乘势而上二十年",
            ["## 兆易创新：技术与人才双驱动，乘势而上二十年"],
            id="word-dropped",
        ),
    ],
)
def test_heading_variants_are_found(toc_title: str, heading_lines: list[str]) -> None:
    lines = body(PARA, "", *heading_lines, "", PARA, "", "下一篇的标题在这里", "", PARA)
    matches, problems = align("x", entries(toc_title, "下一篇的标题在这里"), lines)
    assert [m.line if m else None for m in matches] == [102, 105 + len(heading_lines)]
    assert matches[0].score > ACCEPT
    assert problems == ()


def test_traditional_phrase_folds_where_its_characters_alone_would_not() -> None:
    """覆 and 瞭 stay as they are on their own; inside 反覆 and 瞭解 they are traditional."""
    lines = body(PARA, "", "反覆验证后深入瞭解芯片需求", "", PARA)
    matches, _ = align("x", entries("反复验证后深入了解芯片需求"), lines)
    assert matches[0] is not None
    assert (matches[0].line, matches[0].score) == (102, 1.0)


def test_candidates_are_judged_by_key_length_not_printed_length() -> None:
    """Titles up to 4 key characters allow runs of 8: the dashes do not count, the words do."""
    lines = body("—— 《芯片》 —— ！！", "集成电路产业规模持续增长", "芯片")
    found = [(c.first, c.last, c.key) for c in find_candidates(lines, 4)]
    assert found == [(100, 100, "芯片"), (102, 102, "芯片")]


def test_bold_repeat_of_the_title_is_not_a_second_heading() -> None:
    lines = body(
        "“1+X”集成电路开发与测试 职业技能等级证书正式发布",
        "",
        "**“1+X”集成电路开发与测试",
        "职业技能等级证书正式发布！**",
        PARA,
        "",
        "高通联合创新中心落户杭州",
        PARA,
    )
    matches, _ = align(
        "x",
        entries(
            "“1+X”集成电路开发与测试职业技能等级证书正式发布",
            "高通联合创新中心落户杭州，助力5G+AI发展",
        ),
        lines,
    )
    assert [m.line for m in matches] == [100, 106]


def test_misprinted_heading_starts_the_next_entry() -> None:
    """2025-07: the 芯“铜”危机 article is headed with the LPDDR6 title again."""
    lines = body(
        "## LPDDR6 内存标准，正式发布！",
        PARA,
        "## LPDDR6 内存标准，正式发布！",
        PARA,
        "## 英伟达成为全球首家4万亿美元市值公司",
        PARA,
    )
    titles = (
        "LPDDR6内存标准, 正式发布!",
        "半导体领域陷入芯“铜”危机",
        "英伟达成为全球首家4万亿美元市值公司",
    )
    matches, problems = align("issues/2025-07.txt", entries(*titles), lines)
    assert [(m.line, m.how) for m in matches] == [(100, "fuzzy"), (102, "misprint"), (104, "fuzzy")]
    assert [(p.line, p.code, p.severity) for p in problems] == [
        (102, "heading-misprint", "warning")
    ]


def test_entry_with_no_heading_is_reported_with_the_nearest_line() -> None:
    lines = body("甲公司完成融资", PARA, "丙公司发布新品", PARA)
    matches, problems = align(
        "issues/2099-01.txt", entries("甲公司完成融资", "乙公司上市", "丙公司发布新品"), lines
    )
    assert [m.line if m else None for m in matches] == [100, None, 102]
    assert len(problems) == 1
    assert problems[0].code == "toc-unmatched"
    assert problems[0].line == 2
    assert problems[0].message.startswith(
        "TOC entry “乙公司上市” (p. 2) matches no body heading (nearest: line"
    )


def test_alignment_is_monotone_whatever_the_order_of_the_body() -> None:
    """Headings printed in another order than the TOC: only an increasing subsequence matches."""
    titles = [f"第{n}家企业完成新一轮融资并扩产" for n in "一二三四五六"]
    shuffled = titles[:]
    random.Random(7).shuffle(shuffled)
    lines = body(*[x for t in shuffled for x in (t, PARA)])
    matches, _ = align("x", entries(*titles), lines)
    found = [m.line for m in matches if m]
    assert found == sorted(found)
    assert len(found) >= 2


def _sweep_best_path(scores: np.ndarray, candidates: list[Candidate]) -> list[int | None]:
    """The alignment as first written: one cell at a time, each move offered in turn."""
    n_entries = scores.shape[0]
    n_rows = max(c.index + c.parts for c in candidates)
    by_start: dict[int, list[int]] = {}
    for ci, candidate in enumerate(candidates):
        by_start.setdefault(candidate.index, []).append(ci)
    gain = scores - ACCEPT
    tiny = 1e-6 / (n_rows + 1)
    best = np.full((n_entries + 1, n_rows + 1), -1e18)
    back: dict[tuple[int, int], tuple[int, int, int | None]] = {}
    best[0, :] = 0.0
    for e in range(n_entries + 1):
        for i in range(n_rows + 1):
            here = best[e, i]
            if i < n_rows and here > best[e, i + 1]:
                best[e, i + 1] = here
                back[(e, i + 1)] = (e, i, None)
            if e < n_entries:
                if here > best[e + 1, i]:
                    best[e + 1, i] = here
                    back[(e + 1, i)] = (e, i, None)
                for ci in by_start.get(i, ()):
                    if gain[e, ci] <= 0:
                        continue
                    value = here + gain[e, ci] - tiny * i
                    j = i + candidates[ci].parts
                    if value > best[e + 1, j]:
                        best[e + 1, j] = value
                        back[(e + 1, j)] = (e, i, ci)
    chosen: list[int | None] = [None] * n_entries
    e, i = n_entries, int(np.argmax(best[n_entries]))
    while (e > 0 or i > 0) and (e, i) in back:
        e, i, ci = back[(e, i)]
        if ci is not None:
            chosen[e] = ci
    return chosen


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_best_path_picks_what_a_cell_by_cell_sweep_picks(data: st.DataObject) -> None:
    """Ties included: few distinct scores, so equal totals compete for the same lines."""
    n_rows = data.draw(st.integers(1, 12))
    runs = [(i, p) for i in range(n_rows) for p in range(1, 4) if i + p <= n_rows]
    picked = data.draw(st.lists(st.sampled_from(runs), min_size=1, unique=True))
    candidates = [Candidate(i, p, 100 + i, 100 + i + p - 1, "") for i, p in sorted(picked)]
    n_entries = data.draw(st.integers(1, 6))
    levels = st.sampled_from([0.0, 0.5, ACCEPT, 0.7, 0.8, 0.9, 1.0])
    flat = data.draw(
        st.lists(levels, min_size=n_entries * len(candidates), max_size=n_entries * len(candidates))
    )
    scores = np.array(flat, dtype=np.float32).reshape(n_entries, len(candidates))
    assert _best_path(scores, candidates) == _sweep_best_path(scores, candidates)
