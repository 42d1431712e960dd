"""`tiantang build | check | serve | bench`: arguments in, one call, output and exit status out.

Exit status: 0 clean, 1 errors in the input (warnings too under --strict) or a build that
failed (the previous site/ is then left as it was), 2 wrong usage.
The parse report is data (stdout); problems go to stderr one per line, the summary last.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import click

from generator import __version__
from generator.model import Problem
from generator.report import (
    format_problem,
    render_document_report,
    render_entity_report,
    render_issue_report,
    summary,
)


def _exit_status(problems: Sequence[Problem], strict: bool) -> int:
    if any(p.severity == "error" for p in problems):
        return 1
    if strict and problems:
        return 1
    return 0


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(format_problem(problem), err=True)


@contextlib.contextmanager
def _no_traceback(debug: bool, what: str, then: str = "") -> Iterator[None]:
    """A crash outside the per-file isolation (a template, MkDocs) is one line, not a traceback."""
    try:
        yield
    except Exception as error:
        if debug:
            raise
        problem = Problem(
            "site",
            None,
            "build-failed",
            f"{what} ({type(error).__name__}: {error}){then}",
            "run the command again with --debug for the traceback, and report it",
            "error",
        )
        click.echo(format_problem(problem), err=True)
        sys.exit(1)


@click.group()
@click.version_option(__version__, prog_name="tiantang")
def main() -> None:
    """Build the 《天堂之芯》 archive site from the raw issue texts in issues/."""


_root = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder holding issues/, mkdocs.yml and theme/.",
)
_debug = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
_registry = click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of companies.yml, organisations.yml, policies.yml (default: ROOT/registry).",
)


@main.command()
@_root
@click.option("--strict", is_flag=True, help="Exit 1 on any problem in the input, warnings too.")
@_debug
@_registry
def build(root: Path, strict: bool, debug: bool, registry: Path | None) -> None:
    """Parse issues/ and build the site into site/ (docs/ holds the generated pages).

    Problems in the input are reported but do not stop the build; the exit status is 1 only
    with --strict.
    """
    from generator.build import build as run_build

    with _no_traceback(debug, "the site could not be built", "; site/ is left as it was"):
        result = run_build(root.resolve(), debug=debug, registry=_folder(registry))
    _print_problems(result.problems)
    click.echo(result.summary, err=True)
    click.echo(f"site written to {(root / 'site').resolve()}", err=True)
    sys.exit(_exit_status(result.problems, strict) if strict else 0)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@_root
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@_debug
@_registry
def check(
    files: tuple[Path, ...], root: Path, strict: bool, debug: bool, registry: Path | None
) -> None:
    """Print the parse report of FILES (default: every issue and document); exit 1 on errors."""
    from generator.build import plan

    root = root.resolve()
    with _no_traceback(debug, "the inputs could not be checked"):
        result = plan(root, debug=debug, registry=_folder(registry))
    wanted = {_relative(root, f) for f in files}
    site = result.site
    issues = [i for i in site.issues if not wanted or i.path in wanted]
    documents = [d for d in site.documents if not wanted or d.path in wanted]
    problems = [p for p in result.problems if not wanted or p.path in wanted]
    unknown = wanted - {i.path for i in issues} - {d.path for d in documents}
    unknown -= {p.path for p in problems}
    if unknown:
        raise click.UsageError(f"not an input under {root}/issues: {', '.join(sorted(unknown))}")
    for issue in sorted(issues, key=lambda i: i.id):
        click.echo(render_issue_report(issue))
    for document in documents:
        click.echo(render_document_report(document))
    click.echo(render_entity_report(site, wanted))
    _print_problems(problems)
    click.echo(summary(issues, documents, problems), err=True)
    sys.exit(_exit_status(problems, strict))


@main.command()
@_root
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(root: Path, port: int) -> None:
    """Generate the pages and serve a live preview at http://127.0.0.1:PORT/."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.build import plan, write_pages
    from generator.read import read_site_url

    root = root.resolve()
    result = plan(root)
    _print_problems(result.problems)
    write_pages(root / "docs", result.site, read_site_url(root))
    mkdocs_serve(config_file=str(root / "mkdocs.yml"), dev_addr=f"127.0.0.1:{port}")


@main.command()
@_root
@click.option(
    "--issues",
    "sizes",
    type=click.IntRange(min=1),
    multiple=True,
    help="Synthetic archive size in issues; repeat for several (default: 10, 100, 400).",
)
@click.option(
    "--runs",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Runs per size below 200 issues (one run from 200 on).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the synthetic archive.")
@click.option(
    "--timeout",
    default=1500.0,
    show_default=True,
    help="Seconds after which one measured build is stopped and reported.",
)
@click.option(
    "--budget",
    default=1740.0,
    show_default=True,
    help="Seconds for the whole benchmark; what is still running then is stopped and reported.",
)
def bench(
    root: Path, sizes: tuple[int, ...], runs: int, seed: int, timeout: float, budget: float
) -> None:
    """Time the build on synthetic archives against Python-Markdown and stock Material.

    Prints the table, the growth exponent and the goals; writes bench/results.json (the last
    run, quoted in the README) and bench/runs/DATE.json.
    """
    import json

    from generator.bench import DEFAULT_SIZES, render_notes, render_table, run_benchmark

    root = root.resolve()
    try:
        report = run_benchmark(
            root,
            sizes or DEFAULT_SIZES,
            runs=runs,
            seed=seed,
            echo=lambda line: click.echo(line, err=True),
            timeout=timeout,
            budget=budget,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    text = json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    runs_dir = root / "bench" / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    (runs_dir / f"{report['date']}-{len(list(runs_dir.glob('*.json'))) + 1:03d}.json").write_text(
        text, encoding="utf-8"
    )
    (root / "bench" / "results.json").write_text(text, encoding="utf-8")
    click.echo(render_table(report))
    click.echo(render_notes(report))
    click.echo(render_table(report, markdown=True))


def _folder(registry: Path | None) -> Path | None:
    return registry.resolve() if registry is not None else None


def _relative(root: Path, file: Path) -> str:
    absolute = file.resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()
