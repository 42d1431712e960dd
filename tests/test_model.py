"""`Lines`, the compact form of a file's lines, reads exactly as the tuple of `Line` it replaces."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.model import Line, Lines
from generator.read import decode_file

# Any text a line can hold: everything but the CR and LF that end lines (the empty line too).
line_texts = st.lists(st.text(st.characters(blacklist_characters="\r\n")), max_size=30)


@given(line_texts)
def test_lines_read_as_the_tuple_of_line(texts: list[str]) -> None:
    lines, expected = Lines(texts), tuple(Line(no, t) for no, t in enumerate(texts, start=1))
    assert len(lines) == len(expected)
    assert tuple(lines) == expected
    assert [lines[i] for i in range(-len(texts), len(texts))] == [*expected, *expected]
    assert lines[1:-1] == expected[1:-1] and lines[::2] == expected[::2]
    assert lines == expected and expected == lines and hash(lines) == hash(expected)
    assert bool(lines) == bool(texts)


@given(line_texts, line_texts)
def test_lines_are_equal_when_their_texts_are(first: list[str], second: list[str]) -> None:
    assert (Lines(first) == Lines(second)) == (first == second)


@given(line_texts)
def test_lines_survive_the_cache(texts: list[str]) -> None:
    lines = Lines(texts)
    again = pickle.loads(pickle.dumps(lines, pickle.HIGHEST_PROTOCOL))
    assert again == lines and tuple(again) == tuple(lines)


def test_a_file_of_one_empty_line_is_not_an_empty_file() -> None:
    # both are joined into "": the count tells them apart
    assert len(Lines([""])) == 1 and tuple(Lines([""])) == (Line(1, ""),)
    assert len(Lines([])) == 0 and tuple(Lines([])) == ()


@pytest.mark.parametrize("index", [3, -4])
def test_a_line_past_the_end_is_an_index_error(index: int) -> None:
    with pytest.raises(IndexError):
        Lines(["a", "b", "c"])[index]


def test_decoded_files_hold_their_lines_compactly() -> None:
    raw = decode_file("issues/2020-03.txt", "天堂之芯\r\n\r\n总第326期\n".encode())
    assert isinstance(raw.lines, Lines) and raw.lines.text == "天堂之芯\n\n总第326期"
    assert tuple(raw.lines) == (Line(1, "天堂之芯"), Line(2, ""), Line(3, "总第326期"))
