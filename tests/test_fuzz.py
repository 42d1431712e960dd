"""Fuzzing the parse: issue-like texts and random bytes never raise, lose no line, export cleanly.

The strategies build what the exports print (mastheads, contents in the three section styles,
headings with noise, sources, captions, tables) and then damage it: random insertions, lines
broken at random places, blank lines dropped, CRLF. `make test` runs the default hypothesis
profile (40 examples); `make fuzz` runs the `fuzz` profile (tests/conftest.py).

The export is checked against tests/archive.schema.json, DESIGN.md's contract, with
`jsonschema` when it is installed and otherwise with the small validator below (the subset of
JSON Schema the file uses).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.documents import parse_document
from generator.export import export_archive
from generator.issue import parse_issue
from generator.model import Document, Issue, RawFile
from generator.read import decode_file
from generator.site import build_site

SCHEMA_FILE = Path(__file__).with_name("archive.schema.json")

# Characters the newsletter prints, plus the export's markup and some trouble.
_CJK = "芯片半导体集成电路产业公司投资亿元发布举办会议政策通知关于年月日杭州浙江省国家基地"
_PUNCT = "，。：；！？“”（）《》、·—…"
_MARKUP = "#*-|>[]()<>/\\_`{}!"
_TROUBLE = "\u200b\u2060\ufeff\x07\x00\u3000\t\xa0\u00ad"

_word = st.text(alphabet=_CJK, min_size=2, max_size=6)
_latin = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ", max_size=8
)
_title = st.builds(
    lambda parts, extra: "".join(parts) + extra,
    st.lists(st.one_of(_word, _latin), min_size=1, max_size=5),
    st.text(alphabet=_PUNCT + _MARKUP, max_size=2),
).filter(lambda t: t.strip())
_paragraph = st.text(alphabet=_CJK + _PUNCT + "0123456789AB ", min_size=1, max_size=80)
_noise = st.text(alphabet=_CJK + _PUNCT + _MARKUP + _TROUBLE + " ▲◆•", min_size=1, max_size=30)

_SECTIONS = ("芯动态", "芯观点", "芯企业", "芯资讯", "芯要闻", "芯政策", "芯伙伴")
_ENGLISH = {"芯企业": "ENTERPRISE", "芯资讯": "INFORMATION", "芯要闻": "FOCUS NEWS"}


def _section_heading(style: int, name: str) -> str:
    """The three exports' section headings, and two decorations seen between them."""
    return (
        f"{name} {_ENGLISH.get(name, 'NEWS')}",  # 2020-03
        f"◆ {name}",  # 2023-08
        f"### • {name}",  # 2025-07
        f"◆{name}◆",
        f"<b>{name}</b>",
    )[style]


def _entry(style: int, title: str, page: int) -> str:
    return (
        f"- ▲ {title} - {page:02d}",
        f"- {title} - {page:02d}",
        f"- ▲{title} — {page:02d}",
        f"{title}……{page}",
    )[style]


def _heading(style: int, title: str) -> list[str]:
    """A body heading as printed: plain, Markdown, bold, spaced out, or split over two lines."""
    if style == 0:
        return [title]
    if style == 1:
        return [f"## {title}"]
    if style == 2:
        return [f"**{title}**"]
    if style == 3:
        return [" ".join(title)]
    half = max(1, len(title) // 2)
    return [title[:half], title[half:]]


@st.composite
def issue_texts(draw: st.DrawFn) -> str:
    """An issue as the exports print it, then damaged."""
    year = draw(st.integers(2015, 2030))
    month = draw(st.integers(1, 12))
    lines: list[str] = [""]
    lines += draw(
        st.permutations(
            [
                draw(st.sampled_from(["天堂之芯", "# 天堂之芯", "天 堂 之 芯"])),
                draw(
                    st.sampled_from(
                        [
                            f"{year}/{month:02d}",
                            f"总第{draw(st.integers(1, 999))}期 | {year}/{month:02d}月刊",
                            f"{year}年{month}月",
                            "月刊",
                        ]
                    )
                ),
                f"总第{draw(st.integers(1, 999))}期",
            ]
        )
    )
    lines += draw(st.lists(_noise, max_size=3))
    toc = draw(st.booleans()) or draw(st.booleans())
    section_style = draw(st.integers(0, 4))
    entry_style = draw(st.integers(0, 3))
    sections = draw(
        st.lists(
            st.tuples(st.sampled_from(_SECTIONS), st.lists(_title, min_size=1, max_size=4)),
            min_size=1,
            max_size=3,
        )
    )
    if toc:
        lines += ["", draw(st.sampled_from(["目录", "# 目录", "目录 CONTENTS", "> 目 录"])), ""]
        if draw(st.booleans()):
            lines += ["CONTENTS", ""]
        page = 1
        for name, titles in sections:
            lines += [_section_heading(section_style, name), ""]
            for title in titles:
                lines.append(_entry(entry_style, title, page))
                page += draw(st.integers(0, 4))
            lines.append("")
        if draw(st.booleans()):
            lines += ["*免责声明：本刊所载文章仅供参考。", ""]
    for _, titles in sections:
        for title in titles:
            if draw(st.integers(0, 9)) == 0:
                continue  # a TOC entry whose article is missing
            lines += ["", *_heading(draw(st.integers(0, 4)), title), ""]
            for _ in range(draw(st.integers(0, 3))):
                lines += [draw(_paragraph), ""]
            extra = draw(st.integers(0, 5))
            if extra == 1:
                lines += [f"（来源：{draw(_word)}）"]
            elif extra == 2:
                lines += [f"（图 {draw(_word)}）"]
            elif extra == 3:
                lines += ["| 项目 | 金额 |", "|---|---|", f"| {draw(_word)} | 3亿元 |"]
            elif extra == 4:
                lines += ["\t序号", "\t企业名称", "\t1", f"\t{draw(_word)}"]
    # Damage: random lines inserted, lines broken in two, blank lines dropped.
    for _ in range(draw(st.integers(0, 4))):
        lines.insert(draw(st.integers(0, len(lines))), draw(_noise))
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        text = lines[index]
        if len(text) > 2:
            cut = draw(st.integers(1, len(text) - 1))
            lines[index : index + 1] = [text[:cut], text[cut:]]
    if draw(st.booleans()):
        lines = [line for line in lines if line.strip() or draw(st.booleans())]
    return "\n".join(lines) + "\n"


@st.composite
def issue_bytes(draw: st.DrawFn) -> bytes:
    text = draw(issue_texts())
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.replace("\n", newline).encode(encoding, errors="replace")


@st.composite
def document_texts(draw: st.DrawFn) -> str:
    """A policy document: title, outline numbering in the four styles, tab-flattened cells."""
    lines = [draw(_title), ""]
    for top in range(1, draw(st.integers(1, 4)) + 1):
        lines += [f"{'一二三四'[top - 1]}、{draw(_word)}", ""]
        for sub in range(1, draw(st.integers(0, 3)) + 1):
            lines += [f"（{'一二三'[sub - 1]}）{draw(_word)}。{draw(_paragraph)}", ""]
            if draw(st.booleans()):
                lines += [f"{sub}. {draw(_paragraph)}", f"（{sub}）{draw(_paragraph)}"]
        if draw(st.integers(0, 3)) == 0:
            lines += ["\t序号", "\t项目名称", *(f"\t{draw(_word)}" for _ in range(4))]
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(_noise))
    return "\n".join(lines) + "\n"


_random_bytes = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),
    st.binary(max_size=200).map(lambda b: b"\xff\xfe" + b),
    st.builds(lambda a, b: a + b, issue_bytes(), st.binary(max_size=20)),
)


def _parse_issue_bytes(data: bytes, path: str = "issues/2024-05.txt") -> tuple[RawFile, Issue]:
    raw = decode_file(path, data)
    return raw, parse_issue(raw)


def _ledger(regions: tuple, raw: RawFile) -> list[int]:
    """Each non-blank line number as many times as the regions claim it."""
    blank = {line.no for line in raw.lines if not line.text.strip()}
    return sorted(
        no
        for region in regions
        for no in range(region.span.first, region.span.last + 1)
        if no not in blank
    )


def _non_blank(raw: RawFile) -> list[int]:
    return [line.no for line in raw.lines if line.text.strip()]


# --- properties -----------------------------------------------------------------------------


@given(issue_bytes())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_issue_like_texts_parse_and_account_for_every_line(data: bytes) -> None:
    raw, issue = _parse_issue_bytes(data)
    assert _ledger(issue.regions, raw) == _non_blank(raw)
    for article in issue.articles:
        assert 1 <= article.span.first <= article.span.last <= len(raw.lines)
    validate_export(build_site([issue], []))


@given(issue_texts())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_parsing_an_issue_twice_gives_the_same_issue(text: str) -> None:
    raw = decode_file("issues/2024-05.txt", text.encode())
    assert parse_issue(raw) == parse_issue(raw)


@given(_random_bytes)
def test_random_bytes_never_raise(data: bytes) -> None:
    raw, issue = _parse_issue_bytes(data)
    assert _ledger(issue.regions, raw) == _non_blank(raw)
    document = parse_document(decode_file("issues/documents/random.txt", data))
    validate_export(build_site([issue], [document]))


@given(document_texts())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_documents_parse_and_account_for_every_line(text: str) -> None:
    raw = decode_file("issues/documents/plan.txt", text.encode())
    document = parse_document(raw)
    assert _ledger(document.regions, raw) == _non_blank(raw)
    validate_export(build_site([], [document]))


def test_the_samples_export_validates(sample_issues: dict[str, Issue]) -> None:
    from tests.conftest import ROOT

    documents: list[Document] = [
        parse_document(decode_file(f"issues/documents/{path.name}", path.read_bytes()))
        for path in sorted((ROOT / "issues/documents").glob("*.txt"))
    ]
    site = build_site(list(sample_issues.values()), documents)
    exported = validate_export(site)
    assert [issue["id"] for issue in exported["issues"]] == ["2020-03", "2023-08", "2025-07"]


# --- the schema -----------------------------------------------------------------------------


@cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def validate_export(site: object) -> dict:
    """The export of `site`, through JSON and back, checked against the schema; returned."""
    exported = json.loads(json.dumps(export_archive(site), ensure_ascii=False))  # type: ignore[arg-type]
    errors = schema_errors(exported, schema())
    assert errors == [], errors[:5]
    for issue in exported["issues"]:
        for section in issue["sections"]:
            for article in section["articles"]:
                first, last = article["lines"]
                assert first <= last, article
    return exported


def schema_errors(instance: object, root: dict) -> list[str]:
    """Where `instance` breaks the JSON Schema `root`: jsonschema's findings, or ours."""
    try:
        import jsonschema
    except ImportError:
        return list(_errors(instance, root, root, "$"))
    validator = jsonschema.Draft202012Validator(root)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is(instance: object, name: str) -> bool:
    if isinstance(instance, bool) and name in ("integer", "number"):
        return False  # JSON true is not 1
    return isinstance(instance, _TYPES[name])


def _errors(instance: object, node: dict, root: dict, at: str):  # type: ignore[no-untyped-def]
    """The subset of JSON Schema 2020-12 that archive.schema.json uses."""
    if "$ref" in node:
        target: object = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]  # type: ignore[index]
        yield from _errors(instance, target, root, at)  # type: ignore[arg-type]
    if "oneOf" in node:
        passing = [s for s in node["oneOf"] if not list(_errors(instance, s, root, at))]
        if len(passing) != 1:
            yield f"{at}: matches {len(passing)} of oneOf"
    if "const" in node and instance != node["const"]:
        yield f"{at}: {instance!r} is not {node['const']!r}"
    if "enum" in node and instance not in node["enum"]:
        yield f"{at}: {instance!r} is not one of {node['enum']}"
    if "type" in node:
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_is(instance, name) for name in names):
            yield f"{at}: {instance!r} is not of type {names}"
            return
    if isinstance(instance, str):
        if len(instance) < node.get("minLength", 0):
            yield f"{at}: {instance!r} is too short"
        if "pattern" in node and not re.search(node["pattern"], instance):
            yield f"{at}: {instance!r} does not match {node['pattern']}"
    if isinstance(instance, int | float) and not isinstance(instance, bool):
        if "minimum" in node and instance < node["minimum"]:
            yield f"{at}: {instance} < {node['minimum']}"
        if "maximum" in node and instance > node["maximum"]:
            yield f"{at}: {instance} > {node['maximum']}"
    if isinstance(instance, list):
        if len(instance) < node.get("minItems", 0):
            yield f"{at}: fewer than {node['minItems']} items"
        if "maxItems" in node and len(instance) > node["maxItems"]:
            yield f"{at}: more than {node['maxItems']} items"
        if "items" in node:
            for index, item in enumerate(instance):
                yield from _errors(item, node["items"], root, f"{at}[{index}]")
    if isinstance(instance, dict):
        for key in node.get("required", ()):
            if key not in instance:
                yield f"{at}: {key!r} is missing"
        for key, sub in node.get("properties", {}).items():
            if key in instance:
                yield from _errors(instance[key], sub, root, f"{at}.{key}")


_SUPPORTED = {
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "required",
    "properties",
    "items",
    "oneOf",
    "const",
    "enum",
    "pattern",
    "minLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
}


def test_the_fallback_validator_knows_every_keyword_the_schema_uses() -> None:
    def keywords(node: object) -> set[str]:
        if isinstance(node, list):
            return set().union(*map(keywords, node)) if node else set()
        if not isinstance(node, dict):
            return set()
        found = set(node)
        for key, value in node.items():
            if key in ("properties", "$defs"):
                found |= set().union(*map(keywords, value.values()))
            else:
                found |= keywords(value)
        return found

    assert keywords(schema()) <= _SUPPORTED


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        pytest.param(lambda a: a.pop("issues"), "'issues' is missing", id="missing-key"),
        pytest.param(lambda a: a.update(schema=2), "is not 1", id="schema-version"),
        pytest.param(
            lambda a: a["issues"][0].update(number="326"), "is not of type", id="number-as-text"
        ),
        pytest.param(
            lambda a: a["issues"][0]["sections"][0]["articles"][0].update(lines=[85]),
            "fewer than 2 items",
            id="lines-pair",
        ),
        pytest.param(
            lambda a: a["issues"][0]["sections"][0]["articles"][0].update(lines=[0, 3]),
            "0 < 1",
            id="line-zero",
        ),
        pytest.param(
            lambda a: a["warnings"].append(
                {"source": "x", "line": 1, "code": "Bad Code", "message": "m"}
            ),
            "does not match",
            id="code-not-kebab",
        ),
    ],
)
def test_the_schema_catches_a_broken_export(sample_issues: dict, change, complaint: str) -> None:  # type: ignore[no-untyped-def]
    exported = json.loads(json.dumps(export_archive(build_site(list(sample_issues.values()), []))))
    assert schema_errors(exported, schema()) == []
    change(exported)
    errors = schema_errors(exported, schema())
    assert any(complaint in error for error in errors), errors
