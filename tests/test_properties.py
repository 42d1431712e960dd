"""Hypothesis properties of issue parsing: nothing lost, deterministic, layout-independent."""

from __future__ import annotations

from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from generator.issue import parse_issue
from generator.keys import match_key
from generator.model import Issue, RawFile
from generator.read import decode_file
from tests.conftest import ROOT, raw_from_text

# The first eight articles of 2020-03 (cover, full contents, bodies to line 330): small enough
# to parse many times, and it holds a split heading, a bold title repeat and a table.
_HEAD = 330


@cache
def sample_text() -> str:
    lines = (ROOT / "issues/2020-03.txt").read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:_HEAD]) + "\n"


def ledger(issue: Issue, raw: RawFile) -> list[int]:
    """Each non-blank line number as many times as regions claim it."""
    blank = {line.no for line in raw.lines if not line.text.strip()}
    return sorted(
        no
        for region in issue.regions
        for no in range(region.span.first, region.span.last + 1)
        if no not in blank
    )


def article_view(issue: Issue) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """What a reader sees of the articles, independent of line numbers."""
    return [
        (a.id, a.toc_title, match_key(a.body_title), tuple(s.name for s in a.sources))
        for a in issue.articles
    ]


_noise_line = st.text(
    alphabet=st.sampled_from(list("芯片半导体公司投资亿元，。：ABC 123-▲◆#*")),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@given(st.lists(st.tuples(st.integers(0, _HEAD), _noise_line), max_size=8))
def test_every_non_blank_line_is_accounted_once(insertions: list[tuple[int, str]]) -> None:
    lines = sample_text().split("\n")
    for position, text in sorted(insertions, reverse=True):
        lines.insert(position, text)
    raw = raw_from_text("\n".join(lines), "issues/2020-03.txt")
    non_blank = [line.no for line in raw.lines if line.text.strip()]
    assert ledger(parse_issue(raw), raw) == non_blank


def test_sample_ledgers_are_complete(sample_issues: dict) -> None:
    for issue in sample_issues.values():
        raw = decode_file(issue.path, (ROOT / issue.path).read_bytes())
        assert ledger(issue, raw) == [line.no for line in raw.lines if line.text.strip()]


@given(st.data())
def test_rewrapping_paragraphs_keeps_the_articles(data: st.DataObject) -> None:
    """Splitting long paragraph lines in two (as another PDF export would) changes nothing."""
    lines = sample_text().split("\n")
    long_lines = [i for i, line in enumerate(lines) if len(line) > 60 and i > 90]
    chosen = data.draw(st.sets(st.sampled_from(long_lines), max_size=6))
    for index in sorted(chosen, reverse=True):
        line = lines[index]
        cut = data.draw(st.integers(10, len(line) - 10))
        lines[index : index + 1] = [line[:cut], line[cut:]]
    original = parse_issue(raw_from_text(sample_text(), "issues/2020-03.txt"))
    rewrapped = parse_issue(raw_from_text("\n".join(lines), "issues/2020-03.txt"))
    assert article_view(rewrapped) == article_view(original)


def _parse_bytes(data: bytes) -> Issue:
    return parse_issue(decode_file("issues/2020-03.txt", data))


def test_crlf_and_gb18030_give_the_same_articles() -> None:
    text = sample_text()
    reference = _parse_bytes(text.encode("utf-8"))
    for data in (
        text.replace("\n", "\r\n").encode("utf-8"),
        text.encode("gb18030"),
        text.replace("\n", "\r\n").encode("gb18030"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
    ):
        other = _parse_bytes(data)
        assert other.articles == reference.articles
        assert other.regions == reference.regions


def test_parsing_is_deterministic(sample_issues: dict) -> None:
    for issue in sample_issues.values():
        raw = decode_file(issue.path, (ROOT / issue.path).read_bytes())
        assert parse_issue(raw) == issue


@given(st.text(max_size=60))
def test_match_key_is_idempotent(text: str) -> None:
    assert match_key(match_key(text)) == match_key(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_match_key_ignores_width_and_spacing(text: str) -> None:
    import unicodedata

    assert match_key(unicodedata.normalize("NFKC", text)) == match_key(text)
    assert match_key(" ".join(text)) == match_key(text)
