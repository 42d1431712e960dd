"""The plan of the program: read → parse each file in isolation → site → pages → write.

Each input file is parsed on its own: a crash in one becomes an `internal-error` problem
naming the file, and the rest of the archive still builds.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

from generator.cache import CACHE_DIR, Cache, cache_key, open_cache
from generator.documents import parse_document
from generator.entities import (
    Entity,
    Matcher,
    Recognised,
    Scan,
    link_entities,
    recognise_each,
    recognise_file,
    render_candidates,
    scan_document,
    scan_issue,
)
from generator.export import all_problems, render_export
from generator.feeds import render_feeds
from generator.issue import parse_issue
from generator.model import Document, Issue, Overrides, Problem, RawFile
from generator.pages import (
    entity_page_paths,
    issue_pages,
    listing_pages,
    plain_text,
    render_pages,
)
from generator.read import Inputs, read_inputs, read_registry, read_site_url
from generator.report import summary
from generator.searchindex import search_files
from generator.site import Site, build_site
from generator.write import DocsWriter, build_site_dir, write_candidates

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole archive parsed and linked, before anything is written."""

    site: Site
    problems: tuple[Problem, ...]  # every problem of every file, sorted


def plan(
    root: Path, debug: bool = False, cache: Cache | None = None, registry: Path | None = None
) -> Plan:
    """Read `issues/` under root and parse and link all of it (unchanged files from .cache/).

    `registry` is the folder of companies.yml, organisations.yml and policies.yml (default
    root/registry); an empty one leaves recognition to the discovery rules.
    """
    inputs = read_inputs(root)
    issues, documents, problems, scans = parse_inputs(inputs, debug, cache or open_cache(root))
    site = build_site(issues, documents)
    site = Site(
        site.issues, site.documents, site.sections, (*inputs.problems, *problems, *site.problems)
    )
    site = link_entities(site, read_registry(root, registry), scans, recognise_entities)
    return Plan(site=site, problems=tuple(all_problems(site)))


class Parsed(NamedTuple):
    """What the files are, each on its own: the parse and the entity scan (`scans`, by path)."""

    issues: list[Issue]
    documents: list[Document]
    problems: tuple[Problem, ...]
    scans: dict[str, Scan]


def parse_inputs(inputs: Inputs, debug: bool = False, cache: Cache | None = None) -> Parsed:
    """Parse every issue and document, each in isolation; unchanged ones come from `cache`.

    With its parse, each file's entity scan (entities.Scan: the file's text cut for
    recognition and the names discovery sees in it) is made and cached: it depends on that
    file alone. The files are shared among the cores when there are enough of them to pay for
    starting the workers (a first build of hundreds of issues; not one new issue).
    """
    cache = cache or Cache(None)
    jobs = [(_ISSUE, raw, overrides) for raw, overrides in inputs.issues]
    jobs += [(_DOCUMENT, raw, None) for raw in inputs.documents]
    keys = [cache_key(kind, raw.path, raw.digest, overrides) for kind, raw, overrides in jobs]
    results = [cache.load(kind, key) for (kind, _, _), key in zip(jobs, keys, strict=True)]
    todo = [i for i, result in enumerate(results) if result is None]
    parsed = _parse_all([(*jobs[i], debug) for i in todo])
    for i, (result, pickled) in zip(todo, parsed, strict=True):
        results[i] = result
        cache.store_pickled(jobs[i][0], keys[i], pickled)
    for kind in (_ISSUE, _DOCUMENT):
        cache.prune(kind)
    problems: list[Problem] = []
    issues: list[Issue] = []
    documents: list[Document] = []
    scans: dict[str, Scan] = {}
    for result in results:
        value, found, scan = result  # type: ignore[misc]  # (Issue | Document | None, …)
        problems.extend(found)
        if isinstance(value, Issue):
            issues.append(value)
        elif isinstance(value, Document):
            documents.append(value)
        if isinstance(scan, Scan):
            scans[scan.path] = scan
    return Parsed(issues, documents, tuple(problems), scans)


def recognise_entities(
    scans: Sequence[Scan],
    sources: Sequence[Issue | Document],
    matcher: Matcher,
    by_id: Mapping[str, Entity],
) -> list[Recognised]:
    """Entity recognition of every file (entities.recognise_file), on every core when there
    are enough files: the workers inherit the matcher by forking, and send back each file's
    mentions and links."""
    jobs = list(range(len(scans)))
    workers = _workers_for(len(jobs))
    if workers > 1 and _fork_context() is not None:
        _RECOGNISING[:] = [(scans, sources, matcher, by_id)]
        try:
            with _forked_pool(workers) as pool:
                return list(pool.map(_recognise_one, jobs, chunksize=max(1, len(jobs) // 8)))
        except (OSError, BrokenProcessPool):  # no fork here, or a worker killed (memory)
            pass
        finally:
            _RECOGNISING.clear()
    return recognise_each(scans, sources, matcher, by_id)


# What the recognition workers read: set before they fork, so they inherit it (never pickled).
_RECOGNISING: list[tuple[Sequence[Scan], Sequence[Issue | Document], Matcher, Mapping]] = []


def _recognise_one(position: int) -> Recognised:
    scans, sources, matcher, by_id = _RECOGNISING[0]
    return recognise_file(scans[position], sources[position], matcher, by_id)


_ISSUE, _DOCUMENT = "issue", "document"  # cache kinds, one per parser
# Below this many files to parse, starting worker processes (~0.1 s) costs more than it saves:
# one issue parses in ~0.07 s.
PARALLEL_MIN_FILES = 16


def _workers_for(files: int) -> int:
    """How many processes `files` files are worth sharing among (1: this one alone)."""
    if files < PARALLEL_MIN_FILES:
        return 1
    return min(os.cpu_count() or 1, files // (PARALLEL_MIN_FILES // 2))


_Job = tuple[str, RawFile, Overrides | None, bool]


def _parse_all(jobs: Sequence[_Job]) -> Iterator[tuple[_Parsed, bytes]]:
    """`_parse_one` over `jobs`, in order, each result with its pickle (what the cache stores).

    On every core when there are enough files: a worker sends its result pickled, and the
    same bytes go into the cache, so a result is pickled once either way. Results come one at
    a time, so the caller can store each pickle and let go of it (400 issues: ~200 MB).
    """
    done = 0
    workers = _workers_for(len(jobs))
    if workers > 1:
        chunk = max(1, len(jobs) // workers // 4)
        try:
            with _forked_pool(workers) as pool:
                for data in pool.map(_parse_pickled, jobs, chunksize=chunk):
                    yield pickle.loads(data), data
                    done += 1
        except (OSError, BrokenProcessPool):  # no fork here, or a worker killed (memory)
            pass
    for job in jobs[done:]:
        result = _parse_one(job)
        yield result, pickle.dumps(result, pickle.HIGHEST_PROTOCOL)


# (Issue, Document or None; the file's problems; its entity Scan or None)
_Parsed = tuple[object, tuple[Problem, ...], object]


def _parse_pickled(job: _Job) -> bytes:
    return pickle.dumps(_parse_one(job), pickle.HIGHEST_PROTOCOL)


def _parse_one(job: _Job) -> _Parsed:
    """One file parsed in isolation: (Issue, Document or None, its read/crash problems)."""
    kind, raw, overrides, debug = job
    problems: list[Problem] = []
    scan: object = None
    if kind == _ISSUE:
        value: object = _isolated(raw, lambda: parse_issue(raw, overrides), problems, debug)
        if isinstance(value, Issue):
            scan = _isolated(raw, lambda: scan_issue(value).summary(), problems, debug)
    else:
        value = _isolated(raw, lambda: parse_document(raw), problems, debug)
        if isinstance(value, Document):
            scan = _isolated(raw, lambda: scan_document(value).summary(), problems, debug)
    return value, tuple(problems), scan


@contextlib.contextmanager
def _forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes forked from this one, which read what it holds without copying it.

    The objects alive at the fork are frozen out of the garbage collector meanwhile: a
    collection in a worker would otherwise write to every object's header and so copy the
    parent's whole heap, page by page (at 400 issues, a gigabyte per worker).
    """
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=_fork_context()) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """fork where the platform has it: workers start in milliseconds with the parser loaded."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _isolated(
    raw: RawFile, parse: Callable[[], T], problems: list[Problem], debug: bool
) -> T | None:
    """Parse one file; a file that cannot be read, or a crash, costs only that file."""
    if any(p.severity == "error" for p in raw.problems):
        problems.extend(raw.problems)  # empty, binary or undecodable: nothing to parse
        return None
    try:
        return parse()
    except Exception as error:  # our bug, not the editor's: keep the rest of the archive
        if debug:
            traceback.print_exc()
        problems.append(
            Problem(
                raw.path,
                None,
                "internal-error",
                f"the generator failed on this file ({type(error).__name__}: {error})",
                "report it with the file attached; run with --debug for the traceback",
                "error",
            )
        )
        return None


def render(site: Site, base_url: str = "https://example.invalid/") -> dict[str, str]:
    """Every file of docs/ in one dict: the pages, the feeds, the search and the data export
    (for tests and tools; `build` streams them into docs/ with `write_pages`)."""
    pages = render_pages(site, base_url.rstrip("/"))
    pages.update(archive_files(site, base_url, pages))
    return pages


def archive_files(
    site: Site, base_url: str, pages: Collection[str] | None = None
) -> Iterator[tuple[str, str]]:
    """The files made from the whole archive at once, one at a time: feeds, data export,
    search index. `pages` are the docs/ paths of the pages (the search links only entity pages
    that exist)."""
    yield from render_feeds(site, base_url, plain_text).items()
    yield "data/archive.json", render_export(site)
    yield from search_files(site, pages)


def write_pages(docs_dir: Path, site: Site, base_url: str) -> tuple[int, int]:
    """Render every file of docs/ and write it as soon as it is made; (written, removed).

    No page is held longer than it takes to write it. All in this process: a worker forked
    to render the issues' pages beside it saved 8 s of 90 at 400 issues, but reading the
    archive made it a private copy of most of it (CPython writes a reference count into every
    object it reads): +400 MB at the peak, past the 1 GiB the build must stay under.
    """
    writer = DocsWriter(docs_dir)
    paths: set[str] = set()
    written = write_listing_pages(writer, site, base_url, paths)
    written += write_issue_pages(writer, site, paths)
    written += write_feeds_and_export(writer, site, base_url, paths)
    written += write_search_index(writer, site, paths | entity_page_paths(site), paths)
    return written, writer.remove_others(paths)


# The parts of write_pages, one function each so `tiantang bench` times them as stages.


def write_listing_pages(writer: DocsWriter, site: Site, base_url: str, paths: set[str]) -> int:
    return _write_all(writer, listing_pages(site, base_url.rstrip("/")), paths)


def write_issue_pages(writer: DocsWriter, site: Site, paths: set[str]) -> int:
    pages = (page for issue in site.issues for page in issue_pages(site, issue))
    return _write_all(writer, pages, paths)


def write_feeds_and_export(writer: DocsWriter, site: Site, base_url: str, paths: set[str]) -> int:
    files = render_feeds(site, base_url, plain_text)
    files["data/archive.json"] = render_export(site)
    return _write_all(writer, iter(files.items()), paths)


def write_search_index(
    writer: DocsWriter, site: Site, pages: Collection[str], paths: set[str]
) -> int:
    return _write_all(writer, search_files(site, pages), paths)


def _write_all(writer: DocsWriter, files: Iterator[tuple[str, str]], paths: set[str]) -> int:
    written = 0
    for path, text in files:
        written += writer.put(path, text)
        paths.add(path)
    return written


class Built(NamedTuple):
    """What `build` reports once the site is written."""

    problems: tuple[Problem, ...]  # every problem of every file, sorted
    issues: int
    articles: int
    summary: str  # report.summary: `3 issues · 89 articles · 2 documents · 1 warning · 0 errors`


def build(
    root: Path, site_dir: Path | None = None, debug: bool = False, registry: Path | None = None
) -> Built:
    """Parse everything, write docs/, build site/; what was built, with its problems.

    The names discovery found that the registry lacks go to `registry/candidates.yml`.
    """
    built, epoch = _write_docs(root, debug, registry)
    # The archive is let go before MkDocs runs: at 400 issues it is ~400 MB that each
    # process MkDocs is sharded over would otherwise hold a share of, to no use.
    _release_memory()
    with _source_date_epoch(epoch):
        # only the pages whose Markdown changed are rendered again (see write.build_site_dir)
        state = root / CACHE_DIR / "site.json"
        build_site_dir(root / "mkdocs.yml", root / "docs", site_dir or root / "site", state)
    return built


def _write_docs(root: Path, debug: bool, registry: Path | None) -> tuple[Built, int]:
    """Plan and write docs/ and the candidates; (what was built, SOURCE_DATE_EPOCH for it)."""
    result = plan(root, debug=debug, registry=registry)
    _release_memory()
    write_pages(root / "docs", result.site, read_site_url(root))
    write_candidates(registry or root / "registry", render_candidates(result.site.candidates))
    site = result.site
    articles = sum(len(issue.articles) for issue in site.issues)
    overview = summary(site.issues, site.documents, result.problems)
    return Built(result.problems, len(site.issues), articles, overview), _epoch(site.issues)


def _release_memory() -> None:
    """Hand the memory the last stage freed back to the system before the next one starts.

    Python keeps freed blocks for reuse, and glibc keeps a freed heap; at 400 issues the
    parse and page stages leave hundreds of MB that MkDocs, run next in this process, would
    not reuse in time to keep the peak down. Elsewhere than glibc this does nothing.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextlib.contextmanager
def _source_date_epoch(default: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for one MkDocs run, unless the caller set it; restored after.

    MkDocs dates the sitemap (and the sitemap.xml.gz header) from it: the newest issue's month
    makes two builds of the same input byte-identical. Restoring it lets a second build in the
    same process (the tests) date its own newest issue.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(default)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _epoch(issues: Sequence[Issue]) -> int:
    import calendar

    if not issues:
        return 0
    newest = max(issues, key=lambda i: i.id).masthead
    return calendar.timegm((max(newest.year, 1970), max(newest.month, 1), 1, 0, 0, 0))
