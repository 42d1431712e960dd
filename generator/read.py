"""The input edge: bytes of `issues/` in, `RawFile`s and sidecar `Overrides` out.

The only module that opens `issues/`. Pure functions do the work (`decode_file`,
`split_lines`, `parse_overrides`, `issue_id_from_name`); `read_inputs` walks the folder and
hands them the bytes. The text itself is never changed: the byte order mark is dropped and
lines are split on CRLF, CR or LF; everything else, odd characters included, stays as
exported and is reported as a `Problem` for the editor to fix.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import yaml

from generator.model import Line, Lines, Overrides, Problem, RawFile, Severity

# A newsletter issue is about 0.2 MB of text; 50 MB is an export with something else in it,
# and reading it whole would only slow every build down.
MAX_FILE_BYTES = 50_000_000
# A line longer than this is a whole article (or file) exported without line breaks.
MAX_LINE_CHARS = 10_000
# Past this many lines with the same trouble in one file, one summary says how many more:
# a PDF export with a form feed on every page would otherwise bury the report.
MAX_REPORTED_LINES = 20

ISSUE_NAME_EXAMPLE = "2025-08.txt"

_ISSUE_NAME = re.compile(r"(\d{4})-(0[1-9]|1[0-2])\.txt")
_SIDECAR_NAME = re.compile(r"(\d{4})-(0[1-9]|1[0-2])\.yml")

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# What editors drop into issues/ by mistake instead of the text export.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc or Excel .xls file"),
    (b"{\\rtf", "an RTF document"),
)

# Bytes no text encoding without a byte order mark produces (tab, LF, VT, FF, CR and ESC
# excepted). GB18030 trail bytes are all >= 0x30, so Chinese text never contains them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])

# Encodings whose byte structure is strict enough that a clean decode is real evidence.
_MULTIBYTE = frozenset(
    {
        "big5",
        "big5hkscs",
        "cp932",
        "cp949",
        "cp950",
        "euc_jis_2004",
        "euc_jp",
        "euc_kr",
        "gb18030",
        "gb2312",
        "gbk",
        "johab",
        "shift_jis",
        "shift_jis_2004",
        "utf-16",
        "utf-32",
    }
)
# charset-normalizer samples the start of a file: 1 MB is plenty and keeps a 40 MB file fast.
_DETECT_SAMPLE_BYTES = 1_000_000

_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
# C0 (tab and the line breaks excepted), DEL and C1: invisible, and they break search.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ZERO_WIDTH_CHARS = re.compile("[\u200b-\u200f\u2060\ufeff]")


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything read from `issues/`: issue texts with their sidecars, documents, trouble."""

    issues: tuple[tuple[RawFile, Overrides], ...]  # issues/YYYY-MM.txt, sorted by path
    documents: tuple[RawFile, ...]  # issues/documents/*.txt, sorted by path
    problems: tuple[Problem, ...] = ()  # file names, sidecars, files not read


# --- decoding -------------------------------------------------------------------------------


def decode_file(path: str, data: bytes) -> RawFile:
    """`data` decoded and split into lines, with what was odd about it; never raises.

    `path` is the project-relative name, e.g. "issues/2020-03.txt". When the bytes cannot be
    read as text (empty, binary, too large, no encoding fits) the RawFile has no lines and
    one error says why.
    """
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_FILE_BYTES:
        return RawFile(path, (), "", digest, (too_large(path, len(data)),))
    if not data:
        return RawFile(path, (), "utf-8", digest, (_empty(path, "the file is empty (0 bytes)"),))
    decoded = _decode(path, data)
    if isinstance(decoded, Problem):
        return RawFile(path, (), "", digest, (decoded,))
    text, encoding, notes = decoded
    if not text.strip():
        message = f"the file holds only whitespace ({len(data):,} bytes)"
        return RawFile(path, (), encoding, digest, (_empty(path, message),))
    parts = _split(text)
    return RawFile(path, Lines(parts), encoding, digest, (*notes, *_check_lines(path, text, parts)))


def split_lines(text: str) -> tuple[Line, ...]:
    """`text` as numbered lines: CRLF, CR and LF each end a line, as `grep -n` counts them."""
    return tuple(Line(no, part) for no, part in enumerate(_split(text), start=1))


def _split(text: str) -> list[str]:
    # Only CR and LF break lines. str.splitlines() would also break on VT, FF, U+0085,
    # U+2028…, which an export leaves inside a line: the numbering would drift from grep's.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()  # a final newline ends the last line; it does not start another
    return parts


def _decode(path: str, data: bytes) -> tuple[str, str, tuple[Problem, ...]] | Problem:
    """(text, encoding, notes), or the error saying why `data` is not text."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                return _undecodable(path, data, len(bom), codec, exc.start, bom_label=label)
            notes = () if codec == "utf-8" else (_not_utf8(path, label),)
            return text, label, notes

    looks_like = _looks_like(data)
    if looks_like:
        return Problem(
            path=path,
            line=None,
            code="binary-file",
            message=f"the file is not plain text: it looks like {looks_like}",
            fix="put the issue's plain-text export (.txt, UTF-8) in issues/ instead",
            severity="error",
        )

    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as exc:
        first_bad = exc.start

    if _mostly_utf8(data):
        # UTF-8 with a damaged byte (a truncated copy, a bad merge): read as GB18030 it would
        # decode into plausible-looking nonsense, so say where the damage is instead.
        return _undecodable(path, data, 0, "utf-8", first_bad)

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # Big5 and Shift-JIS bytes also decode as GB18030, into rare characters outside
        # GB2312; real simplified Chinese stays inside it (>99% in the samples).
        if _gb2312_share(text) < 0.9:
            detected = _detect(data)
            if detected and detected[1] in _MULTIBYTE and not detected[1].startswith("gb"):
                return detected[0], detected[1], (_not_utf8(path, detected[1]),)
        return text, "gb18030", (_not_utf8(path, "gb18030"),)

    detected = _detect(data)
    if detected:
        return detected[0], detected[1], (_not_utf8(path, detected[1]),)
    return _undecodable(path, data, 0, "utf-8", first_bad)


def _looks_like(data: bytes) -> str:
    """What a non-text file looks like ("a PDF"…), or "" when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > 8 and controls * 100 > len(data):
        nuls = data.count(0)
        return f"binary data ({controls:,} control bytes, {nuls:,} of them NUL)"
    return ""


def _mostly_utf8(data: bytes) -> bool:
    """Whether `data` is UTF-8 with a few bad bytes rather than another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(_ASCII_RUNS.sub("", text)) - bad
    # GB18030 text read as UTF-8 gives ~0.3 good characters per bad one, Big5 ~0.1
    # (measured on the sample issues); damaged UTF-8 gives thousands.
    return good >= 10 * bad


def _gb2312_share(text: str) -> float:
    """The share of non-ASCII characters of `text` that GB2312 (common simplified) holds."""
    wide = _ASCII_RUNS.sub("", text)
    if not wide:
        return 1.0
    return len(wide.encode("gb2312", errors="ignore")) / 2 / len(wide)


def _detect(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when charset-normalizer is confident about `data`, else None."""
    sample = data
    if len(data) > _DETECT_SAMPLE_BYTES:
        cut = data.rfind(b"\n", 0, _DETECT_SAMPLE_BYTES)
        sample = data[: cut + 1 if cut > 0 else _DETECT_SAMPLE_BYTES]
    try:
        best = charset_normalizer.from_bytes(sample).best()
    except Exception:  # a detector bug must not stop the build; the file is reported instead
        return None
    if best is None or best.percent_chaos > 10:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
    except LookupError:
        return None
    # One odd byte in ASCII fits any single-byte code page (cp1006, "Farsi", 0% chaos):
    # without language evidence such a guess is no better than refusing the file.
    if codec not in _MULTIBYTE and best.percent_coherence < 20:
        return None
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        return None


def _undecodable(
    path: str, data: bytes, start: int, codec: str, offset: int, bom_label: str = ""
) -> Problem:
    """The error for the first byte at `offset` (counted from `start`) `codec` cannot read."""
    prefix = data[start : start + offset].decode(codec, errors="replace")
    line = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1
    column = len(prefix) - max(prefix.rfind("\n"), prefix.rfind("\r"))
    offset += start
    byte = data[offset] if offset < len(data) else None
    shown = f"byte 0x{byte:02X}" if byte is not None else "the last bytes"
    if bom_label:
        message = (
            f"{shown} at offset {offset} (line {line}) is not valid {bom_label.upper()},"
            " though the file starts with its byte order mark"
        )
    else:
        message = (
            f"{shown} at offset {offset} (line {line}) is not valid UTF-8,"
            " and no other encoding fits the file"
        )
    return Problem(
        path=path,
        line=line,
        code="undecodable",
        message=message,
        fix="save the file as UTF-8",
        severity="error",
        column=column,
    )


def _not_utf8(path: str, encoding: str) -> Problem:
    return Problem(
        path=path,
        line=None,
        code="not-utf8",
        message=f"the file is encoded as {encoding.upper()}, not UTF-8; it was converted",
        fix="save the file as UTF-8, so that every tool reads it the same way",
    )


def _empty(path: str, message: str) -> Problem:
    return Problem(
        path=path,
        line=None,
        code="empty-file",
        message=message,
        fix="export the issue's text again, or delete the file",
        severity="error",
    )


def too_large(path: str, size: int) -> Problem:
    """The error for a file of `size` bytes, over MAX_FILE_BYTES."""
    return Problem(
        path=path,
        line=None,
        code="file-too-large",
        message=(
            f"the file is {size / 1_000_000:,.1f} MB, over the"
            f" {MAX_FILE_BYTES // 1_000_000} MB limit; it was not read"
        ),
        fix="check that it is one issue's plain text (not an export with images in it)",
        severity="error",
    )


# --- what is odd inside the text ------------------------------------------------------------


def _check_lines(path: str, text: str, parts: list[str]) -> tuple[Problem, ...]:
    """Warnings for invisible characters and overlong lines, one per line (up to a cap)."""
    problems: list[Problem] = []
    for code, pattern, what in (
        ("control-characters", _CONTROL_CHARS, "control character"),
        ("zero-width-characters", _ZERO_WIDTH_CHARS, "zero-width character"),
    ):
        # One search over the whole text first: the common clean file costs no line loop.
        if pattern.search(text) is None:
            continue
        found = []
        for no, part in enumerate(parts, start=1):
            match = pattern.search(part)
            if match:
                found.append(_invisible(path, no, part, match, code, what))
        problems.extend(_capped(path, code, found, what + "s"))
    if max(map(len, parts)) > MAX_LINE_CHARS:
        found = [
            Problem(
                path=path,
                line=no,
                code="long-line",
                message=(
                    f"the line is {len(part):,} characters long (more than {MAX_LINE_CHARS:,})"
                ),
                fix="break it where its paragraphs end; it was probably exported without"
                " line breaks",
            )
            for no, part in enumerate(parts, start=1)
            if len(part) > MAX_LINE_CHARS
        ]
        problems.extend(_capped(path, "long-line", found, "overlong lines"))
    return tuple(problems)


def _invisible(
    path: str, no: int, part: str, match: re.Match[str], code: str, what: str
) -> Problem:
    char = match.group()
    count = len(match.re.findall(part))
    name = _char_name(char)
    more = f" ({count} on this line)" if count > 1 else ""
    return Problem(
        path=path,
        line=no,
        code=code,
        message=f"{what} U+{ord(char):04X}{name} at column {match.start() + 1}{more}",
        fix="delete it: it is invisible in most editors, and it breaks search",
        column=match.start() + 1,
    )


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "")
    return f" ({name.lower()})" if name else ""


def _capped(path: str, code: str, found: list[Problem], plural: str) -> list[Problem]:
    if len(found) <= MAX_REPORTED_LINES:
        return found
    rest = len(found) - MAX_REPORTED_LINES
    summary = Problem(
        path=path,
        line=None,
        code=code,
        message=f"{rest:,} more lines with {plural} (only the first {MAX_REPORTED_LINES} listed)",
        fix=found[0].fix,
    )
    return [*found[:MAX_REPORTED_LINES], summary]


# --- file names -----------------------------------------------------------------------------


def issue_id_from_name(filename: str) -> str | None:
    """ "2020-03.txt" → "2020-03"; None for any other name (month must be 01–12)."""
    match = _ISSUE_NAME.fullmatch(filename)
    return f"{match[1]}-{match[2]}" if match else None


def bad_file_name(path: str) -> Problem:
    """A file in issues/ whose name does not say which issue it is.

    An error for a text (its issue is never published, so `check` must fail); a warning for a
    sidecar, which changes nothing until it is renamed.
    """
    if path.lower().endswith((".yml", ".yaml")):
        message = "the sidecar is not named YYYY-MM.yml, so it is not read"
        fix = "rename it to YYYY-MM.yml, like its issue's text, e.g. 2025-08.yml"
        severity: Severity = "warning"
    else:
        message = "the file is not named YYYY-MM.txt, so it is not read as an issue"
        fix = f"rename it to YYYY-MM.txt, e.g. {ISSUE_NAME_EXAMPLE}"
        severity = "error"
    return Problem(path, None, "bad-file-name", message, fix, severity)


# --- sidecars -------------------------------------------------------------------------------

# key → (what the value must be, an example for the fix)
_SIDECAR_KEYS: dict[str, tuple[str, str]] = {
    "number": ("the issue number (总第N期) as a whole number", "number: 326"),
    "year": ("a year from 1900 to 2100", "year: 2020"),
    "month": ("a month from 1 to 12", "month: 3"),
    "title": ("text", "title: 天堂之芯"),
    "title_fixes": (
        "a list of pairs with toc and body",
        "title_fixes: [{toc: TOC title, body: body heading}]",
    ),
}
_INT_RANGES = {"number": (1, 100_000), "year": (1900, 2100), "month": (1, 12)}
_NULL_TAG = "tag:yaml.org,2002:null"


def parse_overrides(path: str, text: str) -> tuple[Overrides, tuple[Problem, ...]]:
    """The editor's sidecar `issues/YYYY-MM.yml` read from `text`, with its problems.

    A syntax error gives the defaults. A bad value is reported and left at its default; the
    sidecar's other keys still apply.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return Overrides(path=path), (_yaml_syntax(path, text, exc),)
    if root is None or _is_null(root):
        return Overrides(path=path), ()
    if not isinstance(root, yaml.MappingNode):
        return Overrides(path=path), (
            _bad_value(path, root, "the sidecar", "`key: value` lines", "number: 326"),
        )

    values: dict[str, object] = {}
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in _SIDECAR_KEYS:
            problems.append(_unknown_key(path, key_node, key, tuple(_SIDECAR_KEYS)))
            continue
        line = key_node.start_mark.line + 1
        if key in first_line:
            problems.append(
                Problem(
                    path=path,
                    line=line,
                    code="duplicate-key",
                    message=f"“{key}” is given twice (first at line {first_line[key]});"
                    " the last one wins",
                    fix="delete the line that is wrong",
                )
            )
        first_line[key] = line
        if _is_null(value_node):
            values.pop(key, None)  # `month:` left blank means "not given"
            continue
        value, value_problems = _sidecar_value(path, key, value_node)
        problems.extend(value_problems)
        if value is not None:
            values[key] = value
        else:
            values.pop(key, None)

    overrides = Overrides(
        path=path,
        number=_as_int(values.get("number")),
        year=_as_int(values.get("year")),
        month=_as_int(values.get("month")),
        title=_as_str(values.get("title")),
        title_fixes=_as_pairs(values.get("title_fixes")),
    )
    return overrides, tuple(problems)


def _sidecar_value(path: str, key: str, node: yaml.Node) -> tuple[object, list[Problem]]:
    """The value of `key` from its node, or None with the problem that stopped it."""
    expected, example = _SIDECAR_KEYS[key]
    if key in _INT_RANGES:
        # Read the digits as written: YAML 1.1 takes `month: 08` for a string and
        # `number: 0326` for octal 214.
        low, high = _INT_RANGES[key]
        raw = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
        if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
            return int(raw), []
        return None, [_bad_value(path, node, key, expected, example)]
    if key == "title":
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            return node.value, []
        return None, [_bad_value(path, node, key, expected, example)]
    return _title_fixes(path, node)


def _title_fixes(path: str, node: yaml.Node) -> tuple[object, list[Problem]]:
    expected, example = _SIDECAR_KEYS["title_fixes"]
    if not isinstance(node, yaml.SequenceNode):
        return None, [_bad_value(path, node, "title_fixes", expected, example)]
    pairs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for item in node.value:
        fields: dict[str, str] = {}
        if isinstance(item, yaml.MappingNode):
            for key_node, value_node in item.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key not in ("toc", "body"):
                    problems.append(_unknown_key(path, key_node, key, ("toc", "body")))
                elif isinstance(value_node, yaml.ScalarNode) and value_node.value.strip():
                    fields[key] = value_node.value
        if "toc" in fields and "body" in fields:
            pairs.append((fields["toc"], fields["body"]))
        else:
            problems.append(
                _bad_value(path, item, "a title fix", "a pair with toc and body as text", example)
            )
    return tuple(pairs), problems


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _as_pairs(value: object) -> tuple[tuple[str, str], ...]:
    return value if isinstance(value, tuple) else ()


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return f"“{node.value}”"
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _bad_value(path: str, node: yaml.Node, what: str, expected: str, example: str) -> Problem:
    return Problem(
        path=path,
        line=node.start_mark.line + 1,
        code="bad-value",
        message=f"{what} must be {expected}, not {_shown(node)}",
        fix=f"write it like `{example}`, or delete it to use what the text prints",
        severity="error",
        column=node.start_mark.column + 1,
    )


def _unknown_key(path: str, node: yaml.Node, key: str | None, known: tuple[str, ...]) -> Problem:
    close = difflib.get_close_matches(key, known, n=1) if key else []
    listed = ", ".join(known)
    fix = (
        f"did you mean “{close[0]}”? The keys are: {listed}"
        if close
        else f"delete it; the keys are: {listed}"
    )
    return Problem(
        path=path,
        line=node.start_mark.line + 1,
        code="unknown-key",
        message=(
            f"unknown key “{key}”; it is ignored"
            if key is not None
            else "a key that is not a plain name; it is ignored"
        ),
        fix=fix,
        column=node.start_mark.column + 1,
    )


def _yaml_syntax(path: str, text: str, exc: yaml.YAMLError) -> Problem:
    line = column = None
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        # "could not find expected ':'" is found on the line after the key that lacks it;
        # the context mark ("while scanning a simple key") points at that key itself.
        if (
            isinstance(exc, yaml.scanner.ScannerError)
            and exc.context_mark is not None
            and (exc.context or "").startswith("while scanning a")
        ):
            mark = exc.context_mark
        line, column = mark.line + 1, mark.column + 1
        problem = exc.problem or "malformed"
    elif isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = len(before) - before.rfind("\n")
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problem = f"the character U+{char:04X} is not allowed"
    else:
        problem = str(exc).splitlines()[0] if str(exc) else "malformed"
    return Problem(
        path=path,
        line=line,
        code="yaml-syntax",
        message=f"the sidecar is not valid YAML: {problem}",
        fix="write one `key: value` per line; put values containing “: ” or “#” in quotes",
        severity="error",
        column=column,
    )


# --- the folder -----------------------------------------------------------------------------


def read_bytes_limited(file: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of `file`, or None when it holds more than `limit` (never read whole)."""
    if file.stat().st_size > limit:
        return None
    with file.open("rb") as stream:
        data = stream.read(limit + 1)  # the file may have grown since stat
    return None if len(data) > limit else data


def read_raw(root: Path, file: Path) -> RawFile:
    """`file` under `root` decoded; unreadable or oversized files come back as an error."""
    path = file.relative_to(root).as_posix()
    try:
        data = read_bytes_limited(file, MAX_FILE_BYTES)
        if data is None:
            with file.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
            return RawFile(path, (), "", digest, (too_large(path, file.stat().st_size),))
    except OSError as exc:
        problem = Problem(
            path=path,
            line=None,
            code="unreadable-file",
            message=f"the file cannot be read: {exc.strerror or exc}",
            fix="check that the file exists and that its permissions let the build read it",
            severity="error",
        )
        return RawFile(path, (), "", "", (problem,))
    return decode_file(path, data)


def read_inputs(root: Path) -> Inputs:
    """Every issue text under `root/issues` with its sidecar, the documents, and what was odd."""
    issues_dir = root / "issues"
    if not issues_dir.is_dir():
        problem = Problem(
            path="issues",
            line=None,
            code="no-issues-folder",
            message="there is no issues/ folder, so there is nothing to publish",
            fix=f"create issues/ and put the texts in it, named like {ISSUE_NAME_EXAMPLE}",
            severity="error",
        )
        return Inputs(issues=(), documents=(), problems=(problem,))

    problems: list[Problem] = []
    texts: dict[str, Path] = {}
    sidecars: dict[str, Path] = {}
    for entry in sorted(issues_dir.iterdir()):
        path = entry.relative_to(root).as_posix()
        if entry.name.startswith("."):
            continue  # .gitkeep, .DS_Store
        if entry.is_dir():
            if entry.name != "documents":
                problems.append(_ignored(path, "folder"))
            continue
        suffix = entry.suffix.lower()
        if suffix == ".txt":
            issue_id = issue_id_from_name(entry.name)
            if issue_id is None:
                problems.append(bad_file_name(path))
            else:
                texts[issue_id] = entry
        elif suffix in (".yml", ".yaml"):
            match = _SIDECAR_NAME.fullmatch(entry.name)
            if match is None:
                problems.append(bad_file_name(path))
            else:
                sidecars[f"{match[1]}-{match[2]}"] = entry
        else:
            problems.append(_ignored(path, "file"))

    issues: list[tuple[RawFile, Overrides]] = []
    for issue_id, text_file in sorted(texts.items()):
        overrides = Overrides()
        if issue_id in sidecars:
            overrides, sidecar_problems = _read_sidecar(root, sidecars[issue_id])
            problems.extend(sidecar_problems)
        issues.append((read_raw(root, text_file), overrides))
    for issue_id, sidecar in sorted(sidecars.items()):
        if issue_id not in texts:
            problems.append(
                Problem(
                    path=sidecar.relative_to(root).as_posix(),
                    line=None,
                    code="orphan-sidecar",
                    message=f"there is no issue text {issue_id}.txt beside this sidecar,"
                    " so it is not used",
                    fix="rename it to match its issue's .txt, or delete it",
                )
            )

    documents: list[RawFile] = []
    documents_dir = issues_dir / "documents"
    if documents_dir.is_dir():
        for entry in sorted(documents_dir.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_file() and entry.suffix.lower() == ".txt":
                documents.append(read_raw(root, entry))
            else:
                kind = "folder" if entry.is_dir() else "file"
                problems.append(_ignored(entry.relative_to(root).as_posix(), kind))

    return Inputs(
        issues=tuple(sorted(issues, key=lambda pair: pair[0].path)),
        documents=tuple(sorted(documents, key=lambda raw: raw.path)),
        problems=tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.code))),
    )


def _read_sidecar(root: Path, file: Path) -> tuple[Overrides, tuple[Problem, ...]]:
    raw = read_raw(root, file)
    # An empty sidecar just overrides nothing.
    problems = tuple(p for p in raw.problems if p.code != "empty-file")
    if not raw.lines:
        return Overrides(path=raw.path), problems
    text = "\n".join(line.text for line in raw.lines)
    overrides, parse_problems = parse_overrides(raw.path, text)
    return overrides, (*problems, *parse_problems)


def _ignored(path: str, kind: str) -> Problem:
    return Problem(
        path=path,
        line=None,
        code="ignored-file",
        message=f"the {kind} is not a .txt text, so it is not read",
        fix=f"move it out of issues/; issue texts are named like {ISSUE_NAME_EXAMPLE},"
        " policy documents go in issues/documents/",
    )


def read_site_url(root: Path) -> str:
    """`site_url` from mkdocs.yml (absolute links in feeds); a placeholder when not set."""
    config = root / "mkdocs.yml"
    try:
        # mkdocs.yml may hold !!python/name tags: read only the one plain key
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("site_url:"):
                value = line.split(":", 1)[1].strip().strip("'\"")
                if value:
                    return value if value.endswith("/") else value + "/"
    except OSError:
        pass
    return "https://example.invalid/"


# --- the registry ---------------------------------------------------------------------------

REGISTRY_NAMES = ("companies.yml", "organisations.yml", "policies.yml")


@dataclass(frozen=True, slots=True)
class RegistryTexts:
    """The curated entity files of `registry/` as text; `entities.parse_registry` reads them."""

    files: tuple[tuple[str, str], ...] = ()  # (path, text) of each file present, in name order
    problems: tuple[Problem, ...] = ()  # files that could not be read


def read_registry(root: Path, folder: Path | None = None) -> RegistryTexts:
    """companies.yml, organisations.yml and policies.yml of `folder` (default root/registry).

    A missing folder or file is an empty registry: discovery still finds names on its own.
    """
    folder = folder if folder is not None else root / "registry"
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for name in REGISTRY_NAMES:
        file = folder / name
        if not file.is_file():
            continue
        try:
            path = file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            path = file.as_posix()
        raw = read_raw(file.parent, file)
        raw = RawFile(path, raw.lines, raw.encoding, raw.digest, raw.problems)
        problems.extend(replace_path(p, path) for p in raw.problems if p.code != "empty-file")
        if raw.lines:
            files.append((path, "\n".join(line.text for line in raw.lines)))
    return RegistryTexts(tuple(files), tuple(problems))


def replace_path(problem: Problem, path: str) -> Problem:
    return Problem(
        path,
        problem.line,
        problem.code,
        problem.message,
        problem.fix,
        problem.severity,
        problem.column,
    )
