"""`make bench-search`: the search in a real browser, against the pages that hold each query.

For the sample archive (and synthetic archives of N issues made by `generator.bench` from the
samples), this builds our sharded index and, for comparison, stock Material (its search plugin
with jieba, a plain mkdocs.yml, the same docs) and Pagefind twice (stock, over the built site's
HTML; and fed our tokenisation: folded text as bigrams plus registry-name tokens, the query
tokenised the same way in the page), serves each with a static HTTP server, types 75 queries in
seven classes into Material's search box in the system Chromium (into Pagefind's JS API from a
bare page), and prints per class recall@10 and precision@10, the bytes the first query
downloads (a fresh browser), the time from the keystroke to the results, and the index's build
time and size. Pagefind is the optional `bench` extra; without it, it is skipped with a word.

Ground truth is read from the raw texts, not from the index: a page is relevant when its raw
lines (an article's span, an issue's printed contents, a document's whole file) contain every
word of the query, both folded as the archive folds names (width, script, case; spacing and
punctuation ignored). recall@10 = relevant in the top 10 / min(10, relevant);
precision@10 = relevant in the top 10 / results in the top 10. Stock Material also indexes
listing pages (home, sections, years), which are left out of its ranking before the top 10.

    python benchmarks/search_bench.py [--sizes 0,10,100,400] [--material 0,10,100]
        [--pagefind 0,10,100] [--scratch DIR] [--out FILE]

Size 0 is the sample archive. Our engine's server runs in a child process, so its timings are
not slowed by this process.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import html
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import bench  # noqa: E402
from generator.build import build, plan, render  # noqa: E402
from generator.read import read_raw  # noqa: E402
from generator.searchindex import (  # noqa: E402
    build_search_index,
    entity_keys,
    fold_text,
    render_search_index,
    search_manifest,
    search_records,
    site_entities,
)
from generator.site import Site  # noqa: E402
from generator.write import build_site_dir, write_docs  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Seven classes, chosen by reading the sample texts (each occurs there, `grep -c`).
QUERIES: dict[str, list[str]] = {
    "company names": [
        "华为",
        "中芯国际",
        "士兰微",
        "格科微",
        "宇视科技",
        "北方华创",
        "日月光",
        "英伟达",
        "台积电",
        "江丰电子",
        "八亿时空",
        "高通",
    ],
    "abbreviations, English": [
        "SMIC",
        "GSMA",
        "EDA",
        "SEMI",
        "SIA",
        "JEDEC",
        "LPDDR6",
        "RISC-V",
        "IDM",
        "MEMS",
        "CPO",
        "gpu",
    ],
    "full legal names": [
        "华为技术有限公司",
        "日月光投資控股股份有限公司",
        "苏州国芯科技股份有限公司",
        "杭州富芯半导体有限公司",
        "浙江富乐德传感技术有限公司",
        "湖州汉天下电子有限公司",
        "宁波芯恩半导体科技有限公司",
        "芯邁半導體技術(杭州)股份有限公司",
        "杭州芯迈半导体技术有限公司",
        "温州宏丰电工合金股份有限公司",
    ],
    "policy titles, 文号": [
        "财税〔2023〕17号",
        "杭经信计财〔2019〕66号",
        "浙经信人事〔2025〕21号",
        "国发〔2020〕8号",
        "浙政办发〔2022〕54号",
        "杭政办函〔2023〕58号",
        "省疫情防控〔2020〕9号",
        "关于集成电路企业增值税加计抵减政策的通知",
        "山西省半导体产业集群创新生态建设2020年行动计划",
        "中国芯谷建设规划方案",
        "杭州市进一步鼓励集成电路加快发展专项政策",
    ],
    "common words": [
        "碳化硅",
        "晶圆",
        "融资",
        "芯片",
        "光刻胶",
        "封装",
        "人工智能",
        "集成电路",
        "投资",
        "产业链",
    ],
    "substrings": [
        "导体",
        "电路",
        "成电",
        "芯国",
        "体设",
        "圆厂",
        "导体设备",
        "路产业",
        "产业投",
        "成电路产",
    ],
    "two words": [
        "华为 芯片",
        "中芯国际 产能",
        "晶圆 融资",
        "大基金 投资",
        "碳化硅 衬底",
        "台积电 英伟达",
        "光刻胶 国产",
        "士兰微 营收",
        "EDA 出口",
        "集成电路 人才",
    ],
}
COLD_QUERIES = (
    "华为",
    "RISC-V",
    "浙江富乐德传感技术有限公司",
    "关于集成电路企业增值税加计抵减政策的通知",
    "芯片",
    "碳化硅 衬底",
)

# The in-page probe: wraps Worker so every QUERY Material sends and the RESULT it gets back
# are logged with the page's clock, after Material has rendered them (setTimeout 0 runs after
# the message's other listeners).
PROBE = """
(() => {
  const Native = window.Worker;
  window.__probe = { results: [] };
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    let last = null;
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message) => {
      if (message && message.type === 2) last = message.data;
      post(message);
    };
    worker.addEventListener("message", (ev) => {
      if (ev.data && ev.data.type === 1) window.__probe.ready = performance.now();
      if (!ev.data || ev.data.type !== 3) return;
      const query = last;
      const items = ev.data.data.items.map((group) => group.map((item) => item.location));
      setTimeout(() => window.__probe.results.push({ query, items, at: performance.now() }), 0);
    });
    return worker;
  };
})();
"""

ASK = """(query) => {
  const box = document.querySelector("input[data-md-component=search-query]");
  box.focus();
  box.value = query;
  window.__probe.started = performance.now();
  box.dispatchEvent(new Event("input", { bubbles: true }));
  box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
}"""


# --- the archives ---------------------------------------------------------------------------


@dataclass
class Archive:
    """One archive to measure: its site model, its docs/, and the relevant pages per query."""

    name: str
    project: Path
    site: Site
    docs: dict[str, str]
    raw_texts: dict[str, str] = field(default_factory=dict)  # page URL → folded raw text
    synonyms: dict[str, set[str]] = field(default_factory=dict)  # folded name → pages naming it


def make_archive(size: int, scratch: Path, pages: bool) -> Archive:
    """The sample archive (size 0) or `size` synthetic issues, parsed, and rendered when
    `pages` (stock Material needs the pages; our index only the site model)."""
    if size == 0:
        project = ROOT
        name = "sample (3 issues)"
    else:
        project = scratch / f"synthetic-{size}"
        if not (project / "issues").is_dir():
            shapes, pool = bench.learn_shapes(bench.read_samples(ROOT))
            bench.write_project(ROOT, project, bench.synthesize_archive(shapes, pool, size))
        name = f"synthetic {size} issues"
    site = plan(project).site
    archive = Archive(name, project, site, render(site) if pages else {})
    known = archive.docs.keys() if pages else None  # without pages: every entity has one
    archive.raw_texts = raw_page_texts(project, site, known)
    archive.synonyms = entity_pages(site, known)
    return archive


def raw_page_texts(project: Path, site: Site, pages: Any) -> dict[str, str]:
    """Per indexed page, its folded raw lines: what a reader could find on it. A company or
    policy page: its names, as the registry and the entities stage give them."""
    by_url = {record.url: record for record in search_records(site, site_entities(site, pages))}
    url_of = {(r.kind, r.ident): url for url, r in by_url.items()}
    texts: dict[str, str] = {}

    def lines_of(path: str) -> dict[int, str]:
        raw = read_raw(project, project / path)
        return {line.no: line.text for line in raw.lines}

    for issue in site.issues:
        lines = lines_of(issue.path)
        if issue.toc is not None:
            span = range(issue.toc.span.first, issue.toc.span.last + 1)
            texts[url_of["issue", issue.id]] = fold_text("".join(lines[n] for n in span))
        for article in issue.articles:
            span = range(article.span.first, article.span.last + 1)
            texts[url_of["article", article.id]] = fold_text(
                "".join(lines.get(n, "") for n in span)
            )
    for document in site.documents:
        lines = lines_of(document.path)
        texts[url_of["document", document.id]] = fold_text("".join(lines.values()))
    entities = {e.id: e for e in (*getattr(site, "companies", ()), *getattr(site, "policies", ()))}
    for url, record in by_url.items():
        if record.ident in entities and record.kind in ("company", "organisation", "policy"):
            texts[url] = "\n".join(fold_text(name) for name in entities[record.ident].names)
    return texts


_NOT_ENTITY = ("article", "issue", "document")


def entity_pages(site: Site, pages: Any) -> dict[str, set[str]]:
    """Folded name → the pages the entities stage says name that entity (under any name),
    and the entity's own page: what a query for one name should also find."""
    records = search_records(site, site_entities(site, pages))
    url_of = {(r.kind, r.ident): r.url for r in records}
    issue_of = {issue.path: issue.id for issue in site.issues}
    named: dict[str, set[str]] = {}
    for mention in getattr(site, "mentions", ()):
        found = named.setdefault(mention.entity, set())
        if mention.article and ("article", mention.article) in url_of:
            found.add(url_of["article", mention.article])
        if mention.document and ("document", mention.document) in url_of:
            found.add(url_of["document", mention.document])
        if mention.place == "toc" and ("issue", issue_of.get(mention.path)) in url_of:
            found.add(url_of["issue", issue_of[mention.path]])
    synonyms: dict[str, set[str]] = {}
    own_page = {ident: url for (kind, ident), url in url_of.items() if kind not in _NOT_ENTITY}
    for entity in (*getattr(site, "companies", ()), *getattr(site, "policies", ())):
        own = {own_page[entity.id]} if entity.id in own_page else set()
        for name in entity.names:
            synonyms.setdefault(fold_text(name), set()).update(named.get(entity.id, set()) | own)
    return synonyms


def relevant(archive: Archive, query: str, synonyms: bool = False) -> set[str]:
    """Pages holding every word of the query; with `synonyms`, a word that is a name of an
    entity is also held by the pages naming the entity otherwise."""
    pages: set[str] | None = None
    for word in (fold_text(w) for w in query.split()):
        found = {url for url, text in archive.raw_texts.items() if word in text}
        if synonyms:
            found |= archive.synonyms.get(word, set())
        pages = found if pages is None else pages & found
    return pages or set()


# --- the two sites --------------------------------------------------------------------------


def shell_site(scratch: Path) -> Path:
    """The built sample site: Material's page and our search box, to host any index."""
    shell = scratch / "shell"
    if not (shell / "index.html").is_file():
        project = scratch / "shell-project"
        shutil.rmtree(project, ignore_errors=True)
        for name in ("issues", "theme", "registry"):
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        build(project, site_dir=shell)
    return shell


def our_site(archive: Archive, scratch: Path) -> tuple[Path, int]:
    """The shell with `archive`'s index in search/ (the pages themselves are not needed to
    search). Returns the folder and the index's size on disk in bytes."""
    target = scratch / f"ours-{archive.project.name}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        shell_site(scratch), target, ignore=shutil.ignore_patterns("search", "pagefind", PF_PAGE)
    )
    shutil.copy(ROOT / "theme/javascripts/search.js", target / "javascripts/search.js")
    (target / PF_PAGE).write_text(OURS_HARNESS, encoding="utf-8")
    files = render_search_index(archive.site, archive.docs.keys() if archive.docs else None)
    size = 0
    for path, text in files.items():
        if path.endswith(".md"):
            continue
        out = target / path
        out.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        out.write_bytes(data)
        size += len(data)
    return target, size


def stock_site(archive: Archive, scratch: Path) -> tuple[Path, float]:
    """Stock Material (plugin search, jieba for zh) over the same pages; build seconds."""
    docs = scratch / f"stock-docs-{archive.project.name}"
    site = scratch / f"stock-{archive.project.name}"
    shutil.rmtree(docs, ignore_errors=True)
    write_docs(docs, {p: t for p, t in archive.docs.items() if not p.startswith("search/")})
    extensions = (yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8")) or {}).get(
        "markdown_extensions", []
    )
    config = {
        "site_name": "天堂之芯",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh", "features": ["search.highlight"]},
        "nav": [{"天堂之芯": "index.md"}],
        "plugins": [{"search": {"lang": "zh"}}],
        "markdown_extensions": extensions,
        "validation": {"omitted_files": "ignore", "unrecognized_links": "ignore"},
    }
    config_file = scratch / f"stock-{archive.project.name}.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)],
        check=True,
        cwd=scratch,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site, time.perf_counter() - started


# --- Pagefind ---------------------------------------------------------------------------------

# Pagefind (https://pagefind.app), run through its Python API (`pip install 'pagefind[extended]'`,
# the `bench` extra), twice: stock, over the built site's HTML; and as storage only, fed records
# pre-tokenised the way our index is (folded text as overlapping bigrams, plus one token per
# registry name of the entities a page names), queried with the same tokenisation in the page.
PF_PAGE = "pf-bench.html"  # the page in each Pagefind site the browser searches from
PF_BIGRAM_LANGUAGE = "zz"  # no stemmer and no segmenter: Pagefind splits at the spaces only
PF_NAME = "qq"  # prefix of a registry-name token: bigram tokens are two characters, these longer

# Our engine from the same kind of bare page as Pagefind's below, without Material's worker and
# rendering: `ask(query)` → the top ten URLs and the time to them (with their texts loaded).
OURS_HARNESS = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>ours</title>
<script src="javascripts/search.js"></script></head><body>
<script>
window.__pf = (() => {
  const engine = new TTSearch.Engine(new URL("./", location.href).href);
  async function ask(query) {
    const started = performance.now();
    const found = await engine.box(query, 10); // what the search box shows
    const pages = found.items.map((c) => engine.present(c, found.words).url);
    return { pages, ms: performance.now() - started };
  }
  return { ready: () => engine.ready().then(() => true), ask };
})();
</script>
</body></html>
"""

# Searches from a bare page (no Material): `ask(query)` → the top ten URLs and the time from the
# query to their fragments loaded (what a results list shows). The page's `lang` picks the index
# and how Pagefind splits the query: Chinese (Intl.Segmenter) for stock, spaces for bigrams.
PF_HARNESS = """<!doctype html>
<html lang="@LANG@"><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<script>
window.__pf = (() => {
  const MODE = "@MODE@", NON_WORD = /[^\\p{L}\\p{N}]/gu;
  let engine = null, table = new Map();
  async function ready() {
    if (engine) return engine;
    const pagefind = await import("./pagefind/pagefind.js");
    await pagefind.init();
    if (MODE === "bigrams") {
      const fold = await (await fetch("./pagefind/tt-fold.json")).json();
      const from = Array.from(fold.from), to = Array.from(fold.to);
      from.forEach((c, i) => table.set(c, to[i]));
      for (const c in fold.more) table.set(c, fold.more[c]);
    }
    return (engine = pagefind);
  }
  // search.js's folding: the build's table, then NFKC, lower case, letters and digits only
  function key(text) {
    let out = "";
    for (const c of text) {
      const f = table.get(c);
      out += f !== undefined ? f : c.normalize("NFKC").toLowerCase().replace(NON_WORD, "");
    }
    return out;
  }
  function words(query) { // search.js's Engine.words: one-character words only joined
    const all = query.trim().split(/\\s+/).filter(Boolean).map(key);
    let long = all.filter((w) => w.length >= 2);
    if (!long.length && all.join("").length >= 2) long = [all.join("")];
    return [...new Set(long)];
  }
  // Per word: its bigrams as one quoted phrase (consecutive tokens: the folded string itself)
  // or a registry-name token; a page must have every word; pages holding every word as typed
  // first, then those found through another name; Pagefind's score within each.
  async function bigrams(query) {
    const per = await Promise.all(words(query).map(async (w) => {
      const grams = [];
      for (let i = 0; i + 2 <= w.length; i++) grams.push(w.slice(i, i + 2));
      const [typed, named] = await Promise.all([
        engine.search('"' + grams.join(" ") + '"'),
        engine.search('"@NAME@' + w + '"'),
      ]);
      return { typed: new Map(typed.results.map((r) => [r.id, r])),
               named: new Map(named.results.map((r) => [r.id, r])) };
    }));
    if (!per.length) return [];
    const rows = [];
    for (const id of new Set([...per[0].typed.keys(), ...per[0].named.keys()])) {
      let typed = 1, score = 0, result = null;
      for (const p of per) {
        const hit = p.typed.get(id) || p.named.get(id);
        if (!hit) { result = null; break; }
        if (!p.typed.has(id)) typed = 0;
        score += hit.score;
        result = result || hit;
      }
      if (result) rows.push({ result, typed, score });
    }
    rows.sort((a, b) => b.typed - a.typed || b.score - a.score);
    return rows.map((row) => row.result);
  }
  async function ask(query) {
    const started = performance.now();
    await ready();
    const results =
      MODE === "bigrams" ? await bigrams(query) : (await engine.search(query)).results;
    const data = await Promise.all(results.slice(0, 10).map((r) => r.data()));
    return { pages: data.map((d) => d.url), ms: performance.now() - started };
  }
  return { ready: () => ready().then(() => true), ask };
})();
</script>
</body></html>
"""


def pagefind_missing() -> str | None:
    """Why Pagefind cannot run here, or None."""
    try:
        from pagefind.index import PagefindIndex  # noqa: F401
    except ImportError as error:
        return f"{error} (pip install -e '.[bench]')"
    return None


async def _pagefind_write(out: Path, directory: Path) -> None:
    from pagefind.index import PagefindIndex

    # leaving the context writes the files, to the configured path (else ./pagefind)
    async with PagefindIndex(config={"output_path": str(out)}) as index:
        await index.add_directory(str(directory))


def pagefind_index(pages: Sequence[tuple[str, str]], staging: Path, out: Path) -> None:
    """Pagefind's index of `pages` ({URL: HTML}) in `out`. The pages are written as files and
    indexed with one add_directory: the Python API answers one request per 0.1 s (its reader
    sleeps between responses), so add_html_file per page would take 25 minutes at 400 issues."""
    shutil.rmtree(staging, ignore_errors=True)
    for url, page in pages:
        target = staging / url.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    _run_async(_pagefind_write(out, staging))
    shutil.rmtree(staging, ignore_errors=True)


def _run_async(job: Any) -> None:
    """Run a coroutine to the end: in a thread of its own, as Playwright's sync API keeps an
    event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, job).result()


def _tree_bytes(folder: Path) -> int:
    """Bytes of a Pagefind bundle's search files (its ready-made UIs left out)."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and "-ui." not in path.name and "highlight" not in path.name
    )


def built_site(archive: Archive, scratch: Path) -> Path:
    """The archive's real site (our theme and pages; the sample's is the shell), for stock
    Pagefind to index as it would be deployed."""
    if archive.project == ROOT:
        return shell_site(scratch)
    site = scratch / f"site-{archive.project.name}"
    if not (site / "index.html").is_file():
        docs = scratch / f"site-docs-{archive.project.name}"
        shutil.rmtree(docs, ignore_errors=True)
        write_docs(docs, archive.docs)
        build_site_dir(archive.project / "mkdocs.yml", docs, site)
    return site


def stock_pagefind_site(archive: Archive, scratch: Path) -> tuple[Path, float, int]:
    """Stock Pagefind (extended: Chinese segmentation) over the built HTML of the pages our
    index holds (the raw-text views and listing pages would only crowd its top ten; our index
    and the ground truth leave them out too). Returns the site, index seconds and bytes."""
    site = built_site(archive, scratch)
    pages = []
    for url in sorted(archive.raw_texts):
        source = site / url / "index.html"
        if source.is_file():
            pages.append((url, source.read_text("utf-8")))
    started = time.perf_counter()
    out = site / "pagefind"
    pagefind_index(pages, scratch / f"pagefind-stock-pages-{archive.project.name}", out)
    seconds = time.perf_counter() - started
    (site / PF_PAGE).write_text(
        PF_HARNESS.replace("@LANG@", "zh").replace("@MODE@", "stock"), encoding="utf-8"
    )
    return site, seconds, _tree_bytes(out)


def bigram_pagefind_site(archive: Archive, scratch: Path) -> tuple[Path, float, int]:
    """Pagefind fed our tokenisation: per page an HTML record whose h1 is the title's bigrams
    (Pagefind weighs headings), whose body is the folded text's bigrams in order (so a quoted
    run of bigrams is the folded string) followed by a token per registry name of every entity
    the page names (the entities stage's mentions, as our index has them). Seconds include
    making the records from the site."""
    folder = scratch / f"pagefind-bigrams-{archive.project.name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    index = build_search_index(archive.site, archive.docs.keys() if archive.docs else None)
    names: dict[int, set[str]] = {}
    for number, entity in enumerate(index.entities):
        tokens = {PF_NAME + key for key in entity_keys(entity)}
        own = index.pages[number]
        for doc in (*index.mentions[number], *(() if own is None else (own,))):
            names.setdefault(doc, set()).update(tokens)

    def spaced(text: str) -> str:
        folded = fold_text(text)
        return " ".join(folded[i : i + 2] for i in range(len(folded) - 1)) or folded

    pages = []
    for doc, record in enumerate(index.records):
        title = html.escape(record.title.replace(",", "，"), quote=True)
        pages.append(
            (
                record.url,
                f'<html lang="{PF_BIGRAM_LANGUAGE}"><body data-pagefind-meta="title:{title}">'
                f"<h1>{spaced(record.title)}</h1><p>{spaced(record.text)}</p>"
                f"<p>{' '.join(sorted(names.get(doc, ())))}</p></body></html>",
            )
        )
    out = folder / "pagefind"
    pagefind_index(pages, scratch / f"pagefind-bigram-pages-{archive.project.name}", out)
    fold = search_manifest(index, 1)["fold"]
    (out / "tt-fold.json").write_text(json.dumps(fold, ensure_ascii=False), encoding="utf-8")
    seconds = time.perf_counter() - started
    (folder / PF_PAGE).write_text(
        PF_HARNESS.replace("@LANG@", PF_BIGRAM_LANGUAGE)
        .replace("@MODE@", "bigrams")
        .replace("@NAME@", PF_NAME),
        encoding="utf-8",
    )
    return folder, seconds, _tree_bytes(out)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


# --- in the browser ---------------------------------------------------------------------------

SEARCH_FILES = (
    "/search/",
    "/javascripts/search.js",
    "/assets/javascripts/workers/",
    "/lunr/",
    "/pagefind/",
)


@dataclass
class Answer:
    query: str
    pages: list[str]  # result pages in order
    ms: float  # keystroke → results rendered


def ask(page: Any, query: str, timeout_s: float = 120) -> Answer:
    page.evaluate(ASK, query)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = page.evaluate(
            "(q) => { const p = window.__probe;"
            " const r = p.results.filter(r => r.query === q && r.at >= p.started).pop();"
            " return r ? { items: r.items, ms: r.at - p.started } : null; }",
            query,
        )
        if found:
            pages = []
            for group in found["items"]:
                location = group[0].split("#")[0].split("?")[0]
                if location.startswith("search/") or location in pages:
                    continue
                pages.append(location)
            return Answer(query, pages, found["ms"])
        time.sleep(0.005)
    raise TimeoutError(f"no results for {query!r}")


def drain(page: Any, sizes: dict[str, int]) -> None:
    """Let Playwright deliver the response events still queued behind the answer (the sync API
    dispatches them only while it waits on the browser) before they are counted."""
    seen = -1
    while seen != len(sizes):
        seen = len(sizes)
        page.wait_for_timeout(250)


def cold_queries(
    browser: Any,
    open_ready: Callable[[Any], None],
    answer: Callable[[Any, str], Answer],
    init_script: str | None = None,
) -> list[dict]:
    """Each of COLD_QUERIES in a fresh context: the search files downloaded for it, its time,
    and how long the page took to be ready. A reader types once the page has settled
    (`open_ready`: the engine is ready; then nothing else loads)."""
    cold = []
    for query in COLD_QUERIES:
        context = browser.new_context()
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        sizes: dict[str, int] = {}

        def count(response: Any, sizes: dict[str, int] = sizes) -> None:
            if any(part in response.url for part in SEARCH_FILES):
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # a response without a body (redirect): nothing was sent
                    sizes[response.url] = 0

        page.on("response", count)
        started = time.perf_counter()
        open_ready(page)
        page.wait_for_load_state("networkidle")
        ready_s = time.perf_counter() - started
        found = answer(page, query)
        drain(page, sizes)
        cold.append(
            {
                "query": query,
                "bytes": sum(sizes.values()),
                "files": len(sizes),
                "ms": found.ms,
                "page_to_ready_s": ready_s,
            }
        )
        context.close()
    return cold


def run_engine(
    browser: Any, url: str, queries: Sequence[str]
) -> tuple[list[Answer], list[Answer], list[dict]]:
    """All queries in one page (warm, as a reader typing one after another), then all again
    (every file already loaded: the engine's own time), then each cold query in a fresh
    context for the bytes and time of a first search."""

    def open_ready(page: Any) -> None:
        page.goto(url + "/")
        page.wait_for_function("() => window.__probe && window.__probe.ready")

    context = browser.new_context()
    context.add_init_script(PROBE)
    page = context.new_page()
    open_ready(page)
    answers = [ask(page, query) for query in queries]
    page.evaluate(ASK, "")  # the repeat's first query must differ from the last one
    again = [ask(page, query) for query in queries]
    context.close()
    return answers, again, cold_queries(browser, open_ready, ask, PROBE)


def run_bare(
    browser: Any, url: str, queries: Sequence[str]
) -> tuple[list[Answer], list[Answer], list[dict]]:
    """run_engine from a bare page's `window.__pf` (Pagefind's, or ours for the same yardstick:
    no worker, no rendering): the same three passes. A fresh page first gets the engine ready
    (Pagefind's init: its entry, WebAssembly and metadata, what a search box would load on
    focus; ours: the manifest), as Material hands our worker the manifest before a query."""

    def answer(page: Any, query: str) -> Answer:
        found = page.evaluate("(q) => window.__pf.ask(q)", query)
        pages = []
        for location in found["pages"]:
            location = location.split("#")[0].split("?")[0].lstrip("/")
            if location not in pages:
                pages.append(location)
        return Answer(query, pages, found["ms"])

    def open_ready(page: Any) -> None:
        page.goto(f"{url}/{PF_PAGE}")
        page.evaluate("() => window.__pf.ready()")

    context = browser.new_context()
    page = context.new_page()
    open_ready(page)
    answers = [answer(page, query) for query in queries]
    again = [answer(page, query) for query in queries]
    context.close()
    return answers, again, cold_queries(browser, open_ready, answer)


def score(archive: Archive, answers: Sequence[Answer], universe: set[str]) -> dict[str, Any]:
    per_class: dict[str, dict[str, float]] = {}
    by_query = {a.query: a for a in answers}
    for name, queries in QUERIES.items():
        recalls, precisions, with_names = [], [], []
        for query in queries:
            wanted = relevant(archive, query)
            named = relevant(archive, query, synonyms=True)
            top = [p for p in by_query[query].pages if p in universe][:10]
            hits = len([p for p in top if p in wanted])
            recalls.append(hits / min(10, len(wanted)) if wanted else 1.0)
            precisions.append(hits / len(top) if top else (0.0 if wanted else 1.0))
            hits = len([p for p in top if p in named])
            with_names.append(hits / len(top) if top else (0.0 if named else 1.0))
        per_class[name] = {
            "recall@10": statistics.mean(recalls),
            "precision@10": statistics.mean(precisions),
            "precision@10 names": statistics.mean(with_names),
            "median_ms": statistics.median(by_query[q].ms for q in queries),
        }
    return per_class


def measure(
    archive: Archive, engine: str, folder: Path, browser: Any, runner: Any = run_engine
) -> dict[str, Any]:
    queries = [q for qs in QUERIES.values() for q in qs]
    with serve(folder) as url:
        answers, again, cold = runner(browser, url, queries)
    universe = set(archive.raw_texts)
    times = sorted(a.ms for a in answers)
    return {
        "archive": archive.name,
        "engine": engine,
        "classes": score(archive, answers, universe),
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "loaded_median_ms": statistics.median(a.ms for a in again),
        "loaded_p95_ms": sorted(a.ms for a in again)[int(0.95 * (len(again) - 1))],
        "cold": cold,
        "imperfect": imperfect(archive, answers, universe),
        "ms": {a.query: round(a.ms, 1) for a in answers},
    }


def imperfect(archive: Archive, answers: Sequence[Answer], universe: set[str]) -> dict[str, Any]:
    """The queries short of 1.0, with a relevant page missed and a wrong page shown."""
    found: dict[str, Any] = {}
    for answer in answers:
        wanted = relevant(archive, answer.query)
        top = [p for p in answer.pages if p in universe][:10]
        missed = sorted(wanted - set(top))[: max(0, min(10, len(wanted)) - len(wanted & set(top)))]
        wrong = [p for p in top if p not in wanted]
        if missed or wrong:
            found[answer.query] = {
                "relevant": len(wanted),
                "shown": len(top),
                "missed": missed[:3],
                "wrong": wrong[:3],
            }
    return found


# --- report -----------------------------------------------------------------------------------


def render_report(results: Sequence[dict[str, Any]]) -> str:
    lines = []
    classes = list(QUERIES)
    header = "| archive | engine | " + " | ".join(classes)
    header += " | first query | median / p95 | files loaded | index: build, size |"
    lines += [header, "|" + "---|" * (len(classes) + 6)]
    for result in results:
        cells = [
            f"{c['recall@10']:.2f} / {c['precision@10']:.2f} ({c['precision@10 names']:.2f})"
            for c in (result["classes"][name] for name in classes)
        ]
        cold_bytes = [c["bytes"] for c in result["cold"]]
        cold_ms = [c["ms"] for c in result["cold"]]
        first = (
            f"{statistics.median(cold_bytes) / 1024:,.0f} KB (max {max(cold_bytes) / 1024:,.0f}),"
            f" {statistics.median(cold_ms):,.0f} ms"
        )
        lines.append(
            f"| {result['archive']} | {result['engine']} | "
            + " | ".join(cells)
            + f" | {first} | {result['median_ms']:.0f} / {result['p95_ms']:.0f} ms"
            + f" | {result['loaded_median_ms']:.0f} / {result['loaded_p95_ms']:.0f} ms"
            + f" | {result['index_s']:,.1f} s{result.get('index_note', '')},"
            + f" {result['index_bytes'] / 2**20:,.1f} MB |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,10,100,400", help="archives: 0 is the sample")
    parser.add_argument("--material", default="0,10,100", help="sizes for stock Material")
    parser.add_argument("--pagefind", default="0,10,100", help="sizes for the two Pagefinds")
    parser.add_argument("--scratch", type=Path, default=None, help="keep builds here")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"bench-search needs Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    stock = {int(s) for s in args.material.split(",") if s.strip()}
    pagefind = {int(s) for s in args.pagefind.split(",") if s.strip()}
    missing = pagefind_missing() if pagefind else None
    if missing:
        print(f"Pagefind skipped: {missing}", file=sys.stderr)
        pagefind = set()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="tiantang-bench-search-"))
    scratch.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for size in sizes:
            started = time.perf_counter()
            archive = make_archive(size, scratch, pages=size in stock | pagefind)
            pages = len(archive.raw_texts)
            print(f"{archive.name}: {pages} pages, parsed in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            folder, index_bytes = our_site(archive, scratch)
            index_s = time.perf_counter() - started
            result = measure(archive, "ours (sharded bigrams)", folder, browser)
            result.update(index_bytes=index_bytes, index_s=index_s, pages=pages)
            results.append(result)
            print(render_report([result]).split("\n")[-1], flush=True)
            if size in pagefind:  # the yardstick for Pagefind's bare-page figures
                result = measure(archive, "ours, from a bare page", folder, browser, run_bare)
                result.update(index_bytes=index_bytes, index_s=index_s, pages=pages)
                results.append(result)
                print(render_report([result]).split("\n")[-1], flush=True)
            if size in stock:
                folder, build_s = stock_site(archive, scratch)
                result = measure(archive, "stock Material (lunr + jieba)", folder, browser)
                index = folder / "search" / "search_index.json"
                result.update(
                    index_bytes=index.stat().st_size,
                    index_s=build_s,
                    index_note=" (whole mkdocs build)",
                    pages=pages,
                )
                results.append(result)
                print(render_report([result]).split("\n")[-1], flush=True)
            if size in pagefind:
                for engine, make in (
                    ("stock Pagefind (extended, zh)", stock_pagefind_site),
                    ("Pagefind, our bigrams", bigram_pagefind_site),
                ):
                    folder, index_s, index_bytes = make(archive, scratch)
                    result = measure(archive, engine, folder, browser, run_bare)
                    result.update(index_bytes=index_bytes, index_s=index_s, pages=pages)
                    results.append(result)
                    print(render_report([result]).split("\n")[-1], flush=True)
        browser.close()
    print()
    print("recall@10 / precision@10 per class; first query: bytes of search files a fresh")
    print("browser downloads for it (median of 6, max), and its time; then keystroke → results")
    print("over all 75 queries typed one after another (median / p95), and the same again with")
    print("every file already loaded (the engine's own time, rendering included).")
    print()
    print(render_report(results))
    print()
    for result in results:
        print(
            f"{result['archive']}, {result['engine']}: index {result['index_bytes'] / 2**20:.1f} MB"
            f" built in {result['index_s']:.1f} s{result.get('index_note', '')}"
        )
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.scratch is None:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
