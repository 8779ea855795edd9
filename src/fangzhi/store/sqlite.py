"""The embedded SQLite store, the default backend."""

from __future__ import annotations

import dataclasses
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
from fangzhi.model import Document, Fact, Node, ParseWarning, Volume
from fangzhi.store import budget
from fangzhi.store.base import StoredNode
from fangzhi.store.schema import MIGRATIONS


class Indexer(Protocol):
    """Something kept in step with the stored volumes, such as the search index."""

    name: str
    migrations: list[tuple[str, str]]

    def index(self, connection: sqlite3.Connection, nodes: Sequence[StoredNode], facts: Sequence[Fact]) -> None: ...

    def remove(self, connection: sqlite3.Connection, volume_id: str) -> None: ...


def default_indexers() -> list[Indexer]:
    from fangzhi.search.sqlite_index import SQLiteSearchIndex

    return [SQLiteSearchIndex()]


def stored_nodes(document: Document) -> list[StoredNode]:
    """Flatten a document tree into rows, each with its ancestors' titles."""
    rows: list[StoredNode] = []
    for ordinal, (node, ancestors) in enumerate(document.walk(), start=1):
        parent = ancestors[-1].id if ancestors else None
        rows.append(
            StoredNode(
                id=node.id,
                volume=document.volume.id,
                parent=parent,
                ordinal=ordinal,
                kind=node.kind,
                title=node.title,
                text=node.text,
                level=node.level,
                page=node.page,
                page_end=node.page_end,
                line_start=node.line_start,
                line_end=node.line_end,
                attributes=node.attributes.to_dict(),
                path=[{"id": a.id, "kind": a.kind, "title": a.title} for a in ancestors],
            )
        )
    return rows


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

    def _required_migrations(self) -> list[tuple[str, str]]:
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
        rows = stored_nodes(document)
        with self._transaction() as connection:
            self._delete(connection, volume.id)
            connection.execute(
                "INSERT INTO volumes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    volume.id,
                    volume.kind,
                    volume.title,
                    volume.year,
                    volume.source_file,
                    volume.source_sha256,
                    _json(volume.attributes),
                    _now(),
                ),
            )
            connection.executemany(
                "INSERT INTO source_lines VALUES (?, ?, ?)",
                ((volume.id, number, text) for number, text in enumerate(document.source.lines, start=1)),
            )
            connection.executemany(
                "INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        row.id,
                        row.volume,
                        row.parent,
                        row.ordinal,
                        row.kind,
                        row.title,
                        row.text,
                        row.level,
                        row.page,
                        row.page_end,
                        row.line_start,
                        row.line_end,
                        _json(row.attributes),
                        _json(row.path),
                    )
                    for row in rows
                ),
            )
            connection.executemany(
                "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        fact.id,
                        fact.volume,
                        fact.kind,
                        fact.node_id,
                        fact.line_start,
                        fact.line_end,
                        fact.page,
                        _json(fact.data),
                        fact.extractor,
                        _json(fact.warnings),
                    )
                    for fact in facts
                ),
            )
            for indexer in self.indexers:
                indexer.index(connection, rows, facts)

    def _delete(self, connection: sqlite3.Connection, volume_id: str) -> bool:
        for indexer in self.indexers:
            indexer.remove(connection, volume_id)
        for table in ("facts", "nodes", "source_lines"):
            connection.execute(f"DELETE FROM {table} WHERE volume = ?", (volume_id,))
        return connection.execute("DELETE FROM volumes WHERE id = ?", (volume_id,)).rowcount > 0

    def delete_volume(self, volume_id: str) -> bool:
        with self._transaction() as connection:
            return self._delete(connection, volume_id)

    def volumes(self) -> list[Volume]:
        return [_volume(row) for row in self._rows("SELECT * FROM volumes ORDER BY id")]

    def volume(self, volume_id: str) -> Volume:
        row = self._one("SELECT * FROM volumes WHERE id = ?", (volume_id,))
        if row is None:
            raise NotFoundError(f"no volume with id {volume_id!r}")
        return _volume(row)

    def nodes(
        self, volume: str | None = None, kind: str | None = None, parent: str | None = None, top_level: bool = False
    ) -> Iterator[StoredNode]:
        where, parameters = _where(volume=volume, kind=kind, parent=parent)
        if top_level:
            where += (" AND" if where else "WHERE") + " parent IS NULL"
        sql = f"SELECT * FROM nodes {where} ORDER BY volume, ordinal"
        for row in self._rows(sql, parameters):
            yield _node(row)

    def node(self, node_id: str) -> StoredNode:
        row = self._one("SELECT * FROM nodes WHERE id = ?", (node_id,))
        if row is None:
            raise NotFoundError(f"no node with id {node_id!r}")
        return _node(row)

    def nodes_by_id(self, node_ids: Sequence[str]) -> dict[str, StoredNode]:
        found: dict[str, StoredNode] = {}
        ids = list(dict.fromkeys(node_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"SELECT * FROM nodes WHERE id IN ({marks})", chunk):
                found[row["id"]] = _node(row)
        return found

    def facts(self, kind: str | None = None, volume: str | None = None, node_id: str | None = None) -> Iterator[Fact]:
        where, parameters = _where(kind=kind, volume=volume, node_id=node_id)
        for row in self._rows(f"SELECT * FROM facts {where} ORDER BY volume, rowid", parameters):
            yield Fact(
                id=row["id"],
                kind=row["kind"],
                volume=row["volume"],
                node_id=row["node_id"],
                line_start=row["line_start"],
                line_end=row["line_end"],
                page=row["page"],
                data=json.loads(row["data"]),
                extractor=row["extractor"],
                warnings=[ParseWarning.from_dict(value) for value in json.loads(row["warnings"])],
            )

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]:
        rows = self._rows(
            "SELECT text FROM source_lines WHERE volume = ? AND line BETWEEN ? AND ? ORDER BY line",
            (volume_id, start, end),
        )
        return [row[0] for row in rows]

    def count_nodes(self, volume_id: str) -> dict[str, int]:
        rows = self._rows("SELECT kind, level, count(*) FROM nodes WHERE volume = ? GROUP BY kind, level", (volume_id,))
        counts: dict[str, int] = {}
        for kind, level, number in rows:
            counts[kind] = counts.get(kind, 0) + number
            if kind == "section":
                counts[f"section_level_{level}"] = number
        return counts

    def count_facts(self, volume_id: str) -> dict[str, int]:
        rows = self._rows("SELECT kind, count(*) FROM facts WHERE volume = ? GROUP BY kind", (volume_id,))
        return {kind: number for kind, number in rows}

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


def _where(**equal: str | None) -> tuple[str, list[str]]:
    """A WHERE clause testing each given column for equality; None means no test."""
    tests = {column: value for column, value in equal.items() if value is not None}
    if not tests:
        return "", []
    return "WHERE " + " AND ".join(f"{column} = ?" for column in tests), list(tests.values())


def _json(value: Any) -> str:
    """JSON of stored values; typed records (warnings, attributes) are written as their fields."""
    return json.dumps(value, ensure_ascii=False, default=_fields)


def _fields(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def _statements(sql: str) -> list[str]:
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


def _node(row: sqlite3.Row) -> StoredNode:
    return StoredNode(
        id=row["id"],
        volume=row["volume"],
        parent=row["parent"],
        ordinal=row["ordinal"],
        kind=row["kind"],
        title=row["title"],
        text=row["text"],
        level=row["level"],
        page=row["page"],
        page_end=row["page_end"],
        line_start=row["line_start"],
        line_end=row["line_end"],
        attributes=json.loads(row["attributes"]),
        path=json.loads(row["path"]),
    )


__all__ = ["SQLiteStore", "Indexer", "stored_nodes", "Node"]
