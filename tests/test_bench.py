"""The synthetic archive of the benchmark, and the benchmark's own arithmetic and plumbing.

The benchmark itself is not run here (it takes minutes): `make bench` does that.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from generator.bench import (
    ARTICLES_PER_ISSUE,
    ChildFailed,
    SyntheticIssue,
    child_main,
    fit_exponent,
    learn_shapes,
    markdown_extensions,
    measure_accuracy,
    month_of,
    read_samples,
    render_notes,
    render_table,
    run_measured,
    stage_of,
    stock_material_config,
    summarize,
    synthesize_archive,
    synthesize_issue,
)
from generator.issue import parse_issue
from generator.read import decode_file

from .conftest import ROOT


@pytest.fixture(scope="module")
def shapes_and_pool():
    return learn_shapes(read_samples(ROOT))


@pytest.fixture(scope="module")
def six_issues(shapes_and_pool) -> tuple[SyntheticIssue, ...]:
    shapes, pool = shapes_and_pool
    return synthesize_archive(shapes, pool, 6, seed=7)


@pytest.fixture(scope="module")
def six_parsed(six_issues):
    return [_parse(issue) for issue in six_issues]


def _parse(issue: SyntheticIssue):
    return parse_issue(decode_file(issue.path, issue.text.encode("utf-8")))


def test_shapes_are_learnt_from_the_three_samples(shapes_and_pool) -> None:
    shapes, pool = shapes_and_pool
    by_sample = {shape.path: shape for shape in shapes}
    assert sorted(by_sample) == ["issues/2020-03.txt", "issues/2023-08.txt", "issues/2025-07.txt"]
    # issues/2020-03.txt:53 `芯企业 ENTERPRISE`, :55 `- ▲ AIoT时代认证！… - 01`
    old = by_sample["issues/2020-03.txt"]
    assert old.sections[0] == ("芯企业", "芯企业 ENTERPRISE")
    assert (old.entry_prefix, old.entry_suffix, old.page_width) == ("- ▲ ", " - ", 2)
    # issues/2025-07.txt: `- ▲集成电路… — 01`, headings printed as `## …` and `# …`
    new = by_sample["issues/2025-07.txt"]
    assert (new.entry_prefix, new.entry_suffix) == ("- ▲", " — ")
    assert set(new.headings) == {"# ", "## "}
    assert len(pool) == 20 + 33 + 36


def test_same_seed_same_archive_other_seed_other_archive(shapes_and_pool) -> None:
    shapes, pool = shapes_and_pool
    first = synthesize_archive(shapes, pool, 4, seed=3)
    again = synthesize_archive(shapes, pool, 4, seed=3)
    other = synthesize_archive(shapes, pool, 4, seed=4)
    assert first == again
    assert [i.text for i in first] != [i.text for i in other]


def test_an_issue_does_not_depend_on_how_many_are_made(shapes_and_pool) -> None:
    # the benchmark's "+1 issue" rebuild relies on the first N issues staying byte-identical
    shapes, pool = shapes_and_pool
    assert synthesize_archive(shapes, pool, 5, seed=1)[:3] == synthesize_archive(
        shapes, pool, 3, seed=1
    )
    assert synthesize_issue(shapes, pool, 4, seed=1) == synthesize_archive(shapes, pool, 5, 1)[4]


def test_monthly_file_names_from_1990(six_issues) -> None:
    assert [i.path for i in six_issues[:2]] == ["issues/1990-01.txt", "issues/1990-02.txt"]
    assert month_of(12) == (1991, 1)
    assert month_of(399) == (2023, 4)
    assert all(len(i.expected) == ARTICLES_PER_ISSUE for i in six_issues)


def test_titles_vary_and_are_unique_within_an_issue(six_issues) -> None:
    for issue in six_issues:
        titles = [e.title for e in issue.expected]
        assert len(set(titles)) == len(titles), issue.path
    all_titles = {e.title for i in six_issues for e in i.expected}
    assert len(all_titles) > 5 * ARTICLES_PER_ISSUE  # not the same 89 titles over and over


def test_cover_carries_the_issue_month_and_number(six_issues, six_parsed) -> None:
    for index, (issue, parsed) in enumerate(zip(six_issues, six_parsed, strict=True)):
        assert (parsed.masthead.year, parsed.masthead.month) == month_of(index)
        if issue.shape != "issues/2025-07.txt":  # that cover prints no number
            assert parsed.masthead.number == 101 + index
        assert not [p for p in parsed.problems if p.code == "date-mismatch"]


def test_synthetic_issues_parse_fully(six_issues, six_parsed) -> None:
    parsed = six_parsed
    accuracy = measure_accuracy(six_issues, parsed)
    plain = accuracy.articles - accuracy.misprints
    assert accuracy.found - accuracy.misprints_found == plain, accuracy.misses
    assert accuracy.exact >= plain
    assert not [p for i in parsed for p in i.problems if p.code == "toc-unmatched"]


def test_the_heading_quirks_are_in_the_texts(six_issues) -> None:
    # a heading that differs from its contents title, split over lines, or traditional
    text = "\n".join(i.text for i in six_issues)
    differing = 0
    for issue in six_issues:
        issue_lines = issue.text.split("\n")
        for want in issue.expected:
            heading = issue_lines[want.first - 1].lstrip("# ")
            differing += heading != want.title
    assert differing > len(six_issues) * 5
    assert any(c in text for c in "測導體電")


def test_misprinted_heading_after_a_source_line_starts_its_article(shapes_and_pool) -> None:
    shapes, pool = shapes_and_pool
    cases = []
    for index in range(150):
        issue = synthesize_issue(shapes, pool, index)
        lines = issue.text.split("\n")
        for want in issue.expected:
            above = [line for line in lines[: want.first - 1] if line.strip()][-1]
            if want.misprint and "来源" in above:
                cases.append(issue)
    assert cases, "seed 0 prints such a misprint within 150 issues (1997-09, line 1122)"
    accuracy = measure_accuracy(cases, [_parse(issue) for issue in cases])
    assert accuracy.misprints_found == accuracy.misprints, accuracy.misses


def test_measure_accuracy_counts_a_missing_article(six_issues, six_parsed) -> None:
    accuracy = measure_accuracy(six_issues[:2], [six_parsed[0], None])
    assert accuracy.articles == 2 * ARTICLES_PER_ISSUE
    assert accuracy.found <= ARTICLES_PER_ISSUE
    assert accuracy.misses[0].startswith("issues/1990-02.txt:")


# --- the benchmark's arithmetic and plumbing --------------------------------------------------


@pytest.mark.parametrize(
    ("points", "exponent"),
    [
        pytest.param([(10, 1.0), (100, 10.0), (400, 40.0)], 1.0, id="linear"),
        pytest.param([(10, 1.0), (100, 100.0), (400, 1600.0)], 2.0, id="quadratic"),
        pytest.param([(10, 5.0), (100, 5.0)], 0.0, id="flat"),
    ],
)
def test_fit_exponent(points: list[tuple[float, float]], exponent: float) -> None:
    assert fit_exponent(points) == pytest.approx(exponent)


def test_fit_exponent_needs_two_sizes() -> None:
    assert fit_exponent([(10, 1.0)]) is None


@pytest.mark.parametrize(
    ("function", "stage"),
    [
        ("parse_inputs", "parse"),
        ("link_entities", "entities"),
        ("render_search_index", "search"),
        ("render_pages", "pages"),
        ("render_feeds", "pages"),
        ("write_docs", "write"),
        ("build_site_dir", "mkdocs"),
        ("build_site", "other"),
    ],
)
def test_stage_of(function: str, stage: str) -> None:
    assert stage_of(function) == stage


def test_reference_configs_come_from_the_site_config(tmp_path: Path) -> None:
    names, _ = markdown_extensions(ROOT / "mkdocs.yml")
    assert "toc" in names
    stock = stock_material_config(ROOT / "mkdocs.yml", tmp_path / "docs", tmp_path / "site")
    assert "custom_dir" not in stock
    assert "- search" in stock
    assert "nav:\n- 天堂之芯: index.md\n" in stock


def test_floor_converts_every_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: x\n---\n# 首页\n\n正文", encoding="utf-8")
    (docs / "a" / "b.md").write_text("| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    report = tmp_path / "floor.json"
    child_main(["floor", str(docs), str(ROOT / "mkdocs.yml"), str(report)])
    floor = json.loads(report.read_text(encoding="utf-8"))
    assert floor["pages"] == 2
    assert floor["html_bytes"] > len("<h1>首页</h1><table>")


def test_run_measured_times_and_weighs_a_child() -> None:
    # a child that holds 64 MiB: the sampled tree peak and the exact peak both see it
    measured = run_measured(
        [sys.executable, "-c", "b = bytearray(64 << 20); import time; time.sleep(0.3)"]
    )
    assert measured.seconds >= 0.3
    assert measured.peak_process_mib >= 64
    assert measured.peak_tree_mib >= 64


def test_run_measured_reports_failure_and_timeout() -> None:
    with pytest.raises(ChildFailed, match="exit 3") as failed:
        run_measured([sys.executable, "-c", "import sys; print('why'); sys.exit(3)"])
    assert not failed.value.timed_out
    assert "why" in str(failed.value)
    with pytest.raises(ChildFailed, match="took more than") as slow:
        run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert slow.value.timed_out


def _fake_size(issues: int, pages: int, total: float, floor: float, material: float) -> dict:
    run = {
        "seconds": total,
        "peak_tree_mib": 300.0,
        "stages": {"parse": total / 4, "mkdocs": total / 2},
        "site": {
            "bytes": pages * 40_000,
            "html_pages": pages,
            "html_bytes": pages * 30_000,
            "html_median": 25_000,
            "article_median": 30_000,
        },
    }
    return {
        "issues": issues,
        "pages": pages,
        "ours": [run],
        "floor": [{"seconds": floor}],
        "material": [{"seconds": material, "peak_tree_mib": 600.0, "site": {"bytes": 1}}],
        "rebuild": {
            "seconds": 1.0,
            "recomputed": {"issue": 1},
            "reused": {"issue": issues},
            "docs_written": 40,
            "stages": {},
        },
        "accuracy": {
            "articles": 35 * issues,
            "found": 35 * issues,
            "exact": 35 * issues,
            "misprints": 0,
            "misprints_found": 0,
            "misses": [],
        },
    }


def test_summary_ratios_exponent_and_goals() -> None:
    sizes = [_fake_size(10, 361, 2.0, 0.5, 4.0), _fake_size(100, 3601, 20.0, 5.0, 40.0)]
    summary = summarize(sizes)
    largest = summary["rows"][-1]
    assert largest["vs_floor"] == pytest.approx(4.0)
    assert largest["vs_material"] == pytest.approx(0.5)
    assert summary["exponents"]["ours"] == pytest.approx(1.0, abs=0.01)
    goals = summary["goals"]
    assert goals["total ≤ 5× floor at the largest N"] is True
    assert goals["never slower than stock Material"] is True
    assert goals["+1 issue re-parses one issue"] is True
    assert goals["HTML bytes per article page independent of N"] is True
    report = {"summary": summary}
    table = render_table(report)
    assert "× floor" in table.splitlines()[0]
    assert "4.0×" in table.splitlines()[2]
    assert render_table(report, markdown=True).startswith("| N | pages | parse | mkdocs |")
    notes = render_notes(report)
    assert "recomputed 1 issue (100 from .cache/)" in notes
    assert "goal: peak memory ≤ 1 GiB: met" in notes


def test_summary_says_when_a_goal_is_missed() -> None:
    sizes = [_fake_size(10, 361, 2.0, 0.1, 1.0), _fake_size(100, 3601, 200.0, 1.0, 100.0)]
    goals = summarize(sizes)["goals"]
    assert goals["total ≤ 5× floor at the largest N"] is False
    assert goals["never slower than stock Material"] is False
    assert goals["growth exponent ≤ 1.05"] is False


def test_measure_site_weighs_pages_articles_and_search(tmp_path: Path) -> None:
    from generator.bench import measure_site

    files = {
        "index.html": 100,
        "issues/1990-01/index.html": 300,
        "issues/1990-01/01/index.html": 1000,
        "issues/1990-01/02/index.html": 2000,
        "issues/1990-01/03/index.html": 3000,
        "companies/x/index.html": 50_000,
        "search/a.json": 7,
    }
    for name, size in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    size = measure_site(tmp_path)
    assert (size.files, size.html_pages, size.search_bytes) == (7, 6, 7)
    assert size.article_median == 2000  # the company page's timeline does not move it
    assert size.html_median == (1000 + 2000) // 2
