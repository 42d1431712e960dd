"""Site → the sharded search index under `search/` that `theme/javascripts/search.js` reads.

Readers search for names (华为, 中芯国际, 大基金), 文号 and substrings (导体), and Chinese has
no spaces: a segmenter splits names or joins them with their neighbours, so the index is made
of overlapping character bigrams of the folded text (as Lucene's CJK analyzer does), and the
browser checks a longer query against the page's own text. Registry names, aliases and 文号
are whole terms that lead from any name of an entity to the pages naming it under any other.

What comes in is the Site; what goes out is {docs/ path: text}, sorted and deterministic:

    search/manifest.json          shard count, doc count, the query-side fold table
    search/shards/XXX.json        postings of the terms whose hash falls in the shard
    search/text/D-S.json          segment S of page D: title, URL, label, original text
    search/meta.json              per-page facets (section, year, companies, policy levels)
    search/search_index.json      Material's index, left empty: its UI asks our worker
    search/index.md               the search page (facets, sort by date)

A query needs the manifest, one shard per bigram (a few, however large the archive) and the
text segments of the results it shows, so the first query stays small at 400 issues.

Terms are made from the *folded* text: every character through `keys.match_key` on its own
(NFKC width, traditional→simplified, case; spacing and punctuation dropped). Folding character
by character keeps a map from folded to original positions, so snippets are cut from the
original text; the browser folds the same way (NFKC and lower case natively, the rest from
the exceptions this module writes beside each text and into the manifest).
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import ahocorasick
import numpy as np

from generator.keys import match_key
from generator.model import Article, Block, Document, Issue
from generator.site import Site, article_path, document_path, issue_path, url_of

SEGMENT_CHARS = 1200  # a page's text is cut into segments of about this many characters
SEGMENT_OVERLAP = 32  # a phrase of up to this many characters across a cut is still found
MAX_SEGMENTS = 30  # a page's segments fit the 31-bit masks the browser ANDs
SHARD_BYTES = 12_000  # the shard count is chosen so that a shard is about this size
MIN_TERM = 2  # shorter queries are not searched: one character finds everything


# --- folding and terms --------------------------------------------------------------------


@functools.cache
def fold_char(char: str) -> str:
    """One character's folded form: its match key ("" for spacing and punctuation)."""
    return match_key(char)


class _FoldTable(dict[int, str]):
    """`str.translate` table that folds each character as `fold_char` does, filled on use."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold_text(text: str) -> str:
    """The folded text only (what the index is made of); same as `fold(text)[0]`, faster."""
    return text.translate(_FOLD)


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded text and, for each folded character, the index of the original it came from."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        chars.append(folded)
        positions.extend([index] * len(folded))
    return "".join(chars), tuple(positions)


def bigrams(folded: str) -> set[str]:
    """Overlapping character pairs of folded text: `中芯国际` → 中芯, 芯国, 国际."""
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


_BASIC_DROP = re.compile(r"[^\w]|_")
_LATIN_WORD = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")
_IDEOGRAPHS = re.compile("[\u4e00-\u9fff]+")  # CJK Unified Ideographs


@functools.cache
def basic_fold(char: str) -> str:
    """What the browser computes without tables: NFKC, lower case, letters and digits only."""
    return _BASIC_DROP.sub("", unicodedata.normalize("NFKC", char).lower())


def latin_words(text: str) -> set[str]:
    """Whole Latin words (with a letter), case-folded: `LPDDR6 内存`, `GSMA's` → lpddr6, gsma.

    Taken before spacing is dropped, so `Micron Technology` stays two words.
    """
    # An ideograph is in no word, NFKC keeps it and composes it with nothing: a run of them
    # made one space changes no word, and spares NFKC two thirds of its time.
    text = unicodedata.normalize("NFKC", _IDEOGRAPHS.sub(" ", text))
    return {word for word in _LATIN_WORD.findall(text.lower()) if len(word) >= MIN_TERM}


class _ExceptionTable(dict[int, str | None]):
    """`str.translate` table keeping the characters `fold_exceptions` reports, dropping the
    rest, filled on use."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept = char if fold_char(char) != basic_fold(char) else None
        self[code] = kept
        return kept


_EXCEPTIONS = _ExceptionTable()


def fold_exceptions(text: str) -> dict[str, str]:
    """Characters of `text` the browser would fold differently without help (traditional
    characters, ß…): {character: its folded form}."""
    return {char: fold_char(char) for char in sorted(set(text.translate(_EXCEPTIONS)))}


def query_fold_table(corpus_chars: Iterable[str]) -> dict[str, str]:
    """Traditional (and other specially folded) CJK characters whose folded form occurs in the
    corpus: the table the browser folds a typed query with. A character folding to something
    the corpus lacks can find nothing either way, so it is left out."""
    present = set(corpus_chars)
    table: dict[str, str] = {}
    for start, end in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)):
        for code in range(start, end):
            char = chr(code)
            folded = fold_char(char)
            if folded and folded != basic_fold(char) and all(c in present for c in folded):
                table[char] = folded
    return table


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over UTF-16 code units, as `search.js` computes it with `charCodeAt`, then
    MurmurHash3's finaliser: FNV's low bits depend only on the inputs' low bits, and the shard
    count is a power of two."""
    value = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value ^= data[i] | (data[i + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & 0xFFFFFFFF
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & 0xFFFFFFFF
    value ^= value >> 16
    return value % shards


# --- postings encoding --------------------------------------------------------------------

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def encode_varints(numbers: Iterable[int]) -> str:
    """Non-negative integers as a JSON-safe string: 5 bits per character, the 6th bit says
    another character follows (little end first)."""
    return "".join(_SHORT[n] if n < len(_SHORT) else _encode_varint(n) for n in numbers)


def _encode_varint(number: int) -> str:
    out: list[str] = []
    while number >= 32:
        out.append(_DIGITS[32 | (number & 31)])
        number >>= 5
    out.append(_DIGITS[number])
    return "".join(out)


_SHORT = tuple(_encode_varint(n) for n in range(1 << 15))  # most gaps: one table look-up


def decode_varints(text: str) -> list[int]:
    numbers: list[int] = []
    value = shift = 0
    for char in text:
        digit = _DIGITS.index(char)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            numbers.append(value)
            value = shift = 0
    return numbers


def encode_postings(postings: Mapping[int, int]) -> str:
    """{page: segment mask} → gaps between pages, each doubled plus one when a mask other than
    "segment 0 only" follows (most articles are one segment)."""
    numbers: list[int] = []
    previous = -1
    for doc, mask in sorted(postings.items()):
        gap = doc - previous - 1
        previous = doc
        if mask == 1:
            numbers.append(gap * 2)
        else:
            numbers.extend((gap * 2 + 1, mask))
    return encode_varints(numbers)


def decode_postings(text: str) -> dict[int, int]:
    numbers = decode_varints(text)
    postings: dict[int, int] = {}
    previous = -1
    i = 0
    while i < len(numbers):
        doc = previous + 1 + numbers[i] // 2
        mask = 1
        if numbers[i] % 2:
            i += 1
            mask = numbers[i]
        postings[doc] = mask
        previous = doc
        i += 1
    return postings


def encode_docs(docs: Iterable[int]) -> str:
    previous = -1
    gaps = []
    for doc in sorted(docs):
        gaps.append(doc - previous - 1)
        previous = doc
    return encode_varints(gaps)


def decode_docs(text: str) -> list[int]:
    docs: list[int] = []
    previous = -1
    for gap in decode_varints(text):
        previous += gap + 1
        docs.append(previous)
    return docs


# --- whole archives at once ---------------------------------------------------------------

# At 400 issues the segments hold ~30 million characters and ~25 million postings: folded,
# cut into bigrams, sorted and encoded one Python object at a time, they took most of the
# build's time. numpy does it here, a chunk of records at a time, on their code points.

_CHUNK_CHARS = 1 << 20  # characters of a chunk: its arrays take ~50 MB at the most
_JOIN_CHARS = 1 << 21  # encoded characters gathered at a time (`_join_pieces`)
_CODE_BITS = 21  # a code point fits in 21 bits: a bigram's code is first << 21 | second
_CODE_LOW = (1 << _CODE_BITS) - 1
_SEGMENT_BITS = 5  # a segment's number (below MAX_SEGMENTS) in a sort key
_RECORD_BITS = _CODE_BITS - _SEGMENT_BITS  # a record's number within its chunk in a sort key
_DIGIT_BYTES = np.frombuffer(_DIGITS.encode("ascii"), np.uint8)
_WIDTH_LIMITS = np.array([32**width for width in range(1, 7)], np.int32)  # of 1, 2… digits


class _CodeTable:
    """Per code point, its folded form (`fold_char`) and whether `fold_exceptions` reports
    it, as arrays numpy looks whole texts up in; filled on use."""

    def __init__(self) -> None:
        self.known = np.zeros(0x110000, bool)
        self.width = np.zeros(0x110000, np.int8)  # how many characters it folds to
        self.single = np.zeros(0x110000, np.uint32)  # the character it folds to, if one
        self.start = np.zeros(0x110000, np.int32)  # where they start in `points`
        self.exception = np.zeros(0x110000, bool)  # the browser folds it otherwise by itself
        self.points = np.zeros(0, np.uint32)  # the folded forms end to end

    def learn(self, chars: np.ndarray) -> None:
        new = np.unique(chars[~self.known[chars]]).tolist()
        if not new:
            return
        folds = [fold_char(chr(code)) for code in new]
        self.width[new] = [len(folded) for folded in folds]
        self.single[new] = [ord(folded) if len(folded) == 1 else 0 for folded in folds]
        self.start[new] = len(self.points) + np.cumsum(self.width[new]) - self.width[new]
        self.exception[new] = [f != basic_fold(chr(c)) for c, f in zip(new, folds, strict=True)]
        self.points = np.concatenate([self.points, _code_points("".join(folds))])
        self.known[new] = True


_TABLE = _CodeTable()


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def _code_strings(codes: np.ndarray) -> str:
    return codes.astype(np.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def _chunks(segments: Sequence[Sequence[str]], chunk_chars: int) -> Iterator[tuple[int, int]]:
    """[first, stop) ranges of records holding about `chunk_chars` characters each."""
    first = size = 0
    for doc, pieces in enumerate(segments):
        if doc > first and (size >= chunk_chars or doc - first == 1 << _RECORD_BITS):
            yield first, doc
            first, size = doc, 0
        size += sum(map(len, pieces))
    if first < len(segments):
        yield first, len(segments)


def fold_segments(segments: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """`fold_text` of each segment of each record, at twice its speed (`str.translate` looks
    each character up in a dict)."""
    folded: list[tuple[str, ...]] = []
    for first, stop in _chunks(segments, _CHUNK_CHARS):
        pieces = [piece for pieces in segments[first:stop] for piece in pieces]
        chars = _code_points("".join(pieces))
        _TABLE.learn(chars)
        widths = _TABLE.width[chars]
        ends = np.cumsum(widths)  # of each character's folded form in the folded text
        kept = widths.astype(bool)
        codes = _TABLE.single[chars[kept]]  # the folded text, if each folds to one or none
        many = np.flatnonzero(widths > 1)  # few: ™, ㎏, ½…
        if len(many):  # each one's folded form in place of the one character it took
            size = widths[many].astype(np.int64)
            places = ends[many] - size - (np.cumsum(size - 1) - (size - 1))  # in `codes`
            parts, done = [], 0
            for place, start, width in zip(
                places.tolist(), _TABLE.start[chars[many]].tolist(), size.tolist(), strict=True
            ):
                parts += [codes[done:place], _TABLE.points[start : start + width]]
                done = place + 1
            codes = np.concatenate([*parts, codes[done:]])
        text = _code_strings(codes)
        del chars, widths, kept, codes
        cuts = np.r_[0, ends][np.cumsum([0, *map(len, pieces)])].tolist()
        texts = [text[i:j] for i, j in itertools.pairwise(cuts)]
        at = 0
        for pieces in segments[first:stop]:
            folded.append(tuple(texts[at : at + len(pieces)]))
            at += len(pieces)
    return folded


def exception_chars(segments: Sequence[Sequence[str]]) -> Iterator[list[str]]:
    """Per record, per segment, the characters `fold_exceptions` reports, in order."""
    for first, stop in _chunks(segments, _CHUNK_CHARS):
        pieces = [piece for pieces in segments[first:stop] for piece in pieces]
        chars = _code_points("".join(pieces))
        _TABLE.learn(chars)
        hits = np.flatnonzero(_TABLE.exception[chars])
        owner = np.searchsorted(np.cumsum([len(piece) for piece in pieces]), hits, "right")
        pairs = np.unique(owner << _CODE_BITS | chars[hits])  # (segment, character), few
        bounds = np.searchsorted(pairs >> _CODE_BITS, np.arange(len(pieces) + 1)).tolist()
        found = _code_strings(pairs & _CODE_LOW)
        at = 0
        for pieces in segments[first:stop]:
            yield [found[bounds[n] : bounds[n + 1]] for n in range(at, at + len(pieces))]
            at += len(pieces)


def folded_chars(folded_segments: Sequence[Sequence[str]]) -> frozenset[str]:
    """The characters of the folded segments (the manifest's fold table keeps those)."""
    present = np.zeros(0x110000, bool)
    for first, stop in _chunks(folded_segments, _CHUNK_CHARS):
        present[_code_points("".join(itertools.chain(*folded_segments[first:stop])))] = True
    return frozenset(map(chr, np.flatnonzero(present).tolist()))


class BigramPostings(Mapping[str, Mapping[int, int]]):
    """bigram → {record: segment mask}, held as the strings the shards print
    (`encode_postings`), made at once by `bigram_postings`: ~2.5 bytes a posting. Reading a
    bigram decodes it."""

    __slots__ = ("codes", "count", "encoded")

    def __init__(self, encoded: dict[str, str], codes: np.ndarray, count: int) -> None:
        self.encoded = encoded  # bigram → its encoded postings, in the order of `codes`
        self.codes = codes  # each bigram as `_chunk_postings` codes it
        self.count = count  # postings of all bigrams together

    def __getitem__(self, gram: str) -> dict[int, int]:
        return decode_postings(self.encoded[gram])

    def __iter__(self) -> Iterator[str]:
        return iter(self.encoded)

    def __len__(self) -> int:
        return len(self.encoded)


def bigram_postings(
    folded_segments: Sequence[Sequence[str]], chunk_chars: int = _CHUNK_CHARS
) -> BigramPostings:
    """The body postings of every bigram of the folded segments, made with numpy.

    Records are taken a chunk at a time (`_chunk_postings`), and a chunk's postings encoded
    at once, each bigram's first gap counted from its last record in the chunks before: a
    bigram's postings are then its pieces from each chunk end to end (`_join_pieces`)."""
    known = np.zeros(0, np.int64)  # codes of the bigrams seen so far, ascending
    last = np.zeros(0, np.int32)  # the last record of each
    grams: list[np.ndarray] = []  # per chunk: its bigrams' codes, ascending
    lengths: list[np.ndarray] = []  # the length of each one's piece
    texts: list[np.ndarray] = []  # the pieces end to end
    count = 0
    for first, stop in _chunks(folded_segments, chunk_chars):
        codes, docs, masks = _chunk_postings(folded_segments, first, stop)
        if not len(codes):
            continue
        count += len(codes)
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])  # a bigram's first
        ends = np.r_[starts[1:], len(docs)] - 1  # and last posting
        codes = codes[starts]
        at = np.searchsorted(known, codes)
        seen = at < len(known)
        seen[seen] = known[at[seen]] == codes[seen]
        gaps = np.empty_like(docs)
        gaps[1:] = docs[1:] - docs[:-1] - 1
        gaps[starts] = docs[starts]  # counted from -1 for a new bigram…
        gaps[starts[seen]] -= last[at[seen]] + 1  # …from its last record for one seen before
        last[at[seen]] = docs[ends[seen]]
        known = np.insert(known, at[~seen], codes[~seen])
        last = np.insert(last, at[~seen], docs[ends[~seen]])
        text, offsets = _encode_many_postings(gaps, masks)
        grams.append(codes)
        lengths.append(np.diff(np.r_[offsets[starts], len(text)]).astype(np.int32))
        texts.append(text)
    if not count:
        return BigramPostings({}, known, 0)
    # each piece's bigram by its place in `known`, the lists freed as soon as concatenated
    index = np.concatenate([np.searchsorted(known, codes).astype(np.int32) for codes in grams])
    del grams
    sizes, text = np.concatenate(lengths), np.concatenate(texts)
    del lengths, texts
    joined = _join_pieces(index, sizes, text, len(known))
    return BigramPostings(dict(zip(_gram_strings(known), joined, strict=True)), known, count)


def _chunk_postings(
    folded_segments: Sequence[Sequence[str]], first: int, stop: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bigram code, record, segment mask) of records [first, stop), by code then record.

    Each pair of neighbouring characters in a segment becomes one int64 sort key: the bigram
    (two code points), the record within the chunk, the segment's number. Sorted and made
    unique, the keys of one (bigram, record) are neighbours, and their segment bits OR into
    the mask."""
    texts: list[str] = []
    labels: list[int] = []
    for doc in range(first, stop):
        for number, piece in enumerate(folded_segments[doc]):
            texts.append(piece)
            labels.append((doc - first) << _SEGMENT_BITS | number)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    chars = _code_points("".join(texts))
    keys = chars[:-1].astype(np.int64)
    keys <<= _CODE_BITS
    keys |= chars[1:]
    keys <<= _CODE_BITS
    keys |= np.repeat(np.array(labels, np.int64), lengths)[:-1]
    ends = np.cumsum(lengths)
    inside = np.ones(len(keys), bool)
    inside[ends[(ends > 0) & (ends <= len(keys))] - 1] = False  # pairs across two segments
    keys = keys[inside]
    del chars, inside
    if not len(keys):
        return keys, np.zeros(0, np.int32), np.zeros(0, np.int32)
    keys.sort()  # (np.unique hashes first: slower by far on these)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    bits = np.left_shift(1, (keys & ((1 << _SEGMENT_BITS) - 1)).astype(np.int32))
    keys >>= _SEGMENT_BITS  # (bigram, record) pairs
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    masks = np.bitwise_or.reduceat(bits, starts)
    keys = keys[starts]
    docs = (keys & ((1 << _RECORD_BITS) - 1)).astype(np.int32) + first
    return keys >> _RECORD_BITS, docs, masks


def _encode_many_postings(gaps: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`encode_postings` of many postings at once: their numbers (the gap doubled, plus one
    and the mask when it is not 1) as varint characters end to end, and where each starts."""
    other = masks != 1
    at = np.cumsum(other, dtype=np.int32)  # each posting's first number
    at -= other
    at += np.arange(len(gaps), dtype=np.int32)
    numbers = np.empty(len(gaps) + int(np.count_nonzero(other)), np.int32)
    numbers[at] = gaps * 2 + other
    numbers[at[other] + 1] = masks[other]
    text, starts = _encode_numbers(numbers)
    return text, starts[at]


def _encode_numbers(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`encode_varints` as ASCII bytes, and where each number's characters start."""
    longer = np.flatnonzero(numbers >= 32)  # few: gaps of 16 records and up, masks of 5 bits
    widths = np.ones(len(numbers), np.int32)
    widths[longer] += np.searchsorted(_WIDTH_LIMITS, numbers[longer], "right").astype(np.int32)
    starts = np.cumsum(widths, dtype=np.int64)
    starts -= widths
    text = np.empty(int(starts[-1] + widths[-1]) if len(numbers) else 0, np.uint8)
    digits = numbers & 31
    digits[longer] |= 32  # another digit follows
    text[starts] = _DIGIT_BYTES[digits]
    del digits
    for place in range(1, int(widths.max(initial=1))):
        more = (widths[longer] > place + 1).astype(np.int32)
        digits = numbers[longer] >> 5 * place & 31 | more << 5
        text[starts[longer] + place] = _DIGIT_BYTES[digits]
        longer = longer[more.astype(bool)]
    return text, starts


def _join_pieces(index: np.ndarray, lengths: np.ndarray, text: np.ndarray, grams: int) -> list[str]:
    """Each bigram's pieces (one per chunk it occurs in: its number in `index`, its length,
    all end to end in `text`) joined in chunk order, for bigrams 0, 1… `grams` - 1."""
    order = np.argsort(index, kind="stable")  # by bigram, a bigram's pieces in chunk order
    bounds = np.r_[0, np.cumsum(np.bincount(index, minlength=grams))].tolist()  # in `order`
    sizes = np.bincount(index, lengths, grams).astype(np.int64)  # (weights sum exactly)
    gram_ends = np.cumsum(sizes)  # where each bigram's postings end, all joined
    gram_starts = gram_ends - sizes
    starts = np.cumsum(lengths, dtype=np.int64)
    starts -= lengths  # of each piece in `text`
    joined: list[str] = []
    first = 0
    while first < grams:  # about _JOIN_CHARS characters at a time, one bigram at least
        stop = max(first + 1, int(np.searchsorted(gram_ends, gram_starts[first] + _JOIN_CHARS)))
        taken = order[bounds[first] : bounds[stop]]
        size = lengths[taken]
        moves = np.repeat(starts[taken] - (np.cumsum(size) - size), size)
        moves += np.arange(len(moves))
        chunk = text[moves].tobytes().decode("ascii")
        cuts = (np.r_[gram_starts[first:stop], gram_ends[stop - 1]] - gram_starts[first]).tolist()
        joined.extend(chunk[i:j] for i, j in itertools.pairwise(cuts))
        first = stop
    return joined


def _gram_strings(codes: np.ndarray) -> list[str]:
    """Bigram codes back to their two characters."""
    chars = np.empty((len(codes), 2), np.uint32)
    chars[:, 0] = codes >> _CODE_BITS
    chars[:, 1] = codes & _CODE_LOW
    text = _code_strings(chars)
    return [text[i : i + 2] for i in range(0, len(text), 2)]


def _shards_of_codes(codes: np.ndarray, shards: int) -> np.ndarray:
    """`shard_of` of many bigrams at once, from their codes: FNV-1a over their UTF-16 code
    units (a character outside the BMP is a surrogate pair), then MurmurHash3's finaliser."""
    low32 = np.uint64(0xFFFFFFFF)
    prime = np.uint64(0x01000193)
    value = np.full(len(codes), 0x811C9DC5, np.uint64)
    for char in (codes >> _CODE_BITS, codes & _CODE_LOW):
        astral = char >= 0x10000
        beyond = (char - 0x10000) & 0xFFFFF
        unit = np.where(astral, 0xD800 | beyond >> 10, char).astype(np.uint64)
        value = ((value ^ unit) * prime) & low32
        if astral.any():  # the low surrogate
            unit = (0xDC00 | beyond[astral] & 0x3FF).astype(np.uint64)
            value[astral] = ((value[astral] ^ unit) * prime) & low32
    for shift, factor in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        value ^= value >> np.uint64(shift)
        value = (value * np.uint64(factor)) & low32
    value ^= value >> np.uint64(16)
    return value % np.uint64(shards)


# --- what is indexed ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One page as the search sees it."""

    kind: str  # "article", "issue", "document", "company", "organisation", "policy"
    ident: str  # the article's, issue's, document's or entity's id
    url: str  # site URL relative to the root, e.g. "issues/2020-03/01/"
    title: str  # as the page prints it
    titles: tuple[str, ...]  # every title the page is known by (TOC and body title)
    text: str  # the page's text, original characters, one block per line, title first
    section: str  # 栏目, or what the page is (期刊, 政策文件, 企业, 政策)
    year: int | None
    month: int | None
    label: str  # what a result shows under its title: "2020年3月 · 芯企业"
    level: str | None = None  # a policy's level (national, provincial, city, district)
    body: int = 0  # where the text after the title lines starts: snippets prefer it


@dataclass(frozen=True, slots=True)
class SearchEntity:
    """A company or policy with all its names; a query for any name finds pages naming any."""

    kind: str  # "company", "organisation" or "policy"
    id: str
    names: tuple[str, ...]  # name, full names, aliases, 文号, short titles; first is the name
    url: str | None  # its own page, when the site has one
    level: str | None = None


_UNDATED = 1 << 30  # the year an entity page sorts under: after every dated page
_KIND_ORDER = {
    "issue": 0,
    "article": 1,
    "document": 2,
    "policy": 3,
    "company": 4,
    "organisation": 5,
}
_KIND_LABEL = {
    "issue": "期刊",
    "document": "政策文件",
    "company": "企业",
    "organisation": "机构",
    "policy": "政策",
}
_LEVEL_LABEL = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区县级"}


def _relative_url(path: str) -> str:
    return url_of(path).lstrip("/")


def block_text(block: Block) -> str:
    """A block as searchable lines: tables one row per line, cells tab-separated."""
    if block.kind == "list":
        return "\n".join(block.items)
    if block.kind == "table":
        return "\n".join("\t".join(row) for row in block.rows)
    return block.text


def _lines(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def article_record(issue: Issue, article: Article) -> SearchRecord:
    month = f"{issue.masthead.year}年{issue.masthead.month}月"
    # The TOC title names the article in lists and the nav; the page prints the body title, so
    # both are titles, except a misprinted heading (it repeats the title of the article before).
    misprint = article.match.how == "misprint"
    titles = tuple(dict.fromkeys((article.toc_title, *(() if misprint else (article.body_title,)))))
    heading = _lines(*dict.fromkeys((*titles, article.body_title)))
    return SearchRecord(
        kind="article",
        ident=article.id,
        url=_relative_url(article_path(article)),
        title=article.toc_title,
        titles=titles,
        text=_lines(
            heading,
            *article.letterhead,
            *(block_text(block) for block in article.blocks),
        ),
        body=len(heading) + 1,
        section=article.section,
        year=issue.masthead.year,
        month=issue.masthead.month,
        label=f"{month} · {article.section}",
    )


def issue_record(issue: Issue) -> SearchRecord:
    masthead = issue.masthead
    number = f"总第{masthead.number}期" if masthead.number is not None else ""
    title = f"{masthead.year}年{masthead.month}月" + (f" · {number}" if number else "")
    return SearchRecord(
        kind="issue",
        ident=issue.id,
        url=_relative_url(issue_path(issue)),
        title=title,
        titles=(title,),
        text=_lines(
            f"{masthead.title} {title}",
            *(
                _lines(section.name, section.english, *(a.toc_title for a in section.articles))
                for section in issue.sections
            ),
        ),
        section=_KIND_LABEL["issue"],
        year=masthead.year,
        month=masthead.month,
        label=f"{masthead.title} · 本期目录",
    )


def document_record(document: Document) -> SearchRecord:
    return SearchRecord(
        kind="document",
        ident=document.id,
        url=_relative_url(document_path(document)),
        title=document.title,
        titles=(document.title,),
        body=len(document.title) + 1,
        text=_lines(
            document.title,
            document.status,
            document.issuer,
            document.doc_number,
            *(block_text(block) for block in document.blocks),
        ),
        section=_KIND_LABEL["document"],
        year=document.year,
        month=None,
        label=" · ".join(
            str(part) for part in (_KIND_LABEL["document"], document.issuer, document.year) if part
        ),
    )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, Iterable):
        return tuple(item for item in value if isinstance(item, str) and item.strip())
    return ()


_ENTITY_DIRS = {
    "company": ("companies",),
    "organisation": ("organisations", "companies"),
    "policy": ("policies",),
}


def _entity_url(kind: str, ident: str, pages: Collection[str] | None) -> str | None:
    """The entity's own page: `companies/<id>/` (or organisations/, policies/) when the site
    has it. Without the list of pages (a Site from a test), the URL is trusted."""
    for folder in _ENTITY_DIRS.get(kind, ("companies",)):
        for path in (f"{folder}/{ident}.md", f"{folder}/{ident}/index.md"):
            if pages is None or path in pages:
                return _relative_url(path)
    return None


def site_entities(site: Site, pages: Collection[str] | None = None) -> tuple[SearchEntity, ...]:
    """Companies, organisations and policies of the site (when the entities stage has given it
    them), and the policy documents themselves (title and 文号). Read defensively: the site
    may have no registry at all."""
    entities: list[SearchEntity] = []
    for attribute in ("companies", "policies"):
        for item in getattr(site, attribute, ()) or ():
            kind = getattr(item, "kind", None) or (
                "policy" if attribute == "policies" else "company"
            )
            names = (
                *_strings(getattr(item, "name", None)),
                *_strings(getattr(item, "full_names", ())),
                *_strings(getattr(item, "aliases", ())),
                *_strings(getattr(item, "doc_number", None)),
            )
            if not names:
                continue
            ident = str(getattr(item, "id", names[0]))
            level = getattr(item, "level", None)
            entities.append(
                SearchEntity(
                    kind=kind if kind in _KIND_LABEL else "company",
                    id=ident,
                    names=tuple(dict.fromkeys(names)),
                    url=_entity_url(kind, ident, pages),
                    level=level if isinstance(level, str) else None,
                )
            )
    known = {fold_text(name) for entity in entities for name in entity.names}
    for document in site.documents:
        names = (*_strings(document.title), *_strings(document.doc_number))
        if names and not known.intersection(fold_text(name) for name in names):
            entities.append(
                SearchEntity(
                    kind="policy",
                    id=f"document:{document.id}",
                    names=tuple(dict.fromkeys(names)),
                    url=_relative_url(document_path(document)),
                )
            )
    return tuple(sorted(entities, key=lambda e: (e.kind, e.id)))


def entity_record(entity: SearchEntity) -> SearchRecord:
    assert entity.url is not None
    return SearchRecord(
        kind=entity.kind,
        ident=entity.id,
        url=entity.url,
        title=entity.names[0],
        titles=(entity.names[0],),
        text="\n".join(entity.names),
        section=_KIND_LABEL[entity.kind],
        year=None,
        month=None,
        label=_KIND_LABEL[entity.kind]
        + (f" · {_LEVEL_LABEL.get(entity.level, entity.level)}" if entity.level else ""),
        level=entity.level,
    )


def search_records(site: Site, entities: Sequence[SearchEntity] = ()) -> tuple[SearchRecord, ...]:
    """Every searchable page, oldest first: a page's position is its number in the index, and
    among equally good results the browser shows the higher number (the newer) first.

    The company and policy pages, which have no date, come after all the others (the
    manifest's `dated` says where they start): a new issue, which is the newest and often
    brings new entities, then changes no other page's number, and the texts of the pages
    before it (`search/text/`, named by number) keep their bytes."""
    records: list[tuple[tuple[int, int, int, int], SearchRecord]] = []
    for issue in site.issues:
        date = (issue.masthead.year, issue.masthead.month)
        records.append(((*date, 0, 0), issue_record(issue)))
        for position, article in enumerate(issue.articles):
            records.append(((*date, 1, position), article_record(issue, article)))
    for position, document in enumerate(site.documents):
        records.append(((document.year or 0, 0, 2, position), document_record(document)))
    for position, entity in enumerate(entities):
        if entity.url is not None and not entity.url.startswith("documents/"):
            rank = _KIND_ORDER[entity.kind]
            records.append(((_UNDATED, 0, rank, position), entity_record(entity)))
    records.sort(key=lambda pair: (pair[0], pair[1].url))
    unique: dict[str, SearchRecord] = {}
    for _, record in records:
        unique.setdefault(record.url, record)
    return tuple(unique.values())


# --- segments and the index ---------------------------------------------------------------


def segment_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of each segment of `text`: cut at a line break when one is near, each
    segment starting `SEGMENT_OVERLAP` characters before the previous one ends."""
    if len(text) <= SEGMENT_CHARS:
        return [(0, len(text))]
    count = min(MAX_SEGMENTS, math.ceil(len(text) / SEGMENT_CHARS))
    size = math.ceil(len(text) / count)
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            newline = text.rfind("\n", start + size // 2, end)
            if newline > 0:
                end = newline + 1
        if len(bounds) == MAX_SEGMENTS - 1:
            end = len(text)
        bounds.append((start, end))
        if end == len(text):
            break
        start = max(end - SEGMENT_OVERLAP, start + 1)
    return bounds


class Segments(Sequence[tuple[str, ...]]):
    """Per record, its text cut as `segment_bounds` says: each record's pieces are sliced when
    read, so the index does not hold the archive's text twice (~55 MB at 400 issues)."""

    __slots__ = ("_bounds", "_texts")

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._bounds = [segment_bounds(text) for text in texts]

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, ...] | list[tuple[str, ...]]:
        if isinstance(index, slice):
            return [self[doc] for doc in range(*index.indices(len(self)))]
        text = self._texts[index]
        return tuple(text[start:end] for start, end in self._bounds[index])


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The index before it is written out: everything `render_search_index` encodes."""

    records: tuple[SearchRecord, ...]
    segments: Segments  # per record, the original text of each segment
    body: BigramPostings  # bigram → {record: segment mask}
    titles: dict[str, set[int]]  # bigram of a title → records
    words: dict[str, dict[int, int]]  # whole Latin word → {record: segment mask}
    entities: tuple[SearchEntity, ...]
    mentions: tuple[dict[int, int], ...]  # per entity: {record: segment mask} naming it
    pages: tuple[int | None, ...]  # per entity: the record of its own page
    chars: frozenset[str]  # every character of the folded text


def build_search_index(site: Site, pages: Collection[str] | None = None) -> SearchIndex:
    """Records, their segments and every posting; `pages` (docs/ paths) says which entity
    pages exist."""
    entities = site_entities(site, pages)
    records = search_records(site, entities)
    titles: dict[str, set[int]] = defaultdict(set)
    words: dict[str, dict[int, int]] = defaultdict(dict)
    segments = Segments([record.text for record in records])
    for doc, record in enumerate(records):
        for number, piece in enumerate(segments[doc]):
            bit = 1 << number
            for word in latin_words(piece):
                postings = words[word]
                postings[doc] = postings.get(doc, 0) | bit
        for title in record.titles:
            for gram in bigrams(fold_text(title)):
                titles[gram].add(doc)
    folded_segments = fold_segments(segments)
    body = bigram_postings(folded_segments)
    mentions = find_mentions(site, entities, records, folded_segments)
    by_url = {record.url: doc for doc, record in enumerate(records)}
    return SearchIndex(
        records=records,
        segments=segments,
        body=body,
        titles=dict(titles),
        words=dict(words),
        entities=entities,
        mentions=mentions,
        pages=tuple(by_url.get(e.url) if e.url else None for e in entities),
        chars=folded_chars(folded_segments),
    )


def entity_keys(entity: SearchEntity) -> tuple[str, ...]:
    """The folded names of an entity that are long enough to be searched for."""
    return tuple(
        dict.fromkeys(
            key for key in (fold_text(name) for name in entity.names) if len(key) >= MIN_TERM
        )
    )


def find_mentions(
    site: Site,
    entities: Sequence[SearchEntity],
    records: Sequence[SearchRecord],
    folded_segments: Sequence[Sequence[str]],
) -> tuple[dict[int, int], ...]:
    """Per entity, {record: segment mask} of the pages naming it under any of its names.

    The entities stage knows which names are really the entity (`大基金` in 扩大基金 is not):
    its mentions say which pages; the names say which segments. Without them (no entities
    stage yet, or a policy document), every occurrence of a name counts.
    """
    keys = [entity_keys(entity) for entity in entities]
    if not any(keys):
        return ()
    stage = getattr(site, "mentions", None)
    if stage is None:
        return tuple(scan_names(keys, folded_segments))
    # The stage says which pages name an entity: only their segments are searched for its
    # names (an automaton over every segment took seconds at 400 issues). Every segment is,
    # for the names of policy documents only.
    policies = [
        names if entity.id.startswith("document:") else ()
        for entity, names in zip(entities, keys, strict=True)
    ]
    found = scan_names(policies, folded_segments)
    doc_of = {(record.kind, record.ident): doc for doc, record in enumerate(records)}
    named: dict[str, set[int]] = defaultdict(set)
    for mention in stage:
        for kind, ident in (
            ("article", getattr(mention, "article", None)),
            ("document", getattr(mention, "document", None)),
        ):
            if ident is not None and (kind, ident) in doc_of:
                named[str(getattr(mention, "entity", ""))].add(doc_of[kind, ident])
    mentions: list[dict[int, int]] = []
    by_url: dict[str | None, set[int]] = defaultdict(set)
    for doc, record in enumerate(records):
        by_url[record.url].add(doc)
    for index, entity in enumerate(entities):
        if entity.id.startswith("document:"):  # not an entity of the stage: names decide
            mentions.append(found[index])
            continue
        docs = sorted(named[entity.id] | by_url.get(entity.url, set()))
        mentions.append({doc: naming_mask(keys[index], folded_segments[doc]) for doc in docs})
    return tuple(mentions)


def scan_names(
    keys: Sequence[Sequence[str]], folded_segments: Sequence[Sequence[str]]
) -> list[dict[int, int]]:
    """Per entity (its keys), {record: segment mask} of every segment holding one of them."""
    found: list[dict[int, int]] = [{} for _ in keys]
    owners: dict[str, list[int]] = defaultdict(list)
    for index, names in enumerate(keys):
        for key in names:
            owners[key].append(index)
    if not owners:
        return found
    automaton = ahocorasick.Automaton()
    for key in owners:
        automaton.add_word(key, key)
    automaton.make_automaton()
    for doc, pieces in enumerate(folded_segments):
        for number, folded in enumerate(pieces):
            for key in {key for _, key in automaton.iter(folded)}:  # a name once per segment
                for index in owners[key]:
                    found[index][doc] = found[index].get(doc, 0) | (1 << number)
    return found


def naming_mask(keys: Sequence[str], pieces: Sequence[str]) -> int:
    """The mask of the segments holding one of `keys`, or segment 0 when none does (the
    stage found a name the keys miss)."""
    if len(pieces) == 1:  # most pages: segment 0 either way
        return 1
    mask = 0
    for number, piece in enumerate(pieces):
        if any(key in piece for key in keys):
            mask |= 1 << number
    return mask or 1


# --- output -------------------------------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def shard_count(index: SearchIndex) -> int:
    """A power of two that makes shards about `SHARD_BYTES`: grows with the archive, so a
    query's few shards stay the same size at 10 or 400 issues."""
    size = sum(len(gram) * 3 for gram in index.body) + index.body.count * 2
    size += sum(len(postings) * 2 for postings in index.words.values())
    return 1 << max(0, math.ceil(math.log2(max(1, size / SHARD_BYTES))))


def render_shards(index: SearchIndex, shards: int) -> dict[str, str]:
    content: list[dict[str, dict[str, object]]] = [
        {"b": {}, "w": {}, "e": {}} for _ in range(shards)
    ]
    body = index.body
    for (gram, postings), shard in zip(
        body.encoded.items(), _shards_of_codes(body.codes, shards).tolist(), strict=True
    ):
        entry: list[str] = [postings]
        if gram in index.titles:
            entry.append(encode_docs(index.titles[gram]))
        content[shard]["b"][gram] = entry
    for word, postings in index.words.items():
        content[shard_of(word, shards)]["w"][word] = encode_postings(postings)
    for number, entity in enumerate(index.entities):
        record = {
            "k": entity.kind,
            "i": number,
            "n": list(entity.names),
            "p": index.pages[number],
            "m": encode_postings(index.mentions[number]),
        }
        for key in entity_keys(entity):
            content[shard_of(key, shards)]["e"].setdefault(key, []).append(record)
    return {f"search/shards/{n:03x}.json": _json(shard) for n, shard in enumerate(content)}


def iter_texts(index: SearchIndex) -> Iterator[tuple[str, str]]:
    """search/text/D-S.json: segment S of page D, what a result shows and checks."""
    records = zip(index.records, index.segments, exception_chars(index.segments), strict=True)
    for doc, (record, pieces, exceptions) in enumerate(records):
        others = "\n".join(t for t in record.titles if t != record.title)
        heading = set(fold_exceptions(record.title + others))
        for number, piece in enumerate(pieces):
            # fold_exceptions(record.title + others + piece), the piece's part made with numpy
            chars = sorted(heading.union(exceptions[number]))
            segment: dict[str, object] = {
                "t": record.title,
                "u": record.url,
                "l": record.label,
                "x": piece,
                "f": {char: fold_char(char) for char in chars},
            }
            if others:
                segment["a"] = others  # the other titles, for the title class
            if number == 0 and record.body:
                segment["b"] = record.body
            yield f"search/text/{doc}-{number}.json", _json(segment)


def render_meta(index: SearchIndex) -> str:
    """Facets of every page, for the search page only (the search box never loads it)."""
    sections = sorted({record.section for record in index.records})
    companies = [e for e in index.entities if e.kind == "company"]
    levels = sorted({e.level for e in index.entities if e.level})
    page_companies: dict[int, list[int]] = defaultdict(list)
    page_levels: dict[int, set[int]] = defaultdict(set)
    company_number = {e.id: n for n, e in enumerate(companies)}
    for number, entity in enumerate(index.entities):
        for doc in index.mentions[number]:
            if entity.kind == "company":
                page_companies[doc].append(company_number[entity.id])
            elif entity.level:
                page_levels[doc].add(levels.index(entity.level))
    section_number = {name: n for n, name in enumerate(sections)}
    docs = [
        [
            _KIND_ORDER[record.kind],
            section_number[record.section],
            record.year or 0,
            record.month or 0,
            sorted(page_companies[doc]),
            sorted(page_levels[doc] | ({levels.index(record.level)} if record.level else set())),
        ]
        for doc, record in enumerate(index.records)
    ]
    return _json(
        {
            "kinds": sorted(_KIND_ORDER, key=_KIND_ORDER.__getitem__),
            "sections": sections,
            "companies": [e.names[0] for e in companies],
            "levels": levels,
            "docs": docs,
        }
    )


def search_manifest(index: SearchIndex, shards: int) -> dict[str, object]:
    """What the browser needs before its first shard: the shard count and the fold table."""
    table = query_fold_table(index.chars)
    single = {k: v for k, v in table.items() if len(v) == 1}
    return {
        "v": 1,
        "shards": shards,
        "docs": len(index.records),
        # the pages from this number on are the entities' (no date: last in a sort by date)
        "dated": next(
            (doc for doc, r in enumerate(index.records) if r.kind in _ENTITY_DIRS),
            len(index.records),
        ),
        "fold": {
            "from": "".join(single),
            "to": "".join(single.values()),
            "more": {k: v for k, v in table.items() if len(v) != 1},
        },
        "min": MIN_TERM,
    }


def render_material_index(manifest: dict[str, object]) -> str:
    """Material's search_index.json, which its UI loads with every page and hands to the
    worker (ours) before the first query: no documents, and our manifest inside, so a first
    query waits for its shards only. The separator serves Material's highlighting on the page
    a result opens."""
    config = {"lang": ["zh"], "separator": r"[\s\-]+", "pipeline": [], "tiantang": manifest}
    return _json({"config": config, "docs": []})


_SEARCH_PAGE = """\
---
title: 搜索
search:
  exclude: true
hide:
  - navigation
  - toc
---

# 搜索

<div id="tt-search" class="tt-search-page">
<form class="tt-search-form" role="search" onsubmit="return false">
<input type="search" name="q" aria-label="搜索" autocomplete="off"
  placeholder="公司、政策、文号、任意两个字以上的词">
<label>排序 <select name="sort">
<option value="rank">相关度</option>
<option value="new">最新在前</option>
<option value="old">最早在前</option>
</select></label>
</form>
<div class="tt-search-body">
<aside class="tt-facets" aria-label="筛选"></aside>
<section class="tt-results" aria-live="polite">
<p class="tt-results-meta">输入两个字以上开始搜索。</p>
</section>
</div>
<noscript>搜索需要 JavaScript。</noscript>
</div>
"""


def render_search_index(site: Site, pages: Collection[str] | None = None) -> dict[str, str]:
    """Every file of the search under docs/: index, texts, facets, the search page. `pages`
    are the other docs/ paths, to link only the entity pages that exist."""
    return dict(sorted(search_files(site, pages)))


def search_files(site: Site, pages: Collection[str] | None = None) -> Iterator[tuple[str, str]]:
    """The files of `render_search_index` one at a time, so a build can write each as it is
    made (at 400 issues they are 130 MB)."""
    index = build_search_index(site, pages)
    shards = shard_count(index)
    manifest = search_manifest(index, shards)
    yield "search/manifest.json", _json(manifest)
    yield "search/meta.json", render_meta(index)
    yield "search/search_index.json", render_material_index(manifest)
    yield "search/index.md", _SEARCH_PAGE
    yield from render_shards(index, shards).items()
    yield from iter_texts(index)


def iter_terms(text: str) -> Iterator[str]:
    """The terms a text is indexed under, for tests and tools: bigrams, then Latin words."""
    yield from sorted(bigrams(fold_text(text)))
    yield from sorted(latin_words(text))
