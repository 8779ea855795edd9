"""Chinese personal names: the surname table shared by name splitting, people mentions and pinyin sorting.

pypinyin reads surnames as ordinary words (单 as dān, not shàn; 曾 as céng), so
the table carries the surname reading where it differs.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def surname_readings() -> dict[str, str]:
    text = resources.files("fangzhi.data").joinpath("surnames.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        surname, _, reading = line.partition("\t")
        table[surname] = reading.strip()
    return table


def surname_of(name: str) -> str | None:
    """The surname a name starts with (compound surnames first), or None."""
    table = surname_readings()
    if name[:2] in table:
        return name[:2]
    if name[:1] in table:
        return name[:1]
    return None
