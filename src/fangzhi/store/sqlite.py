"""The embedded SQLite store, the default backend."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from fangzhi.errors import KnowledgeBaseError, NotFoundError
from fangzhi.model import Document, Fact, Node, ParseWarning, Volume, as_warning, attributes_dict
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
                attributes=attributes_dict(node.attributes),
                path=[{"id": a.id, "kind": a.kind, "title": a.title} for a in ancestors],
            )
        )
    return rows


class SQLiteStore:
    """A knowledge base in one SQLite file.

    Every ingest runs in one transaction, so a failure leaves the file as it
    was, and re-ingesting a volume replaces its rows instead of adding more.
    """

    def __init__(self, path: str | Path, *, create: bool = True, indexers: list[Indexer] | None = None) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise KnowledgeBaseError(
                f"{self.path}: no knowledge base here; create one with `fangzhi ingest FILE --db {self.path}`"
            )
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.connection.row_factory = sqlite3.Row
            self.connection.execute("PRAGMA foreign_keys = ON")
            self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseError(f"{self.path}: not a fangzhi knowledge base ({error})") from None
        self.indexers = default_indexers() if indexers is None else indexers
        self._migrate()

    def _migrate(self) -> None:
        try:
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in self.connection.execute("SELECT name FROM migrations")}
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseError(f"{self.path}: not a fangzhi knowledge base ({error})") from None
        pending = list(MIGRATIONS)
        for indexer in self.indexers:
            pending.extend(indexer.migrations)
        for name, sql in pending:
            if name in done:
                continue
            with self._transaction() as connection:
                for statement in _statements(sql):
                    connection.execute(statement)
                connection.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))

    def _transaction(self) -> _Transaction:
        return _Transaction(self.connection)

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
        return [_volume(row) for row in self.connection.execute("SELECT * FROM volumes ORDER BY id")]

    def volume(self, volume_id: str) -> Volume:
        row = self.connection.execute("SELECT * FROM volumes WHERE id = ?", (volume_id,)).fetchone()
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
        for row in self.connection.execute(sql, parameters):
            yield _node(row)

    def node(self, node_id: str) -> StoredNode:
        row = self.connection.execute("SELECT * FROM nodes WHERE id = ?", (node_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no node with id {node_id!r}")
        return _node(row)

    def nodes_by_id(self, node_ids: Sequence[str]) -> dict[str, StoredNode]:
        found: dict[str, StoredNode] = {}
        ids = list(dict.fromkeys(node_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.connection.execute(f"SELECT * FROM nodes WHERE id IN ({marks})", chunk):
                found[row["id"]] = _node(row)
        return found

    def facts(self, kind: str | None = None, volume: str | None = None, node_id: str | None = None) -> Iterator[Fact]:
        where, parameters = _where(kind=kind, volume=volume, node_id=node_id)
        for row in self.connection.execute(f"SELECT * FROM facts {where} ORDER BY volume, rowid", parameters):
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
                warnings=[_warning(value) for value in json.loads(row["warnings"])],
            )

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]:
        rows = self.connection.execute(
            "SELECT text FROM source_lines WHERE volume = ? AND line BETWEEN ? AND ? ORDER BY line",
            (volume_id, start, end),
        )
        return [row[0] for row in rows]

    def count_nodes(self, volume_id: str) -> dict[str, int]:
        rows = self.connection.execute(
            "SELECT kind, level, count(*) FROM nodes WHERE volume = ? GROUP BY kind, level", (volume_id,)
        )
        counts: dict[str, int] = {}
        for kind, level, number in rows:
            counts[kind] = counts.get(kind, 0) + number
            if kind == "section":
                counts[f"section_level_{level}"] = number
        return counts

    def count_facts(self, volume_id: str) -> dict[str, int]:
        rows = self.connection.execute("SELECT kind, count(*) FROM facts WHERE volume = ? GROUP BY kind", (volume_id,))
        return {kind: number for kind, number in rows}

    def close(self) -> None:
        self.connection.close()


class _Transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is None:
            self.connection.execute("COMMIT")
        else:
            self.connection.execute("ROLLBACK")


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


def _warning(value: Any) -> ParseWarning:
    """A stored warning; free text from a knowledge base written before warnings had codes reads as a note."""
    return ParseWarning.from_dict(value) if isinstance(value, dict) else as_warning(value)


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
