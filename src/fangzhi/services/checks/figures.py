"""Indicator facts as the checks read them, and how two printed values are compared.

Two printed values agree when one is the other rounded to the precision it
is printed with (2.23万 and 2.2万); when the coarser one is within one step of
the finer one but rounded the wrong way (2.23万 and 2.3万) it is a wrong
rounding; anything further apart is a different value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from fangzhi.extract.indicator_terms import terms
from fangzhi.services.checks import Location
from fangzhi.store.base import Store

_PERIOD_MARK = re.compile(r"（[^）]*）")
_YEAR_END = re.compile(r"((?:19|20)\d{2}年)末")
_YEAR = re.compile(r"(?:19|20)\d{2}年")


@dataclass
class Figure:
    """An indicator fact, flattened for comparison."""

    id: str
    volume: str
    node: str
    page: int | None
    line: int
    indicator: str
    printed_label: str
    entity: str
    period: str
    scope: str
    kind: str
    number: float
    unit: str
    base_value: float | None
    base_unit: str
    dimension: str
    decimals: int
    approx: bool
    estimate: bool
    qualifier: str | None
    basis: str
    value_as_printed: str
    sentence: str
    table: str | None
    row: int | None
    column: int | None
    parent_row: int | None
    part_of: str | None
    parent: str | None
    whole_value: float | None = None
    ratio_parts: list[float] | None = None
    ratio_index: int | None = None
    organisation: str | None = None
    per: str | None = None
    subject: str | None = None

    @property
    def step(self) -> float:
        """The printed precision, in base units (2.2万人 → 1000 人)."""
        factor = (self.base_value / self.number) if self.number and self.base_value is not None else 1.0
        return abs(factor) * 10.0 ** (-self.decimals)

    @property
    def plain_period(self) -> str:
        return _PERIOD_MARK.sub("", self.period)

    @property
    def name(self) -> str:
        """The indicator as compared: 建成乡村文化合作社 → 乡村文化合作社, 商品房销售面积 (万平方米) → 商品房销售."""
        return comparison_name(self.indicator, self.dimension)

    @property
    def compared_period(self) -> str:
        """The period as compared: a stock at 2023年末 is the 2023 figure (常住人口 492万人 in 2023年 and at 年末).

        A project's size (年产60GWh) is the project's whatever day a sentence
        about it is dated: only its year counts.
        """
        if self.subject:
            year = _YEAR.match(self.period)
            return year.group(0) if year else self.period
        return _YEAR_END.sub(r"\1", self.period) if self.kind != "growth" else self.period

    def location(self) -> Location:
        return Location(
            volume=self.volume,
            node=self.node,
            page=self.page,
            line=self.line,
            text=quote(self.sentence, self.value_as_printed) if self.sentence else self._table_text(),
            value=self.value_as_printed,
        )

    def _table_text(self) -> str:
        return f"{self.table or '表'}：{self.printed_label} {self.value_as_printed}"


QUOTE_LENGTH = 120


def quote(sentence: str, value: str) -> str:
    """The part of a sentence that holds a value: its clause between semicolons, cut to a readable length."""
    parts = sentence.split("；")
    text = next((part for part in parts if value in part), sentence)
    if len(text) <= QUOTE_LENGTH:
        return text if text.endswith(("。", "；")) or text == sentence else text + "；"
    position = max(text.find(value), 0)
    start = max(0, min(position - QUOTE_LENGTH // 2, len(text) - QUOTE_LENGTH))
    return (
        ("…" if start else "") + text[start : start + QUOTE_LENGTH] + ("…" if start + QUOTE_LENGTH < len(text) else "")
    )


def load_figures(store: Store) -> list[Figure]:
    figures = []
    for fact in store.facts(kind="indicator"):
        data = fact.data
        figures.append(
            Figure(
                id=fact.id,
                volume=fact.volume,
                node=fact.node_id,
                page=fact.page,
                line=fact.line_start,
                indicator=data.get("indicator") or "",
                printed_label=data.get("indicator_as_printed") or "",
                entity=data.get("entity") or "",
                period=data.get("period") or "",
                scope=data.get("scope") or "",
                kind=data.get("kind") or "level",
                number=float(data.get("number") or 0.0),
                unit=data.get("unit") or "",
                base_value=data.get("base_value"),
                base_unit=data.get("base_unit") or "",
                dimension=data.get("dimension") or "",
                decimals=int(data.get("decimals") or 0),
                approx=bool(data.get("approx")),
                estimate=bool(data.get("estimate")),
                qualifier=data.get("qualifier"),
                basis=data.get("basis") or "",
                value_as_printed=data.get("value_as_printed") or "",
                sentence=data.get("sentence") or "",
                table=data.get("table"),
                row=data.get("row"),
                column=data.get("column"),
                parent_row=data.get("parent_row"),
                part_of=data.get("part_of"),
                parent=data.get("parent"),
                whole_value=data.get("whole_value"),
                ratio_parts=data.get("ratio_parts"),
                ratio_index=data.get("ratio_index"),
                organisation=data.get("organisation"),
                per=data.get("per"),
                subject=data.get("subject"),
            )
        )
    return figures


@lru_cache(maxsize=65536)
def comparison_name(indicator: str, dimension: str) -> str:
    """An indicator's name without the words that do not change what is measured.

    Verbs of having (建成, 已, 拥有) before the name, and a measure word the
    unit already says (面积 of 万平方米, 比重 of a percentage), are dropped;
    synonyms of the data file are folded (每万人 → 万人).
    """
    name = indicator
    for word, replacement in terms()["comparison_synonyms"]:
        name = name.replace(word, replacement)
    for word in sorted(terms()["comparison_leading_words"], key=len, reverse=True):
        if name.startswith(word) and len(name) - len(word) >= 2:
            name = name[len(word) :]
            break
    for word in terms()["comparison_measure_words"].get(dimension, ()):
        if name.endswith(word) and len(name) - len(word) >= 2:
            name = name[: -len(word)]
            break
    return name


def agreement(first: Figure, second: Figure) -> str:
    """``same``, ``rounding`` (one is a wrong rounding of the other) or ``different``."""
    if first.base_value is None or second.base_value is None:
        return "same" if first.number == second.number else "different"
    a, b = first.base_value, second.base_value
    if a == b:
        return "same"
    coarse, fine = (first, second) if first.step >= second.step else (second, first)
    step = coarse.step
    if step <= 0:
        return "different"
    tolerance = step * 1e-6
    rounded = _round_to(fine.base_value or 0.0, step)
    if abs(rounded - (coarse.base_value or 0.0)) <= tolerance:
        return "same"
    if coarse.step > fine.step and abs((fine.base_value or 0.0) - (coarse.base_value or 0.0)) < step - tolerance:
        return "rounding"
    return "different"


def _round_to(value: float, step: float) -> float:
    quantum = Decimal(repr(step)).normalize()
    units = (Decimal(repr(value)) / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * quantum)


def within_approx(first: Figure, second: Figure, tolerance: float = 0.05) -> bool:
    """Whether an approximate value (约, 左右, 超过) is close enough to another to agree."""
    if first.base_value is None or second.base_value is None:
        return False
    a, b = abs(first.base_value), abs(second.base_value)
    if max(a, b) == 0:
        return True
    return abs(a - b) / max(a, b) <= tolerance or agreement(first, second) != "different"


def printed(figures: list[Figure]) -> str:
    """Values as printed, distinct, joined for a message."""
    seen: list[str] = []
    for figure in figures:
        if figure.value_as_printed not in seen:
            seen.append(figure.value_as_printed)
    return "、".join(seen)


def place(figure: Figure, chapters: dict[str, str]) -> str:
    """Where a figure is, as an editor says it: 第51行（彩页）, 第362页."""
    chapter = chapters.get(figure.node)
    where = f"第{figure.page}页" if figure.page else f"第{figure.line}行"
    return f"{where}（{chapter}）" if chapter else where
