"""The store interface every backend implements.

Services (search, ask, check, export, web) talk only to this interface, so a
PostgreSQL backend can replace SQLite without touching them.  A service that
needs a new kind of read adds a method here and to every backend; it never
reaches for a driver connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from fangzhi.model import Document, Fact, Volume


@dataclass
class StoredNode:
    """A node as read back from the store, with its ancestors' titles for citing."""

    id: str
    volume: str
    parent: str | None
    ordinal: int
    kind: str
    title: str | None
    text: str
    level: int
    page: int | None
    page_end: int | None
    line_start: int
    line_end: int
    attributes: dict[str, Any] = field(default_factory=dict)
    path: list[dict[str, Any]] = field(default_factory=list)

    def ancestor_title(self, kind: str) -> str | None:
        for step in reversed(self.path):
            if step["kind"] == kind:
                return step["title"]
        return None


class Store(Protocol):
    def replace_volume(self, document: Document, facts: list[Fact]) -> None:
        """Store a parsed volume atomically, replacing any earlier copy of it."""

    def delete_volume(self, volume_id: str) -> bool: ...

    def volumes(self) -> list[Volume]: ...

    def volume(self, volume_id: str) -> Volume: ...

    def nodes(
        self, volume: str | None = None, kind: str | None = None, parent: str | None = None, top_level: bool = False
    ) -> Iterator[StoredNode]:
        """Nodes in reading order; ``top_level`` keeps only those directly under a volume."""

    def node(self, node_id: str) -> StoredNode: ...

    def nodes_by_id(self, node_ids: Sequence[str]) -> dict[str, StoredNode]:
        """The nodes with these ids that exist, by id (one query, not one per id)."""

    def facts(
        self, kind: str | None = None, volume: str | None = None, node_id: str | None = None
    ) -> Iterator[Fact]: ...

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]: ...

    def count_nodes(self, volume_id: str) -> dict[str, int]: ...

    def count_facts(self, volume_id: str) -> dict[str, int]: ...

    def close(self) -> None: ...
