"""Shared test helpers: raw files from text, the sample issues, one built site per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator.model import Issue, Line, RawFile

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("2020-03", "2023-08", "2025-07")

settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fuzz", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def raw_from_text(text: str, path: str = "issues/2099-01.txt") -> RawFile:
    """A RawFile as read.py would make it from UTF-8 text with LF line ends."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return RawFile(path, tuple(Line(i + 1, t) for i, t in enumerate(lines)), "utf-8", "test")


def sample_raw(issue_id: str) -> RawFile:
    from generator.read import decode_file

    path = f"issues/{issue_id}.txt"
    return decode_file(path, (ROOT / path).read_bytes())


@pytest.fixture(scope="session")
def sample_issues() -> dict[str, Issue]:
    from generator.issue import parse_issue

    return {issue_id: parse_issue(sample_raw(issue_id)) for issue_id in SAMPLES}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real archive built once into a temporary project copy; yields its site/ folder."""
    from generator.build import build

    project = tmp_path_factory.mktemp("project")
    for name in ("issues", "theme"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    if (ROOT / "registry").is_dir():
        shutil.copytree(ROOT / "registry", project / "registry")
    build(project)
    yield project / "site"
