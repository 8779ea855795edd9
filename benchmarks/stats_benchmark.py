"""Stats and the home page against the number of volumes: a page of volumes costs the same at 2 and 1,000.

Usage::

    python benchmarks/stats_benchmark.py [--sizes 2 100 1000] [--postgres postgresql://user@host/postgres]
        [--write-docs]

Each knowledge base holds N copies of the sample gazette's first 400 lines
(three documents each, ingested under N volume ids: small volumes, so that
1,000 of them are ingested in about a minute).  Measured, median of 15:

- ``kb.stats(limit=50)``: one page of volumes, what the home page shows;
- ``GET /api/stats`` with its default page (100 volumes), and ``GET /`` (the
  home page), through the web app in-process;
- ``kb.stats()``: every volume, the baseline, which grows with the corpus
  (what ``/api/stats`` returned before it was paged).

Real volumes carry larger attributes (a page list, warnings), so listing
every volume costs more per volume than here (570 ms for 1,000 simulated
sample-sized volumes in docs/scale.md); a page costs the same whatever the
corpus holds.  ``--postgres`` repeats the run in databases created on that
server.  ``--write-docs`` replaces the stats section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

import fangzhi
from fangzhi.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
GAZETTE = ROOT / "sample" / "pingdingshan-gazette-2024-01.txt"
EXCERPT_LINES = 400
DOCS = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- stats-benchmark:start -->"
END_MARK = "<!-- stats-benchmark:end -->"
REPEAT = 15


def median_ms(call: Callable[[], object], repeat: int = REPEAT) -> float:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fill(db: str, excerpt: Path, size: int) -> None:
    with fangzhi.open(db) as kb:
        for number in range(kb.count_volumes(), size):
            kb.ingest(excerpt, volume_id=f"volume-{number:05d}")
            if number and number % 100 == 0:
                print(f"  {number} volumes", file=sys.stderr)


def measure(db: str) -> dict[str, float]:
    with fangzhi.open(db, create=False) as kb:
        client = TestClient(create_app(kb))
        return {
            "page": median_ms(lambda: kb.stats(limit=50)),
            "api": median_ms(lambda: client.get("/api/stats").raise_for_status()),
            "home": median_ms(lambda: client.get("/").raise_for_status()),
            "every": median_ms(kb.stats),
        }


def database(engine: str, directory: Path, postgres: str | None, size: int) -> str:
    if engine == "sqlite":
        return str(directory / f"stats-{size}.db")
    assert postgres is not None
    base, _, _ = postgres.rpartition("/")
    return f"{base}/fangzhi_stats_benchmark_{size}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 100, 1000])
    parser.add_argument("--postgres", help="a PostgreSQL server's maintenance database URL")
    parser.add_argument("--write-docs", action="store_true")
    arguments = parser.parse_args()
    engines = ["sqlite", *(["postgres"] if arguments.postgres else [])]
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        excerpt = directory / "gazette-excerpt.txt"
        lines = GAZETTE.read_text(encoding="utf-8").splitlines(keepends=True)[:EXCERPT_LINES]
        excerpt.write_text("".join(lines), encoding="utf-8")
        for engine in engines:
            for size in sorted(arguments.sizes):
                db = database(engine, directory, arguments.postgres, size)
                print(f"{engine}: {size} volumes", file=sys.stderr)
                fill(db, excerpt, size)
                results[engine, size] = measure(db)
    table = [
        "| engine | volumes | `stats`, a page of 50 | `GET /api/stats` (page of 100) | home page | baseline: "
        "`stats` of every volume |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for (engine, size), found in results.items():
        table.append(
            f"| {engine} | {size:,} | {found['page']:.1f} ms | {found['api']:.1f} ms | {found['home']:.1f} ms "
            f"| {found['every']:.1f} ms |"
        )
    section = "\n".join(
        [
            START_MARK,
            f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python {platform.python_version()}, "
            f"{platform.system()}; median of {REPEAT} after one warm-up call; volumes are {EXCERPT_LINES}-line "
            "excerpts of the sample gazette (`python benchmarks/stats_benchmark.py"
            f"{' --postgres URL' if arguments.postgres else ''} --write-docs`).",
            "",
            *table,
            END_MARK,
        ]
    )
    print(section)
    if arguments.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        if START_MARK in text:
            before, rest = text.split(START_MARK, 1)
            text = before + section + rest.split(END_MARK, 1)[1]
        else:
            text = (
                text.rstrip("\n") + "\n\n## Stats and the home page against the number of volumes\n\n" + section + "\n"
            )
        DOCS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
