"""Running a search: filters, BM25 ranking with titles boosted, facet counts and cited hits."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from fangzhi.errors import KnowledgeBaseError, QueryError
from fangzhi.search.query import Query, parse_query
from fangzhi.search.snippets import make_snippet, term_pattern
from fangzhi.search.sqlite_index import BODY_WEIGHT, TITLE_WEIGHT, chapter_of, indexed_text, section_of
from fangzhi.store.base import StoredNode

PATH_SEPARATOR = " › "
FACETS = ("volume", "kind", "chapter", "year")
MAX_LIMIT = 1000


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "filters": self.filters,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
        }


def _filters(
    volume: str | None,
    kind: str | None,
    chapter: str | None,
    year: int | None,
    page_from: int | None,
    page_to: int | None,
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    parameters: list[Any] = []
    for column, value in (("volume", volume), ("kind", kind), ("chapter", chapter), ("year", year)):
        if value is not None:
            clauses.append(f"d.{column} = ?")
            parameters.append(value)
    if page_from is not None:
        clauses.append("d.page_end >= ?")
        parameters.append(page_from)
    if page_to is not None:
        clauses.append("d.page <= ?")
        parameters.append(page_to)
    return clauses, parameters


def _check_arguments(limit: int, offset: int, year: Any, page_from: int | None, page_to: int | None) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise QueryError(f"offset must not be negative, not {offset}")
    for name, value in (("year", year), ("page_from", page_from), ("page_to", page_to)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise QueryError(f"{name} must be a whole number, not {value!r}")
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
) -> SearchResult:
    """Search every indexed node of the store's volumes.

    Hits are ordered by BM25 with title matches weighted above body matches,
    then by reading order.  Facets count all matching nodes under the given
    filters.
    """
    _check_arguments(limit, offset, year, page_from, page_to)
    parsed = query if isinstance(query, Query) else parse_query(query)
    match = parsed.to_match()
    clauses, parameters = _filters(volume, kind, chapter, year, page_from, page_to)
    where = " AND ".join(["search_text MATCH ?", *clauses])
    connection: sqlite3.Connection = store.connection
    try:
        facets, total = _facets(connection, where, [match, *parameters])
        ranked = connection.execute(
            f"SELECT d.node_id, bm25(search_text, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
            f"FROM search_text JOIN search_docs AS d ON d.rowid = search_text.rowid "
            f"WHERE {where} ORDER BY score, d.rowid LIMIT ? OFFSET ?",
            [match, *parameters, limit, offset],
        ).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            raise KnowledgeBaseError(f"{store.path}: has no search index; re-create it with `fangzhi ingest`") from None
        raise QueryError(f"cannot search for {parsed.source!r}: {error}") from None
    nodes = store.nodes_by_id([row[0] for row in ranked])
    pattern = term_pattern(parsed.terms)
    hits = [_hit(nodes[node_id], score, pattern) for node_id, score in ranked if node_id in nodes]
    filters = {
        name: value
        for name, value in (
            ("volume", volume),
            ("kind", kind),
            ("chapter", chapter),
            ("year", year),
            ("page_from", page_from),
            ("page_to", page_to),
        )
        if value is not None
    }
    return SearchResult(parsed.source, total, hits, facets, limit=limit, offset=offset, filters=filters)


def _facets(connection: sqlite3.Connection, where: str, parameters: list[Any]) -> tuple[dict[str, dict[str, int]], int]:
    rows = connection.execute(
        "SELECT d.volume, d.kind, d.chapter, d.year, count(*) "
        "FROM search_text JOIN search_docs AS d ON d.rowid = search_text.rowid "
        f"WHERE {where} GROUP BY d.volume, d.kind, d.chapter, d.year",
        parameters,
    ).fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for *values, number in rows:
        total += number
        for name, value in zip(FACETS, values, strict=True):
            if value is None:
                continue
            key = str(value)
            counts[name][key] = counts[name].get(key, 0) + number
    facets = {
        name: dict(sorted(values.items(), key=lambda item: (-item[1], item[0]))) for name, values in counts.items()
    }
    return facets, total


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
        score=-score,
    )
