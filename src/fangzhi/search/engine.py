"""Running a search: filters, BM25 ranking with titles boosted, facet counts and cited hits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fangzhi.errors import QueryError
from fangzhi.search.best_match import POOL as BEST_MATCH_POOL
from fangzhi.search.best_match import reranked
from fangzhi.search.documents import chapter_of, indexed_text, section_of
from fangzhi.search.query import (
    DEFAULT_LIMITS,
    Query,
    SearchLimits,
    best_match_query,
    parse_query,
    without_common_terms,
)
from fangzhi.search.ranking import ranked_matches
from fangzhi.search.snippets import make_snippet, term_pattern
from fangzhi.search.statistics import document_frequencies
from fangzhi.store import budget
from fangzhi.store.base import StoredNode

PATH_SEPARATOR = " › "
MAX_LIMIT = 1000
LARGEST_INTEGER = 2**63 - 1


@dataclass
class SearchHit:
    """One matching node with everything needed to cite it."""

    id: str
    kind: str
    volume: str
    title: str | None
    path: str
    path_titles: list[str]
    chapter: str | None
    section: str | None
    page: int | None
    page_end: int | None
    line_start: int
    line_end: int
    snippet: str
    snippet_text: str
    highlights: list[tuple[int, int]]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "volume": self.volume,
            "title": self.title,
            "path": self.path,
            "path_titles": self.path_titles,
            "chapter": self.chapter,
            "section": self.section,
            "page": self.page,
            "page_end": self.page_end,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "snippet": self.snippet,
            "snippet_text": self.snippet_text,
            "highlights": [list(span) for span in self.highlights],
            "score": round(self.score, 4),
        }


@dataclass
class SearchResult:
    """A page of hits, the total number of matching nodes and counts per facet value."""

    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    limit: int = 10
    offset: int = 0
    filters: dict[str, Any] = field(default_factory=dict)
    best_match: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "best_match": self.best_match,
            "limit": self.limit,
            "offset": self.offset,
            "filters": self.filters,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
        }


def _check_arguments(
    limit: Any, offset: Any, year: Any, page_from: Any, page_to: Any, limits: SearchLimits = DEFAULT_LIMITS
) -> None:
    for name, value in (("limit", limit), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise QueryError(f"{name} must be a whole number, not {value!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if not 0 <= offset <= limits.max_offset:
        raise QueryError(
            f"offset must be between 0 and {limits.max_offset:,}, not {offset}; narrow the search to see later hits"
        )
    for name, value in (("year", year), ("page_from", page_from), ("page_to", page_to)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise QueryError(f"{name} must be a whole number, not {value!r}")
        if value is not None and not -LARGEST_INTEGER <= value <= LARGEST_INTEGER:
            raise QueryError(f"{name} is out of range: {value}")
    if page_from is not None and page_to is not None and page_from > page_to:
        raise QueryError(f"page range {page_from}-{page_to} is empty: the first page comes after the last")


def search(
    store: Any,
    query: str | Query,
    limit: int = 10,
    offset: int = 0,
    volume: str | None = None,
    kind: str | None = None,
    chapter: str | None = None,
    year: int | None = None,
    page_from: int | None = None,
    page_to: int | None = None,
    best_match: bool = True,
    limits: SearchLimits | None = None,
) -> SearchResult:
    """Search every indexed node of the store's volumes.

    Hits are ordered by BM25 with title matches weighted above body matches,
    then by index order; on very large result sets BM25 sees a bounded
    window of candidates (see :func:`~fangzhi.search.ranking.rank`), so a one-character query stays
    fast however large the corpus.  Facets count every matching node under the
    given filters.

    When no node holds every word and ``best_match`` is on, the query is
    searched again as its words, any of which may match (see
    :func:`~fangzhi.search.query.best_match_query`), and the result says
    ``best_match``: a question typed whole finds the nodes that answer it.

    ``limits`` bound the query and the time the search may take (see
    :class:`~fangzhi.search.query.SearchLimits`); past its time budget the
    search is stopped inside the database and raises
    :class:`~fangzhi.errors.TimeBudgetError`.
    """
    limits = limits or DEFAULT_LIMITS
    _check_arguments(limit, offset, year, page_from, page_to, limits)
    parsed = query if isinstance(query, Query) else parse_query(query, limits)
    shown = parsed.source if len(parsed.source) <= 40 else parsed.source[:40] + "…"
    with budget.time_budget(
        limits.time_budget, f"the search for {shown!r}", "use fewer or longer words, or add filters"
    ):
        wanted = dict(volume=volume, kind=kind, chapter=chapter, year=year, page_from=page_from, page_to=page_to)
        result = _search(store, parsed, limit, offset, wanted)
        if result.total == 0 and best_match:
            fallback = best_match_query(parsed)
            if fallback is not None:
                # the words of a long query, one OR group: as many as the limits allow, none that most nodes hold
                fallback = Query(fallback.source, (fallback.groups[0][: limits.max_terms],), fallback.excluded)
                frequencies = document_frequencies(store, [term.text for term in fallback.groups[0]])
                fallback = without_common_terms(fallback, frequencies)
                pool = max(limit + offset, BEST_MATCH_POOL)
                result = _search(store, fallback, pool, 0, wanted)
                hits = reranked(store, result.hits, fallback, frequencies)
                result.hits, result.limit, result.offset = hits[offset : offset + limit], limit, offset
                result.best_match = True
        return result


def _search(store: Any, parsed: Query, limit: int, offset: int, wanted: dict[str, Any]) -> SearchResult:
    """One search on the store's own index: counts and ranking run inside its engine (see :mod:`.ranking`)."""
    filters = {name: value for name, value in wanted.items() if value is not None}
    index = store.search_index
    found = ranked_matches(index, store.path, parsed, limit, offset, **wanted)
    ids = index.node_ids([key for key, _ in found.ranked])
    nodes = store.nodes_by_id(list(ids.values()))
    pattern = term_pattern(parsed.terms)
    hits = [_hit(nodes[ids[key]], score, pattern) for key, score in found.ranked if key in ids and ids[key] in nodes]
    return SearchResult(
        parsed.source, found.counts.total, hits, found.counts.facets, limit=limit, offset=offset, filters=filters
    )


def _hit(node: StoredNode, score: float, pattern: Any) -> SearchHit:
    body = indexed_text(node)
    snippet = make_snippet(body, pattern)
    if not snippet.spans and node.title:
        titled = make_snippet(node.title, pattern)
        if titled.spans or not body:
            snippet = titled
    titles = [step["title"] for step in node.path if step.get("title")]
    if node.title:
        titles.append(node.title)
    return SearchHit(
        id=node.id,
        kind=node.kind,
        volume=node.volume,
        title=node.title,
        path=PATH_SEPARATOR.join(titles),
        path_titles=titles,
        chapter=chapter_of(node),
        section=section_of(node),
        page=node.page,
        page_end=node.page_end,
        line_start=node.line_start,
        line_end=node.line_end,
        snippet=snippet.marked(),
        snippet_text=snippet.text,
        highlights=snippet.spans,
        score=-score if score else 0.0,
    )
