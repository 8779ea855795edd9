"""PDF benchmark: the sample yearbook as a PDF, ingested against its text, and the two PDF libraries compared.

Run: python benchmarks/pdf_benchmark.py [--repeat N] [--write-docs]

The PDF is made in the run from the sample text (tests/pdf_documents.py: one
printed page per PDF page, three columns written row by row, the page number
in the footer, the chapters as the PDF outline), so both inputs hold the same
content.  Ingest runs in fresh processes (``kb.ingest`` into a new SQLite
file); the library comparison reads the same PDF in this process:

- pypdfium2 ``get_text_range`` per page, and fangzhi's reader (pypdfium2
  character boxes, columns, margins, page numbers: ``fangzhi.text.pdf``);
- pdfplumber ``extract_text`` and ``extract_words`` per page.

Text fidelity is judged against the source lines of each page: *characters*
counts pages whose characters (spaces aside) are the same multiset, *reading
order* pages whose text, spaces aside, is the same sequence.
--write-docs replaces the PDF section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
YEARBOOK = ROOT / "sample" / "pingdingshan-yearbook-2024.txt"

CHILD = r"""
import json, resource, sys, time
import fangzhi
path, db = sys.argv[1], sys.argv[2]
started = time.perf_counter()
with fangzhi.open(db) as kb:
    result = kb.ingest(path, volume_id="book")
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "nodes": result.nodes, "facts": result.facts}))
"""


def make_pdf(folder: Path) -> tuple[Path, list[list[str]], list[str]]:
    """The whole sample yearbook as a PDF, each PDF page's source lines, and its footer."""
    from fangzhi.text.source import read_source
    from pdf_documents import sample_pages, write_pdf

    source = read_source(YEARBOOK)
    pages, outline, title = sample_pages(source, 1, 10_000)
    path = write_pdf(folder / "pingdingshan-yearbook-2024.pdf", pages, title, outline)
    expected = [[line for column in page.columns for line in column if line] for page in pages]
    return path, expected, [page.footer or "" for page in pages]


def ingest(paths: dict[str, Path], repeat: int) -> dict[str, dict[str, float]]:
    """Each input ingested ``repeat`` times, the inputs taking turns, so that both see the same machine load."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
    for _ in range(repeat):
        for name, path in paths.items():
            with tempfile.TemporaryDirectory() as folder:
                output = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), str(Path(folder) / "kb.db")],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs[name].append(json.loads(output.strip().splitlines()[-1]))
    return {
        name: {
            "seconds_median": statistics.median(run["seconds"] for run in found),
            "seconds_max": max(run["seconds"] for run in found),
            "peak_mb": max(run["peak_mb"] for run in found),
            "nodes": found[0]["nodes"],
            "facts": found[0]["facts"],
        }
        for name, found in runs.items()
    }


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fidelity(pages_text: list[str], expected: list[list[str]], footers: list[str]) -> tuple[int, int]:
    """Pages whose characters, and whose reading order, are the source's (a footer page number aside)."""
    characters = order = 0
    for text, lines, footer in zip(pages_text, expected, footers, strict=True):
        got, want = _squeeze(text), _squeeze("".join(lines))
        if footer and got.startswith(footer) and not want.startswith(footer):
            got = got[len(footer) :]
        elif footer and got.endswith(footer) and not want.endswith(footer):
            got = got[: -len(footer)]
        characters += Counter(got) == Counter(want)
        order += got == want
    return characters, order


def libraries(path: Path, expected: list[list[str]], footers: list[str]) -> dict[str, dict[str, float]]:
    import pdfplumber
    import pypdfium2

    from fangzhi.text.source import read_source

    results: dict[str, dict[str, float]] = {}

    def record(name: str, started: float, texts: list[str]) -> None:
        characters, order = fidelity(texts, expected, footers)
        results[name] = {"seconds": time.perf_counter() - started, "characters": characters, "order": order}

    started = time.perf_counter()
    document = pypdfium2.PdfDocument(str(path))
    texts = []
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    record("pypdfium2 get_text_range", started, texts)

    started = time.perf_counter()
    source = read_source(path)
    texts = ["\n".join(source.lines[page.first_line - 1 : page.last_line]) for page in source.pages]
    record("fangzhi reader (pypdfium2 + columns)", started, texts)

    started = time.perf_counter()
    with pdfplumber.open(str(path)) as document:
        texts = [page.extract_text() or "" for page in document.pages]
    record("pdfplumber extract_text", started, texts)

    started = time.perf_counter()
    with pdfplumber.open(str(path)) as document:
        texts = [" ".join(word["text"] for word in page.extract_words()) for page in document.pages]
    record("pdfplumber extract_words", started, texts)
    return results


def report(
    text: dict[str, float], pdf: dict[str, float], pages: int, libs: dict[str, dict[str, float]], repeat: int
) -> str:
    lines = [
        "## PDF input",
        "",
        "Generated by `python benchmarks/pdf_benchmark.py --write-docs`. The sample yearbook is made into a PDF in the run "
        f"({pages} pages: front matter and printed pages 1-370 and 388, three columns written row by row, the page number "
        "in the footer, chapters in the outline; `tests/pdf_documents.py`), so both inputs hold the same text.",
        f"Ingest is `kb.ingest` into a new SQLite file in a fresh process, median of {repeat} runs; "
        "the text ingest of the same book is the baseline, measured in the same run, the two inputs taking turns.",
        "",
        f"Date: {date.today()}. Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {os.getloadavg()[0]:.1f} when the run ended "
        "(the machine is shared: compare the rows of one run, not runs).",
        "",
        "| input | median | slowest | per page | peak memory | nodes | facts | × text |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in (("text (.txt)", text), ("PDF", pdf)):
        lines.append(
            f"| {name} | {row['seconds_median']:.2f} s | {row['seconds_max']:.2f} s "
            f"| {1000 * row['seconds_median'] / pages:.1f} ms | {row['peak_mb']:.0f} MB | {row['nodes']} | {row['facts']} "
            f"| {row['seconds_median'] / text['seconds_median']:.2f} |"
        )
    lines += [
        "",
        f"Reading the same PDF ({pages} pages) with each library, in one process. *Characters*: pages whose characters "
        "(spaces aside) are exactly the page's source text; *reading order*: pages whose text is also in the source order.",
        "",
        "| library and call | time | per page | characters | reading order |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in libs.items():
        lines.append(
            f"| {name} | {row['seconds']:.2f} s | {1000 * row['seconds'] / pages:.1f} ms "
            f"| {row['characters']:.0f}/{pages} | {row['order']:.0f}/{pages} |"
        )
    return "\n".join(lines)


def write_docs(section: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    block = f"<!-- pdf-benchmark:start -->\n{section}\n<!-- pdf-benchmark:end -->"
    pattern = re.compile(r"<!-- pdf-benchmark:start -->.*?<!-- pdf-benchmark:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true", help="replace the PDF section of docs/benchmarks.md")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf_path, expected, footers = make_pdf(Path(folder))
        measured = ingest({"text": YEARBOOK, "pdf": pdf_path}, arguments.repeat)
        text, pdf = measured["text"], measured["pdf"]
        libs = libraries(pdf_path, expected, footers)
    section = report(text, pdf, len(expected), libs, arguments.repeat)
    print(section)
    if arguments.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
