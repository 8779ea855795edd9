"""How common words are in the index: the document frequencies that weigh a question's words."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from fangzhi.search.query import Term
from fangzhi.search.tokens import search_tokens
from fangzhi.text import fold_for_search


def document_frequencies(store: Any, words: Sequence[str]) -> tuple[int, dict[str, int]]:
    """The number of indexed nodes, and for each word how many of them contain it (as a phrase)."""
    connection: sqlite3.Connection = store.connection
    total = connection.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    counts: dict[str, int] = {}
    for word in words:
        tokens = tuple(search_tokens(fold_for_search(word)))
        if not tokens:
            counts[word] = 0
            continue
        match = Term(word, tokens).to_match()
        counts[word] = connection.execute(
            "SELECT count(*) FROM search_text WHERE search_text MATCH ?", (match,)
        ).fetchone()[0]
    return total, counts
