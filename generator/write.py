"""Edge out: the generated pages into docs/, then `mkdocs build` swapped into site/ atomically.

Only changed files are rewritten (unchanged pages keep their bytes and mtimes), stale pages are
removed, and the site is built into a sibling temporary folder that replaces `site/` only when
the build succeeded: a failed build leaves the published site as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def write_docs(docs_dir: Path, pages: Mapping[str, str]) -> tuple[int, int]:
    """Write `pages` under docs_dir; returns (files written, files removed).

    Raises ValueError, before writing anything, for a path that would land outside docs_dir.
    """
    for relative in pages:
        check_page_path(relative)
    writer = DocsWriter(docs_dir)
    written = sum(writer.put(relative, text) for relative, text in sorted(pages.items()))
    return written, writer.remove_others(set(pages))


class DocsWriter:
    """docs/ written one page at a time, so no build holds every page in memory.

    `put` rewrites a file only when its bytes change (an unchanged page keeps its mtime, and
    MkDocs' --dirty and the deploy can skip it); `remove_others` then deletes what the build no
    longer makes. Several processes may `put` into the same folder, each its own pages.
    """

    def __init__(self, docs_dir: Path) -> None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        self.docs_dir = docs_dir
        self.inside = docs_dir.resolve()

    def put(self, relative: str, text: str) -> bool:
        """Write one page unless it is there with these bytes; True when written.

        Raises ValueError for a path that would land outside docs_dir.
        """
        check_page_path(relative)
        target = self.docs_dir / relative
        if not target.resolve().is_relative_to(self.inside):  # a symlink inside docs/ points out
            raise ValueError(f"page path {relative!r} leads outside {self.docs_dir}")
        data = text.encode("utf-8")
        with contextlib.suppress(OSError):
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        return True

    def remove_others(self, wanted: Collection[str]) -> int:
        """Delete every file under docs/ but `wanted` (and folders left empty); the count."""
        keep = {self.docs_dir / relative for relative in wanted}
        removed = 0
        for existing in sorted(self.docs_dir.rglob("*")):
            if existing.is_file() and existing not in keep:
                existing.unlink()
                removed += 1
        for folder in sorted(self.docs_dir.rglob("*"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed


def check_page_path(relative: str) -> None:
    """Raise ValueError unless `relative` is a plain relative path of visible names.

    Page paths are made from slugs and issue ids, so a bad one is our bug; refusing it keeps
    a title such as `../../.git/config` from ever writing outside docs/.
    """
    parts = relative.split("/")
    if (
        not relative
        or any(not part or part.startswith(".") for part in parts)
        or any(char in relative for char in "\\\0:")
    ):
        raise ValueError(f"unsafe page path {relative!r}: pages stay inside docs/")


def build_site_dir(
    config_file: Path, docs_dir: Path, site_dir: Path, state: Path | None = None
) -> bool:
    """Run MkDocs into a temporary folder beside `site_dir`, then swap it into place.

    With `state` (a small JSON file kept between builds), a rebuild renders only the pages whose
    Markdown changed since the last build (MkDocs' `--dirty`) into a hard-linked copy of the
    previous site; see `_reusable` for when that gives the same bytes as a full build. Returns
    whether the build was incremental.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        config = load_config(
            config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(staging)
        )
        record = {**_site_record(config, docs_dir), "site": str(site_dir.resolve())}
        before = _reusable(config, state, record, site_dir) if state is not None else None
        incremental = before is not None
        if before is not None:
            _link_tree(site_dir, staging)
            _unlink_removed(config, sorted(set(before) - set(record["docs"])))
            _unlink_rewritten(config)
        shares = mkdocs_shares(config)
        with _quiet_mkdocs(), _dirty_warning_dropped():
            if shares > 1:
                _build_sharded(config_file, docs_dir, staging, shares)
            else:
                build(config, dirty=incremental)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = site_dir.with_name(f".{site_dir.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, previous)
    os.replace(staging, site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    if state is not None:
        _write_state(state, record)
    return incremental


# From this many pages on, MkDocs runs in one process per core, each rendering a share of the
# pages (mkdocs_plugin.SHARD): rendering Material's templates is most of what MkDocs does with
# finished-HTML pages, page by page, and one process uses one core.
SHARD_MIN_PAGES = 2000


def mkdocs_shares(config: MkDocsConfig) -> int:
    """How many MkDocs processes build the site (1: this one, as usual)."""
    import multiprocessing

    cores = os.cpu_count() or 1
    if cores < 2 or "tiantang" not in config.plugins:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    pages = sum(1 for _ in Path(config.docs_dir).rglob("*.md"))
    return cores if pages >= SHARD_MIN_PAGES else 1


def _build_sharded(config_file: Path, docs_dir: Path, staging: Path, shares: int) -> None:
    """MkDocs in `shares` forked processes, each its share of the pages, into `staging`.

    Each run is `--dirty` so that it renders only what it finds modified (the plugin makes
    the other shares' pages unmodified); the files a rebuild must rewrite were unlinked from
    `staging` before (`_unlink_rewritten`), so "modified" means what a single run would write.
    """
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    gc.freeze()  # a collection in a child would copy this process's heap page by page
    try:
        with ProcessPoolExecutor(shares, mp_context=context) as pool:
            runs = [
                pool.submit(_build_share, config_file, docs_dir, staging, share, shares)
                for share in range(shares)
            ]
            for run in runs:
                run.result()
    finally:
        gc.unfreeze()


def _build_share(config_file: Path, docs_dir: Path, staging: Path, share: int, shares: int) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator import mkdocs_plugin

    mkdocs_plugin.SHARD = (share, shares)
    config = load_config(
        config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(staging)
    )
    build(config, dirty=True)


def _site_record(config: MkDocsConfig, docs_dir: Path) -> dict[str, object]:
    """What the HTML of an unchanged page depends on besides its Markdown, and the docs/ list.

    A page's HTML is its Markdown through the config, the theme (ours and Material's) and the
    Markdown libraries; the nav is fixed, so no other page's content enters it.
    """
    from importlib.metadata import PackageNotFoundError, version

    from generator import mkdocs_plugin

    digest = hashlib.sha256()
    digest.update(Path(config.config_file_path).read_bytes())
    digest.update(Path(mkdocs_plugin.__file__).read_bytes())
    for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        try:
            digest.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    custom_dir = config.theme.custom_dir
    if custom_dir:
        theme = Path(custom_dir)
        for file in sorted(theme.rglob("*")):
            if file.is_file():
                digest.update(file.relative_to(theme).as_posix().encode() + b"\0")
                digest.update(file.read_bytes())
    docs = sorted(
        file.relative_to(docs_dir).as_posix() for file in docs_dir.rglob("*") if file.is_file()
    )
    return {"fingerprint": digest.hexdigest(), "docs": docs}


# Plugins that work page by page, so --dirty hands them all they need: ours (mkdocs_plugin.py).
PER_PAGE_PLUGINS = frozenset({"tiantang"})


def _reusable(
    config: MkDocsConfig, state: Path, record: dict[str, object], site_dir: Path
) -> list[str] | None:
    """The docs/ files of the previous build when an incremental (`--dirty`) build of it gives
    the bytes a full build would; None when it must be a full build.

    It does when the previous site is there, nothing the pages depend on besides their own
    Markdown changed (same fingerprint) and no plugin runs but per-page ones (plugins such as
    search gather every page, and --dirty hands them only the changed ones). Removed files are
    handled by the caller (`_unlink_removed`): --dirty alone would leave their HTML behind.
    """
    if not site_dir.is_dir() or set(config.plugins) - PER_PAGE_PLUGINS:
        return None
    try:
        previous = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(previous, dict) or any(
        previous.get(key) != record[key] for key in ("fingerprint", "site")
    ):
        return None
    docs = previous.get("docs")
    return docs if isinstance(docs, list) else None


def _link_tree(source: Path, target: Path) -> None:
    """`source`'s files hard-linked under `target` (same bytes and mtimes, no copying)."""
    for folder, _, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder, name), target / relative / name)


def _unlink_removed(config: MkDocsConfig, removed: list[str]) -> None:
    """Delete, in the staging copy, what MkDocs made of docs/ files that are gone now."""
    from mkdocs.structure.files import File

    for path in removed:
        output = Path(
            File(path, config.docs_dir, config.site_dir, config.use_directory_urls).abs_dest_path
        )
        with contextlib.suppress(FileNotFoundError):
            output.unlink()
        with contextlib.suppress(OSError):  # an article's folder a/b/ for a/b/index.html
            output.parent.rmdir()


def _unlink_rewritten(config: MkDocsConfig) -> None:
    """Unlink, in the staging copy, every file the --dirty build will write.

    MkDocs writes in place; through a hard link that would change the published site before
    the swap (and leave it half-changed if the build failed). Unlinked first, each rewritten
    file gets a new inode and the published one keeps its bytes. MkDocs writes the pages and
    files it finds modified (`File.is_modified`, the test --dirty itself uses) and the theme's
    templates (404.html, sitemap.xml and its .gz) every time.
    """
    from mkdocs.structure.files import get_files

    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    site = Path(config.site_dir)
    targets = [Path(file.abs_dest_path) for file in files if file.is_modified()]
    for template in (*config.theme.static_templates, *config.extra_templates):
        targets += [site / template, site / f"{template}.gz"]
    for target in targets:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def _write_state(state: Path, record: dict[str, object]) -> None:
    state.parent.mkdir(parents=True, exist_ok=True)
    temporary = state.with_name(f".{state.name}.tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, state)


class _DirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextlib.contextmanager
def _dirty_warning_dropped() -> Iterator[None]:
    """MkDocs warns that --dirty may leave navigation stale: not here (`_reusable`)."""
    logger = logging.getLogger("mkdocs.commands.build")
    dropped = _DirtyWarning()
    logger.addFilter(dropped)
    try:
        yield
    finally:
        logger.removeFilter(dropped)


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


def write_candidates(folder: Path, text: str) -> bool:
    """registry/candidates.yml, the review queue of discovered names; rewritten only if changed."""
    target = folder / "candidates.yml"
    data = text.encode("utf-8")
    if target.is_file() and target.read_bytes() == data:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return True
