"""Companies, organisations and policies: the registry, recognition, discovery, the pages.

Expected values come from reading the sample texts (line numbers as `grep -n` shows them), not
from what the recogniser printed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.documents import parse_document
from generator.entities import (
    Entities,
    Entity,
    Matcher,
    Registry,
    archive_entities,
    company_core,
    find_doc_numbers,
    find_entities,
    find_legal_names,
    is_generic,
    level_of,
    name_key,
    parse_registry,
    parse_registry_file,
    policy_core,
    recognise,
    render_candidates,
    scan_document,
    scan_issue,
)
from generator.keys import match_key
from generator.model import (
    Article,
    Block,
    Issue,
    Line,
    Masthead,
    Match,
    Region,
    Section,
    Span,
)
from generator.pages import linked_text, render_block
from generator.read import decode_file, read_registry
from tests.conftest import ROOT

DOCUMENTS = ("qiantang-zhongguo-xingu-plan", "shanxi-semiconductor-2020-action-plan")


@pytest.fixture(scope="session")
def registry() -> Registry:
    return parse_registry(read_registry(ROOT).files)


@pytest.fixture(scope="session")
def documents() -> list:
    found = []
    for name in DOCUMENTS:
        path = f"issues/documents/{name}.txt"
        found.append(parse_document(decode_file(path, (ROOT / path).read_bytes())))
    return found


@pytest.fixture(scope="session")
def found(sample_issues, documents, registry) -> Entities:
    return find_entities(registry, list(sample_issues.values()), documents)


@pytest.fixture(scope="session")
def discovered(sample_issues, documents) -> Entities:
    """Recognition with an empty registry: the discovery rules on their own."""
    return find_entities(Registry(), list(sample_issues.values()), documents)


def names_by_article(result: Entities) -> dict[str, set[str]]:
    by_id = {e.id: e for e in result.entities}
    named: dict[str, set[str]] = defaultdict(set)
    for mention in result.mentions:
        if mention.article:
            named[mention.article].add(by_id[mention.entity].name)
    return named


def entity(result: Entities, name: str) -> Entity:
    return next(e for e in result.entities if e.name == name)


def mention_lines(result: Entities, name: str, path: str) -> set[int]:
    wanted = entity(result, name).id
    return {
        line for m in result.mentions if m.entity == wanted and m.path == path for line in m.lines
    }


# --- the registry ------------------------------------------------------------------------------


def test_shipped_registry_loads_without_problems(registry: Registry) -> None:
    assert registry.problems == ()
    kinds = {e.kind for e in registry.entities}
    assert kinds == {"company", "organisation", "policy"}


def test_registry_entry_fields() -> None:
    text = """\
- name: 士兰微
  full_names: [杭州士兰微电子股份有限公司]
  aliases: [士兰微电子, Silan]
  not: [士兰微博]
  city: 杭州
  code: 600460.SH
- name: 士兰集昕
  parent: 士兰微
"""
    entities, problems = parse_registry_file("registry/companies.yml", text, "company")
    assert problems == []
    silan, jixin = entities
    assert silan.id == "shi-lan-wei"
    assert silan.full_names == ("杭州士兰微电子股份有限公司",)
    assert silan.aliases == ("士兰微电子", "Silan")
    assert silan.not_names == ("士兰微博",)
    assert (silan.path, silan.line) == ("registry/companies.yml", 1)
    assert jixin.line == 7
    resolved = parse_registry([("registry/companies.yml", text)]).entities
    assert resolved[1].parent == "shi-lan-wei"


def test_policy_id_comes_from_its_doc_number() -> None:
    text = "- name: 财政部 税务总局关于集成电路企业增值税加计抵减政策的通知\n  doc_number: 财税〔2023〕17号\n  level: national\n"
    (policy,), problems = parse_registry_file("registry/policies.yml", text, "policy")
    assert problems == []
    assert policy.id == "cai-shui-2023-17-hao"
    assert policy.level == "national"


@pytest.mark.parametrize(
    ("text", "code", "line", "severity"),
    [
        pytest.param(
            "- name: 士兰微\n  aliasses: [Silan]\n", "unknown-key", 2, "warning", id="typo-key"
        ),
        pytest.param("- name: 士兰微\n  aliases: [Silan\n", "yaml-syntax", 3, "error", id="syntax"),
        pytest.param(
            "- full_names: [杭州士兰微电子股份有限公司]\n", "missing-name", 1, "error", id="no-name"
        ),
        pytest.param(
            "- name: 士兰微\n  aliases: {a: b}\n", "bad-value", 2, "error", id="aliases-mapping"
        ),
        pytest.param("name: 士兰微\n", "bad-value", 1, "error", id="not-a-list"),
    ],
)
def test_registry_problems_say_where(text: str, code: str, line: int, severity: str) -> None:
    registry = parse_registry([("registry/companies.yml", text)])
    assert [(p.code, p.line, p.severity) for p in registry.problems] == [(code, line, severity)]
    assert all(p.path == "registry/companies.yml" for p in registry.problems)


def test_unknown_key_suggests_the_right_one() -> None:
    registry = parse_registry([("registry/companies.yml", "- name: 士兰微\n  aliasses: [Silan]\n")])
    (problem,) = registry.problems
    assert problem.message == "unknown key “aliasses”; it is ignored"
    assert problem.fix.startswith("did you mean “aliases”?")
    assert registry.entities[0].name == "士兰微"  # the rest of the entry still loads


def test_a_bad_entry_costs_only_itself() -> None:
    text = "- name: 甲政策\n  level: global\n- name: 乙政策\n  level: city\n"
    registry = parse_registry([("registry/policies.yml", text)])
    assert [e.name for e in registry.entities] == ["乙政策"]
    (problem,) = registry.problems
    assert (problem.code, problem.line, problem.column) == ("bad-value", 2, 10)
    assert (
        problem.message == "level must be one of national, provincial, city, district, not “global”"
    )


def test_duplicate_ids_and_unknown_parents_are_reported() -> None:
    text = (
        "- name: 国芯\n  city: 杭州\n- name: 国芯\n  city: 苏州\n- name: 士兰集成\n  parent: 士兰\n"
    )
    registry = parse_registry([("registry/companies.yml", text)])
    assert [e.id for e in registry.entities] == ["guo-xin", "guo-xin-2", "shi-lan-ji-cheng"]
    assert [(p.code, p.line) for p in registry.problems] == [
        ("duplicate-id", 3),
        ("unknown-parent", 5),
    ]


# --- matching ----------------------------------------------------------------------------------


def _matcher(*entities: tuple[str, str, tuple[str, ...], tuple[str, ...]]) -> Matcher:
    """Entities as (id, name, aliases, not-names)."""
    return Matcher(
        Entity(id=i, kind="company", name=n, aliases=a, not_names=x) for i, n, a, x in entities
    )


SAMPLE_MATCHER = _matcher(
    ("hangzhou-guoxin", "杭州国芯", ("国芯",), ()),
    ("yanhuang-guoxin", "炎黄国芯", (), ()),
    ("fund", "国家集成电路产业投资基金", ("大基金", "国家大基金"), ("扩大基金",)),
    ("qualcomm", "高通", ("Qualcomm",), ()),
    ("dixin", "地芯科技", ("地芯",), ()),
    ("hisilicon", "海思半导体", ("海思",), ()),
    ("smic", "中芯国际", ("SMIC", "中芯"), ()),
    ("smec", "中芯集成", ("中芯绍兴",), ()),
    ("silan", "士兰微", ("士兰微电子",), ()),
    ("jixin", "士兰集昕", (), ()),
    ("bureau", "杭州市经济和信息化局", ("市经信局",), ()),
    ("st", "意法半导体", ("STM",), ()),
)


def found_names(text: str, matcher: Matcher = SAMPLE_MATCHER) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[h.start : h.end], h.owners) for h in matcher.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("打造中国芯片产业链", id="guoxin-in-zhongguo-xinpian"),
        pytest.param("建设“中国芯谷”", id="guoxin-in-zhongguo-xingu"),
        pytest.param("持续扩大基金规模", id="dajijin-in-kuoda-jijin"),
        pytest.param("携“通推一体”高性能高通用处理器", id="gaotong-in-gaotongyong"),
        pytest.param("提高通过率", id="gaotong-in-tigao-tongguo"),
        pytest.param("带动本地芯片设计", id="dixin-in-bendi-xinpian"),
        pytest.param("并购上海思立微电子", id="haisi-in-shanghai-sili"),
        pytest.param("其中，芯片设计", id="across-a-comma"),
        pytest.param("各区、县（市）经信局", id="across-a-bracket"),
        pytest.param("STMicroelectronics", id="latin-inside-a-word"),
    ],
)
def test_no_match_inside_another_word(text: str) -> None:
    assert found_names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("炎黄国芯创始人", [("炎黄国芯", ("yanhuang-guoxin",))], id="longest-wins"),
        pytest.param("国芯入选名单", [("国芯", ("hangzhou-guoxin",))], id="short-name"),
        pytest.param("国家大基金二期", [("国家大基金", ("fund",))], id="fund-alias"),
        pytest.param("大基金二期成立", [("大基金", ("fund",))], id="fund-short"),
        pytest.param("士兰集昕项目", [("士兰集昕", ("jixin",))], id="subsidiary-apart"),
        pytest.param("士兰微电子和", [("士兰微电子", ("silan",))], id="full-short-name"),
        pytest.param("中芯绍兴等", [("中芯绍兴", ("smec",))], id="zhongxin-shaoxing-is-smec"),
        pytest.param("SMIC N+1 VS 14nm", [("SMIC", ("smic",))], id="latin-boundary"),
        pytest.param("ＳＭＩＣ的", [("ＳＭＩＣ", ("smic",))], id="full-width"),
        pytest.param("地芯风行系列", [("地芯", ("dixin",))], id="product-line"),
        pytest.param("华为海思等", [("海思", ("hisilicon",))], id="after-another-name"),
        pytest.param("曾就职于高通、联发科", [("高通", ("qualcomm",))], id="list"),
    ],
)
def test_names_found(text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert found_names(text) == expected


def test_traditional_characters_match() -> None:
    matcher = _matcher(("fund", "国家集成电路产业投资基金", ("国家基金二期",), ()))
    assert found_names("17.....	國家基金二期	2022年5月13日", matcher) == [
        ("國家基金二期", ("fund",))
    ]


def test_a_shared_short_name_keeps_every_owner() -> None:
    matcher = _matcher(("hz", "杭州国芯", ("国芯",), ()), ("sz", "苏州国芯", ("国芯",), ()))
    assert found_names("国芯将加大研发投入", matcher) == [("国芯", ("hz", "sz"))]


# Characters no registered name is made of, to build the words around a name.
_FILLER = st.text(alphabet="的了和在我们这是一个上也要说着学问题生活时候人民工作", max_size=8)
_REGISTERED = [
    ("国家大基金", "大基金"),
    ("炎黄国芯", "国芯"),
    ("杭州国芯", "国芯"),
    ("士兰微电子", "士兰微"),
    ("中芯绍兴", "中芯"),
    ("华为海思", "海思"),
    ("地芯科技", "地芯"),
]


@settings(max_examples=50)
@given(st.sampled_from(_REGISTERED), _FILLER, _FILLER, st.sampled_from(["", "，", " ", "“"]))
def test_never_a_name_inside_a_longer_registered_name(
    names: tuple[str, str], before: str, after: str, gap: str
) -> None:
    longer, shorter = names
    matcher = _matcher(("long", longer, (), ()), ("short", shorter, (), ()))
    text = before + gap + longer + gap + after
    start = text.index(longer)
    end = start + len(longer)
    for hit in matcher.find(text):
        inside = start <= hit.start and hit.end <= end and (hit.start, hit.end) != (start, end)
        assert not inside, (text, text[hit.start : hit.end])


@given(st.text(max_size=30))
def test_a_name_key_is_the_key_of_each_character(text: str) -> None:
    assert name_key(text) == "".join(match_key(char) for char in text)


# Characters whose keys are longer than they are (㍿ → 株式会社, ﬁ → fi, ½ → 12), none
# (punctuation, spaces, a zero-width space), or another character (full width, traditional).
_AROUND = st.text(alphabet="㍿ﬁ½，。、 \u3000\u200bＡＢ１２的了國們", max_size=6)


@settings(max_examples=100)
@given(_AROUND, _AROUND)
def test_a_name_is_placed_on_its_raw_characters(before: str, after: str) -> None:
    matcher = _matcher(("silan", "士兰微", (), ()))
    text = before + "士蘭微" + after
    assert [(h.start, h.end) for h in matcher.find(text)] == [(len(before), len(before) + 3)]


# --- recognition over the sample issues --------------------------------------------------------

# Read off the texts: every company, organisation and policy each article names (TOC and 来源
# lines included), with the shipped registry.
ARTICLES = {
    "2020-03-01": {"宇视科技"},
    "2020-03-02": {"杭州国芯", "浙江省科学技术厅"},
    "2020-03-06": {"高通", "中科创达"},
    "2020-03-09": {"阿里巴巴", "阿里达摩院"},
    "2020-03-10": {"中芯国际", "台积电", "三星", "芯思想研究院"},
    "2023-08-06": {"地芯科技", "高通", "联发科", "三星", "华为", "海思半导体"},
    "2023-08-07": {"楚赟科技", "汇誉投资"},
    "2023-08-14": {"士兰微", "士兰集成", "士兰明芯", "士兰明镓", "昱能科技", "安路科技"},
    "2023-08-16": {"嘉芯半导体", "嘉善复旦研究院", "浙江省科学技术厅", "长三角一体化发展规划纲要"},
    "2023-08-29": {
        "财政部 税务总局关于集成电路企业增值税加计抵减政策的通知",
        "财政部",
        "国家税务总局",
        "工业和信息化部",
    },
    "2025-07-04": {
        "苏州国芯",
        "兆易创新",
        "中国半导体行业协会",
        "浙江省半导体行业协会",
        "奇瑞芯片技术研究院",
    },
    "2025-07-33": {
        "关于开展2025年杭州市“新势力”企业遴选认定工作的通知",
        "杭州市人民政府办公厅关于印发服务“新势力”企业若干举措的通知",
        "杭州市“新势力”企业遴选方案暨认定奖励实施细则（试行）",
    },
}


@pytest.mark.parametrize("article", sorted(ARTICLES))
def test_entities_named_by_article(found: Entities, article: str) -> None:
    assert names_by_article(found)[article] == ARTICLES[article]


def test_guoxin_is_hangzhou_by_the_full_name_in_the_same_article(found: Entities) -> None:
    # 2020-03: TOC line 56 and heading 111 print only 国芯; line 113 names 杭州国芯科技股份有限公司.
    assert mention_lines(found, "杭州国芯", "issues/2020-03.txt") == {56, 111, 113, 115, 117}
    assert mention_lines(found, "苏州国芯", "issues/2025-07.txt") == {391}
    assert mention_lines(found, "炎黄国芯", "issues/2023-08.txt") == {739}
    assert not [p for p in found.problems if p.code == "entity-ambiguous"]


def test_big_fund_is_one_organisation_under_all_its_names(found: Entities) -> None:
    fund = entity(found, "国家集成电路产业投资基金")
    assert fund.kind == "organisation" and fund.type == "fund"
    texts = {m.text for m in found.mentions if m.entity == fund.id}
    assert {
        "大基金",
        "国家大基金",
        "國家基金二期",
        "国家集成电路产业大基金",
        "国家集成电路产业基金",
    } <= texts
    assert mention_lines(found, "国家集成电路产业投资基金", "issues/2020-03.txt") >= {
        73,
        557,
        559,
        583,
    }


def test_silan_and_its_subsidiaries_are_kept_apart(found: Entities) -> None:
    silan = entity(found, "士兰微")
    assert silan.kind == "company"
    assert set(silan.aliases) >= {"士兰微电子", "Silan"}
    qiantang = "issues/documents/qiantang-zhongguo-xingu-plan.txt"
    # grep -n 士兰 on the Qiantang plan: 士兰微 (13, 25, 36), 士兰微电子 (30), 士兰集成 (21, 26,
    # 46, 71, 73), 士兰集昕 (21, 37, 46, 71, 73), 士兰明芯 (26).
    assert mention_lines(found, "士兰微", qiantang) == {13, 25, 30, 36}
    assert mention_lines(found, "士兰集成", qiantang) == {21, 26, 46, 71, 73}
    assert mention_lines(found, "士兰集昕", qiantang) == {21, 37, 46, 71, 73}
    assert mention_lines(found, "士兰明芯", qiantang) == {26}
    for child in ("士兰集成", "士兰集昕", "士兰明芯", "士兰明镓"):
        assert entity(found, child).parent == silan.id


def test_smic_under_its_names(found: Entities) -> None:
    smic = entity(found, "中芯国际")
    texts = {m.text for m in found.mentions if m.entity == smic.id}
    assert {"中芯国际", "SMIC", "中芯国际集成电路制造（深圳）有限公司"} <= texts
    assert 388 in mention_lines(found, "中芯国际", "issues/2020-03.txt")  # `SMIC N+1` in a table


@pytest.mark.parametrize(
    ("path", "line", "phrase", "not_this"),
    [
        pytest.param("issues/2023-08.txt", 661, "中国芯片", "杭州国芯", id="zhongguo-xinpian"),
        pytest.param(
            "issues/documents/qiantang-zhongguo-xingu-plan.txt",
            7,
            "中国芯谷",
            "杭州国芯",
            id="zhongguo-xingu",
        ),
        pytest.param(
            "issues/2025-07.txt", 2157, "扩大基金", "国家集成电路产业投资基金", id="kuoda-jijin"
        ),
        pytest.param("issues/2025-07.txt", 958, "高通用", "高通", id="gaotongyong"),
        pytest.param(
            "issues/documents/qiantang-zhongguo-xingu-plan.txt",
            35,
            "本地芯片",
            "地芯科技",
            id="bendi-xinpian",
        ),
        pytest.param("issues/2025-07.txt", 2299, "上海思立", "海思半导体", id="shanghai-sili"),
        pytest.param(
            "issues/documents/qiantang-zhongguo-xingu-plan.txt",
            29,
            "中芯绍兴",
            "中芯国际",
            id="zhongxin-shaoxing",
        ),
        pytest.param(
            "issues/2025-07.txt",
            2187,
            "县（市）经信局",
            "杭州市经济和信息化局",
            id="county-bureaus",
        ),
    ],
)
def test_no_false_match_in_the_samples(
    found: Entities, sample_issues, documents, path: str, line: int, phrase: str, not_this: str
) -> None:
    texts = {
        (i.path, ln.no): ln.text for i in (*sample_issues.values(), *documents) for ln in i.lines
    }
    text = texts[(path, line)]
    assert phrase in text  # the hard case is really on that line
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]
    wrong = entity(found, not_this).id
    for mention in found.mentions:
        if mention.entity == wrong and mention.path == path and mention.line == line:
            assert not any(start <= mention.column < end for start, end in spans), mention


def test_generic_phrases_are_never_companies(found: Entities, discovered: Entities) -> None:
    for result in (found, discovered):
        for e in result.entities:
            if e.kind == "policy":
                continue
            for name in e.names:
                assert name_key(name) not in {
                    "上市公司",
                    "龙头企业",
                    "专精特新",
                    "公司a",
                    "本公司",
                }, e


# --- policies ----------------------------------------------------------------------------------

POLICIES = [
    # (文号 as the registry writes it, issuer, level, {(file, line) that names it})
    (
        "财税〔2023〕17号",
        "财政部 税务总局",
        "national",
        {("issues/2023-08.txt", n) for n in (180, 842, 844, 848)},
    ),
    ("国发〔2020〕8号", "国务院", "national", {("issues/2023-08.txt", 1149)}),
    (
        "浙政办发〔2022〕54号",
        "浙江省人民政府办公厅",
        "provincial",
        {("issues/2023-08.txt", 1149), ("issues/documents/qiantang-zhongguo-xingu-plan.txt", 12)},
    ),
    (
        "杭政办函〔2023〕58号",
        "杭州市人民政府办公厅",
        "city",
        {("issues/2023-08.txt", n) for n in (182, 1015, 1017)},
    ),
    (
        "杭政办函〔2025〕29号",
        "杭州市人民政府办公厅",
        "city",
        {("issues/2025-07.txt", n) for n in (102, 2135, 2189)},
    ),
    (
        "省疫情防控〔2020〕9号",
        "浙江省新型冠状病毒感染的肺炎疫情防控工作领导小组",
        "provincial",
        {("issues/2020-03.txt", n) for n in (1075, 1125)},
    ),
]


@pytest.mark.parametrize(
    ("number", "issuer", "level", "lines"), POLICIES, ids=[p[0] for p in POLICIES]
)
def test_policies_by_doc_number(
    found: Entities, number: str, issuer: str, level: str, lines: set[tuple[str, int]]
) -> None:
    policy = next(e for e in found.entities if e.doc_number == number)
    assert (policy.issuer, policy.level) == (issuer, level)
    named = {(m.path, line) for m in found.mentions if m.entity == policy.id for line in m.lines}
    assert lines <= named


def test_policy_full_texts(found: Entities) -> None:
    documents = {e.name: e.document for e in found.entities if e.kind == "policy" and e.document}
    assert documents["财政部 税务总局关于集成电路企业增值税加计抵减政策的通知"] == "2023-08-29"
    assert documents["“中国芯谷”建设规划方案（征求意见稿）"] == "qiantang-zhongguo-xingu-plan"
    shanxi = entity(found, "山西省半导体产业集群创新生态建设2020年行动计划")
    assert mention_lines(
        found, shanxi.name, "issues/documents/shanxi-semiconductor-2020-action-plan.txt"
    ) == {1}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param("浙政办发〔2023〕17号", "浙政办发〔2023〕17号", id="hexagonal"),
        pytest.param("（浙政办发[2023]17号）", "浙政办发[2023]17号", id="square"),
        pytest.param("(浙政办发(2022)54号)", "浙政办发(2022)54号", id="round"),
        pytest.param(
            "本意见和省疫情防控〔2020〕9号文件", "省疫情防控〔2020〕9号", id="running-text"
        ),
        pytest.param("根据杭政办函〔2018〕94号", "杭政办函〔2018〕94号", id="after-genju"),
    ],
)
def test_doc_numbers(text: str, number: str) -> None:
    assert [text[s:e] for s, e in find_doc_numbers(text)] == [number]


def test_doc_number_brackets_do_not_matter() -> None:
    assert (
        name_key("浙政办发〔2022〕54号")
        == name_key("浙政办发(2022)54号")
        == name_key("浙政办发[2022]54号")
    )


@pytest.mark.parametrize(
    ("issuer", "number", "level"),
    [
        ("国务院", None, "national"),
        ("浙江省人民政府办公厅", None, "provincial"),
        ("杭州市人民政府办公厅", None, "city"),
        ("宁波市镇海区人民政府", None, "district"),
        (None, "钱塘区委人办〔2023〕6号", "district"),
        (None, "浙经信人事〔2018〕99号", "provincial"),
    ],
)
def test_policy_level(issuer: str | None, number: str | None, level: str) -> None:
    assert level_of(issuer, number) == level


def test_policy_core_is_what_texts_cite() -> None:
    title = "浙江省人民政府办公厅关于印发新时期促进浙江省集成电路产业和软件产业高质量发展的若干政策"
    assert policy_core(title) == "新时期促进浙江省集成电路产业和软件产业高质量发展的若干政策"
    assert (
        policy_core("财政部 税务总局关于集成电路企业增值税加计抵减政策的通知")
        == "集成电路企业增值税加计抵减政策"
    )


# --- discovery ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param(
            "作为教育部指定的培训评价组织，杭州朗迅科技有限公司将",
            ["杭州朗迅科技有限公司"],
            id="after-comma",
        ),
        pytest.param(
            "法人代表是广州南沙开发建设集团有限公司的法人李劲",
            ["广州南沙开发建设集团有限公司"],
            id="after-shi",
        ),
        pytest.param(
            "上述四家公司合资成立了广东海芯集成电路有限公司",
            ["广东海芯集成电路有限公司"],
            id="after-verb",
        ),
        pytest.param("27\t华为技术有限公司\t网络", ["华为技术有限公司"], id="wei-inside-huawei"),
        pytest.param(
            "杭州大和热磁电子有限公司副总经理",
            ["杭州大和热磁电子有限公司"],
            id="he-inside-a-seated-name",
        ),
        pytest.param(
            "格科微电子（香港）有限公司（下称“格科微电子”）",
            ["格科微电子（香港）有限公司"],
            id="bracketed-region",
        ),
        pytest.param(
            "中国电子科技集团公司第二研究所", ["中国电子科技集团公司第二研究所"], id="institute"
        ),
        pytest.param(
            "由浙江盾源聚芯半导体科技有限公司和浙江富乐德半导体材料科技有限公司共同",
            ["浙江盾源聚芯半导体科技有限公司", "浙江富乐德半导体材料科技有限公司"],
            id="two-names",
        ),
        pytest.param("可有效整合集团内部资源", [], id="prose-jituan"),
        pytest.param("（二十五）省重点农业企业研究院不再认定", [], id="generic-institute"),
        pytest.param("是A股上市公司", [], id="listed-company"),
        pytest.param("於中華人民共和國註冊成立的股份有限公司", [], id="registered-as"),
    ],
)
def test_legal_names(text: str, names: list[str]) -> None:
    assert [text[s:e] for s, e in find_legal_names(text)] == names


@pytest.mark.parametrize(
    "name",
    [
        "上市公司",
        "龙头企业",
        "专精特新",
        "公司A",
        "公司B 2",
        "本公司",
        "技术有限公司",
        "重点企业研究院",
    ],
)
def test_generic(name: str) -> None:
    assert is_generic(name)


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("杭州朗迅科技有限公司", "朗迅"),
        ("格科微电子（上海）有限公司", "格科微"),
        ("杭州士兰微电子股份有限公司", "士兰微"),
    ],
)
def test_company_core(name: str, core: str) -> None:
    assert company_core(name) == core


def test_an_empty_registry_still_finds_named_companies(discovered: Entities) -> None:
    names = {e.name: e for e in discovered.entities}
    # legal names, each merged with the short name its article prints
    for name in (
        "朗迅科技",
        "芯象半导体",
        "杭州国芯",
        "格科微",
        "楚贇科技",
        "甬矽电子",
        "汉天下",
        "高新金投集团",
    ):
        assert name in names, name
    assert "杭州朗迅科技有限公司" in names["朗迅科技"].full_names
    assert "宇树科技" in names["杭州宇树科技股份有限公司"].aliases  # （简称：宇树科技）
    assert "汇誉投资" in names["汇誉私募基金管理(湖州)有限公司"].aliases  # (“汇誉投资”)
    # 杭州国芯 and 苏州国芯 stay two companies
    assert "苏州国芯科技股份有限公司" in names
    assert "苏州国芯科技股份有限公司" not in names["杭州国芯"].full_names
    assert all(e.discovered for e in discovered.entities)


def test_an_empty_registry_still_finds_policies(discovered: Entities) -> None:
    numbers = {e.doc_number: e for e in discovered.entities if e.doc_number}
    assert numbers["财税〔2023〕17号"].document == "2023-08-29"
    assert numbers["财税〔2023〕17号"].issuer == "财政部 税务总局"
    assert numbers["杭政办函〔2025〕29号"].document == "2025-07-32"
    # the same policy cited with two bracket styles is one
    assert {"浙政办发〔2022〕54号", "浙政办发(2022)54号"} & set(numbers)
    assert len([n for n in numbers if name_key(n) == name_key("浙政办发〔2022〕54号")]) == 1


def test_review_queue(found: Entities) -> None:
    text = render_candidates(found.candidates)
    assert text.startswith("# Generated by `tiantang build`")
    assert "- name: 国家高新技术产业开发区高新技术企业认定条件和办法\n  kind: policy\n" in text
    names = {c.name for c in found.candidates}
    assert "士兰微" not in names and "中芯国际" not in names  # the registry has them
    assert all(c.evidence for c in found.candidates)


def test_each_file_is_recognised_on_its_own(
    registry: Registry, sample_issues, documents, found: Entities
) -> None:
    """What the archive finds in an issue is what `recognise` finds in that issue alone, given
    the archive's entities: files can be recognised in any order, or in parallel."""
    issues = list(sample_issues.values())
    scans = [scan_issue(issue) for issue in issues] + [scan_document(d) for d in documents]
    entities, _ = archive_entities(registry, scans)
    matcher, by_id = Matcher(entities), {e.id: e for e in entities}
    for issue in reversed(issues):
        alone = recognise(scan_issue(issue), issue, matcher, by_id)
        order = sorted(alone.mentions, key=lambda m: (m.line, m.column, m.entity))
        assert order == [m for m in found.mentions if m.path == issue.path]
        articles = {article.id for article in issue.articles}
        assert list(alone.links) == [link for link in found.links if link.article in articles]
        assert all(problem.path == issue.path for problem in alone.problems)


def test_ambiguous_short_name_is_reported_not_merged() -> None:
    registry = parse_registry(
        [
            (
                "registry/companies.yml",
                "- name: 杭州国芯\n  aliases: [国芯]\n- name: 苏州国芯\n  aliases: [国芯]\n",
            )
        ]
    )
    result = find_entities(
        registry, [_one_article_issue(["国芯发布新品", "国芯将加大研发投入"])], []
    )
    assert result.mentions == ()
    assert [(p.code, p.line) for p in result.problems] == [
        ("entity-ambiguous", 1),
        ("entity-ambiguous", 2),
    ]
    assert result.problems[0].message == (
        "“国芯” may be 杭州国芯、苏州国芯, and the article names none of them in full;"
        " the mention is not linked"
    )


def _one_article_issue(texts: list[str]) -> Issue:
    lines = tuple(Line(no, text) for no, text in enumerate(texts, start=1))
    span = Span(1, len(texts))
    article = Article(
        id="2099-01-01",
        section="芯企业",
        toc_title=texts[0],
        body_title=texts[0],
        page=1,
        span=span,
        match=Match(1, 1, 1.0, "fuzzy"),
        blocks=tuple(Block("paragraph", Span(n, n), t) for n, t in enumerate(texts, start=1)),
    )
    return Issue(
        id="2099-01",
        path="issues/2099-01.txt",
        masthead=Masthead("天堂之芯", None, 2099, 1, ()),
        toc=None,
        sections=(Section("芯企业", None, (article,)),),
        regions=(Region("article", span, "2099-01-01"),),
        lines=lines,
    )


# --- pages -------------------------------------------------------------------------------------


def test_linked_text_escapes_everything() -> None:
    text = "<b>士兰微</b>&"
    html = linked_text(text, [(3, 6, "../x/?a=1&b=<2>")])
    assert (
        html
        == '&lt;b&gt;<a class="tt-entity" href="../x/?a=1&amp;b=&lt;2&gt;">士兰微</a>&lt;/b&gt;&amp;'
    )


def test_render_block_with_links() -> None:
    block = Block("paragraph", Span(1, 1), "日前，地芯科技完成近亿元B轮融资")
    assert (
        render_block(block, [(3, 7, "../c/")])
        == '<p>日前，<a class="tt-entity" href="../c/">地芯科技</a>完成近亿元B轮融资</p>'
    )
    assert render_block(block) == "<p>日前，地芯科技完成近亿元B轮融资</p>"


@pytest.mark.slow
def test_entity_pages_and_articles_link_both_ways(built_site: Path) -> None:
    """Every company and policy page is linked from each article naming it, and links back."""
    import json

    def url(page: Path) -> str:
        return "http://x/" + page.parent.relative_to(built_site).as_posix() + "/"

    def links(page: Path, selector: str) -> set[str]:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        return {urljoin(url(page), a["href"]) for a in soup.select(selector)}

    archive = json.loads((built_site / "data" / "archive.json").read_text(encoding="utf-8"))
    entity_urls = {
        e["id"]: "http://x" + e["url"] for e in (*archive["companies"], *archive["policies"])
    }
    pairs = 0
    for issue in archive["issues"]:
        for section in issue["sections"]:
            for article in section["articles"]:
                page = built_site / article["url"].strip("/") / "index.html"
                listed = links(page, ".tt-entities a")
                for entity_id in (*article["companies"], *article["policies"]):
                    target = entity_urls[entity_id]
                    assert target in listed, (article["id"], entity_id)
                    entity_page = built_site / target.removeprefix("http://x/") / "index.html"
                    assert url(page) in links(entity_page, ".tt-timeline a.tt-article"), (
                        entity_id,
                        article["id"],
                    )
                    pairs += 1
    assert pairs > 300  # 416 with the registry as shipped
    # the first mention in the text links too
    silan = built_site / "issues" / "2023-08" / "14" / "index.html"
    assert entity_urls["shi-lan-wei"] in links(silan, ".tt-body a.tt-entity")
    assert (built_site / "feeds" / "companies" / "shi-lan-wei.xml").is_file()
