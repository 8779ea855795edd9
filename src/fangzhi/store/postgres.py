"""The PostgreSQL store: a knowledge base many readers share, and many ingest workers fill at once.

It implements the same :class:`~fangzhi.store.base.Store` contract as the
SQLite store, on the same row layout (:mod:`fangzhi.store.records`), so
every service runs on it unchanged and gives the same answers.  Connections
come from a pool (``psycopg_pool``), each read takes one for as long as it
runs, and each volume is written in one transaction, serialised per volume
id by an advisory lock, so that two workers re-ingesting the same file wait
for each other instead of failing.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from fangzhi.errors import KnowledgeBaseError, NotFoundError
from fangzhi.model import Document, Fact, Volume
from fangzhi.store import budget, records
from fangzhi.store.base import StoredNode
from fangzhi.store.postgres_schema import MIGRATIONS

URL_PREFIXES = ("postgresql://", "postgres://")
DEFAULT_POOL_SIZE = 8
POOL_TIMEOUT = 30.0
MIGRATION_LOCK = 7_370_014
BATCH = 5000
SESSION_OPTIONS = "-c jit=off -c work_mem=64MB"

_NODE_COLUMNS = (
    "n.ordinal, n.parent, n.kind, n.title, n.text, n.level, n.page, n.page_end, n.line_start, n.line_end, n.attributes"
)
_FACT_COLUMNS = "f.id, f.kind, f.node, f.line_start, f.line_end, f.page, f.data, f.extractor, f.warnings"


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(URL_PREFIXES)


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as typed, minus anything after ':' in the user part
        return url
    host = parts.get("host", "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname', '')}"


class PostgresStore:
    """A knowledge base in a PostgreSQL database (created on first ingest when the server allows it)."""

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        read_only: bool = False,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        try:
            import psycopg  # noqa: F401
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise KnowledgeBaseError(
                "PostgreSQL support is not installed: pip install 'fangzhi[postgres]' (psycopg and psycopg-pool)"
            ) from None
        self.url = url
        self.path = shown_url(url)
        self.read_only = read_only
        self._outlines = records.Outline()
        self._outline_lock = threading.Lock()
        self._working: dict[int, budget.Budget] = {}
        self._working_lock = threading.Lock()
        if create and not read_only:
            _create_database(url, self.path)
        # JIT compiling costs more than the searches it would speed up (the GIN expression is costed high on
        # purpose); bitmaps of common words must stay exact, or each row's lexemes would be computed again.
        options = SESSION_OPTIONS + (" -c default_transaction_read_only=on" if read_only else "")
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True, "options": options},
            timeout=POOL_TIMEOUT,
            open=False,
            name="fangzhi",
        )
        try:
            self._pool.open(wait=True, timeout=10)
        except Exception:  # noqa: BLE001 - the pool only says it timed out; one direct attempt says why
            self._pool.close()
            raise _connection_error(url, self.path) from None
        from fangzhi.search.postgres_index import PostgresSearchIndex

        self.search_index = PostgresSearchIndex(self)
        self.indexers = [self.search_index]
        self.applied_migrations: list[str] = []
        self._prepare(create=create)

    # connections ---------------------------------------------------------

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A pooled connection for one read or one transaction, stopped (cancelled) when the time budget runs out."""
        import psycopg
        from psycopg_pool import PoolTimeout

        work = budget.current()
        if work is not None and work.expired():
            raise work.error()
        wait = POOL_TIMEOUT if work is None else max(0.001, min(POOL_TIMEOUT, work.deadline - time.monotonic()))
        try:
            with self._pool.connection(timeout=wait) as connection:
                if work is not None:
                    with self._working_lock:
                        self._working[id(connection)] = work
                    work.stop_with(connection, functools.partial(self._cancel, connection, work))
                try:
                    yield connection
                finally:
                    if work is not None:
                        with self._working_lock:
                            self._working.pop(id(connection), None)
        except psycopg.errors.QueryCanceled:
            raise (budget.expired_error() or KnowledgeBaseError(f"{self.path}: the query was cancelled")) from None
        except PoolTimeout:
            spent = budget.expired_error()
            if spent is not None:
                raise spent from None
            raise KnowledgeBaseError(
                f"{self.path}: all {self._pool.max_size} connections stayed busy for {POOL_TIMEOUT:g} s; try again"
            ) from None
        except psycopg.Error as error:
            raise KnowledgeBaseError(f"{self.path}: {_reason(error)}") from None

    def _cancel(self, connection: Any, work: budget.Budget) -> None:
        """Cancel the statement running on ``connection`` if it is still doing ``work`` (not another request's)."""
        with self._working_lock:
            if self._working.get(id(connection)) is not work:
                return
        with contextlib.suppress(Exception):
            connection.cancel_safe(timeout=2.0)

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connection() as connection:
            return connection.execute(sql, parameters).fetchall()

    def _one(self, sql: str, parameters: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self.connection() as connection:
            return connection.execute(sql, parameters).fetchone()

    # schema -------------------------------------------------------------

    def _migrations(self) -> list[tuple[str, str]]:
        pending = list(MIGRATIONS)
        for indexer in self.indexers:
            pending.extend(indexer.migrations)
        return pending

    def _prepare(self, create: bool) -> None:
        with self.connection() as connection:
            tables = {
                row[0]
                for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                ).fetchall()
            }
            done: set[str] = set()
            if "migrations" in tables:
                done = {row[0] for row in connection.execute("SELECT name FROM migrations").fetchall()}
            if tables and MIGRATIONS[0][0] not in done:
                raise KnowledgeBaseError(
                    f"{self.path}: a database of another program (it has tables but no fangzhi schema); "
                    "choose another database"
                )
            missing = [name for name, _ in self._migrations() if name not in done]
            if not missing:
                return
            if not tables and not create:
                raise KnowledgeBaseError(
                    f"{self.path}: an empty database, not a fangzhi knowledge base; "
                    f"fill it with `fangzhi ingest FILE --db {self.path}`"
                )
            if self.read_only:
                raise KnowledgeBaseError(
                    f"{self.path}: made by an older fangzhi and not yet upgraded (missing {', '.join(missing)}); "
                    f"upgrade it with `fangzhi migrate --db {self.path}`"
                )
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at text NOT NULL)"
                )
                done = {row[0] for row in connection.execute("SELECT name FROM migrations").fetchall()}
                for name, sql in self._migrations():
                    if name in done:
                        continue
                    connection.execute(sql)
                    connection.execute("INSERT INTO migrations VALUES (%s, %s)", (name, _now()))
                    self.applied_migrations.append(name)

    # writing ------------------------------------------------------------

    def replace_volume(self, document: Document, facts: list[Fact]) -> None:
        volume = document.volume
        if self.read_only:
            raise KnowledgeBaseError(f"{self.path}: opened read-only; open it for writing to change it")
        rows = records.node_rows(document)
        node_counts, fact_counts = records.volume_counts(document, facts)
        with self.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (volume.id,))
            connection.execute("DELETE FROM volumes WHERE id = %s", (volume.id,))
            key = connection.execute(
                "INSERT INTO volumes (id, kind, title, year, source_file, source_sha256, attributes, ingested_at,"
                " line_count, node_counts, fact_counts) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " RETURNING key",
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
            ).fetchone()[0]
            with connection.cursor() as cursor:
                with cursor.copy("COPY source_chunks (volume, chunk, lines) FROM STDIN") as copy:
                    for number, data in records.line_chunks(document.source.lines):
                        copy.write_row((key, number, data))
                with cursor.copy(
                    "COPY nodes (volume, ordinal, parent, kind, title, text, level, page, page_end, line_start,"
                    " line_end, attributes, branch) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(
                            (
                                key,
                                row.ordinal,
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
                                row.branch,
                            )
                        )
                with cursor.copy(
                    "COPY facts (volume, seq, id, kind, node, line_start, line_end, page, data, extractor, warnings)"
                    " FROM STDIN"
                ) as copy:
                    for seq, fact in enumerate(facts, start=1):
                        copy.write_row(
                            (
                                key,
                                seq,
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
                        )
            for indexer in self.indexers:
                indexer.index(connection, key, document)

    def delete_volume(self, volume_id: str) -> bool:
        if self.read_only:
            raise KnowledgeBaseError(f"{self.path}: opened read-only; open it for writing to change it")
        with self.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (volume_id,))
            return connection.execute("DELETE FROM volumes WHERE id = %s", (volume_id,)).rowcount > 0

    # reading ------------------------------------------------------------

    def volumes(self, ids: Sequence[str] | None = None) -> list[Volume]:
        columns = "id, kind, title, year, source_file, source_sha256, attributes"
        if ids is None:
            rows = self._rows(f'SELECT {columns} FROM volumes ORDER BY id COLLATE "C"')
        else:
            rows = self._rows(f'SELECT {columns} FROM volumes WHERE id = ANY(%s) ORDER BY id COLLATE "C"', (list(ids),))
        return [_volume(row) for row in rows]

    def volume(self, volume_id: str) -> Volume:
        row = self._one(
            "SELECT id, kind, title, year, source_file, source_sha256, attributes FROM volumes WHERE id = %s",
            (volume_id,),
        )
        if row is None:
            raise NotFoundError(f"no volume with id {volume_id!r}")
        return _volume(row)

    def _volume_keys(
        self, volume: str | None = None, node_kind: str | None = None, fact_kind: str | None = None
    ) -> list[tuple[str, int]]:
        """(id, key) of the volumes to read, in id order, leaving out those the stored counts say have none."""
        where, parameters = [], []
        if volume is not None:
            where.append("id = %s")
            parameters.append(volume)
        if node_kind is not None:
            where.append("(node_counts::json ->> %s) IS NOT NULL")
            parameters.append(node_kind)
        if fact_kind is not None:
            where.append("(fact_counts::json ->> %s) IS NOT NULL")
            parameters.append(fact_kind)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return [
            (row[0], row[1])
            for row in self._rows(f'SELECT id, key FROM volumes {clause} ORDER BY id COLLATE "C"', parameters)
        ]

    def _outline(self, connection: Any, key: int) -> dict[int, records.Branch]:
        with self._outline_lock:
            found = self._outlines.get(key)
        if found is not None:
            return found
        branches = {
            row[0]: records.Branch(row[1], row[2], row[3])
            for row in connection.execute(
                "SELECT ordinal, kind, title, parent FROM nodes WHERE volume = %s AND branch", (key,)
            ).fetchall()
        }
        with self._outline_lock:
            return self._outlines.put(key, branches)

    def _stored_node(self, volume_id: str, row: Sequence[Any], branches: dict[int, records.Branch]) -> StoredNode:
        ordinal, parent = row[0], row[1]
        return StoredNode(
            id=records.node_id(volume_id, ordinal),
            volume=volume_id,
            parent=records.node_id(volume_id, parent) if parent is not None else None,
            ordinal=ordinal,
            kind=row[2],
            title=row[3],
            text=row[4],
            level=row[5],
            page=row[6],
            page_end=row[7],
            line_start=row[8],
            line_end=row[9],
            attributes=json.loads(row[10]),
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
            where, parameters = ["n.volume = %s"], [key]
            if kind is not None:
                where.append("n.kind = %s")
                parameters.append(kind)
            if parent_ordinal is not None:
                where.append("n.parent = %s")
                parameters.append(parent_ordinal)
            if top_level:
                where.append("n.parent IS NULL")
            last = 0
            while True:
                with self.connection() as connection:
                    rows = connection.execute(
                        f"SELECT {_NODE_COLUMNS} FROM nodes n WHERE {' AND '.join(where)} AND n.ordinal > %s"
                        " ORDER BY n.ordinal LIMIT %s",
                        [*parameters, last, BATCH],
                    ).fetchall()
                    branches = self._outline(connection, key) if rows else {}
                for row in rows:
                    yield self._stored_node(volume_id, row, branches)
                if len(rows) < BATCH:
                    break
                last = rows[-1][0]

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
            wanted.setdefault(volume_id, []).append(ordinal)
        if not wanted:
            return {}
        found: dict[str, StoredNode] = {}
        with self.connection() as connection:
            keys = dict(
                connection.execute("SELECT id, key FROM volumes WHERE id = ANY(%s)", (list(wanted),)).fetchall()
            )
            for volume_id, ordinals in wanted.items():
                key = keys.get(volume_id)
                if key is None:
                    continue
                rows = connection.execute(
                    f"SELECT {_NODE_COLUMNS} FROM nodes n WHERE n.volume = %s AND n.ordinal = ANY(%s)", (key, ordinals)
                ).fetchall()
                branches = self._outline(connection, key) if rows else {}
                for row in rows:
                    node = self._stored_node(volume_id, row, branches)
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
            where, parameters = ["f.volume = %s"], [key]
            if kind is not None:
                where.append("f.kind = %s")
                parameters.append(kind)
            if node_ordinal is not None:
                where.append("f.node = %s")
                parameters.append(node_ordinal)
            last = 0
            while True:
                rows = self._rows(
                    f"SELECT f.seq, {_FACT_COLUMNS} FROM facts f WHERE {' AND '.join(where)} AND f.seq > %s"
                    " ORDER BY f.seq LIMIT %s",
                    [*parameters, last, BATCH],
                )
                for row in rows:
                    yield Fact(
                        id=row[1],
                        kind=row[2],
                        volume=volume_id,
                        node_id=records.node_id(volume_id, row[3]),
                        line_start=row[4],
                        line_end=row[5],
                        page=row[6],
                        data=json.loads(row[7]),
                        extractor=row[8],
                        warnings=records.warnings_of(row[9]),
                    )
                if len(rows) < BATCH:
                    break
                last = rows[-1][0]

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]:
        if end < start or end < 1:
            return []
        first, last = records.chunk_span(start, end)
        rows = self._rows(
            "SELECT c.chunk, c.lines FROM source_chunks c JOIN volumes v ON v.key = c.volume"
            " WHERE v.id = %s AND c.chunk BETWEEN %s AND %s ORDER BY c.chunk",
            (volume_id, first, last),
        )
        return records.lines_in_chunks(((number, bytes(data)) for number, data in rows), start, end)

    def count_nodes(self, volume_id: str) -> dict[str, int]:
        return self._counts(volume_id)[0]

    def count_facts(self, volume_id: str) -> dict[str, int]:
        return self._counts(volume_id)[1]

    def _counts(self, volume_id: str) -> tuple[dict[str, int], dict[str, int]]:
        row = self._one("SELECT node_counts, fact_counts FROM volumes WHERE id = %s", (volume_id,))
        if row is None:
            return {}, {}
        return json.loads(row[0]), json.loads(row[1])

    def volume_counts(
        self, limit: int | None = None, offset: int = 0
    ) -> list[tuple[Volume, dict[str, int], dict[str, int]]]:
        rows = self._rows(
            "SELECT id, kind, title, year, source_file, source_sha256, attributes, node_counts, fact_counts"
            ' FROM volumes ORDER BY id COLLATE "C" LIMIT %s OFFSET %s',
            (limit, offset),
        )
        return [(_volume(row), json.loads(row[7]), json.loads(row[8])) for row in rows]

    def count_volumes(self) -> int:
        return int(self._one("SELECT count(*) FROM volumes")[0])  # type: ignore[index]

    def size(self) -> int:
        """Bytes the database takes on disk (tables, indexes and TOAST)."""
        return int(self._one("SELECT pg_database_size(current_database())")[0])  # type: ignore[index]

    def close(self) -> None:
        self._pool.close()


def _create_database(url: str, shown: str) -> None:
    """Create the database the URL names when it does not exist yet (as SQLite creates its file)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        with psycopg.connect(url, connect_timeout=10):
            return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise KnowledgeBaseError(f"{shown}: cannot connect ({_reason(error)})") from None
    name = conninfo_to_dict(url).get("dbname")
    try:
        with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True, connect_timeout=10) as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
    except psycopg.errors.DuplicateDatabase:
        return
    except psycopg.Error as error:
        raise KnowledgeBaseError(
            f"{shown}: the database does not exist and cannot be created ({_reason(error)})"
        ) from None


def _connection_error(url: str, shown: str) -> KnowledgeBaseError:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10):
            pass
    except psycopg.Error as error:
        if "does not exist" in str(error):
            return KnowledgeBaseError(
                f"{shown}: no knowledge base here; create one with `fangzhi ingest FILE --db {shown}`"
            )
        return KnowledgeBaseError(f"{shown}: cannot connect ({_reason(error)})")
    return KnowledgeBaseError(f"{shown}: cannot connect (no connection within 10 s)")


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _volume(row: Sequence[Any]) -> Volume:
    return Volume(
        id=row[0],
        kind=row[1],
        title=row[2],
        year=row[3],
        source_file=row[4],
        source_sha256=row[5],
        attributes=json.loads(row[6]),
    )
