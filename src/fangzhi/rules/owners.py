"""Who a clause makes responsible: subjects of duties (…部门负责, …局、…委等单位) and the bodies they name.

Plans name a body fully once (市生态环境局, in the list of units and duties)
and by its line of work elsewhere (生态环境部门负责…).  :func:`actors` reads
the subject of a sentence when it is a list of bodies; :func:`match_units`
finds the listed body an actor stands for by the core of its name.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from fangzhi.rules import words

NUMBER_PREFIX = re.compile(
    r"^\s*(?:\(?\d{1,3}\)|\d{1,3}(?:\.\d{1,3})*[.、]?|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))\s*"
)
_ACTOR_END = re.compile(
    r"负责|应当|(?<![响相适反供对效])应(?![急对用])|要(?!求)|须|可(?!能|行)|按照|牵头|配合|会同|派出|向(?=社会|各)"
)
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


@cache
def owner_suffixes() -> tuple[str, ...]:
    return tuple(sorted(words.vocabulary()["owner_suffixes"], key=len, reverse=True))


def _core(name: str) -> str:
    core = name.strip()
    for suffix in owner_suffixes():
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
            break
    return core


def _unit_core(name: str) -> str:
    core = _core(name)
    return re.sub(r"^(?:市委|市|县委|县|区委|区|省)(?=..)", "", core)


def _loose(name: str) -> str:
    """A name without the joining words plans drop or keep at will (住房和城乡建设 / 住房城乡建设)."""
    return re.sub(r"[和与及]", "", name)


def match_units(actor: str, duties: list[dict[str, Any]]) -> list[str]:
    """The listed units an actor named in a measure stands for (生态环境部门 → 市生态环境局)."""
    actor_core = _core(actor)
    if len(actor_core) < 2 or actor_core.startswith(("相关", "有关", "各")):
        return []
    found = []
    for entry in duties:
        unit = entry["unit"]
        unit_core = _unit_core(unit)
        if len(unit_core) >= 2 and (
            unit_core in actor
            or actor_core in unit
            or _loose(unit_core) in _loose(actor)
            or _loose(actor_core) in _loose(unit)
        ):
            found.append(unit)
    return found


def actors(sentence: str) -> list[str]:
    """Who a sentence makes responsible: its subject when that is a list of bodies (…部门负责, …局、…委等…单位)."""
    end = _ACTOR_END.search(sentence)
    if end is None:
        return []
    head = NUMBER_PREFIX.sub("", sentence[: end.start()]).strip(" ,，:：")
    if "等" in head:
        listed, _, after = head.partition("等")
        after = re.sub(r"^(?:有关|相关)", "", after)
        head = listed + (after if after in ("部门", "单位") else "")
    head = re.split(r"[，,]", head)[-1]
    if not head or len(head) > 120:
        return []
    items = _split_top_level(head)
    suffixes = owner_suffixes()
    shared = next((suffix for suffix in ("部门",) if items and items[-1].endswith(suffix)), None)
    named = []
    for item in items:
        bare = _TRAILING_NOTE.sub("", item)
        if not bare.endswith(suffixes) and shared:
            item += shared
            bare += shared
        if bare.endswith(suffixes) and len(item) <= 30:
            named.append(item)
    return named if len(named) == len(items) else []


def _split_top_level(text: str) -> list[str]:
    items: list[str] = []
    depth = 0
    token = ""
    for char in text:
        if char in "(（〔[":
            depth += 1
        elif char in ")）〕]":
            depth -= 1
        if char == "、" and depth == 0:
            items.append(token.strip())
            token = ""
            continue
        token += char
    items.append(token.strip())
    return [item for item in items if item]
