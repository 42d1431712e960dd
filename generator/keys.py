"""Match keys: the form of a text used only for comparing, never for display.

`match_key("AIoT时代认证！ 宇視兩款AI攝像機")` == `match_key("AIoT时代认证!宇视两款AI摄像机")`:
NFKC folds full/half width, OpenCC folds traditional to simplified, case is folded, and
spacing, zero-width characters, punctuation and symbols are dropped. The original text always
travels beside its key.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from opencc import OpenCC

_T2S = OpenCC("t2s")


def _conversions(converter: OpenCC) -> list[tuple[str, str]] | None:
    """Every (text, replacement) `converter` knows; None when its tables cannot be read."""
    try:
        groups = converter._dict_chain_data  # the loaded dictionaries: [[(max, min, {k: v})]]
        return [
            (k, v.split(" ")[0])  # of several replacements, the converter takes the first
            for group in groups
            for _, _, table in group
            for k, v in table.items()
        ]
    except (AttributeError, TypeError, ValueError):  # another opencc: assume nothing
        return None


def _changing_chars(entries: list[tuple[str, str]] | None) -> frozenset[str] | None:
    """Characters without which the conversion returns its input unchanged; None if unknown.

    Converting is the slowest part of a key (a pure-Python search over every substring of a
    paragraph), yet a simplified text comes back as it went in. It changes only where a
    character maps to another one, or a phrase does (`瞭解` → `了解`, though `瞭` alone stays):
    a text holding none of those characters skips the search.
    """
    if entries is None:
        return None
    changing = {k for k, v in entries if len(k) == 1 and v != k}
    single = {k for k, _ in entries if len(k) == 1}
    for phrase, value in entries:
        if len(phrase) > 1 and value != phrase and changing.isdisjoint(phrase):
            # `瞭解` changes though no character of it does alone: its rare character marks
            # it (`瞭`, listed as unchanged on its own); failing one, all of them do.
            changing.update(set(phrase) & single or phrase)
    return frozenset(changing)


_T2S_ENTRIES = _conversions(_T2S)
_T2S_CHANGES = _changing_chars(_T2S_ENTRIES)
# Whether conversion keeps a text's length: every replacement is as long as what it replaces.
_T2S_KEEPS_LENGTH = _T2S_ENTRIES is not None and all(len(k) == len(v) for k, v in _T2S_ENTRIES)

# What a key keeps: letters, digits and CJK ideographs. Everything else (spaces, quotes,
# brackets, 、。！, ▲, ◆, zero-width spaces, control characters) says nothing about identity.
_KEY_DROP = re.compile(r"[\W_]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


@functools.lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The comparison key of `text`: width, script, case, spacing and punctuation folded."""
    folded = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text))
    folded = _KEY_DROP.sub("", folded).casefold()
    if not folded or (_T2S_CHANGES is not None and _T2S_CHANGES.isdisjoint(folded)):
        return folded
    return _T2S.convert(folded)


def fold_width(text: str) -> str:
    """NFKC only: full-width digits and punctuation to ASCII, for pattern matching."""
    return unicodedata.normalize("NFKC", text)


def key_length(text: str) -> int:
    """How many characters the key of `text` has: a size that ignores spacing and punctuation."""
    return len(match_key(text))


def key_surely_longer(text: str, size: int) -> bool:
    """Whether the key of `text` is longer than `size`, when that shows without making it.

    True when `text` holds more than `size` CJK ideographs: each stays in the key as one
    character (none has a width variant or composes with a neighbour, and conversion keeps
    lengths). A paragraph is thereby told from a title at a glance, where folding it is most
    of what a key costs. False means only "not sure": the key decides.
    """
    return _T2S_KEEPS_LENGTH and len(text) > size and bool(_ideographs(size + 1).match(text))


@functools.lru_cache(maxsize=64)
def _ideographs(count: int) -> re.Pattern[str]:
    """Matches a text's start up to its `count`th CJK ideograph, scanning no further."""
    return re.compile(f"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){{{count}}}")
