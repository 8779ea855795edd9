"""One number under two labels: the same exact figure named differently in two places.

A figure with four or more significant digits (293.34亿元, 24677人) is rarely
printed twice by chance, so when the summary pages call it 地方财政收入 and the
communiqué 财政总收入, one of the labels is probably wrong.  Labels where one
contains the other (进出口总值 and 货物进出口总值) are the same name, shortened,
and are not reported.
"""

from __future__ import annotations

from collections import defaultdict

from fangzhi.services.checks import Finding, FindingKind
from fangzhi.services.checks.figures import Figure
from fangzhi.services.checks.places import Places

MIN_SIGNIFICANT_DIGITS = 4


def _significant_digits(figure: Figure) -> int:
    digits = figure.value_as_printed
    digits = "".join(character for character in digits if character.isdigit())
    return len(digits.lstrip("0"))


def _same_name(first: str, second: str) -> bool:
    return first in second or second in first


def _core(indicator: str) -> str:
    """An indicator without the words that only qualify it, for comparing names."""
    for word in ("全市", "全年", "年末", "的"):
        indicator = indicator.replace(word, "")
    return indicator


def different_labels(figures: list[Figure], places: Places) -> list[Finding]:
    groups: dict[tuple[float, str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        if (
            figure.kind in ("level", "count")
            and figure.base_value
            and not figure.approx
            and len(figure.indicator) >= 3
            and figure.table is None
            and _significant_digits(figure) >= MIN_SIGNIFICANT_DIGITS
            and figure.period == figure.plain_period
        ):
            groups[(figure.base_value, figure.dimension, figure.plain_period)].append(figure)
    findings = []
    for members in groups.values():
        names: dict[str, list[Figure]] = defaultdict(list)
        for figure in members:
            names[figure.indicator].append(figure)
        if len(names) < 2:
            continue
        ranked = sorted(names.items(), key=lambda item: (-len(item[1]), item[0]))
        main, main_figures = ranked[0]
        for other, other_figures in ranked[1:]:
            if _same_name(_core(main), _core(other)):
                continue
            if {f.entity for f in main_figures} != {f.entity for f in other_figures}:
                continue
            both_summaries = all(
                any(places.is_volume_summary(f.node) for f in side) for side in (main_figures, other_figures)
            )
            shared = len(set(_core(main)) & set(_core(other))) >= 2
            confidence = 0.55 if both_summaries and shared else 0.35
            first = main_figures[0]
            findings.append(
                Finding(
                    kind=FindingKind.LABEL_MISMATCH,
                    severity="warning",
                    confidence=confidence,
                    message=(
                        f"同一数值{first.value_as_printed}在{places.describe_all(main_figures)}称为「{main}」，"
                        f"在{places.describe_all(other_figures)}称为「{other}」，请核对指标名称。"
                    ),
                    locations=[f.location() for f in main_figures + other_figures],
                    details={"value": first.number, "unit": first.unit, "labels": [main, other]},
                )
            )
    return findings
