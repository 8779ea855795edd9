"""A funding standard as a calculator: road lengths in, the minimum money a year and each level's share out.

The rates (元 per kilometre and year for each road class) and the split
between levels of government (省、市、县 2：2：6) are those read from the
document (:mod:`fangzhi.extract.rules`); nothing here knows any plan's numbers.
Amounts are exact decimals of yuan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fangzhi.errors import QueryError
from fangzhi.extract.rules import FUNDING
from fangzhi.rules import words
from fangzhi.services.rules import choose_rule_set, plan_fields, warning_dicts
from fangzhi.store.base import Store


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


@dataclass
class FundingResult:
    total: Decimal
    unit: str
    minimum: bool
    minimum_as_printed: str | None
    subject: str
    plan: dict[str, Any]
    lines: list[dict[str, Any]] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": _number(self.total),
            "unit": self.unit,
            "minimum": self.minimum,
            "minimum_as_printed": self.minimum_as_printed,
            "subject": self.subject,
            "plan": self.plan,
            "lines": self.lines,
            "shares": self.shares,
            "clauses": self.clauses,
            "warnings": self.warnings,
        }


def funding(store: Store, lengths: Mapping[str, float | None], plan: str | None = None) -> FundingResult:
    """The annual money a standard requires for road lengths in km, keyed by road class (``county_road`` …)."""
    given = {key: value for key, value in lengths.items() if value is not None}
    for key, value in given.items():
        if not math.isfinite(value):
            raise QueryError(f"road length for {key} must be a finite number of kilometres (got {value})")
        if value < 0:
            raise QueryError(f"road length for {key} must not be negative (got {value})")
    if not given:
        raise QueryError("give at least one road length, e.g. --county-road-km 120")
    fact = choose_rule_set(store, FUNDING, plan)
    data = fact.data
    rates = {rate["category"]: rate for rate in data.get("rates", [])}
    result = FundingResult(
        total=Decimal(0),
        unit="元",
        minimum=bool(data.get("minimum")),
        minimum_as_printed=data.get("minimum_as_printed"),
        subject=data.get("subject", ""),
        plan=plan_fields(fact),
        warnings=warning_dicts(fact),
    )
    labels = words.road_classes().labels
    for key, km in given.items():
        rate = rates.get(key)
        if rate is None:
            result.warnings.append(
                {
                    "code": "funding_no_rate",
                    "message": f"the standard sets no rate for {labels.get(key, key)}; its {km} km are not counted",
                    "line": data.get("line"),
                }
            )
            continue
        amount = Decimal(str(km)) * Decimal(str(rate["yuan_per_km_year"]))
        result.total += amount
        result.lines.append(
            {
                "category": key,
                "label": rate["label"],
                "km": km,
                "yuan_per_km_year": rate["yuan_per_km_year"],
                "amount": _number(amount),
                "as_printed": rate["as_printed"],
            }
        )
    result.clauses.append({"role": "rates", **data["citation"]})
    split = data.get("split")
    if split:
        result.shares = _shares(result.total, split)
        if split.get("citation") and split["citation"] != data["citation"]:
            result.clauses.append({"role": "split", **split["citation"]})
        elif split.get("citation"):
            result.clauses[-1]["role"] = "rates and split"
    return result


def _shares(total: Decimal, split: dict[str, Any]) -> list[dict[str, Any]]:
    """Each level of government's part of ``total`` under the standard's ratio (省、市、县 2：2：6)."""
    parts = [Decimal(str(part)) for part in split["ratio"]]
    whole = sum(parts)
    return [
        {
            "level": level,
            "label": label,
            "ratio": _number(part),
            "share": _number(part / whole),
            "amount": _number(total * part / whole),
        }
        for level, label, part in zip(split["levels"], split["labels"], parts, strict=False)
    ]
