"""The knowledge base's storage: a narrow interface and its SQLite implementation."""

from fangzhi.store.base import Store, StoredNode
from fangzhi.store.sqlite import SQLiteStore

__all__ = ["Store", "StoredNode", "SQLiteStore"]
