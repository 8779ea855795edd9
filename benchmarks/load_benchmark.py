"""Many clients at once against a real ``fangzhi serve``, before and after a change, on the sample corpus.

Usage::

    python benchmarks/load_benchmark.py [--baseline REV] [--clients 20] [--duration 15] [--write-docs]

For each version (``--baseline REV``, default ``main``, exported with
``git archive`` into a temporary folder, and this checkout) the sample corpus
is ingested into a new knowledge base by that version, ``fangzhi serve`` runs
in its own process on 127.0.0.1, and:

1. **mixed load**: ``--clients`` threads, each with a keep-alive connection,
   send a fixed random mix of requests (half searches through the API and the
   search page, half pages: home, tables of contents, nodes, the timeline,
   node JSON) for ``--duration`` seconds; throughput and p50/p95/p99 of the
   request times are recorded;
2. **one hostile query in the mix**: the same load again, and two seconds in,
   one more client sends the query from the hardening report (``a`` repeated
   4,000 times, a 16 KB URL) while a probe asks ``/api/stats`` every half
   second.  Recorded: the worst request time of the ordinary clients, the
   slowest ``/api/stats``, and how long the hostile request took and what it
   got.

Everything is bounded: every request gives up after ``--timeout`` seconds
(counted as that long), so a server that stalls makes the numbers bad, not the
benchmark endless.  Clients and server share the machine's cores.
``--write-docs`` replaces the load section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "sample" / "pingdingshan-yearbook-2024.txt", ROOT / "sample" / "pingdingshan-gazette-2024-01.txt"]
DOCS = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- load-benchmark:start -->"
END_MARK = "<!-- load-benchmark:end -->"
QUERIES = ["瓷", "煤", "市", "汝瓷", "工程", "郏县", "教育", "发展", "平顶山市", "人民政府", "汝瓷 宝丰", "煤炭 转型"]
QUERIES += ['"汝瓷烧制技艺"', "汝瓷 OR 钧瓷", "汝瓷 -宝丰", "2023年", "GDP", "郟縣", "新型城镇化", "乡村振兴"]
HOSTILE_QUERY = " ".join(["a"] * 4000)
HOSTILE_AT = 2.0


@dataclass
class Phase:
    """Request times (seconds) of one phase and what went wrong."""

    seconds: float
    times: list[float] = field(default_factory=list)
    server_memory: float = float("nan")
    failures: dict[str, int] = field(default_factory=dict)
    stats_times: list[float] = field(default_factory=list)
    hostile: tuple[float, str] | None = None

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def export_revision(revision: str, into: Path) -> Path:
    """The ``src`` folder of ``revision``, unpacked with ``git archive`` (the working tree is not touched)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _environment(source: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(source)}


def build(source: Path, db: Path) -> None:
    command = [sys.executable, "-m", "fangzhi", "ingest", *map(str, SAMPLES), "--db", str(db), "--quiet"]
    subprocess.run(command, check=True, env=_environment(source), cwd=db.parent)


def requests_for(db: Path, seed: int = 16) -> list[str]:
    """A fixed mix: half searches (API and page), half pages and node JSON."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    volumes = [row[0] for row in connection.execute("SELECT id FROM volumes ORDER BY id")]
    nodes = [
        row[0]
        for row in connection.execute(
            "SELECT id FROM nodes WHERE kind IN ('chapter', 'entry', 'document', 'event') ORDER BY id"
        )
    ]
    connection.close()
    chooser = random.Random(seed)
    mix = []
    for number in range(2000):
        query = quote(chooser.choice(QUERIES))
        if number % 2 == 0:
            mix.append(f"/api/search?q={query}" if number % 4 == 0 else f"/search?q={query}")
            continue
        pick = chooser.random()
        if pick < 0.45:
            mix.append(f"/nodes/{quote(chooser.choice(nodes))}")
        elif pick < 0.7:
            mix.append(f"/api/nodes/{quote(chooser.choice(nodes))}")
        elif pick < 0.85:
            mix.append(f"/volumes/{quote(chooser.choice(volumes))}")
        elif pick < 0.95:
            mix.append("/")
        else:
            mix.append("/timeline?month=2023-11")
    return mix


class Server:
    """``fangzhi serve`` of one version in its own process."""

    def __init__(self, source: Path, db: Path) -> None:
        self.port = _free_port()
        command = [sys.executable, "-m", "fangzhi", "serve", "--db", str(db), "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, env=_environment(source), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"fangzhi serve from {source} did not start")

    def peak_memory(self) -> float:
        """The server process's peak resident memory so far, in MB (Linux)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return float("nan")
        line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: nan kB")
        return float(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def _timed_get(port: int, path: str, timeout: float) -> tuple[float, str]:
    """One request on a new connection: seconds taken (``timeout`` when it gave up) and the status."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        status = str(_get(connection, path))
    except (TimeoutError, OSError) as error:
        return timeout, f"no answer ({type(error).__name__})"
    finally:
        connection.close()
    return time.perf_counter() - started, status


def run_phase(port: int, mix: list[str], clients: int, seconds: float, timeout: float, hostile: bool) -> Phase:
    phase = Phase(seconds)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        position = number * len(mix) // clients
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while time.monotonic() < stop_at:
            path = mix[position % len(mix)]
            position += 1
            started = time.perf_counter()
            try:
                status = _get(connection, path)
                failure = None if status == 200 else f"HTTP {status}"
            except (TimeoutError, OSError) as error:
                failure = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            took = time.perf_counter() - started
            with lock:
                phase.times.append(took)
                if failure:
                    phase.failures[failure] = phase.failures.get(failure, 0) + 1
        connection.close()

    def attacker() -> None:
        time.sleep(HOSTILE_AT)
        phase.hostile = _timed_get(port, "/api/search?q=" + quote(HOSTILE_QUERY), timeout)

    def prober() -> None:
        time.sleep(HOSTILE_AT)
        while time.monotonic() < stop_at or (phase.hostile is None and time.monotonic() < stop_at + timeout):
            took, _ = _timed_get(port, "/api/stats", timeout)
            phase.stats_times.append(took)
            time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    if hostile:
        threads += [threading.Thread(target=attacker), threading.Thread(target=prober)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return phase


def measure(source: Path, workspace: Path, clients: int, seconds: float, timeout: float) -> dict[str, Phase]:
    db = workspace / "sample.db"
    build(source, db)
    mix = requests_for(db)
    results = {}
    for name, hostile in (("mixed", False), ("hostile", True)):
        server = Server(source, db)
        try:
            for path in mix[:40]:
                _timed_get(server.port, path, timeout)
            results[name] = run_phase(server.port, mix, clients, seconds, timeout, hostile)
            results[name].server_memory = server.peak_memory()
        finally:
            server.stop()
    return results


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(results: dict[str, dict[str, Phase]], labels: dict[str, str], clients: int, timeout: float) -> str:
    seconds = next(iter(results.values()))["mixed"].seconds
    lines = [
        "## Load",
        "",
        f"Generated by `python benchmarks/load_benchmark.py --write-docs`: {clients} clients with keep-alive "
        f"connections against `fangzhi serve` on 127.0.0.1 (the sample corpus), {seconds:.0f} s per phase, "
        "a fixed mix of half searches (API and search page) and half pages (nodes, tables of contents, home, "
        "timeline, node JSON). Each version ingests the sample itself and serves it in its own process; "
        f"clients and server share the machine's cores. A request that gets no answer in {timeout:.0f} s counts "
        "as taking that long.",
        "The hostile phase repeats the mix while one more client, 2 s in, sends the query of the hardening "
        "report (`a` 4,000 times, a 16 KB URL) and a probe asks `/api/stats` every 0.5 s.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {os.getloadavg()[0]:.1f} at the end of the run "
        "(other work on the machine makes numbers between runs differ by a third or more).",
        "",
        "| version | requests/s | p50 | p95 | p99 | failed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for version, phases in results.items():
        mixed = phases["mixed"]
        failed = sum(mixed.failures.values())
        lines.append(
            f"| {labels[version]} | {len(mixed.times) / mixed.seconds:,.0f} | {_ms(mixed.percentile(0.5))} "
            f"| {_ms(mixed.percentile(0.95))} | {_ms(mixed.percentile(0.99))} | {failed} |"
        )
    lines += [
        "",
        "With one hostile query in the mix:",
        "",
        "| version | requests/s | p99 | worst request | worst `/api/stats` | hostile query answered | server peak memory |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for version, phases in results.items():
        hostile = phases["hostile"]
        took, status = hostile.hostile or (float("nan"), "not sent")
        answer = f"HTTP {status} after {_ms(took)}" if status[:1].isdigit() else f"{status} after {_ms(took)}"
        worst_stats = _ms(max(hostile.stats_times)) if hostile.stats_times else "–"
        lines.append(
            f"| {labels[version]} | {len(hostile.times) / hostile.seconds:,.0f} | {_ms(hostile.percentile(0.99))} "
            f"| {_ms(max(hostile.times))} | {worst_stats} | {answer} | {hostile.server_memory:,.0f} MB |"
        )
    return "\n".join(lines)


def write_docs(section: str) -> None:
    block = f"{START_MARK}\n{section}\n{END_MARK}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        text = before + block + rest.split(END_MARK, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def _commit(revision: str) -> str:
    command = ["git", "-C", str(ROOT), "rev-parse", "--short", revision]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="The git revision measured as 'before' (default: main).")
    parser.add_argument("--no-baseline", action="store_true", help="Measure this checkout only.")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="Seconds per phase.")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="Seconds a request may take before it counts as lost."
    )
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args(arguments)
    results: dict[str, dict[str, Phase]] = {}
    labels: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as directory:
        workspace = Path(directory)
        versions: list[tuple[str, Path]] = []
        if not options.no_baseline:
            (workspace / "before").mkdir()
            versions.append(("before", export_revision(options.baseline, workspace / "before")))
            labels["before"] = f"before ({options.baseline} at {_commit(options.baseline)})"
        versions.append(("after", ROOT / "src"))
        labels["after"] = f"after (this branch at {_commit('HEAD')})"
        for name, source in versions:
            (workspace / name).mkdir(exist_ok=True)
            print(f"measuring {labels[name]} …", file=sys.stderr)
            results[name] = measure(source, workspace / name, options.clients, options.duration, options.timeout)
    section = report(results, labels, options.clients, options.timeout)
    print(section)
    if options.write_docs:
        write_docs(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
