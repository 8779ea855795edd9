"""Ranking the hits of a question typed whole: the node with one passage that holds most of it comes first.

BM25 over the question's words, any of which may match, adds up each word's
score, so a short node whose title is one of them (a county's section,
汝州市) outranks the paragraph that holds them all.  The first hits of such
a search are ranked again by the share of the question's weight (IDF) that
one passage of the node holds, its title counting for every passage; BM25
breaks ties.  A passage is a sentence and the next, so a long node (a
whole chronicle) wins only where the words stand together.
"""

from __future__ import annotations

import math
import re
from typing import Any

from fangzhi.search.query import Query
from fangzhi.search.tokens import fold_characters

# How many of the best-match hits are ranked again (more than a page, so the passage that answers can rise).
POOL = 40
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")


def reranked(store: Any, hits: list[Any], query: Query, frequencies: tuple[int, dict[str, int]]) -> list[Any]:
    """``hits`` ordered by the best passage's share of the query's weight, then as BM25 ranked them."""
    terms = [term.text for group in query.groups for term in group]
    total, counts = frequencies
    weights = {term: math.log(1 + (total + 1) / (counts.get(term, 0) + 1)) for term in terms}
    whole = sum(weights.values())
    if not whole or not hits:
        return hits
    nodes = store.nodes_by_id([hit.id for hit in hits])
    shares = []
    for position, hit in enumerate(hits):
        node = nodes.get(hit.id)
        title = fold_characters(re.sub(r"\s+", "", f"{hit.title or ''}"))
        text = fold_characters(re.sub(r"\s+", "", node.text or "")) if node is not None else ""
        shares.append((-_best_passage(title, text, weights) / whole, position))
    return [hits[position] for _, position in sorted(shares)]


def _best_passage(title: str, text: str, weights: dict[str, float]) -> float:
    in_title = {term for term in weights if term in title}
    sentences = _SENTENCE.findall(text) or [""]
    best = 0.0
    for index in range(len(sentences)):
        passage = sentences[index] + (sentences[index + 1] if index + 1 < len(sentences) else "")
        held = sum(weight for term, weight in weights.items() if term in in_title or term in passage)
        best = max(best, held)
    return best
