"""Administrative divisions: the code table that ships in ``fangzhi/data``, read once.

``divisions.tsv`` holds provinces, prefectures and county-level divisions with
their six-digit GB/T 2260 codes; ``townships.tsv.gz`` the township level with
nine-digit codes (see ``scripts/build_division_tables.py`` for the source).  A
division's parent is read from its code: 410425 (郏县) → 410400 (平顶山市) →
410000 (河南省); a county directly under its province (4190xx) has the province
as parent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

from fangzhi.data import read_table

PROVINCE, PREFECTURE, COUNTY, ZONE, TOWNSHIP, VILLAGE = (
    "province",
    "prefecture",
    "county",
    "zone",
    "township",
    "village",
)
LEVEL_RANK = {PROVINCE: 0, PREFECTURE: 1, COUNTY: 2, ZONE: 2, TOWNSHIP: 3, VILLAGE: 4}

# Endings a name is also written without (河南省 → 河南, 汝州市 → 汝州), longest first.
_PROVINCE_ENDINGS = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_SHORTENED_ENDINGS = ("市", "县", "地区", "盟")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str

    @property
    def short_name(self) -> str | None:
        """The name as often written without its ending, when at least two characters remain."""
        endings = _PROVINCE_ENDINGS if self.level == PROVINCE else _SHORTENED_ENDINGS
        for ending in endings:
            if self.name.endswith(ending) and len(self.name) - len(ending) >= 2:
                return self.name[: -len(ending)]
        return None


class DivisionTable:
    """Every division by code and by name (one name may be several divisions: 新华区)."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_code = {division.code: division for division in divisions}
        by_name: dict[str, list[Division]] = defaultdict(list)
        for division in divisions:
            by_name[division.name].append(division)
        self.by_name = dict(by_name)

    def parent(self, division: Division) -> Division | None:
        code = division.code
        if division.level == TOWNSHIP:
            candidates = [code[:6]]
        elif division.level in (COUNTY, ZONE):
            candidates = [code[:4] + "00", code[:2] + "0000"]
        elif division.level == PREFECTURE:
            candidates = [code[:2] + "0000"]
        else:
            candidates = []
        for candidate in candidates:
            if candidate in self.by_code and candidate != code:
                return self.by_code[candidate]
        return None

    def ancestors(self, division: Division) -> list[Division]:
        found: list[Division] = []
        current = self.parent(division)
        while current is not None:
            found.append(current)
            current = self.parent(current)
        return found

    def is_within(self, division: Division, area: Division) -> bool:
        return division.code == area.code or any(ancestor.code == area.code for ancestor in self.ancestors(division))

    @cached_property
    def children(self) -> dict[str, list[Division]]:
        children: dict[str, list[Division]] = defaultdict(list)
        for division in self.by_code.values():
            parent = self.parent(division)
            if parent is not None:
                children[parent.code].append(division)
        return dict(children)

    def named_by(self, text: str) -> Division | None:
        """The division a title such as 平顶山年鉴 or 平顶山市人民政府公报 is about: its longest leading name.

        Full names win over shortened ones, and of one name the higher level
        wins (平顶山 is the prefecture, not a county).
        """
        best: tuple[int, int, int, Division] | None = None
        for division in self.by_code.values():
            if division.level == TOWNSHIP:
                continue
            for name, full in ((division.name, 1), (division.short_name, 0)):
                if name and text.startswith(name):
                    candidate = (len(name), full, -LEVEL_RANK[division.level], division)
                    if best is None or candidate[:3] > best[:3]:
                        best = candidate
        return best[3] if best else None


@lru_cache(maxsize=1)
def division_table() -> DivisionTable:
    divisions = [Division(code, name, level) for code, name, level in read_table("divisions.tsv")]
    divisions += [Division(code, name, TOWNSHIP) for code, name in read_table("townships.tsv.gz")]
    return DivisionTable(divisions)
