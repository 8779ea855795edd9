"""One indicator, one place, one period, different values; and the same figure printed in the wrong unit.

Figures are compared only within one key: indicator, entity, period, scope,
kind, dimension and basis (growth over last year vs. over the province).  A
county's 优良天数 and the city's, or 1—11月 and the full year, never meet.
Within a key, values that agree up to rounding are one value; two values
left over make a finding, more confident when the key is specific, the
values close (a typo, not a different measure) and one value is printed
more often than the other.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import combinations

from fangzhi.extract.indicator_terms import terms
from fangzhi.services.checks import Finding, FindingKind
from fangzhi.services.checks.figures import Figure, agreement, printed, within_approx
from fangzhi.services.checks.places import Places

_PERIOD_MARK = re.compile(r"（[^）]*）")
MIN_INDICATOR_LENGTH = 4
# A short name (耕地, 粗钢) names one thing when its unit is a physical measure and its figure is precise.
MIN_MEASURED_LENGTH = 2
_MEASURED = ("area", "weight", "length", "energy", "power", "volume", "weight_coal")
_VAGUE_PERIODS = ("（目标）", "（累计）", "（此次）")


def comparable(figure: Figure) -> bool:
    return (
        _long_enough(figure)
        and figure.base_value is not None
        and not any(mark in figure.period for mark in _VAGUE_PERIODS)
        and figure.dimension not in ("number", "index")
        and figure.per is None
    )


def _long_enough(figure: Figure) -> bool:
    if len(figure.name) >= MIN_INDICATOR_LENGTH:
        return True
    return (
        len(figure.name) >= MIN_MEASURED_LENGTH
        and figure.name not in _generic_names()
        and figure.dimension in _MEASURED
        and _significant_digits(figure.value_as_printed) >= 3
    )


@lru_cache(maxsize=1)
def _generic_names() -> frozenset[str]:
    return frozenset(terms()["generic_names"])


def _significant_digits(printed: str) -> int:
    return len("".join(character for character in printed if character.isdigit()).lstrip("0"))


def _key(figure: Figure) -> tuple[str, ...]:
    basis = "" if figure.basis in ("", "上年") else figure.basis
    return (
        figure.name,
        figure.entity,
        figure.compared_period,
        figure.scope,
        figure.kind,
        figure.dimension,
        basis,
    )


def value_conflicts(figures: list[Figure], places: Places) -> list[Finding]:
    groups: dict[tuple[str, ...], list[Figure]] = defaultdict(list)
    for figure in figures:
        if comparable(figure) and not figure.estimate:
            groups[_key(figure)].append(figure)
    names = _name_ambiguity(figures)
    findings: list[Finding] = []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        exact = [f for f in members if not f.approx]
        clusters = _clusters(exact)
        if len(clusters) < 2:
            continue
        clusters.sort(key=lambda cluster: (-len(cluster), cluster[0].line))
        for first, second in combinations(clusters, 2):
            values = [cluster[0].base_value or 0.0 for cluster in clusters]
            finding = _conflict(key, first, second, places, values, names[_name_key(first[0])])
            if finding is not None:
                findings.append(finding)
    return findings


def _name_key(figure: Figure) -> tuple[str, str, str, str, str]:
    return (figure.name, figure.entity, figure.organisation or "", figure.kind, figure.dimension)


def _name_ambiguity(figures: list[Figure]) -> dict[tuple[str, str, str, str, str], list[float]]:
    """The different values one name has for one place (or body) over every year: a name with many is generic."""
    values: dict[tuple[str, str, str, str, str], set[float]] = defaultdict(set)
    for figure in figures:
        if comparable(figure) and not figure.approx and figure.base_value is not None and _whole_year(figure):
            values[_name_key(figure)].add(round(figure.base_value, 6))
    return defaultdict(list, {key: sorted(found) for key, found in values.items()})


def _whole_year(figure: Figure) -> bool:
    """A figure for a year or its end, not for a day or a spell of it (7月2日的平均降水量)."""
    return "月" not in figure.compared_period and "日" not in figure.compared_period


def _clusters(figures: list[Figure]) -> list[list[Figure]]:
    """Figures grouped by value; values that agree up to rounding are one value."""
    clusters: list[list[Figure]] = []
    for figure in sorted(figures, key=lambda f: -f.decimals):
        for cluster in clusters:
            if agreement(cluster[0], figure) == "same":
                cluster.append(figure)
                break
        else:
            clusters.append([figure])
    return clusters


def _conflict(
    key: tuple[str, ...],
    first: list[Figure],
    second: list[Figure],
    places: Places,
    values: list[float],
    spread: list[float],
) -> Finding | None:
    a, b = first[0], second[0]
    if {f.node for f in first} == {f.node for f in second} and len({f.node for f in first}) == 1:
        return None
    relation = agreement(a, b)
    kind = FindingKind.WRONG_ROUNDING if relation == "rounding" else FindingKind.VALUE_CONFLICT
    confidence = _confidence(key, first, second, places, values, spread)
    indicator = Counter(figure.indicator for figure in first + second).most_common(1)[0][0]
    entity, period = key[1], key[2]
    described = f"「{indicator}」（{entity}，{period}{_kind_word(a)}）"
    if kind == FindingKind.WRONG_ROUNDING:
        fine, coarse = (a, b) if a.step < b.step else (b, a)
        message = (
            f"{described}在{places.describe(fine)}为{fine.value_as_printed}，"
            f"在{places.describe(coarse)}为{coarse.value_as_printed}，后者不是前者的正确修约。"
        )
        confidence = max(confidence, 0.6)
    else:
        message = (
            f"{described}在{places.describe_all(first)}为{printed(first)}，"
            f"在{places.describe_all(second)}为{printed(second)}，数值不一致。"
        )
    locations = [figure.location() for figure in first + second]
    return Finding(
        kind=kind,
        severity="error" if confidence >= 0.7 else "warning",
        confidence=confidence,
        message=message,
        locations=locations,
        details={"indicator": indicator, "entity": entity, "period": period, "values": [a.number, b.number]},
    )


def _kind_word(figure: Figure) -> str:
    if figure.kind == "growth":
        return "，增速" if figure.unit in ("%", "％") else "，增减"
    if figure.kind == "rank":
        return "，位次"
    return ""


def _confidence(
    key: tuple[str, ...],
    first: list[Figure],
    second: list[Figure],
    places: Places,
    values: list[float],
    spread: list[float],
) -> float:
    """How sure we are that two values of one key are a real disagreement, not two different things.

    ``values`` are the different values the key has; ``spread`` those the
    indicator's name has for the same place over every year (a generic name
    such as 满意率 or 新开工项目 has many).  Only values of the same order as
    the two compared count: 17.8万 and 18.54万 新增技能人才 compete, the 225
    of one association do not.
    """
    a, b = first[0], second[0]
    values_near = _near(values, a, b)
    spread_near = _near(spread, a, b)
    score = 0.5
    if len(key[0]) >= 6:
        score += 0.05
    ratio = _ratio(a, b)
    if ratio <= 1.02:
        score += 0.2
    elif ratio <= 1.1:
        score += 0.15
    elif ratio <= 1.5:
        score += 0.0
    elif ratio <= 3:
        score -= 0.1
    else:
        score -= 0.3
    if values_near >= 3:
        score -= 0.1 * (values_near - 2)
    if spread_near >= 4:
        score -= 0.1 if spread_near < 6 else 0.2
    if len(first) >= 2 and len(second) == 1:
        score += 0.05
    strong = sum(1 for side in (first, second) if any(places.is_volume_summary(f.node) for f in side))
    weak = sum(1 for side in (first, second) if any(places.is_summary(f.node) for f in side))
    score += {0: 0.0, 1: 0.1, 2: 0.15}[strong] or (0.05 if weak else -0.1)
    if len({places.part(f.node) for f in first + second}) == 1:
        score -= 0.1
    if a.kind == "count" and max(abs(a.number), abs(b.number)) < 20:
        score -= 0.1 if strong else 0.15
    if a.kind == "growth":
        score -= 0.05
    if any(not f.printed_label for f in (a, b)):
        score -= 0.05
    score -= _organisation_penalty(first, second)
    return max(0.05, min(0.95, score))


def _organisation_penalty(first: list[Figure], second: list[Figure]) -> float:
    """Less sure when one place prints a body's own figure (a bureau's 35 services) and the other the city's."""
    a, b = _organisation(first), _organisation(second)
    if a == b:
        return 0.0
    return 0.25 if a and b else 0.15


def _organisation(side: list[Figure]) -> str | None:
    found = {figure.organisation for figure in side}
    return found.pop() if len(found) == 1 else None


NEAR = 3.0


def _near(values: list[float], a: Figure, b: Figure) -> int:
    """How many of ``values`` are within a factor of three of ``a`` or ``b``."""
    anchors = [abs(x) for x in (a.base_value or 0.0, b.base_value or 0.0) if x]
    return sum(1 for value in values if any(min(abs(value), x) * NEAR >= max(abs(value), x) for x in anchors))


def _ratio(a: Figure, b: Figure) -> float:
    x, y = abs(a.base_value or 0.0), abs(b.base_value or 0.0)
    if min(x, y) == 0:
        return math.inf
    return max(x, y) / min(x, y)


def unit_errors(figures: list[Figure], places: Places) -> list[Finding]:
    """The same figure printed with a unit a power of ten away (60GWh and 60亿瓦时; 17.05吨 beside 38.58万吨)."""
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        if (
            figure.base_value
            and len(figure.indicator) >= 3
            and figure.kind in ("level", "count")
            and figure.dimension not in ("number", "index", "percent")
        ):
            groups[(figure.indicator, _PERIOD_MARK.sub("", figure.compared_period), figure.dimension)].append(figure)
    findings: list[Finding] = []
    for (indicator, period, _dimension), members in groups.items():
        if len({figure.unit for figure in members}) < 2:
            continue
        involved: dict[str, Figure] = {}
        confidence = 0.0
        for a, b in combinations(members, 2):
            if a.unit == b.unit:
                continue
            score = _unit_error_confidence(a, b)
            if score > 0:
                confidence = max(confidence, score)
                involved[a.id] = a
                involved[b.id] = b
        if not involved:
            continue
        chosen = sorted(involved.values(), key=lambda f: (f.unit, f.line))
        by_value: dict[str, list[Figure]] = defaultdict(list)
        for figure in chosen:
            by_value[figure.value_as_printed].append(figure)
        written = "；".join(f"在{places.describe_all(group)}写作{value}" for value, group in by_value.items())
        entities = list(dict.fromkeys(figure.entity for figure in chosen))
        findings.append(
            Finding(
                kind=FindingKind.UNIT_ERROR,
                severity="error" if confidence >= 0.7 else "warning",
                confidence=confidence,
                message=f"{'与'.join(entities)}的「{indicator}」{written}，换算成同一单位后相差{_factor_words(_spread(chosen))}，疑为单位或数量级错误。",
                locations=[figure.location() for figure in chosen],
                details={"indicator": indicator, "period": period, "values": list(by_value)},
            )
        )
    return findings


def unit_slips(figures: list[Figure], places: Places) -> list[Finding]:
    """One figure printed with units of two kinds: 快递业务总量 1.21亿件 in the text, 1.21亿元 in the table."""
    groups: dict[tuple[str, ...], list[Figure]] = defaultdict(list)
    for figure in figures:
        if (
            comparable(figure)
            and figure.kind in ("level", "count")
            and not figure.approx
            and not figure.estimate
            and _significant_digits(f"{figure.number:g}".rstrip("0")) >= 3
        ):
            groups[(figure.name, figure.entity, figure.compared_period, f"{figure.number:g}")].append(figure)
    findings = []
    for (_name, entity, _period, _number), members in groups.items():
        units: dict[str, list[Figure]] = defaultdict(list)
        for figure in members:
            units[figure.dimension].append(figure)
        if len(units) < 2 or all(side[0].kind == "count" for side in units.values()):
            continue  # 100个 and 100家 count the same way
        sides = sorted(units.values(), key=lambda side: (-len(side), side[0].line))
        first, second = sides[0], sides[1]
        if {figure.node for figure in first} & {figure.node for figure in second}:
            continue  # 369名 … 369万元 in one passage are two figures
        indicator = first[0].indicator
        findings.append(
            Finding(
                kind=FindingKind.UNIT_ERROR,
                severity="error",
                confidence=0.75,
                message=(
                    f"{entity}的「{indicator}」在{places.describe_all(first)}写作{printed(first)}，"
                    f"在{places.describe_all(second)}写作{printed(second)}，数字相同而单位不同，疑为单位错误。"
                ),
                locations=[figure.location() for figure in first + second],
                details={"indicator": indicator, "values": [printed(first), printed(second)]},
            )
        )
    return findings


def _unit_error_confidence(a: Figure, b: Figure) -> float:
    if not a.base_value or not b.base_value or a.number == 0 or b.number == 0:
        return 0.0
    printed_ratio = max(abs(a.number), abs(b.number)) / min(abs(a.number), abs(b.number))
    base_ratio = max(abs(a.base_value), abs(b.base_value)) / min(abs(a.base_value), abs(b.base_value))
    if base_ratio < 5 or printed_ratio > 10:
        return 0.0
    exponent = math.log10(base_ratio)
    if a.entity == b.entity and printed_ratio <= 1.02 and abs(exponent - round(exponent)) < 0.05:
        confidence = 0.85
    elif _part_of_whole(a, b) and base_ratio >= 1000 and printed_ratio <= 3 and a.dimension in _PHYSICAL:
        confidence = 0.6
    else:
        return 0.0
    return confidence - (0.1 if a.approx or b.approx else 0.0)


_PHYSICAL = ("weight", "energy", "volume", "weight_coal")
_WHOLES = ("全市", "全县", "全区", "全省")


def _part_of_whole(a: Figure, b: Figure) -> bool:
    """One figure is about the whole place, the other about a unit inside it (a company's output beside the city's)."""
    return a.entity != b.entity and (a.entity in _WHOLES) != (b.entity in _WHOLES)


def _spread(figures: list[Figure]) -> float:
    values = [abs(f.base_value) for f in figures if f.base_value]
    return max(values) / min(values)


def _factor_words(ratio: float) -> str:
    exponent = round(math.log10(ratio))
    if abs(math.log10(ratio) - exponent) < 0.05 and exponent >= 1:
        return f"{10**exponent}倍"
    return f"约{ratio:.0f}倍"


def estimates(figures: list[Figure], places: Places) -> list[Finding]:
    """An estimate (预计…左右) printed beside a final figure that differs from it: a soft finding."""
    finals: dict[tuple[str, ...], list[Figure]] = defaultdict(list)
    for figure in figures:
        if comparable(figure) and not figure.estimate and not figure.approx:
            finals[_plain_key(figure)].append(figure)
    findings = []
    seen: set[tuple[str, ...]] = set()
    for figure in figures:
        if not figure.estimate or len(figure.indicator) < MIN_INDICATOR_LENGTH or figure.base_value is None:
            continue
        key = _plain_key(figure)
        matches = [final for final in finals.get(key, []) if not within_approx(figure, final, tolerance=0.0)]
        if not matches or (key + (str(figure.number),)) in seen:
            continue
        seen.add(key + (str(figure.number),))
        final = matches[0]
        message = (
            f"「{figure.indicator}」（{figure.entity}，{final.plain_period}{_kind_word(final)}）在{places.describe(figure)}"
            f"预计为{figure.value_as_printed}，在{places.describe_all(matches)}的实际数为{printed(matches)}，请核对是否应采用实际数。"
        )
        findings.append(
            Finding(
                kind=FindingKind.ESTIMATE_DIFFERS,
                severity="info",
                confidence=0.5,
                message=message,
                locations=[figure.location()] + [f.location() for f in matches],
                details={"indicator": figure.indicator, "estimate": figure.number, "final": final.number},
            )
        )
    return findings


def _plain_key(figure: Figure) -> tuple[str, ...]:
    basis = "" if figure.basis in ("", "上年") else figure.basis
    return (figure.indicator, figure.entity, figure.plain_period, figure.kind, figure.dimension, basis)


# ------------------------------------------------------------------ similar names

SIMILAR_RATIO = 1.25
SIMILAR_PENALTY = 0.1
MIN_SIMILAR_LENGTH = 4
MAX_INSERTED = 8


def similar_names(figures: list[Figure], places: Places) -> list[Finding]:
    """One measure under two wordings with two values: 有效注册商标量 50353件 and 有效商标注册量 52769件.

    Two names are one measure when one is the other with words inserted that
    do not narrow it (万人发明专利拥有量 / 万人有效发明专利拥有量; 钢材产量 /
    规模以上工业企业钢材产量 when both are 规模以上), or when they are the same
    characters in another order.  Words that narrow a measure (新增, 人均,
    城镇, 省级 …: ``comparison_blocking_words``) keep two names apart, and the
    values must be close (within a quarter): far apart they are two measures.
    Less certain than one name with two values.
    """
    buckets: dict[tuple[str, ...], dict[str, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for figure in figures:
        if comparable(figure) and not figure.estimate and not figure.approx and figure.kind != "rank":
            buckets[_key(figure)[1:]][figure.name].append(figure)
    spread = _name_ambiguity(figures)
    findings: list[Finding] = []
    for key, names in buckets.items():
        if len(names) < 2:
            continue
        scopes = frozenset(filter(None, key[2].split("、")))
        for short, long in _similar_pairs(list(names), scopes):
            finding = _similar_conflict(key, names[short], names[long], places, spread)
            if finding is not None:
                findings.append(finding)
    return findings


def _similar_pairs(names: list[str], scopes: frozenset[str]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    by_tail: dict[str, list[str]] = defaultdict(list)
    by_letters: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if len(name) >= MIN_SIMILAR_LENGTH:
            by_tail[name[-2:]].append(name)
            by_letters["".join(sorted(name))].append(name)
    for group in by_letters.values():
        pairs.update((a, b) for a, b in combinations(sorted(group), 2))
    for group in by_tail.values():
        group.sort(key=len)
        for index, short in enumerate(group):
            for long in group[index + 1 :]:
                if len(long) > len(short) and _only_inserted(short, long, scopes):
                    pairs.add((short, long))
    return pairs


def _only_inserted(short: str, long: str, scopes: frozenset[str]) -> bool:
    """Whether ``long`` is ``short`` with at most two runs of words inserted, none of them narrowing it."""
    head = 0
    while head < len(short) and short[head] == long[head]:
        head += 1
    tail = 0
    while tail < len(short) - head and short[-1 - tail] == long[-1 - tail]:
        tail += 1
    inner = long[head : len(long) - tail]
    middle = short[head : len(short) - tail]
    if not middle:
        inserted = [inner]
    else:
        position = inner.find(middle)
        if position < 0:
            return False
        inserted = [inner[:position], inner[position + len(middle) :]]
    words = "".join(inserted)
    if not words or len(words) > MAX_INSERTED:
        return False
    if head == 0 and len(inserted[0]) == 1:
        return False  # one character before a name makes a new word: 出口 / 进出口, 利润 / 净利润
    for scope in scopes:
        words = words.replace(scope, "")
    return not any(word in words for word in _blocking_words())


@lru_cache(maxsize=1)
def _blocking_words() -> tuple[str, ...]:
    return tuple(terms()["comparison_blocking_words"])


def _similar_conflict(
    key: tuple[str, ...],
    shorter: list[Figure],
    longer: list[Figure],
    places: Places,
    spread: dict[tuple[str, str, str, str, str], list[float]],
) -> Finding | None:
    left = _clusters([f for f in shorter if not f.approx])
    right = _clusters([f for f in longer if not f.approx])
    if any(agreement(x[0], y[0]) != "different" for x in left for y in right):
        return None  # a value both names print: the other values are other measures
    candidates = [(x, y) for x in left for y in right if _ratio(x[0], y[0]) <= SIMILAR_RATIO]
    if not candidates:
        return None
    first, second = min(candidates, key=lambda pair: _ratio(pair[0][0], pair[1][0]))
    a, b = first[0], second[0]
    values = [cluster[0].base_value or 0.0 for cluster in left + right]
    finding = _conflict((a.name, *key), first, second, places, values, spread[_name_key(a)])
    if finding is None:
        return None
    finding.confidence = max(0.05, finding.confidence - SIMILAR_PENALTY)
    finding.severity = "error" if finding.confidence >= 0.7 else "warning"
    finding.details["names"] = [a.indicator, b.indicator]
    return finding
