"""Ingest benchmark: the whole sample yearbook, against reading and splitting the file as a baseline.

Run: python benchmarks/ingest_benchmark.py [--repeat N]
Each measurement runs in a fresh process so that peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEARBOOK = ROOT / "sample" / "pingdingshan-yearbook-2024.txt"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path, db = sys.argv[1], sys.argv[2], sys.argv[3]
started = time.perf_counter()
if mode == "baseline":
    lines = Path(path).read_text(encoding="utf-8").split("\n")
elif mode == "parse":
    from fangzhi.knowledge_base import build_document
    document, facts = build_document(path)
else:
    import fangzhi
    with fangzhi.open(db) as kb:
        kb.ingest(path)
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(mode: str, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            output = subprocess.run(
                [sys.executable, "-c", CHILD, mode, str(YEARBOOK), str(Path(folder) / "kb.db")],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
    return {
        "seconds_median": statistics.median(r["seconds"] for r in runs),
        "seconds_max": max(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    results = {mode: measure(mode, arguments.repeat) for mode in ("baseline", "parse", "ingest")}
    print(
        f"date: {date.today()}  machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}"
    )
    print(f"{'stage':<10} {'median s':>9} {'max s':>8} {'peak MB':>8} {'× baseline':>10}")
    for mode, row in results.items():
        ratio = row["seconds_median"] / results["baseline"]["seconds_median"]
        print(
            f"{mode:<10} {row['seconds_median']:>9.3f} {row['seconds_max']:>8.3f} {row['peak_mb']:>8.1f} {ratio:>10.1f}"
        )


if __name__ == "__main__":
    main()
