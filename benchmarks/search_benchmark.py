"""Search latency on the sample corpus and on a corpus 50 times larger, against a plain LIKE scan.

Usage::

    python benchmarks/search_benchmark.py [--copies 50] [--repeat 5] [--write-docs]

Each sample volume is parsed once and stored under ``--copies`` different
volume ids in a temporary knowledge base (the search index is built by the
store, exactly as at ingest).  Every query of the fixed set then runs through
:func:`fangzhi.search.search` (ranking, facets, snippets: the full library call
the CLI makes) and through a LIKE scan of ``nodes.title`` and ``nodes.text``
that applies the same AND / OR / NOT logic, in the same run.  ``--write-docs``
replaces the search section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fangzhi.knowledge_base import build_document
from fangzhi.search import parse_query, search
from fangzhi.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "sample" / "pingdingshan-yearbook-2024.txt", ROOT / "sample" / "pingdingshan-gazette-2024-01.txt"]
DOCS = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- search-benchmark:start -->"
END_MARK = "<!-- search-benchmark:end -->"

QUERIES = [
    # one character
    "瓷",
    "煤",
    "水",
    "郏",
    "粮",
    "鹰",
    "矿",
    "茶",
    "桥",
    "市",
    # two characters
    "汝瓷",
    "工程",
    "郏县",
    "戴冲",
    "教育",
    "医院",
    "旅游",
    "环境",
    "尼龙",
    "债券",
    "税收",
    "高铁",
    "水库",
    "发展",
    # longer words, matched inside longer words too
    "平顶山市",
    "在建工程",
    "人民政府",
    "高质量发展",
    "乡村振兴",
    "营商环境",
    "规模以上工业",
    "地区生产总值",
    "行政职务任免",
    "新型城镇化",
    # exact phrases
    '"汝瓷烧制技艺"',
    '"一般公共预算收入"',
    '"平顶山市人民政府"',
    '"试用期一年"',
    '"重污染天气"',
    # several terms
    "汝瓷 宝丰",
    "教育 投资",
    "煤炭 转型",
    "郏县 合作社",
    "平顶山 尼龙 产业",
    # OR
    "汝瓷 OR 钧瓷",
    "医院 OR 卫生院",
    "小麦 OR 玉米",
    # exclusion
    "汝瓷 -宝丰",
    "工程 -水利",
    "学校 -大学",
    # Latin and numbers
    "2023",
    "GDP",
    "5G",
    # traditional forms
    "郟县",
    "臺灣",
    "發展",
]


def build(path: Path, copies: int) -> tuple[SQLiteStore, float, int]:
    """A knowledge base with every sample volume stored ``copies`` times under different ids."""
    store = SQLiteStore(path)
    documents = [build_document(sample)[0] for sample in SAMPLES]
    bases = [document.volume.id for document in documents]
    started = time.perf_counter()
    for copy in range(copies):
        for base, document in zip(bases, documents, strict=True):
            document.volume.id = base if copies == 1 else f"{base}-copy{copy:02d}"
            document.assign_ids()
            store.replace_volume(document, [])
    rows = store.connection.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    return store, time.perf_counter() - started, rows


def like_scan(connection: sqlite3.Connection, query: str) -> int:
    """The baseline: the same boolean query as LIKE patterns over the stored title and text, every row scanned."""
    parsed = parse_query(query)
    clauses: list[str] = []
    parameters: list[str] = []

    def contains(text: str) -> str:
        pattern = "%" + "".join(text.split()) + "%"
        parameters.extend([pattern, pattern])
        return "(coalesce(title, '') LIKE ? OR text LIKE ?)"

    for group in parsed.groups:
        clauses.append("(" + " OR ".join(contains(term.text) for term in group) + ")")
    for term in parsed.excluded:
        clauses.append("NOT " + contains(term.text))
    sql = f"SELECT key, kind, page FROM nodes WHERE {' AND '.join(clauses)}"
    return len(connection.execute(sql, parameters).fetchall())


def timed(run: Callable[[str], object], queries: list[str], repeat: int) -> list[float]:
    for query in queries:
        run(query)
    samples = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(copies: int, repeat: int, like_repeat: int, directory: str) -> dict[str, object]:
    path = Path(directory) / f"bench-{copies}.db"
    store, build_seconds, rows = build(path, copies)
    store.close()  # as after `fangzhi ingest`: the write-ahead log is checkpointed into the database
    store = SQLiteStore(path, create=False)
    try:
        fts = timed(lambda query: search(store, query, limit=10), QUERIES, repeat)
        like = timed(lambda query: like_scan(store.connection, query), QUERIES, like_repeat)
        slowest = sorted(QUERIES, key=lambda query: -_one(lambda: search(store, query, limit=10)))[:3]
        size = os.path.getsize(store.path) / 1e6
    finally:
        store.close()
    return {
        "copies": copies,
        "rows": rows,
        "build_seconds": build_seconds,
        "size_mb": size,
        "fts_p50": percentile(fts, 0.5),
        "fts_p95": percentile(fts, 0.95),
        "fts_max": max(fts),
        "like_p50": percentile(like, 0.5),
        "like_p95": percentile(like, 0.95),
        "slowest": slowest,
    }


def _one(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def report(results: list[dict[str, object]], repeat: int, like_repeat: int) -> str:
    lines = [
        "## Search",
        "",
        f"`python benchmarks/search_benchmark.py --write-docs` ({len(QUERIES)} fixed queries: one and two characters, "
        "longer words, quoted phrases, several terms, OR, exclusions, Latin and numbers, traditional forms; "
        f"each run {repeat} times for search and {like_repeat} times for the LIKE scan after one warm-up pass). "
        "Search is the full library call the CLI makes: parse, BM25 top 10, facet counts, snippets. "
        "The baseline is `SELECT … FROM nodes WHERE title LIKE '%…%' OR text LIKE '%…%'` with the same AND/OR/NOT "
        "logic, measured in the same run on the same database.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}.",
        "",
        "| corpus | indexed nodes | build (s) | DB (MB) | search p50 (ms) | search p95 (ms) | search max (ms) "
        "| LIKE p50 (ms) | LIKE p95 (ms) | speed-up at p50 | speed-up at p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        name = "sample" if result["copies"] == 1 else f"sample × {result['copies']}"
        lines.append(
            f"| {name} | {result['rows']:,} | {result['build_seconds']:.1f} | {result['size_mb']:.0f} "
            f"| {result['fts_p50']:.1f} | {result['fts_p95']:.1f} | {result['fts_max']:.1f} "
            f"| {result['like_p50']:.1f} | {result['like_p95']:.1f} "
            f"| {result['like_p50'] / result['fts_p50']:.1f}× | {result['like_p95'] / result['fts_p95']:.1f}× |"
        )
    lines.append("")
    for result in results:
        name = "sample" if result["copies"] == 1 else f"sample × {result['copies']}"
        lines.append(f"Slowest queries on {name}: " + ", ".join(f"`{query}`" for query in result["slowest"]) + ".")
    small, large = results[0], results[-1]
    checks = [
        ("search p95 under 30 ms on the sample", small["fts_p95"] < 30),
        (f"search p95 under 300 ms at {large['copies']}×", large["fts_p95"] < 300),
        (f"at least 10× faster than LIKE at {large['copies']}×, at p50", large["like_p50"] >= 10 * large["fts_p50"]),
        (f"at least 10× faster than LIKE at {large['copies']}×, at p95", large["like_p95"] >= 10 * large["fts_p95"]),
    ]
    lines.append("")
    lines.append(
        "Targets in this run: " + "; ".join(f"{name}: {'met' if ok else 'missed'}" for name, ok in checks) + "."
    )
    return "\n".join(lines)


def write_docs(section: str) -> None:
    block = f"{START_MARK}\n{section}\n{END_MARK}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50, help="How many copies for the large corpus.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed passes over the queries for search.")
    parser.add_argument("--like-repeat", type=int, default=2, help="Timed passes over the queries for LIKE.")
    parser.add_argument("--write-docs", action="store_true", help="Replace the search section of docs/benchmarks.md.")
    options = parser.parse_args(arguments)
    results = []
    with tempfile.TemporaryDirectory(prefix="fangzhi-bench-") as directory:
        for copies in (1, options.copies):
            print(f"building and measuring {copies} cop{'y' if copies == 1 else 'ies'} …", file=sys.stderr)
            results.append(measure(copies, options.repeat, options.like_repeat, directory))
    section = report(results, options.repeat, options.like_repeat)
    print(section)
    if options.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main(sys.argv[1:])
