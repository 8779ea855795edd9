"""The sample's conflicts found by hand (tests/fixtures/check/sample_conflicts.json) against the report.

Each conflict names its places by the printed lines of the sample files; a
finding catches it when its locations hold one line of every side.  The list
was made by reading the book, not the report, so it also records what the
report still misses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import fangzhi
from conftest import FIXTURES
from fangzhi.services.check import CheckReport
from fangzhi.services.checks import Finding

CONFLICTS = json.loads((FIXTURES / "check" / "sample_conflicts.json").read_text(encoding="utf-8"))["conflicts"]


@pytest.fixture(scope="module")
def report(sample_db: Path) -> CheckReport:
    with fangzhi.open(sample_db, create=False) as kb:
        return kb.check()


@pytest.fixture(scope="module")
def full_report(sample_db: Path) -> CheckReport:
    with fangzhi.open(sample_db, create=False) as kb:
        return kb.check(min_confidence=0.0)


def _catches(finding: Finding, conflict: dict[str, Any]) -> bool:
    if finding.kind != conflict["kind"]:
        return False
    places = {(location.volume, location.line) for location in finding.locations}
    return all(any((side["volume"], line) in places for line in side["lines"]) for side in conflict["sides"])


def _caught_by(findings: list[Finding], conflict: dict[str, Any]) -> list[str]:
    return [finding.id or finding.message for finding in findings if _catches(finding, conflict)]


@pytest.mark.parametrize("conflict", [c for c in CONFLICTS if c["in_report"]], ids=lambda c: f"{c['id']} {c['what']}")
def test_the_report_lists_the_conflict_with_its_places(report: CheckReport, conflict: dict[str, Any]) -> None:
    assert _caught_by(report.findings, conflict), conflict["what"]


def test_conflicts_found_with_too_little_confidence_to_be_listed(report: CheckReport, full_report: CheckReport) -> None:
    below = [c for c in CONFLICTS if c["found_below_cut"]]
    assert [c["id"] for c in below] == ["E20", "E45", "E47", "E49", "E51", "E57"]
    for conflict in below:
        assert not _caught_by(report.findings, conflict), conflict["what"]
        assert _caught_by(full_report.findings, conflict), conflict["what"]


def test_what_the_report_does_not_find() -> None:
    assert [c["id"] for c in CONFLICTS if not c["in_report"] and not c["found_below_cut"]] == ["E24"]


def test_most_of_the_report_is_conflicts_found_by_hand(report: CheckReport) -> None:
    listed = [c for c in CONFLICTS if c["in_report"]]
    by_hand = [finding for finding in report.findings if any(_catches(finding, c) for c in listed)]
    assert (len(by_hand), len(report.findings)) == (61, 65)
