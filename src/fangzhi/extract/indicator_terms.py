"""Reference data for indicator facts: the unit table and the words around a figure.

Both come from ``fangzhi/data`` (``units.tsv``, ``indicator_terms.json``), are
read once and cached.  Compound units are composed here from the table's
multipliers and base units (万 × 吨 = 万吨), so the table lists each unit once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Unit:
    """A printed unit and how it converts: ``value × factor`` is the value in ``base``."""

    name: str
    base: str
    factor: float
    dimension: str
    kind: str


def in_base_unit(number: float, unit: Unit) -> float:
    """``number`` printed in ``unit``, in the base unit, without binary rounding noise (2720.07亿 → 272007000000)."""
    return float(Decimal(repr(number)) * Decimal(repr(unit.factor)))


@dataclass(frozen=True)
class UnitTable:
    units: dict[str, Unit]
    multipliers: dict[str, float]
    prefixable: frozenset[str]
    longest: int
    first_characters: frozenset[str]

    def unit(self, name: str) -> Unit | None:
        return self.units.get(name)

    def match(self, text: str, position: int) -> tuple[Unit, int, bool] | None:
        """The longest unit printed at ``position`` (one space allowed before it): unit, end, approximate.

        ``3万余人`` reads as 3 万人, approximately.  A unit followed by a Latin
        letter is part of a word (5G, 4A级), not a unit.
        """
        if text[position : position + 1] == " ":
            position += 1
        for length in range(min(self.longest, len(text) - position), 0, -1):
            candidate = text[position : position + length]
            unit = self.units.get(candidate)
            if unit is not None:
                end = position + length
                if end < len(text) and text[end].isascii() and text[end].isalpha():
                    return None
                if unit.dimension == "number" and text[end : end + 1] in ("余", "多"):
                    rest = self.match(text, end + 1)
                    if rest and rest[0].name in self.prefixable:
                        base = rest[0]
                        return (
                            Unit(
                                candidate + base.name, base.base, unit.factor * base.factor, base.dimension, base.kind
                            ),
                            rest[1],
                            True,
                        )
                return unit, end, False
        return None


def _data_text(name: str) -> str:
    return resources.files("fangzhi.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def unit_table() -> UnitTable:
    units: dict[str, Unit] = {}
    multipliers: dict[str, float] = {}
    prefixable: list[Unit] = []
    for line in _data_text("units.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, base, factor, dimension, kind, can_prefix = line.split("\t")
        if dimension == "prefix":
            multipliers[name] = float(factor)
            continue
        unit = Unit(name, base, float(factor), dimension, kind)
        units[name] = unit
        if can_prefix == "yes":
            prefixable.append(unit)
    for prefix, factor in multipliers.items():
        for unit in prefixable:
            composed = prefix + unit.name
            if composed not in units:
                units[composed] = Unit(composed, unit.base, factor * unit.factor, unit.dimension, unit.kind)
    for prefix, factor in multipliers.items():
        units.setdefault(prefix, Unit(prefix, "", factor, "number", "count"))
    return UnitTable(
        units,
        multipliers,
        frozenset(u.name for u in prefixable),
        max(map(len, units)),
        frozenset(name[0] for name in units) | {" ", "余", "多"},
    )


@lru_cache(maxsize=1)
def terms() -> dict[str, Any]:
    return json.loads(_data_text("indicator_terms.json"))


def longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


@cache
def word_pattern(name: str, anchor: str = "end") -> re.Pattern[str]:
    """A regex matching any word of a term list at the start or end of a string.

    Entries of the ``comparison`` list are regular expressions; the others
    are literal words.
    """
    words = terms()[name]
    if words and isinstance(words[0], list):
        words = [word for word, _ in words]
    parts = [w if name == "comparison" else re.escape(w) for w in longest_first(words)]
    body = "|".join(parts)
    return re.compile(rf"(?:{body})$" if anchor == "end" else rf"^(?:{body})")


_YEAR_IN_WORD = re.compile(r"2\\d\{3\}")


@cache
def ending_pattern(name: str) -> re.Pattern[str]:
    """A regex matching, at the start of a *reversed* string, any word of a term list reversed.

    Matching words at the end of a label this way is one anchored match
    instead of a search from every position.  A ``2\\d{3}`` in a comparison
    entry (比2\\d{3}年) stands for any year and is reversed as such.
    """
    words = terms()[name]
    if words and isinstance(words[0], list):
        words = [word for word, _ in words]
    parts = []
    for word in longest_first(words):
        pieces = _YEAR_IN_WORD.split(word)
        reversed_pieces = [re.escape(piece[::-1]) for piece in reversed(pieces)]
        parts.append(r"\d{3}2".join(reversed_pieces))
    return re.compile("(?:" + "|".join(parts) + ")")


def strip_ending(text: str, name: str) -> tuple[str, str | None]:
    """``text`` without a word of the list ``name`` at its end, and that word (or None)."""
    match = ending_pattern(name).match(text[::-1])
    if match and match.end() > 0:
        return text[: len(text) - match.end()], text[len(text) - match.end() :]
    return text, None


@cache
def mapping(name: str) -> dict[str, str]:
    return {word: value for word, value in terms()[name]}


@cache
def any_word(name: str) -> re.Pattern[str]:
    """A regex finding any word of a term list (longest first), anywhere."""
    words = terms()[name]
    if words and isinstance(words[0], list):
        words = [word for word, _ in words]
    return re.compile("|".join(re.escape(w) for w in longest_first(words)))


@lru_cache(maxsize=64)
def leading_words(words: frozenset[str]) -> re.Pattern[str]:
    """A regex matching any of ``words`` at the start of a string, longest first."""
    if not words:
        return re.compile(r"(?!)")
    return re.compile("^(?:" + "|".join(re.escape(w) for w in longest_first(list(words))) + ")")


@cache
def leading_term(name: str) -> re.Pattern[str]:
    """:func:`leading_words` over a term list of the data file."""
    words = terms()[name]
    if words and isinstance(words[0], list):
        words = [word for word, _ in words]
    return leading_words(frozenset(words))
