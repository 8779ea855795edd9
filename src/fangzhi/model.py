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

from fangzhi.text.source import SourceText

SCHEMA_VERSION = 1


class NodeKind:
    """Names of node kinds, one vocabulary for code, database and exports."""

    VOLUME = "volume"
    CHAPTER = "chapter"
    SECTION = "section"
    ENTRY = "entry"
    ARTICLE = "article"
    APPENDIX = "appendix"
    CHRONICLE = "chronicle"
    YEAR = "year"
    MONTH = "month"
    EVENT = "event"
    CAPTION = "caption"
    TABLE = "table"
    PARAGRAPH = "paragraph"
    EDITORIAL_NOTES = "editorial_notes"
    FRONT_MATTER = "front_matter"
    INDEX = "index"
    CONTENTS = "contents"
    DOCUMENT = "document"
    DOCUMENT_SECTION = "document_section"
    ATTACHMENT = "attachment"
    LIST = "list"
    LIST_GROUP = "list_group"
    LIST_ITEM = "list_item"


@dataclass(frozen=True)
class ParseWarning:
    """Something in a text that was not read cleanly, said once, with where it is.

    ``code`` is stable and machine-readable (``pages_unknown``,
    ``chronicle_no_dates``, ``appointment_names_unclear``) so tools can count
    and filter warnings; ``message`` is one sentence for the user; ``line`` is
    the 1-based source line it concerns, when there is one.
    """

    code: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> ParseWarning:
        return cls(code=value["code"], message=value["message"], line=value.get("line"))


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
    through ``line_start``/``line_end`` (1-based, inclusive).
    """

    kind: str
    title: str | None
    line_start: int
    line_end: int
    text: str = ""
    page: int | None = None
    page_end: int | None = None
    level: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    id: str = ""

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
    warnings: list[str] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.volume or self.line_start < 1 or self.line_end < self.line_start:
            raise ValueError(f"fact {self.kind} has no valid provenance")


@dataclass
class Document:
    """A parsed source: its volume, raw text and node tree."""

    volume: Volume
    source: SourceText
    root: Node
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Node, tuple[Node, ...]]]:
        return self.root.walk()

    def nodes(self, kind: str | None = None) -> list[Node]:
        return [node for node, _ in self.walk() if kind is None or node.kind == kind]

    def assign_ids(self) -> None:
        """Give every node a stable id: the volume id and its reading-order ordinal."""
        self.root.id = f"{self.volume.id}:0"
        for ordinal, (node, _) in enumerate(self.walk(), start=1):
            node.id = f"{self.volume.id}:{ordinal}"
