"""The search index kept inside the SQLite knowledge base.

Four tables:

- ``search_text``: an FTS5 table over the folded, character-spaced title and
  text of every node (see :mod:`fangzhi.search.tokens`);
- ``search_titles``: the titles again, alone, so that finding and ranking
  title matches reads short position lists only;
- ``search_groups``: one row per (volume, kind, chapter, long or not), the
  unit of facet counting, with the volume's year; nodes of more than
  :data:`LONG_TEXT` characters (speeches, reports) get groups of their own
  because BM25 costs far more on them and ranking bounds their number;
- ``search_docs``: one small row per indexed node (node id, pages).

A node's FTS5 rowid is its group id times 2³² plus its ordinal in the volume.
Facet counts and the volume, kind, chapter and year filters then need only
the rowids FTS5 produces from its own index, never a lookup per matching row,
which is what keeps a one-character query fast on a large corpus.  A
volume's groups get consecutive ids, so a volume filter is a rowid range.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fangzhi.model import Fact, NodeKind
from fangzhi.search.index import FACETS, CountJob, Counts, Restriction, SearchGroup, Window
from fangzhi.search.query import Query, Term
from fangzhi.search.tokens import index_form, search_tokens
from fangzhi.store.base import StoredNode
from fangzhi.text import fold_for_search

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
GROUP_SHIFT = 32
LONG_TEXT = 4000


def indexed_text(node: StoredNode) -> str:
    """The text of a node as searched and shown in snippets.

    A table's cells live in its attributes, not in ``text``, so its columns and
    rows are indexed as one text, a row to a line.
    """
    if node.kind != NodeKind.TABLE:
        return node.text or ""
    lines = [node.text] if node.text else []
    columns = node.attributes.get("columns")
    if isinstance(columns, list) and columns:
        lines.append(" ".join(_cell(value) for value in columns))
    rows = node.attributes.get("rows")
    if isinstance(rows, list):
        for row in rows:
            cells = row if isinstance(row, list) else [row]
            lines.append(" ".join(_cell(value) for value in cells))
    return "\n".join(line for line in lines if line)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def chapter_of(node: StoredNode) -> str | None:
    if node.kind == NodeKind.CHAPTER:
        return node.title
    return node.ancestor_title(NodeKind.CHAPTER)


def section_of(node: StoredNode) -> str | None:
    if node.kind == NodeKind.SECTION:
        return node.title
    return node.ancestor_title(NodeKind.SECTION)


class SQLiteSearchIndex:
    """Keeps the search tables in step with the stored volumes."""

    name = "search"
    migrations: list[tuple[str, str]] = [
        (
            "search_0001_fts5",
            """
            CREATE TABLE search_docs (
                rowid INTEGER PRIMARY KEY,
                node_id TEXT NOT NULL UNIQUE,
                volume TEXT NOT NULL,
                kind TEXT NOT NULL,
                chapter TEXT,
                year INTEGER,
                page INTEGER,
                page_end INTEGER
            );
            CREATE INDEX search_docs_volume ON search_docs(volume, kind);
            CREATE INDEX search_docs_kind ON search_docs(kind);
            CREATE INDEX search_docs_chapter ON search_docs(chapter);
            CREATE VIRTUAL TABLE search_text USING fts5(title, body, tokenize = 'unicode61')
            """,
        ),
        (
            "search_0002_facet_groups_in_rowid",
            """
            DROP TABLE search_docs;
            DROP TABLE search_text;
            CREATE TABLE search_groups (
                id INTEGER PRIMARY KEY,
                volume TEXT NOT NULL,
                kind TEXT NOT NULL,
                chapter TEXT,
                year INTEGER
            );
            CREATE INDEX search_groups_volume ON search_groups(volume);
            CREATE TABLE search_docs (
                rowid INTEGER PRIMARY KEY,
                node_id TEXT NOT NULL UNIQUE,
                volume TEXT NOT NULL,
                page INTEGER,
                page_end INTEGER
            );
            CREATE INDEX search_docs_volume ON search_docs(volume);
            CREATE VIRTUAL TABLE search_text USING fts5(title, body, tokenize = 'unicode61')
            """,
        ),
        (
            "search_0003_titles",
            """
            CREATE VIRTUAL TABLE search_titles USING fts5(title, tokenize = 'unicode61');
            INSERT INTO search_titles(rowid, title) SELECT rowid, title FROM search_text WHERE title != ''
            """,
        ),
        (
            "search_0004_long_groups",
            "ALTER TABLE search_groups ADD COLUMN long INTEGER NOT NULL DEFAULT 0",
        ),
    ]

    def index(self, connection: sqlite3.Connection, nodes: Sequence[StoredNode], facts: Sequence[Fact]) -> None:
        if not nodes:
            return
        volume = nodes[0].volume
        year_row = connection.execute("SELECT year FROM volumes WHERE id = ?", (volume,)).fetchone()
        year = year_row[0] if year_row else None
        next_group = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM search_groups").fetchone()[0]
        groups: dict[tuple[str, str | None, bool], int] = {}
        docs: list[tuple[Any, ...]] = []
        texts: list[tuple[int, str, str]] = []
        for node in nodes:
            body = indexed_text(node)
            title = node.title or ""
            if not body.strip() and not title.strip():
                continue
            key = (node.kind, chapter_of(node), len(body) > LONG_TEXT)
            if key not in groups:
                groups[key] = next_group + len(groups)
            rowid = (groups[key] << GROUP_SHIFT) + node.ordinal
            docs.append((rowid, node.id, node.volume, node.page, node.page_end or node.page))
            texts.append((rowid, index_form(title), index_form(body)))
        connection.executemany(
            "INSERT INTO search_groups(id, volume, kind, chapter, year, long) VALUES (?, ?, ?, ?, ?, ?)",
            ((group, volume, kind, chapter, year, long) for (kind, chapter, long), group in groups.items()),
        )
        connection.executemany("INSERT INTO search_docs VALUES (?, ?, ?, ?, ?)", docs)
        connection.executemany("INSERT INTO search_text(rowid, title, body) VALUES (?, ?, ?)", texts)
        connection.executemany(
            "INSERT INTO search_titles(rowid, title) VALUES (?, ?)", ((row[0], row[1]) for row in texts if row[1])
        )

    def remove(self, connection: sqlite3.Connection, volume_id: str) -> None:
        span = connection.execute(
            "SELECT min(id), max(id) FROM search_groups WHERE volume = ?", (volume_id,)
        ).fetchone()
        if span[0] is not None:
            rowids = (span[0] << GROUP_SHIFT, ((span[1] + 1) << GROUP_SHIFT) - 1)
            connection.execute("DELETE FROM search_text WHERE rowid BETWEEN ? AND ?", rowids)
            connection.execute("DELETE FROM search_titles WHERE rowid BETWEEN ? AND ?", rowids)
        connection.execute("DELETE FROM search_docs WHERE volume = ?", (volume_id,))
        connection.execute("DELETE FROM search_groups WHERE volume = ?", (volume_id,))


# --- reading: the search-index interface (fangzhi.search.index) over the FTS5 tables -------------------------

_BM25 = f"bm25(search_text, {TITLE_WEIGHT}, {BODY_WEIGHT})"


class SQLiteSearchReader:
    """Answers the search engine's questions from the FTS5 tables of one SQLite store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    @property
    def connection(self) -> sqlite3.Connection:
        return self.store.connection

    def groups(self) -> dict[int, SearchGroup]:
        """The facet groups, read again only after the database changed (they number volumes × kinds × chapters)."""
        connection = self.connection
        version = (connection.execute("PRAGMA data_version").fetchone()[0], connection.total_changes)
        cached = _GROUP_CACHE.get(self.store)
        if cached and cached[0] == version:
            return cached[1]
        groups = {
            row[0]: SearchGroup(row[1], row[2], row[3], row[4], bool(row[5]))
            for row in connection.execute("SELECT id, volume, kind, chapter, year, long FROM search_groups")
        }
        _GROUP_CACHE[self.store] = (version, groups)
        return groups

    def unindexed(self) -> bool:
        row = self.connection.execute(
            "SELECT EXISTS (SELECT 1 FROM volumes) AND NOT EXISTS (SELECT 1 FROM search_groups)"
        ).fetchone()
        return bool(row[0])

    def _restriction(self, restriction: Restriction) -> tuple[str, list[Any]]:
        """SQL conditions on ``rowid`` for the filters: a volume's groups are consecutive, so mostly a range."""
        clauses: list[str] = []
        parameters: list[Any] = []
        if restriction.groups is not None:
            allowed = sorted(restriction.groups)
            clauses.append("rowid BETWEEN ? AND ?")
            parameters += [allowed[0] << GROUP_SHIFT, ((allowed[-1] + 1) << GROUP_SHIFT) - 1]
            inside = [number for number in self.groups() if allowed[0] <= number <= allowed[-1]]
            if len(inside) != len(allowed):
                clauses.append(f"(rowid >> {GROUP_SHIFT}) IN ({','.join(str(number) for number in allowed)})")
        pages = []
        if restriction.page_from is not None:
            pages.append("page_end >= ?")
            parameters.append(restriction.page_from)
        if restriction.page_to is not None:
            pages.append("page <= ?")
            parameters.append(restriction.page_to)
        if pages:
            # the unary + keeps SQLite from turning the IN list into one FTS5 lookup per page-matching node
            clauses.append(f"+rowid IN (SELECT rowid FROM search_docs WHERE {' AND '.join(pages)})")
        return "".join(f" AND {clause}" for clause in clauses), parameters

    def count(self, query: Query, restriction: Restriction) -> Counts:
        clauses, parameters = self._restriction(restriction)
        return _facets(self.connection, query.to_match(), clauses, parameters)

    def count_in_background(self, query: Query, restriction: Restriction) -> CountJob | None:
        """Count the two halves of the index on two worker connections while the caller ranks.

        Counting every match of a common word and ranking a window of them each
        take tens of milliseconds on a large corpus.  SQLite releases the GIL, so
        two worker threads, each with its own read-only connection, count the
        two halves of the index while this thread ranks; on two cores the three
        overlap.  An in-memory database cannot be shared and is counted in line.
        """
        path = str(getattr(self.store, "path", ":memory:"))
        groups = self.groups()
        if path == ":memory:" or path.startswith("file:") or len(groups) < 2:
            return None
        with _COUNTERS_LOCK:
            if self.store not in _COUNTERS:
                local = threading.local()

                def connect() -> None:
                    local.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

                worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fangzhi-facets", initializer=connect)
                _COUNTERS[self.store] = (worker, local)
                weakref.finalize(self.store, worker.shutdown, wait=False)
            worker, local = _COUNTERS[self.store]
        numbers = sorted(groups)
        middle = numbers[len(numbers) // 2] << GROUP_SHIFT
        clauses, parameters = self._restriction(restriction)
        match = query.to_match()
        halves = [
            worker.submit(lambda: _facets(local.connection, match, f"{clauses} AND rowid < ?", [*parameters, middle])),
            worker.submit(lambda: _facets(local.connection, match, f"{clauses} AND rowid >= ?", [*parameters, middle])),
        ]
        return _ParallelCounts(halves)

    def newest(self, query: Query, restriction: Restriction, offset: int) -> int | None:
        clauses, parameters = self._restriction(restriction)
        row = self.connection.execute(
            f"SELECT rowid FROM search_text WHERE search_text MATCH ?{clauses} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [query.to_match(), *parameters, offset],
        ).fetchone()
        return row[0] if row else None

    def rank(
        self,
        query: Query,
        restriction: Restriction,
        windows: Sequence[Window],
        wanted: int,
        seen: set[int],
        titles: bool = False,
    ) -> list[tuple[int, float]]:
        """The windows are ranked in one statement, so each term's IDF is counted once."""
        connection = self.connection
        table = "search_titles" if titles else "search_text"
        match = query.to_match()
        clauses, parameters = self._restriction(restriction)
        where = f"{table} MATCH ?{clauses}"
        long_groups = ",".join(str(number) for number, group in self.groups().items() if group.long)
        conditions: list[str] = []
        bounds: list[Any] = []
        cut_any = False
        for window in windows:
            condition = ""
            if window.long is not None:
                condition = f"{'' if window.long else 'NOT '}(rowid >> {GROUP_SHIFT}) IN ({long_groups})"
            extra = f" AND {condition}" if condition else ""
            cut = None
            if window.matching is None or window.matching > window.size:
                cut = connection.execute(
                    f"SELECT rowid FROM {table} WHERE {where}{extra} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                    [match, *parameters, window.size - 1],
                ).fetchone()
            cut_any = cut_any or cut is not None
            conditions.append(f"({condition + ' AND ' if condition else ''}rowid >= ?)")
            bounds.append(cut[0] if cut else 0)
        inside = "(" + " OR ".join(conditions) + ")"
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

    def node_ids(self, keys: Sequence[int]) -> dict[int, str]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        return dict(
            self.connection.execute(f"SELECT rowid, node_id FROM search_docs WHERE rowid IN ({marks})", list(keys))
        )

    def document_frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        connection = self.connection
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


_GROUP_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], dict[int, SearchGroup]]] = (
    weakref.WeakKeyDictionary()
)
_COUNTERS: weakref.WeakKeyDictionary[Any, tuple[ThreadPoolExecutor, threading.local]] = weakref.WeakKeyDictionary()
_COUNTERS_LOCK = threading.Lock()


class _ParallelCounts:
    """Facet counts being made on two worker connections, one half of the index each."""

    def __init__(self, halves: list[Future[Counts]]) -> None:
        self.halves = halves

    def result(self) -> Counts:
        return merge_counts([half.result() for half in self.halves])


def merge_counts(parts: list[Counts]) -> Counts:
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        summed: dict[str, int] = {}
        for part in parts:
            for value, matched in part.facets[name].items():
                summed[value] = summed.get(value, 0) + matched
        facets[name] = dict(sorted(summed.items(), key=lambda item: (-item[1], item[0])))
    return Counts(facets, sum(part.total for part in parts), sum(part.long for part in parts))


def _facets(connection: sqlite3.Connection, match: str, restriction: str, parameters: list[Any]) -> Counts:
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
    return counts_of_rows(rows)


def counts_of_rows(rows: Sequence[tuple[str, Any, Any]]) -> Counts:
    """Facet counts from (facet, value, matches) rows, sorted as a search result shows them."""
    values: dict[str, list[tuple[str, int]]] = {name: [] for name in (*FACETS, "long")}
    for name, value, matched in rows:
        values[name].append((str(value), int(matched)))
    facets = {name: dict(sorted(values[name], key=lambda item: (-item[1], item[0]))) for name in FACETS}
    long_counts = dict(values["long"])
    return Counts(facets, sum(long_counts.values()), long_counts.get("1", 0))
