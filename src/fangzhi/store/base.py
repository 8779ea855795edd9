"""The store interface every backend implements.

Services (search, ask, check, export, web) talk only to this interface, so a
PostgreSQL backend can replace SQLite without touching them.  A service that
needs a new kind of read adds a method here and to every backend; it never
reaches for a driver connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from fangzhi.model import Document, Fact, Volume

if TYPE_CHECKING:
    from fangzhi.search.index import SearchIndex


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
    path: str
    """Where the knowledge base is, as shown in messages (a file path, or a database URL without password)."""

    search_index: SearchIndex
    """The search index kept inside the same engine (see :mod:`fangzhi.search.index`)."""

    def replace_volume(self, document: Document, facts: list[Fact]) -> None:
        """Store a parsed volume atomically, replacing any earlier copy of it."""

    def delete_volume(self, volume_id: str) -> bool: ...

    def volumes(self, ids: Sequence[str] | None = None) -> list[Volume]:
        """Every volume in id order, or only those of ``ids`` that exist."""

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

    def count_nodes(self, volume_id: str) -> dict[str, int]:
        """Nodes per kind (and ``section_level_N``), counted at ingest."""

    def count_facts(self, volume_id: str) -> dict[str, int]:
        """Facts per kind, counted at ingest: one read however large the corpus."""

    def volume_counts(
        self, limit: int | None = None, offset: int = 0
    ) -> list[tuple[Volume, dict[str, int], dict[str, int]]]:
        """A page of volumes in id order, each with its node and fact counts, in one read."""

    def count_volumes(self) -> int: ...

    def close(self) -> None: ...
