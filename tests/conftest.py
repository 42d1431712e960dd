"""Shared test helpers: raw files from text, the sample issues, one built site per session."""

from __future__ import annotations

import http.server
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


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip (saying why) without the system Chromium; CI sets TIANTANG_REQUIRE_BROWSER=1 to fail."""
    if CHROMIUM.exists():
        return
    reason = "browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    if os.environ.get("TIANTANG_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; TIANTANG_REQUIRE_BROWSER=1 says it must be there")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built sample site served over HTTP on 127.0.0.1 (a free port), for browser tests."""
    import functools
    import threading

    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless system Chromium for the session (Playwright's own download does not work here)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()
