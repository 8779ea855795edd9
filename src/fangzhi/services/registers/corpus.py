"""What the registers read: every text node of the store, folded for matching, and the mentions they find.

A mention keeps its citation (volume, node, page, source line) and the words
around it as printed, so a register page can show every mention in context.
Matching runs on folded text (traditional → simplified, full-width →
half-width: 郟县 matches 郏县); context and the form as written come from the
printed text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from fangzhi.model import NodeKind, Volume
from fangzhi.services.registers.divisions import COUNTY, LEVEL_RANK, PREFECTURE, Division, division_table
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.normalize import fold_for_search, squeeze_spaces

# Node kinds whose text is the book's own prose.  The printed index and table of
# contents repeat titles, and containers (chapters, sections) have no text.
SKIPPED_KINDS = {NodeKind.INDEX, NodeKind.CONTENTS}
CONTEXT = 24

T = TypeVar("T")


@dataclass
class Mention:
    """One place a register item is named, with its citation and context."""

    volume: str
    node_id: str
    page: int | None
    line: int
    role: str
    as_written: str
    before: str = ""
    after: str = ""
    title: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "volume": self.volume,
            "node_id": self.node_id,
            "page": self.page,
            "line": self.line,
            "role": self.role,
            "as_written": self.as_written,
            "before": self.before,
            "after": self.after,
            "title": self.title,
            "date": self.date,
        }

    @property
    def source(self) -> str:
        """A short citation: volume, printed page where known, source line."""
        page = f" p.{self.page}" if self.page is not None else ""
        return f"{self.volume}{page} L{self.line}"


@dataclass
class TextNode:
    node: StoredNode
    text: str
    folded: str

    def context(self, start: int, end: int) -> tuple[str, str, str]:
        return (
            self.text[max(0, start - CONTEXT) : start].replace("\n", " "),
            self.text[start:end],
            self.text[end : end + CONTEXT].replace("\n", " "),
        )


@dataclass
class Corpus:
    """The store's volumes and text nodes, read once for all three registers."""

    volumes: list[Volume]
    nodes: list[TextNode]
    by_id: dict[str, StoredNode]
    lines: dict[str, list[str]] = field(default_factory=dict)
    _folded_lines: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _homes: dict[str, Division | None] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, store: Store, volumes: list[Volume] | None = None) -> Corpus:
        chosen = store.volumes() if volumes is None else volumes
        nodes: list[TextNode] = []
        by_id: dict[str, StoredNode] = {}
        lines: dict[str, list[str]] = {}
        for volume in chosen:
            lines[volume.id] = store.source_lines(volume.id, 1, 1 << 62)
            for node in store.nodes(volume=volume.id):
                by_id[node.id] = node
                if node.kind in SKIPPED_KINDS or not node.text:
                    continue
                folded = fold_for_search(node.text)
                nodes.append(TextNode(node, node.text, folded if len(folded) == len(node.text) else node.text))
        return cls(chosen, nodes, by_id, lines)

    def home(self, volume: Volume) -> Division | None:
        """The place a volume is about: the one its title names, else the one its text names most often.

        A yearbook or gazette names its place in the title (平顶山年鉴); a
        standalone document or news page may not, but it names its city or
        county again and again (泉州市).
        """
        if volume.id not in self._homes:
            table = division_table()
            found = table.named_by(volume.title)
            if found is None:
                counts: Counter[str] = Counter()
                scanner = _full_names_scanner()
                for text_node in self.nodes:
                    if text_node.node.volume == volume.id:
                        counts.update(division.code for _, _, division in scanner.finditer(text_node.folded))
                if counts:
                    best = max(counts, key=lambda code: (counts[code], -LEVEL_RANK[table.by_code[code].level]))
                    found = table.by_code[best]
            self._homes[volume.id] = found
        return self._homes[volume.id]

    def line_of(self, node: StoredNode, needle: str) -> int:
        """The source line of a node that prints ``needle`` (spaces squeezed), else the node's first line."""
        source = self._matchable_lines(node.volume)
        target = fold_for_search(needle)
        for number in range(node.line_start, min(node.line_end, len(source)) + 1):
            if target in source[number - 1]:
                return number
        return node.line_start

    def _matchable_lines(self, volume: str) -> list[str]:
        lines = self._folded_lines.get(volume)
        if lines is None:
            lines = [fold_for_search(squeeze_spaces(line)) for line in self.lines.get(volume, [])]
            self._folded_lines[volume] = lines
        return lines

    def mention(
        self,
        text_node: TextNode,
        start: int,
        end: int,
        role: str,
        title: str | None = None,
        date: str | None = None,
    ) -> Mention:
        before, written, after = text_node.context(start, end)
        node = text_node.node
        return Mention(
            volume=node.volume,
            node_id=node.id,
            page=node.page,
            line=self.line_of(node, written),
            role=role,
            as_written=written,
            before=before,
            after=after,
            title=title,
            date=date,
        )

    def cited(self, node_id: str, line: int, role: str, as_written: str, **extra: Any) -> Mention:
        """A mention found by an extractor (a fact), cited at its own line."""
        node = self.by_id.get(node_id)
        volume = node.volume if node else node_id.split(":", 1)[0]
        context = ""
        if node is not None and line <= len(self.lines.get(volume, [])):
            context = squeeze_spaces(self.lines[volume][line - 1])
        return Mention(
            volume=volume,
            node_id=node_id,
            page=node.page if node else None,
            line=line,
            role=role,
            as_written=as_written,
            before="",
            after=context,
            **extra,
        )


class NameScanner(Generic[T]):
    """Finds known names in text, leftmost-longest and without overlaps.

    A plain dictionary lookup per position (by first character, then by the
    lengths of names starting with it) is fast enough for a volume of prose
    and needs no compiled alternation of thousands of names.
    """

    def __init__(self, names: dict[str, T]) -> None:
        self.names = names
        lengths: dict[str, set[int]] = defaultdict(set)
        for name in names:
            if name:
                lengths[name[0]].add(len(name))
        self.lengths = {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}

    def finditer(self, text: str) -> Iterator[tuple[int, int, T]]:
        position = 0
        length = len(text)
        lengths = self.lengths
        names = self.names
        while position < length:
            sizes = lengths.get(text[position])
            if sizes:
                for size in sizes:
                    found = names.get(text[position : position + size])
                    if found is not None:
                        yield position, position + size, found
                        position += size
                        break
                else:
                    position += 1
            else:
                position += 1


@lru_cache(maxsize=1)
def _full_names_scanner() -> NameScanner[Division]:
    """Prefectures and county-level divisions by full name, where one name means one division."""
    table = division_table()
    names: dict[str, Division] = {}
    for name, divisions in table.by_name.items():
        if len(divisions) == 1 and divisions[0].level in (PREFECTURE, COUNTY):
            names[name] = divisions[0]
    return NameScanner(names)
