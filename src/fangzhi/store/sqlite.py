"""The embedded SQLite store, the default backend."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from fangzhi.errors import KnowledgeBaseError, NotFoundError
from fangzhi.model import Document, Fact, Volume
from fangzhi.store import budget, records
from fangzhi.store.base import StoredNode
from fangzhi.store.schema import MIGRATIONS, Migration


class Indexer(Protocol):
    """Something kept in step with the stored volumes, such as the search index, inside the ingest transaction."""

    name: str
    migrations: list[tuple[str, Migration]]

    def index(self, connection: sqlite3.Connection, volume_key: int, document: Document) -> None: ...

    def remove(self, connection: sqlite3.Connection, volume_key: int) -> None: ...


def default_indexers() -> list[Indexer]:
    from fangzhi.search.sqlite_index import SQLiteSearchIndex

    return [SQLiteSearchIndex()]


stored_nodes = records.stored_nodes
KEY_SHIFT = 32
ORDINAL_MASK = (1 << KEY_SHIFT) - 1

DEFAULT_LOCK_TIMEOUT = 60.0
READ_BUSY_TIMEOUT = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"


class _Connection(sqlite3.Connection):
    """A connection that knows whose work it is doing, and can be weakly referenced (for per-connection caches)."""

    work: budget.Budget | None = None


def _interrupt(connection: _Connection, work: budget.Budget) -> None:
    """Stop the statement running on ``connection``, unless the connection has moved on to other work."""
    if connection.work is work:
        connection.interrupt()


class SQLiteStore:
    """A knowledge base in one SQLite file.

    Every ingest runs in one transaction, so a failure leaves the file as it
    was, and re-ingesting a volume replaces its rows instead of adding more.

    Each thread gets its own connection (opened on first use), so a web
    server's worker threads read in parallel and a slow read never holds up
    the others; SQLite in WAL mode lets them read while one writer writes.
    ``read_only`` opens the file with ``mode=ro``: nothing is created,
    migrated or switched, and a file that is not a fangzhi knowledge base is
    refused.  A writer waits up to ``lock_timeout`` seconds for another
    writer to finish.  Reads stop when the current time budget
    (:mod:`fangzhi.store.budget`) runs out.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        read_only: bool = False,
        indexers: list[Indexer] | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.indexers = default_indexers() if indexers is None else indexers
        self.applied_migrations: list[str] = []
        self._memory = self.path == ":memory:"
        self._local = threading.local()
        self._connections: list[tuple[weakref.ref[threading.Thread], _Connection]] = []
        self._connections_lock = threading.Lock()
        self._closed = False
        self._outlines = records.Outline()
        self._outline_lock = threading.Lock()
        from fangzhi.search.sqlite_index import SQLiteSearchReader

        self.search_index = SQLiteSearchReader(self)
        if not self._memory:
            _check_location(Path(self.path), create=create and not read_only, read_only=read_only)
        connection = self.connection
        if read_only:
            self._check_schema(connection)
        else:
            self._prepare(connection)

    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection, registered with the current time budget so that it can be stopped."""
        connection: _Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
        work = budget.current()
        connection.work = work
        if work is not None:
            if work.expired():
                raise work.error()
            work.stop_with(connection, functools.partial(_interrupt, connection, work))
        return connection

    def _connect(self) -> _Connection:
        with self._connections_lock:
            if self._closed:
                raise KnowledgeBaseError(f"{self.path}: the knowledge base was closed")
            if self._memory and self._connections:
                connection = self._connections[0][1]
                self._local.connection = connection
                return connection
            for thread, stale in [entry for entry in self._connections if not _alive(entry[0])]:
                self._connections.remove((thread, stale))
                stale.close()
            if self.read_only:
                target = "file:" + quote(str(Path(self.path).resolve())) + "?mode=ro"
                timeout = READ_BUSY_TIMEOUT
            else:
                target, timeout = self.path, self.lock_timeout
            try:
                connection = sqlite3.connect(
                    target,
                    uri=self.read_only,
                    timeout=timeout,
                    isolation_level=None,
                    check_same_thread=False,
                    factory=_Connection,
                )
                connection.row_factory = sqlite3.Row
                connection.execute("PRAGMA foreign_keys = ON")
                if self.read_only:
                    connection.execute("PRAGMA query_only = ON")
                else:
                    connection.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.DatabaseError as error:
                raise KnowledgeBaseError(f"{self.path}: not a fangzhi knowledge base ({error})") from None
            self._connections.append((weakref.ref(threading.current_thread()), connection))
            self._local.connection = connection
            return connection

    def _tables(self, connection: sqlite3.Connection) -> set[str]:
        try:
            return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseError(f"{self.path}: not a fangzhi knowledge base ({error})") from None

    def _refuse_foreign(self, connection: sqlite3.Connection) -> set[str]:
        """The names of the migrations applied; an error if the file is some other program's database."""
        tables = self._tables(connection)
        if not tables:
            return set()
        done = set()
        if "migrations" in tables:
            try:
                done = {row[0] for row in connection.execute("SELECT name FROM migrations")}
            except sqlite3.DatabaseError:
                done = set()
        if MIGRATIONS[0][0] not in done:
            raise KnowledgeBaseError(
                f"{self.path}: an SQLite database of another program, not a fangzhi knowledge base; choose another --db"
            )
        return done

    def _required_migrations(self) -> list[tuple[str, Migration]]:
        pending = list(MIGRATIONS)
        for indexer in self.indexers:
            pending.extend(indexer.migrations)
        return pending

    def _check_schema(self, connection: sqlite3.Connection) -> None:
        """Refuse, without writing anything, a file that is not an up-to-date fangzhi knowledge base."""
        if not self._tables(connection):
            raise KnowledgeBaseError(
                f"{self.path}: an empty SQLite database, not a fangzhi knowledge base; "
                f"fill it with `fangzhi ingest FILE --db {self.path}`"
            )
        done = self._refuse_foreign(connection)
        missing = [name for name, _ in self._required_migrations() if name not in done]
        if missing:
            raise KnowledgeBaseError(
                f"{self.path}: made by an older fangzhi and not yet upgraded (missing {', '.join(missing)}); "
                f"upgrade it with `fangzhi migrate --db {self.path}`"
            )

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """WAL mode and every pending migration, safe when several processes open a new file at once."""
        done = self._refuse_foreign(connection)
        if all(name in done for name, _ in self._required_migrations()):
            return
        if not self._memory:
            self._switch_to_wal(connection)
        with self._transaction() as writing:
            writing.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {row[0] for row in writing.execute("SELECT name FROM migrations")}
            for name, sql in self._required_migrations():
                if name in done:
                    continue
                if callable(sql):
                    sql(writing)
                else:
                    for statement in _statements(sql):
                        writing.execute(statement)
                writing.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))
                self.applied_migrations.append(name)

    def _switch_to_wal(self, connection: sqlite3.Connection) -> None:
        """Readers never wait for a writer in WAL mode; another process may be switching at the same moment."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    return
                connection.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise self._lock_error(error) from None
                time.sleep(0.05)

    def _lock_error(self, error: sqlite3.Error) -> KnowledgeBaseError:
        if "locked" in str(error) or "busy" in str(error):
            return KnowledgeBaseError(
                f"{self.path}: another process is writing to this knowledge base and did not finish within "
                f"{self.lock_timeout:g} s; try again when it is done"
            )
        return KnowledgeBaseError(f"{self.path}: {error}")

    def _transaction(self) -> _Transaction:
        if self.read_only:
            raise KnowledgeBaseError(f"{self.path}: opened read-only; open it for writing to change it")
        return _Transaction(self, self.connection)

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
        """The rows of a read, with SQLite's errors turned into fangzhi's (a spent time budget among them)."""
        try:
            yield from self.connection.execute(sql, parameters)
        except sqlite3.Error as error:
            raise self._read_error(error) from None

    def _one(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Row | None:
        try:
            return self.connection.execute(sql, parameters).fetchone()
        except sqlite3.Error as error:
            raise self._read_error(error) from None

    def _read_error(self, error: sqlite3.Error) -> Exception:
        spent = budget.expired_error()
        if spent is not None:
            return spent
        return KnowledgeBaseError(f"{self.path}: cannot read the knowledge base ({error})")

    def replace_volume(self, document: Document, facts: list[Fact]) -> None:
        volume = document.volume
        rows = records.node_rows(document)
        node_counts, fact_counts = records.volume_counts(document, facts)
        fact_rows = [
            (
                fact.id,
                fact.kind,
                records.node_ordinal(fact.node_id, volume.id),
                fact.line_start,
                fact.line_end,
                fact.page,
                records.to_json(fact.data),
                fact.extractor,
                records.to_json(fact.warnings),
            )
            for fact in facts
        ]
        with self._transaction() as connection:
            self._delete(connection, volume.id)
            key = connection.execute(
                "INSERT INTO volumes (id, kind, title, year, source_file, source_sha256, attributes, ingested_at,"
                " line_count, node_counts, fact_counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    volume.id,
                    volume.kind,
                    volume.title,
                    volume.year,
                    volume.source_file,
                    volume.source_sha256,
                    records.to_json(volume.attributes),
                    _now(),
                    len(document.source.lines),
                    json.dumps(node_counts),
                    json.dumps(fact_counts),
                ),
            ).lastrowid
            base = key << KEY_SHIFT
            connection.executemany(
                "INSERT INTO source_chunks (key, lines) VALUES (?, ?)",
                ((base + number, data) for number, data in records.line_chunks(document.source.lines)),
            )
            connection.executemany(
                "INSERT INTO nodes (key, parent, kind, title, text, level, page, page_end, line_start, line_end,"
                " attributes, branch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        base + row.ordinal,
                        row.parent,
                        row.kind,
                        row.title,
                        row.text,
                        row.level,
                        row.page,
                        row.page_end,
                        row.line_start,
                        row.line_end,
                        row.attributes,
                        int(row.branch),
                    )
                    for row in rows
                ),
            )
            connection.executemany(
                "INSERT INTO facts (key, id, kind, node, line_start, line_end, page, data, extractor, warnings)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((base + seq, *row) for seq, row in enumerate(fact_rows, start=1)),
            )
            for indexer in self.indexers:
                indexer.index(connection, key, document)

    def _delete(self, connection: sqlite3.Connection, volume_id: str) -> bool:
        row = connection.execute("SELECT key FROM volumes WHERE id = ?", (volume_id,)).fetchone()
        if row is None:
            return False
        key = row[0]
        for indexer in self.indexers:
            indexer.remove(connection, key)
        span = _span(key)
        for table in ("facts", "nodes", "source_chunks"):
            connection.execute(f"DELETE FROM {table} WHERE key BETWEEN ? AND ?", span)
        connection.execute("DELETE FROM volumes WHERE key = ?", (key,))
        return True

    def delete_volume(self, volume_id: str) -> bool:
        with self._transaction() as connection:
            return self._delete(connection, volume_id)

    def volumes(self, ids: Sequence[str] | None = None) -> list[Volume]:
        if ids is None:
            return [_volume(row) for row in self._rows(f"SELECT {_VOLUME_COLUMNS} FROM volumes ORDER BY id")]
        wanted = list(dict.fromkeys(ids))
        found: list[Volume] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += [
                _volume(row)
                for row in self._rows(f"SELECT {_VOLUME_COLUMNS} FROM volumes WHERE id IN ({marks})", chunk)
            ]
        return sorted(found, key=lambda volume: volume.id)

    def volume(self, volume_id: str) -> Volume:
        row = self._one(f"SELECT {_VOLUME_COLUMNS} FROM volumes WHERE id = ?", (volume_id,))
        if row is None:
            raise NotFoundError(f"no volume with id {volume_id!r}")
        return _volume(row)

    def _volume_keys(
        self, volume: str | None = None, node_kind: str | None = None, fact_kind: str | None = None
    ) -> list[tuple[str, int]]:
        """(id, key) of the volumes to read, in id order, leaving out those the stored counts say have none."""
        where, parameters = [], []
        if volume is not None:
            where.append("id = ?")
            parameters.append(volume)
        if node_kind is not None:
            where.append("json_extract(node_counts, '$.' || json_quote(?)) IS NOT NULL")
            parameters.append(node_kind)
        if fact_kind is not None:
            where.append("json_extract(fact_counts, '$.' || json_quote(?)) IS NOT NULL")
            parameters.append(fact_kind)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return [(row[0], row[1]) for row in self._rows(f"SELECT id, key FROM volumes {clause} ORDER BY id", parameters)]

    def _outline(self, key: int) -> dict[int, records.Branch]:
        with self._outline_lock:
            found = self._outlines.get(key)
        if found is not None:
            return found
        lower, upper = _span(key)
        branches = {
            row[0] & ORDINAL_MASK: records.Branch(row[1], row[2], row[3])
            for row in self._rows(
                "SELECT key, kind, title, parent FROM nodes WHERE branch = 1 AND key BETWEEN ? AND ?", (lower, upper)
            )
        }
        with self._outline_lock:
            return self._outlines.put(key, branches)

    def _stored_node(self, volume_id: str, row: sqlite3.Row, branches: dict[int, records.Branch]) -> StoredNode:
        ordinal, parent = row["key"] & ORDINAL_MASK, row["parent"]
        return StoredNode(
            id=records.node_id(volume_id, ordinal),
            volume=volume_id,
            parent=records.node_id(volume_id, parent) if parent is not None else None,
            ordinal=ordinal,
            kind=row["kind"],
            title=row["title"],
            text=row["text"],
            level=row["level"],
            page=row["page"],
            page_end=row["page_end"],
            line_start=row["line_start"],
            line_end=row["line_end"],
            attributes=json.loads(row["attributes"]),
            path=records.path_of(volume_id, parent, branches),
        )

    def nodes(
        self, volume: str | None = None, kind: str | None = None, parent: str | None = None, top_level: bool = False
    ) -> Iterator[StoredNode]:
        parent_ordinal = None
        if parent is not None:
            try:
                owner, parent_ordinal = records.split_node_id(parent)
            except NotFoundError:
                return
            if volume is not None and owner != volume:
                return
            volume = owner
        for volume_id, key in self._volume_keys(volume=volume, node_kind=kind):
            where, parameters = ["key BETWEEN ? AND ?"], list(_span(key))
            if kind is not None:
                where.append("kind = ?")
                parameters.append(kind)
            if parent_ordinal is not None:
                where.append("parent = ?")
                parameters.append(parent_ordinal)
            if top_level:
                where.append("parent IS NULL")
            rows = list(self._rows(f"SELECT * FROM nodes WHERE {' AND '.join(where)} ORDER BY key", parameters))
            branches = self._outline(key) if rows else {}
            for row in rows:
                yield self._stored_node(volume_id, row, branches)

    def node(self, node_id: str) -> StoredNode:
        found = self.nodes_by_id([node_id])
        if node_id not in found:
            raise NotFoundError(f"no node with id {node_id!r}")
        return found[node_id]

    def nodes_by_id(self, node_ids: Sequence[str]) -> dict[str, StoredNode]:
        wanted: dict[str, list[int]] = {}
        for node_id in dict.fromkeys(node_ids):
            try:
                volume_id, ordinal = records.split_node_id(node_id)
            except NotFoundError:
                continue
            if ordinal <= ORDINAL_MASK:
                wanted.setdefault(volume_id, []).append(ordinal)
        found: dict[str, StoredNode] = {}
        for volume_id, ordinals in wanted.items():
            row = self._one("SELECT key FROM volumes WHERE id = ?", (volume_id,))
            if row is None:
                continue
            base = row[0] << KEY_SHIFT
            for start in range(0, len(ordinals), 500):
                chunk = [base + ordinal for ordinal in ordinals[start : start + 500]]
                rows = list(self._rows(f"SELECT * FROM nodes WHERE key IN ({','.join('?' * len(chunk))})", chunk))
                branches = self._outline(row[0]) if rows else {}
                for node_row in rows:
                    node = self._stored_node(volume_id, node_row, branches)
                    found[node.id] = node
        return found

    def facts(self, kind: str | None = None, volume: str | None = None, node_id: str | None = None) -> Iterator[Fact]:
        node_ordinal = None
        if node_id is not None:
            try:
                owner, node_ordinal = records.split_node_id(node_id)
            except NotFoundError:
                return
            if volume is not None and owner != volume:
                return
            volume = owner
        for volume_id, key in self._volume_keys(volume=volume, fact_kind=kind):
            where, parameters = ["key BETWEEN ? AND ?"], list(_span(key))
            if kind is not None:
                where.append("kind = ?")
                parameters.append(kind)
            if node_ordinal is not None:
                where.append("node = ?")
                parameters.append(node_ordinal)
            rows = list(self._rows(f"SELECT * FROM facts WHERE {' AND '.join(where)} ORDER BY key", parameters))
            for row in rows:
                yield Fact(
                    id=row["id"],
                    kind=row["kind"],
                    volume=volume_id,
                    node_id=records.node_id(volume_id, row["node"]),
                    line_start=row["line_start"],
                    line_end=row["line_end"],
                    page=row["page"],
                    data=json.loads(row["data"]),
                    extractor=row["extractor"],
                    warnings=records.warnings_of(row["warnings"]),
                )

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]:
        if end < start or end < 1:
            return []
        row = self._one("SELECT key FROM volumes WHERE id = ?", (volume_id,))
        if row is None:
            return []
        first, last = records.chunk_span(start, end)
        base = row[0] << KEY_SHIFT
        chunks = self._rows(
            "SELECT key, lines FROM source_chunks WHERE key BETWEEN ? AND ? ORDER BY key",
            (base + first, base + min(last, ORDINAL_MASK)),
        )
        return records.lines_in_chunks(((key - base, data) for key, data in chunks), start, end)

    def count_nodes(self, volume_id: str) -> dict[str, int]:
        row = self._one("SELECT node_counts FROM volumes WHERE id = ?", (volume_id,))
        return json.loads(row[0]) if row else {}

    def count_facts(self, volume_id: str) -> dict[str, int]:
        row = self._one("SELECT fact_counts FROM volumes WHERE id = ?", (volume_id,))
        return json.loads(row[0]) if row else {}

    def volume_counts(
        self, limit: int | None = None, offset: int = 0
    ) -> list[tuple[Volume, dict[str, int], dict[str, int]]]:
        rows = self._rows(
            f"SELECT {_VOLUME_COLUMNS}, node_counts, fact_counts FROM volumes ORDER BY id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [(_volume(row), json.loads(row["node_counts"]), json.loads(row["fact_counts"])) for row in rows]

    def count_volumes(self) -> int:
        row = self._one("SELECT count(*) FROM volumes")
        return int(row[0]) if row else 0

    def size(self) -> int:
        """Bytes the knowledge base takes on disk (its write-ahead log checkpointed first when writable)."""
        if not self.read_only and not self._memory:
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(
            Path(self.path + suffix).stat().st_size
            for suffix in ("", "-wal")
            if not self._memory and Path(self.path + suffix).exists()
        )

    def close(self) -> None:
        with self._connections_lock:
            self._closed = True
            for _, connection in self._connections:
                connection.close()
            self._connections.clear()


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: the write lock is taken first (waiting up to the store's lock timeout)."""

    def __init__(self, store: SQLiteStore, connection: sqlite3.Connection) -> None:
        self.store = store
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise self.store._lock_error(error) from None
        return self.connection

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is None:
            try:
                self.connection.execute("COMMIT")
                return
            except sqlite3.Error as failure:
                error = failure
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise self.store._lock_error(error) from None


def _alive(thread: weakref.ref[threading.Thread]) -> bool:
    found = thread()
    return found is not None and found.is_alive()


def _check_location(path: Path, *, create: bool, read_only: bool) -> None:
    """Say plainly what is wrong with a --db path before SQLite makes something of it."""
    if path.is_dir():
        raise KnowledgeBaseError(
            f"{path}: a folder, not a knowledge base file; give a file name such as {path / 'fangzhi.db'}"
        )
    if not path.parent.is_dir():
        raise KnowledgeBaseError(
            f"{path}: the folder {path.parent} does not exist; create it first or choose another --db"
        )
    if not path.exists():
        if not create:
            raise KnowledgeBaseError(
                f"{path}: no knowledge base here; create one with `fangzhi ingest FILE --db {path}`"
            )
        return
    try:
        with path.open("rb") as opened:
            header = opened.read(len(SQLITE_HEADER))
    except OSError as error:
        raise KnowledgeBaseError(f"{path}: cannot be read ({error.strerror})") from None
    if not header:
        if read_only:
            raise KnowledgeBaseError(f"{path}: an empty file, not a fangzhi knowledge base")
        return
    if header != SQLITE_HEADER:
        raise KnowledgeBaseError(f"{path}: not a fangzhi knowledge base (not an SQLite file); choose another --db")


def _span(key: int) -> tuple[int, int]:
    """The row keys of one volume's nodes, facts or chunks: its key in the high bits, the ordinal below."""
    return key << KEY_SHIFT, (key << KEY_SHIFT) + ORDINAL_MASK


def _statements(sql: str) -> list[str]:
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


_VOLUME_COLUMNS = "id, kind, title, year, source_file, source_sha256, attributes"


def _volume(row: sqlite3.Row) -> Volume:
    return Volume(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        year=row["year"],
        source_file=row["source_file"],
        source_sha256=row["source_sha256"],
        attributes=json.loads(row["attributes"]),
    )


__all__ = ["SQLiteStore", "Indexer", "stored_nodes"]
