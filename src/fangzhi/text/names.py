"""Chinese personal names: the surname table shared by name splitting, people mentions and pinyin sorting.

pypinyin reads surnames as ordinary words (单 as dān, not shàn; 曾 as céng), so
the table carries the surname reading where it differs.
"""

from __future__ import annotations

from functools import lru_cache

from fangzhi.data import read_table


@lru_cache(maxsize=1)
def surname_readings() -> dict[str, str]:
    return {row[0]: (row[1] if len(row) > 1 else "").strip() for row in read_table("surnames.tsv")}


def surname_of(name: str) -> str | None:
    """The surname a name starts with (compound surnames first), or None."""
    table = surname_readings()
    if name[:2] in table:
        return name[:2]
    if name[:1] in table:
        return name[:1]
    return None
