"""Dated targets and commitments: deadlines, target values and what they measure.

A plan promises in a few shapes: ``到2023年年底……农村公路列养率达到100%，年均
养护工程比例不低于5%``; ``实现城市地区服务半径不超过5公里、平均急救反应时间不超过
15分钟``; ``到2026年……共配置300台以上AED``; and, in a 政府工作报告's plan for
the year, ``研发经费投入强度2.1%以上``, ``新建5G基站1400个``.  This module finds
the deadlines, the quantified clauses and their scope; which text is a plan
and who owns it is the extractor's business (:mod:`fangzhi.extract.targets`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from fangzhi.rules import words
from fangzhi.rules.grammar import NUMBER
from fangzhi.text.normalize import fold_for_search

# Clause delimiters: a target's indicator never reaches back past one of these.
_DELIMITERS = "，,。；：;:！？!?\n"


@dataclass(frozen=True)
class Deadline:
    start: int
    end: int
    year: int
    month: int | None
    as_printed: str

    @property
    def iso(self) -> str:
        """The last day the deadline allows: ``2023-12-31`` for 2023年年底 or 到2023年, ``2024-06-30`` for 2024年6月底."""
        if self.month is None:
            return f"{self.year}-12-31"
        import calendar

        return f"{self.year}-{self.month:02d}-{calendar.monthrange(self.year, self.month)[1]:02d}"


@cache
def _deadline_pattern() -> re.Pattern[str]:
    vocabulary = words.vocabulary()
    prefixes = words.alternation(vocabulary["deadline_prefixes"])
    suffixes = words.alternation(vocabulary["deadline_suffixes"])
    periods = words.alternation(list(vocabulary["plan_periods"]))
    return re.compile(
        rf"(?P<prefix>{prefixes})?\s*(?:(?P<year>(?:19|20)\d{{2}})\s*年(?:\s*(?P<month>\d{{1,2}})\s*月)?"
        rf"|“?(?P<period>{periods})”?(?:时期)?)\s*(?P<suffix>{suffixes})?(?!\s*\d{{1,2}}\s*日)(?![\d月])"
    )


def deadlines(text: str) -> list[Deadline]:
    """Deadline phrases: a year (or 十四五) with 到/力争… before it or 年底/前… after it, or opening a clause.

    ``2025年前`` is read as "by the end of 2025", as plans mean it.
    """
    found = []
    periods = words.vocabulary()["plan_periods"]
    for match in _deadline_pattern().finditer(text):
        prefix, suffix = match.group("prefix"), match.group("suffix")
        opens_clause = match.start() == 0 or text[match.start() - 1] in _DELIMITERS
        closes = text[match.end() : match.end() + 1]
        if not (prefix or suffix or (opens_clause and closes in ("，", ","))):
            continue
        if match.group("year"):
            year = int(match.group("year"))
            month = int(match.group("month")) if match.group("month") else None
            if month is not None and not 1 <= month <= 12:
                continue
        else:
            if not (prefix or suffix):
                continue
            year, month = periods[match.group("period")], None
        found.append(Deadline(match.start(), match.end(), year, month, match.group(0).strip()))
    return found


@dataclass(frozen=True)
class Quantity:
    """A target value in a clause: ``达到100%``, ``不超过5公里``, ``300台以上``, ``增长7.5%``, ``3—5家``."""

    start: int
    end: int
    value: float
    upper: float | None
    unit: str | None
    comparison: str | None
    suffix: str | None
    operator: str | None
    kind: str
    as_printed: str


@cache
def _quantity_pattern() -> re.Pattern[str]:
    vocabulary = words.vocabulary()
    comparisons = words.alternation([word for entry in vocabulary["target_comparisons"] for word in entry["words"]])
    suffixes = words.alternation([word for entry in vocabulary["target_suffixes"] for word in entry["words"]])
    units = words.alternation(vocabulary["target_units"])
    return re.compile(
        rf"(?P<comparison>{comparisons})?\s*(?P<value>{NUMBER})(?:\s*(?:-|—|–|~|～|至|到)\s*(?P<upper>{NUMBER}))?"
        rf"\s*(?P<unit>{units})?\s*(?P<suffix>{suffixes})?"
    )


@cache
def _comparison_operators() -> dict[str, tuple[str, str]]:
    return {
        word: (entry["operator"], entry.get("kind", "level"))
        for entry in words.vocabulary()["target_comparisons"]
        for word in entry["words"]
    }


@cache
def _suffix_operators() -> dict[str, str]:
    return words.operators("target_suffixes")


def quantities(text: str) -> list[Quantity]:
    """Every number with a unit in a clause, with the comparison around it (if any)."""
    found = []
    for match in _quantity_pattern().finditer(text):
        unit = match.group("unit")
        comparison = match.group("comparison")
        suffix = match.group("suffix")
        if unit is None and not comparison:
            continue
        before = text[match.start() - 1 : match.start()] if match.start() else ""
        if before.isdigit() or before in (".", "第") or text[match.end() : match.end() + 1] in ("年", "月", "日"):
            continue
        if unit is None and text[match.end() : match.end() + 1].isalnum():
            continue
        operator, kind = (None, "level")
        if comparison:
            operator, kind = _comparison_operators()[comparison]
        if suffix:
            suffix_operator = _suffix_operators()[suffix]
            if operator is None or suffix_operator == "≈" or kind != "level" or operator in (">=", "<="):
                operator = suffix_operator if kind == "level" or suffix_operator == "≈" else operator
        upper = float(match.group("upper")) if match.group("upper") else None
        if upper is not None:
            operator = "between"
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                value=float(match.group("value")),
                upper=upper,
                unit=unit,
                comparison=comparison,
                suffix=suffix,
                operator=operator,
                kind=kind,
                as_printed=match.group(0).strip(),
            )
        )
    return found


def clause_start(text: str, position: int, floor: int = 0) -> int:
    """Where the clause holding ``position`` starts: after the last delimiter before it (not before ``floor``)."""
    start = floor
    for index in range(position - 1, floor - 1, -1):
        if text[index] in _DELIMITERS:
            start = index + 1
            break
    return start


def trailing_object(text: str, position: int) -> str:
    """The noun right after a quantity (``配置300台以上AED`` → ``AED``), up to the clause's end."""
    match = re.match(r"[A-Za-z\u4e00-\u9fff“”\"0-9]{1,12}", text[position:])
    if not match:
        return ""
    following = match.group(0)
    end = position + len(following)
    if end < len(text) and text[end] not in _DELIMITERS + "、":
        return ""
    if following.startswith(("的", "之", "以", "等", "左右", "以上")):
        return ""
    return following


def strip_connectors(text: str) -> str:
    """What a clause names, without the connecting words before it (``并确保全年新增…`` → ``新增…``)."""
    changed = True
    text = text.strip(" 、,，")
    while changed:
        changed = False
        for word in words.clause_connectors():
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word) :].lstrip(" 、,，")
                changed = True
    return text


_PLACE = r"[\u4e00-\u9fff]{1,10}(?:区|县|市|镇|乡|街道)"
_LAST_PLACE = re.compile(rf"^(?P<place>{_PLACE})(?P<rest>(?:共|等|各|均|分别|要|将).*)$")


@cache
def _named_scope() -> re.Pattern[str]:
    return re.compile(rf"^(?:{words.alternation(words.vocabulary()['scope_words'])})")


def split_scope(indicator: str) -> tuple[str | None, str]:
    """(scope, the rest): ``城市地区服务半径`` → (城市地区, 服务半径); ``新华区、卫东区共配置`` → (新华区、卫东区, 配置)."""
    named = _named_scope().match(indicator)
    if named:
        return named.group(0), indicator[named.end() :].lstrip("的")
    items = indicator.split("、")
    if len(items) < 2 or not all(re.fullmatch(_PLACE, item) for item in items[:-1]):
        return None, indicator
    last = _LAST_PLACE.match(items[-1])
    if last is None:
        return None, indicator
    scope = "、".join(items[:-1] + [last.group("place")])
    return scope, last.group("rest").lstrip("共等各均分别要将")


def matching_key(text: str | None) -> str:
    """An indicator or unit as a matching key: folded, without quotes, brackets or spaces (a target meets its figure by it)."""
    return re.sub(r"[\s“”\"'‘’《》()（）]", "", fold_for_search(text or ""))


def has_target_verb(text: str) -> bool:
    return any(verb in text for verb in words.vocabulary()["target_verbs"])


def has_promise(text: str) -> bool:
    """Does a clause promise something (实现, 确保, 达到, 不超过…) rather than state a condition?"""
    return any(word in text for word in words.vocabulary()["promise_words"])


def is_duration_lead(text: str) -> bool:
    """A quantity led by 提前/持续 is a time limit of a procedure, not a target."""
    return text.endswith(tuple(words.vocabulary()["duration_leads"]))
