"""The parse cache (.cache/), parallel parsing, and the incremental docs/ and site/ writes."""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import generator
import generator.build as build_module
from generator.build import parse_inputs
from generator.cache import Cache, cache_key, generator_version, open_cache
from generator.model import Overrides
from generator.read import read_inputs
from generator.site import Site
from generator.write import write_docs

from .conftest import ROOT

SAMPLES = ("2020-03", "2023-08", "2025-07")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the three sample issues and no documents (parsing them is what counts)."""
    (tmp_path / "issues").mkdir()
    for issue_id in SAMPLES:
        shutil.copy(ROOT / "issues" / f"{issue_id}.txt", tmp_path / "issues" / f"{issue_id}.txt")
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_version() -> Iterator[None]:
    generator_version.cache_clear()
    yield
    generator_version.cache_clear()


def _parse(root: Path) -> tuple[list, Cache]:
    cache = open_cache(root)
    issues, _, problems, _ = parse_inputs(read_inputs(root), cache=cache)
    assert not [p for p in problems if p.severity == "error"]
    return issues, cache


def test_an_unchanged_file_is_not_parsed_again(project: Path) -> None:
    first, cache = _parse(project)
    assert cache.misses["issue"] == 3 and cache.hits["issue"] == 0
    again, cache = _parse(project)
    assert cache.misses["issue"] == 0 and cache.hits["issue"] == 3
    assert again == first  # what comes back from the cache is what the parser gave


def test_a_changed_file_is_parsed_again_and_only_it(project: Path) -> None:
    _parse(project)
    changed = project / "issues" / "2023-08.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("士兰微：上半年", "士兰微：今年上半年", 1), encoding="utf-8")
    issues, cache = _parse(project)
    assert cache.misses["issue"] == 1 and cache.hits["issue"] == 2
    titles = [a.toc_title for i in issues if i.id == "2023-08" for a in i.articles]
    assert "士兰微：今年上半年实现营收44.76亿元，IPM模块仍将快速创收" in titles


def test_a_new_sidecar_is_a_change(project: Path) -> None:
    # the overrides are part of the key: a sidecar changes the issue without touching its text
    _parse(project)
    (project / "issues" / "2025-07.yml").write_text("number: 388\n", encoding="utf-8")
    issues, cache = _parse(project)
    assert cache.misses["issue"] == 1
    assert next(i for i in issues if i.id == "2025-07").masthead.number == 388


def test_a_generator_version_bump_invalidates_everything(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parse(project)
    monkeypatch.setattr(generator, "__version__", "99.0.0")
    generator_version.cache_clear()
    _, cache = _parse(project)
    assert cache.misses["issue"] == 3 and cache.hits["issue"] == 0


def test_the_version_includes_the_source_code(tmp_path: Path) -> None:
    # a parser fixed without a version bump must not be served the old parser's results
    assert generator_version().startswith(f"{generator.__version__}+")
    assert cache_key("issue", "a.txt", "d", None, version="1+x") != cache_key(
        "issue", "a.txt", "d", None, version="1+y"
    )
    assert cache_key("issue", "a.txt", "d", Overrides()) != cache_key(
        "issue", "a.txt", "d", Overrides(number=3)
    )


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not a pickle at all", id="garbage"),
        pytest.param(None, id="truncated"),
    ],
)
def test_a_corrupt_cache_file_is_a_miss_not_an_error(project: Path, damage: bytes | None) -> None:
    first, _ = _parse(project)
    stored = sorted((project / ".cache" / "issue").rglob("*.pickle"))
    assert len(stored) == 3
    for file in stored:
        data = file.read_bytes()
        file.write_bytes(data[: len(data) // 2] if damage is None else damage)
    again, cache = _parse(project)
    assert cache.misses["issue"] == 3
    assert again == first
    _, cache = _parse(project)  # and the damaged entries were replaced
    assert cache.hits["issue"] == 3


def test_an_unwritable_cache_costs_only_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    cache = Cache(blocked)
    cache.store("issue", "ab" * 32, ("value", ()))
    assert cache.load("issue", "ab" * 32) is None


def test_entries_of_removed_or_changed_files_are_pruned(project: Path) -> None:
    _parse(project)
    (project / "issues" / "2020-03.txt").unlink()
    _parse(project)
    assert len(list((project / ".cache" / "issue").rglob("*.pickle"))) == 2


def test_no_cache_folder_means_no_cache(project: Path) -> None:
    cache = Cache(None)
    parse_inputs(read_inputs(project), cache=cache)
    parse_inputs(read_inputs(project), cache=cache)
    assert cache.hits["issue"] == 0 and cache.misses["issue"] == 6
    assert not (project / ".cache").exists()


# --- parsing on several cores -----------------------------------------------------------------


def test_parallel_parsing_gives_the_serial_result(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = read_inputs(project)
    serial, serial_documents, serial_problems, serial_scans = parse_inputs(inputs)
    monkeypatch.setattr(build_module, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel, _, parallel_problems, parallel_scans = parse_inputs(inputs)
    assert parallel == serial
    assert parallel_problems == serial_problems
    assert parallel_scans == serial_scans
    assert sorted(serial_scans) == sorted(f.path for f in (*serial, *serial_documents))


def test_entities_recognised_on_several_cores_are_the_serial_result(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = build_module.plan(project, cache=Cache(None)).site
    monkeypatch.setattr(build_module, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pools = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(build_module, "ProcessPoolExecutor", CountedPool)
    parallel = build_module.plan(project, cache=Cache(None)).site
    assert parallel == serial
    assert parallel.mentions and parallel.entity_links
    assert len(pools) == 2  # parsing, then recognition, each on two workers


def _crash_on_2023(raw, overrides=None):  # module level: the forked workers run it
    if raw.path.endswith("2023-08.txt"):
        raise RuntimeError("boom")
    return _real_parse_issue(raw, overrides)


_real_parse_issue = build_module.parse_issue


def test_a_crash_in_a_worker_costs_only_that_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(build_module, "parse_issue", _crash_on_2023)
    issues, _, problems, _ = parse_inputs(read_inputs(project))
    assert sorted(i.id for i in issues) == ["2020-03", "2025-07"]
    crash = [p for p in problems if p.code == "internal-error"]
    assert [(p.path, p.severity) for p in crash] == [("issues/2023-08.txt", "error")]
    assert "RuntimeError: boom" in crash[0].message


# --- pages written as they are made ---------------------------------------------------------------


def _docs_files(docs: Path) -> dict[str, bytes]:
    return {f.relative_to(docs).as_posix(): f.read_bytes() for f in docs.rglob("*") if f.is_file()}


def test_pages_written_one_at_a_time_are_the_pages_render_makes(
    project: Path, tmp_path: Path
) -> None:
    site = build_module.plan(project).site
    expected = {path: text.encode("utf-8") for path, text in build_module.render(site).items()}
    docs = tmp_path / "docs"
    (docs / "stale").mkdir(parents=True)
    (docs / "stale" / "old.md").write_text("gone", encoding="utf-8")
    written, removed = build_module.write_pages(docs, site, "https://example.invalid/")
    assert (written, removed) == (len(expected), 1)
    assert _docs_files(docs) == expected
    assert build_module.write_pages(docs, site, "https://example.invalid/") == (0, 0)


def test_the_archive_is_let_go_before_mkdocs_runs(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MkDocs' forked shards would each hold a share of it (at 400 issues, ~400 MB)
    alive: list[int] = []

    def count_sites(*args: object) -> None:
        gc.collect()
        alive.append(sum(isinstance(o, Site) for o in gc.get_objects()))

    monkeypatch.setattr(build_module, "build_site_dir", count_sites)
    built = build_module.build(project, site_dir=tmp_path / "site")
    assert alive == [0]
    assert built.issues == 3 and built.summary.startswith("3 issues · ")


# --- docs/ keeps unchanged pages, site/ renders only changed ones --------------------------------


def test_unchanged_pages_keep_their_bytes_and_mtimes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert write_docs(docs, {"a.md": "A", "b/c.md": "C", "d.md": "D"}) == (3, 0)
    old = time.time() - 3600
    for name in ("a.md", "b/c.md", "d.md"):
        os.utime(docs / name, (old, old))
    assert write_docs(docs, {"a.md": "A", "b/c.md": "C2"}) == (1, 1)
    assert (docs / "a.md").stat().st_mtime == old
    assert (docs / "b/c.md").stat().st_mtime > old
    assert (docs / "b/c.md").read_text() == "C2"
    assert not (docs / "d.md").exists()


def _site_files(site: Path) -> dict[str, bytes]:
    return {
        file.relative_to(site).as_posix(): file.read_bytes()
        for file in sorted(site.rglob("*"))
        if file.is_file()
    }


def two_issue_project(root: Path) -> Path:
    """A project of the first two sample issues, with the site's config, theme and registry."""
    for name in ("theme", "registry"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "issues").mkdir()
    for issue_id in SAMPLES[:2]:
        shutil.copy(ROOT / "issues" / f"{issue_id}.txt", root / "issues")
    return root


def test_a_new_issue_leaves_the_older_pages_search_texts_as_they_were(tmp_path: Path) -> None:
    # search/text/ files are named by page number: a new issue (the newest) must not renumber
    # the pages before it, even when it brings new companies (numbered after every dated page)
    from generator.searchindex import render_search_index

    def search_files(root: Path) -> tuple[dict[str, str], dict[str, int]]:
        files = render_search_index(build_module.plan(root).site)
        return files, json.loads(files["search/manifest.json"])

    before, old = search_files(two_issue_project(tmp_path / "two"))
    project = two_issue_project(tmp_path / "three")
    shutil.copy(ROOT / "issues" / f"{SAMPLES[2]}.txt", project / "issues")
    after, new = search_files(project)
    assert new["docs"] - new["dated"] > old["docs"] - old["dated"]  # new companies came too
    texts = {path: text for path, text in before.items() if path.startswith("search/text/")}
    dated = {
        p: t for p, t in texts.items() if int(p.rsplit("/", 1)[1].split("-")[0]) < old["dated"]
    }
    assert dated and all(after.get(path) == text for path, text in dated.items())


@pytest.mark.slow
def test_an_incremental_site_build_equals_a_full_one(tmp_path: Path) -> None:
    from generator.build import build

    incremental = two_issue_project(tmp_path / "incremental")
    build(incremental)
    published = incremental / "site" / "index.html"  # the home page changes with a new issue
    kept = tmp_path / "published-home.html"
    os.link(published, kept)
    before = kept.read_bytes()
    page = incremental / "site" / "issues" / "2020-03" / "01" / "index.html"
    page_inode = page.stat().st_ino

    shutil.copy(ROOT / "issues" / "2025-07.txt", incremental / "issues")
    build(incremental)
    full = tmp_path / "full"
    shutil.copytree(incremental, full, ignore=shutil.ignore_patterns("site", "docs", ".cache"))
    build(full)

    assert _site_files(incremental / "site") == _site_files(full / "site")
    # the unchanged article was not rendered again: the new site links the old file
    assert page.stat().st_ino == page_inode
    # and the published site was never written through those links
    assert kept.read_bytes() == before
    assert published.read_bytes() != before


@pytest.mark.slow
def test_a_site_built_by_several_mkdocs_processes_is_the_single_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs in two processes, each rendering its share of the pages (write.py, and
    mkdocs_plugin.SHARD), makes the very site one process makes; so does a sharded rebuild."""
    from generator import write
    from generator.build import build

    project = two_issue_project(tmp_path / "project")
    build(project, site_dir=tmp_path / "single")

    monkeypatch.setattr(write, "SHARD_MIN_PAGES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    (project / ".cache" / "site.json").unlink()
    build(project, site_dir=tmp_path / "sharded")
    assert _site_files(tmp_path / "sharded") == _site_files(tmp_path / "single")

    shutil.copy(ROOT / "issues" / "2025-07.txt", project / "issues")
    build(project, site_dir=tmp_path / "sharded")  # incremental and sharded
    monkeypatch.setattr(write, "SHARD_MIN_PAGES", 10**9)
    build(project, site_dir=tmp_path / "single-again")  # a different site/: a full build
    assert _site_files(tmp_path / "sharded") == _site_files(tmp_path / "single-again")
