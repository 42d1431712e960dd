"""Edge out: the generated pages into docs/, then `mkdocs build` swapped into site/ atomically.

Only changed files are rewritten (unchanged pages keep their bytes and mtimes), stale pages are
removed, and the site is built into a sibling temporary folder that replaces `site/` only when
the build succeeded: a failed build leaves the published site as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_docs(docs_dir: Path, pages: Mapping[str, str]) -> tuple[int, int]:
    """Write `pages` under docs_dir; returns (files written, files removed)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for relative, text in sorted(pages.items()):
        target = docs_dir / relative
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written += 1
    removed = 0
    wanted = {docs_dir / relative for relative in pages}
    for existing in sorted(docs_dir.rglob("*")):
        if existing.is_file() and existing not in wanted:
            existing.unlink()
            removed += 1
    for folder in sorted(docs_dir.rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return written, removed


def build_site_dir(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """Run MkDocs into a temporary folder beside `site_dir`, then swap it into place."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        config = load_config(
            config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(staging)
        )
        with _quiet_mkdocs():
            build(config)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = site_dir.with_name(f".{site_dir.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, previous)
    os.replace(staging, site_dir)
    shutil.rmtree(previous, ignore_errors=True)


@contextlib.contextmanager
def _quiet_mkdocs():
    """MkDocs reports every page left out of the nav at INFO: by design here, so not shown."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
