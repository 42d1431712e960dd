"""`tiantang` as an editor runs it: exit statuses, where problems go, the README."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_every_subcommand_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"`tiantang {name}\b", readme), f"tiantang {name} is not in the README"


def test_check_reports_the_samples() -> None:
    code, out, err = run("check", "--root", str(ROOT))
    assert code == 0  # the misprint is a warning
    assert "issues/2020-03.txt: 2020-03 · 总第326期 · 20 articles" in out
    assert "  芯要闻: 8" in out
    assert "issues/2025-07.txt:1489: warning[heading-misprint]:" in err
    assert err.rstrip().splitlines()[-1].startswith("3 issues · 89 articles · 2 documents · ")


def test_check_strict_fails_on_warnings() -> None:
    code, _, _ = run("check", "--root", str(ROOT), "--strict", "issues/2025-07.txt")
    assert code == 1


def test_check_one_file() -> None:
    code, out, _ = run("check", "--root", str(ROOT), str(ROOT / "issues/2023-08.txt"))
    assert code == 0
    assert out.startswith("issues/2023-08.txt: 2023-08 · 总第367期 · 33 articles")
    assert "2020-03" not in out


def test_check_unknown_file_is_a_usage_error() -> None:
    code, _, err = run("check", "--root", str(ROOT), "issues/1999-01.txt")
    assert code == 2
    assert "not an input" in err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "issues", tmp_path / "issues")
    return tmp_path


def test_check_fails_when_a_toc_entry_has_no_article(project: Path) -> None:
    path = project / "issues/2020-03.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[408] == "看广州海芯，聚焦中国FAB项目"
    lines[408] = ""  # the article's heading is lost in export
    path.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = run("check", "--root", str(project), "issues/2020-03.txt")
    assert code == 1
    assert (
        "issues/2020-03.txt:71: error[toc-unmatched]: TOC entry “看广州海芯，聚焦中国FAB项目” (p. 20) matches no body heading"
        in err
    )
    assert "Traceback" not in err
