"""Build the administrative division tables in src/fangzhi/data/ from their published source.

Usage::

    python scripts/build_division_tables.py DIST_DIR

``DIST_DIR`` is the ``dist/`` folder of https://github.com/modood/Administrative-divisions-of-China
(WTFPL), which republishes the National Bureau of Statistics' 统计用区划代码 (2023 edition, as of
2023-06-30) as CSV: ``provinces.csv``, ``cities.csv``, ``areas.csv`` and ``streets.csv``.  The
script writes

- ``divisions.tsv``: every province, prefecture and county-level division with its six-digit code
  (the GB/T 2260 code; the NBS adds ``x7x`` codes for development zones, which GB/T 2260 lacks,
  kept with level ``zone``), plus 台湾省, 香港特别行政区 and 澳门特别行政区 with their GB/T 2260 codes;
- ``townships.tsv.gz``: every township-level division (乡, 镇, 街道, …) with its nine-digit code;
  ``…街道办事处`` is shortened to ``…街道``, the name texts use.

The parent of a division is read from its code, so no parent column is stored.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "fangzhi" / "data"
HEADER = (
    "# Administrative divisions of China: code, name, level (province, prefecture, county, zone).\n"
    "# Source: National Bureau of Statistics 统计用区划代码 2023 (as of 2023-06-30), via\n"
    "# github.com/modood/Administrative-divisions-of-China dist/*.csv (WTFPL); built by\n"
    "# scripts/build_division_tables.py.  Six-digit county-level codes are the GB/T 2260 codes.\n"
)
OUTSIDE_NBS = [("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]
# Rows of cities.csv that group counties but are no prefecture of their own.
NOT_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(dist: Path) -> None:
    lines: list[str] = []
    for row in rows(dist / "provinces.csv"):
        lines.append(f"{row['code']}0000\t{row['name']}\tprovince")
    for code, name in OUTSIDE_NBS:
        lines.append(f"{code}\t{name}\tprovince")
    for row in rows(dist / "cities.csv"):
        if row["name"] not in NOT_PREFECTURES:
            lines.append(f"{row['code']}00\t{row['name']}\tprefecture")
    for row in rows(dist / "areas.csv"):
        level = "zone" if row["code"][4] == "7" else "county"
        lines.append(f"{row['code']}\t{row['name']}\t{level}")
    lines.sort()
    (DATA / "divisions.tsv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")

    townships = []
    for row in rows(dist / "streets.csv"):
        name = row["name"].removesuffix("办事处") if row["name"].endswith("街道办事处") else row["name"]
        townships.append(f"{row['code']}\t{name}")
    townships.sort()
    text = HEADER.replace("code, name, level (province, prefecture, county, zone)", "townships: code, name")
    payload = (text + "\n".join(townships) + "\n").encode("utf-8")
    # No file name and mtime 0: the file is byte-identical between builds.
    with (
        (DATA / "townships.tsv.gz").open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle,
    ):
        handle.write(payload)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
