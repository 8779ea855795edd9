"""What a forecast triggers under an alert plan read from the text.

Daily AQI forecasts go in (one value per averaging window, today first; a
range ``180-220`` is read at the end the plan names, 预报结果上限 by
default).  Every level's condition is evaluated on the whole forecast; the
highest level that holds is issued (a lower level's "且未达到高级别预警条件"
clause is what excludes it, and it is cited as such).  Out come the level, its
response level, the emission cuts, the measures of that response level (and
of the levels it builds on, where the plan says 在落实…的基础上), the units
that carry them out with their duties, and every clause applied.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fangzhi.errors import QueryError
from fangzhi.extract.rules import ALERT
from fangzhi.rules.conditions import condition_from_dict, evaluate, unread_parts
from fangzhi.rules.grammar import plain
from fangzhi.rules.owners import match_units
from fangzhi.services.rules import choose_rule_set, plan_fields, warning_dicts
from fangzhi.store.base import Store

NONE = "none"
_RANGE = re.compile(r"^(?P<low>\d+(?:\.\d+)?)\s*(?:-|~|～|—|–|至|到)\s*(?P<high>\d+(?:\.\d+)?)$")


def parse_forecast(forecast: str | Sequence[float | str]) -> list[tuple[float, float]]:
    """Daily forecasts as (low, high) pairs: ``160,210,220`` or ``160，180-220``; anything else is an error."""
    tokens = re.split(r"[,，、;；\s]+", forecast.strip()) if isinstance(forecast, str) else list(forecast)
    values: list[tuple[float, float]] = []
    for token in tokens:
        if isinstance(token, (int, float)):
            values.append((float(token), float(token)))
            continue
        token = str(token).strip()
        if not token:
            continue
        ranged = _RANGE.match(token)
        try:
            if ranged:
                low, high = float(ranged.group("low")), float(ranged.group("high"))
            else:
                low = high = float(token)
        except ValueError:
            raise QueryError(
                f"forecast value {token!r} is not a number; give daily AQI values like 160,210,220 (or ranges 180-220)"
            ) from None
        if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < low:
            raise QueryError(f"forecast value {token!r} is not a valid AQI value or range")
        values.append((low, high))
    if not values:
        raise QueryError("no forecast given; give daily AQI values like 160,210,220")
    return values


@dataclass
class AlertResult:
    level: str
    level_label: str | None
    response_level: str | None
    forecast: list[float]
    forecast_as_given: list[str]
    plan: dict[str, Any]
    emission_cuts: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    responsible_units: list[dict[str, Any]] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    procedures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "level_label": self.level_label,
            "response_level": self.response_level,
            "forecast": [plain(value) for value in self.forecast],
            "forecast_as_given": self.forecast_as_given,
            "plan": self.plan,
            "emission_cuts": self.emission_cuts,
            "measures": self.measures,
            "responsible_units": self.responsible_units,
            "clauses": self.clauses,
            "evaluations": self.evaluations,
            "procedures": self.procedures,
            "warnings": self.warnings,
        }


def alert(store: Store, forecast: str | Sequence[float | str], plan: str | None = None) -> AlertResult:
    """The alert level, response and duties a forecast triggers under the plan in force (or ``plan``)."""
    pairs = parse_forecast(forecast)
    fact = choose_rule_set(store, ALERT, plan)
    data = fact.data
    basis = (data.get("forecast_basis") or {}).get("value") or "upper"
    series = [low if basis == "lower" else high if basis == "upper" else (low + high) / 2 for low, high in pairs]
    averaging = float((data.get("averaging_hours") or {}).get("value") or 24)
    result = AlertResult(
        level=NONE,
        level_label=None,
        response_level=None,
        forecast=series,
        forecast_as_given=[f"{plain(low)}" if low == high else f"{plain(low)}-{plain(high)}" for low, high in pairs],
        plan=plan_fields(fact),
        warnings=warning_dicts(fact),
    )
    chosen = _evaluate_levels(result, data.get("levels", []), series, averaging)
    if data.get("averaging_hours"):
        result.clauses.append({"role": "averaging", **_citation(data["averaging_hours"])})
    if any(low != high for low, high in pairs) and data.get("forecast_basis"):
        result.clauses.append({"role": "forecast_basis", **_citation(data["forecast_basis"])})
    if chosen is None:
        result.clauses.insert(0, {"role": "no_level", "note": "no level's condition holds on this forecast"})
    else:
        _issue(result, chosen, data)
    return result


def _evaluate_levels(
    result: AlertResult, levels: list[dict[str, Any]], series: list[float], averaging: float
) -> dict[str, Any] | None:
    """Evaluate every level, highest first, into ``result``; the highest level that holds is the one issued."""
    chosen: dict[str, Any] | None = None
    for level in sorted(levels, key=lambda level: level.get("rank", 0), reverse=True):
        condition = condition_from_dict(level["condition"])
        evaluation = evaluate(condition, series, averaging)
        result.evaluations.append(
            {
                "level": level["level"],
                "label": level["label"],
                "holds": evaluation.holds,
                "evaluation": evaluation.to_dict(),
                "citation": level["citation"],
            }
        )
        if evaluation.holds is None:
            unread = "；".join(unread_parts(condition))
            result.warnings.append(
                {
                    "code": "alert_level_undecided",
                    "message": f"{level['label']}预警: part of the condition could not be read ({unread}); "
                    "this level was not considered",
                    "line": level["citation"]["line"],
                }
            )
        if evaluation.holds and chosen is None:
            chosen = level
        elif evaluation.holds and level.get("unless_higher"):
            result.clauses.append(
                {
                    "role": "superseded",
                    "note": f"{level['label']}预警 also holds, but only {level.get('unless_as_printed') or '未达到高级别预警条件时'}",
                    **level["citation"],
                }
            )
    return chosen


def _issue(result: AlertResult, chosen: dict[str, Any], data: dict[str, Any]) -> None:
    """What issuing ``chosen`` brings: its response level, emission cuts, measures and units, each clause cited."""
    result.level = chosen["level"]
    result.level_label = f"{chosen['label']}预警"
    result.response_level = chosen.get("response_level")
    result.clauses.insert(0, {"role": "level", **chosen["citation"]})
    if chosen.get("response_citation"):
        result.clauses.insert(1, {"role": "response", **chosen["response_citation"]})
    cuts = data.get("emission_cuts", {}).get(chosen["level"])
    if cuts:
        result.emission_cuts = cuts["cuts"]
        result.clauses.extend({"role": "emission_cuts", **citation} for citation in cuts["citations"])
    result.measures = _measures(data.get("measures", []), result.response_level)
    for group in result.measures:
        result.clauses.append({"role": "measures", **group["citation"]})
        if group.get("builds_on_citation"):
            result.clauses.append({"role": "builds_on", **group["builds_on_citation"]})
    result.responsible_units = _responsible_units(result.measures, data.get("units", []))
    result.procedures = {kind: data.get(kind, []) for kind in ("release", "adjustment", "lifting", "termination")}


def _citation(value: dict[str, Any]) -> dict[str, Any]:
    return {key: value[key] for key in ("node", "section", "section_title", "line", "text") if key in value}


def _measures(groups: list[dict[str, Any]], response_level: str | None) -> list[dict[str, Any]]:
    """The measure groups of a response level, and those it builds on, per scope (general, 市级 …)."""
    if response_level is None:
        return []
    chosen: list[dict[str, Any]] = []
    for scope in dict.fromkeys(group.get("scope", "") for group in groups):
        in_scope = {group["response_level"]: group for group in groups if group.get("scope", "") == scope}
        numeral: str | None = response_level
        inherited = False
        seen: set[str] = set()
        while numeral and numeral in in_scope and numeral not in seen:
            seen.add(numeral)
            group = in_scope[numeral]
            chosen.append({**group, "inherited": inherited})
            numeral = group.get("builds_on")
            inherited = True
    return chosen


def _responsible_units(measures: list[dict[str, Any]], duties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each unit named in the measures, with the measures it carries and its duties from the plan's list."""
    by_unit = {entry["unit"]: entry for entry in duties}
    found: dict[str, dict[str, Any]] = {}
    for group in measures:
        for item in group["items"]:
            matched = set(item["units"])
            names = list(item["units"])
            for actor in item["actors"]:
                if not any(_stands_for(actor, unit) for unit in matched):
                    names.append(actor)
            for name in names:
                entry = found.setdefault(
                    name,
                    {
                        "unit": name,
                        "listed": name in by_unit,
                        "duties": by_unit[name]["duties"] if name in by_unit else None,
                        "duties_citation": by_unit[name]["citation"] if name in by_unit else None,
                        "measures": [],
                    },
                )
                entry["measures"].append(
                    {
                        "response_level": group["response_level"],
                        "scope": group.get("scope", ""),
                        "category": item.get("category"),
                        "line": item["citation"]["line"],
                        "section": item["citation"].get("section"),
                    }
                )
    return list(found.values())


def _stands_for(actor: str, unit: str) -> bool:
    return unit in match_units(actor, [{"unit": unit}])
