"""Whole builds with bad input beside the real samples: one message per trouble, no traceback,
every other file still published, exit statuses as the CI workflow needs them; a failed build
leaves site/ as it was; two builds of the same input are byte-identical.

Decoding itself (encodings, byte offsets, 40 MB, sidecar line:column) is tested in test_read.py;
here the same troubles go through the whole command. All bad inputs share one project, built
once: each has a month (or name) of its own, so their messages do not mix.
"""

from __future__ import annotations

import calendar
import gzip
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def small_issue(
    year: int, month: int, titles: list[str], bodies: list[str] | None = None, toc: bool = True
) -> str:
    """A short issue as the exports print one: cover, contents, one paragraph per article."""
    out = ["天堂之芯", "", f"{year}/{month:02d}", "", "总第400期", ""]
    if toc:
        out += ["目录", "", "芯企业 ENTERPRISE", ""]
        out += [f"- ▲ {title} - {n:02d}" for n, title in enumerate(titles, start=1)]
        out += [""]
    for title in bodies if bodies is not None else titles:
        out += [title, "", f"{title}的正文第一段。", ""]
    return "\n".join(out) + "\n"


LONG_PARAGRAPH = "芯片产业链协同发展，" * 2_000  # 20,000 characters on one line
CLEAN = small_issue(2024, 6, ["士兰微发布新品", "国芯入选名单"])


@dataclass(frozen=True)
class Case:
    """A bad input: the files it adds, the problems it must give, the pages that must exist."""

    id: str
    files: dict[str, bytes]
    problems: tuple[tuple[str, int | None, str, str], ...]  # (path, line, severity, code)
    pages: tuple[str, ...] = ()  # site/ pages this case's own files still give
    absent: tuple[str, ...] = ()  # site/ folders it must not give


CASES = (
    Case(
        "empty-file",
        {"issues/2024-01.txt": b""},
        (("issues/2024-01.txt", None, "error", "empty-file"),),
        absent=("issues/2024-01",),
    ),
    Case(
        "pdf-named-txt",
        {"issues/2025-09.txt": PDF},
        (("issues/2025-09.txt", None, "error", "binary-file"),),
        absent=("issues/2025-09",),
    ),
    Case(
        "png-named-txt",
        {"issues/2025-10.txt": PNG},
        (("issues/2025-10.txt", None, "error", "binary-file"),),
        absent=("issues/2025-10",),
    ),
    Case(
        "pdf-as-document",
        {"issues/documents/scan.txt": PDF},
        (("issues/documents/scan.txt", None, "error", "binary-file"),),
        absent=("documents/scan",),
    ),
    Case(
        "documents-with-one-address",
        # 芯片 and 心片 are both xin-pian: the second by file name is left out.
        {
            "issues/documents/心片.txt": "关于心片的通知\n\n一、总则\n\n正文。\n".encode(),
            "issues/documents/芯片.txt": "关于芯片的通知\n\n一、总则\n\n正文。\n".encode(),
        },
        (("issues/documents/芯片.txt", None, "error", "duplicate-url"),),
        pages=("documents/xin-pian",),
    ),
    Case(
        "undecodable",
        # Line 4 holds the bad byte, in UTF-8 that is valid around it.
        {"issues/2024-02.txt": "天堂之芯\n\n2024/02 月刊\n集成电路产业月刊".encode() + b"\xff\n"},
        (("issues/2024-02.txt", 4, "error", "undecodable"),),
        absent=("issues/2024-02",),
    ),
    Case(
        "no-toc",
        {"issues/2024-03.txt": small_issue(2024, 3, ["宇视科技获奖"], toc=False).encode()},
        (("issues/2024-03.txt", 1, "error", "toc-missing"),),
        pages=("issues/2024-03",),  # the issue page, with no articles
    ),
    Case(
        "toc-not-in-body",
        {
            "issues/2024-04.txt": small_issue(
                2024,
                4,
                ["士兰微发布新品", "国芯入选名单"],
                ["士兰微发布新品", "完全不同的另一件事"],
            ).encode()
        },
        (("issues/2024-04.txt", 12, "error", "toc-unmatched"),),
        pages=("issues/2024-04", "issues/2024-04/01"),
        absent=("issues/2024-04/02",),
    ),
    Case(
        "toc-without-entries",
        {
            "issues/2024-10.txt": "天堂之芯\n\n2024/10\n\n目录\n\n芯企业 ENTERPRISE\n\n正文一段。\n".encode()
        },
        (("issues/2024-10.txt", 5, "error", "toc-empty"),),
        pages=("issues/2024-10",),
    ),
    Case(
        # The newest issue, so the home page shows it as the latest: with no article at all.
        "no-article-found",
        {
            "issues/2026-01.txt": small_issue(
                2026, 1, ["士兰微发布新品", "国芯入选名单"], ["另一件事", "再一件事"]
            ).encode()
        },
        (
            ("issues/2026-01.txt", 11, "error", "toc-unmatched"),
            ("issues/2026-01.txt", 12, "error", "toc-unmatched"),
        ),
        pages=("issues/2026-01",),
        absent=("issues/2026-01/01",),
    ),
    Case(
        "same-month",
        # A copy of 2020-03 saved under the next month: its cover still prints 2020/03.
        {"issues/2020-04.txt": (ROOT / "issues/2020-03.txt").read_bytes()},
        (
            ("issues/2020-04.txt", 10, "warning", "date-mismatch"),
            ("issues/2020-04.txt", 10, "error", "duplicate-month"),
        ),
        absent=("issues/2020-04",),
    ),
    Case(
        "month-not-zero-padded",
        {"issues/2025-7.txt": (ROOT / "issues/2025-07.txt").read_bytes()},
        (("issues/2025-7.txt", None, "error", "bad-file-name"),),
    ),
    Case(
        "name-not-a-month",
        {"issues/天堂之芯 8月.txt": small_issue(2024, 9, ["士兰微发布新品"]).encode()},
        (("issues/天堂之芯 8月.txt", None, "error", "bad-file-name"),),
    ),
    Case(
        "sidecar-yaml",
        {
            "issues/2024-06.txt": CLEAN.encode(),
            "issues/2024-06.yml": b"number: [400,\nyear 2024\n",
        },
        (("issues/2024-06.yml", 2, "error", "yaml-syntax"),),
        pages=("issues/2024-06", "issues/2024-06/01", "issues/2024-06/02"),
    ),
    Case(
        "long-line",
        {
            "issues/2024-07.txt": small_issue(2024, 7, ["士兰微发布新品"])
            .replace("士兰微发布新品的正文第一段。", LONG_PARAGRAPH)
            .encode()
        },
        (("issues/2024-07.txt", 15, "warning", "long-line"),),
        pages=("issues/2024-07/01",),
    ),
    Case(
        "invisible-characters-in-titles",
        {
            "issues/2024-08.txt": small_issue(
                2024, 8, ["宇视\u200b科技获奖", "国芯\x07入选名单", "芯片\x00\x1b测试\u2060结果"]
            ).encode()
        },
        (
            ("issues/2024-08.txt", 11, "warning", "zero-width-characters"),
            ("issues/2024-08.txt", 12, "warning", "control-characters"),
            ("issues/2024-08.txt", 13, "warning", "control-characters"),
        ),
        pages=("issues/2024-08/01", "issues/2024-08/02", "issues/2024-08/03"),
    ),
)

SAMPLE_PAGES = (
    *(f"issues/{issue_id}" for issue_id in SAMPLES),
    *(f"issues/{issue_id}/01" for issue_id in SAMPLES),
    "documents/shanxi-semiconductor-2020-action-plan",
)

_PROBLEM_LINE = re.compile(
    r"^(?P<path>[^:]+)(?::(?P<line>\d+)(?::\d+)?)?: (?P<sev>error|warning)\[(?P<code>[a-z0-9-]+)\]: .+ — .+$"
)


def make_project(folder: Path, cases: tuple[Case, ...] = CASES) -> Path:
    """The real samples, theme and config, with every case's files added."""
    for name in ("issues", "theme"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for case in cases:
        for relative, data in case.files.items():
            (folder / relative).write_bytes(data)
    return folder


@dataclass(frozen=True)
class Built:
    root: Path
    result: Result  # `tiantang build`
    plan: object  # generator.build.Plan of the same inputs, for the per-file commands


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The project with every bad input, built once with `tiantang build` (no --strict)."""
    from generator import build as build_module

    root = make_project(tmp_path_factory.mktemp("bad-inputs"))
    plans: list[object] = []
    real_plan = build_module.plan

    def recording_plan(*args: object, **kwargs: object) -> object:
        plans.append(real_plan(*args, **kwargs))  # type: ignore[arg-type]
        return plans[-1]

    mp = pytest.MonkeyPatch()
    mp.setattr(build_module, "plan", recording_plan)
    try:
        result = CliRunner().invoke(main, ["build", "--root", str(root)])
    finally:
        mp.undo()
    return Built(root, result, plans[0] if plans else None)


def problem_lines(output: str) -> list[re.Match[str]]:
    return [m for m in map(_PROBLEM_LINE.match, output.splitlines()) if m]


def test_build_exits_0_without_a_traceback(built: Built) -> None:
    assert built.result.exception is None or isinstance(built.result.exception, SystemExit)
    assert "Traceback" not in built.result.output
    assert built.result.exit_code == 0, built.result.output


def test_every_line_of_the_report_is_a_problem_or_the_summary(built: Built) -> None:
    lines = [line for line in built.result.output.splitlines() if line.strip()]
    rest = [line for line in lines if not _PROBLEM_LINE.match(line)]
    # jieba (Material's Chinese search) announces its dictionary; nothing else is free text.
    rest = [
        line for line in rest if not re.match(r"(Building prefix|Loading model|Prefix dict)", line)
    ]
    assert len(rest) == 2, rest
    assert re.fullmatch(
        r"\d+ issues · \d+ articles · \d+ documents · \d+ warnings · \d+ errors", rest[0]
    )
    assert rest[1].startswith("site written to ")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_gives_file_line_message(built: Built, case: Case) -> None:
    found = {
        (m["path"], int(m["line"]) if m["line"] else None, m["sev"], m["code"])
        for m in problem_lines(built.result.output)
    }
    for expected in case.problems:
        assert expected in found, (expected, sorted(p for p in found if p[0] == expected[0]))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_leaves_the_rest_built(built: Built, case: Case) -> None:
    site = built.root / "site"
    for url in (*SAMPLE_PAGES, *case.pages):
        assert (site / url / "index.html").is_file(), url
    for url in case.absent:
        assert not (site / url).exists(), url


def test_duplicate_month_message(built: Built) -> None:
    assert (
        "issues/2020-04.txt:10: error[duplicate-month]: the issue is dated 2020/03 (line 10), the"
        " month of issues/2020-03.txt; it is left out of the site — if it is another month's"
        " issue, name the file for that month or set year: and month: in its .yml sidecar;"
        " if it is a copy, delete it"
    ) in built.result.output.splitlines()


def test_long_line_and_invisible_characters_reach_the_page(built: Built) -> None:
    long_page = (built.root / "site/issues/2024-07/01/index.html").read_text("utf-8")
    assert LONG_PARAGRAPH in long_page
    titled = (built.root / "site/issues/2024-08/01/index.html").read_text("utf-8")
    assert "宇视\u200b科技获奖" in titled  # the text is untouched; the warning says where


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_exit_statuses(built: Built, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check FILE` fails on errors (on warnings too with --strict); `build` only with --strict."""
    from generator import build as build_module

    assert built.plan is not None
    # The same inputs, already parsed: the commands' filtering and exit status are under test.
    monkeypatch.setattr(build_module, "plan", lambda *args, **kwargs: built.plan)
    paths = sorted(case.files)
    errors = any(severity == "error" for _, _, severity, _ in case.problems)
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--root", str(built.root), *paths])
    strict = runner.invoke(main, ["check", "--strict", "--root", str(built.root), *paths])
    assert (check.exit_code, strict.exit_code) == (1 if errors else 0, 1), check.output
    for result in (check, strict):
        assert "Traceback" not in result.output
        assert {m["path"] for m in problem_lines(result.output)} <= set(paths)

    def only_this_case(*args: object, **kwargs: object) -> object:
        from generator.build import Built

        problems = tuple(p for p in built.plan.problems if p.path in paths)  # type: ignore[attr-defined]
        return Built(problems, issues=0, articles=0, summary="")

    monkeypatch.setattr(build_module, "build", only_this_case)
    assert runner.invoke(main, ["build", "--root", str(built.root)]).exit_code == 0
    assert runner.invoke(main, ["build", "--strict", "--root", str(built.root)]).exit_code == 1


def test_check_in_a_real_process(built: Built) -> None:
    """The installed command, not the test runner: no traceback, file:line messages, status 1."""
    command = Path(sys.executable).parent / "tiantang"
    if not command.exists():
        pytest.skip(f"the console script is not installed beside {sys.executable}")
    run = subprocess.run(
        [str(command), "check", "--root", str(built.root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "issues/2024-02.txt:4:9: error[undecodable]: byte 0xFF at offset" in run.stderr


def test_a_crash_on_one_file_costs_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import build as build_module

    real = build_module.parse_issue

    def crashing(raw, overrides=None):  # type: ignore[no-untyped-def]
        if raw.path == "issues/2024-06.txt":
            raise RuntimeError("boom")
        return real(raw, overrides)

    monkeypatch.setattr(build_module, "parse_issue", crashing)
    root = tmp_path / "p"
    (root / "issues").mkdir(parents=True)
    (root / "issues/2024-06.txt").write_text(CLEAN, encoding="utf-8")
    (root / "issues/2024-07.txt").write_text(small_issue(2024, 7, ["芯片测试"]), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "issues/2024-06.txt: error[internal-error]: the generator failed on this file"
        " (RuntimeError: boom) — report it with the file attached; run with --debug for the"
        " traceback"
    ) in result.output
    assert "issues/2024-07.txt: 2024-07 · 总第400期 · 1 article" in result.output


# --- atomic output --------------------------------------------------------------------------


def site_digest(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("where", ["pages", "mkdocs"])
def test_a_failed_build_leaves_the_previous_site(
    built: Built, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import build as build_module
    from generator import write as write_module

    site = built.root / "site"
    before = site_digest(site)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure")

    if where == "pages":
        monkeypatch.setattr(build_module, "listing_pages", broken)
    else:
        import mkdocs.commands.build

        monkeypatch.setattr(mkdocs.commands.build, "build", broken)
    result = CliRunner().invoke(main, ["build", "--root", str(built.root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "site: error[build-failed]: the site could not be built (RuntimeError: simulated"
        " failure); site/ is left as it was — run the command again with --debug for the"
        " traceback, and report it"
    ) in result.output.splitlines()
    assert site_digest(site) == before
    # No staging folder is left beside site/.
    assert sorted(p.name for p in built.root.iterdir() if p.name.startswith(".site")) == []
    assert write_module  # the staging and swap are write.build_site_dir's


def test_debug_shows_the_traceback(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import build as build_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(build_module, "listing_pages", broken)
    result = CliRunner().invoke(main, ["build", "--debug", "--root", str(built.root)])
    assert isinstance(result.exception, RuntimeError)


# --- deterministic output -------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_builds(
    tmp_path_factory: pytest.TempPathFactory, built_site: Path
) -> Iterator[tuple[Path, Path]]:
    """The samples built by the session fixture, and again in another folder seconds later."""
    import os

    from generator.build import build

    # CI might set SOURCE_DATE_EPOCH; the build must be reproducible without it.
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        # The first build's own inputs: the working tree may change between the two copies.
        first = built_site.parent
        other = tmp_path_factory.mktemp("again")
        for name in ("issues", "theme"):
            shutil.copytree(first / name, other / name)
        shutil.copy(first / "mkdocs.yml", other / "mkdocs.yml")
        if (first / "registry").is_dir():
            shutil.copytree(first / "registry", other / "registry")
        build(other)
        assert "SOURCE_DATE_EPOCH" not in os.environ  # the build did not leave it behind
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    yield built_site, other / "site"


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = (site_digest(site) for site in two_builds)
    assert sorted(first) == sorted(second)
    differ = sorted(path for path in first if first[path] != second[path])
    assert differ == []
    for name in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json"):
        assert name in first


def test_sitemap_is_dated_by_the_newest_issue(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[1]
    newest = max(SAMPLES)  # 2025-07
    year, month = map(int, newest.split("-"))
    data = (site / "sitemap.xml.gz").read_bytes()
    # The gzip header's MTIME (bytes 4–8, little-endian): the newest issue's month, not now.
    assert int.from_bytes(data[4:8], "little") == calendar.timegm((year, month, 1, 0, 0, 0))
    assert gzip.decompress(data) == (site / "sitemap.xml").read_bytes()
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text()))
    assert dates == {f"{year}-{month:02d}-01"}
