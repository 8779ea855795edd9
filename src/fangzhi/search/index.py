"""The search-index interface: what the search engine asks of the index each store keeps inside its database.

The engine (:mod:`fangzhi.search.engine`) parses the query, turns filters
into facet groups, chooses the ranking windows, falls back to best match and
cuts snippets; an index answers a handful of questions about the matches,
each in one or two statements run inside its own engine (FTS5 in SQLite, GIN
over token pairs in PostgreSQL).  Both indexes key a node by its facet
group × 2³² + its ordinal, rank with FTS5's BM25, and so return the same hits
in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from fangzhi.search.query import Query

GROUP_SHIFT = 32
FACETS = ("volume", "kind", "chapter", "year")


@dataclass(frozen=True)
class SearchGroup:
    """The unit of facet counting: one volume's nodes of one kind in one chapter (long nodes apart)."""

    volume: str
    kind: str
    chapter: str | None
    year: int | None
    long: bool


@dataclass(frozen=True)
class Restriction:
    """Which nodes a search may return: the allowed groups (None: every group) and a printed page range."""

    groups: tuple[int, ...] | None = None
    page_from: int | None = None
    page_to: int | None = None


@dataclass(frozen=True)
class Window:
    """A part of the matches ranked by BM25: the newest ``size`` of them in long groups, short ones, or all.

    ``matching`` is how many matches the part holds when known (a window
    holding them all needs no cut).
    """

    long: bool | None
    size: int
    matching: int | None = None


@dataclass(frozen=True)
class Counts:
    """Matches per facet value, in all, and in long groups."""

    facets: dict[str, dict[str, int]]
    total: int
    long: int


class CountJob(Protocol):
    def result(self) -> Counts: ...


class SearchIndex(Protocol):
    def groups(self) -> dict[int, SearchGroup]:
        """Every facet group by id (cached by the index until the knowledge base changes)."""

    def unindexed(self) -> bool:
        """Whether the knowledge base has volumes but the index has none of them (made by an older fangzhi)."""

    def count(self, query: Query, restriction: Restriction) -> Counts:
        """Count every match under the restriction, per facet value."""

    def count_in_background(self, query: Query, restriction: Restriction) -> CountJob | None:
        """Start :meth:`count` elsewhere while the caller ranks, or None when it is better done in line."""

    def newest(self, query: Query, restriction: Restriction, offset: int) -> int | None:
        """The key of the match ``offset`` places from the newest (None when fewer match)."""

    def rank(
        self,
        query: Query,
        restriction: Restriction,
        windows: Sequence[Window],
        wanted: int,
        seen: set[int],
        titles: bool = False,
    ) -> list[tuple[int, float]]:
        """Up to ``wanted`` (key, BM25) pairs not in ``seen``: each window's newest matches ranked, then the rest.

        BM25 is FTS5's (negative, lower is better), with titles weighted
        :data:`~fangzhi.search.sqlite_index.TITLE_WEIGHT` times the text;
        ``titles`` ranks title matches alone, by their titles.  Ranked rows
        come in (score, key) order; matches outside every window follow with
        score 0, newest first.
        """

    def node_ids(self, keys: Sequence[int]) -> dict[int, str]:
        """The node id of each key that is in the index."""

    def document_frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """The number of indexed nodes, and for each word how many contain it as a phrase."""
