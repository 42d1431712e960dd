"""Results of pure stages kept in `.cache/`, keyed by what they were computed from.

A parsed issue depends only on its file's bytes, its sidecar and the generator's code, so it is
stored under sha256(kind, RawFile.digest, overrides, generator version) and read back instead
of parsing again: adding one issue to a 400-issue archive parses one file. The same store
serves later per-file stages (entity mentions, search tokens) under their own `kind`.

The generator version is `__version__` plus a fingerprint of the package's source files: a
parser fixed without a version bump must not serve results of the old parser. A cache file
that cannot be read back (truncated by a crash, written by another Python) is a miss, never an
error; entries are written to a temporary name and renamed, so readers never see half a file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import generator

CACHE_DIR = ".cache"
# Bumped when the layout of the cache itself changes (not the generator's results).
_LAYOUT = "1"


@cache
def generator_version() -> str:
    """`__version__` plus a hash of every source file of the package (templates included)."""
    package = Path(generator.__file__).parent
    digest = hashlib.sha256()
    for file in sorted(package.rglob("*")):
        if file.suffix in (".py", ".j2") and "__pycache__" not in file.parts:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(file.read_bytes())
    return f"{generator.__version__}+{digest.hexdigest()[:16]}"


def cache_key(kind: str, *parts: object, version: str | None = None) -> str:
    """The key of a result of stage `kind` computed from `parts` (digests, frozen values).

    `parts` go in through `repr`: frozen dataclasses and tuples of plain values repr the same
    in every run, which is what makes them usable here.
    """
    digest = hashlib.sha256()
    for part in (_LAYOUT, version or generator_version(), kind, *parts):
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class Cache:
    """A folder of pickled results; `None` as folder keeps nothing (every lookup misses)."""

    folder: Path | None
    hits: Counter[str] = field(default_factory=Counter)  # per kind, this run
    misses: Counter[str] = field(default_factory=Counter)  # per kind: what was recomputed
    _used: dict[str, set[str]] = field(default_factory=dict, repr=False)  # kind → keys seen

    def load(self, kind: str, key: str) -> object | None:
        """The stored result, or None when there is none or it cannot be read."""
        if self.folder is not None:
            try:
                with self._file(kind, key).open("rb") as stream:
                    value = pickle.load(stream)
            except Exception:  # absent, truncated, corrupt, from another Python: recompute
                pass
            else:
                self.hits[kind] += 1
                self._used.setdefault(kind, set()).add(key)
                return value
        self.misses[kind] += 1
        return None

    def store(self, kind: str, key: str, value: object) -> None:
        """Keep `value`; a cache that cannot be written only costs the next build time."""
        if self.folder is not None:
            self.store_pickled(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def store_pickled(self, kind: str, key: str, data: bytes) -> None:
        """Keep a value already pickled (a worker process pickles its result to send it)."""
        if self.folder is None:
            return
        self._used.setdefault(kind, set()).add(key)
        target = self._file(kind, key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except OSError:
            return

    def prune(self, kind: str) -> int:
        """Delete the entries of `kind` this run neither read nor wrote; returns how many.

        Call it after a stage has looked up every input: what is left belongs to files that
        were changed or removed, or to an older generator, and would only pile up.
        """
        if self.folder is None or not (self.folder / kind).is_dir():
            return 0
        used = self._used.get(kind, set())
        removed = 0
        for file in (self.folder / kind).glob("*/*.pickle"):
            if file.stem not in used:
                file.unlink(missing_ok=True)
                removed += 1
        return removed

    def _file(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / f"{key}.pickle"


def open_cache(root: Path, enabled: bool = True) -> Cache:
    """The project's cache in `root/.cache/`, or one that keeps nothing."""
    return Cache(root / CACHE_DIR if enabled else None)
