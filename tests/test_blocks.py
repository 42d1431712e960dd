"""Article bodies → display blocks: page breaks, sub-headings, lists, tables, captions, sources."""

from __future__ import annotations

import itertools
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.blocks import find_sources, parse_blocks
from generator.model import Block, Line, Source, Span
from tests.conftest import ROOT, SAMPLES


def lines_of(text: str, first: int = 1) -> list[Line]:
    return [Line(first + i, t) for i, t in enumerate(text.split("\n"))]


def para(first: int, last: int, text: str) -> Block:
    return Block("paragraph", Span(first, last), text)


def head(first: int, last: int, text: str) -> Block:
    return Block("heading", Span(first, last), text)


# --- the shapes, one at a time -------------------------------------------------------------

_LONG_A = "2021年在地方和有关部门的支持下，工业软件联盟成立，旨在突破国产基础工业软件，由产业牵头"
_LONG_B = "组建创新联合体，聚心、聚智、聚力，共建新一代工业软件云体系。"
_INFO_A = "SoW技术的起源，在于台积电针对移动处理器所研发的小型化、薄型化封装技术“InFO (Integrated"
_INFO_B = "Fan-Out)”，俗称“FO-WLP (Fan Out-Wafer Level Package)”。"
_PHOTO = "（三方通过视频连线签署联合创新中心暨Qualcomm AI创新实验室合作协议）"
_FORMULA = "不得计提加计抵减额的进项税额 = 当期无法划分的全部进项税额 × 当期出口货物劳务的销售额"
_BODY = "为了加快推进新型工业化，我们要对人类工业化的经验和教训进行深入研究，加深对新时期的认识。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f"{_LONG_A}\n\n{_LONG_B}",
            [para(1, 3, _LONG_A + _LONG_B)],
            id="page-break-cjk",
        ),
        pytest.param(
            f"{_INFO_A}\n\n{_INFO_B}",
            [para(1, 3, f"{_INFO_A} {_INFO_B}")],
            id="page-break-latin",
        ),
        pytest.param(
            "这也意味着，目前国内在\n\n集成电路产业链中，设备及材料领域还相对比较薄弱。",
            [para(1, 3, "这也意味着，目前国内在集成电路产业链中，设备及材料领域还相对比较薄弱。")],
            id="page-break-short-line-ending-in-a-preposition",
        ),
        pytest.param(
            f"{_LONG_A}\n\n{_LONG_B}\n在杭州签署合作协议。",
            [para(1, 4, f"{_LONG_A}{_LONG_B}\n在杭州签署合作协议。")],
            id="page-break-continued-by-two-printed-lines",
        ),
        pytest.param(
            f"{_LONG_A}\n\n\n\n{_LONG_B}\n\n{_LONG_A}\n\n{_LONG_B}",
            [para(1, 5, _LONG_A + _LONG_B), para(7, 9, _LONG_A + _LONG_B)],
            id="page-break-twice",
        ),
        pytest.param(
            f"{_BODY}\n\n亟待补齐工业软件短板\n\n{_BODY}",
            [para(1, 1, _BODY), head(3, 3, "亟待补齐工业软件短板"), para(5, 5, _BODY)],
            id="sub-heading",
        ),
        pytest.param(
            f"{_BODY}\n\n功率器件的发展，推动了工业领域的产业变革\n\n{_BODY}",
            [
                para(1, 1, _BODY),
                head(3, 3, "功率器件的发展，推动了工业领域的产业变革"),
                para(5, 5, _BODY),
            ],
            id="sub-heading-with-comma",
        ),
        pytest.param(
            f"各家独角兽对未来怎么看？\n\n{_BODY}\n\n它会是一个什么样的技术架构为主导呢？\n\n{_BODY}",
            [
                head(1, 1, "各家独角兽对未来怎么看？"),
                para(3, 3, _BODY),
                para(5, 5, "它会是一个什么样的技术架构为主导呢？"),
                para(7, 7, _BODY),
            ],
            id="short-question-heading-long-question-sentence",
        ),
        pytest.param(
            f"我国集成电路产业规模持续增长，供给能力显著提升\n\n逆势突围，全年实现较快增长\n\n{_BODY}",
            [
                head(1, 1, "我国集成电路产业规模持续增长，供给能力显著提升"),
                head(3, 3, "逆势突围，全年实现较快增长"),
                para(5, 5, _BODY),
            ],
            id="heading-over-sub-heading",
        ),
        pytest.param(
            f"联合主办单位\n\n物联网智库\n\n中宣核芯物联网开放平台\n\n{_BODY}",
            [
                para(1, 1, "联合主办单位"),
                para(3, 3, "物联网智库"),
                para(5, 5, "中宣核芯物联网开放平台"),
                para(7, 7, _BODY),
            ],
            id="poster-lines-are-not-headings",
        ),
        pytest.param(
            f"{_BODY}\n\n在北京签署合作协议",
            [para(1, 1, _BODY), para(3, 3, "在北京签署合作协议")],
            id="short-last-line-is-not-a-heading",
        ),
        pytest.param(
            f"一、总体要求\n\n（一）指导思想\n\n{_BODY}",
            [head(1, 1, "一、总体要求"), head(3, 3, "（一）指导思想"), para(5, 5, _BODY)],
            id="outline-headings",
        ),
        pytest.param(
            f"时间：2025年7月16日\n\n{_BODY}",
            [para(1, 1, "时间：2025年7月16日"), para(3, 3, _BODY)],
            id="date-line-is-not-a-heading",
        ),
        pytest.param(
            f"### (01) EDA 三巨头，解除出口禁令\n\n{_BODY}",
            [head(1, 1, "(01) EDA 三巨头，解除出口禁令"), para(3, 3, _BODY)],
            id="markdown-heading",
        ),
        pytest.param(
            "#### **(04)EDA 出口管制解除，影响几何？**",
            [head(1, 1, "(04)EDA 出口管制解除，影响几何？")],
            id="markdown-bold-heading",
        ),
        pytest.param(
            "**01 EDA**  \n提供Siemens EDA, Cadence和行芯科技等公司的EDA软件服务。",
            [
                head(1, 1, "01 EDA"),
                para(2, 2, "提供Siemens EDA, Cadence和行芯科技等公司的EDA软件服务。"),
            ],
            id="bold-heading",
        ),
        pytest.param(
            "<b>執行董事</b>",
            [head(1, 1, "執行董事")],
            id="html-bold-heading",
        ),
        pytest.param(
            "**“1+X”集成电路开发与测试\n职业技能等级证书正式发布！**",
            [head(1, 2, "“1+X”集成电路开发与测试职业技能等级证书正式发布！")],
            id="bold-heading-over-two-lines",
        ),
        pytest.param(
            "**从 3 万亿美元市值增至 4 万亿美元市值，英伟达用了 13 个月。**",
            [para(1, 1, "从 3 万亿美元市值增至 4 万亿美元市值，英伟达用了 13 个月。")],
            id="bold-sentence-is-a-paragraph",
        ),
        pytest.param(
            "- 兼具人脸识别及行为检测等智能分析功能。\n- 支持Wi-Fi功能，可查取高清图像。",
            [
                Block(
                    "list",
                    Span(1, 2),
                    items=(
                        "兼具人脸识别及行为检测等智能分析功能。",
                        "支持Wi-Fi功能，可查取高清图像。",
                    ),
                )
            ],
            id="list-dash",
        ),
        pytest.param(
            "· 咨询服务平台\n\n· 公共技术平台\n\n●制造工艺领域。技术取得长足进步。",
            [
                Block(
                    "list",
                    Span(1, 5),
                    items=("咨询服务平台", "公共技术平台", "制造工艺领域。技术取得长足进步。"),
                )
            ],
            id="list-dot",
        ),
        pytest.param(
            "1、竞得人须承诺注册成立公司。\n\n2、地块投资强度≥24500元/平方米。\n\n16.9%。产品供应能力颇丰。",
            [
                Block(
                    "list",
                    Span(1, 3),
                    items=("1、竞得人须承诺注册成立公司。", "2、地块投资强度≥24500元/平方米。"),
                ),
                para(5, 5, "16.9%。产品供应能力颇丰。"),
            ],
            id="list-numbered-keeps-its-numbers",
        ),
        pytest.param(
            "8.实施“5G+工业互联网”工程。加快5G技术在制造业领域的应用，打造工业互联网平台体系，加快工"
            "\n\n业互联网创新应用，探索新制造模式。\n\n9.加强制造业协同创新。",
            [
                Block(
                    "list",
                    Span(1, 5),
                    items=(
                        "8.实施“5G+工业互联网”工程。加快5G技术在制造业领域的应用，打造工业互联网平台体系，"
                        "加快工业互联网创新应用，探索新制造模式。",
                        "9.加强制造业协同创新。",
                    ),
                )
            ],
            id="list-item-over-a-page-break",
        ),
        pytest.param(
            "排名\t企业名称\t营收（亿元人民币）\t\t营收年增率\n\t\t2017\t2018（E）\t\n1\t海思半导体\t387.0\t503.0\t30.0%",
            [
                Block(
                    "table",
                    Span(1, 3),
                    rows=(
                        ("排名", "企业名称", "营收（亿元人民币）", "", "营收年增率"),
                        ("", "", "2017", "2018（E）", ""),
                        ("1", "海思半导体", "387.0", "503.0", "30.0%"),
                    ),
                )
            ],
            id="tab-table",
        ),
        pytest.param(
            "\t2022年\t%\n收入\t\t\n大中華區 <sup>(1)</sup>\t457,686\t27.1\n\n"
            "合計\t<b>1,688,426</b>\t<u>100.0</u>",
            [
                Block(
                    "table",
                    Span(1, 5),
                    rows=(
                        ("", "2022年", "%"),
                        ("收入", "", ""),
                        ("大中華區 (1)", "457,686", "27.1"),
                        ("合計", "1,688,426", "100.0"),
                    ),
                )
            ],
            id="tab-table-html-cells-and-a-blank-line",
        ),
        pytest.param(
            "职业技能等级证书信息管理服务平台\t\t\n序号\t培训评价组织\t下载附件\n19\t首都机场集团有限公司\t标准",
            [
                head(1, 1, "职业技能等级证书信息管理服务平台"),
                Block(
                    "table",
                    Span(2, 3),
                    rows=(
                        ("序号", "培训评价组织", "下载附件"),
                        ("19", "首都机场集团有限公司", "标准"),
                    ),
                ),
            ],
            id="tab-table-title-line-kept-apart",
        ),
        pytest.param(
            "排名\t公司\n1\t公司A\n\n排名\t公司\n1\t公司G",
            [
                Block("table", Span(1, 2), rows=(("排名", "公司"), ("1", "公司A"))),
                Block("table", Span(4, 5), rows=(("排名", "公司"), ("1", "公司G"))),
            ],
            id="tab-tables-with-the-same-header",
        ),
        pytest.param(
            "电话：\t85257136\t\n\n联系人：汪皓",
            [para(1, 1, "电话： 85257136"), para(3, 3, "联系人：汪皓")],
            id="tab-row-alone-is-a-line-of-text",
        ),
        pytest.param(
            "\t序号\n\t所在市\n\t建设起\n\n止年月\n\t总投资\n\n\t1\n\t太原\n\t2018-2023\n\t33151",
            [
                Block(
                    "table",
                    Span(1, 11),
                    rows=(
                        ("序号", "所在市", "建设起止年月", "总投资"),
                        ("1", "太原", "2018-2023", "33151"),
                    ),
                )
            ],
            id="tab-table-one-cell-per-line",
        ),
        pytest.param(
            "\t序号\n\t所在市\n\n\t1",
            [Block("list", Span(1, 4), items=("序号 所在市", "1"))],
            id="tab-cells-not-rectangular-become-a-list",
        ),
        pytest.param(
            "△ 授课现场\n\n▲浙江省财政厅公告截图",
            [
                Block("caption", Span(1, 1), "△ 授课现场"),
                Block("caption", Span(3, 3), "▲浙江省财政厅公告截图"),
            ],
            id="caption-triangle",
        ),
        pytest.param(
            "图1 电子信息制造业和工业增加值累计增速\n\n（图 宇视HIC9381系列智能网络摄像机）",
            [
                Block("caption", Span(1, 1), "图1 电子信息制造业和工业增加值累计增速"),
                Block("caption", Span(3, 3), "（图 宇视HIC9381系列智能网络摄像机）"),
            ],
            id="caption-tu",
        ),
        pytest.param(
            "（图片来源：滨江发布）\n\n资料来源：WSTS、SIA",
            [
                Block("caption", Span(1, 1), "（图片来源：滨江发布）"),
                Block("caption", Span(3, 3), "资料来源：WSTS、SIA"),
            ],
            id="photo-credit-not-source",
        ),
        pytest.param(
            f"{_BODY}\n\n（来源：滨江发布、全球半导体观察）",
            [para(1, 1, _BODY), Block("source", Span(3, 3), "（来源：滨江发布、全球半导体观察）")],
            id="two-sources",
        ),
        pytest.param(
            f"（来源：网络公开图）\n\n{_BODY}",
            [Block("caption", Span(1, 1), "（来源：网络公开图）"), para(3, 3, _BODY)],
            id="picture-credit-in-source-form",
        ),
        pytest.param(
            f"{_BODY}\n\n(来源：宇视科技)",
            [para(1, 1, _BODY), Block("source", Span(3, 3), "(来源：宇视科技)")],
            id="mixed-width-source",
        ),
        pytest.param(
            f"{_BODY}\n\n来源：滨江发布",
            [para(1, 1, _BODY), Block("source", Span(3, 3), "来源：滨江发布")],
            id="bare-source-at-the-end",
        ),
        pytest.param(
            f"来源：2024年财报 半导体产业纵横整理\n\n{_BODY}",
            [
                Block("caption", Span(1, 1), "来源：2024年财报 半导体产业纵横整理"),
                para(3, 3, _BODY),
            ],
            id="bare-source-mid-article-is-a-data-credit",
        ),
        pytest.param(
            f"\n \n{_BODY}\n\u3000\n\t\n{_BODY}\n ",
            [para(3, 3, _BODY), para(6, 6, _BODY)],
            id="space-only-lines-are-blank",
        ),
        pytest.param(
            "浙江杭州未来科技城党工委书记梅建胜\n在杭州签署合作协议",
            [para(1, 2, "浙江杭州未来科技城党工委书记梅建胜\n在杭州签署合作协议")],
            id="lines-printed-together-keep-their-break",
        ),
        pytest.param(
            f"{_LONG_A}\n\n{_PHOTO}\n\n{_LONG_B}",
            [
                para(1, 1, _LONG_A),
                para(3, 3, _PHOTO),
                para(5, 5, _LONG_B),
            ],
            id="page-break-not-rejoined-across-a-photo-caption",
        ),
        pytest.param(
            f"{_FORMULA}\n\n六、集成电路企业应单独核算加计抵减额的计提、抵减、调减、结余等变动情况。",
            [
                para(1, 1, _FORMULA),
                para(
                    3, 3, "六、集成电路企业应单独核算加计抵减额的计提、抵减、调减、结余等变动情况。"
                ),
            ],
            id="numbered-paragraph-never-continues-a-break",
        ),
        pytest.param(
            "省科技厅 省经信厅 省教育厅 省卫生健康委 省国资委 省市场监管局 省发展改革委\n\n"
            "为贯彻党的二十届三中全会精神，制定本实施方案。",
            [
                para(
                    1,
                    1,
                    "省科技厅 省经信厅 省教育厅 省卫生健康委 省国资委 省市场监管局 省发展改革委",
                ),
                para(3, 3, "为贯彻党的二十届三中全会精神，制定本实施方案。"),
            ],
            id="list-of-names-is-not-a-broken-sentence",
        ),
        pytest.param(
            "InFO\\_SoW 是 InFO 技术在大型晶圆尺寸封装中的应用，**从采购金额来看**，结构简单。",
            [
                para(
                    1,
                    1,
                    "InFO_SoW 是 InFO 技术在大型晶圆尺寸封装中的应用，从采购金额来看，结构简单。",
                )
            ],
            id="markdown-escapes-and-emphasis-removed",
        ),
    ],
)
def test_parse_blocks(text: str, expected: list[Block]) -> None:
    assert parse_blocks(lines_of(text)) == tuple(expected)


# A sub-heading is at most 60 wide, a CJK character counting two: 30 of them, or 15 and 30
# Latin letters. One more and the line is running text cut by a page break.
_CJK_30 = "集成电路" * 7 + "设计"
_MIXED_60 = "集成电路" * 3 + "芯片设" + "ab" * 15


@pytest.mark.parametrize(
    ("line", "heads"),
    [
        pytest.param(_CJK_30, True, id="cjk-width-60"),
        pytest.param(_CJK_30 + "业", False, id="cjk-width-62"),
        pytest.param(_MIXED_60, True, id="mixed-width-60"),
        pytest.param(_MIXED_60 + "c", False, id="mixed-width-61"),
    ],
)
def test_sub_heading_width_limit(line: str, heads: bool) -> None:
    blocks = parse_blocks(lines_of(f"{line}\n\n{_BODY}"))
    if heads:
        assert blocks == (Block("heading", Span(1, 1), line), para(3, 3, _BODY))
    else:
        assert blocks == (para(1, 3, line + _BODY),)


def test_parse_blocks_of_nothing() -> None:
    assert parse_blocks([]) == ()
    assert parse_blocks(lines_of("\n \n")) == ()


# --- sources -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("(来源：宇视科技)", ["宇视科技"], id="mixed-width"),
        pytest.param(
            "（来源：滨江发布、全球半导体观察）", ["滨江发布", "全球半导体观察"], id="two"
        ),
        pytest.param("（图片来源：滨江发布）", [], id="photo-credit"),
        pytest.param("（信息来源：集微网）", [], id="data-credit"),
        pytest.param("（来源：网络公开图）", [], id="picture-credit-in-source-form"),
        pytest.param("( 来源 : 半导体产业纵横 )", ["半导体产业纵横"], id="spaces"),
        pytest.param("(来源: 半导体产业纵横)", ["半导体产业纵横"], id="half-width-colon-space"),
        pytest.param(
            "（来源：浙江省财政厅；全球半导体观察,芯榜，集微网）",
            ["浙江省财政厅", "全球半导体观察", "芯榜", "集微网"],
            id="separators",
        ),
        pytest.param("来源：滨江发布", ["滨江发布"], id="bare-alone"),
        pytest.param("文中数据来源：滨江发布", [], id="bare-inside-a-sentence"),
    ],
)
def test_find_sources(text: str, names: list[str]) -> None:
    found = find_sources([Line(no=109, text=text)])
    assert found == tuple(Source(name=n, line=109) for n in names)


def test_bare_source_counts_only_in_the_closing_lines() -> None:
    lines = lines_of(f"来源：2024年财报\n\n{_BODY}\n\n来源：滨江发布\n\n（来源：芯榜）\n")
    assert find_sources(lines) == (Source("滨江发布", 5), Source("芯榜", 7))


# --- real articles from the sample issues ---------------------------------------------------


@cache
def sample_lines(issue_id: str) -> tuple[Line, ...]:
    text = (ROOT / "issues" / f"{issue_id}.txt").read_text(encoding="utf-8")
    return tuple(Line(i + 1, t) for i, t in enumerate(text.split("\n")))


def body(issue_id: str, first: int, last: int) -> list[Line]:
    """Raw lines `first`..`last` (1-based, inclusive), as articles.py hands them over."""
    return list(sample_lines(issue_id)[first - 1 : last])


def raw(issue_id: str, no: int) -> str:
    return sample_lines(issue_id)[no - 1].text.strip()


def at(blocks: tuple[Block, ...], first: int) -> Block:
    return next(b for b in blocks if b.span.first == first)


def test_sample_2023_08_ni_guangnan() -> None:
    # 倪光南院士：壮大工业软件… — heading on line 226, two sub-headings, one page break.
    blocks = parse_blocks(body("2023-08", 227, 246))
    assert [(b.kind, b.span.first, b.span.last) for b in blocks] == [
        ("paragraph", 228, 228),
        ("heading", 230, 230),
        ("paragraph", 232, 232),
        ("paragraph", 234, 234),
        ("paragraph", 236, 236),
        ("paragraph", 238, 238),
        ("heading", 240, 240),
        ("paragraph", 242, 244),
        ("paragraph", 246, 246),
    ]
    assert at(blocks, 230).text == "亟待补齐工业软件短板"
    assert at(blocks, 240).text == "努力构建工业软件体系"
    # `…由产业牵头` / `组建创新联合体…`: CJK meets CJK, no space.
    assert at(blocks, 242).text == raw("2023-08", 242) + raw("2023-08", 244)
    assert "由产业牵头组建创新联合体" in at(blocks, 242).text


def test_sample_2020_03_big_fund() -> None:
    # 大基金二期投资即将启动… — heading on line 557, a 72-row table of suppliers.
    lines = body("2020-03", 558, 677)
    blocks = parse_blocks(lines)
    assert at(blocks, 563) == head(563, 563, "设备和材料成投资重点")
    assert at(blocks, 571).span == Span(571, 573)
    assert "占大基金一期投资总额的4.2%" in at(blocks, 571).text
    # `这也意味着，目前国内在` is the foot of a page, not a sub-heading.
    assert at(blocks, 577) == para(577, 579, raw("2020-03", 577) + raw("2020-03", 579))
    assert at(blocks, 581) == head(581, 581, "哪些“潜力股”将受青睐？")
    assert at(blocks, 601) == head(601, 601, "半导体材料及设备企业")
    table = at(blocks, 603)
    assert table.kind == "table" and table.span == Span(603, 675)
    assert table.rows[0] == (
        "分类",
        "企业",
        "主营产品/进展",
        "2019年营收 (亿元)",
        "营收同比 增幅",
        "2019年净利 润(亿元)",
        "净利润同 比增幅",
    )
    assert len(table.rows) == 72 and {len(row) for row in table.rows} == {7}
    assert table.rows[2][:2] == ("", "上海硅产业集团")
    assert blocks[-1] == Block("source", Span(677, 677), "（来源：半导体投资联盟）")
    assert find_sources(lines) == (Source("半导体投资联盟", 677),)


def test_sample_2025_07_eda() -> None:
    # EDA 出口管制解除… — Markdown export: `###` and `#### **…**` headings, two tables.
    lines = body("2025-07", 1096, 1206)
    blocks = parse_blocks(lines)
    assert at(blocks, 1099) == head(1099, 1099, "(01) EDA 三巨头，解除出口禁令")
    assert at(blocks, 1123) == para(1123, 1125, raw("2025-07", 1123) + raw("2025-07", 1125))
    assert "芯片设计需要追求成功率" in at(blocks, 1123).text
    # `…三大厂商暂时都还未具备` goes on after the table; the table's title is no continuation.
    assert at(blocks, 1155) == para(1155, 1155, raw("2025-07", 1155))
    assert at(blocks, 1157) == head(1157, 1157, "国内三大 EDA 上市公司")
    table = at(blocks, 1159)
    assert table.kind == "table" and table.span == Span(1159, 1162)
    assert table.rows[0] == ("公司", "核心技术", "代表产品", "技术突破", "优势")
    assert [row[0] for row in table.rows[1:]] == ["华大九天", "概伦电子", "广立微"]
    assert at(blocks, 1164) == Block("caption", Span(1164, 1164), "数据来源：中商产业研究院")
    assert at(blocks, 1186) == head(1186, 1186, "(04)EDA 出口管制解除，影响几何？")
    assert at(blocks, 1188).span == Span(1188, 1190)
    assert at(blocks, 1117).kind == "paragraph"  # `至于 EDA 如何占据如此重要的地位？`
    assert blocks[-1] == Block("source", Span(1206, 1206), "(来源：半导纵横)")
    assert find_sources(lines) == (Source("半导纵横", 1206),)


def test_sample_2020_03_uniview() -> None:
    # AIoT时代认证！… — a photo caption, two product sub-headings over bullet lists.
    blocks = parse_blocks(body("2020-03", 86, 109))
    assert at(blocks, 93) == Block("caption", Span(93, 93), raw("2020-03", 93))
    assert at(blocks, 95) == head(95, 95, "HIC9381系列智能网络摄像机")
    products = at(blocks, 97)
    assert products.kind == "list" and products.span == Span(97, 99)
    assert [item[:8] for item in products.items] == [
        "业界首创单IP双",
        "搭载超强性能GP",
        "高强度外壳及正压",
    ]
    assert at(blocks, 101) == head(101, 101, "IPC-S64系列智能网络摄像机")
    assert at(blocks, 103).kind == "list"
    assert blocks[-1] == Block("source", Span(109, 109), "(来源：宇视科技)")


def test_sample_2020_03_photo_credits_are_no_sources() -> None:
    # 投资400亿元 富芯半导体… — two `（图片来源：滨江发布）` credits, then the article's sources.
    lines = body("2020-03", 175, 204)
    assert find_sources(lines) == (Source("滨江发布", 202), Source("全球半导体观察", 202))
    blocks = parse_blocks(lines)
    assert at(blocks, 180).kind == at(blocks, 186).kind == "caption"
    assert at(blocks, 202).kind == "source"


def test_sample_2020_03_picture_credit_in_source_form() -> None:
    # 百度天工物联网… — `（来源：网络公开图）` under the heading credits the photo (lead decision).
    lines = body("2020-03", 288, 309)
    assert find_sources(lines) == (Source("科技泰坦", 309),)
    assert at(parse_blocks(lines), 291).kind == "caption"


def test_sample_shanxi_appendix_table() -> None:
    # The Shanxi plan's appendix: one cell per tab-prefixed line, a header cell wrapping.
    text = (ROOT / "issues/documents/shanxi-semiconductor-2020-action-plan.txt").read_text(
        encoding="utf-8"
    )
    lines = [Line(i + 1, t) for i, t in enumerate(text.split("\n"))][55:]
    table = parse_blocks(lines)[0]
    assert table.kind == "table" and table.span.first == 56
    assert table.rows[0] == (
        "序号",
        "所在市",
        "企业名称",
        "项目名称",
        "建设起止年月",
        "总投资",
        "2020年计划投资",
    )
    assert len(table.rows) == 13 and {len(row) for row in table.rows} == {7}
    assert table.rows[1][:2] == ("1", "太原")


@pytest.mark.parametrize("issue_id", SAMPLES)
def test_whole_sample_every_line_in_one_block(issue_id: str) -> None:
    lines = sample_lines(issue_id)
    check_spans(lines, parse_blocks(lines))


# --- properties ----------------------------------------------------------------------------


def check_spans(lines: tuple[Line, ...] | list[Line], blocks: tuple[Block, ...]) -> None:
    """Spans in order, never overlapping, on non-blank lines, covering every non-blank line."""
    non_blank = [line.no for line in lines if line.text.strip()]
    for block in blocks:
        assert block.span.first <= block.span.last
        assert block.span.first in non_blank and block.span.last in non_blank
    for before, after in itertools.pairwise(blocks):
        assert before.span.last < after.span.first
    covered = [no for no in non_blank if any(b.span.first <= no <= b.span.last for b in blocks)]
    assert covered == non_blank


def squeeze(text: str) -> str:
    return "".join(text.split())


def shown(blocks: tuple[Block, ...]) -> str:
    """Every character a reader is shown, in order, without whitespace."""
    return "".join(
        squeeze(block.text)
        + "".join(squeeze(item) for item in block.items)
        + "".join(squeeze(cell) for row in block.rows for cell in row)
        for block in blocks
    )


# Characters that never make markup on their own: the markup is added by `_line` below.
_WORDS = st.text(
    alphabet=st.sampled_from(
        list("芯片半导体产业集成电路投资亿元杭州设计ABCxyz0123456789 。，、：；！？（）“”.,()")
    ),
    min_size=1,
    max_size=50,
).filter(lambda s: s.strip())
# A full printed line of running text cut off mid-sentence: what a page break leaves.
_BROKEN = st.text(
    alphabet=st.sampled_from(list("芯片半导体产业集成电路投资亿元，、")), min_size=31, max_size=60
).map(lambda s: s + "芯")
_NAMES = st.text(alphabet=st.sampled_from(list("滨江发布集微网芯榜")), min_size=1, max_size=8)
_CELL = st.one_of(st.just(""), _WORDS)


@st.composite
def _line(draw: st.DrawFn) -> tuple[str, str]:
    """A raw line and the characters of it that must be shown (markup removed)."""
    shape = draw(
        st.sampled_from(
            [
                *("blank", "text", "text", "text", "md", "bold", "html"),
                *("dash", "dot", "row", "cell", "source", "caption", "broken", "broken"),
            ]
        )
    )
    if shape == "blank":
        return draw(st.sampled_from(["", " ", "\t", "\u3000", "  "])), ""
    if shape == "row":
        cells = draw(st.lists(_CELL, min_size=2, max_size=5))
        return "\t".join(cells), "".join(cells)
    if shape == "broken":
        words = draw(_BROKEN)
        return words, words
    if shape == "source":
        name = draw(_NAMES)
        return f"（来源：{name}）", f"（来源：{name}）"
    words = draw(_BROKEN if shape == "dash" and draw(st.booleans()) else _WORDS)
    if shape == "text" and draw(st.booleans()):
        words += "。"  # running text that ends a sentence: a page break's continuation
    raw = {
        "text": words,
        "md": f"## {words}",
        "bold": f"**{words.strip()}**",
        "html": f"<b>{words}</b>",
        "dash": f"- {words}",
        "dot": f"· {words}",
        "cell": f"\t{words}",
        "caption": f"△ {words}",
    }[shape]
    return raw, (f"△ {words}" if shape == "caption" else words)


_BODIES = st.tuples(st.lists(_line(), max_size=25), st.integers(1, 3000))


@settings(max_examples=100)
@given(_BODIES)
def test_no_text_lost_and_none_repeated(drawn: tuple[list[tuple[str, str]], int]) -> None:
    specs, first = drawn
    lines = [Line(first + i, raw) for i, (raw, _) in enumerate(specs)]
    assert shown(parse_blocks(lines)) == squeeze("".join(content for _, content in specs))


@settings(max_examples=100)
@given(_BODIES)
def test_spans_in_order_without_overlap(drawn: tuple[list[tuple[str, str]], int]) -> None:
    specs, first = drawn
    lines = [Line(first + i, raw) for i, (raw, _) in enumerate(specs)]
    check_spans(lines, parse_blocks(lines))


@settings(max_examples=100)
@given(_BODIES)
def test_deterministic_and_independent_of_numbering(
    drawn: tuple[list[tuple[str, str]], int],
) -> None:
    specs, first = drawn
    lines = [Line(first + i, raw) for i, (raw, _) in enumerate(specs)]
    blocks = parse_blocks(lines)
    assert parse_blocks(tuple(lines)) == blocks
    renumbered = parse_blocks([Line(line.no - first + 1, line.text) for line in lines])
    shift = first - 1
    assert [
        (b.kind, b.text, b.items, b.rows, b.span.first + shift, b.span.last + shift)
        for b in renumbered
    ] == [(b.kind, b.text, b.items, b.rows, b.span.first, b.span.last) for b in blocks]


_PROSE = st.text(
    alphabet=st.sampled_from(list("芯片半导体产业集成电路投资亿元，、")), max_size=40
).map(lambda s: "产" + s)


@settings(max_examples=100)
@given(_BROKEN, st.lists(_PROSE, min_size=1, max_size=3), st.integers(1, 3), st.booleans())
def test_page_break_rejoins_the_sentence(
    broken: str, rest: list[str], blanks: int, as_item: bool
) -> None:
    # A full line cut mid-sentence, blank lines where the page ended, and the rest of the
    # paragraph printed as one or more lines: one paragraph (or list item), nothing between.
    rest = [*rest[:-1], rest[-1] + "。"]
    lines = lines_of("\n".join([("- " if as_item else "") + broken, *[""] * blanks, *rest]))
    span = Span(1, len(lines))
    text = broken + "\n".join(rest)
    expected = Block("list", span, items=(text,)) if as_item else para(1, len(lines), text)
    assert parse_blocks(lines) == (expected,)
