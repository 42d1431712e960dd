"""Policy documents: masthead facts, outline levels and run-in headings, attachment tables,
display blocks and the ledger — on the two sample documents (goldens), on the 芯政策 texts of
issue 2020-03, and on small hand-made shapes.

Regenerate the goldens on purpose only, then read the diff against the raw text:
    .venv/bin/python tests/test_documents.py --write-goldens
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.documents import check_outline, parse_document, parse_outline, parse_tables
from generator.keys import fold_width
from generator.model import Document, Line, RawFile, Span

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_DIR = ROOT / "tests" / "golden" / "documents"
DOCUMENTS = ("qiantang-zhongguo-xingu-plan", "shanxi-semiconductor-2020-action-plan")
PATH = "issues/documents/sample.txt"


# --- helpers ------------------------------------------------------------------------------------


def lines_from(text: str, first: int = 1) -> list[Line]:
    return [Line(no=i, text=t) for i, t in enumerate(text.split("\n"), first)]


def raw_from(text: str, path: str = PATH) -> RawFile:
    return RawFile(path=path, lines=tuple(lines_from(text)), encoding="utf-8", digest="x")


def read_text(relative: str) -> str:
    return (ROOT / relative).read_bytes().decode("utf-8").replace("\r\n", "\n")


def sample(doc_id: str) -> RawFile:
    return raw_from(read_text(f"issues/documents/{doc_id}.txt"), f"issues/documents/{doc_id}.txt")


def outline_of(text: str) -> list[tuple[int, str, str]]:
    return [(e.level, e.number, e.text) for e in parse_outline(lines_from(text))]


def golden_data(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "status": doc.status,
        "issuer": doc.issuer,
        "region": doc.region,
        "year": doc.year,
        "doc_number": doc.doc_number,
        "outline": [
            {"line": e.line, "level": e.level, "number": e.number, "text": e.text}
            for e in doc.outline
        ],
        "tables": [
            {
                "lines": [t.span.first, t.span.last],
                "caption": t.caption,
                "unit": t.unit,
                "columns": list(t.columns),
                "rows": [list(row) for row in t.rows],
            }
            for t in doc.tables
        ],
        "problems": [{"line": p.line, "code": p.code, "message": p.message} for p in doc.problems],
        "regions": [
            {"kind": r.kind, "lines": [r.span.first, r.span.last], "label": r.label}
            for r in doc.regions
        ],
    }


def dump_golden(doc: Document) -> str:
    """The golden YAML of `doc`: readable Chinese, one outline entry and table row per line."""
    header = (
        f"# Golden for {doc.path}.\n"
        "# Regenerate: .venv/bin/python tests/test_documents.py --write-goldens\n"
        "# then check every changed entry against the raw text (grep -n) before committing.\n"
    )
    body = yaml.safe_dump(
        golden_data(doc), allow_unicode=True, sort_keys=False, width=4096, default_flow_style=None
    )
    return header + body


# --- goldens: the two sample documents ---------------------------------------------------------


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_golden(doc_id: str) -> None:
    expected = yaml.safe_load((GOLDEN_DIR / f"{doc_id}.yml").read_text(encoding="utf-8"))
    assert golden_data(parse_document(sample(doc_id))) == expected


def test_qiantang_facts() -> None:
    doc = parse_document(sample("qiantang-zhongguo-xingu-plan"))
    assert (doc.id, doc.title, doc.status) == (
        "qiantang-zhongguo-xingu-plan",
        "“中国芯谷”建设规划方案",
        "征求意见稿",
    )
    # Line 12 cites 浙政办发(2022)54号 and line 27 钱塘区委人办〔2023〕6号: other policies' numbers.
    assert doc.doc_number is None
    # No signature, no issuing organ, no date is printed; the body calls itself 我区 (line 25).
    assert (doc.issuer, doc.year, doc.region) == (None, None, "钱塘区")
    levels = [e.level for e in doc.outline]
    assert (levels.count(1), levels.count(2), levels.count(3)) == (5, 21, 42)


def test_shanxi_facts() -> None:
    doc = parse_document(sample("shanxi-semiconductor-2020-action-plan"))
    assert doc.title == "山西省半导体产业集群创新生态建设2020年行动计划"  # lines 1 and 3 joined
    assert (doc.status, doc.doc_number, doc.issuer) == (None, None, None)
    assert (doc.region, doc.year) == ("山西省", 2020)
    [table] = doc.tables
    assert table.span == Span(56, 162)
    assert len(table.columns) == 7 and len(table.rows) == 12
    assert table.unit is None  # 万元 is nowhere in the text
    assert doc.problems == ()


def test_shanxi_blocks_around_the_table() -> None:
    blocks = parse_document(sample("shanxi-semiconductor-2020-action-plan")).blocks
    tail = [(b.kind, b.span, b.text) for b in blocks[-3:]]
    assert tail[:2] == [
        ("heading", Span(53, 53), "附件"),
        ("caption", Span(54, 54), "山西省半导体产业2020年重点项目表"),
    ]
    table = blocks[-1]
    assert (table.kind, table.span) == ("table", Span(56, 162))
    assert table.rows[0][4] == "建设起止年月" and table.rows[0][6] == "2020年计划投资"
    assert table.rows[12] == (
        "12", "忻州", "忻州元鸿信息材料有限公司", "声波表面滤波材料制造及加工项目",
        "2019.06-2020.02", "46552", "4000",
    )  # fmt: skip


def test_qiantang_run_in_blocks() -> None:
    blocks = parse_document(sample("qiantang-zhongguo-xingu-plan")).blocks
    on_17 = [(b.kind, b.text[:12]) for b in blocks if b.span == Span(17, 17)]
    assert on_17 == [("heading", "1. 区位优势明显。"), ("paragraph", "钱塘区位于杭州城市北接上")]
    [on_9] = [b for b in blocks if b.span == Span(9, 9)]
    assert (on_9.kind, on_9.text) == ("heading", "（一）产业现状")  # bookmarks and space gone
    [on_81] = [b for b in blocks if b.span == Span(81, 81)]
    assert on_81.kind == "paragraph" and on_81.text.startswith("要“瞄准事关")


# --- the 芯政策 texts of a newsletter issue --------------------------------------------------


def test_outline_of_newsletter_policy() -> None:
    """2020-03 lines 1003–1071, checked against the text: 省疫情防控〔2020〕15号."""
    lines = lines_from(read_text("issues/2020-03.txt"))[1002:1071]
    found = [(e.line, e.level, e.number, e.text) for e in parse_outline(lines)]
    assert found == [
        (1009, 1, "一、", "总体目标"),
        (1013, 1, "二、", "主要任务"),
        (1015, 2, "（一）", "最快速度落实减税政策，力争实现减税90亿元左右"),
        (1017, 3, "1.", "迅速落实落细国家一揽子税收优惠政策"),
        (1019, 2, "（二）", "最大程度加大减费支持，力争实现减费930亿元左右"),
        (1021, 3, "2.", "全面实施阶段性减免企业社会保险费，减费549亿元"),
        (1023, 3, "3.", "全面落实失业保险稳岗返还政策，返还105亿元"),
        (1025, 3, "4.", "全力减免公路通行费和港口收费，减费139.7亿元"),
        (1027, 3, "5.", "全力降低企业水电气成本，减费98.9亿元"),
        (1029, 3, "6.", "全面落实残疾人就业保障金减免政策，减费20亿元，执行期限为2020年全年"),
        (1033, 3, "7.", "全力减少政府性收费，减费19.5亿元"),
        (1035, 3, "8.", "全力降低政策性融资担保成本，减费2亿元"),
        (1037, 2, "（三）", "最大限度落地减租费用，力争实现减租80亿元左右"),
        (1039, 3, "9.", "全面落实国有资产减租政策，减租27.54亿元"),
        (1041, 3, "10.", "切实降低承租商场经营户租金"),
        (1043, 3, "11.", "切实降低开发区企业租金"),
        (1045, 3, "12.", "切实降低非国有商品交易市场租金"),
        (1047, 3, "13", "切实降低科技创新企业租金"),  # printed without its 。
        (1049, 2, "（四）", "最大力度扩大减息优惠，力争实现减息170亿元左右"),
        (1051, 3, "14.", "大力降低部分行业企业应付贷款利息"),
        (1053, 3, "15.", "大力降低中小微企业融资成本"),
        (1055, 3, "16.", "大力降低企业贷款利率"),
        (1057, 3, "17.", "大力降低重点项目融资成本"),
        (1059, 2, "（五）", "最大幅度加大政府减支，力争实现减支230亿元左右"),
        (1061, 3, "18.", "大幅压减政府开支"),
        (1063, 1, "三、", "保障措施"),
        (1065, 2, "（一）", "体系化推进机制"),
        (1067, 2, "（二）", "闭环管理机制"),
        (1069, 2, "（三）", "优服务促落实机制"),
    ]
    problems = check_outline(parse_outline(lines), "issues/2020-03.txt")
    assert [(p.line, p.code) for p in problems] == [(1047, "outline-separator-missing")]


def test_outline_of_newsletter_notice_mixes_separators() -> None:
    """2020-03 lines 1131–1264: `1.` under （二） and `1、` under （三） are one level."""
    lines = lines_from(read_text("issues/2020-03.txt"))[1130:1264]
    found = {e.line: (e.level, e.number, e.text) for e in parse_outline(lines)}
    assert found[1165] == (3, "1.", "研发类项目")
    assert found[1177] == (3, "1、", "项目申报以企业（含各类独立法人单位，下同）自愿为原则")
    assert found[1185] == (3, "4、", "格式规范")
    assert found[1257] == (1, "附件", "附件")
    assert 1183 not in found and 1259 not in found  # `（<http://…>）`, `- 1、…` list item
    assert check_outline(parse_outline(lines), "x") == ()


# --- outline shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("１．区位优势明显", [(1, "１．", "区位优势明显")], id="full-width-digit"),
        pytest.param(
            "(一) 强化政治引领。完善党对平台建设的领导。",
            [(1, "(一)", "强化政治引领")],
            id="half-width-paren",
        ),
        pytest.param("（1）加强统筹", [(1, "（1）", "加强统筹")], id="full-width-arabic-paren"),
        pytest.param(
            "1. 区位优势明显。钱塘区位于杭州城市北接上海。",
            [(1, "1.", "区位优势明显")],
            id="run-in",
        ),
        pytest.param(
            "23.推出百万专业载体，解决空间卡点",
            [(1, "23.", "推出百万专业载体，解决空间卡点")],
            id="whole-line-heading",
        ),
        pytest.param("（三）支持科技创新。", [(1, "（三）", "支持科技创新")], id="closing-stop"),
        pytest.param(
            "（一）行业咨询服务：接受会员单位上门、电话等咨询。",
            [(1, "（一）", "行业咨询服务")],
            id="colon-run-in",
        ),
        pytest.param(
            "1.落实“一件事。”改革。其余正文。",
            [(1, "1.", "落实“一件事。”改革")],
            id="stop-inside-quotes",
        ),
        pytest.param(
            "（1）最近一年销售收入小于5,000万元的企业，比例不低于5%；",
            [(1, "（1）", "最近一年销售收入小于5,000万元的企业，比例不低于5%")],
            id="semicolon-item",
        ),
        pytest.param(
            " [bookmark: _Toc488779070][bookmark: _Toc1061037579]（一）产业现状",
            [(1, "（一）", "产业现状")],
            id="bookmark",
        ),
        pytest.param("### （一）专业范围", [(1, "（一）", "专业范围")], id="markdown-heading"),
        pytest.param("①加强统筹协调", [(1, "①", "加强统筹协调")], id="circled"),
        pytest.param(
            "附件1：山西省半导体产业2020年重点项目表",
            [(1, "附件1", "山西省半导体产业2020年重点项目表")],
            id="attachment-with-title",
        ),
        pytest.param(" 附件", [(1, "附件", "附件")], id="attachment-bare"),
        pytest.param("前言", [(1, "", "前言")], id="front-matter"),
        pytest.param("结 语", [(1, "", "结 语")], id="back-matter-spaced"),
        pytest.param("2.5D封装技术已经成熟。", [], id="decimal-not-number"),
        pytest.param("16.9%。产品供应能力提升。", [], id="wrapped-percentage"),
        pytest.param("2020年，重点推动产业园实施。", [], id="year-start"),
        pytest.param("一是打造太原三代半导体产业集群。", [], id="enumeration-word"),
        pytest.param("\t1", [], id="table-cell"),
        pytest.param("（责任单位：省财政厅、浙江省税务局）", [], id="parenthesis-not-number"),
        pytest.param("10.....\t華芯科瑞\t2020年11月23日", [], id="leader-dots"),
        pytest.param("- 1、2020年杭州市制造业企业技术改造项目申报材料；", [], id="list-item"),
        pytest.param("附件材料请于3月16日前报送。", [], id="attachment-word-in-sentence"),
        pytest.param("核心产业规模偏小。从产业规模看，规模偏小。", [], id="unnumbered-run-in"),
    ],
)
def test_outline_shapes(text: str, expected: list[tuple[int, str, str]]) -> None:
    assert outline_of(text) == expected


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        pytest.param("一、甲\n（一）乙\n1.丙\n（1）丁\n①戊", [1, 2, 3, 4, 5], id="five-levels"),
        pytest.param("（一）甲\n1.乙\n2.丙\n（二）丁", [1, 2, 2, 1], id="starts-at-cn-paren"),
        pytest.param(
            "前言\n（一）产业现状\n1. 区位优势明显。正文。\n三、产业体系\n（一）塑造核心优势",
            [1, 2, 3, 1, 2],
            id="lost-top-headings",
        ),
        pytest.param("一、甲\n1.乙\n（1）丙\n附件2", [1, 2, 3, 1], id="skipped-style"),
        pytest.param(
            "1.甲\n12.乙\n13切实降低科技创新企业租金。\n13亿元投资到位。",
            [1, 1, 1],
            id="bare-number",
        ),
    ],
)
def test_outline_levels(text: str, levels: list[int]) -> None:
    assert [level for level, _, _ in outline_of(text)] == levels


# --- numbering checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "一、甲\n（一）乙\n（三）丙",
            [(3, "outline-gap", "heading “（三）丙” follows （一）; expected （二）")],
            id="gap",
        ),
        pytest.param("一、甲\n（一）乙\n（二）丙\n二、丁\n（一）戊", [], id="restart-per-parent"),
        pytest.param(
            "一、甲\n（一）乙\n1.丙\n2.丁\n（二）戊\n3.己\n4.庚", [], id="continuous-across-parents"
        ),
        pytest.param(
            "前言\n（一）产业现状\n三、产业体系",
            [
                (
                    3,
                    "outline-gap",
                    "heading “三、产业体系” is the first of its level under its parent heading "
                    "but is numbered 三、; expected 一、",
                )
            ],
            id="first-not-one",
        ),
        pytest.param(
            "（一）甲\n（二）乙\n（二）丙",
            [(3, "outline-gap", "heading “（二）丙” follows （二）; expected （三）")],
            id="repeat",
        ),
        pytest.param(
            "1. 甲\n2. 乙\n4. 丙",
            [(3, "outline-gap", "heading “4.丙” follows 2.; expected 3.")],
            id="arabic-gap",
        ),
        pytest.param(
            "1.甲\n2.乙\n3切实降低科技创新企业租金。",
            [
                (
                    3,
                    "outline-separator-missing",
                    "heading “3切实降低科技创新企业租金” prints no separator after its number; "
                    "it was read as 3. because the headings before it count up to it",
                )
            ],
            id="separator-missing",
        ),
        pytest.param(
            "附件1：甲表\n附件3：丙表",
            [(2, "outline-gap", "heading “附件3丙表” follows 附件1; expected 附件2")],
            id="attachment-gap",
        ),
        pytest.param("一、甲\n二、乙\n附件1：甲表\n附件2：乙表", [], id="attachments-own-sequence"),
    ],
)
def test_check_outline(text: str, expected: list[tuple[int, str, str]]) -> None:
    problems = check_outline(parse_outline(lines_from(text)), PATH)
    assert [(p.line, p.code, p.message) for p in problems] == expected
    assert all(p.path == PATH and p.severity == "warning" for p in problems)


# --- tables -----------------------------------------------------------------------------------

HEADER = "\t序号\n\t所在市\n\t企业名称\n\t项目名称\n\t建设起\n\n止年月\n\t总投资\n"
ROW_1 = (
    "\n\t1\n\t太原\n\t中国电子科技集团公司第二研究所\n\t创新产业园\n\t2018-2023\n\t33151\n\t20000\n"
)
ROW_2 = (
    "\n\t2\n\t忻州\n\t北纬三十八度集成电路制造有限公司\n\t滤波器项目\n\t2019.8-2022.8\n"
    "\t109595\n\t13299\n"
)
ROW_3 = (
    "\n\t3\n\t忻州\n\t山西华晶恒基新材料有限公司\n\t衬底项目\n\t2019.3-2021.9\n\t119222\n\t4189\n"
)
COLUMNS = ("序号", "所在市", "企业名称", "项目名称", "建设起止年月", "总投资")


def table_of(text: str) -> tuple[Any, list[tuple[int | None, str, str]]]:
    doc = parse_document(raw_from("标题\n正文第一段。\n" + text))
    assert len(doc.tables) == 1
    return doc.tables[0], [(p.line, p.code, p.message) for p in doc.problems]


@pytest.mark.parametrize(
    ("text", "columns", "rows", "problems"),
    [
        pytest.param(
            "附件\n重点项目表\n\n" + HEADER + "\t2020年\n\n计划投资\n" + ROW_1,
            (*COLUMNS, "2020年计划投资"),
            [
                (
                    "1",
                    "太原",
                    "中国电子科技集团公司第二研究所",
                    "创新产业园",
                    "2018-2023",
                    "33151",
                    "20000",
                )
            ],
            [],
            id="header-wraps",
        ),
        pytest.param(
            "重点项目表\n\n"
            + HEADER
            + "\t2020年计划投资\n"
            + ROW_1
            + "\n\t2\n\t北纬三十八度集成电路制造有限公司\n\t滤波器项目\n\t2019.8-2022.8\n"
            "\t109595\n\t13299\n" + ROW_3,
            (*COLUMNS, "2020年计划投资"),
            [
                (
                    "1",
                    "太原",
                    "中国电子科技集团公司第二研究所",
                    "创新产业园",
                    "2018-2023",
                    "33151",
                    "20000",
                ),
                (
                    "2",
                    "",
                    "北纬三十八度集成电路制造有限公司",
                    "滤波器项目",
                    "2019.8-2022.8",
                    "109595",
                    "13299",
                ),
                (
                    "3",
                    "忻州",
                    "山西华晶恒基新材料有限公司",
                    "衬底项目",
                    "2019.3-2021.9",
                    "119222",
                    "4189",
                ),
            ],
            [
                (
                    23,
                    "table-ragged",
                    "row 2 of table “重点项目表” (line 23) has 6 cells for 7 columns; "
                    "read as empty: 所在市",
                )
            ],
            id="table-missing-cell",
        ),
        pytest.param(
            "重点项目表\n\n"
            + HEADER
            + "\t2020年计划投资\n"
            + ROW_1
            + "\n\t2\n\t忻州\n\t北纬三十八度集成电路制造有限公司\n\t滤波器项目\n"
            "\t2019.8-2022.8\n\t109595\n\t13299\n",
            (*COLUMNS, "2020年计划投资"),
            [
                (
                    "1",
                    "太原",
                    "中国电子科技集团公司第二研究所",
                    "创新产业园",
                    "2018-2023",
                    "33151",
                    "20000",
                ),
                (
                    "2",
                    "忻州",
                    "北纬三十八度集成电路制造有限公司",
                    "滤波器项目",
                    "2019.8-2022.8",
                    "109595",
                    "13299",
                ),
            ],
            [],
            id="table-complete",
        ),
        pytest.param(
            "重点项目表\n\n" + HEADER + ROW_1.replace("\t33151", "\t3315\n\t1"),
            COLUMNS,
            [
                (
                    "1",
                    "太原",
                    "中国电子科技集团公司第二研究所",
                    "创新产业园",
                    "2018-2023",
                    "3315",
                    "1",
                    "20000",
                )
            ],
            [
                (
                    14,
                    "table-ragged",
                    "row 1 of table “重点项目表” (line 14) has 8 cells for 6 columns; "
                    "the extra cells are kept at the end of the row",
                )
            ],
            id="table-extra-cell",
        ),
        pytest.param(
            "重点项目表\n\n"
            + HEADER
            + ROW_1.replace("\t20000\n", "").replace("33151", "2")
            + ROW_2.replace("\t13299\n", ""),
            COLUMNS,
            [
                ("1", "太原", "中国电子科技集团公司第二研究所", "创新产业园", "2018-2023", "2"),
                (
                    "2",
                    "忻州",
                    "北纬三十八度集成电路制造有限公司",
                    "滤波器项目",
                    "2019.8-2022.8",
                    "109595",
                ),
            ],
            [],
            id="data-cell-equals-next-serial",
        ),
        pytest.param(
            "表1 产量（单位：万片）\n\n\t企业\n\t产量\n\n\t中欣晶圆\n\t240\n\n\t立昂微\n\t120\n",
            ("企业", "产量"),
            [("中欣晶圆", "240"), ("立昂微", "120")],
            [],
            id="rows-by-blank-lines",
        ),
        pytest.param(
            "附件1：重点项目表\n\n\t序号\n\t企业\n\t总投资（万元）\n\t1\n\t中欣晶圆\n\t500\n"
            "\t2\n\t立昂微\n\t300\n",
            ("序号", "企业", "总投资（万元）"),
            [("1", "中欣晶圆", "500"), ("2", "立昂微", "300")],
            [],
            id="caption-in-attachment-heading",
        ),
        pytest.param(
            "重点项目表\n\n\t序号\n\t企业\n\t总投资\n\t1\n\t中欣晶圆\n- 3 -\n\t500\n",
            ("序号", "企业", "总投资"),
            [("1", "中欣晶圆", "500")],
            [],
            id="page-number-inside-table",
        ),
    ],
)
def test_tables(
    text: str,
    columns: tuple[str, ...],
    rows: list[tuple[str, ...]],
    problems: list[tuple[int, str, str]],
) -> None:
    table, found = table_of(text)
    assert table.columns == columns
    assert list(table.rows) == rows
    assert found == problems


@pytest.mark.parametrize(
    ("text", "caption", "unit"),
    [
        pytest.param(
            "附件\n重点项目表\n\n\t序号\n\t企业\n\t1\n\t甲\n", "重点项目表", None, id="shanxi"
        ),
        pytest.param(
            "表1 产量（单位：万片）\n\t企业\n\t产量\n\t甲\n\t1\n",
            "表1 产量（单位：万片）",
            "万片",
            id="unit-in-caption",
        ),
        pytest.param(
            "附件1：重点项目表\n\t序号\n\t总投资（万元）\n\t1\n\t5\n",
            "重点项目表",
            "万元",
            id="unit-in-header",
        ),
        pytest.param(
            "各地要认真组织申报。\n\t序号\n\t企业\n\t1\n\t甲\n",
            "",
            None,
            id="sentence-is-no-caption",
        ),
    ],
)
def test_table_caption_and_unit(text: str, caption: str, unit: str | None) -> None:
    [table] = parse_tables(lines_from(text))
    assert (table.caption, table.unit) == (caption, unit)


def test_a_lone_tabbed_line_is_no_table() -> None:
    doc = parse_document(raw_from("标题\n正文第一段。\n\t缩进的一段话。\n"))
    assert doc.tables == ()
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


# --- masthead facts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        pytest.param(
            "“中国芯谷”建设规划方案（征求意见稿）\n前言\n正文。",
            ("“中国芯谷”建设规划方案", "征求意见稿", None, None, None),
            id="status-on-title-line",
        ),
        pytest.param(
            "财 政 部 税 务 总 局 文 件\n\n财税〔2023〕17号\n\n"
            "财政部 税务总局关于集成电路企业 增值税加计抵减政策的通知\n\n各省、自治区：\n正文。",
            (
                "财政部 税务总局关于集成电路企业 增值税加计抵减政策的通知",
                None,
                "财税〔2023〕17号",
                "财政部 税务总局",
                None,
            ),
            id="letterhead-and-number",
        ),
        pytest.param(
            "杭州市人民政府办公厅文件\n杭政办函〔2023〕58号\n杭州市人民政府办公厅关于印发方案的通知\n正文。",
            (
                "杭州市人民政府办公厅关于印发方案的通知",
                None,
                "杭政办函〔2023〕58号",
                "杭州市人民政府办公厅",
                None,
            ),
            id="issuer-before-guanyu",
        ),
        pytest.param(
            "某某方案\n根据《若干政策》（浙政办发〔2022〕54号）制定本方案。",
            ("某某方案", None, None, None, None),
            id="cited-number-is-not-own",
        ),
        pytest.param(
            "关于进一步支持小微企业渡过难关的意见\n正文。\n浙江省新型冠状病毒肺炎\n"
            "疫情防控工作领导小组\n2020年3月6日",
            (
                "关于进一步支持小微企业渡过难关的意见",
                None,
                None,
                "浙江省新型冠状病毒肺炎疫情防控工作领导小组",
                2020,
            ),
            id="signature",
        ),
        pytest.param(
            "中共浙江省委 浙江省人民政府 关于以新发展理念引领制造业 高质量发展的若干意见\n"
            "(2020年3月13日)\n为深入贯彻，现提出如下意见。",
            (
                "中共浙江省委 浙江省人民政府 关于以新发展理念引领制造业 高质量发展的若干意见",
                None,
                None,
                "中共浙江省委 浙江省人民政府",
                2020,
            ),
            id="date-line",
        ),
    ],
)
def test_masthead_facts(text: str, facts: tuple[Any, ...]) -> None:
    doc = parse_document(raw_from(text))
    assert (doc.title, doc.status, doc.doc_number, doc.issuer, doc.year) == facts


@pytest.mark.parametrize(
    ("text", "region"),
    [
        pytest.param("山西省半导体产业行动计划\n正文。", "山西省", id="title-place"),
        pytest.param(
            "中共浙江省委 浙江省人民政府 关于若干意见\n正文。", "浙江省", id="issuer-place"
        ),
        pytest.param(
            "宁波市镇海区人民政府关于印发办法的通知\n正文。", "镇海区", id="most-specific-place"
        ),
        pytest.param(
            "规划方案\n钱塘区位于杭州。钱塘区产业强。我区企业多。钱塘区核心区建设。",
            "钱塘区",
            id="self-reference",
        ),
        pytest.param("规划方案\n杭州市滨江区与萧山区合作。", None, id="no-self-reference"),
    ],
)
def test_region(text: str, region: str | None) -> None:
    assert parse_document(raw_from(text)).region == region


def test_missing_title_is_reported() -> None:
    doc = parse_document(raw_from("一、总体要求\n正文。"))
    assert doc.title == ""
    assert [(p.line, p.code) for p in doc.problems] == [(1, "document-title-missing")]


# --- blocks and ledger ------------------------------------------------------------------------


def test_blocks_and_regions_of_artifacts() -> None:
    text = (
        "某某方案\n(征求意见稿)\n\n[bookmark: _Toc1]\n前言\n正文一。\n- 3 -\n12\n"
        "1. 区位优势明显。后面是正文。\n第2页\n[bookmark: _Toc2]（二）战略定位\n"
    )
    doc = parse_document(raw_from(text))
    assert [(b.kind, b.span.first, b.text) for b in doc.blocks] == [
        ("heading", 5, "前言"),
        ("paragraph", 6, "正文一。"),
        ("heading", 9, "1. 区位优势明显。"),
        ("paragraph", 9, "后面是正文。"),
        ("heading", 11, "（二）战略定位"),
    ]
    assert [(r.kind, r.span.first, r.span.last, r.label) for r in doc.regions] == [
        ("masthead", 1, 2, "题名"),
        ("boilerplate", 4, 4, "书签"),
        ("article", 5, 6, "sample"),
        ("boilerplate", 7, 8, "页码"),
        ("article", 9, 9, "sample"),
        ("boilerplate", 10, 10, "页码"),
        ("article", 11, 11, "sample"),
    ]


# --- properties -------------------------------------------------------------------------------

_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(ord("0"), ord("9") + 1)} | {
    ".": "．",
    "(": "（",
    ")": "）",
}
_NARROW = {wide: narrow for narrow, wide in _WIDE.items()}


def flip_widths(text: str, rng: random.Random) -> str:
    """Each digit, `.` and bracket turned to the other width or left, at random."""
    return "".join((_WIDE.get(c) or _NARROW.get(c) or c) if rng.random() < 0.5 else c for c in text)


def policy_texts() -> list[str]:
    texts = [read_text(f"issues/documents/{doc_id}.txt") for doc_id in DOCUMENTS]
    issue = read_text("issues/2020-03.txt").split("\n")
    texts.append("\n".join(issue[910:1264]))  # the four 芯政策 texts of 2020-03
    return texts


POLICY_TEXTS = policy_texts()


def outline_key(doc_text: str) -> list[tuple[int, int, str, str]]:
    return [
        (e.line, e.level, fold_width(e.number), fold_width(e.text))
        for e in parse_document(raw_from(doc_text)).outline
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(range(len(POLICY_TEXTS))), seed=st.integers(0, 2**32))
def test_levels_do_not_depend_on_widths(which: int, seed: int) -> None:
    text = POLICY_TEXTS[which]
    assert outline_key(flip_widths(text, random.Random(seed))) == outline_key(text)


_LOOKS_NUMBERED = re.compile(
    r"^[\s0-9０-９一二三四五六七八九十百零〇（(\[#①-⑳㈠-㈩⑴-⒇]|^附\s*[件表]"
)
_ALONE_WORDS = {"前言", "引言", "序言", "导言", "结语", "结束语", "后记", "总则", "附则"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(range(len(POLICY_TEXTS))), data=st.data())
def test_rewrapping_a_paragraph_keeps_the_outline(which: int, data: st.DataObject) -> None:
    text = POLICY_TEXTS[which]
    doc = parse_document(raw_from(text))
    heading_lines = {e.line for e in doc.outline}
    candidates = [
        b.span.first
        for b in doc.blocks
        if b.kind == "paragraph" and b.span.first not in heading_lines and len(b.text) > 4
    ]
    no = data.draw(st.sampled_from(candidates))
    lines = text.split("\n")
    line = lines[no - 1]
    cut = data.draw(st.integers(min_value=1, max_value=len(line) - 1))
    head, tail = line[:cut], line[cut:]
    assume(head.strip() and tail.strip() and not _LOOKS_NUMBERED.match(tail))
    assume(re.sub(r"\s", "", head) not in _ALONE_WORDS)
    rewrapped = "\n".join([*lines[: no - 1], head, tail, *lines[no:]])
    before = [(e.level, e.number, e.text) for e in doc.outline]
    after = [(e.level, e.number, e.text) for e in parse_document(raw_from(rewrapped)).outline]
    assert after == before


_FRAGMENTS = (
    "",
    "",
    "   ",
    "某某建设规划方案",
    "(征求意见稿)",
    "前言",
    "一、总体要求",
    "（二）战略定位",
    "1. 区位优势明显。后面是正文，还有很多字。",
    "13切实降低租金。",
    "（1）最近一年销售收入不低于5%；",
    "①加强统筹",
    "附件",
    "附件1：重点项目表",
    "正文段落，说明情况。",
    "核心产业规模偏小。从产业规模看。",
    "[bookmark: _Toc1]",
    "[bookmark: _Toc2]（三）发展目标",
    "- 3 -",
    "12",
    "\t序号",
    "\t1",
    "\t太原",
    "止年月",
    "\t2019.8-2022.8",
    "\t\t数量\t金额",
    "浙江省经济和信息化局",
    "2020年3月3日",
    "财税〔2023〕17号",
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_every_non_blank_line_is_in_exactly_one_region(fragments: list[str]) -> None:
    raw = raw_from("\n".join(fragments))
    doc = parse_document(raw)
    counted = [no for r in doc.regions for no in range(r.span.first, r.span.last + 1)]
    assert len(counted) == len(set(counted))
    assert all(
        a.span.last < b.span.first for a, b in zip(doc.regions, doc.regions[1:], strict=False)
    )
    non_blank = {line.no for line in raw.lines if line.text.strip()}
    assert non_blank <= set(counted)
    assert all(raw.lines[r.span.first - 1].text.strip() for r in doc.regions)
    assert parse_document(raw) == doc  # parsing twice gives the same document


_ALPHABET = "一二三四五六七八九十（）()、.．1２3①附件前言。；：:\t -[]bookmark:_Toc号〔〕年月日甲乙"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=12), max_size=30))
def test_any_text_parses_without_raising(texts: list[str]) -> None:
    raw = raw_from("\n".join(texts))
    doc = parse_document(raw)
    counted = [no for r in doc.regions for no in range(r.span.first, r.span.last + 1)]
    assert len(counted) == len(set(counted))
    assert {line.no for line in raw.lines if line.text.strip()} <= set(counted)
    assert all(p.code in CODES for p in doc.problems)


CODES = {"outline-gap", "outline-separator-missing", "table-ragged", "document-title-missing"}


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_samples_account_for_every_line(doc_id: str) -> None:
    raw = sample(doc_id)
    doc = parse_document(raw)
    counted = [no for r in doc.regions for no in range(r.span.first, r.span.last + 1)]
    assert len(counted) == len(set(counted))
    assert {line.no for line in raw.lines if line.text.strip()} <= set(counted)


# --- regeneration -----------------------------------------------------------------------------


def write_goldens() -> None:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for doc_id in DOCUMENTS:
        target = GOLDEN_DIR / f"{doc_id}.yml"
        target.write_text(dump_golden(parse_document(sample(doc_id))), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-goldens"]:
        sys.exit("usage: python tests/test_documents.py --write-goldens")
    write_goldens()
