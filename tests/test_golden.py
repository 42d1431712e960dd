"""The sample issues against golden files checked by reading the raw texts (tests/golden/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.model import Article
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).parent / "golden"


def load_golden(issue_id: str) -> dict:
    return yaml.safe_load((GOLDEN / f"{issue_id}.yml").read_text(encoding="utf-8"))


def article_record(article: Article) -> dict:
    return {
        "id": article.id,
        "section": article.section,
        "page": article.page,
        "toc_title": article.toc_title,
        "first_line": article.span.first,
        "last_line": article.span.last,
        "sources": [source.name for source in article.sources],
    }


@pytest.mark.parametrize("issue_id", SAMPLES)
def test_issue_metadata(issue_id: str, sample_issues: dict) -> None:
    golden = load_golden(issue_id)
    issue = sample_issues[issue_id]
    assert issue.id == golden["issue"]
    assert issue.masthead.title == golden["title"]
    assert issue.masthead.number == golden["number"]
    assert (issue.masthead.year, issue.masthead.month) == (golden["year"], golden["month"])
    assert [issue.toc.span.first, issue.toc.span.last] == golden["toc_lines"]
    assert [{"name": s.name, "english": s.english} for s in issue.sections] == golden["sections"]


def _golden_articles() -> Iterator[object]:
    for issue_id in SAMPLES:
        for record in load_golden(issue_id)["articles"]:
            yield pytest.param(issue_id, record, id=record["id"])


@pytest.mark.parametrize(("issue_id", "expected"), list(_golden_articles()))
def test_article(issue_id: str, expected: dict, sample_issues: dict) -> None:
    found = {a.id: a for a in sample_issues[issue_id].articles}
    assert expected["id"] in found, f"{expected['id']} ({expected['toc_title']}) not found"
    assert article_record(found[expected["id"]]) == expected


@pytest.mark.parametrize("issue_id", SAMPLES)
def test_no_extra_articles(issue_id: str, sample_issues: dict) -> None:
    expected = [a["id"] for a in load_golden(issue_id)["articles"]]
    assert [a.id for a in sample_issues[issue_id].articles] == expected


def test_misprint_is_flagged(sample_issues: dict) -> None:
    """2025-07 line 1489 repeats the LPDDR6 title over the 芯“铜”危机 article."""
    issue = sample_issues["2025-07"]
    article = next(a for a in issue.articles if a.toc_title == "半导体领域陷入芯“铜”危机")
    assert article.span.first == 1489
    assert article.match.how == "misprint"
    assert [(p.line, p.code) for p in issue.problems if p.code == "heading-misprint"] == [
        (1489, "heading-misprint")
    ]
