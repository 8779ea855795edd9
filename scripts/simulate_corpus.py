"""Write a simulated corpus: COPIES variants of each sample volume (see fangzhi.simulate).

    python scripts/simulate_corpus.py OUT_DIR --copies 50 [--corrupt 1] [--seed 0] [--start 0]

Files already in OUT_DIR are kept, so an interrupted run can be started again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fangzhi.simulate import simulate_corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--copies", type=int, required=True, help="variants of each sample volume")
    parser.add_argument("--corrupt", type=int, default=0, help="unreadable files to add among them")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="number of the first copy (to generate in parts)")
    options = parser.parse_args()
    paths = simulate_corpus(
        options.directory,
        SAMPLES,
        options.copies,
        seed=options.seed,
        corrupt=options.corrupt,
        start=options.start,
        progress=lambda message: print(message, file=sys.stderr),
    )
    size = sum(path.stat().st_size for path in paths)
    print(f"{len(paths)} files, {size / 1e6:.1f} MB in {options.directory}")


if __name__ == "__main__":
    main()
