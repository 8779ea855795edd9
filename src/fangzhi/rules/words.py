"""The vocabulary of the clause grammar, read once from ``data/rule_words.json``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from fangzhi.data import read_json


@cache
def vocabulary() -> dict[str, Any]:
    return read_json("rule_words.json")


def alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first so that 大于等于 wins over 大于."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Keyed:
    """A word list that maps every word to one key (黄色 → yellow, Ⅲ/III/三 → Ⅲ)."""

    by_word: dict[str, str]
    order: tuple[str, ...]
    labels: dict[str, str]

    @property
    def pattern(self) -> str:
        return alternation(list(self.by_word))

    def key(self, word: str) -> str | None:
        return self.by_word.get(word)


def _keyed(name: str) -> Keyed:
    entries = vocabulary()[name]
    by_word = {word: entry["key"] for entry in entries for word in entry["words"]}
    labels = {entry["key"]: entry.get("label", entry["key"]) for entry in entries}
    return Keyed(by_word, tuple(entry["key"] for entry in entries), labels)


@cache
def alert_levels() -> Keyed:
    """Alert colours, lowest first (the national order; a plan may state its own)."""
    return _keyed("alert_levels")


@cache
def response_levels() -> Keyed:
    """Response levels Ⅳ..Ⅰ in every way they are printed (Roman, ASCII Roman, Chinese, Arabic)."""
    return _keyed("response_levels")


@cache
def pollutants() -> Keyed:
    return _keyed("pollutants")


@cache
def road_classes() -> Keyed:
    return _keyed("road_classes")


@cache
def government_levels() -> Keyed:
    return _keyed("government_levels")


@cache
def alert_indicators() -> dict[str, str]:
    return {word: key for key, words in vocabulary()["alert_indicators"].items() for word in words}


def operators(name: str) -> dict[str, str]:
    """Comparison words to operators (``不低于`` → ``>=``) for one of the comparison lists."""
    return {word: entry["operator"] for entry in vocabulary()[name] for word in entry["words"]}


@cache
def comparison_words() -> dict[str, str]:
    return operators("comparisons")


@cache
def suffix_words() -> dict[str, str]:
    return operators("comparison_suffixes")


@cache
def condition_fillers() -> tuple[str, ...]:
    """Words a condition may hold around its comparison without changing it (预测, 日均值, 全市), longest first."""
    return tuple(sorted(vocabulary()["condition_fillers"], key=len, reverse=True))


@cache
def clause_connectors() -> tuple[str, ...]:
    """Words that join a clause to the one before (并且, 以及, 确保, 力争) and are not part of what it names."""
    return tuple(vocabulary()["clause_connectors"])


@cache
def duration_units() -> dict[str, int]:
    return dict(vocabulary()["duration_units"])


@cache
def money_units() -> dict[str, int]:
    return dict(vocabulary()["money_units"])
