"""read.py: bytes → RawFile (encodings, newlines, bad input), sidecars, file names, the folder."""

from __future__ import annotations

import codecs
import hashlib
import itertools
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import read
from generator.model import Line, Overrides, Problem
from generator.read import (
    Inputs,
    bad_file_name,
    decode_file,
    issue_id_from_name,
    parse_overrides,
    read_bytes_limited,
    read_inputs,
    split_lines,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2020-03.txt"

# Three lines as a masthead prints them; the expected lines are written out, not computed.
MASTHEAD = "天堂之芯\n总第326期\n芯企业 ENTERPRISE\n"
MASTHEAD_LINES = ["天堂之芯", "总第326期", "芯企业 ENTERPRISE"]


def texts(raw_lines: tuple[Line, ...]) -> list[str]:
    return [line.text for line in raw_lines]


def codes(problems: tuple[Problem, ...]) -> list[str]:
    return [problem.code for problem in problems]


# --- encodings and newlines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "lines", "encoding", "problem_codes"),
    [
        pytest.param(MASTHEAD.encode(), MASTHEAD_LINES, "utf-8", [], id="utf8"),
        pytest.param(
            codecs.BOM_UTF8 + MASTHEAD.encode(), MASTHEAD_LINES, "utf-8-sig", [], id="utf8-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + MASTHEAD.encode("utf-16-le"),
            MASTHEAD_LINES,
            "utf-16-le",
            ["not-utf8"],
            id="utf16-le-bom",
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + MASTHEAD.encode("utf-16-be"),
            MASTHEAD_LINES,
            "utf-16-be",
            ["not-utf8"],
            id="utf16-be-bom",
        ),
        pytest.param(
            codecs.BOM_UTF32_LE + MASTHEAD.encode("utf-32-le"),
            MASTHEAD_LINES,
            "utf-32-le",
            ["not-utf8"],
            id="utf32-le-bom",
        ),
        # 𠮷 is outside GBK: only GB18030's four-byte form holds it.
        pytest.param(
            "天堂之芯\n𠮷半导体\n".encode("gb18030"),
            ["天堂之芯", "𠮷半导体"],
            "gb18030",
            ["not-utf8"],
            id="gb18030",
        ),
        pytest.param(MASTHEAD.encode("gbk"), MASTHEAD_LINES, "gb18030", ["not-utf8"], id="gbk"),
        pytest.param(
            MASTHEAD.encode("gb2312"), MASTHEAD_LINES, "gb18030", ["not-utf8"], id="gb2312"
        ),
        # Big5 bytes also decode as GB18030, into nonsense outside GB2312.
        pytest.param(
            ("台積電與聯發科的晶圓代工。\n總第326期\n" * 3).encode("big5"),
            ["台積電與聯發科的晶圓代工。", "總第326期"] * 3,
            "big5",
            ["not-utf8"],
            id="big5",
        ),
        pytest.param(
            "天堂之芯\r\n总第326期\r\n芯企业 ENTERPRISE\r\n".encode(),
            MASTHEAD_LINES,
            "utf-8",
            [],
            id="crlf",
        ),
        pytest.param(
            "天堂之芯\r总第326期\r芯企业 ENTERPRISE\r".encode(),
            MASTHEAD_LINES,
            "utf-8",
            [],
            id="cr",
        ),
        pytest.param(
            "天堂之芯\r\n总第326期\r芯企业 ENTERPRISE\n\r\n\r末行".encode(),
            [*MASTHEAD_LINES, "", "", "末行"],
            "utf-8",
            [],
            id="mixed-newlines",
        ),
        pytest.param(
            "\n\n天堂之芯\n\n".encode(), ["", "", "天堂之芯", ""], "utf-8", [], id="blank-lines"
        ),
        pytest.param("天堂之芯".encode(), ["天堂之芯"], "utf-8", [], id="no-final-newline"),
        # Only CR and LF end lines: U+2028 and U+0085 stay inside the text (U+0085 is C1).
        pytest.param(
            "甲\u2028乙\n丙\x85丁\n".encode(),
            ["甲\u2028乙", "丙\x85丁"],
            "utf-8",
            ["control-characters"],
            id="unicode-separators-stay",
        ),
    ],
)
def test_decode_file(data: bytes, lines: list[str], encoding: str, problem_codes: list[str]):
    raw = decode_file("issues/2020-03.txt", data)
    assert texts(raw.lines) == lines
    assert [line.no for line in raw.lines] == list(range(1, len(lines) + 1))
    assert raw.encoding == encoding
    assert codes(raw.problems) == problem_codes
    assert raw.digest == hashlib.sha256(data).hexdigest()
    assert raw.path == "issues/2020-03.txt"


def test_not_utf8_message() -> None:
    raw = decode_file("issues/2020-03.txt", MASTHEAD.encode("gbk"))
    assert raw.problems == (
        Problem(
            path="issues/2020-03.txt",
            line=None,
            code="not-utf8",
            message="the file is encoded as GB18030, not UTF-8; it was converted",
            fix="save the file as UTF-8, so that every tool reads it the same way",
            severity="warning",
        ),
    )


def test_real_sample_matches_grep() -> None:
    data = SAMPLE.read_bytes()
    raw = decode_file("issues/2020-03.txt", data)
    grep = subprocess.run(["grep", "-c", "", str(SAMPLE)], capture_output=True, text=True)
    assert len(raw.lines) == int(grep.stdout) == 1276
    assert raw.lines[13] == Line(14, "总第326期")
    assert raw.encoding == "utf-8"
    assert raw.problems == ()


# --- input that is not text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        pytest.param(b"", "empty-file", "the file is empty (0 bytes)", id="empty"),
        pytest.param(
            b" \r\n\t\n\xe3\x80\x80\n",
            "empty-file",
            "the file holds only whitespace (9 bytes)",
            id="whitespace-only",
        ),
        pytest.param(
            codecs.BOM_UTF8, "empty-file", "the file holds only whitespace (3 bytes)", id="bom-only"
        ),
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "binary-file",
            "the file is not plain text: it looks like a PDF",
            id="pdf",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary-file",
            "the file is not plain text: it looks like a PNG image",
            id="png",
        ),
        pytest.param(
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
            "binary-file",
            "the file is not plain text: it looks like a JPEG image",
            id="jpeg",
        ),
        pytest.param(
            b"GIF89a\x01\x00",
            "binary-file",
            "the file is not plain text: it looks like a GIF image",
            id="gif",
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml",
            "binary-file",
            "the file is not plain text: it looks like a ZIP archive (a Word .docx is one)",
            id="docx",
        ),
        pytest.param(
            b"abc" + b"\x00" * 20 + b"def",
            "binary-file",
            "the file is not plain text:"
            " it looks like binary data (20 control bytes, 20 of them NUL)",
            id="nul-bytes",
        ),
    ],
)
def test_not_text(data: bytes, code: str, message: str) -> None:
    raw = decode_file("issues/2020-03.txt", data)
    assert raw.lines == ()
    assert len(raw.problems) == 1
    problem = raw.problems[0]
    assert (problem.code, problem.message, problem.severity) == (code, message, "error")
    assert problem.path == "issues/2020-03.txt"


def test_undecodable_names_offset_and_line() -> None:
    head = "第一行\n第二行\nab".encode()  # 9 + 1 + 9 + 1 + 2 bytes: 0xFF is at offset 22
    raw = decode_file("issues/2020-03.txt", head + b"\xff\xfe\xfd\n")
    assert raw.lines == ()
    assert raw.problems == (
        Problem(
            path="issues/2020-03.txt",
            line=3,
            code="undecodable",
            message=(
                "byte 0xFF at offset 22 (line 3) is not valid UTF-8,"
                " and no other encoding fits the file"
            ),
            fix="save the file as UTF-8",
            severity="error",
            column=3,
        ),
    )


def test_damaged_utf8_is_not_read_as_gb18030() -> None:
    # A UTF-8 file with one byte cut out of 芯 mid-file: reading the rest as GB18030 would
    # risk nonsense, so the damage must be reported where it is.
    text = "天堂之芯半导体产业观察\n" * 200
    data = text.encode()
    cut = data.index("芯".encode(), 5000) + 1
    damaged = data[:cut] + data[cut + 1 :]
    raw = decode_file("issues/2020-03.txt", damaged)
    assert codes(raw.problems) == ["undecodable"]
    line = data[:cut].count(b"\n") + 1
    assert raw.problems[0].message.startswith(f"byte 0xE8 at offset {cut - 1} (line {line})")
    assert raw.problems[0].line == line


def test_broken_utf16_after_its_bom() -> None:
    raw = decode_file("issues/2020-03.txt", codecs.BOM_UTF16_LE + "天\n".encode("utf-16-le") + b"x")
    assert raw.problems[0].message == (
        "byte 0x78 at offset 6 (line 2) is not valid UTF-16-LE,"
        " though the file starts with its byte order mark"
    )


def test_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 1_000_000)
    raw = decode_file("issues/2020-03.txt", b"a\n" * 600_000)
    assert raw.lines == ()
    assert raw.problems == (
        Problem(
            path="issues/2020-03.txt",
            line=None,
            code="file-too-large",
            message="the file is 1.2 MB, over the 1 MB limit; it was not read",
            fix="check that it is one issue's plain text (not an export with images in it)",
            severity="error",
        ),
    )


def test_forty_megabytes() -> None:
    line = "杭州士兰微电子股份有限公司获得国家集成电路产业投资基金二期投资（来源：宇视科技）\n"
    data = (line * (40_000_000 // len(line.encode()))).encode()
    started = time.perf_counter()
    raw = decode_file("issues/2020-03.txt", data)
    elapsed = time.perf_counter() - started
    assert len(raw.lines) == data.count(b"\n")
    assert raw.lines[-1] == Line(len(raw.lines), line.rstrip("\n"))
    assert raw.problems == ()
    assert elapsed < 4, f"40 MB took {elapsed:.1f} s"


# --- what is odd inside a text --------------------------------------------------------------


def test_control_character() -> None:
    raw = decode_file("issues/2020-03.txt", "天堂之芯\n总第\x07326期\x07\n".encode())
    assert texts(raw.lines) == ["天堂之芯", "总第\x07326期\x07"]  # kept untouched
    assert raw.problems == (
        Problem(
            path="issues/2020-03.txt",
            line=2,
            code="control-characters",
            message="control character U+0007 at column 3 (2 on this line)",
            fix="delete it: it is invisible in most editors, and it breaks search",
            column=3,
        ),
    )


def test_zero_width() -> None:
    raw = decode_file("issues/2020-03.txt", "芯企业\n\n宇视\u200b科技\n".encode())
    assert texts(raw.lines) == ["芯企业", "", "宇视\u200b科技"]
    assert raw.problems == (
        Problem(
            path="issues/2020-03.txt",
            line=3,
            code="zero-width-characters",
            message="zero-width character U+200B (zero width space) at column 3",
            fix="delete it: it is invisible in most editors, and it breaks search",
            column=3,
        ),
    )


def test_long_line() -> None:
    long = "芯" * 10_001
    raw = decode_file("issues/2020-03.txt", f"标题\n{'芯' * 10_000}\n{long}\n".encode())
    assert [(p.code, p.line) for p in raw.problems] == [("long-line", 3)]
    assert raw.problems[0].message == "the line is 10,001 characters long (more than 10,000)"


def test_many_lines_with_trouble_are_capped() -> None:
    raw = decode_file("issues/2020-03.txt", "页\x0c\n".encode() * 25)
    assert [p.line for p in raw.problems] == [*range(1, 21), None]
    assert raw.problems[-1].message == (
        "5 more lines with control characters (only the first 20 listed)"
    )


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("\n", [""], id="one-newline"),
        pytest.param("a\r\r\nb", ["a", "", "b"], id="cr-then-crlf"),
        pytest.param("a\x0bb\x0cc\x1cd", ["a\x0bb\x0cc\x1cd"], id="vt-ff-fs-stay"),
    ],
)
def test_split_lines(text: str, lines: list[str]) -> None:
    assert texts(split_lines(text)) == lines


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_never_raise(data: bytes) -> None:
    raw = decode_file("issues/2020-03.txt", data)
    errors = [p for p in raw.problems if p.severity == "error"]
    assert not (raw.lines and errors), "a file with an error has no lines"
    assert raw.lines or errors, "a file without lines says why"


# No NUL (a text full of them is binary in UTF-8), and no leading U+FEFF (it is a BOM).
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(max_examples=50, deadline=None)
@given(TEXT)
def test_encodings_give_the_same_lines(text: str) -> None:
    assume(not text.startswith("\ufeff"))
    expected = decode_file("a.txt", text.encode("utf-8")).lines
    for data in (
        codecs.BOM_UTF8 + text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
    ):
        assert decode_file("a.txt", data).lines == expected


# Newsletter-like text: runs of common simplified characters, now and then any character.
COMMON = "天堂之芯半导体总第期杭州士兰微电子股份有限公司来源（）：、。\n\r\t 0123ABC"
CHINESE = st.lists(
    st.tuples(
        st.text(st.sampled_from(COMMON), min_size=10, max_size=40),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=1
        ),
    ),
    min_size=1,
    max_size=5,
).map(lambda runs: "".join(common + other for common, other in runs))


@settings(max_examples=50, deadline=None)
@given(CHINESE)
def test_gb18030_gives_the_same_lines(text: str) -> None:
    data = text.encode("gb18030")
    assume(data.decode("gb18030") == text)
    # Bytes that are also valid UTF-8 are read as UTF-8: that is the detection order.
    assume(data == text.encode() or not _is_utf8(data))
    # A text mostly outside GB2312 is what Big5 or Shift-JIS bytes look like when read as
    # GB18030: the decoder asks charset-normalizer then (see the big5 case).
    assume(read._gb2312_share(text) >= 0.9)
    assert decode_file("a.txt", data).lines == decode_file("a.txt", text.encode()).lines


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(LINE_TEXT, st.sampled_from(["\r\n", "\r", "\n"])), min_size=1))
def test_newline_styles_give_the_same_lines(pairs: list[tuple[str, str]]) -> None:
    assume(not pairs[0][0].startswith("\ufeff"))
    # "a\r" then an empty line ended by "\n" is "a\r\n": one line break, not two.
    assume(
        not any(
            newline == "\r" and following == ("", "\n")
            for (_, newline), following in itertools.pairwise(pairs)
        )
    )
    lf = "".join(text + "\n" for text, _ in pairs)
    mixed = "".join(text + newline for text, newline in pairs)
    crlf = lf.replace("\n", "\r\n")
    cr = lf.replace("\n", "\r")
    expected = decode_file("a.txt", lf.encode()).lines
    for variant in (mixed, crlf, cr):
        assert decode_file("a.txt", variant.encode()).lines == expected
    if expected:  # whitespace-only texts have none, by design
        assert [line.text for line in expected] == [text for text, _ in pairs]


# --- sidecars -------------------------------------------------------------------------------

SIDECAR = "issues/2025-07.yml"


def test_sidecar_valid() -> None:
    text = (
        "number: 368\n"
        "year: 2025\n"
        "month: 07\n"  # YAML 1.1 reads 07 as octal and 08 as a string: the digits count
        "title: 天堂之芯\n"
        "title_fixes:\n"
        "  - toc: 半导体领域陷入芯“铜”危机\n"
        "    body: 半导体领域陷入芯铜危机\n"
    )
    overrides, problems = parse_overrides(SIDECAR, text)
    assert problems == ()
    assert overrides == Overrides(
        path=SIDECAR,
        number=368,
        year=2025,
        month=7,
        title="天堂之芯",
        title_fixes=(("半导体领域陷入芯“铜”危机", "半导体领域陷入芯铜危机"),),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("month: 08\n", Overrides(path=SIDECAR, month=8), id="month-08"),
        pytest.param("number: 0326\n", Overrides(path=SIDECAR, number=326), id="not-octal"),
        pytest.param("number:\nmonth: 3\n", Overrides(path=SIDECAR, month=3), id="blank-value"),
        pytest.param("", Overrides(path=SIDECAR), id="empty"),
        pytest.param("# nothing to override\n", Overrides(path=SIDECAR), id="comment-only"),
    ],
)
def test_sidecar_lenient(text: str, expected: Overrides) -> None:
    assert parse_overrides(SIDECAR, text) == (expected, ())


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        pytest.param(
            "number: 326\nmonth: 3: 4\n",
            2,
            9,
            "the sidecar is not valid YAML: mapping values are not allowed here",
            id="second-colon",
        ),
        pytest.param(
            "number: 326\ntitle 天堂之芯\nyear: 2020\n",
            2,
            1,
            "the sidecar is not valid YAML: could not find expected ':'",
            id="missing-colon",
        ),
        pytest.param(
            'year: 2020\ntitle: "天堂之芯\n',
            2,
            8,
            "the sidecar is not valid YAML: found unexpected end of stream",
            id="unclosed-quote",
        ),
        pytest.param(
            "year: 2020\n\tmonth: 3\n",
            2,
            1,
            "the sidecar is not valid YAML: found character '\\t' that cannot start any token",
            id="tab-indent",
        ),
        pytest.param(
            "year: 2020\ntitle: 天\x07\n",
            2,
            9,
            "the sidecar is not valid YAML: the character U+0007 is not allowed",
            id="control-character",
        ),
    ],
)
def test_sidecar_yaml_syntax(text: str, line: int, column: int, message: str) -> None:
    overrides, problems = parse_overrides(SIDECAR, text)
    assert overrides == Overrides(path=SIDECAR)
    assert [(p.code, p.severity, p.line, p.column, p.message) for p in problems] == [
        ("yaml-syntax", "error", line, column, message)
    ]


def test_sidecar_unknown_key() -> None:
    overrides, problems = parse_overrides(SIDECAR, "number: 368\nmonht: 7\n")
    assert overrides == Overrides(path=SIDECAR, number=368)
    assert problems == (
        Problem(
            path=SIDECAR,
            line=2,
            code="unknown-key",
            message="unknown key “monht”; it is ignored",
            fix="did you mean “month”? The keys are: number, year, month, title, title_fixes",
            column=1,
        ),
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "year: 2025\nmonth: 13\n",
            2,
            "month must be a month from 1 to 12, not “13”",
            id="bad-month",
        ),
        pytest.param(
            "number: 第368期\n",
            1,
            "number must be the issue number (总第N期) as a whole number, not “第368期”",
            id="number-with-words",
        ),
        pytest.param("title: [天堂, 之芯]\n", 1, "title must be text, not a list", id="title-list"),
        pytest.param(
            "title_fixes: 半导体\n",
            1,
            "title_fixes must be a list of pairs with toc and body, not “半导体”",
            id="fixes-not-a-list",
        ),
        pytest.param(
            "title_fixes:\n  - toc: 甲\n",
            2,
            "a title fix must be a pair with toc and body as text, not a mapping",
            id="fix-without-body",
        ),
        pytest.param(
            "- number\n- 368\n",
            1,
            "the sidecar must be `key: value` lines, not a list",
            id="not-a-mapping",
        ),
    ],
)
def test_sidecar_bad_value(text: str, line: int, message: str) -> None:
    _, problems = parse_overrides(SIDECAR, text)
    assert [(p.code, p.severity, p.line, p.message) for p in problems] == [
        ("bad-value", "error", line, message)
    ]


def test_sidecar_bad_value_keeps_the_rest() -> None:
    overrides, problems = parse_overrides(SIDECAR, "year: 2025\nmonth: 13\nnumber: 368\n")
    assert overrides == Overrides(path=SIDECAR, year=2025, number=368)
    assert problems[0].fix == "write it like `month: 3`, or delete it to use what the text prints"


def test_sidecar_duplicate_key() -> None:
    overrides, problems = parse_overrides(SIDECAR, "month: 6\nmonth: 7\n")
    assert overrides.month == 7
    assert [(p.code, p.line) for p in problems] == [("duplicate-key", 2)]


# --- file names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "issue_id"),
    [
        pytest.param("2020-03.txt", "2020-03", id="plain"),
        pytest.param("2025-12.txt", "2025-12", id="december"),
        pytest.param("2020-13.txt", None, id="month-13"),
        pytest.param("2020-00.txt", None, id="month-00"),
        pytest.param("2020-3.txt", None, id="one-digit-month"),
        pytest.param("2020-03.yml", None, id="sidecar"),
        pytest.param("2020-03.txt.bak", None, id="backup"),
        pytest.param("天堂之芯2020-03.txt", None, id="prefix"),
        pytest.param("2020-03 (1).txt", None, id="copy-suffix"),
    ],
)
def test_issue_id_from_name(name: str, issue_id: str | None) -> None:
    assert issue_id_from_name(name) == issue_id


def test_bad_file_name_message() -> None:
    assert bad_file_name("issues/天堂之芯 8月.txt") == Problem(
        path="issues/天堂之芯 8月.txt",
        line=None,
        code="bad-file-name",
        message="the file is not named YYYY-MM.txt, so it is not read as an issue",
        fix="rename it to YYYY-MM.txt, e.g. 2025-08.txt",
        severity="error",
    )


# --- the folder -----------------------------------------------------------------------------


def test_read_inputs(tmp_path: Path) -> None:
    issues = tmp_path / "issues"
    (issues / "documents").mkdir(parents=True)
    (issues / "2023-08.txt").write_bytes("天堂之芯\n总第367期\n".encode("gbk"))
    (issues / "2020-03.txt").write_text(MASTHEAD, encoding="utf-8")
    (issues / "2020-03.yml").write_text("number: 326\n", encoding="utf-8")
    (issues / "2023-08.yml").write_text("month: 13\n", encoding="utf-8")
    (issues / "2021-01.yml").write_text("number: 336\n", encoding="utf-8")
    (issues / "天堂之芯 8月.txt").write_text("天堂之芯\n", encoding="utf-8")
    (issues / "2020-04.pdf").write_bytes(b"%PDF-1.7\n")
    (issues / ".gitkeep").write_bytes(b"")
    (issues / "documents" / "b-plan.txt").write_text("乙\n", encoding="utf-8")
    (issues / "documents" / "a-plan.txt").write_text("甲\n", encoding="utf-8")

    inputs = read_inputs(tmp_path)

    assert isinstance(inputs, Inputs)
    assert [(raw.path, overrides) for raw, overrides in inputs.issues] == [
        ("issues/2020-03.txt", Overrides(path="issues/2020-03.yml", number=326)),
        ("issues/2023-08.txt", Overrides(path="issues/2023-08.yml")),
    ]
    first, second = (raw for raw, _ in inputs.issues)
    assert texts(first.lines) == MASTHEAD_LINES
    assert (texts(second.lines), second.encoding) == (["天堂之芯", "总第367期"], "gb18030")
    assert [raw.path for raw in inputs.documents] == [
        "issues/documents/a-plan.txt",
        "issues/documents/b-plan.txt",
    ]
    assert [(p.path, p.code, p.line) for p in inputs.problems] == [
        ("issues/2020-04.pdf", "ignored-file", None),
        ("issues/2021-01.yml", "orphan-sidecar", None),
        ("issues/2023-08.yml", "bad-value", 1),
        ("issues/天堂之芯 8月.txt", "bad-file-name", None),
    ]


def test_read_inputs_without_issues_folder(tmp_path: Path) -> None:
    inputs = read_inputs(tmp_path)
    assert (inputs.issues, inputs.documents) == ((), ())
    assert codes(inputs.problems) == ["no-issues-folder"]


def test_read_inputs_refuses_huge_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 100)
    (tmp_path / "issues").mkdir()
    data = "芯".encode() * 100
    (tmp_path / "issues" / "2020-03.txt").write_bytes(data)
    ((raw, _),) = read_inputs(tmp_path).issues
    assert (raw.lines, codes(raw.problems)) == ((), ["file-too-large"])
    assert raw.digest == hashlib.sha256(data).hexdigest()


def test_read_bytes_limited(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_bytes(b"x" * 10)
    assert read_bytes_limited(file, limit=10) == b"x" * 10
    assert read_bytes_limited(file, limit=9) is None


def test_real_issues_folder() -> None:
    inputs = read_inputs(ROOT)
    assert [raw.path for raw, _ in inputs.issues] == [
        "issues/2020-03.txt",
        "issues/2023-08.txt",
        "issues/2025-07.txt",
    ]
    assert len(inputs.documents) == 2
    assert all(raw.lines and not raw.problems for raw, _ in inputs.issues)
