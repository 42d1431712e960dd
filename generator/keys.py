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

# What a key keeps: letters, digits and CJK ideographs. Everything else (spaces, quotes,
# brackets, 、。！, ▲, ◆, zero-width spaces, control characters) says nothing about identity.
_KEY_DROP = re.compile(r"[^\w]|_", re.UNICODE)
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


@functools.lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The comparison key of `text`: width, script, case, spacing and punctuation folded."""
    folded = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text))
    folded = _KEY_DROP.sub("", folded).casefold()
    return _T2S.convert(folded) if folded else folded


def fold_width(text: str) -> str:
    """NFKC only: full-width digits and punctuation to ASCII, for pattern matching."""
    return unicodedata.normalize("NFKC", text)


def key_length(text: str) -> int:
    """How many characters the key of `text` has: a size that ignores spacing and punctuation."""
    return len(match_key(text))
