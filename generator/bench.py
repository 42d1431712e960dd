"""`tiantang bench`: a synthetic archive of N issues made from the sample texts, and the
benchmark that times our build against the floor and against stock Material on the same pages.

The synthetic archive: each sample issue in `issues/` (2020-03, 2023-08, 2025-07) is one
*shape* — its cover, its contents' line formats, its heading markup, its back matter. A
synthetic issue takes a shape, stamps its own month and 总第N期 on the cover, and fills it with
35 real articles drawn from all samples under titles varied from the real contents (other
companies, amounts, years), with the quirks the parser must survive (spaces inside headings,
headings split over lines, traditional characters, half-width colons, a misprinted heading).
Everything is a pure function of the samples and the seed, and issue k depends only on
(seed, k): the first 400 issues are the same whether 400 or 401 are made.

The benchmark (`run_benchmark`) times, per N, in subprocesses on the same generated docs/:
our build (stage by stage), the floor (Python-Markdown alone, one process) and stock Material
(one-entry nav, its own search); then a rebuild after adding one issue. See README
"Performance".
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.issue import parse_issue
from generator.model import Issue, RawFile
from generator.read import read_raw

SHAPE_SAMPLES = ("issues/2020-03.txt", "issues/2023-08.txt", "issues/2025-07.txt")
ARTICLES_PER_ISSUE = 35
FIRST_MONTH = (1990, 1)
FIRST_NUMBER = 101

# Companies the varied titles and texts name instead of the original ones: real names of the
# trade, so entity recognition and search see realistic strings.
COMPANIES = (
    "士兰微",
    "中芯国际",
    "华虹半导体",
    "长电科技",
    "通富微电",
    "华天科技",
    "兆易创新",
    "韦尔股份",
    "卓胜微",
    "圣邦股份",
    "北方华创",
    "中微公司",
    "沪硅产业",
    "立昂微",
    "晶盛机电",
    "杭州国芯",
    "宇视科技",
    "海康威视",
    "大华股份",
    "华润微",
    "紫光展锐",
    "长江存储",
    "长鑫存储",
    "芯原股份",
    "寒武纪",
    "地平线",
    "黑芝麻智能",
    "翱捷科技",
    "乐鑫科技",
    "晶晨股份",
    "瑞芯微",
    "全志科技",
    "富瀚微",
    "国民技术",
    "紫光国微",
    "复旦微电子",
    "安路科技",
    "华大九天",
    "概伦电子",
    "广立微",
    "芯迈半导体",
    "瞻芯电子",
    "甬矽电子",
    "江丰电子",
    "富乐德半导体",
    "矽力杰",
    "杰华特",
    "思瑞浦",
    "纳芯微",
    "芯朋微",
    "斯达半导",
    "宏微科技",
    "东微半导",
    "新洁能",
    "扬杰科技",
    "捷捷微电",
    "三安光电",
    "天岳先进",
    "英诺赛科",
    "积塔半导体",
)

# Simplified → traditional for the `traditional` quirk (2020-03 prints 封測 for 封测).
_TRADITIONAL = {
    "测": "測",
    "导": "導",
    "体": "體",
    "电": "電",
    "发": "發",
    "产": "產",
    "业": "業",
    "项": "項",
    "资": "資",
    "国": "國",
    "术": "術",
    "开": "開",
    "会": "會",
    "圆": "圓",
    "晶": "晶",
}
_QUIRKS = ("space", "comma-space", "split", "traditional", "half-width", "none")
# Weights of the quirks above: about half of the headings differ from the contents, as in
# 2020-03 where 18 of 20 do.
_QUIRK_WEIGHTS = (3, 2, 1, 1, 1, 7)
_MISPRINT_ISSUE_SHARE = 0.05  # one issue in twenty repeats a title over the next article

_COVER_MONTH = re.compile(r"(?:19|20)\d\d/(?:0[1-9]|1[0-2])")
_COVER_NUMBER = re.compile(r"总第\d+期")
_HEADING_MARKUP = re.compile(r"^(#{1,6} +)")
_PAGE_AT_END = re.compile(r"(\d+)(\s*)$")
_LEADING_NAME = re.compile(r"^([^：:，,！!？?\s“”《》]{2,12})([：:])")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?=\s*(?:亿|万))")
_YEAR = re.compile(r"(?<!\d)20[0-2]\d(?!\d)")
_SPLIT_AT = re.compile(r"[，,：:！!？? ]")


# --- learning the shapes from the samples ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """How one sample issue prints itself, with the article slots left open."""

    path: str  # the sample, e.g. "issues/2020-03.txt"
    cover: tuple[str, ...]  # lines before the contents (month and 总第N期 get restamped)
    toc_head: tuple[str, ...]  # 目录 / CONTENTS lines before the first section marker
    sections: tuple[tuple[str, str], ...]  # (section name, its marker line as printed)
    entry_prefix: str  # contents line before the title, e.g. "- ▲ "
    entry_suffix: str  # between title and page number, e.g. " - " or " — "
    page_width: int  # "01" → 2
    headings: tuple[str, ...]  # heading markup seen before body titles: "", "# ", "## "
    between: tuple[str, ...]  # lines between the contents and the first article (免责声明)
    back: tuple[str, ...]  # lines after the last article (back cover)


@dataclass(frozen=True, slots=True)
class SampleArticle:
    """A real article of a sample, as raw lines around its heading."""

    origin: str  # article id in the sample, e.g. "2020-03-04"
    title: str  # the contents title as printed
    before: tuple[str, ...]  # letterhead lines above the heading (official documents)
    body: tuple[str, ...]  # the lines after the heading, to the article's last line


def learn_shapes(samples: Sequence[RawFile]) -> tuple[tuple[Shape, ...], tuple[SampleArticle, ...]]:
    """The shapes of the sample issues and the pool of their articles."""
    shapes: list[Shape] = []
    pool: list[SampleArticle] = []
    for raw in samples:
        issue = parse_issue(raw)
        if issue.toc is None or not issue.articles:
            continue
        shapes.append(_shape(raw, issue))
        text = {line.no: line.text for line in raw.lines}
        for article in issue.articles:
            pool.append(
                SampleArticle(
                    origin=article.id,
                    title=article.toc_title,
                    before=_lines(text, article.span.first, article.match.line - 1),
                    body=_lines(text, article.match.last + 1, article.span.last),
                )
            )
    return tuple(shapes), tuple(pool)


def _lines(text: dict[int, str], first: int, last: int) -> tuple[str, ...]:
    return tuple(text[no] for no in range(first, last + 1))


def _shape(raw: RawFile, issue: Issue) -> Shape:
    assert issue.toc is not None
    text = {line.no: line.text for line in raw.lines}
    toc = issue.toc
    first_section = min((s.line for s in toc.sections), default=toc.span.first + 1)
    entry = toc.entries[0]
    entry_line = text[entry.span.first]
    at = entry_line.index(entry.title)
    tail = entry_line[at + len(entry.title) :]
    page = _PAGE_AT_END.search(tail)
    articles = issue.articles
    headings = sorted(
        {_markup(text[a.match.line]) for a in articles if a.match.how == "fuzzy"}
    ) or [""]
    seen: dict[str, str] = {}
    for section in toc.sections:
        seen.setdefault(section.name, text[section.line])
    last_line = len(raw.lines)
    return Shape(
        path=raw.path,
        cover=_lines(text, 1, toc.span.first - 1),
        toc_head=_lines(text, toc.span.first, first_section - 1),
        sections=tuple(seen.items()),
        entry_prefix=entry_line[:at],
        entry_suffix=tail[: page.start()] if page else tail,
        page_width=len(page[1]) if page else 2,
        headings=tuple(headings),
        between=_lines(text, toc.span.last + 1, articles[0].span.first - 1),
        back=_lines(text, articles[-1].span.last + 1, last_line),
    )


def _markup(heading: str) -> str:
    found = _HEADING_MARKUP.match(heading)
    return found[1] if found else ""


# --- synthetic issues -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """What the parser must find for one synthetic article (the ground truth)."""

    section: str
    title: str  # the contents title
    page: int
    first: int  # raw line of the heading (or of the letterhead above it)
    last: int  # the article's last non-blank line
    misprint: bool = False  # the heading repeats the previous title (placed by order)


@dataclass(frozen=True, slots=True)
class SyntheticIssue:
    """One generated issue text and what it holds."""

    path: str  # "issues/1990-01.txt"
    text: str
    shape: str  # the sample it is shaped after
    expected: tuple[Expected, ...]


def month_of(index: int) -> tuple[int, int]:
    """Year and month of the index-th synthetic issue (0 → 1990-01)."""
    months = FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + index
    return months // 12, months % 12 + 1


def synthesize_archive(
    shapes: Sequence[Shape], pool: Sequence[SampleArticle], count: int, seed: int = 0
) -> tuple[SyntheticIssue, ...]:
    """`count` monthly issues from 1990-01 on; issue k depends only on (seed, k)."""
    return tuple(synthesize_issue(shapes, pool, index, seed) for index in range(count))


def synthesize_issue(
    shapes: Sequence[Shape], pool: Sequence[SampleArticle], index: int, seed: int = 0
) -> SyntheticIssue:
    """The index-th synthetic issue: a shape, its month and number, 35 varied articles."""
    rng = random.Random(f"tiantang-bench:{seed}:{index}")
    year, month = month_of(index)
    shape = shapes[rng.randrange(len(shapes))]
    bodies = _draw(rng, pool, ARTICLES_PER_ISSUE)
    # A title must not be printed elsewhere in the issue: not another body's own title, not a
    # line of a body (2025-07's 芯火大讲堂 article prints 浙江省半导体行业协会 as a line, the
    # title of the 芯伙伴 article).
    used = {article.title for article in bodies}
    used |= {_HEADING_MARKUP.sub("", line).strip() for a in bodies for line in a.body}
    bases = _draw(rng, [a for a in pool if a.title not in used] or pool, ARTICLES_PER_ISSUE)
    titles = _titles(rng, bases, year)
    sections = _assign_sections(rng, shape, len(bodies))
    misprint = rng.random() < _MISPRINT_ISSUE_SHARE and len(bodies) > 2

    out: list[str] = [_restamp(line, year, month, FIRST_NUMBER + index) for line in shape.cover]
    out += shape.toc_head
    # print pages rise by 0..5 from article to article; two short ones may share a page
    steps = [1] + [rng.choice((0, 1, 1, 2, 2, 3, 5)) for _ in bodies[1:]]
    pages = list(itertools.accumulate(steps))
    for section_index, (_name, marker) in enumerate(shape.sections):
        members = [i for i, s in enumerate(sections) if s == section_index]
        if not members:
            continue
        out += [marker, ""]
        out += [
            f"{shape.entry_prefix}{titles[i]}{shape.entry_suffix}{pages[i]:0{shape.page_width}d}"
            for i in members
        ]
        out.append("")
    out += shape.between

    # Articles in print order: sections in contents order, so the body follows the contents.
    order = sorted(range(len(bodies)), key=lambda i: (sections[i], i))
    misprinted = order[rng.randrange(1, len(order))] if misprint else None
    expected: list[Expected] = []
    previous_heading = ""
    for i in order:
        article = bodies[i]
        markup = rng.choice(shape.headings)
        # 2025-07 line 1489: the previous article's title printed again over this one
        heading = [previous_heading] if i == misprinted else _quirk(rng, titles[i], markup)
        original, replacement = _renamed(article.title, titles[i])
        out.append("")
        first = len(out) + 1
        out += [_rename(line, original, replacement) for line in article.before]
        out += heading
        out += [_rename(line, original, replacement) for line in article.body]
        last = _last_non_blank(out)
        section = shape.sections[sections[i]][0]
        expected.append(Expected(section, titles[i], pages[i], first, last, i == misprinted))
        previous_heading = heading[0]
    out += shape.back
    name = f"issues/{year:04d}-{month:02d}.txt"
    return SyntheticIssue(name, "\n".join(out) + "\n", shape.path, tuple(expected))


def _draw(rng: random.Random, pool: Sequence[SampleArticle], count: int) -> list[SampleArticle]:
    """`count` articles of `pool`, without repeats while the pool lasts."""
    drawn: list[SampleArticle] = []
    while len(drawn) < count:
        drawn += rng.sample(list(pool), min(len(pool), count - len(drawn)))
    return drawn


def _titles(rng: random.Random, bases: Sequence[SampleArticle], year: int) -> list[str]:
    """Contents titles varied from real ones, all different within the issue."""
    titles: list[str] = []
    for base in bases:
        title = _vary(rng, base.title, year)
        while title in titles:  # the same base drawn twice from a small pool
            title = f"{rng.choice(COMPANIES)}：{title}"
        titles.append(title)
    return titles


def _vary(rng: random.Random, title: str, year: int) -> str:
    """Another company in front, another amount, the issue's year."""
    named = _LEADING_NAME.match(title)
    if named:
        title = rng.choice(COMPANIES) + named[2] + title[named.end() :]
    elif mentioned := [company for company in COMPANIES if company in title]:
        title = title.replace(mentioned[0], rng.choice(COMPANIES))
    elif rng.random() < 0.6:  # "士兰微：…", the commonest form of a 芯企业 title
        title = f"{rng.choice(COMPANIES)}：{title}"
    title = _AMOUNT.sub(lambda _: str(rng.choice((3, 5, 8, 12, 20, 36, 50, 120, 400))), title, 1)
    return _YEAR.sub(str(year), title)


def _renamed(original_title: str, title: str) -> tuple[str, str]:
    """(name, new name) when the varied title put another company in front, else ("", "")."""
    before = _LEADING_NAME.match(original_title)
    after = _LEADING_NAME.match(title)
    if before and after and before[1] != after[1]:
        return before[1], after[1]
    return "", ""


def _rename(line: str, original: str, replacement: str) -> str:
    return line.replace(original, replacement) if original else line


def _assign_sections(rng: random.Random, shape: Shape, count: int) -> list[int]:
    """A section index per article: every section gets one, the rest at random."""
    sections = list(range(min(len(shape.sections), count)))
    sections += [rng.randrange(len(shape.sections)) for _ in range(count - len(sections))]
    rng.shuffle(sections)
    return sections


def _quirk(rng: random.Random, title: str, markup: str) -> list[str]:
    """The body heading of `title`: as printed in the contents, or with one real quirk."""
    kind = rng.choices(_QUIRKS, _QUIRK_WEIGHTS)[0]
    if kind == "space" and len(title) > 6:
        at = rng.randrange(3, len(title) - 2)
        return [f"{markup}{title[:at]} {title[at:]}"]
    if kind == "comma-space" and "，" in title:
        return [markup + title.replace("，", " ")]
    if kind == "split" and len(title) >= 12:
        cuts = [m.start() for m in _SPLIT_AT.finditer(title) if 4 <= m.start() <= len(title) - 4]
        if cuts:
            at = rng.choice(cuts)
            return [f"{markup}{title[:at]}", "", f"{markup}{title[at + 1 :]}"]
    if kind == "traditional":
        swapped = "".join(_TRADITIONAL.get(char, char) for char in title)
        return [markup + swapped]
    if kind == "half-width" and "：" in title:
        return [markup + title.replace("：", ": ", 1)]
    return [markup + title]


def _restamp(line: str, year: int, month: int, number: int) -> str:
    line = _COVER_MONTH.sub(f"{year:04d}/{month:02d}", line)
    return _COVER_NUMBER.sub(f"总第{number}期", line)


def _last_non_blank(lines: Sequence[str]) -> int:
    for no in range(len(lines), 0, -1):
        if lines[no - 1].strip():
            return no
    return 0


# --- checking the parser on them ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Accuracy:
    """How much of the synthetic archive the parser found as generated."""

    articles: int  # articles generated
    found: int  # parsed with the same contents title, section, page and first line
    exact: int  # found, and ending on the same last line
    misprints: int = 0  # articles under a misprinted heading (among `articles`)
    misprints_found: int = 0  # of those, found
    misses: tuple[str, ...] = ()  # "issues/1990-01.txt:973: title" of the first few not found


def measure_accuracy(
    synthetic: Sequence[SyntheticIssue], parsed: Sequence[Issue | None]
) -> Accuracy:
    """Compare each parsed issue with what was generated into it."""
    total = found = exact = misprints = misprints_found = 0
    misses: list[str] = []
    for issue, result in zip(synthetic, parsed, strict=True):
        got = {}
        if result is not None:
            got = {(a.toc_title, a.section, a.page, a.span.first): a for a in result.articles}
        for want in issue.expected:
            total += 1
            misprints += want.misprint
            article = got.get((want.title, want.section, want.page, want.first))
            if article is None:
                if len(misses) < 10:
                    misses.append(f"{issue.path}:{want.first}: {want.title}")
                continue
            found += 1
            misprints_found += want.misprint
            exact += article.span.last == want.last
    return Accuracy(total, found, exact, misprints, misprints_found, tuple(misses))


# --- the synthetic project on disk ----------------------------------------------------------

# What a project needs beside issues/ to build: the site config, the theme, the registry.
PROJECT_FILES = ("mkdocs.yml", "theme", "registry", "issues/documents")


def read_samples(root: Path) -> tuple[RawFile, ...]:
    """The sample issues the shapes are learnt from, as read.py reads them."""
    return tuple(read_raw(root, root / path) for path in SHAPE_SAMPLES if (root / path).is_file())


def write_project(source: Path, target: Path, issues: Sequence[SyntheticIssue]) -> None:
    """A project folder at `target` with `issues` and `source`'s config, theme and documents."""
    (target / "issues").mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, dirs_exist_ok=True)
        elif origin.is_file():
            shutil.copy2(origin, target / name)
    for issue in issues:
        (target / issue.path).write_text(issue.text, encoding="utf-8")


# --- one measured build in a child process --------------------------------------------------

# generator.build functions are timed by name; a stage is the first group whose word the name
# contains (entity and search stages are timed as soon as build.py calls them). Pages are
# written as they are rendered (`write_pages`): their writing counts in "pages".
STAGE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mkdocs", ("build_site_dir",)),
    ("write", ("write_docs",)),
    ("search", ("search", "token", "segment")),
    ("entities", ("entit", "mention", "registry")),
    ("parse", ("parse", "read_inputs", "cache")),
    ("pages", ("render", "page", "feed", "export", "plain_text")),
)


def stage_of(function: str) -> str:
    """The stage a generator.build function's time is counted in ("other" when none fits)."""
    for stage, words in STAGE_WORDS:
        if any(word in function for word in words):
            return stage
    return "other"


class _StageClock:
    """Self time per wrapped function: a nested wrapped call is counted once, in itself."""

    def __init__(self, keep: Collection[str] = ()) -> None:
        self.seconds: dict[str, float] = {}
        # the results of these functions only: keeping every one would keep the parsed archive
        # alive until the end, and the peak memory measured would be the benchmark's own
        self.keep = frozenset(keep)
        self.results: dict[str, object] = {}
        self._children: list[float] = []

    def wrap(self, name: str, function: Callable[..., object]) -> Callable[..., object]:
        @functools.wraps(function)
        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            self._children.append(0.0)
            try:
                result = function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                inner = self._children.pop()
                self.seconds[name] = self.seconds.get(name, 0.0) + elapsed - inner
                if self._children:
                    self._children[-1] += elapsed
            if name in self.keep:
                self.results[name] = result
            return result

        return timed


def _child_ours(root: Path, out: Path) -> None:
    """`tiantang build` of `root` with each generator.build function timed; a JSON report."""
    started = time.perf_counter()
    import generator.build as plan_module

    clock = _StageClock(keep=("open_cache", "write_pages", "write_docs"))
    for name, value in list(vars(plan_module).items()):
        module = getattr(value, "__module__", "") or ""
        if inspect.isfunction(value) and module.startswith("generator.") and name[0] != "_":
            setattr(plan_module, name, clock.wrap(name, value))
    imported = time.perf_counter()
    result = plan_module.build(root)
    finished = time.perf_counter()
    cache = clock.results.get("open_cache")
    written = clock.results.get("write_pages", clock.results.get("write_docs"))
    report = {
        "import_s": imported - started,
        "build_s": finished - imported,
        "functions": clock.seconds,
        "stages": _by_stage(clock.seconds),
        "recomputed": dict(getattr(cache, "misses", {})),
        "reused": dict(getattr(cache, "hits", {})),
        "docs_written": written[0] if isinstance(written, tuple) else None,
        "docs_removed": written[1] if isinstance(written, tuple) else None,
        "issues": result.issues,
        "articles": result.articles,
        "errors": sum(p.severity == "error" for p in result.problems),
        "warnings": sum(p.severity == "warning" for p in result.problems),
    }
    out.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")


def _by_stage(seconds: dict[str, float]) -> dict[str, float]:
    stages: dict[str, float] = {}
    for name, value in seconds.items():
        stage = stage_of(name)
        stages[stage] = stages.get(stage, 0.0) + value
    return stages


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _child_floor(docs: Path, config: Path, out: Path) -> None:
    """The floor: every docs/ page through Python-Markdown alone, with the site's extensions."""
    started = time.perf_counter()
    import markdown

    extensions, configs = markdown_extensions(config)
    converter = markdown.Markdown(extensions=extensions, extension_configs=configs)
    pages = sorted(docs.rglob("*.md"))
    target = Path(tempfile.mkdtemp(prefix="tiantang-floor-"))
    try:
        imported = time.perf_counter()
        written = 0
        for number, page in enumerate(pages):
            text = _FRONT_MATTER.sub("", page.read_text(encoding="utf-8"), count=1)
            html = converter.reset().convert(text)
            written += (target / f"{number}.html").write_text(html, encoding="utf-8")
        finished = time.perf_counter()
    finally:
        shutil.rmtree(target, ignore_errors=True)
    report = {
        "import_s": imported - started,
        "build_s": finished - imported,
        "pages": len(pages),
        "html_bytes": written,
    }
    out.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: `!!python/name:` and `!ENV` tags read as None, not executed."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config: Path) -> dict[str, object]:
    loaded = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return loaded if isinstance(loaded, dict) else {}


def markdown_extensions(config: Path) -> tuple[list[str], dict[str, dict[str, object]]]:
    """The `markdown_extensions` of an mkdocs.yml as Python-Markdown arguments."""
    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    listed = read_config(config).get("markdown_extensions") or []
    for item in listed if isinstance(listed, list) else []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, options in item.items():
                names.append(name)
                if isinstance(options, dict):
                    configs[name] = options
    return names, configs


def stock_material_config(project_config: Path, docs: Path, site: Path) -> str:
    """An mkdocs.yml for reference (b): stock Material, one-entry nav, its own search."""
    extensions = read_config(project_config).get("markdown_extensions") or []
    config = {
        "site_name": "天堂之芯",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh"},
        "nav": [{"天堂之芯": "index.md"}],
        "plugins": ["search"],
        "markdown_extensions": extensions,
    }
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


# --- running and watching a child -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Measured:
    """What one child process cost, seen from outside."""

    seconds: float  # wall time, interpreter start to exit
    peak_tree_mib: float  # largest sum of RSS over the process and its children (sampled)
    peak_process_mib: float  # largest RSS of any single process of the tree (exact, wait4)
    status: int


# Memory is sampled this often: reading a large process's PSS walks its page tables (~5 ms for
# 1 GB), and memory grows over seconds, not milliseconds.
SAMPLE_SECONDS = 0.1


def _tree_rss(pid: int) -> int:
    """Memory of `pid` and all its descendants, from /proc (0 when gone).

    Each process counts its proportional set size (PSS: a page shared by k processes counts
    1/k in each), so forked workers sharing their parent's pages are not counted twice, as
    summing resident sizes would; resident size where the kernel has no smaps_rollup.
    """
    total = 0
    pending = [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while pending:
        current = pending.pop()
        try:
            total += _process_memory(current, page)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as stream:
                    pending += [int(child) for child in stream.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def _process_memory(pid: int, page: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as stream:
            for line in stream:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    with open(f"/proc/{pid}/statm", "rb") as stream:
        return int(stream.read().split()[1]) * page


class ChildFailed(RuntimeError):
    """A measured command failed or ran out of time; the benchmark reports it and goes on."""

    def __init__(self, message: str, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


def run_measured(command: Sequence[str], timeout: float | None = None) -> Measured:
    """Run `command`, sampling its process tree's memory every `SAMPLE_SECONDS`.

    Raises ChildFailed when it exits non-zero or takes longer than `timeout` seconds (its whole
    process group is then killed).
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    peak = 0
    sampling = True
    timed_out = False

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(SAMPLE_SECONDS)

    def stop() -> None:
        nonlocal timed_out
        timed_out = True
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    alarm = threading.Timer(timeout, stop) if timeout else None
    if alarm:
        alarm.start()
    assert process.stdout is not None
    output = process.stdout.read()  # drained so a chatty child never blocks on a full pipe
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if alarm:
        alarm.cancel()
    sampling = False
    watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if timed_out or process.returncode != 0:
        why = f"took more than {timeout:.0f} s" if timed_out else f"exit {process.returncode}"
        tail = output.decode(errors="replace")[-2000:]
        raise ChildFailed(f"{' '.join(command)}: {why}\n{tail}", timed_out)
    # ru_maxrss is in KiB on Linux; it covers the child and the descendants it waited for
    return Measured(seconds, peak / 2**20, usage.ru_maxrss / 1024, process.returncode)


@dataclass(frozen=True, slots=True)
class SiteSize:
    """What a built site weighs."""

    files: int
    bytes: int
    html_pages: int
    html_bytes: int
    html_median: int  # bytes of the median page
    article_median: int  # bytes of the median article page (issues/YYYY-MM/NN/index.html)
    search_bytes: int  # search/ (Material's index, or our shards)


def measure_site(site: Path) -> SiteSize:
    files = size = search = 0
    pages: list[int] = []
    articles: list[int] = []
    for folder, _, names in os.walk(site):
        parts = os.path.relpath(folder, site).split(os.sep)
        for name in names:
            length = os.path.getsize(os.path.join(folder, name))
            files += 1
            size += length
            if name.endswith(".html"):
                pages.append(length)
                if len(parts) == 3 and parts[0] == "issues" and parts[2].isdigit():
                    articles.append(length)
            if parts[0] == "search":
                search += length
    return SiteSize(
        files, size, len(pages), sum(pages), _median_int(pages), _median_int(articles), search
    )


def _median_int(values: Sequence[int]) -> int:
    return int(statistics.median(values)) if values else 0


def _python() -> list[str]:
    return [sys.executable, "-m", "generator.bench"]


def measure_ours(
    root: Path, scratch: Path, cold: bool, timeout: float | None = None
) -> dict[str, object]:
    """Our build of `root` (cold: without docs/, site/ and .cache/), timed stage by stage."""
    if cold:
        for name in ("docs", "site", ".cache"):
            shutil.rmtree(root / name, ignore_errors=True)
    report = scratch / "ours.json"
    measured = run_measured([*_python(), "ours", str(root), str(report)], timeout)
    inside = json.loads(report.read_text(encoding="utf-8"))
    site = measure_site(root / "site")
    return {**inside, **_measured(measured), "site": _site(site)}


def measure_floor(root: Path, scratch: Path, timeout: float | None = None) -> dict[str, object]:
    """Reference (a): Python-Markdown alone over our docs/, in one process."""
    report = scratch / "floor.json"
    command = [*_python(), "floor", str(root / "docs"), str(root / "mkdocs.yml"), str(report)]
    measured = run_measured(command, timeout)
    return {**json.loads(report.read_text(encoding="utf-8")), **_measured(measured)}


def measure_material(root: Path, scratch: Path, timeout: float | None = None) -> dict[str, object]:
    """Reference (b): stock Material over our docs/, one-entry nav, built-in search."""
    site = scratch / "material-site"
    shutil.rmtree(site, ignore_errors=True)
    config = scratch / "material.yml"
    config.write_text(
        stock_material_config(root / "mkdocs.yml", root / "docs", site), encoding="utf-8"
    )
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    try:
        measured = run_measured(command, timeout)
    finally:
        size = measure_site(site)
        shutil.rmtree(site, ignore_errors=True)
    return {**_measured(measured), "site": _site(size)}


def _measured(measured: Measured) -> dict[str, float]:
    return {
        "seconds": round(measured.seconds, 3),
        "peak_tree_mib": round(measured.peak_tree_mib, 1),
        "peak_process_mib": round(measured.peak_process_mib, 1),
    }


def _site(size: SiteSize) -> dict[str, int]:
    return {
        "files": size.files,
        "bytes": size.bytes,
        "html_pages": size.html_pages,
        "html_bytes": size.html_bytes,
        "html_median": size.html_median,
        "article_median": size.article_median,
        "search_bytes": size.search_bytes,
    }


# --- the benchmark --------------------------------------------------------------------------

DEFAULT_SIZES = (10, 100, 400)
LONG_ISSUES = 200  # from this size on, one run of each measurement (the issue allows it)
CHILD_TIMEOUT = 1500.0  # seconds; a build slower than this is reported, not waited for
BUDGET = 1740.0  # seconds for the whole benchmark: `make bench` stays under 30 minutes
# The goals of issue 8, as ratios measured in one run.
GOAL_FLOOR_RATIO = 5.0
GOAL_EXPONENT = 1.05
GOAL_PEAK_MIB = 1024.0
GOAL_HTML_SPREAD = 1.10  # HTML bytes per page may vary by 10 % between sizes


def run_benchmark(
    source: Path,
    sizes: Sequence[int] = DEFAULT_SIZES,
    runs: int = 3,
    seed: int = 0,
    work: Path | None = None,
    echo: Callable[[str], None] = print,
    timeout: float = CHILD_TIMEOUT,
    budget: float = BUDGET,
) -> dict[str, object]:
    """Every measurement of the benchmark, as a JSON-ready dict (see `render_table`).

    A measurement still running when `budget` seconds have passed since the start is stopped
    and reported, and the rest skipped: a build gone quadratic cannot hold CI for hours.
    """
    clock = _Budget(time.monotonic() + budget, timeout)
    shapes, pool = learn_shapes(read_samples(source))
    if not shapes:
        raise ValueError(f"no sample issues under {source}: need one of {SHAPE_SAMPLES}")
    scratch_root = Path(tempfile.mkdtemp(prefix="tiantang-bench-", dir=work))
    results = []
    try:
        for count in sizes:
            result = _benchmark_size(
                source, shapes, pool, count, runs, seed, scratch_root, echo, clock
            )
            results.append(result)
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)
    return {
        "schema": 1,
        "date": time.strftime("%Y-%m-%d"),
        "machine": _machine(),
        "seed": seed,
        "articles_per_issue": ARTICLES_PER_ISSUE,
        "sizes": results,
        "summary": summarize(results),
    }


def _benchmark_size(
    source: Path,
    shapes: Sequence[Shape],
    pool: Sequence[SampleArticle],
    count: int,
    runs: int,
    seed: int,
    scratch_root: Path,
    echo: Callable[[str], None],
    clock: _Budget,
) -> dict[str, object]:
    root = scratch_root / f"n{count}"
    scratch = scratch_root / f"n{count}-reports"
    scratch.mkdir(parents=True)
    synthetic = synthesize_archive(shapes, pool, count, seed)
    write_project(source, root, synthetic)
    repeats = 1 if count >= LONG_ISSUES else runs
    echo(f"N={count}: {count} issues × {ARTICLES_PER_ISSUE} articles, {repeats} run(s)")
    ours: list[dict[str, object]] = []
    floor: list[dict[str, object]] = []
    material: list[dict[str, object]] = []
    failures: list[str] = []
    for run in range(1, repeats + 1):
        # interleaved, so a slow moment of the machine hits all three alike
        for name, measure, into in (
            ("ours", lambda t: measure_ours(root, scratch, cold=True, timeout=t), ours),
            ("floor", lambda t: measure_floor(root, scratch, t), floor),
            ("material", lambda t: measure_material(root, scratch, t), material),
        ):
            if name != "ours" and not (root / "docs").is_dir():
                continue  # our build failed: there are no pages to compare on
            if clock.left() <= 0:
                failures.append(f"{name}: skipped, the time budget is spent")
                continue
            try:
                into.append(measure(clock.left()))
            except ChildFailed as failure:
                failures.append(f"{name}: {failure}")
                echo(f"  run {run}: {name} FAILED: {str(failure).splitlines()[0]}")
                continue
            echo(f"  run {run}: {name} {into[-1]['seconds']:.1f} s")
    accuracy = _accuracy_from_cache(root, synthetic) if ours else None
    pages = sum(1 for _ in (root / "docs").rglob("*.md")) if (root / "docs").is_dir() else 0
    rebuild = None
    if ours and clock.left() > 0:
        added = synthesize_issue(shapes, pool, count, seed)
        (root / added.path).write_text(added.text, encoding="utf-8")
        try:
            rebuild = measure_ours(root, scratch, cold=False, timeout=clock.left())
            echo(
                f"  +1 issue: {rebuild['seconds']:.1f} s, recomputed {rebuild['recomputed']},"
                f" {rebuild['docs_written']} pages rewritten"
            )
        except ChildFailed as failure:
            failures.append(f"rebuild: {failure}")
    shutil.rmtree(root, ignore_errors=True)
    return {
        "issues": count,
        "pages": pages,
        "runs": repeats,
        "accuracy": accuracy,
        "ours": ours,
        "floor": floor,
        "material": material,
        "rebuild": rebuild,
        "failures": failures,
    }


@dataclass(frozen=True, slots=True)
class _Budget:
    deadline: float  # time.monotonic() when the benchmark must end
    cap: float  # seconds one measurement may take at most

    def left(self) -> float:
        """Seconds the next measurement may take; 0 when the budget is spent."""
        return max(0.0, min(self.cap, self.deadline - time.monotonic()))


def _accuracy_from_cache(root: Path, synthetic: Sequence[SyntheticIssue]) -> dict[str, object]:
    """The parser's results for the synthetic issues (from the build's cache) against the truth."""
    from generator.build import parse_inputs
    from generator.cache import open_cache
    from generator.read import read_inputs

    issues = parse_inputs(read_inputs(root), cache=open_cache(root)).issues
    by_path = {issue.path: issue for issue in issues}
    accuracy = measure_accuracy(synthetic, [by_path.get(s.path) for s in synthetic])
    return {
        "articles": accuracy.articles,
        "found": accuracy.found,
        "exact": accuracy.exact,
        "misprints": accuracy.misprints,
        "misprints_found": accuracy.misprints_found,
        "misses": list(accuracy.misses),
    }


def _machine() -> dict[str, object]:
    import markdown
    import material
    import mkdocs

    return {
        "cpus": os.cpu_count(),
        # other work on the machine skews every figure: the 1-minute load when the report is made
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": _cpu_name(),
        "mkdocs": mkdocs.__version__,
        "material": getattr(material, "__version__", "?"),
        "markdown": markdown.__version__,
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _median(runs: Sequence[dict[str, object]], *path: str) -> float | None:
    values = []
    for run in runs:
        value: object = run
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int | float):
            values.append(float(value))
    return statistics.median(values) if values else None


def fit_exponent(points: Sequence[tuple[float, float]]) -> float | None:
    """b of the least-squares line log y = a + b log x: 1 is linear growth, 2 quadratic."""
    usable = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(usable) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in usable)
    mean_y = statistics.fmean(y for _, y in usable)
    spread = sum((x - mean_x) ** 2 for x, _ in usable)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in usable) / spread


def summarize(results: Sequence[dict[str, object]]) -> dict[str, object]:
    """Medians per size, the ratios to both references, the growth exponents, the goals."""
    rows = []
    for result in results:
        ours, floor, material = result["ours"], result["floor"], result["material"]
        assert isinstance(ours, list) and isinstance(floor, list) and isinstance(material, list)
        stages = {}
        for run in ours:
            for stage in run.get("stages", {}):
                stages[stage] = _median(ours, "stages", stage)
        total = _median(ours, "seconds")
        html_pages = _median(ours, "site", "html_pages")
        html_bytes = _median(ours, "site", "html_bytes")
        row = {
            "issues": result["issues"],
            "pages": result["pages"],
            "stages": stages,
            "total": total,
            "peak_tree_mib": max((r["peak_tree_mib"] for r in ours), default=None),
            "site_bytes": _median(ours, "site", "bytes"),
            "search_bytes": _median(ours, "site", "search_bytes"),
            "html_bytes_per_page": html_bytes / html_pages if html_bytes and html_pages else None,
            "html_median": _median(ours, "site", "html_median"),
            "article_median": _median(ours, "site", "article_median"),
            "floor": _median(floor, "seconds"),
            "material": _median(material, "seconds"),
            "material_peak_tree_mib": max((r["peak_tree_mib"] for r in material), default=None),
            "material_site_bytes": _median(material, "site", "bytes"),
        }
        row["vs_floor"] = _ratio(total, row["floor"])
        row["vs_material"] = _ratio(total, row["material"])
        rebuild = result.get("rebuild")
        if isinstance(rebuild, dict):
            row["rebuild"] = {
                "seconds": rebuild["seconds"],
                "recomputed": rebuild["recomputed"],
                "reused": rebuild["reused"],
                "docs_written": rebuild["docs_written"],
                "stages": rebuild["stages"],
            }
        accuracy = result.get("accuracy")
        if isinstance(accuracy, dict):
            row["accuracy"] = accuracy
        row["failures"] = [str(f).splitlines()[0] for f in result.get("failures") or []]
        rows.append(row)

    def exponent(key: str) -> float | None:
        return fit_exponent([(r["pages"], r[key]) for r in rows if r.get(key)])

    exponents = {"ours": exponent("total"), "floor": exponent("floor")}
    exponents["material"] = exponent("material")
    measured = [r for r in rows if r["total"]]
    largest = measured[-1] if measured else {}
    # an article page must not grow with the archive; the mean page does, with the timelines
    # of the company and section pages (lists of the archive's articles by design), and the
    # median page moves with the mix of page kinds between small archives
    per_page = [r["article_median"] for r in rows if r.get("article_median")]
    spread = max(per_page) / min(per_page) if per_page else None
    rebuild = largest.get("rebuild", {})
    goals = {
        "total ≤ 5× floor at the largest N": _at_most(largest.get("vs_floor"), GOAL_FLOOR_RATIO),
        "never slower than stock Material": _at_most(
            max((r["vs_material"] for r in rows if r["vs_material"]), default=None), 1.0
        ),
        "growth exponent ≤ 1.05": _at_most(exponents["ours"], GOAL_EXPONENT),
        "HTML bytes per article page independent of N": _at_most(spread, GOAL_HTML_SPREAD),
        "+1 issue re-parses one issue": rebuild.get("recomputed", {}).get("issue") == 1
        if rebuild
        else None,
        "peak memory ≤ 1 GiB": _at_most(largest.get("peak_tree_mib"), GOAL_PEAK_MIB),
    }
    return {
        "rows": rows,
        "exponents": exponents,
        "html_bytes_spread": spread,
        "goals": goals,
    }


def _ratio(value: float | None, reference: float | None) -> float | None:
    return value / reference if value and reference else None


def _at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


# --- the report -----------------------------------------------------------------------------

_STAGE_ORDER = ("parse", "entities", "search", "pages", "write", "mkdocs", "other")


def render_table(report: dict[str, object], markdown: bool = False) -> str:
    """The benchmark as a table (plain text for the terminal, or Markdown for the README)."""
    summary = report["summary"]
    assert isinstance(summary, dict)
    rows: list[dict[str, object]] = summary["rows"]
    stages = [s for s in _STAGE_ORDER if any(s in r["stages"] for r in rows)]
    header = [
        "N",
        "pages",
        *stages,
        "total",
        "peak MiB",
        "site MB",
        "HTML B/article (page mean)",
        "floor (a)",
        "Material (b)",
        "× floor",
        "× (b)",
    ]
    body = []
    for row in rows:
        body.append(
            [
                str(row["issues"]),
                f"{row['pages']:,}",
                *(_seconds(row["stages"].get(stage)) for stage in stages),
                _seconds(row["total"]),
                _number(row["peak_tree_mib"], "{:,.0f}"),
                _number(_mb(row["site_bytes"]), "{:,.0f}"),
                _number(row.get("article_median"), "{:,.0f}")
                + (_number(row["html_bytes_per_page"], " ({:,.0f})") if row["total"] else ""),
                _seconds(row["floor"]),
                _seconds(row["material"]),
                _number(row["vs_floor"], "{:.1f}×"),
                _number(row["vs_material"], "{:.2f}×"),
            ]
        )
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
    else:
        widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
        lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(lines) + "\n"


def render_notes(report: dict[str, object]) -> str:
    """Exponents, the +1 rebuild, parser accuracy and the goals, one line each."""
    summary = report["summary"]
    assert isinstance(summary, dict)
    rows: list[dict[str, object]] = summary["rows"]
    exponents = summary["exponents"]
    span = f"N={rows[0]['issues']}..{rows[-1]['issues']}" if rows else ""
    machine = report.get("machine")
    lines = []
    if isinstance(machine, dict):
        lines.append(
            f"{report.get('date')} · {machine['cpus']} CPUs ({machine['processor']}) · Python"
            f" {machine['python']} · mkdocs {machine['mkdocs']} · Material {machine['material']}"
            f" · load average {machine.get('load_average', '?')} at the end"
        )
    lines += [
        f"growth exponent (log-log fit of total time vs pages, {span}): "
        + " · ".join(f"{name} {_number(value, '{:.2f}')}" for name, value in exponents.items())
    ]
    for row in rows:
        accuracy = row.get("accuracy")
        if isinstance(accuracy, dict) and accuracy["articles"]:
            share = accuracy["found"] / accuracy["articles"]
            lines.append(
                f"N={row['issues']}: parser found {accuracy['found']:,}/{accuracy['articles']:,}"
                f" synthetic articles ({share:.2%}), {accuracy['exact']:,} with exact extents,"
                f" {accuracy['misprints_found']}/{accuracy['misprints']} under misprinted headings"
                + (f"; first miss {accuracy['misses'][0]}" if accuracy["misses"] else "")
            )
        lines += [f"N={row['issues']}: {failure}" for failure in row.get("failures", [])]
        rebuild = row.get("rebuild")
        if isinstance(rebuild, dict):
            recomputed = ", ".join(f"{n} {k}" for k, n in sorted(rebuild["recomputed"].items()))
            reused = sum(rebuild["reused"].values())
            lines.append(
                f"N={row['issues']} + 1 issue: {rebuild['seconds']:.1f} s; recomputed"
                f" {recomputed or 'nothing'} ({reused} from .cache/);"
                f" {rebuild['docs_written']} docs/ files rewritten"
            )
    goals = summary["goals"]
    assert isinstance(goals, dict)
    for goal, met in goals.items():
        mark = "met" if met else "NOT MET" if met is False else "not measured"
        lines.append(f"goal: {goal}: {mark}")
    return "\n".join(lines) + "\n"


def _seconds(value: object) -> str:
    return _number(value, "{:.1f} s" if isinstance(value, float) and value >= 10 else "{:.2f} s")


def _number(value: object, form: str) -> str:
    return form.format(value) if isinstance(value, int | float) else "–"


def _mb(value: object) -> float | None:
    return value / 1e6 if isinstance(value, int | float) else None


def child_main(argv: Sequence[str]) -> None:
    """`python -m generator.bench ours ROOT OUT` / `floor DOCS CONFIG OUT`: one measurement."""
    if argv[0] == "ours":
        _child_ours(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "floor":
        _child_floor(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    else:
        raise SystemExit(f"unknown measurement {argv[0]!r}")


if __name__ == "__main__":
    child_main(sys.argv[1:])
