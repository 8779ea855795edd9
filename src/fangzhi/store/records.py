"""How a parsed volume becomes rows, the same for every engine.

Kept compact on purpose, because a national corpus is a hundred thousand
volumes:

- a volume gets an integer ``key`` that every other row carries, instead of
  its file-name id;
- the raw lines are stored once, in zlib-compressed chunks of
  :data:`LINES_PER_CHUNK` lines (a citation reads one or two chunks);
- a node is keyed by its volume and reading-order ordinal (its id,
  ``{volume}:{ordinal}``, is derived) and stores its parent's ordinal, not
  its ancestors' titles: the path is rebuilt from the volume's outline
  (:class:`Outline`);
- the counts per kind that ``stats`` and the home page show are counted once,
  at ingest (:func:`volume_counts`), not by scanning facts on every read.

A volume's key is never reused: re-ingesting a volume gives it a new key, so
anything cached by key (an outline) can never be stale.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fangzhi.errors import KnowledgeBaseError, NotFoundError
from fangzhi.model import Document, Fact, ParseWarning
from fangzhi.store.base import StoredNode

LINES_PER_CHUNK = 1024
COMPRESSION_LEVEL = 6
LAST_LINE = 2**62


def line_chunks(lines: Sequence[str]) -> Iterator[tuple[int, bytes]]:
    """The raw lines as (chunk number, compressed bytes); chunk ``n`` holds lines ``n * N + 1`` to ``(n + 1) * N``.

    Lines never contain a newline (:func:`fangzhi.text.source.decode_source`
    splits on every line terminator), so a chunk is its lines joined by one.
    """
    for number, start in enumerate(range(0, len(lines), LINES_PER_CHUNK)):
        text = "\n".join(lines[start : start + LINES_PER_CHUNK])
        yield number, zlib.compress(text.encode("utf-8"), COMPRESSION_LEVEL)


def chunk_span(start: int, end: int) -> tuple[int, int]:
    """The chunk numbers that hold lines ``start``..``end`` (1-based, inclusive)."""
    start = max(start, 1)
    end = min(max(end, start), LAST_LINE)
    return (start - 1) // LINES_PER_CHUNK, (end - 1) // LINES_PER_CHUNK


def lines_in_chunks(chunks: Iterable[tuple[int, bytes]], start: int, end: int) -> list[str]:
    """Lines ``start``..``end`` out of the chunks that hold them (in chunk order)."""
    lines: list[str] = []
    first_line = None
    for number, data in chunks:
        if first_line is None:
            first_line = number * LINES_PER_CHUNK + 1
        lines.extend(zlib.decompress(data).decode("utf-8").split("\n"))
    if first_line is None or end < start:
        return []
    return lines[max(start, 1) - first_line : end - first_line + 1]


@dataclass(frozen=True)
class NodeRow:
    """One node as stored: keyed by its ordinal; ``parent`` is the parent's ordinal (None under the volume)."""

    ordinal: int
    parent: int | None
    kind: str
    title: str | None
    text: str
    level: int
    page: int | None
    page_end: int | None
    line_start: int
    line_end: int
    attributes: str
    branch: bool


def node_rows(document: Document) -> list[NodeRow]:
    """The document tree flattened in reading order; ``branch`` marks nodes with children (the outline)."""
    volume_id = document.volume.id
    rows: list[NodeRow] = []
    for ordinal, (node, ancestors) in enumerate(document.walk(), start=1):
        if node_ordinal(node.id, volume_id) != ordinal:
            raise KnowledgeBaseError(f"node {node.id!r} of {volume_id} is not numbered in reading order")
        parent = node_ordinal(ancestors[-1].id, volume_id) if ancestors else None
        rows.append(
            NodeRow(
                ordinal=ordinal,
                parent=parent,
                kind=node.kind,
                title=node.title,
                text=node.text,
                level=node.level,
                page=node.page,
                page_end=node.page_end,
                line_start=node.line_start,
                line_end=node.line_end,
                attributes=to_json(node.attributes.to_dict()),
                branch=bool(node.children),
            )
        )
    return rows


def stored_nodes(document: Document) -> list[StoredNode]:
    """The document's nodes as a store returns them (for indexers, before anything is written)."""
    rows: list[StoredNode] = []
    for ordinal, (node, ancestors) in enumerate(document.walk(), start=1):
        rows.append(
            StoredNode(
                id=node.id,
                volume=document.volume.id,
                parent=ancestors[-1].id if ancestors else None,
                ordinal=ordinal,
                kind=node.kind,
                title=node.title,
                text=node.text,
                level=node.level,
                page=node.page,
                page_end=node.page_end,
                line_start=node.line_start,
                line_end=node.line_end,
                attributes=from_json(to_json(node.attributes.to_dict())),
                path=[{"id": a.id, "kind": a.kind, "title": a.title} for a in ancestors],
            )
        )
    return rows


def node_id(volume_id: str, ordinal: int) -> str:
    return f"{volume_id}:{ordinal}"


def split_node_id(node_id: str) -> tuple[str, int]:
    """The volume id and ordinal of a node id; :class:`NotFoundError` when it cannot be one."""
    volume_id, _, ordinal = node_id.rpartition(":")
    if not volume_id or not ordinal.isascii() or not ordinal.isdigit():
        raise NotFoundError(f"no node with id {node_id!r}")
    return volume_id, int(ordinal)


def node_ordinal(node_id: str, volume_id: str) -> int:
    owner, ordinal = split_node_id(node_id)
    if owner != volume_id:
        raise KnowledgeBaseError(f"node {node_id!r} is not in volume {volume_id!r}")
    return ordinal


def volume_counts(document: Document, facts: Sequence[Fact]) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per kind (and sections per level) and facts per kind, as ``count_nodes``/``count_facts`` return them."""
    nodes: dict[str, int] = {}
    for node, _ in document.walk():
        nodes[node.kind] = nodes.get(node.kind, 0) + 1
        if node.kind == "section":
            key = f"section_level_{node.level}"
            nodes[key] = nodes.get(key, 0) + 1
    counted: dict[str, int] = {}
    for fact in facts:
        counted[fact.kind] = counted.get(fact.kind, 0) + 1
    return nodes, counted


@dataclass(frozen=True)
class Branch:
    kind: str
    title: str | None
    parent: int | None


class Outline:
    """The nodes of a volume that have children, by ordinal: enough to rebuild any node's path.

    Cached per volume key (keys are never reused, so an outline never goes
    stale); the least recently used are dropped beyond :data:`CACHED`.
    """

    CACHED = 256

    def __init__(self) -> None:
        self._volumes: OrderedDict[int, dict[int, Branch]] = OrderedDict()

    def get(self, key: int) -> dict[int, Branch] | None:
        found = self._volumes.get(key)
        if found is not None:
            self._volumes.move_to_end(key)
        return found

    def put(self, key: int, branches: dict[int, Branch]) -> dict[int, Branch]:
        self._volumes[key] = branches
        self._volumes.move_to_end(key)
        while len(self._volumes) > self.CACHED:
            self._volumes.popitem(last=False)
        return branches


def path_of(volume_id: str, parent: int | None, branches: dict[int, Branch]) -> list[dict[str, Any]]:
    """The ancestors of a node whose parent is ``parent``, outermost first, as ``StoredNode.path`` holds them."""
    path: list[dict[str, Any]] = []
    seen: set[int] = set()
    while parent is not None and parent not in seen:
        seen.add(parent)
        branch = branches.get(parent)
        if branch is None:
            break
        path.append({"id": node_id(volume_id, parent), "kind": branch.kind, "title": branch.title})
        parent = branch.parent
    path.reverse()
    return path


def to_json(value: Any) -> str:
    """JSON of stored values; typed records (warnings, attributes) are written as their fields."""
    return json.dumps(value, ensure_ascii=False, default=_fields)


def from_json(text: str | None) -> Any:
    return json.loads(text) if text else None


def _fields(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def warnings_of(text: str) -> list[ParseWarning]:
    """Stored warnings; free text from a knowledge base written before warnings had codes reads as a note."""
    return [
        ParseWarning.from_dict(value) if isinstance(value, dict) else ParseWarning("note", str(value))
        for value in json.loads(text)
    ]
