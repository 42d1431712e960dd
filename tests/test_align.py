"""TOC ↔ body alignment on the shapes the texts have: fuzzy, monotone, misprints."""

from __future__ import annotations

import random

import pytest

from generator.align import ACCEPT, align
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
