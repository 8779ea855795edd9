"""Totals and their parts: a part larger than its whole, a breakdown that does not add up, shares that do not.

Parts are known from the text, not guessed: a table row marked ``#`` is part
of the row above it; a figure after 其中 is part of the total before it.  A
breakdown must add up only when its parts cover the whole (第一、第二、第三
产业; 城镇 and 乡村; 出口 and 进口: the partitions of ``partitions.json``);
otherwise only a sum larger than the whole is wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from importlib import resources

from fangzhi.extract.indicator_terms import terms
from fangzhi.services.checks import Finding, FindingKind
from fangzhi.services.checks.conflicts import comparable
from fangzhi.services.checks.figures import Figure, printed
from fangzhi.services.checks.places import Places

_SUMMABLE = ("level", "count")


@lru_cache(maxsize=1)
def partitions() -> list[list[str]]:
    text = resources.files("fangzhi.data").joinpath("partitions.json").read_text(encoding="utf-8")
    return json.loads(text)["partitions"]


def _is_partition(labels: list[str]) -> bool:
    """Whether the parts' names cover a whole: each starts or ends with one member of a known partition."""
    for members in partitions():
        if len(labels) != len(members):
            continue
        remaining = list(members)
        for label in labels:
            member = next((m for m in remaining if label.startswith(m) or label.endswith(m) or m in label), None)
            if member is None:
                break
            remaining.remove(member)
        else:
            return True
    return False


def _tolerance(figures: list[Figure]) -> float:
    return sum(figure.step / 2 for figure in figures) + 1e-9


def parts_and_wholes(figures: list[Figure], places: Places) -> list[Finding]:
    findings: list[Finding] = []
    findings.extend(_table_parts(figures, places))
    findings.extend(_prose_parts(figures, places))
    return findings


def _table_parts(figures: list[Figure], places: Places) -> list[Finding]:
    cells: dict[tuple[str, int, int], Figure] = {}
    parts: dict[tuple[str, int, int], list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.table is None or figure.row is None or figure.column is None or figure.kind not in _SUMMABLE:
            continue
        cells[(figure.node, figure.row, figure.column)] = figure
        if figure.parent_row is not None:
            parts[(figure.node, figure.parent_row, figure.column)].append(figure)
    findings = []
    for key, members in parts.items():
        whole = cells.get(key)
        if whole is not None and whole.base_value is not None:
            findings.extend(_compare(whole, members, places, partition=True, exhaustive=False))
    return findings


def _prose_parts(figures: list[Figure], places: Places) -> list[Finding]:
    groups: dict[tuple[str, str, float, str], list[Figure]] = defaultdict(list)
    wholes: dict[tuple[str, str, float, str], Figure] = {}
    for figure in figures:
        if figure.part_of and figure.kind in _SUMMABLE and figure.whole_value is not None and figure.per is None:
            groups[(figure.node, figure.part_of, figure.whole_value, figure.dimension)].append(figure)
    for figure in figures:
        if figure.table is None and figure.kind in _SUMMABLE and figure.base_value is not None and figure.per is None:
            wholes.setdefault((figure.node, figure.indicator, figure.base_value, figure.dimension), figure)
    findings = []
    for key, members in groups.items():
        whole = wholes.get(key)
        if whole is None:
            continue
        labels = [member.indicator for member in members]
        partition = _is_partition(labels)
        related = [member for member in members if partition or _same_head(member.indicator, whole.indicator)]
        if related:
            findings.extend(
                _compare(whole, related, places, partition=partition, summable=len(related) == len(members))
            )
    return findings


def subsets_exceeding(figures: list[Figure], places: Places) -> list[Finding]:
    """A figure of the units above a size (规模以上) larger than the same figure for all units: 粗钢产量 290.20万吨 against 274.8万吨."""
    subsets = frozenset(terms()["subset_scopes"])
    groups: dict[tuple[str, ...], dict[str, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for figure in figures:
        if figure.kind in _SUMMABLE and comparable(figure) and not figure.approx and not figure.estimate:
            scope = figure.scope if figure.scope in subsets else ("" if not figure.scope else None)
            if scope is not None:
                key = (figure.name, figure.entity, figure.compared_period, figure.dimension)
                groups[key][scope].append(figure)
    findings = []
    for scopes in groups.values():
        wholes = scopes.get("")
        if not wholes:
            continue
        for scope, parts in scopes.items():
            if not scope:
                continue
            whole = max(wholes, key=lambda figure: figure.base_value or 0.0)
            part = max(parts, key=lambda figure: figure.base_value or 0.0)
            total = whole.base_value or 0.0
            if (part.base_value or 0.0) <= total + _tolerance([part, whole]) or (part.base_value or 0.0) > 1.5 * total:
                continue
            findings.append(
                Finding(
                    kind=FindingKind.PART_EXCEEDS_WHOLE,
                    severity="warning",
                    confidence=0.6,
                    message=(
                        f"{scope}的「{part.indicator}」在{places.describe(part)}为{part.value_as_printed}，"
                        f"大于{places.describe(whole)}所载{whole.entity}全部的{whole.value_as_printed}，部分不应大于总体。"
                    ),
                    locations=[whole.location(), part.location()],
                    details={"whole": whole.number, "part": part.number, "scope": scope},
                )
            )
    return findings


def _same_head(part: str, whole: str) -> bool:
    """Whether a part names the same kind of thing as its whole (城镇常住人口 / 常住人口; 税收收入 / 一般公共预算收入)."""
    return len(part) >= 2 and len(whole) >= 2 and part[-2:] == whole[-2:]


def _compare(
    whole: Figure,
    parts: list[Figure],
    places: Places,
    partition: bool,
    summable: bool = True,
    exhaustive: bool = True,
) -> list[Finding]:
    """Parts larger than the whole; parts summing past the whole; a partition summing short of it."""
    total = whole.base_value or 0.0
    findings = []
    bigger = [part for part in parts if (part.base_value or 0.0) > total + _tolerance([part, whole])]
    for part in bigger:
        findings.append(
            Finding(
                kind=FindingKind.PART_EXCEEDS_WHOLE,
                severity="error",
                confidence=0.75,
                message=(
                    f"{places.describe(part)}「{part.indicator}」{part.value_as_printed}是「{whole.indicator}」的一部分，"
                    f"却大于后者的{whole.value_as_printed}。"
                ),
                locations=[whole.location(), part.location()],
                details={"whole": whole.number, "part": part.number},
            )
        )
    if bigger or not summable or len(parts) < 2 or any(part.approx for part in parts) or whole.approx:
        return findings
    if not partition:
        return findings
    summed = sum(part.base_value or 0.0 for part in parts)
    tolerance = _tolerance([*parts, whole])
    exceeds = summed > total + tolerance
    short = exhaustive and summed < total - tolerance
    if not (exceeds or short):
        return findings
    shown = _in_unit(summed, whole)
    relation = "大于" if exceeds else "小于"
    findings.append(
        Finding(
            kind=FindingKind.BREAKDOWN_MISMATCH,
            severity="error" if exceeds else "warning",
            confidence=0.7 if exceeds else 0.6,
            message=(
                f"{places.describe(whole)}「{whole.indicator}」为{whole.value_as_printed}，"
                f"其分项{printed(parts)}合计{shown}，{relation}总数。"
            ),
            locations=[whole.location()] + [part.location() for part in parts],
            details={"whole": whole.number, "sum": round(summed, 6)},
        )
    )
    return findings


def _in_unit(value: float, like: Figure) -> str:
    factor = (like.base_value / like.number) if like.number and like.base_value else 1.0
    number = value / factor
    return f"{number:.{max(like.decimals, 0)}f}{like.unit}"


def shares(figures: list[Figure], places: Places) -> list[Finding]:
    """Structure ratios (三次产业结构为7.5∶41.7∶50.8) whose parts should make 100."""
    findings = []
    for figure in figures:
        if figure.dimension != "ratio" or figure.ratio_parts is None or figure.ratio_index != 0:
            continue
        parts = figure.ratio_parts
        total = sum(parts)
        if len(parts) < 2 or not 90 <= total <= 110:
            continue
        decimals = max(len(str(part).split(".")[1]) if "." in str(part) else 0 for part in parts)
        tolerance = len(parts) * 0.5 * 10.0 ** (-decimals) + 1e-9
        if abs(total - 100) <= tolerance:
            continue
        findings.append(
            Finding(
                kind=FindingKind.SHARES_MISMATCH,
                severity="error",
                confidence=0.7,
                message=(
                    f"{places.describe(figure)}「{figure.indicator}」各部分"
                    f"{'∶'.join(_plain(part) for part in parts)}之和为{_plain(round(total, 6))}，不等于100。"
                ),
                locations=[figure.location()],
                details={"parts": parts, "sum": round(total, 6)},
            )
        )
    return findings


def _plain(value: float) -> str:
    return f"{value:g}"
