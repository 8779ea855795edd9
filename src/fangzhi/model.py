"""The one document model every stage shares.

A :class:`Document` is what parsing produces from one source file: its
:class:`Volume`, the raw :class:`~fangzhi.text.source.SourceText` and a tree of
:class:`Node` objects.  Extractors turn a document into :class:`Fact` records.
Every node and every fact carries provenance (volume, 1-based source line range
and printed page), so anything shown to a user can be cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
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


def as_warning(value: ParseWarning | str) -> ParseWarning:
    """A warning as a :class:`ParseWarning`; free text from older components gets the code ``note``.

    A leading ``line N:`` in free text becomes the warning's line.
    """
    if isinstance(value, ParseWarning):
        return value
    match = _LINE_PREFIX.match(value)
    if match:
        return ParseWarning("note", match.group("message"), int(match.group("line")))
    return ParseWarning("note", value)


_LINE_PREFIX = re.compile(r"^line (?P<line>\d+): (?P<message>.+)$", re.DOTALL)


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


class NodeAttributes:
    """Base of the typed attributes a node kind carries.

    Parsers build one dataclass per node kind, so a reader of a chapter or an
    entry sees its fields and their types instead of guessing string keys.  The
    store writes them as their fields (:meth:`to_dict`) and reads them back as a
    plain dict, which is what exports and web templates use.
    """

    def to_dict(self) -> dict[str, Any]:
        return {item.name: _plain(getattr(self, item.name)) for item in fields(self)}  # type: ignore[arg-type]

    # Read by name like the stored dict, so code that reads parse-time and stored nodes alike
    # (extractors, services) needs one access; writing goes through the typed fields only.

    def _names(self) -> set[str]:
        return {item.name for item in fields(self)}  # type: ignore[arg-type]

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self._names() else default

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self._names()


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def attributes_dict(attributes: NodeAttributes | dict[str, Any]) -> dict[str, Any]:
    """A node's attributes as a plain dict, whether typed or not (yet) typed."""
    return attributes.to_dict() if isinstance(attributes, NodeAttributes) else dict(attributes)


@dataclass
class ChapterAttributes(NodeAttributes):
    """A 类目.  ``found_by`` names the evidence it was found from (see :mod:`fangzhi.parse.chapters`)."""

    number: int | None = None
    printed_title: str | None = None
    found_by: str = ""
    title_lines: list[int] = field(default_factory=list)


@dataclass
class EntryAttributes(NodeAttributes):
    """A 条目: its title marker as printed, writers from the attribution after it, an award for profiles."""

    marker: str = "【】"
    contributors: list[str] = field(default_factory=list)
    attribution_line: int | None = None
    profile: bool = False
    award: str | None = None


@dataclass
class ParagraphAttributes(NodeAttributes):
    """Untitled text; inside a block of entries it shares the block's writers."""

    contributors: list[str] | None = None
    attribution_line: int | None = None


@dataclass
class CaptionAttributes(NodeAttributes):
    credit: str | None = None


@dataclass
class TableAttributes(NodeAttributes):
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class ArticleAttributes(NodeAttributes):
    """An article or appendix document: the byline lines printed with its title (date, speaker)."""

    byline: list[str] = field(default_factory=list)


@dataclass
class IndexReference(NodeAttributes):
    topic: str
    pages: list[int]
    line: int


@dataclass
class IndexAttributes(NodeAttributes):
    references: list[IndexReference] = field(default_factory=list)


@dataclass
class ListedChapter(NodeAttributes):
    """A chapter as a bookmark list or a 目录 lists it, with the pages it gives."""

    number: int | None
    name: str
    first_page: int | None
    last_page: int | None
    line: int
    level: int = 1


@dataclass
class ContentsAttributes(NodeAttributes):
    """A bookmark list or a 目录: what it lists, and which kind it is (``bookmarks`` or ``contents``)."""

    source: str
    chapters: list[ListedChapter] = field(default_factory=list)


@dataclass
class EditorialNotesAttributes(NodeAttributes):
    """Counts an 编辑说明 or 凡例 declares (``chapters``, ``sections``, ``entries``, ``tables``, ``pictures``)."""

    declared: dict[str, int] = field(default_factory=dict)


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
    attributes: Any = field(default_factory=dict)
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
