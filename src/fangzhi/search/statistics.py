"""How common words are in the index: the document frequencies that weigh a question's words."""

from __future__ import annotations

from collections.abc import Sequence

from fangzhi.store.base import Store


def document_frequencies(store: Store, words: Sequence[str]) -> tuple[int, dict[str, int]]:
    """The number of indexed nodes, and for each word how many of them contain it (as a phrase)."""
    return store.search_index.document_frequencies(words)
