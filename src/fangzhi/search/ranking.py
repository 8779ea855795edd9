"""Which matches a search returns, and in what order, over any :class:`~fangzhi.search.index.SearchIndex`.

This is the part of a search that is the same on every engine: filters
become facet groups, the facets are counted (in the background when the
index can), and BM25 ranks bounded windows of the newest matches (see
:func:`rank`), so a one-character query stays fast however large the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fangzhi.errors import KnowledgeBaseError
from fangzhi.search.index import FACETS, Counts, Restriction, SearchGroup, SearchIndex, Window
from fangzhi.search.query import Query

RANK_WINDOW = 1000
LONG_WINDOW = 20


@dataclass(frozen=True)
class Ranked:
    """One page of (key, BM25) pairs, with the facet counts of every match."""

    counts: Counts
    ranked: list[tuple[int, float]]


def restriction_for(
    groups: dict[int, SearchGroup],
    volume: str | None = None,
    kind: str | None = None,
    chapter: str | None = None,
    year: int | None = None,
    page_from: int | None = None,
    page_to: int | None = None,
) -> Restriction | None:
    """The groups the filters allow (None when none can match)."""
    wanted: dict[str, Any] = {"volume": volume, "kind": kind, "chapter": chapter, "year": year}
    allowed: tuple[int, ...] | None = None
    if any(value is not None for value in wanted.values()):
        allowed = tuple(
            sorted(
                number
                for number, group in groups.items()
                if all(value is None or getattr(group, name) == value for name, value in wanted.items())
            )
        )
        if not allowed:
            return None
    return Restriction(allowed, page_from, page_to)


def ranked_matches(
    index: SearchIndex, store_name: str, parsed: Query, limit: int, offset: int, **filters: Any
) -> Ranked:
    """Facet counts of every match and one page of ranked hits."""
    groups = index.groups()
    if not groups and index.unindexed():
        raise KnowledgeBaseError(
            f"{store_name}: its volumes are not in the search index (made by an older fangzhi); ingest them again"
        )
    restriction = restriction_for(groups, **filters)
    if restriction is None:
        return Ranked(Counts({name: {} for name in FACETS}, 0, 0), [])
    job = index.count_in_background(parsed, restriction)
    if job is None:
        counts = index.count(parsed, restriction)
        ranked = rank(index, groups, counts, parsed, restriction, limit, offset) if counts.total else []
    else:
        ranked = rank(index, groups, None, parsed, restriction, limit, offset)
        counts = job.result()
    return Ranked(counts, ranked)


def rank(
    index: SearchIndex,
    groups: dict[int, SearchGroup],
    counts: Counts | None,
    parsed: Query,
    restriction: Restriction,
    limit: int,
    offset: int,
) -> list[tuple[int, float]]:
    """The keys and BM25 scores of one page of hits.

    BM25 costs a few microseconds per matching node and query token, far
    more on a long node, plus one pass over each term's matches (for its
    IDF) per statement.  So one statement ranks bounded windows: the latest
    ``RANK_WINDOW / tokens`` matches among ordinary nodes and the latest
    :data:`LONG_WINDOW` among long ones.  When more nodes match than that and
    the query is one word or one OR group (so that a title match is a full
    match), the latest title matches come first, ranked among themselves from
    the titles alone.  Matches outside the windows follow unranked (score 0),
    newest first.  On the sample corpus nearly every query is ranked in full.

    Without ``counts`` (while they are being counted in the background) the
    sizes are found by cutting each window instead, which orders the hits the
    same.
    """
    window = max(RANK_WINDOW // max(1, sum(len(term.tokens) for term in parsed.terms)), 1)
    wanted = limit + offset
    if counts is None:
        beyond = index.newest(parsed, restriction, window)
        if beyond is None and index.newest(parsed, restriction, 0) is None:
            return []
        many = beyond is not None
    else:
        many = counts.total > window
    total = counts.total if counts else None
    long_count = counts.long if counts else (None if any(group.long for group in groups.values()) else 0)
    ranked: list[tuple[int, float]] = []
    if many and len(parsed.groups) == 1 and not parsed.excluded:
        ranked = index.rank(parsed, restriction, [Window(None, window)], wanted, set(), titles=True)
    if len(ranked) < wanted:
        windows = [Window(None, window, total)]
        if long_count is None or long_count:
            short_count = None if total is None or long_count is None else total - long_count
            windows = [Window(False, window, short_count), Window(True, LONG_WINDOW, long_count)]
        seen = {key for key, _ in ranked}
        ranked += index.rank(parsed, restriction, windows, wanted - len(ranked), seen)
    return ranked[offset:wanted]
