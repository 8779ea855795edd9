"""Conditions read from a plan, and how they hold over a series of daily forecasts.

A condition is a tree: :class:`Threshold` leaves (``日AQI>150持续48小时以上``)
joined by :class:`AllOf` (且) and :class:`AnyOf` (或).  A part the grammar
could not read is kept as :class:`Unread`, so evaluation can say "cannot
tell" instead of guessing: every evaluation is three-valued (True, False,
None for unknown).

Durations are kept in hours as written; a forecast gives one value per
averaging window (24 hours unless the plan says otherwise), so a duration of
``h`` hours needs ``ceil(h / window)`` consecutive values.  Boundaries are
exactly as written: ``>200`` does not hold at 200, ``≥200`` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import ge, gt, le, lt
from typing import Any

from fangzhi.errors import QueryError

OPERATORS = (">", ">=", "<", "<=", "between")


_COMPARISONS: dict[str, Callable[[float, float], bool]] = {">": gt, ">=": ge, "<": lt, "<=": le}


def compare(value: float, operator: str, threshold: float, upper: float | None = None) -> bool:
    """``value operator threshold`` exactly as written; ``between`` includes both ends."""
    if operator == "between":
        return threshold <= value <= (upper if upper is not None else threshold)
    if operator not in _COMPARISONS:
        raise QueryError(
            f"a stored rule compares with {operator!r}, which this version cannot evaluate; "
            "ingest the document again to read it with the current grammar"
        )
    return _COMPARISONS[operator](value, threshold)


@dataclass
class Threshold:
    """An indicator compared with a value, for at least a number of hours."""

    indicator: str
    operator: str
    value: float
    hours: float = 24
    upper: float | None = None
    duration_as_printed: str | None = None
    as_printed: str = ""

    def windows(self, averaging_hours: float = 24) -> int:
        """How many consecutive forecast values the duration needs."""
        return max(1, math.ceil(self.hours / averaging_hours - 1e-9))

    def holds_on(self, value: float) -> bool:
        return compare(value, self.operator, self.value, self.upper)

    def best_run(self, series: list[float]) -> tuple[int, int]:
        """(start, length) of the longest run of consecutive values that satisfy the comparison."""
        best = (0, 0)
        start = None
        for index, value in enumerate(series + [math.nan]):
            if not math.isnan(value) and self.holds_on(value):
                if start is None:
                    start = index
                continue
            if start is not None and index - start > best[1]:
                best = (start, index - start)
            start = None
        return best

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "threshold",
            "indicator": self.indicator,
            "operator": self.operator,
            "value": self.value,
            "upper": self.upper,
            "hours": self.hours,
            "duration_as_printed": self.duration_as_printed,
            "as_printed": self.as_printed,
        }


@dataclass
class AllOf:
    parts: list[Condition] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "all", "parts": [part.to_dict() for part in self.parts]}


@dataclass
class AnyOf:
    parts: list[Condition] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "any", "parts": [part.to_dict() for part in self.parts]}


@dataclass
class Unread:
    """A part of a condition the grammar could not interpret, kept as printed."""

    as_printed: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "unread", "as_printed": self.as_printed}


Condition = Threshold | AllOf | AnyOf | Unread


def condition_from_dict(value: dict[str, Any]) -> Condition:
    kind = value["type"]
    if kind == "threshold":
        return Threshold(
            indicator=value["indicator"],
            operator=value["operator"],
            value=value["value"],
            hours=value.get("hours", 24),
            upper=value.get("upper"),
            duration_as_printed=value.get("duration_as_printed"),
            as_printed=value.get("as_printed", ""),
        )
    if kind == "all":
        return AllOf([condition_from_dict(part) for part in value["parts"]])
    if kind == "any":
        return AnyOf([condition_from_dict(part) for part in value["parts"]])
    return Unread(value.get("as_printed", ""))


@dataclass
class Evaluation:
    """Whether a condition holds on a series, and why: the days each threshold matched."""

    holds: bool | None
    as_printed: str
    days: list[int] = field(default_factory=list)
    needed: int | None = None
    parts: list[Evaluation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"holds": self.holds, "as_printed": self.as_printed}
        if self.needed is not None:
            result["consecutive_days_needed"] = self.needed
            result["days"] = [day + 1 for day in self.days]
        if self.parts:
            result["parts"] = [part.to_dict() for part in self.parts]
        return result


def evaluate(condition: Condition, series: list[float], averaging_hours: float = 24) -> Evaluation:
    """Evaluate over the whole series: a threshold holds when some run of values is long enough."""
    if isinstance(condition, Threshold):
        needed = condition.windows(averaging_hours)
        start, length = condition.best_run(series)
        holds = length >= needed
        days = list(range(start, start + length)) if length else []
        return Evaluation(holds, condition.as_printed, days=days, needed=needed)
    if isinstance(condition, Unread):
        return Evaluation(None, condition.as_printed)
    parts = [evaluate(part, series, averaging_hours) for part in condition.parts]
    values = [part.holds for part in parts]
    joiner = "且" if isinstance(condition, AllOf) else "或"
    printed = joiner.join(part.as_printed for part in parts)
    if isinstance(condition, AllOf):
        holds = False if False in values else (None if None in values else True)
    else:
        holds = True if True in values else (None if None in values else False)
    return Evaluation(holds, printed, parts=parts)


def thresholds(condition: Condition) -> list[Threshold]:
    if isinstance(condition, Threshold):
        return [condition]
    if isinstance(condition, (AllOf, AnyOf)):
        return [found for part in condition.parts for found in thresholds(part)]
    return []


def unread_parts(condition: Condition) -> list[str]:
    if isinstance(condition, Unread):
        return [condition.as_printed]
    if isinstance(condition, (AllOf, AnyOf)):
        return [found for part in condition.parts for found in unread_parts(part)]
    return []
