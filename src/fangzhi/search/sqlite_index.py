"""The search index kept inside the SQLite knowledge base.

Five tables:

- ``search_text``: a contentless FTS5 table over the folded, character-spaced
  title and text of every node (see :mod:`fangzhi.search.tokens`); the text
  itself is kept once, in the node;
- ``search_titles``: the titles again, alone, so that finding and ranking
  title matches reads short position lists only;
- ``search_groups``: one row per (volume, kind, chapter, long or not), the
  unit of facet counting, with the volume's key and year; nodes of more than
  :data:`LONG_TEXT` characters (speeches, reports) get groups of their own
  because BM25 costs far more on them and ranking bounds their number;
- ``search_docs``: one small row per indexed node (its printed pages);
- ``search_volumes``: a digest of what each volume's FTS5 rows were made from.

A node's FTS5 rowid is its group id times 2³² plus its ordinal in the volume.
Facet counts and the volume, kind, chapter and year filters then need only
the rowids FTS5 produces from its own index, never a lookup per matching row,
which is what keeps a one-character query fast on a large corpus.  A
volume's groups get consecutive ids, so a volume filter is a rowid range.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fangzhi.errors import KnowledgeBaseError, QueryError
from fangzhi.model import Document
from fangzhi.search.documents import BODY_WEIGHT, LONG_TEXT, TITLE_WEIGHT, chapter_of, indexed_text
from fangzhi.search.index import FACETS, GROUP_SHIFT, CountJob, Counts, Restriction, SearchGroup, Window
from fangzhi.search.query import Query, Term
from fangzhi.search.tokens import index_form, search_tokens
from fangzhi.store import budget, records
from fangzhi.store.base import StoredNode
from fangzhi.text import fold_for_search

ORDINAL_MASK = (1 << GROUP_SHIFT) - 1


class SQLiteSearchIndex:
    """Keeps the search tables in step with the stored volumes."""

    name = "search"
    migrations: list[tuple[str, Any]] = [
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

    def index(self, connection: sqlite3.Connection, volume_key: int, document: Document) -> None:
        write_volume(connection, volume_key, document.volume.year, records.stored_nodes(document))

    def remove(self, connection: sqlite3.Connection, volume_key: int) -> None:
        """Take a volume out of the index, before its nodes are deleted.

        The text tables keep no copy of what they index (FTS5 ``content=''``),
        and FTS5 removes a row only when given the very text it indexed, so
        that text is made again from the stored nodes.  Should it come out
        different (a newer fangzhi folding text differently), the digest kept
        at ingest says so and the text tables are rebuilt instead.
        """
        span = connection.execute(
            "SELECT min(id), max(id) FROM search_groups WHERE volume = ?", (volume_key,)
        ).fetchone()
        if span[0] is not None:
            rowids = (span[0] << GROUP_SHIFT, ((span[1] + 1) << GROUP_SHIFT) - 1)
            entries = _indexed_entries(connection, volume_key, rowids)
            stored = connection.execute("SELECT digest FROM search_volumes WHERE volume = ?", (volume_key,)).fetchone()
            if stored is not None and stored[0] == _digest(entries):
                for rowid, title, body in entries:
                    connection.execute(
                        "INSERT INTO search_text(search_text, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                        (rowid, title, body),
                    )
                    if title:
                        connection.execute(
                            "INSERT INTO search_titles(search_titles, rowid, title) VALUES ('delete', ?, ?)",
                            (rowid, title),
                        )
                connection.execute("DELETE FROM search_docs WHERE rowid BETWEEN ? AND ?", rowids)
            else:
                connection.execute("DELETE FROM search_docs WHERE rowid BETWEEN ? AND ?", rowids)
                _rebuild_texts(connection)
        connection.execute("DELETE FROM search_groups WHERE volume = ?", (volume_key,))
        connection.execute("DELETE FROM search_volumes WHERE volume = ?", (volume_key,))


def write_volume(
    connection: sqlite3.Connection, volume_key: int, year: int | None, nodes: Sequence[StoredNode]
) -> None:
    """Index one volume's nodes: its groups get the next consecutive ids."""
    next_group = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM search_groups").fetchone()[0]
    groups: dict[tuple[str, str | None, bool], int] = {}
    docs: list[tuple[int, int | None, int | None]] = []
    entries: list[tuple[int, str, str]] = []
    for node in nodes:
        body = indexed_text(node)
        title = node.title or ""
        if not body.strip() and not title.strip():
            continue
        key = (node.kind, chapter_of(node), len(body) > LONG_TEXT)
        if key not in groups:
            groups[key] = next_group + len(groups)
        rowid = (groups[key] << GROUP_SHIFT) + node.ordinal
        docs.append((rowid, node.page, node.page_end or node.page))
        entries.append((rowid, index_form(title), index_form(body)))
    connection.executemany(
        "INSERT INTO search_groups(id, volume, kind, chapter, year, long) VALUES (?, ?, ?, ?, ?, ?)",
        ((group, volume_key, kind, chapter, year, long) for (kind, chapter, long), group in groups.items()),
    )
    connection.executemany("INSERT INTO search_docs(rowid, page, page_end) VALUES (?, ?, ?)", docs)
    connection.executemany("INSERT INTO search_text(rowid, title, body) VALUES (?, ?, ?)", entries)
    connection.executemany(
        "INSERT INTO search_titles(rowid, title) VALUES (?, ?)", ((row[0], row[1]) for row in entries if row[1])
    )
    connection.execute(
        "INSERT OR REPLACE INTO search_volumes(volume, digest) VALUES (?, ?)", (volume_key, _digest(entries))
    )


def _digest(entries: Sequence[tuple[int, str, str]]) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for rowid, title, body in sorted(entries):
        digest.update(f"{rowid}\x00{title}\x00{body}\x01".encode())
    return digest.hexdigest()


def _indexed_entries(
    connection: sqlite3.Connection, volume_key: int, rowids: tuple[int, int]
) -> list[tuple[int, str, str]]:
    """The (rowid, title, text) a volume's FTS5 rows were made from, made again from its stored nodes."""
    ordinals = {
        rowid & ORDINAL_MASK: rowid
        for (rowid,) in connection.execute("SELECT rowid FROM search_docs WHERE rowid BETWEEN ? AND ?", rowids)
    }
    entries = []
    base = volume_key << GROUP_SHIFT
    for key, kind, title, text, attributes in connection.execute(
        "SELECT key, kind, title, text, attributes FROM nodes WHERE key BETWEEN ? AND ?", (base, base + ORDINAL_MASK)
    ):
        rowid = ordinals.get(key & ORDINAL_MASK)
        if rowid is None:
            continue
        node = StoredNode(
            id="",
            volume="",
            parent=None,
            ordinal=key & ORDINAL_MASK,
            kind=kind,
            title=title,
            text=text,
            level=0,
            page=None,
            page_end=None,
            line_start=1,
            line_end=1,
            attributes=json.loads(attributes),
        )
        entries.append((rowid, index_form(title or ""), index_form(indexed_text(node))))
    return entries


def _rebuild_texts(connection: sqlite3.Connection) -> None:
    """Empty the FTS5 tables and index every volume again from its stored nodes (rowids and groups are kept)."""
    connection.execute("INSERT INTO search_text(search_text) VALUES ('delete-all')")
    connection.execute("INSERT INTO search_titles(search_titles) VALUES ('delete-all')")
    spans = connection.execute("SELECT volume, min(id), max(id) FROM search_groups GROUP BY volume").fetchall()
    for volume_key, low, high in spans:
        entries = _indexed_entries(connection, volume_key, (low << GROUP_SHIFT, ((high + 1) << GROUP_SHIFT) - 1))
        connection.executemany("INSERT INTO search_text(rowid, title, body) VALUES (?, ?, ?)", entries)
        connection.executemany(
            "INSERT INTO search_titles(rowid, title) VALUES (?, ?)", ((row[0], row[1]) for row in entries if row[1])
        )
        connection.execute(
            "INSERT OR REPLACE INTO search_volumes(volume, digest) VALUES (?, ?)", (volume_key, _digest(entries))
        )


def _contentless(connection: sqlite3.Connection) -> None:
    """search_0005: FTS5 tables that keep no copy of the text; groups by volume key; the index made again."""
    for table in ("search_text", "search_titles", "search_docs", "search_groups"):
        connection.execute(f"DROP TABLE IF EXISTS {table}")
    connection.execute(
        "CREATE TABLE search_groups (id INTEGER PRIMARY KEY, volume INTEGER NOT NULL, kind TEXT NOT NULL,"
        " chapter TEXT, year INTEGER, long INTEGER NOT NULL DEFAULT 0)"
    )
    connection.execute("CREATE INDEX search_groups_volume ON search_groups(volume)")
    connection.execute("CREATE TABLE search_docs (rowid INTEGER PRIMARY KEY, page INTEGER, page_end INTEGER)")
    connection.execute("CREATE TABLE search_volumes (volume INTEGER PRIMARY KEY, digest TEXT NOT NULL)")
    connection.execute("CREATE VIRTUAL TABLE search_text USING fts5(title, body, content = '', tokenize = 'unicode61')")
    connection.execute("CREATE VIRTUAL TABLE search_titles USING fts5(title, content = '', tokenize = 'unicode61')")
    for volume_key, volume_id, year in connection.execute("SELECT key, id, year FROM volumes ORDER BY key").fetchall():
        write_volume(connection, volume_key, year, _stored_volume(connection, volume_key, volume_id))


def _stored_volume(connection: sqlite3.Connection, volume_key: int, volume_id: str) -> list[StoredNode]:
    """A volume's nodes read back with their paths, for indexing them again."""
    base = volume_key << GROUP_SHIFT
    rows = connection.execute(
        "SELECT key, parent, kind, title, text, level, page, page_end, line_start, line_end, attributes"
        " FROM nodes WHERE key BETWEEN ? AND ? ORDER BY key",
        (base, base + ORDINAL_MASK),
    ).fetchall()
    branches = {row[0] & ORDINAL_MASK: records.Branch(row[2], row[3], row[1]) for row in rows}
    return [
        StoredNode(
            id=records.node_id(volume_id, row[0] & ORDINAL_MASK),
            volume=volume_id,
            parent=records.node_id(volume_id, row[1]) if row[1] is not None else None,
            ordinal=row[0] & ORDINAL_MASK,
            kind=row[2],
            title=row[3],
            text=row[4],
            level=row[5],
            page=row[6],
            page_end=row[7],
            line_start=row[8],
            line_end=row[9],
            attributes=json.loads(row[10]),
            path=records.path_of(volume_id, row[1], branches),
        )
        for row in rows
    ]


SQLiteSearchIndex.migrations.append(("search_0005_contentless", _contentless))


# --- reading: the search-index interface (fangzhi.search.index) over the FTS5 tables -------------------------

_BM25 = f"bm25(search_text, {TITLE_WEIGHT}, {BODY_WEIGHT})"


class SQLiteSearchReader:
    """Answers the search engine's questions from the FTS5 tables of one SQLite store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _execute(
        self, sql: str, parameters: Sequence[Any] = (), connection: sqlite3.Connection | None = None
    ) -> list[Any]:
        """Rows of one statement, SQLite's errors turned into fangzhi's (a spent time budget among them)."""
        try:
            return (connection or self.store.connection).execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            spent = budget.expired_error()
            if spent is not None:
                raise spent from None
            if "no such table" in str(error):
                raise KnowledgeBaseError(
                    f"{self.store.path}: has no search index; re-create it with `fangzhi ingest`"
                ) from None
            raise QueryError(f"cannot search: {error}") from None

    def groups(self) -> dict[int, SearchGroup]:
        """The facet groups, read again only after the database changed (they number volumes × kinds × chapters).

        ``data_version`` counts other connections' commits on this connection
        only, so the cache is kept per connection (each thread has its own).
        """
        connection = self.store.connection
        version = (self._execute("PRAGMA data_version", (), connection)[0][0], connection.total_changes)
        try:
            cached = _GROUP_CACHE.get(connection)
        except TypeError:
            cached = None
        if cached and cached[0] == version:
            return cached[1]
        groups = {
            row[0]: SearchGroup(row[1], row[2], row[3], row[4], bool(row[5]))
            for row in self._execute(
                "SELECT g.id, v.id, g.kind, g.chapter, g.year, g.long"
                " FROM search_groups g JOIN volumes v ON v.key = g.volume",
                (),
                connection,
            )
        }
        with contextlib.suppress(TypeError):
            _GROUP_CACHE[connection] = (version, groups)
        return groups

    def unindexed(self) -> bool:
        rows = self._execute("SELECT EXISTS (SELECT 1 FROM volumes) AND NOT EXISTS (SELECT 1 FROM search_groups)")
        return bool(rows[0][0])

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

    def _facets(self, match: str, clauses: str, parameters: list[Any]) -> Counts:
        """Counts per facet value, summed in SQL from the matches per group (a few thousand rows at most)."""
        rows = self._execute(
            f"""
            WITH per_group AS MATERIALIZED (
                SELECT rowid >> {GROUP_SHIFT} AS id, count(*) AS matched
                FROM search_text WHERE search_text MATCH ?{clauses} GROUP BY 1
            ),
            counted AS MATERIALIZED (
                SELECT v.id AS volume, g.kind, g.chapter, g.year, g.long, per_group.matched
                FROM per_group JOIN search_groups AS g ON g.id = per_group.id JOIN volumes AS v ON v.key = g.volume
            )
            SELECT 'volume', volume, sum(matched) FROM counted GROUP BY volume
            UNION ALL SELECT 'kind', kind, sum(matched) FROM counted GROUP BY kind
            UNION ALL SELECT 'chapter', chapter, sum(matched) FROM counted WHERE chapter IS NOT NULL GROUP BY chapter
            UNION ALL SELECT 'year', year, sum(matched) FROM counted WHERE year IS NOT NULL GROUP BY year
            UNION ALL SELECT 'long', long, sum(matched) FROM counted GROUP BY long
            """,
            [match, *parameters],
        )
        return counts_of_rows(rows)

    def count(self, query: Query, restriction: Restriction) -> Counts:
        clauses, parameters = self._restriction(restriction)
        return self._facets(query.to_match(), clauses, parameters)

    def count_in_background(self, query: Query, restriction: Restriction) -> CountJob | None:
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
        store = self.store
        path = str(getattr(store, "path", ":memory:"))
        groups = self.groups()
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
        clauses, parameters = self._restriction(restriction)
        match = query.to_match()
        halves = []
        for condition in ("rowid < ?", "rowid >= ?"):
            where = f"{clauses} AND {condition}"

            def count(where: str = where) -> Counts:
                return self._facets(match, where, [*parameters, middle])

            half = worker.submit(contextvars.copy_context().run, count)
            half.add_done_callback(lambda _: free.release())
            halves.append(half)
        return _ParallelCounts(halves)

    def newest(self, query: Query, restriction: Restriction, offset: int) -> int | None:
        clauses, parameters = self._restriction(restriction)
        rows = self._execute(
            f"SELECT rowid FROM search_text WHERE search_text MATCH ?{clauses} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [query.to_match(), *parameters, offset],
        )
        return rows[0][0] if rows else None

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
                found = self._execute(
                    f"SELECT rowid FROM {table} WHERE {where}{extra} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                    [match, *parameters, window.size - 1],
                )
                cut = found[0] if found else None
            cut_any = cut_any or cut is not None
            conditions.append(f"({condition + ' AND ' if condition else ''}rowid >= ?)")
            bounds.append(cut[0] if cut else 0)
        inside = "(" + " OR ".join(conditions) + ")"
        score = _BM25 if table == "search_text" else f"bm25({table})"
        found = self._execute(
            f"SELECT rowid, {score} AS score FROM {table} WHERE {where} AND {inside} ORDER BY score, rowid LIMIT ?",
            [match, *parameters, *bounds, wanted + len(seen)],
        )
        rows = [(rowid, score) for rowid, score in found if rowid not in seen][:wanted]
        if cut_any and len(rows) < wanted:
            older = self._execute(
                f"SELECT rowid, 0.0 FROM {table} WHERE {where} AND NOT {inside} ORDER BY rowid DESC LIMIT ?",
                [match, *parameters, *bounds, wanted + len(seen)],
            )
            rows += [(rowid, score) for rowid, score in older if rowid not in seen][: wanted - len(rows)]
        return rows

    def node_ids(self, keys: Sequence[int]) -> dict[int, str]:
        groups = sorted({key >> GROUP_SHIFT for key in keys})
        if not groups:
            return {}
        volumes = dict(
            self._execute(
                f"SELECT g.id, v.id FROM search_groups g JOIN volumes v ON v.key = g.volume"
                f" WHERE g.id IN ({','.join('?' * len(groups))})",
                groups,
            )
        )
        return {
            key: records.node_id(volumes[key >> GROUP_SHIFT], key & ORDINAL_MASK)
            for key in keys
            if key >> GROUP_SHIFT in volumes
        }

    def document_frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        total = self._execute("SELECT count(*) FROM search_docs")[0][0]
        counts: dict[str, int] = {}
        for word in words:
            tokens = tuple(search_tokens(fold_for_search(word)))
            if not tokens:
                counts[word] = 0
                continue
            match = Term(word, tokens).to_match()
            counts[word] = self._execute("SELECT count(*) FROM search_text WHERE search_text MATCH ?", (match,))[0][0]
        return total, counts


_GROUP_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], dict[int, SearchGroup]]] = (
    weakref.WeakKeyDictionary()
)
_COUNTERS: weakref.WeakKeyDictionary[Any, tuple[ThreadPoolExecutor, threading.Semaphore]] = weakref.WeakKeyDictionary()
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


def counts_of_rows(rows: Sequence[tuple[str, Any, Any]]) -> Counts:
    """Facet counts from (facet, value, matches) rows, sorted as a search result shows them."""
    values: dict[str, list[tuple[str, int]]] = {name: [] for name in (*FACETS, "long")}
    for name, value, matched in rows:
        values[name].append((str(value), int(matched)))
    facets = {name: dict(sorted(values[name], key=lambda item: (-item[1], item[0]))) for name in FACETS}
    long_counts = dict(values["long"])
    return Counts(facets, sum(long_counts.values()), long_counts.get("1", 0))
