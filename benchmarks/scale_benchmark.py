"""Scale: ingest throughput, search latency, store size, home page and stats, at 1×, 50× and 500× the sample, on both engines.

    python benchmarks/scale_benchmark.py --sizes 1 50 [500] [--engines sqlite postgres]
        [--directory /tmp/fangzhi-scale] [--postgres postgresql://user@host/postgres] [--write-docs]

N× is N simulated variants of each sample volume (``fangzhi.simulate``; 1× is
the sample itself): 2, 100 and 1,000 volumes.  Each corpus is ingested with
``fangzhi ingest --workers 2`` into an SQLite file and a PostgreSQL database;
a run that stops is simply started again: files already written, volumes
already stored (same bytes) and sizes already measured are kept (measurements
are saved in ``DIRECTORY/results.json``), so 500× can run once, in the
background, and the docs be written from all sizes later.

Measured, per engine and size:

- ingest throughput with 1 and 2 local dask workers (worker processes), on
  the same 20 simulated volumes into a new knowledge base (``--throughput``);
- the 56 queries of the search benchmark, each the full library call
  (parse, BM25 top 10, facets, snippets), with a ``LIKE '%…%'`` scan over
  the stored node text as the baseline, in the same run on the same database;
- the store's size on disk against the size of the text files;
- the home page (first page of 50 volumes, through the web app) and
  ``stats`` (every volume), with the baseline of counting per volume at read
  time (what fangzhi did before counts were kept at ingest).

PostgreSQL is the test server of ``scripts/postgres-server`` (fsync off):
its ingest figures are what a server with a battery-backed or cloud disk
sees, not one that flushes every commit to a spinning disk.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_benchmark import QUERIES  # noqa: E402

import fangzhi  # noqa: E402
from fangzhi.errors import TimeBudgetError  # noqa: E402
from fangzhi.ingest import ingest_distributed  # noqa: E402
from fangzhi.search.query import parse_query  # noqa: E402
from fangzhi.simulate import simulate_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample").glob("*.txt"))
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- scale-benchmark:start -->", "<!-- scale-benchmark:end -->"
THROUGHPUT_COPIES = 10
TABLES = ("volumes", "source_chunks", "nodes", "facts", "search_groups", "search_nodes", "search_totals")


def corpus(directory: Path, size: int) -> list[Path]:
    if size == 1:
        return SAMPLES
    return simulate_corpus(directory / f"x{size}", SAMPLES, size, progress=lambda message: note(f"x{size}: {message}"))


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def location(engine: str, name: str, directory: Path, server: str) -> str:
    if engine == "sqlite":
        return str(directory / f"{name}.db")
    return server.rsplit("/", 1)[0] + f"/fangzhi_scale_{name}"


def ingest(where: str, files: list[Path], workers: int) -> dict[str, Any]:
    report = ingest_distributed(
        where, [str(path) for path in files], workers=workers, progress=lambda message: note(f"  {message}")
    )
    if report.failed:
        raise SystemExit(f"{len(report.failed)} files failed, first: {report.failed[0].error}")
    stored = {outcome.path for outcome in report.outcomes if outcome.status in ("ingested", "replaced")}
    megabytes = sum(Path(path).stat().st_size for path in stored) / 1e6
    return {"stored": report.stored, "seconds": report.seconds, "megabytes": megabytes}


def drop_postgres(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def throughput(engine: str, directory: Path, server: str) -> dict[str, Any]:
    """The same 20 simulated volumes into a new knowledge base, with 1 and then 2 workers."""
    files = corpus(directory, 50)[: 2 * THROUGHPUT_COPIES]
    found: dict[str, Any] = {}
    for workers in (1, 2):
        where = location(engine, f"throughput{workers}", directory, server)
        if engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(where + suffix).unlink(missing_ok=True)
        else:
            drop_postgres(where)
        note(f"{engine}: throughput with {workers} worker(s)")
        measured = ingest(where, files, workers)
        found[str(workers)] = {
            "volumes_per_minute": measured["stored"] / measured["seconds"] * 60,
            "megabytes_per_minute": measured["megabytes"] / measured["seconds"] * 60,
            "seconds": measured["seconds"],
        }
    return found


JIEBA_PROBE = """
import resource, sys, time
import fangzhi
kb = fangzhi.open(":memory:")
seconds = []
for path in sys.argv[1:]:
    started = time.perf_counter()
    kb.ingest(path)
    seconds.append(time.perf_counter() - started)
print(" ".join(f"{value:.3f}" for value in seconds), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def jieba_cost(directory: Path) -> dict[str, Any]:
    """What a gazette costs first in a process (jieba's dictionary loaded for it) and once a worker has it."""
    import subprocess

    gazettes = [path for path in corpus(directory, 50) if "gazette" in path.name][:6]
    output = subprocess.run(
        [sys.executable, "-c", JIEBA_PROBE, *map(str, gazettes)], capture_output=True, text=True, check=True
    ).stdout.split()
    seconds = [float(value) for value in output[:-1]]
    return {
        "first_seconds": seconds[0],
        "later_seconds": statistics.median(seconds[1:]),
        "peak_mb": int(output[-1]) / 1024,
    }


def like_sql(query: str, marker: str) -> tuple[str, list[str]]:
    """The baseline: the same boolean query as LIKE patterns over the stored title and text, every row scanned."""
    parsed = parse_query(query)
    clauses: list[str] = []
    parameters: list[str] = []

    def contains(text: str) -> str:
        pattern = "%" + "".join(text.split()) + "%"
        parameters.extend([pattern, pattern])
        return f"(coalesce(title, '') LIKE {marker} OR text LIKE {marker})"

    for group in parsed.groups:
        clauses.append("(" + " OR ".join(contains(term.text) for term in group) + ")")
    for term in parsed.excluded:
        clauses.append("NOT " + contains(term.text))
    return f"SELECT count(*) FROM nodes WHERE {' AND '.join(clauses)}", parameters


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


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def store_size(engine: str, where: str, kb: Any) -> int:
    if engine == "sqlite":
        with fangzhi.open(where, create=False) as writable:  # checkpoints the write-ahead log into the file
            return writable.store.size()
    rows = kb.store._rows(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
        " WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace"
    )
    return int(rows[0][0])


def counted_at_read(engine: str, kb: Any) -> None:
    """The baseline of stats: every volume's nodes and facts counted by kind when asked, as fangzhi did before."""
    store = kb.store
    for _volume, key in store._volume_keys():
        if engine == "sqlite":
            span = (key << 32, (key << 32) + (1 << 32) - 1)
            list(store._rows("SELECT kind, level, count(*) FROM nodes WHERE key BETWEEN ? AND ? GROUP BY 1, 2", span))
            list(store._rows("SELECT kind, count(*) FROM facts WHERE key BETWEEN ? AND ? GROUP BY 1", span))
        else:
            store._rows("SELECT kind, level, count(*) FROM nodes WHERE volume = %s GROUP BY 1, 2", (key,))
            store._rows("SELECT kind, count(*) FROM facts WHERE volume = %s GROUP BY 1", (key,))


def measure(engine: str, size: int, directory: Path, server: str, repeat: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from fangzhi.web.app import create_app

    files = corpus(directory, size)
    where = location(engine, f"x{size}", directory, server)
    note(f"{engine} x{size}: ingesting {len(files)} files (stored ones are skipped)")
    ingested = ingest(where, files, 2)
    text_bytes = sum(path.stat().st_size for path in files)
    result: dict[str, Any] = {"volumes": len(files), "text_bytes": text_bytes}
    if ingested["stored"] == len(files):
        result["ingest"] = ingested
    with fangzhi.open(where, create=False, read_only=True) as kb:
        result["size_bytes"] = store_size(engine, where, kb)
        note(f"{engine} x{size}: searching")
        stopped: list[str] = []

        def search(query: str) -> None:
            try:
                kb.search(query, limit=10)
            except TimeBudgetError:  # counted at the time it took: the budget, the slowest a user waits
                stopped.append(query)

        searches = timed(search, QUERIES, repeat)
        marker = "?" if engine == "sqlite" else "%s"

        def like(query: str) -> None:
            sql, parameters = like_sql(query, marker)
            list(kb.store._rows(sql, parameters))

        likes = timed(like, QUERIES, 1)
        result["search"] = {
            "p50": percentile(searches, 0.5),
            "p95": percentile(searches, 0.95),
            "max": max(searches),
            "like_p50": percentile(likes, 0.5),
            "like_p95": percentile(likes, 0.95),
            "stopped": sorted(set(stopped)),
        }
        note(f"{engine} x{size}: home page and stats")
        with TestClient(create_app(kb)) as client:
            result["home_ms"] = median_ms(lambda: client.get("/").raise_for_status(), 15)
        result["stats_ms"] = median_ms(kb.stats, 15)
        result["stats_at_read_ms"] = median_ms(lambda: counted_at_read(engine, kb), 3)
    return result


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def report(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    lines = [
        START,
        "## Scale: both engines at 1×, 50× and 500× the sample",
        "",
        "Generated by `python benchmarks/scale_benchmark.py --sizes 1 50 500 --write-docs` (see its docstring): "
        "N× is N simulated variants of each sample volume, ingested with `fangzhi ingest --workers 2`. "
        "Search is the full library call over the 56 queries of the search benchmark; the baseline is a "
        "`LIKE '%…%'` scan of the stored node text in the same run on the same database. "
        "Store size is the database on disk (SQLite: the file; PostgreSQL: its tables with indexes and TOAST) "
        "against the size of the text files. Home page: the first page of volumes through the web app; stats: "
        "every volume's counts; the baseline counts each volume's nodes and facts at read time.",
        "",
        f"Machine: {machine.get('machine', '?')}, {machine.get('cpus', '?')} CPUs shared with other developers' work "
        f"(load average {min(machine.get('loads') or [0]):g}–{max(machine.get('loads') or [0]):g} when the runs "
        f"started), Python {machine.get('python', '?')}, "
        f"SQLite {machine.get('sqlite', '?')}, PostgreSQL {machine.get('postgres', '?')} (fsync off).",
        "",
        "| engine | corpus | volumes | text (MB) | store (MB) | store ÷ text | search p50 (ms) | search p95 (ms) "
        "| LIKE p50 (ms) | LIKE p95 (ms) | home page (ms) | stats (ms) | stats counted at read (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine in ("sqlite", "postgres"):
        for size, found in sorted(results.get(engine, {}).items(), key=lambda item: int(item[0])):
            search = found["search"]
            lines.append(
                f"| {'SQLite' if engine == 'sqlite' else 'PostgreSQL'} | {size}× | {found['volumes']:,} "
                f"| {found['text_bytes'] / 1e6:,.1f} | {found['size_bytes'] / 1e6:,.1f} "
                f"| {found['size_bytes'] / found['text_bytes']:.1f} | {search['p50']:.1f} | {search['p95']:.1f} "
                f"| {search['like_p50']:.1f} | {search['like_p95']:.1f} | {found['home_ms']:.1f} "
                f"| {found['stats_ms']:.1f} | {found['stats_at_read_ms']:.1f} |"
            )
    stopped = [
        f"{'SQLite' if engine == 'sqlite' else 'PostgreSQL'} {size}×: "
        + ", ".join(f"`{query}`" for query in found["search"]["stopped"])
        for engine in ("sqlite", "postgres")
        for size, found in sorted(results.get(engine, {}).items(), key=lambda item: int(item[0]))
        if found["search"].get("stopped")
    ]
    if stopped:
        lines += ["", "Searches stopped by the 5 s search time budget (counted at 5 s): " + "; ".join(stopped) + "."]
    lines += ["", "Ingest throughput (the same 20 simulated volumes, 16 MB, into a new knowledge base):", ""]
    lines += ["| engine | workers | volumes/min | MB of text/min |", "|---|---:|---:|---:|"]
    for engine in ("sqlite", "postgres"):
        for workers, found in sorted(results.get("throughput", {}).get(engine, {}).items()):
            lines.append(
                f"| {'SQLite' if engine == 'sqlite' else 'PostgreSQL'} | {workers} "
                f"| {found['volumes_per_minute']:.1f} | {found['megabytes_per_minute']:.1f} |"
            )
    jieba = results.get("jieba")
    if jieba:
        lines += [
            "",
            f"A simulated gazette (0.1 MB) costs {jieba['first_seconds']:.2f} s first in a process, most of it loading "
            f"jieba's dictionary for the people mentions of its chronicle, and {jieba['later_seconds']:.2f} s once "
            f"the process has it (median of the next five); peak memory {jieba['peak_mb']:.0f} MB. "
            "A dask worker loads it once, for every file it is given.",
        ]
    ingests = [
        (engine, size, found["ingest"])
        for engine in ("sqlite", "postgres")
        for size, found in results.get(engine, {}).items()
        if "ingest" in found and int(size) > 1
    ]
    if ingests:
        lines += [
            "",
            "Whole-corpus ingest with 2 workers: "
            + "; ".join(
                f"{'SQLite' if engine == 'sqlite' else 'PostgreSQL'} {size}×: {found['stored']:,} volumes in "
                f"{found['seconds'] / 60:.1f} min"
                for engine, size, found in sorted(ingests, key=lambda item: (item[0], int(item[1])))
            )
            + ".",
        ]
    lines.append(END)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--directory", type=Path, default=Path("/tmp/fangzhi-scale"))
    parser.add_argument("--postgres", default=os.environ.get("FANGZHI_TEST_POSTGRES", ""))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--throughput", action="store_true", help="measure ingest throughput with 1 and 2 workers")
    parser.add_argument("--jieba", action="store_true", help="measure a gazette first in a process and after")
    parser.add_argument("--again", action="store_true", help="measure sizes already in results.json again")
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()
    if "postgres" in options.engines and not options.postgres:
        parser.error('--postgres URL (or FANGZHI_TEST_POSTGRES; `eval "$(scripts/postgres-server start)"`) is needed')
    options.directory.mkdir(parents=True, exist_ok=True)
    saved = options.directory / "results.json"
    results = load(saved)
    loads = results.get("machine", {}).get("loads", [])
    results["machine"] = {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "loads": loads,
    }
    if options.postgres:
        import psycopg

        with psycopg.connect(options.postgres) as connection:
            results["machine"]["postgres"] = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    if options.jieba:
        results["jieba"] = jieba_cost(options.directory)
        saved.write_text(json.dumps(results, indent=2))
    if options.throughput:
        loads.append(round(os.getloadavg()[0], 1))
        for engine in options.engines:
            results.setdefault("throughput", {})[engine] = throughput(engine, options.directory, options.postgres)
            saved.write_text(json.dumps(results, indent=2))
    for size in options.sizes:
        for engine in options.engines:
            if str(size) in results.get(engine, {}) and not options.again:
                continue
            loads.append(round(os.getloadavg()[0], 1))
            results.setdefault(engine, {})[str(size)] = measure(
                engine, size, options.directory, options.postgres, 1 if size >= 500 else options.repeat
            )
            saved.write_text(json.dumps(results, indent=2))
    output = report(results)
    print(output)
    if options.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        if START in text:
            text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: output, text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + output + "\n"
        DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
