"""The one document model every stage shares.

A :class:`Document` is what parsing produces from one source file: its
:class:`Volume`, the raw :class:`~fangzhi.text.source.SourceText` and a tree of
:class:`Node` objects.  Extractors turn a document into :class:`Fact` records.
Every node and every fact carries provenance (volume, 1-based source line range
and printed page), so anything shown to a user can be cited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fangzhi.model.attributes import ATTRIBUTE_TYPES, NodeAttributes
from fangzhi.model.warning import ParseWarning
from fangzhi.text.source import SourceText

SCHEMA_VERSION = 1


@dataclass
class Volume:
    """One ingested source: a yearbook, a gazette issue or a standalone document."""

    id: str
    kind: str
    title: str
    year: int | None
    source_file: str
    source_sha256: str
    attributes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of_source(
        cls,
        volume_id: str,
        kind: str,
        source: SourceText,
        title: str,
        year: int | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> Volume:
        """A volume fingerprinted by the file it was parsed from."""
        return cls(
            id=volume_id,
            kind=kind,
            title=title,
            year=year,
            source_file=source.path,
            source_sha256=source.sha256,
            attributes=attributes or {},
        )


@dataclass
class Node:
    """An item of the document tree.

    ``text`` is normalised (letter-spacing removed, wrapped lines joined);
    the raw lines stay in the volume's :class:`SourceText` and are reached
    through ``line_start``/``line_end`` (1-based, inclusive).  ``attributes``
    are of the type the node's kind takes (:data:`~fangzhi.model.attributes.ATTRIBUTE_TYPES`):
    a node made without them gets that type, empty, and one of another type is refused,
    so a reader can rely on the fields of its kind.
    """

    kind: str
    title: str | None
    line_start: int
    line_end: int
    text: str = ""
    page: int | None = None
    page_end: int | None = None
    level: int = 0
    attributes: NodeAttributes = None  # type: ignore[assignment]  # filled in by __post_init__
    children: list[Node] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        types = ATTRIBUTE_TYPES.get(self.kind)
        if types is None:
            raise ValueError(f"unknown node kind {self.kind!r}")
        if self.attributes is None:
            self.attributes = types[0]()
        elif type(self.attributes) not in types:
            raise TypeError(f"{self.kind} nodes take {types[0].__name__}, not {type(self.attributes).__name__}")

    def add(self, child: Node) -> Node:
        self.children.append(child)
        return child

    def walk(self, ancestors: tuple[Node, ...] = ()) -> Iterator[tuple[Node, tuple[Node, ...]]]:
        """Yield every node below this one in reading order, with its ancestors."""
        for child in self.children:
            yield child, ancestors
            yield from child.walk(ancestors + (child,))


@dataclass
class Fact:
    """A record an extractor found, with the citation it came from.

    ``extractor`` names the component and its version (``appointments.v1``) so
    that facts from an old and a new extractor never mix silently.
    """

    kind: str
    volume: str
    node_id: str
    line_start: int
    line_end: int
    page: int | None
    data: dict[str, Any]
    extractor: str
    warnings: list[ParseWarning] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.volume or self.line_start < 1 or self.line_end < self.line_start:
            raise ValueError(f"fact {self.kind} has no valid provenance")


@dataclass(frozen=True)
class Furniture:
    """Source lines that are page furniture, not text: footers, running headers, a bookmark list.

    They belong to no node; coverage counts them so that every source line is
    either in a node or accounted for here.
    """

    kind: str
    line_start: int
    line_end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "line_start": self.line_start, "line_end": self.line_end}


@dataclass
class Coverage:
    """How much of a volume's text was understood, reported after ingest.

    ``lines`` counts non-blank source lines; each is in recognised structure
    (entries, sections, events, documents, captions, tables, notes …), in
    untitled paragraphs, or page furniture.  ``share`` is the structured part
    of the lines that are not furniture.
    """

    lines: int
    structured: int
    untitled: int
    furniture: int
    counts: dict[str, int] = field(default_factory=dict)
    read_as_facts: int = 0

    @property
    def share(self) -> float:
        """Structured lines and lines of untitled paragraphs that facts were read from (a news report's
        任免), against all text lines: what fangzhi understood of the text."""
        text = self.structured + self.untitled
        return round((self.structured + self.read_as_facts) / text, 4) if text else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "structured": self.structured,
            "untitled": self.untitled,
            "read_as_facts": self.read_as_facts,
            "furniture": self.furniture,
            "share": self.share,
            "counts": dict(self.counts),
        }


@dataclass
class Document:
    """A parsed source: its volume, raw text and node tree."""

    volume: Volume
    source: SourceText
    root: Node
    warnings: list[ParseWarning] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Node, tuple[Node, ...]]]:
        return self.root.walk()

    def nodes(self, kind: str | None = None) -> list[Node]:
        return [node for node, _ in self.walk() if kind is None or node.kind == kind]

    def assign_ids(self) -> None:
        """Give every node a stable id: the volume id and its reading-order ordinal."""
        self.root.id = f"{self.volume.id}:0"
        for ordinal, (node, _) in enumerate(self.walk(), start=1):
            node.id = f"{self.volume.id}:{ordinal}"
