"""The register of places: provinces, prefectures, counties, townships and villages the volumes name.

Names are matched in folded text (郟县 and 郏县 are one place) against the
division table.  A volume is about a place (its title names it: 平顶山年鉴 →
平顶山市; else its text names it most often), and that decides how far
matching may go:

- provinces by full or shortened name (河南省, 河南); prefectures by full name,
  and by shortened name within the volume's own province (平顶山, 许昌);
- counties by full name; within the volume's own prefecture also by
  shortened name (汝州, 宝丰); elsewhere only names of three or more
  characters, since 城区, 矿区 or 郊区 are ordinary words too, and a
  district (…区) only where its prefecture is named in the same
  text (老城区 is also "the old town");
- townships of the volume's own prefecture by name, and any township printed
  right after its county (叶县常村镇);
- villages printed right after their township (常村镇文集村), without a code:
  the table stops at townships.

A name several divisions share (新华区, 城关镇) is resolved to the one in the
volume's own prefecture or province, then to one whose parent the same text
names; if that leaves more than one, a county-level name is left out and a
township is kept without a code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from fangzhi.services.registers.corpus import Corpus, Mention, NameScanner, TextNode
from fangzhi.services.registers.divisions import (
    COUNTY,
    LEVEL_RANK,
    PREFECTURE,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
    ZONE,
    Division,
    DivisionTable,
    division_table,
)
from fangzhi.services.registers.words import is_common_word
from fangzhi.text.pinyin import sort_key

_VILLAGE = re.compile(r"[\u4e00-\u9fff]{1,4}?村(?![镇乡庄寨])")
# Characters that do not occur in a village's name but do in the words after a township.
_NOT_IN_VILLAGE_NAME = set("和与及在对为是的等各全个了将把被从向到")
MIN_DISTANT_COUNTY_NAME = 3


@dataclass
class Place:
    id: str
    name: str
    level: str
    code: str | None
    parent: str | None
    parent_name: str | None = None
    variants: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The export row: id, name, variants, level, code, parent (the parent place's id), mentions."""
        return {
            "id": self.id,
            "name": self.name,
            "variants": self.variants,
            "level": self.level,
            "code": self.code,
            "parent": self.parent,
            "mentions": len(self.mentions),
        }


@dataclass(frozen=True)
class _Scope:
    """What one volume may name by short or ambiguous forms: its own prefecture and province."""

    prefecture: Division | None
    province: Division | None


def _scope(table: DivisionTable, home: Division | None) -> _Scope:
    if home is None:
        return _Scope(None, None)
    chain = [home, *table.ancestors(home)]
    prefecture = next((division for division in chain if division.level == PREFECTURE), None)
    province = next((division for division in chain if division.level == PROVINCE), None)
    return _Scope(prefecture, province)


@lru_cache(maxsize=16)
def _names(scope: _Scope) -> dict[str, tuple[Division, ...]]:
    """Every name the scanner looks for, with the divisions it may mean."""
    table = division_table()
    names: dict[str, list[Division]] = {}

    def add(name: str | None, division: Division) -> None:
        if name:
            names.setdefault(name, []).append(division)

    for division in table.by_code.values():
        if division.level == TOWNSHIP:
            continue
        inside_prefecture = scope.prefecture is not None and table.is_within(division, scope.prefecture)
        inside_province = scope.province is not None and table.is_within(division, scope.province)
        if division.level == PROVINCE:
            add(division.name, division)
            add(division.short_name, division)
        elif division.level == PREFECTURE:
            add(division.name, division)
            if inside_province:
                add(division.short_name, division)
        elif inside_prefecture:
            add(division.name, division)
            if division.level == COUNTY and not division.name.endswith("区"):
                add(division.short_name, division)
        elif len(division.name) >= MIN_DISTANT_COUNTY_NAME:
            add(division.name, division)
    if scope.prefecture is not None:
        for county in table.children.get(scope.prefecture.code, []):
            for township in table.children.get(county.code, []):
                add(township.name, township)
    return {name: tuple(divisions) for name, divisions in names.items()}


def _resolve(
    candidates: tuple[Division, ...], scope: _Scope, folded: str, previous: Division | None
) -> Division | None | tuple[()]:
    """The division a name means here; ``()`` when it stays ambiguous."""
    table = division_table()
    if len(candidates) == 1:
        return candidates[0]
    if previous is not None:
        inside = [candidate for candidate in candidates if table.parent(candidate) == previous]
        if len(inside) == 1:
            return inside[0]
    for area in (scope.prefecture, scope.province):
        if area is not None:
            inside = [candidate for candidate in candidates if table.is_within(candidate, area)]
            if len(inside) == 1:
                return inside[0]
            if inside:
                candidates = tuple(inside)
    named = [
        candidate
        for candidate in candidates
        if any(_named_in(ancestor, folded) for ancestor in table.ancestors(candidate))
    ]
    if len(named) == 1:
        return named[0]
    ranks = sorted({LEVEL_RANK[candidate.level] for candidate in candidates})
    top = [candidate for candidate in candidates if LEVEL_RANK[candidate.level] == ranks[0]]
    if len(top) == 1:
        return top[0]
    return ()


def _named_in(division: Division, text: str) -> bool:
    return division.name in text or bool(division.short_name and division.short_name in text)


def _is_village_name(name: str) -> bool:
    if len(name) < 2 or _NOT_IN_VILLAGE_NAME & set(name):
        return False
    return not is_common_word(name)


class _Builder:
    def __init__(self) -> None:
        self.places: dict[str, Place] = {}

    def division(self, division: Division) -> Place:
        place = self.places.get(division.code)
        if place is None:
            table = division_table()
            parent = table.parent(division)
            place = Place(
                id=division.code,
                name=division.name,
                level=division.level,
                code=division.code,
                parent=parent.code if parent else None,
                parent_name=parent.name if parent else None,
            )
            self.places[division.code] = place
        return place

    def uncoded(self, name: str, level: str, parent: Place | None) -> Place:
        key = f"{parent.id}-{name}" if parent else name
        place = self.places.get(key)
        if place is None:
            place = Place(
                id=key,
                name=name,
                level=level,
                code=None,
                parent=parent.id if parent else None,
                parent_name=parent.name if parent else None,
            )
            self.places[key] = place
        return place

    def add(self, place: Place, mention: Mention) -> None:
        place.mentions.append(mention)
        written = mention.as_written
        if written != place.name and written not in place.variants:
            place.variants.append(written)


def build_places(corpus: Corpus) -> list[Place]:
    table = division_table()
    builder = _Builder()
    for volume in corpus.volumes:
        scope = _scope(table, corpus.home(volume))
        scanner = NameScanner(_names(scope))
        for text_node in corpus.nodes:
            if text_node.node.volume == volume.id:
                _scan(corpus, text_node, scanner, scope, builder)
    places = list(builder.places.values())
    places.sort(key=lambda place: (LEVEL_RANK[place.level], place.code or "~", sort_key(place.name)))
    return places


def _scan(corpus: Corpus, text_node: TextNode, scanner: NameScanner, scope: _Scope, builder: _Builder) -> None:
    table = division_table()
    folded = text_node.folded
    previous: Division | None = None
    previous_end = consumed = -1
    for start, end, candidates in scanner.finditer(folded):
        if start < consumed:
            continue
        adjacent = previous if start == previous_end else None
        resolved = _resolve(candidates, scope, folded, adjacent)
        township: Place | None = None
        if isinstance(resolved, Division) and not _plausible(resolved, scope, folded):
            continue
        if isinstance(resolved, Division):
            place = builder.division(resolved)
            builder.add(place, corpus.mention(text_node, start, end, "named"))
            if resolved.level == TOWNSHIP:
                township = place
            elif resolved.level in (COUNTY, ZONE):
                child = _township_after(table, resolved, folded, end)
                if child is not None:
                    township = builder.division(child)
                    builder.add(township, corpus.mention(text_node, end, end + len(child.name), "named"))
                    end += len(child.name)
                    resolved = child
            previous, previous_end = resolved, end
        else:
            if all(candidate.level == TOWNSHIP for candidate in candidates):
                parent = builder.division(adjacent) if adjacent is not None else None
                township = builder.uncoded(folded[start:end], TOWNSHIP, parent)
                builder.add(township, corpus.mention(text_node, start, end, "named"))
            previous, previous_end = None, end
        if township is not None:
            end = _village_after(corpus, text_node, builder, end, township)
        consumed = end


def _plausible(division: Division, scope: _Scope, folded: str) -> bool:
    """A district (…区) of another prefecture only counts where its prefecture is named too.

    District names are often ordinary words as well (老城区, 新区); counties
    and county-level cities (襄城县, 巩义市) rarely are.
    """
    if division.level != COUNTY or not division.name.endswith("区"):
        return True
    table = division_table()
    if scope.prefecture is not None and table.is_within(division, scope.prefecture):
        return True
    parent = table.parent(division)
    return parent is not None and _named_in(parent, folded)


def _township_after(table: DivisionTable, county: Division, text: str, position: int) -> Division | None:
    for township in table.children.get(county.code, []):
        if text.startswith(township.name, position):
            return township
    return None


def _village_after(corpus: Corpus, text_node: TextNode, builder: _Builder, position: int, township: Place) -> int:
    """Record the village printed right after a township; the position after what was read."""
    match = _VILLAGE.match(text_node.folded, position)
    if match and _is_village_name(match.group(0)):
        place = builder.uncoded(match.group(0), VILLAGE, township)
        builder.add(place, corpus.mention(text_node, match.start(), match.end(), "named"))
        return match.end()
    return position
