"""The targets register: every target with its owners, deadline and whether it was met.

Status is computed from the ``indicator`` facts in the knowledge base as it
is (once per store while its volumes stay the same, see
:mod:`fangzhi.services.computed`), so a target read from a plan becomes
``met`` or ``not_met`` as soon as a yearbook reporting the same indicator
for the deadline's year is ingested.  An indicator fact matches a target when:

- its indicator (normalised key, or the words as printed) is the target's;
- its period is the deadline's year (``2024``, ``2024年``, ``2024年末``);
- its kind agrees (a growth target needs a growth figure);
- its scope agrees (a target for 农村地区 needs a figure for 农村地区);
- its unit is the target's unit;
- it is not the target itself: a figure read from the target's own lines
  (``新建5G基站1400个`` read as a number) never decides it.  Figures whose
  period is marked as a target, an estimate or a running total
  (``2024年（目标）``, ``（预计）``, ``（累计）``) are not whole-year results and
  are not used either.

Comparisons are exactly as written (≥ for 达到/不低于/以上, > for 超过, ≤ for
不超过/以内); ``左右`` (about) is met within 5% of the target.  Anything else,
including qualitative commitments, is ``unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fangzhi.model import Fact
from fangzhi.rules.commitments import matching_key
from fangzhi.rules.conditions import compare
from fangzhi.services.computed import computed
from fangzhi.services.timeline import parse_date_bound
from fangzhi.store.base import Store

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
STATUSES = (MET, NOT_MET, UNKNOWN)
ABOUT_TOLERANCE = 0.05
_GROWTH_KINDS = {"growth", "decline"}


@dataclass
class Target:
    """A target fact with its status and the figure that decided it."""

    fact: Fact
    status: str
    evidence: dict[str, Any] | None = None
    note: str | None = None

    @property
    def data(self) -> dict[str, Any]:
        return self.fact.data

    def row(self) -> dict[str, Any]:
        """The export row: the issue's columns first, then the rest of what was read."""
        data = self.data
        return {
            "id": self.fact.id,
            "volume": self.fact.volume,
            "node": self.fact.node_id,
            "indicator": data.get("indicator"),
            "comparison": data.get("comparison"),
            "target_value": data.get("target_value"),
            "unit": data.get("unit"),
            "deadline": data.get("deadline"),
            "scope": data.get("scope"),
            "owners": data.get("owners", []),
            "page": data.get("page"),
            "line": data.get("line"),
            "status": self.status,
            "indicator_as_printed": data.get("indicator_as_printed"),
            "kind": data.get("kind"),
            "operator": data.get("operator"),
            "target_value_upper": data.get("target_value_upper"),
            "value_as_printed": data.get("value_as_printed"),
            "deadline_as_printed": data.get("deadline_as_printed"),
            "deadline_year": data.get("deadline_year"),
            "deadline_basis": data.get("deadline_basis"),
            "owner_basis": data.get("owner_basis"),
            "document": data.get("document"),
            "document_title": data.get("document_title"),
            "text": data.get("text"),
            "evidence": self.evidence,
            "status_note": self.note,
        }

    def to_dict(self) -> dict[str, Any]:
        return self.row()


def _period_year(period: Any) -> int | None:
    """The year of a whole-year period (2024, 2024年, 2024年末, 2024年全年); None for months or ranges."""
    match = re.fullmatch(r"\s*((?:19|20)\d{2})\s*(?:年)?\s*(?:全年|年末|年底|末|底)?\s*", str(period or ""))
    return int(match.group(1)) if match else None


def _area_scope(scope: str | None) -> str | None:
    """A target's scope as a figure would carry it; 全市/全县/全省 is the whole area, the default of a figure."""
    if scope and scope.startswith("全"):
        return None
    return scope


class _IndicatorIndex:
    """Indicator facts by key and year, read once per call."""

    def __init__(self, store: Store) -> None:
        self.by_year: dict[int, list[Fact]] = {}
        for fact in store.facts(kind="indicator"):
            year = _period_year(fact.data.get("period"))
            if year is not None:
                self.by_year.setdefault(year, []).append(fact)

    def candidates(self, target: Fact) -> list[Fact]:
        """Figures for the target's indicator and year, never the target's own words read as a figure."""
        data = target.data
        year = data.get("deadline_year")
        key = matching_key(data.get("indicator"))
        if not year or not key:
            return []
        found = []
        for fact in self.by_year.get(int(year), []):
            line = fact.data.get("line", fact.line_start)
            if fact.volume == target.volume and target.line_start <= line <= target.line_end:
                continue
            if fact.data.get("estimate"):
                continue
            names = {matching_key(fact.data.get("indicator")), matching_key(fact.data.get("indicator_as_printed"))}
            if key not in names:
                continue
            if (data.get("kind") in _GROWTH_KINDS) != (fact.data.get("kind") in _GROWTH_KINDS):
                continue
            scope = _area_scope(data.get("scope"))
            if scope and scope not in (fact.data.get("scope"), fact.data.get("entity")):
                continue
            if not scope and fact.data.get("scope"):
                continue
            found.append(fact)
        return found


def _status(target: Fact, index: _IndicatorIndex) -> tuple[str, dict[str, Any] | None, str | None]:
    data = target.data
    if data.get("kind") == "commitment" or data.get("target_value") is None:
        return UNKNOWN, None, "a qualitative commitment has no figure to check"
    if not data.get("deadline_year"):
        return UNKNOWN, None, "no deadline, so no period to check"
    candidates = index.candidates(target)
    if not candidates:
        return UNKNOWN, None, "no figure for this indicator and year in the knowledge base"
    unit = matching_key(data.get("unit"))
    same_unit = [
        fact
        for fact in candidates
        if matching_key(fact.data.get("unit")) == unit and fact.data.get("number") is not None
    ]
    if not same_unit:
        return UNKNOWN, None, "figures for this indicator and year are in another unit"
    fact = same_unit[0]
    value = float(fact.data["number"])
    target = float(data["target_value"])
    operator = data.get("operator") or ">="
    if data.get("kind") == "decline" and value < 0:
        value = -value
    if operator == "≈":
        met = abs(value - target) <= ABOUT_TOLERANCE * abs(target)
    elif operator == "between":
        met = compare(value, "between", target, data.get("target_value_upper"))
    else:
        met = compare(value, operator, target)
    evidence = {
        "fact": fact.id,
        "volume": fact.volume,
        "node": fact.node_id,
        "page": fact.data.get("page", fact.page),
        "line": fact.data.get("line", fact.line_start),
        "value_as_printed": fact.data.get("value_as_printed"),
        "number": fact.data.get("number"),
        "unit": fact.data.get("unit"),
        "period": fact.data.get("period"),
    }
    return (MET if met else NOT_MET), evidence, None


def targets(
    store: Store,
    owner: str | None = None,
    status: str | None = None,
    deadline_from: str | None = None,
    deadline_to: str | None = None,
    volume: str | None = None,
) -> list[Target]:
    """Targets sorted by deadline (undated last), then by document and line; filters narrow them.

    A malformed deadline bound or an unknown volume is an error, not an empty register.
    """
    parse_date_bound(deadline_from, "--deadline-from", end=False)
    parse_date_bound(deadline_to, "--deadline-to", end=True)
    if volume is not None:
        store.volume(volume)
    found = []
    for target in computed(store, "targets.register", lambda: _register(store)):
        data = target.data
        if volume is not None and target.fact.volume != volume:
            continue
        if owner and not any(owner in name for name in data.get("owners", [])):
            continue
        deadline = data.get("deadline") or ""
        if deadline_from and (not deadline or deadline < deadline_from):
            continue
        if deadline_to and (not deadline or deadline[: len(deadline_to)] > deadline_to):
            continue
        if status and target.status != status:
            continue
        found.append(target)
    return found


def _register(store: Store) -> tuple[Target, ...]:
    """Every target with its status, in register order; computed once per store while its volumes stay the same."""
    index = _IndicatorIndex(store)
    register = [Target(fact, *_status(fact, index)) for fact in store.facts(kind="target")]
    register.sort(
        key=lambda target: (target.data.get("deadline") or "9999", target.fact.volume, target.fact.line_start)
    )
    return tuple(register)


def target_rows(store: Store) -> Iterator[dict[str, Any]]:
    for target in targets(store):
        yield target.row()


def owners(store: Store) -> list[tuple[str, int]]:
    """Every owner named by a target, with how many targets it owns, most first."""
    counts: dict[str, int] = {}
    for target in computed(store, "targets.register", lambda: _register(store)):
        for name in target.data.get("owners", []):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
