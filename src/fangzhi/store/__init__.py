"""The knowledge base's storage: one narrow interface, two engines (SQLite embedded, PostgreSQL shared)."""

from __future__ import annotations

from pathlib import Path

from fangzhi.store.base import Store, StoredNode
from fangzhi.store.sqlite import SQLiteStore


def is_database_url(location: str | Path) -> bool:
    """Whether ``--db`` names a PostgreSQL database (``postgresql://…``) rather than an SQLite file."""
    from fangzhi.store.postgres import is_postgres_url

    return is_postgres_url(str(location))


def open_store(
    location: str | Path,
    create: bool = True,
    read_only: bool = False,
    lock_timeout: float | None = None,
    pool_size: int | None = None,
) -> Store:
    """The store at ``location``: a ``postgresql://`` URL or the path of an SQLite file.

    ``pool_size`` is how many connections a PostgreSQL store keeps open (the
    readers that can run at once); SQLite opens one per thread.
    """
    if is_database_url(location):
        from fangzhi.store.postgres import DEFAULT_POOL_SIZE, PostgresStore

        return PostgresStore(
            str(location), create=create, read_only=read_only, pool_size=pool_size or DEFAULT_POOL_SIZE
        )
    if lock_timeout is None:
        return SQLiteStore(location, create=create, read_only=read_only)
    return SQLiteStore(location, create=create, read_only=read_only, lock_timeout=lock_timeout)


__all__ = ["Store", "StoredNode", "SQLiteStore", "open_store", "is_database_url"]
