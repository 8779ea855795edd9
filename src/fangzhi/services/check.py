"""``check``: the editor's consistency report over every volume in the store.

Each module of :mod:`fangzhi.services.checks` finds one family of problems:
figures that disagree (:mod:`~fangzhi.services.checks.conflicts`), totals and
their parts (:mod:`~fangzhi.services.checks.totals`), one number under two
labels (:mod:`~fangzhi.services.checks.labels`), names written two ways
(:mod:`~fangzhi.services.checks.names`), dates (:mod:`~fangzhi.services.checks.dates`)
and the counts an editorial note declares (:mod:`~fangzhi.services.checks.counts`).
The report ranks everything by confidence, most certain first, so an editor
can read from the top and stop where the findings stop being worth it.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from fangzhi.errors import NotFoundError, QueryError
from fangzhi.services.checks import KIND_TITLES, Finding
from fangzhi.services.checks.conflicts import estimates, similar_names, unit_errors, unit_slips, value_conflicts
from fangzhi.services.checks.counts import declared_counts
from fangzhi.services.checks.dates import documents_and_events, issue_dates, same_events
from fangzhi.services.checks.figures import Figure, load_figures
from fangzhi.services.checks.labels import different_labels
from fangzhi.services.checks.names import name_variants
from fangzhi.services.checks.places import Places
from fangzhi.services.checks.totals import parts_and_wholes, shares, subsets_exceeding
from fangzhi.services.computed import computed
from fangzhi.store.base import Store

# Findings below this confidence are left out of the report: an editor reads every line.
MIN_CONFIDENCE = 0.5
FORMATS = ("text", "json", "md", "html")

FigureCheck = Callable[[list[Figure], Places], list[Finding]]
StoreCheck = Callable[[Store, Places], list[Finding]]

FIGURE_CHECKS: list[FigureCheck] = [
    value_conflicts,
    similar_names,
    unit_errors,
    unit_slips,
    estimates,
    parts_and_wholes,
    subsets_exceeding,
    shares,
    different_labels,
]
STORE_CHECKS: list[StoreCheck] = [name_variants, documents_and_events, same_events, issue_dates, declared_counts]


@dataclass
class CheckReport:
    findings: list[Finding]
    volumes: list[str]
    indicators: int
    left_out: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "volumes": self.volumes,
            "indicators": self.indicators,
            "findings": [finding.to_dict() for finding in self.findings],
            "counts": self.counts,
            "left_out_below_confidence": self.left_out,
        }


@dataclass(frozen=True)
class _AllFindings:
    """Every finding of every check, ranked, and how many figures each volume gave: the costly part of a report."""

    findings: tuple[Finding, ...]
    figures: dict[str, int]


def check(store: Store, volume: str | None = None, min_confidence: float = MIN_CONFIDENCE) -> CheckReport:
    """Every finding about the volumes in ``store`` (or those touching ``volume``), most confident first.

    The checks run once per store while its volumes stay the same
    (:mod:`fangzhi.services.computed`); each report selects from them and
    numbers what it keeps, on copies, so reports never share an id.
    """
    volumes = [found.id for found in store.volumes()]
    if volume is not None and volume not in volumes:
        raise NotFoundError(f"no volume {volume!r}; choose one of: {', '.join(volumes) or '(none ingested)'}")
    if not 0.0 <= min_confidence <= 1.0:
        raise QueryError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    found = computed(store, "check.findings", lambda: _all_findings(store))
    findings = [finding for finding in found.findings if volume is None or volume in finding.volumes()]
    kept = [
        replace(finding, id=f"F{number:03d}")
        for number, finding in enumerate((f for f in findings if f.confidence >= min_confidence), start=1)
    ]
    counts = Counter(finding.kind for finding in kept)
    return CheckReport(
        findings=kept,
        volumes=[volume] if volume else volumes,
        indicators=found.figures.get(volume, 0) if volume else sum(found.figures.values()),
        left_out=len(findings) - len(kept),
        counts=dict(sorted(counts.items())),
    )


def _all_findings(store: Store) -> _AllFindings:
    places = Places(store)
    figures = load_figures(store)
    places.load(figure.node for figure in figures)
    findings: list[Finding] = []
    for figure_check in FIGURE_CHECKS:
        findings.extend(figure_check(figures, places))
    for store_check in STORE_CHECKS:
        findings.extend(store_check(store, places))
    for finding in findings:
        finding.confidence = round(finding.confidence, 2)
    findings.sort(key=lambda f: (-f.confidence, _first_position(f)))
    return _AllFindings(tuple(findings), dict(Counter(figure.volume for figure in figures)))


def _first_position(finding: Finding) -> tuple[str, int]:
    first = finding.locations[0] if finding.locations else None
    return (first.volume, first.line or 0) if first else ("", 0)


def finding_rows(report: CheckReport) -> Iterator[dict[str, Any]]:
    """Findings as flat export rows: id, kind, severity, confidence, message, locations."""
    for finding in report.findings:
        yield {
            "id": finding.id,
            "kind": finding.kind,
            "severity": finding.severity,
            "confidence": round(finding.confidence, 2),
            "message": finding.message,
            "locations": [
                {"volume": loc.volume, "node": loc.node, "page": loc.page, "line": loc.line}
                for loc in finding.locations
            ],
        }


def render_report(report: CheckReport, format: str) -> str:
    """The report as plain text, JSON, Markdown or a standalone HTML page."""
    if format == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if format == "md":
        return _markdown(report)
    if format == "html":
        return _html(report)
    if format == "text":
        return _text(report)
    raise QueryError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")


def _summary(report: CheckReport) -> str:
    kinds = "，".join(f"{KIND_TITLES.get(kind, kind)} {count}" for kind, count in report.counts.items())
    return f"共 {len(report.findings)} 条发现（{kinds or '无'}），检查了 {report.indicators} 个数据。"


def _where(location: Any) -> str:
    page = f"第{location.page}页 " if location.page else ""
    return f"{location.volume} {page}第{location.line}行"


def _text(report: CheckReport) -> str:
    lines = [_summary(report), ""]
    for finding in report.findings:
        lines.append(f"{finding.id} [{finding.severity} {finding.confidence:.2f}] {finding.title}")
        lines.append(f"  {finding.message}")
        for location in finding.locations:
            lines.append(f"  - {_where(location)}: {location.text[:80]}")
        lines.append("")
    return "\n".join(lines) + "\n"


def _markdown(report: CheckReport) -> str:
    lines = ["# 校对报告", "", _summary(report), ""]
    for finding in report.findings:
        lines.append(f"## {finding.id} {finding.title}（{finding.severity}，置信度 {finding.confidence:.2f}）")
        lines.append("")
        lines.append(finding.message)
        lines.append("")
        lines.append("| 卷册 | 页 | 行 | 原文 |")
        lines.append("|---|---:|---:|---|")
        for location in finding.locations:
            text = location.text.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {location.volume} | {location.page or ''} | {location.line or ''} | {text} |")
        lines.append("")
    return "\n".join(lines)


def _html(report: CheckReport) -> str:
    escape = html.escape
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>校对报告</title></head><body>",
        "<h1>校对报告</h1>",
        f"<p>{escape(_summary(report))}</p>",
    ]
    for finding in report.findings:
        parts.append(f"<section id='{escape(finding.id)}'><h2>{escape(finding.id)} {escape(finding.title)}</h2>")
        parts.append(f"<p>{escape(finding.message)}（{finding.severity}，置信度 {finding.confidence:.2f}）</p><ul>")
        for location in finding.locations:
            parts.append(f"<li>{escape(_where(location))}：{escape(location.text)}</li>")
        parts.append("</ul></section>")
    parts.append("</body></html>\n")
    return "".join(parts)
