"""The printed contents in every shape the exports have used, and the masthead."""

from __future__ import annotations

import pytest

from generator.masthead import parse_masthead
from generator.model import Line, Overrides
from generator.toc import parse_section_heading, parse_toc
from tests.conftest import raw_from_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("芯企业 ENTERPRISE", ("芯企业", "ENTERPRISE"), id="name-english"),
        pytest.param("芯要闻 FOCUS NEWS", ("芯要闻", "FOCUS NEWS"), id="two-word-english"),
        pytest.param("◆ 芯动态", ("芯动态", None), id="diamond"),
        pytest.param("◆芯企业◆", ("芯企业", None), id="diamond-both-sides"),
        pytest.param("### • 芯动态", ("芯动态", None), id="markdown-h3-bullet"),
        pytest.param("## • 芯政策", ("芯政策", None), id="markdown-h2-bullet"),
        pytest.param("<b>芯资讯</b>", ("芯资讯", None), id="bold-tag"),
        pytest.param("**芯观点**", ("芯观点", None), id="markdown-bold"),
        pytest.param("# 芯人物 PEOPLE", ("芯人物", "PEOPLE"), id="new-section-name"),
        pytest.param("- ▲ 国芯入选名单 - 03", None, id="entry-is-not-a-section"),
        pytest.param("宇视两款AI摄像机获德国红点奖", None, id="title-is-not-a-section"),
        pytest.param("◆ 集成电路设计 ◆", ("集成电路设计", None), id="six-ideographs"),
        pytest.param("◆ 集成电路设计业 ◆", None, id="seven-ideographs-is-no-name"),
        pytest.param("◆ 芯⼈物", ("芯人物", None), id="kangxi-radical-folded"),
    ],
)
def test_section_heading(text: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_section_heading(text) == expected


def toc_of(text: str):
    raw = raw_from_text(text)
    return parse_toc(raw.path, raw.lines)


@pytest.mark.parametrize(
    ("entry_line", "title", "page"),
    [
        pytest.param(
            "- ▲ 国芯入选“2019年度浙江省创新型领军企业培育名单” - 03",
            "国芯入选“2019年度浙江省创新型领军企业培育名单”",
            3,
            id="dash-triangle",
        ),
        pytest.param(
            "- ▲瞻芯电子: 义乌晶圆厂二期扩建 — 17", "瞻芯电子: 义乌晶圆厂二期扩建", 17, id="em-dash"
        ),
        pytest.param(
            "- 地芯科技：获近亿元B轮融资 - 06", "地芯科技：获近亿元B轮融资", 6, id="no-triangle"
        ),
        pytest.param(
            "- 统计局：7月份我国集成电路产量同比增长4.1% - 24",
            "统计局：7月份我国集成电路产量同比增长4.1%",
            24,
            id="title-ends-in-number",
        ),
        pytest.param("▲ 英伟达市值4万亿美元……46", "英伟达市值4万亿美元", 46, id="dot-leader"),
        pytest.param(
            "- ▲ 看广州海芯，聚焦中国FAB项目 － ２０",
            "看广州海芯，聚焦中国FAB项目",
            20,
            id="full-width-page",
        ),
    ],
)
def test_entry(entry_line: str, title: str, page: int) -> None:
    toc, problems = toc_of(f"目录\n\n芯企业 ENTERPRISE\n\n{entry_line}\n\n正文开始了。\n")
    assert [(e.section, e.title, e.page) for e in toc.entries] == [("芯企业", title, page)]
    assert problems == ()


def test_title_wraps_onto_a_second_line() -> None:
    toc, _ = toc_of(
        "目录\n芯政策 POLICY\n- ▲ 中共浙江省委 浙江省人民政府 关于以新发展理念引领\n"
        "制造业高质量发展的若干意见 - 42\n- ▲ 关于组织开展项目申报工作的通知 - 57\n\n正文。\n"
    )
    assert [(e.title, e.page, e.span.first, e.span.last) for e in toc.entries] == [
        ("中共浙江省委 浙江省人民政府 关于以新发展理念引领制造业高质量发展的若干意见", 42, 3, 4),
        ("关于组织开展项目申报工作的通知", 57, 5, 5),
    ]


def test_disclaimer_inside_the_contents_does_not_end_it() -> None:
    toc, _ = toc_of(
        "# 目录\n### • 芯资讯\n- ▲SoW, 是什么? — 48\n\n\\*免责声明:\n\n"
        "《天堂之芯》杂志转载的文章内容系作者个人观点。\n\n## • 芯政策\n- ▲ 工信部将修订办法 — 51\n\n## 正文标题\n"
    )
    assert [(e.section, e.page) for e in toc.entries] == [("芯资讯", 48), ("芯政策", 51)]
    assert toc.span.last == 10


def test_missing_contents_is_an_error() -> None:
    toc, problems = toc_of("天堂之芯\n\n一篇没有目录的文章。\n")
    assert toc is None
    assert [(p.line, p.code, p.severity) for p in problems] == [(1, "toc-missing", "error")]


def cover(*texts: str) -> list[Line]:
    return [Line(i + 1, t) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("path", "lines", "overrides", "expected"),
    [
        pytest.param(
            "issues/2020-03.txt",
            cover("天堂之芯", "2020/03", "月刊", "总第326期"),
            Overrides(),
            (326, 2020, 3),
            id="separate-lines",
        ),
        pytest.param(
            "issues/2023-08.txt",
            cover("总第367期 | 2023/08月刊", "天堂之芯"),
            Overrides(),
            (367, 2023, 8),
            id="one-line",
        ),
        pytest.param(
            "issues/2025-07.txt",
            cover("# 天堂之芯", "依托基地于2018年3月批复建设，服务企业。"),
            Overrides(),
            (None, 2025, 7),
            id="no-number-prose-date-ignored",
        ),
        pytest.param(
            "issues/2025-07.txt",
            cover("# 天堂之芯"),
            Overrides(number=388),
            (388, 2025, 7),
            id="sidecar-number",
        ),
        pytest.param(
            "issues/2020-03.txt",
            cover("总第３２６期", "２０２０／０３"),
            Overrides(),
            (326, 2020, 3),
            id="full-width",
        ),
        pytest.param(
            "issues/2020-03.txt",
            cover("2020/03", "总第326期"),
            Overrides(year=2020, month=4),
            (326, 2020, 4),
            id="sidecar-wins",
        ),
    ],
)
def test_masthead(path: str, lines: list[Line], overrides: Overrides, expected: tuple) -> None:
    masthead, _ = parse_masthead(path, lines, overrides)
    assert (masthead.number, masthead.year, masthead.month) == expected
    assert masthead.title == "天堂之芯"


def test_masthead_says_which_evidence_it_used() -> None:
    masthead, _ = parse_masthead("issues/2025-07.txt", cover("# 天堂之芯"), Overrides())
    assert dict(masthead.evidence) == {"title": "line 1", "number": "unknown", "date": "file name"}


def test_printed_month_that_disagrees_with_the_file_name_is_reported() -> None:
    _, problems = parse_masthead("issues/2020-04.txt", cover("2020/03", "总第326期"), Overrides())
    assert [(p.line, p.code) for p in problems] == [(1, "date-mismatch")]
