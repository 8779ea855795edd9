"""The question bank of tests/fixtures/questions/: loading it and scoring answers against it.

Three banks: ``sample.jsonl`` (written with the code), ``held_out.jsonl``
(written later, without running the code on it first) and ``blind.jsonl``
(100 questions by an independent examiner who never saw the code).  A row holds a question, the kind of answer it wants, the expected answer
(``answer``: every name in it must appear; ``answer_any``: one of them must;
``value``/``unit`` and ``accept_values`` for numbers), the places the answer
is printed (``citations``: volume and line range, page where the book has
one) and ``not_found`` for questions the corpus does not answer.  Every
expected answer and citation was checked by hand against the sample texts.

An answer is right when it says what the row expects and its first citation
overlaps one of the expected ones (same volume, overlapping lines, same page
where both have one); a not-found row is right only when the answer is
``not_found``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BANKS = Path(__file__).resolve().parent / "fixtures" / "questions"
# sample.jsonl was written with the code; held_out.jsonl afterwards, by reading chapters and document types the
# first covers thinly, before the code was run on it (its first score is the honest estimate of a held-out bank's).
BANK_NAMES = ("sample", "held_out", "blind")
BANK = BANKS / "sample.jsonl"


def load_bank(path: Path | str = BANK) -> list[dict[str, Any]]:
    """A bank by path, or by name (``sample``, ``held_out``)."""
    if isinstance(path, str):
        path = BANKS / f"{path}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Score:
    right: bool
    answer_right: bool
    citation_right: bool


def _numbers(text: str) -> list[float]:
    return [float(found.replace(",", "")) for found in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text or "")]


def answer_matches(row: dict[str, Any], answer: str | None, value: float | None) -> bool:
    if answer is None:
        return False
    if "value" in row:
        wanted = [row["value"], *row.get("accept_values", [])]
        candidates = [value] if value is not None else _numbers(answer)
        return any(
            candidate is not None and abs(candidate - expected) < 1e-6
            for candidate in candidates
            for expected in wanted
        )
    if "answer_any" in row:
        return any(expected in answer for expected in row["answer_any"])
    if row["kind"] == "yes_no":
        # The verdict the answer opens with (是/否), not a 是 anywhere in what follows (否：…的任免记录是…).
        return answer.lstrip().startswith(row["answer"]) or any(
            answer.lstrip().startswith(accepted) for accepted in row.get("accept", [])
        )
    return any(
        all(part in answer for part in expected.split("、")) for expected in [row["answer"], *row.get("accept", [])]
    )


def citation_matches(row: dict[str, Any], citation: dict[str, Any] | None) -> bool:
    if citation is None:
        return False
    for expected in row["citations"]:
        start, end = expected["lines"]
        if citation["volume"] != expected["volume"]:
            continue
        if citation["line_end"] < start or citation["line_start"] > end:
            continue
        if (
            expected.get("page") is not None
            and citation.get("page") is not None
            and citation["page"] != expected["page"]
        ):
            continue
        return True
    return False


def score(row: dict[str, Any], answer: dict[str, Any]) -> Score:
    """Score one answer (as ``Answer.to_dict()``) against its bank row."""
    if row["not_found"]:
        right = bool(answer["not_found"])
        return Score(right, right, right)
    if answer["not_found"]:
        return Score(False, False, False)
    answer_right = answer_matches(row, answer["answer"], answer.get("value"))
    citation_right = citation_matches(row, answer["citations"][0] if answer["citations"] else None)
    return Score(answer_right and citation_right, answer_right, citation_right)


def baseline_answer(kb: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The plain BM25 baseline: the top passage the search index ranks for the question's words, as an answer.

    It answers with the whole passage (so any expected name or number it
    holds counts as found) and never says not_found.
    """
    from fangzhi.search import parse_query
    from fangzhi.search.query import best_match_query

    parsed = parse_query(row["question"])
    query = best_match_query(parsed) or parsed
    result = kb.search(query, limit=1)
    if not result.hits:
        return {"not_found": True, "answer": None, "citations": []}
    hit = result.hits[0]
    node = kb.node(hit.id)
    text = re.sub(r"\s+", "", (node.title or "") + (node.text or ""))
    citation = {"volume": hit.volume, "line_start": hit.line_start, "line_end": hit.line_end, "page": hit.page}
    return {"not_found": False, "answer": text, "value": None, "citations": [citation]}
