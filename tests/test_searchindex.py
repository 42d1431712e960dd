"""The search index: folding and terms, the encodings, segments, records, entity synonyms, and
the browser engine's ranking on a small made-up archive (served from memory)."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Article, Block, Issue, Masthead, Match, Section, Span
from generator.searchindex import (
    SEGMENT_OVERLAP,
    bigram_postings,
    bigrams,
    build_search_index,
    decode_docs,
    decode_postings,
    decode_varints,
    encode_docs,
    encode_postings,
    encode_varints,
    entity_keys,
    exception_chars,
    fold,
    fold_exceptions,
    fold_segments,
    fold_text,
    iter_terms,
    latin_words,
    render_search_index,
    scan_names,
    search_records,
    segment_bounds,
    shard_of,
)
from tests.conftest import ROOT

# --- folding and terms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("中芯国际", "中芯国际", id="simplified"),
        pytest.param("半導體 積體電路", "半导体积体电路", id="traditional"),
        pytest.param("ＬＰＤＤＲ６", "lpddr6", id="full-width"),
        pytest.param("GSMA", "gsma", id="case"),
        pytest.param("财税〔2023〕17号", "财税202317号", id="doc-number-brackets"),
        pytest.param("中芯\u200b国际 （SMIC）", "中芯国际smic", id="spacing-punctuation"),
    ],
)
def test_fold_text(text: str, folded: str) -> None:
    assert fold_text(text) == folded
    assert fold(text)[0] == folded


def test_fold_keeps_original_positions_for_snippets() -> None:
    text = "（来源：半導體 ＬＰＤＤＲ６）"
    folded, positions = fold(text)
    assert folded == "来源半导体lpddr6"
    start = folded.index("半导体")
    assert text[positions[start] : positions[start + 2] + 1] == "半導體"
    assert text[positions[folded.index("lpddr6")]] == "Ｌ"


@settings(max_examples=50)
@given(st.text(alphabet=st.sampled_from("中芯國际半導體 ，。ＡaB1２\u200b·"), max_size=40))
def test_fold_positions_point_at_the_characters_they_came_from(text: str) -> None:
    folded, positions = fold(text)
    assert folded == fold_text(text)
    assert len(positions) == len(folded)
    assert list(positions) == sorted(positions)
    for char, position in zip(folded, positions, strict=True):
        assert char in fold_text(text[position])


def test_bigrams_overlap() -> None:
    assert bigrams("中芯国际") == {"中芯", "芯国", "国际"}
    assert bigrams("芯") == set()


def test_latin_words_are_whole_and_case_folded() -> None:
    assert latin_words("LPDDR6 内存标准，GSMA's Micron Technology 5G 2025年") == {
        "lpddr6",
        "gsma",
        "micron",
        "technology",
        "5g",
    }


def test_terms_of_a_name_with_a_latin_word() -> None:
    assert list(iter_terms("中芯SMIC")) == ["ic", "mi", "sm", "中芯", "芯s", "smic"]


def test_fold_exceptions_are_what_the_browser_cannot_fold_alone() -> None:
    # NFKC and lower case the browser does itself; traditional characters need the table.
    assert fold_exceptions("半導體ＬＰＤＤＲ６") == {"導": "导", "體": "体"}


# Characters that fold in every way: to themselves, to another (traditional, full width,
# case), to nothing (spacing, punctuation), to several (™, ㎏, ½), outside the BMP (𠀀), and
# marks that compose with a neighbour under NFKC.
ODD_TEXT = "中芯國际半導體 ，。ＡaB1２\u200b·™㎏½𠀀𠀁ﬁe\u0301İK\n"
pieces_of_text = st.lists(st.text(alphabet=st.sampled_from(ODD_TEXT), max_size=30), max_size=4)


@settings(max_examples=50)
@given(st.lists(pieces_of_text, max_size=8))
def test_fold_segments_fold_as_fold_text(segments: list[list[str]]) -> None:
    folded = [tuple(fold_text(piece) for piece in pieces) for pieces in segments]
    assert fold_segments(segments) == folded


@settings(max_examples=50)
@given(st.lists(pieces_of_text, max_size=8))
def test_exception_chars_are_what_fold_exceptions_reports(segments: list[list[str]]) -> None:
    expected = [["".join(fold_exceptions(piece)) for piece in pieces] for pieces in segments]
    assert list(exception_chars(segments)) == expected


@settings(max_examples=100)
@given(st.text(alphabet=st.sampled_from(ODD_TEXT + "ab12 Σ\u0308"), max_size=40))
def test_latin_words_need_no_ideographs_normalised(text: str) -> None:
    # latin_words drops ideographs before NFKC, which must change nothing
    plain = re.findall(r"[a-z0-9]*[a-z][a-z0-9]*", unicodedata.normalize("NFKC", text).lower())
    assert latin_words(text) == {word for word in plain if len(word) >= 2}


# --- encodings -----------------------------------------------------------------------------


@settings(max_examples=50)
@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_varints_round_trip(numbers: list[int]) -> None:
    text = encode_varints(numbers)
    assert re.fullmatch(r"[0-9A-Za-z_-]*", text)
    assert decode_varints(text) == numbers


@settings(max_examples=50)
@given(st.dictionaries(st.integers(0, 50_000), st.integers(1, 2**30 - 1), max_size=60))
def test_postings_round_trip(postings: dict[int, int]) -> None:
    assert decode_postings(encode_postings(postings)) == dict(sorted(postings.items()))
    assert decode_docs(encode_docs(postings)) == sorted(postings)


def test_single_segment_pages_cost_one_digit_each() -> None:
    assert encode_postings({0: 1, 1: 1, 2: 1}) == "000"
    assert encode_postings({3: 2}) == "72"  # gap 3 → 7 (odd: a mask follows), mask 2


def test_shard_of_is_fnv1a_over_utf16_units() -> None:
    # FNV-1a 32 of "a" is 0xe40c292c; Murmur3's finaliser of that, worked by hand:
    value = 0xE40C292C
    value ^= value >> 16
    value = value * 0x85EBCA6B % 2**32
    value ^= value >> 13
    value = value * 0xC2B2AE35 % 2**32
    value ^= value >> 16
    assert shard_of("a", 2**32 - 1) == value % (2**32 - 1)
    # the low bits are mixed: bigrams of one repeated character still spread over the shards
    assert len({shard_of(chr(0x4E00 + i) * 2, 64) for i in range(500)}) == 64


@settings(max_examples=50)
@given(st.lists(pieces_of_text, max_size=12), st.integers(1, 40))
def test_bigram_postings_are_those_of_each_segment(segments: list[list[str]], chunk: int) -> None:
    folded = fold_segments(segments)
    expected: dict[str, dict[int, int]] = {}
    for doc, pieces in enumerate(folded):
        for number, piece in enumerate(pieces):
            for gram in bigrams(piece):
                postings = expected.setdefault(gram, {})
                postings[doc] = postings.get(doc, 0) | 1 << number
    postings = bigram_postings(folded, chunk_chars=chunk)  # records cut into small chunks
    assert {gram: postings.encoded[gram] for gram in postings} == {
        gram: encode_postings(docs) for gram, docs in expected.items()
    }
    assert {gram: postings[gram] for gram in postings} == expected
    assert postings.count == sum(map(len, expected.values()))


def test_bigram_postings_of_far_apart_and_many_segment_pages() -> None:
    # gaps of several digits, masks of up to 30 segments, a bigram again after many chunks
    segments = [["中芯"] if doc % 700 == 0 else ["国际"] * (doc % 31) for doc in range(3000)]
    postings = bigram_postings(segments, chunk_chars=50)
    assert postings["中芯"] == dict.fromkeys(range(0, 3000, 700), 1)
    assert postings["国际"] == {d: (1 << d % 31) - 1 for d in range(3000) if d % 31 and d % 700}


# --- segments ------------------------------------------------------------------------------


def test_short_text_is_one_segment() -> None:
    assert segment_bounds("中芯国际") == [(0, 4)]


@settings(max_examples=50)
@given(st.text(alphabet=st.sampled_from("中芯国际\n"), min_size=1, max_size=9000))
def test_segments_cover_the_text_and_keep_short_phrases_whole(text: str) -> None:
    bounds = segment_bounds(text)
    assert bounds[0][0] == 0
    assert bounds[-1][1] == len(text)
    assert len(bounds) <= 30
    for (_, end), (start, _) in itertools.pairwise(bounds):
        assert start <= end  # no gap
        assert end - start >= min(SEGMENT_OVERLAP, end)  # a phrase across the cut is in one
    phrase_at = len(text) // 2
    phrase = (phrase_at, min(len(text), phrase_at + SEGMENT_OVERLAP))
    assert any(start <= phrase[0] and phrase[1] <= end for start, end in bounds)


# --- records of the sample archive ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_site() -> Any:
    from generator.build import plan

    return plan(ROOT).site


def test_every_article_issue_and_document_is_a_record(sample_site: Any) -> None:
    records = search_records(sample_site)
    kinds = [r.kind for r in records]
    assert kinds.count("article") == sum(len(i.articles) for i in sample_site.issues) == 89
    assert kinds.count("issue") == 3
    assert kinds.count("document") == 2
    # oldest first: the browser shows the higher number first among equals
    issue_years = [(r.year, r.month) for r in records if r.kind == "issue"]
    assert issue_years == sorted(issue_years)


def test_article_record_holds_title_sources_and_text(sample_site: Any) -> None:
    record = next(r for r in search_records(sample_site) if r.url == "issues/2020-03/01/")
    assert record.title == "AIoT时代认证！宇视两款AI摄像机获德国红点奖"  # the TOC's title
    assert "AIoT时代认证！ 宇视两款AI摄像机获德国红点奖" in record.titles  # the body's
    assert record.label == "2020年3月 · 芯企业"
    assert "宇视科技" in record.text
    assert record.text[record.body :].startswith(record.text[record.body :].lstrip())


def test_misprinted_heading_is_listed_under_its_toc_title(sample_site: Any) -> None:
    titles = [r.title for r in search_records(sample_site) if r.kind == "article"]
    assert titles.count("LPDDR6内存标准, 正式发布!") == 1  # the TOC's, not the heading's
    assert any("芯“铜”危机" in t for t in titles)


def test_index_is_deterministic_and_sorted(sample_site: Any) -> None:
    first = render_search_index(sample_site)
    assert first == render_search_index(sample_site)
    assert list(first) == sorted(first)
    manifest = json.loads(first["search/manifest.json"])
    shards = [p for p in first if p.startswith("search/shards/")]
    assert len(shards) == manifest["shards"]
    # 89 articles, 3 issues, 2 documents, and a page per company and policy of the registry
    entities = len(getattr(sample_site, "companies", ())) + len(
        getattr(sample_site, "policies", ())
    )
    assert manifest["docs"] == 94 + entities
    assert "導" in manifest["fold"]["from"]  # 导 is in the archive, so 導 must find it


def test_every_shard_holds_only_its_own_terms(sample_site: Any) -> None:
    files = render_search_index(sample_site)
    count = json.loads(files["search/manifest.json"])["shards"]
    for path in (p for p in files if p.startswith("search/shards/")):
        number = int(path.rsplit("/", 1)[1].split(".")[0], 16)
        shard = json.loads(files[path])
        for section in ("b", "w", "e"):
            assert all(shard_of(term, count) == number for term in shard[section])


def test_bigram_postings_find_every_page_containing_the_bigram(sample_site: Any) -> None:
    index = build_search_index(sample_site)
    for gram in ("华为", "导体", "17", "lp"):
        expected = {
            doc
            for doc, pieces in enumerate(index.segments)
            if any(gram in fold_text(piece) for piece in pieces)
        }
        assert set(index.body[gram]) == expected
        assert expected


def test_search_page_and_material_stub_are_written(sample_site: Any) -> None:
    files = render_search_index(sample_site)
    assert json.loads(files["search/search_index.json"])["docs"] == []
    assert 'id="tt-search"' in files["search/index.md"]


# --- entities: any name finds the pages naming the entity under another -------------------


def _article(issue_id: str, position: int, title: str, text: str, section: str) -> Article:
    return Article(
        id=f"{issue_id}-{position:02d}",
        section=section,
        toc_title=title,
        body_title=title,
        page=position,
        span=Span(position * 10, position * 10 + 5),
        match=Match(position * 10, position * 10, 1.0, "fuzzy"),
        blocks=(Block("paragraph", Span(position * 10 + 1, position * 10 + 5), text),),
    )


def _issue(issue_id: str, articles: list[tuple[str, str, str]]) -> Issue:
    """An issue whose articles are numbered in print order (sections must be contiguous)."""
    year, month = (int(part) for part in issue_id.split("-"))
    made = [_article(issue_id, n + 1, *spec) for n, spec in enumerate(articles)]
    sections: dict[str, list[Article]] = {}
    for article in made:
        sections.setdefault(article.section, []).append(article)
    assert [a for items in sections.values() for a in items] == made
    return Issue(
        id=issue_id,
        path=f"issues/{issue_id}.txt",
        masthead=Masthead("天堂之芯", None, year, month, ()),
        toc=None,
        sections=tuple(Section(name, None, tuple(items)) for name, items in sections.items()),
        regions=(),
    )


SMIC = SimpleNamespace(
    id="smic",
    kind="company",
    name="中芯国际",
    full_names=("中芯国际集成电路制造有限公司",),
    aliases=("SMIC", "中芯"),
    doc_number=None,
    level=None,
)
BIG_FUND = SimpleNamespace(
    id="big-fund",
    kind="organisation",
    name="国家集成电路产业投资基金",
    full_names=("国家集成电路产业投资基金股份有限公司",),
    aliases=("大基金",),
    doc_number=None,
    level=None,
)
VAT_POLICY = SimpleNamespace(
    id="cai-shui-2023-17",
    kind="policy",
    name="关于集成电路企业增值税加计抵减政策的通知",
    full_names=(),
    aliases=(),
    doc_number="财税〔2023〕17号",
    level="national",
)

# (title, text, section) per article; each pins one rule of the ranking.
FAKE_ISSUES = {
    "2024-01": [
        ("中芯国际扩产", "中芯国际宣布扩产。", "芯企业"),  # 01 title (older)
        ("晶圆代工动态", "SMIC 第三季度营收增长。", "芯资讯"),  # 02 English alias only
        ("国际合作", "中芯与芯国科技签约，开拓国际市场。", "芯资讯"),  # 03 中芯 芯国 国际 apart
        ("基金新闻", "国家集成电路产业投资基金二期完成投资。", "芯资讯"),  # 04 full name only
        ("行业观察", "华为芯片供应链稳定。", "芯资讯"),  # 05 two words as a phrase
    ],
    "2024-06": [
        ("市场综述", "据报道，中芯国际产能满载。", "芯企业"),  # 01 body (newer)
        ("中芯国际发布财报", "营收创新高。", "芯企业"),  # 02 title (newer)
        ("政策解读", "财税〔2023〕17号规定加计抵减。", "芯政策"),  # 03 文号
        ("半导体材料", "半導體材料與晶圓供應。", "芯资讯"),  # 04 traditional text
        ("华为与芯片", "华为发布新款芯片，华为的芯片自给率提升。", "芯资讯"),  # 05 two words
        ("芯片华为", "芯片市场", "芯资讯"),  # 06 two words, title only
        ("市场快讯", "华为手机销量上升，芯片短缺缓解。", "芯资讯"),  # 07 two words apart
    ],
}


def fake_site(with_registry: bool = True) -> Any:
    issues = tuple(sorted((_issue(i, a) for i, a in FAKE_ISSUES.items()), key=lambda i: i.id))
    return SimpleNamespace(
        issues=issues[::-1],
        documents=(),
        sections=(),
        companies=(SMIC, BIG_FUND) if with_registry else (),
        policies=(VAT_POLICY,) if with_registry else (),
    )


def test_entity_names_are_whole_terms_pointing_at_every_name() -> None:
    files = render_search_index(fake_site())
    shards = json.loads(files["search/manifest.json"])["shards"]
    shard = json.loads(files[f"search/shards/{shard_of('smic', shards):03x}.json"])
    (smic,) = shard["e"]["smic"]
    assert smic["n"][:2] == ["中芯国际", "中芯国际集成电路制造有限公司"]
    index = build_search_index(fake_site())
    named = {index.records[doc].url for doc in decode_postings(smic["m"])}
    assert named >= {"issues/2024-01/02/", "issues/2024-01/01/", "issues/2024-06/01/"}
    assert "companies/smic/" in named  # its own page


def test_entity_pages_exist_only_when_the_site_has_them() -> None:
    without = build_search_index(fake_site(), pages={"index.md"})
    assert all(url is None for url in (e.url for e in without.entities))
    with_page = build_search_index(fake_site(), pages={"companies/smic/index.md"})
    assert {e.id: e.url for e in with_page.entities}["smic"] == "companies/smic/"


def test_stage_mentions_decide_which_pages_name_an_entity() -> None:
    site = fake_site()
    # the entities stage says 2024-06-01 does not name SMIC (say, a different 中芯国际)
    site.mentions = (SimpleNamespace(entity="smic", article="2024-01-02", document=None),)
    index = build_search_index(site, pages=set())
    smic = next(n for n, e in enumerate(index.entities) if e.id == "smic")
    assert [index.records[d].url for d in index.mentions[smic]] == ["issues/2024-01/02/"]


def test_stage_mentions_take_their_segments_from_the_names() -> None:
    site = fake_site()
    long_text = "行业动态。" * 500 + "中芯国际扩产。" + "市场观察。" * 500  # several segments
    site.issues = (_issue("2024-09", [("长文", long_text, "芯资讯")]), *site.issues)
    site.mentions = (
        SimpleNamespace(entity="smic", article="2024-01-01", document=None),
        SimpleNamespace(entity="smic", article="2024-06-05", document=None),  # names none
        SimpleNamespace(entity="smic", article="2024-09-01", document=None),  # in the middle
        SimpleNamespace(entity="big-fund", article="2024-01-04", document=None),
        SimpleNamespace(entity="big-fund", article="2024-09-01", document=None),  # names none
    )
    index = build_search_index(site)
    smic = next(n for n, e in enumerate(index.entities) if e.id == "smic")
    long_page = next(d for d, r in enumerate(index.records) if r.ident == "2024-09-01")
    holding = [n for n, piece in enumerate(index.segments[long_page]) if "中芯国际" in piece]
    assert 0 < holding[0] < len(index.segments[long_page]) - 1  # a middle segment
    assert index.mentions[smic][long_page] == sum(1 << n for n in holding)
    keys = [entity_keys(entity) for entity in index.entities]
    found = scan_names(keys, fold_segments(index.segments))  # every segment, every name
    for number, entity in enumerate(index.entities):
        docs = sorted(
            {index.records.index(r) for r in index.records if r.url == entity.url}
            | {
                doc
                for doc, record in enumerate(index.records)
                if any(m.entity == entity.id and m.article == record.ident for m in site.mentions)
            }
        )
        assert index.mentions[number] == {doc: found[number].get(doc, 1) for doc in docs}


def test_shards_of_bigrams_outside_the_bmp() -> None:
    site = fake_site(with_registry=False)
    issue = _issue("2024-09", [("古字", "𠀀𠀁𠀂是扩展B区的字，𠀀中也是。", "芯资讯")])
    site.issues = (issue, *site.issues)
    files = render_search_index(site)
    count = json.loads(files["search/manifest.json"])["shards"]
    grams = set()
    for path in (p for p in files if p.startswith("search/shards/")):
        number = int(path.rsplit("/", 1)[1].split(".")[0], 16)
        for gram in json.loads(files[path])["b"]:
            assert shard_of(gram, count) == number
            grams.add(gram)
    assert {"𠀀𠀁", "𠀁𠀂", "字𠀀", "𠀀中"} <= grams


# --- the browser engine on the made-up archive --------------------------------------------


@pytest.fixture(scope="module")
def engine_page(browser: Any) -> Iterator[Any]:
    """A blank page on a made-up origin whose search files come from memory."""
    files = render_search_index(fake_site())
    files["javascripts/search.js"] = (ROOT / "theme/javascripts/search.js").read_text("utf-8")
    files["index.html"] = (
        '<!doctype html><meta charset="utf-8"><script src="javascripts/search.js"></script>'
    )

    def serve(route: Any) -> None:
        path = route.request.url.split("://tt.test/", 1)[1].split("?")[0]
        if path in files:
            kind = "text/html" if path.endswith(".html") else "application/javascript"
            route.fulfill(
                status=200, body=files[path].encode(), content_type=kind + "; charset=utf-8"
            )
        else:
            route.fulfill(status=404, body=b"")

    context = browser.new_context()
    context.route("http://tt.test/**", serve)
    page = context.new_page()
    page.goto("http://tt.test/index.html")
    yield page
    context.close()


def search(page: Any, query: str, order: str = "rank") -> list[str]:
    return page.evaluate(
        """([q, order]) => {
            const engine = new TTSearch.Engine("http://tt.test/");
            return engine.search(q, 20, order).then(r => r.items.map(c => c.seg.u));
        }""",
        [query, order],
    )


@pytest.mark.browser
def test_rank_entity_page_then_titles_then_mentions(engine_page: Any) -> None:
    assert search(engine_page, "中芯国际") == [
        "companies/smic/",  # the entity's own page first
        "issues/2024-06/02/",  # phrase in the title, newer
        "issues/2024-01/01/",  # phrase in the title, older
        "issues/2024-06/01/",  # names the entity as typed, newest first
        "issues/2024-06/",  # the issue page lists a title naming it
        "issues/2024-01/",
        "issues/2024-01/03/",  # names the entity otherwise: 中芯 is an alias
        "issues/2024-01/02/",  # names it as SMIC
    ]


@pytest.mark.browser
def test_phrase_is_verified_against_the_text(fake_without_registry: Any) -> None:
    # no registry: 中芯 … 国际 far apart share the bigrams 中芯, 国际 but not 芯国
    assert search(fake_without_registry, "中芯国际") == [
        "issues/2024-06/02/",  # title
        "issues/2024-01/01/",
        "issues/2024-06/01/",  # text, newest first; 2024-01-03 has every bigram, not the phrase
        "issues/2024-06/",
        "issues/2024-01/",
    ]
    assert search(fake_without_registry, "中芯与芯国") == ["issues/2024-01/03/"]
    assert search(fake_without_registry, "中芯芯国") == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "first"),
    [
        pytest.param("SMIC", "companies/smic/", id="english-alias"),
        pytest.param("smic", "companies/smic/", id="case"),
        pytest.param("大基金", "organisations/big-fund/", id="alias-to-full-name"),
        pytest.param("财税〔2023〕17号", "policies/cai-shui-2023-17/", id="doc-number"),
        pytest.param(
            "财税(2023)17号", "policies/cai-shui-2023-17/", id="doc-number-ascii-brackets"
        ),
    ],
)
def test_any_name_finds_the_entity_page_first(engine_page: Any, query: str, first: str) -> None:
    assert search(engine_page, query)[0] == first


@pytest.mark.browser
def test_alias_finds_pages_naming_the_full_name(engine_page: Any) -> None:
    assert "issues/2024-01/04/" in search(engine_page, "大基金")
    assert "issues/2024-01/02/" in search(engine_page, "中芯国际集成电路制造有限公司")


@pytest.mark.browser
@pytest.mark.parametrize("query", ["半导体材料", "半導體材料", "半導體材料與晶圓"])
def test_traditional_and_simplified_find_each_other(engine_page: Any, query: str) -> None:
    assert "issues/2024-06/04/" in search(engine_page, query)


@pytest.mark.browser
def test_two_words_rank_title_then_phrase_then_all_words(engine_page: Any) -> None:
    assert search(engine_page, "华为 芯片") == [
        "issues/2024-06/06/",  # both words in the title, newer
        "issues/2024-06/05/",  # both words in the title
        "issues/2024-01/05/",  # 华为芯片 as a phrase in the text, though older
        "issues/2024-06/07/",  # both words, apart
        "issues/2024-06/",  # the issue page: both in its list of titles, apart
    ]


@pytest.mark.browser
def test_sort_by_date(engine_page: Any) -> None:
    newest = [
        "issues/2024-06/02/",
        "issues/2024-06/01/",
        "issues/2024-06/",
        "issues/2024-01/03/",
        "issues/2024-01/02/",
        "issues/2024-01/01/",
        "issues/2024-01/",
    ]
    undated = ["companies/smic/"]  # no date: last either way
    assert search(engine_page, "中芯国际", "new") == newest + undated
    assert search(engine_page, "中芯国际", "old") == newest[::-1] + undated


@pytest.mark.browser
def test_one_character_finds_nothing(engine_page: Any) -> None:
    assert search(engine_page, "芯") == []
    assert search(engine_page, "华 为") == search(engine_page, "华为")


@pytest.mark.browser
def test_browser_hash_and_postings_agree_with_python(engine_page: Any) -> None:
    terms = ["中芯", "lpddr6", "𠀀𠀁", "a"]
    got = engine_page.evaluate("(ts) => ts.map(t => TTSearch.shardOf(t, 4096))", terms)
    assert got == [shard_of(t, 4096) for t in terms]
    postings = {0: 1, 7: 6, 4000: 2**29 + 1}
    decoded = engine_page.evaluate(
        "(s) => Array.from(TTSearch.postings(s).entries())", encode_postings(postings)
    )
    assert dict(map(tuple, decoded)) == postings


@pytest.fixture(scope="module")
def fake_without_registry(browser: Any) -> Iterator[Any]:
    files = render_search_index(fake_site(with_registry=False))
    files["javascripts/search.js"] = (ROOT / "theme/javascripts/search.js").read_text("utf-8")
    files["index.html"] = (
        '<!doctype html><meta charset="utf-8"><script src="javascripts/search.js"></script>'
    )

    def serve(route: Any) -> None:
        path = route.request.url.split("://tt.test/", 1)[1].split("?")[0]
        route.fulfill(status=200 if path in files else 404, body=files.get(path, "").encode())

    context = browser.new_context()
    context.route("http://tt.test/**", serve)
    page = context.new_page()
    page.goto("http://tt.test/index.html")
    yield page
    context.close()
