"""The search index kept inside the SQLite knowledge base."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from fangzhi.model import Fact
from fangzhi.store.base import StoredNode


class SQLiteSearchIndex:
    name = "search"
    migrations: list[tuple[str, str]] = []

    def index(self, connection: sqlite3.Connection, nodes: Sequence[StoredNode], facts: Sequence[Fact]) -> None:
        return None

    def remove(self, connection: sqlite3.Connection, volume_id: str) -> None:
        return None
