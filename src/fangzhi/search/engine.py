"""Running a search: filters, BM25 ranking with titles boosted, facet counts and cited hits."""

from __future__ import annotations

import contextlib
import contextvars
import sqlite3
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from fangzhi.errors import KnowledgeBaseError, QueryError
from fangzhi.search.best_match import POOL as BEST_MATCH_POOL
from fangzhi.search.best_match import reranked
from fangzhi.search.query import (
    DEFAULT_LIMITS,
    Query,
    SearchLimits,
    best_match_query,
    parse_query,
    without_common_terms,
)
from fangzhi.search.snippets import make_snippet, term_pattern
from fangzhi.search.sqlite_index import (
    BODY_WEIGHT,
    GROUP_SHIFT,
    TITLE_WEIGHT,
    chapter_of,
    indexed_text,
    section_of,
)
from fangzhi.search.statistics import document_frequencies
from fangzhi.store import budget
from fangzhi.store.base import StoredNode

PATH_SEPARATOR = " › "
FACETS = ("volume", "kind", "chapter", "year")
MAX_LIMIT = 1000
LARGEST_INTEGER = 2**63 - 1
RANK_WINDOW = 1000
LONG_WINDOW = 20


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


@dataclass(frozen=True)
class _Group:
    volume: str
    kind: str
    chapter: str | None
    year: int | None
    long: bool


_GROUP_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], dict[int, _Group]]] = weakref.WeakKeyDictionary()


def _groups(connection: sqlite3.Connection) -> dict[int, _Group]:
    """The facet groups, read again only after the database changed (they number volumes × kinds × chapters).

    ``data_version`` counts other connections' commits on this connection
    only, so the cache is kept per connection (each thread has its own).
    """
    version = (connection.execute("PRAGMA data_version").fetchone()[0], connection.total_changes)
    try:
        cached = _GROUP_CACHE.get(connection)
    except TypeError:
        cached = None
    if cached and cached[0] == version:
        return cached[1]
    groups = {
        row[0]: _Group(row[1], row[2], row[3], row[4], bool(row[5]))
        for row in connection.execute("SELECT id, volume, kind, chapter, year, long FROM search_groups")
    }
    with contextlib.suppress(TypeError):
        _GROUP_CACHE[connection] = (version, groups)
    return groups


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


def _restriction(
    groups: dict[int, _Group],
    volume: str | None,
    kind: str | None,
    chapter: str | None,
    year: int | None,
    page_from: int | None,
    page_to: int | None,
) -> tuple[str, list[Any]] | None:
    """SQL conditions on ``search_text.rowid`` for the filters, or None when nothing can match."""
    clauses: list[str] = []
    parameters: list[Any] = []
    wanted = {"volume": volume, "kind": kind, "chapter": chapter, "year": year}
    if any(value is not None for value in wanted.values()):
        allowed = sorted(
            number
            for number, group in groups.items()
            if all(value is None or getattr(group, name) == value for name, value in wanted.items())
        )
        if not allowed:
            return None
        clauses.append("rowid BETWEEN ? AND ?")
        parameters += [allowed[0] << GROUP_SHIFT, ((allowed[-1] + 1) << GROUP_SHIFT) - 1]
        inside = [number for number in groups if allowed[0] <= number <= allowed[-1]]
        if len(inside) != len(allowed):
            clauses.append(f"(rowid >> {GROUP_SHIFT}) IN ({','.join(str(number) for number in allowed)})")
    pages = []
    if page_from is not None:
        pages.append("page_end >= ?")
        parameters.append(page_from)
    if page_to is not None:
        pages.append("page <= ?")
        parameters.append(page_to)
    if pages:
        # the unary + keeps SQLite from turning the IN list into one FTS5 lookup per page-matching node
        clauses.append(f"+rowid IN (SELECT rowid FROM search_docs WHERE {' AND '.join(pages)})")
    return "".join(f" AND {clause}" for clause in clauses), parameters


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
    window of candidates (see :func:`_rank`), so a one-character query stays
    fast however large the corpus.  Facets count every matching node under the
    given filters.

    When no node holds every word and ``best_match`` is on, the query is
    searched again as its words, any of which may match (see
    :func:`~fangzhi.search.query.best_match_query`), and the result says
    ``best_match``: a question typed whole finds the nodes that answer it.

    ``limits`` bound the query and the time the search may take (see
    :class:`~fangzhi.search.query.SearchLimits`); past its time budget the
    search is stopped inside SQLite and raises
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
    volume, kind, chapter, year = wanted["volume"], wanted["kind"], wanted["chapter"], wanted["year"]
    page_from, page_to = wanted["page_from"], wanted["page_to"]
    connection: sqlite3.Connection = store.connection
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
    try:
        groups = _groups(connection)
        if not groups and connection.execute("SELECT 1 FROM volumes LIMIT 1").fetchone():
            raise KnowledgeBaseError(
                f"{store.path}: its volumes are not in the search index (made by an older fangzhi); ingest them again"
            )
        restriction = _restriction(groups, volume, kind, chapter, year, page_from, page_to)
        if restriction is None:
            facets, total, ranked = {name: {} for name in FACETS}, 0, []
        else:
            pending = _count_in_parallel(store, groups, parsed.to_match(), restriction)
            if pending is None:
                counts = _facets(connection, parsed.to_match(), *restriction)
                ranked = _rank(connection, groups, counts, parsed, restriction, limit, offset) if counts.total else []
            else:
                ranked = _rank(connection, groups, None, parsed, restriction, limit, offset)
                counts = pending.result()
            facets, total = counts.facets, counts.total
    except sqlite3.OperationalError as error:
        spent = budget.expired_error()
        if spent is not None:
            raise spent from None
        if "no such table" in str(error):
            raise KnowledgeBaseError(f"{store.path}: has no search index; re-create it with `fangzhi ingest`") from None
        raise QueryError(f"cannot search for {parsed.source!r}: {error}") from None
    nodes = _nodes_by_rowid(store, [rowid for rowid, _ in ranked])
    pattern = term_pattern(parsed.terms)
    hits = [_hit(nodes[rowid], score, pattern) for rowid, score in ranked if rowid in nodes]
    return SearchResult(parsed.source, total, hits, facets, limit=limit, offset=offset, filters=filters)


def _facets(connection: sqlite3.Connection, match: str, restriction: str, parameters: list[Any]) -> _Counts:
    """Counts per facet value, summed in SQL from the matches per group (a few thousand rows at most)."""
    rows = connection.execute(
        f"""
        WITH per_group AS MATERIALIZED (
            SELECT rowid >> {GROUP_SHIFT} AS id, count(*) AS matched
            FROM search_text WHERE search_text MATCH ?{restriction} GROUP BY 1
        ),
        counted AS MATERIALIZED (
            SELECT g.volume, g.kind, g.chapter, g.year, g.long, per_group.matched
            FROM per_group JOIN search_groups AS g ON g.id = per_group.id
        )
        SELECT 'volume', volume, sum(matched) FROM counted GROUP BY volume
        UNION ALL SELECT 'kind', kind, sum(matched) FROM counted GROUP BY kind
        UNION ALL SELECT 'chapter', chapter, sum(matched) FROM counted WHERE chapter IS NOT NULL GROUP BY chapter
        UNION ALL SELECT 'year', year, sum(matched) FROM counted WHERE year IS NOT NULL GROUP BY year
        UNION ALL SELECT 'long', long, sum(matched) FROM counted GROUP BY long
        """,
        [match, *parameters],
    ).fetchall()
    values: dict[str, list[tuple[str, int]]] = {name: [] for name in (*FACETS, "long")}
    for name, value, matched in rows:
        values[name].append((str(value), matched))
    facets = {name: dict(sorted(values[name], key=lambda item: (-item[1], item[0]))) for name in FACETS}
    long_counts = dict(values["long"])
    return _Counts(facets, sum(long_counts.values()), long_counts.get("1", 0))


_COUNTERS: weakref.WeakKeyDictionary[Any, tuple[ThreadPoolExecutor, threading.Semaphore]] = weakref.WeakKeyDictionary()
_COUNTERS_LOCK = threading.Lock()


class _ParallelCounts:
    """Facet counts being made on two worker connections, one half of the index each."""

    def __init__(self, halves: list[Future[_Counts]]) -> None:
        self.halves = halves

    def result(self) -> _Counts:
        return _merge_counts([half.result() for half in self.halves])


def _count_in_parallel(
    store: Any, groups: dict[int, _Group], match: str, restriction: tuple[str, list[Any]]
) -> _ParallelCounts | None:
    """Count the facets on other connections while this one ranks.

    Counting every match of a common word and ranking a window of them each
    take tens of milliseconds on a large corpus.  SQLite releases the GIL, so
    two worker threads, each with its own connection from the store, count
    the two halves of the index while this thread ranks; on two cores the
    three overlap.  When both workers are busy with another search (a server
    under load), this search counts in line instead of queueing behind it.
    The workers run in a copy of the caller's context, so the search's time
    budget stops them too.  An in-memory database cannot be shared and is
    counted in line.
    """
    path = str(getattr(store, "path", ":memory:"))
    if path == ":memory:" or path.startswith("file:") or len(groups) < 2:
        return None
    with _COUNTERS_LOCK:
        if store not in _COUNTERS:
            worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fangzhi-facets")
            _COUNTERS[store] = (worker, threading.Semaphore(2))
            weakref.finalize(store, worker.shutdown, wait=False)
        worker, free = _COUNTERS[store]
    if not free.acquire(blocking=False):
        return None
    if not free.acquire(blocking=False):
        free.release()
        return None
    numbers = sorted(groups)
    middle = numbers[len(numbers) // 2] << GROUP_SHIFT
    clauses, parameters = restriction
    halves = []
    for condition in ("rowid < ?", "rowid >= ?"):
        where = f"{clauses} AND {condition}"

        def count(where: str = where) -> _Counts:
            return _facets(store.connection, match, where, [*parameters, middle])

        half = worker.submit(contextvars.copy_context().run, count)
        half.add_done_callback(lambda _: free.release())
        halves.append(half)
    return _ParallelCounts(halves)


def _merge_counts(parts: list[_Counts]) -> _Counts:
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        summed: dict[str, int] = {}
        for part in parts:
            for value, matched in part.facets[name].items():
                summed[value] = summed.get(value, 0) + matched
        facets[name] = dict(sorted(summed.items(), key=lambda item: (-item[1], item[0])))
    return _Counts(facets, sum(part.total for part in parts), sum(part.long for part in parts))


@dataclass(frozen=True)
class _Counts:
    facets: dict[str, dict[str, int]]
    total: int
    long: int


_BM25 = f"bm25(search_text, {TITLE_WEIGHT}, {BODY_WEIGHT})"


def _rank(
    connection: sqlite3.Connection,
    groups: dict[int, _Group],
    counts: _Counts | None,
    parsed: Query,
    restriction: tuple[str, list[Any]],
    limit: int,
    offset: int,
) -> list[tuple[int, float]]:
    """The rowids and BM25 scores of one page of hits.

    BM25 costs a few microseconds per matching node and query token, far
    more on a long node, plus one pass over each term's matches (for its
    IDF) per SQL statement.  So one statement ranks bounded windows: the
    latest ``RANK_WINDOW / tokens`` matches among ordinary nodes and the latest
    :data:`LONG_WINDOW` among long ones.  When more nodes match than that and
    the query is one word or one OR group (so that a title match is a full
    match), the latest title matches come first, ranked among themselves from
    the short title-only table.  Matches outside the windows follow unranked
    (score 0), newest first.  On the sample corpus nearly every query is
    ranked in full.

    Without ``counts`` (while they are being counted in parallel) the sizes
    are found by cutting each window instead, which orders the hits the same.
    """
    match = parsed.to_match()
    window = max(RANK_WINDOW // max(1, sum(len(term.tokens) for term in parsed.terms)), 1)
    wanted = limit + offset
    clauses, parameters = restriction
    if counts is None:
        beyond = connection.execute(
            f"SELECT rowid FROM search_text WHERE search_text MATCH ?{clauses} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [match, *parameters, window],
        ).fetchone()
        if (
            beyond is None
            and not connection.execute(
                f"SELECT 1 FROM search_text WHERE search_text MATCH ?{clauses} LIMIT 1", [match, *parameters]
            ).fetchone()
        ):
            return []
        many = beyond is not None
    else:
        many = counts.total > window
    total = counts.total if counts else None
    long_count = counts.long if counts else (None if any(group.long for group in groups.values()) else 0)
    ranked: list[tuple[int, float]] = []
    if many and len(parsed.groups) == 1 and not parsed.excluded:
        ranked = _rank_windows(connection, "search_titles", match, restriction, [("", window, None)], wanted, set())
    if len(ranked) < wanted:
        partitions: list[tuple[str, int, int | None]] = [("", window, total)]
        if long_count is None or long_count:
            long_groups = ",".join(str(number) for number, group in groups.items() if group.long)
            in_long = f"(rowid >> {GROUP_SHIFT}) IN ({long_groups})"
            short_count = None if total is None or long_count is None else total - long_count
            partitions = [(f"NOT {in_long}", window, short_count), (in_long, LONG_WINDOW, long_count)]
        seen = {rowid for rowid, _ in ranked}
        ranked += _rank_windows(connection, "search_text", match, restriction, partitions, wanted - len(ranked), seen)
    return ranked[offset:wanted]


def _rank_windows(
    connection: sqlite3.Connection,
    table: str,
    match: str,
    restriction: tuple[str, list[Any]],
    partitions: list[tuple[str, int, int | None]],
    wanted: int,
    seen: set[int],
) -> list[tuple[int, float]]:
    """Up to ``wanted`` matches in ``table`` not in ``seen``: the latest of each partition ranked, then the rest.

    Each partition is a condition on the rowid, the size of its window and,
    when known, how many nodes in it match (a window that holds them all
    needs no cut).  The windows are ranked in one statement, so each term's
    IDF is counted once.
    """
    clauses, parameters = restriction
    where = f"{table} MATCH ?{clauses}"
    windows: list[str] = []
    bounds: list[Any] = []
    cut_any = False
    for condition, size, matching in partitions:
        extra = f" AND {condition}" if condition else ""
        cut = None
        if matching is None or matching > size:
            cut = connection.execute(
                f"SELECT rowid FROM {table} WHERE {where}{extra} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [match, *parameters, size - 1],
            ).fetchone()
        cut_any = cut_any or cut is not None
        windows.append(f"({condition + ' AND ' if condition else ''}rowid >= ?)")
        bounds.append(cut[0] if cut else 0)
    inside = "(" + " OR ".join(windows) + ")"
    score = _BM25 if table == "search_text" else f"bm25({table})"
    found = connection.execute(
        f"SELECT rowid, {score} AS score FROM {table} WHERE {where} AND {inside} ORDER BY score, rowid LIMIT ?",
        [match, *parameters, *bounds, wanted + len(seen)],
    ).fetchall()
    rows = [(rowid, score) for rowid, score in found if rowid not in seen][:wanted]
    if cut_any and len(rows) < wanted:
        older = connection.execute(
            f"SELECT rowid, 0.0 FROM {table} WHERE {where} AND NOT {inside} ORDER BY rowid DESC LIMIT ?",
            [match, *parameters, *bounds, wanted + len(seen)],
        ).fetchall()
        rows += [(rowid, score) for rowid, score in older if rowid not in seen][: wanted - len(rows)]
    return rows


def _nodes_by_rowid(store: Any, rowids: list[int]) -> dict[int, StoredNode]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    try:
        ids = dict(
            store.connection.execute(
                f"SELECT rowid, node_id FROM search_docs WHERE rowid IN ({marks})", rowids
            ).fetchall()
        )
    except sqlite3.OperationalError as error:
        spent = budget.expired_error()
        raise (spent or QueryError(f"cannot read the hits: {error}")) from None
    nodes = store.nodes_by_id(list(ids.values()))
    return {rowid: nodes[node_id] for rowid, node_id in ids.items() if node_id in nodes}


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
