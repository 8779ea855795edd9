"""The knowledge base: the library's front door.

The CLI, the HTTP API and the web pages all make one call into this class and
format what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fangzhi.extract import extract_facts
from fangzhi.model import Document, Fact, Volume
from fangzhi.parse import parse_source
from fangzhi.services import exports, reading, timeline
from fangzhi.services.citation import Citation, cite_node
from fangzhi.store.base import Store, StoredNode
from fangzhi.store.sqlite import SQLiteStore
from fangzhi.text.source import read_source

if TYPE_CHECKING:
    from datetime import date

    from fangzhi.search import SearchResult
    from fangzhi.services.ask import Answer
    from fangzhi.services.check import CheckReport

Progress = Callable[[str], None]


@dataclass
class IngestResult:
    volume: Volume
    nodes: int
    facts: int
    warnings: list[str] = field(default_factory=list)
    replaced: bool = False


def build_document(path: str | Path, volume_id: str | None = None) -> tuple[Document, list[Fact]]:
    """Read, parse and extract one source file without touching any store."""
    source = read_source(path)
    document = parse_source(source, volume_id)
    return document, extract_facts(document)


class KnowledgeBase:
    """Volumes, their node trees and facts, behind a store.

    The knowledge base only composes: each method hands its store to one
    service (reading, timeline, exports, search), and services never import
    this class, so they run the same on any :class:`~fangzhi.store.base.Store`.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def ingest(self, path: str | Path, volume_id: str | None = None, progress: Progress | None = None) -> IngestResult:
        """Parse a file and store it as one volume, replacing an earlier copy atomically."""
        report = progress or (lambda message: None)
        report(f"reading and parsing {path}")
        document, facts = build_document(path, volume_id)
        replaced = any(volume.id == document.volume.id for volume in self.store.volumes())
        report(f"storing {document.volume.id}")
        self.store.replace_volume(document, facts)
        warnings = list(document.warnings) + [w for fact in facts for w in fact.warnings]
        return IngestResult(
            volume=document.volume,
            nodes=sum(1 for _ in document.walk()),
            facts=len(facts),
            warnings=warnings,
            replaced=replaced,
        )

    def volumes(self) -> list[Volume]:
        return self.store.volumes()

    def volume(self, volume_id: str) -> Volume:
        return self.store.volume(volume_id)

    def node(self, node_id: str) -> StoredNode:
        return self.store.node(node_id)

    def children(self, node_id: str) -> list[StoredNode]:
        return list(self.store.nodes(parent=node_id))

    def nodes(self, volume: str | None = None, kind: str | None = None) -> Iterator[StoredNode]:
        return self.store.nodes(volume=volume, kind=kind)

    def top_nodes(self, volume_id: str) -> list[StoredNode]:
        """The nodes directly under a volume (a yearbook's chapters, a gazette's documents)."""
        self.store.volume(volume_id)
        return list(self.store.nodes(volume=volume_id, top_level=True))

    def neighbours(self, node_id: str) -> tuple[StoredNode | None, StoredNode | None]:
        """The previous and next node of the same kind under the same parent, for reading on."""
        return reading.neighbours(self.store, self.node(node_id))

    def read(self, node_id: str) -> reading.Reading:
        """A node as it reads in the book: text, blocks inside it, facts, neighbours and citation."""
        return reading.read_node(self.store, node_id)

    def cite(self, node_id: str) -> Citation:
        """A GB/T 7714 style citation of a node, with its printed page."""
        node = self.node(node_id)
        return cite_node(node, self.volume(node.volume))

    def facts(self, kind: str | None = None, volume: str | None = None, node_id: str | None = None) -> list[Fact]:
        return list(self.store.facts(kind=kind, volume=volume, node_id=node_id))

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]:
        return self.store.source_lines(volume_id, start, end)

    def search(self, query: str, limit: int = 10, offset: int = 0, **filters: Any) -> SearchResult:
        """Full-text search over every volume; filters: volume, kind, chapter, year, page_from, page_to."""
        from fangzhi.search import search

        return search(self.store, query, limit=limit, offset=offset, **filters)

    def ask(self, question: str) -> Answer:
        """Answer a question in Chinese from the facts and text of every volume, with the page it is printed on."""
        from fangzhi.services.ask import ask

        return ask(self.store, question)

    def timeline(
        self, date_from: str | date | None = None, date_to: str | date | None = None, person: str | None = None
    ) -> list[timeline.TimelineEvent]:
        """Chronicle events of every volume in date order, the same event in two sources linked."""
        return timeline.timeline(self.store, date_from=date_from, date_to=date_to, person=person)

    def check(self, volume: str | None = None, min_confidence: float | None = None) -> CheckReport:
        """The editor's consistency report: figures, names and dates that disagree, most confident first."""
        from fangzhi.services import check

        if min_confidence is None:
            return check.check(self.store, volume=volume)
        return check.check(self.store, volume=volume, min_confidence=min_confidence)

    def stats(self) -> list[dict[str, Any]]:
        """Counts of nodes and facts per volume."""
        return [exports.volume_stats(self.store, volume) for volume in self.volumes()]

    def export(self, kind: str) -> Iterator[dict[str, Any]]:
        return exports.export_rows(self.store, kind)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_knowledge_base(path: str | Path, create: bool = True) -> KnowledgeBase:
    """Open (or create) the SQLite knowledge base at ``path``."""
    return KnowledgeBase(SQLiteStore(path, create=create))
