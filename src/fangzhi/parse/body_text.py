"""The body text of a yearbook once its furniture is out: what every reader reads from.

:class:`BodyText` bundles the results of the earlier passes (raw lines,
line roles, printed pages) with the few operations every content reader
needs: the text of a line, the body lines of a range, wrapped lines joined
into paragraphs, and the captions and tables found in a range as nodes.
It is read-only: readers return nodes and never change it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from fangzhi.model import CaptionAttributes, Node, NodeKind, TableAttributes
from fangzhi.parse.layouts import EntryMarker, LayoutProfile
from fangzhi.parse.line_roles import LineRoles
from fangzhi.parse.pages import PageMap
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

_PARAGRAPH_END = re.compile(r"[。！？：”]$")

# A container a caption or table can belong to: its first line, last line and node.
Container = tuple[int, int, Node]


@dataclass(frozen=True)
class BodyText:
    source: SourceText
    roles: LineRoles
    pages: PageMap
    profile: LayoutProfile
    _squeezed: dict[int, str] = field(default_factory=dict, compare=False, repr=False)
    _marked: dict[int, tuple[EntryMarker, re.Match[str]] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def markers(self) -> tuple[EntryMarker, ...]:
        return self.profile.entry_markers

    def text_of(self, line: int) -> str:
        """A line as the body reads it: a caption glued to it cut off, a wrapped attribution joined."""
        return self.roles.text.get(line, self.source.line(line))

    def squeezed(self, line: int) -> str:
        found = self._squeezed.get(line)
        if found is None:
            found = self._squeezed[line] = squeeze_spaces(self.text_of(line))
        return found

    def marked_entry(self, line: int) -> tuple[EntryMarker, re.Match[str]] | None:
        """The marker style the line opens an entry with (``【…】``, ``[…]``, ``■…``), if any."""
        if line not in self._marked:
            text = self.text_of(line).strip()
            found = None
            for marker in self.markers:
                match = marker.match(text)
                if match:
                    found = (marker, match)
                    break
            self._marked[line] = found
        return self._marked[line]

    def text_lines(self, start: int, end: int, skip: frozenset[int] = frozenset()) -> list[int]:
        """Body lines of a range: content and attributions that are not empty, less ``skip``."""
        return [
            number
            for number in range(start, end + 1)
            if self.roles.is_text(number) and number not in skip and self.text_of(number).strip()
        ]

    def place(self, node: Node) -> Node:
        node.page = self.pages.page_of_line(node.line_start)
        node.page_end = self.pages.page_of_line(node.line_end)
        return node

    def paragraphs_text(self, lines: Sequence[int], overrides: dict[int, str] | None = None) -> str:
        """Join wrapped lines, starting a new paragraph after a short line that ends a sentence."""
        overrides = overrides or {}
        texts = [squeeze_spaces(overrides.get(n, self.text_of(n))) for n in lines]
        texts = [text for text in texts if text]
        if not texts:
            return ""
        width = statistics.median_high([len(t) for t in texts]) if len(texts) > 2 else max(len(t) for t in texts)
        paragraphs: list[list[str]] = [[]]
        for text in texts:
            paragraphs[-1].append(text)
            if _PARAGRAPH_END.search(text) and len(text) < width - 1:
                paragraphs.append([])
        return "\n".join(join_lines(p) for p in paragraphs if p)

    def furniture_nodes(self, start: int, end: int) -> list[Node]:
        """Caption and table nodes whose first line lies in the range."""
        nodes = []
        for line in range(start, end + 1):
            caption = self.roles.captions.get(line)
            if caption is not None:
                nodes.append(
                    self.place(
                        Node(
                            kind=NodeKind.CAPTION,
                            title=None,
                            line_start=caption.line_start,
                            line_end=caption.line_end,
                            text=caption.text,
                            attributes=CaptionAttributes(credit=caption.credit),
                        )
                    )
                )
            table = self.roles.tables.get(line)
            if table is not None:
                nodes.append(
                    self.place(
                        Node(
                            kind=NodeKind.TABLE,
                            title=table.caption,
                            line_start=table.line_start,
                            line_end=table.line_end,
                            text="\n".join(" | ".join(row) for row in [table.columns, *table.rows]),
                            attributes=TableAttributes(columns=list(table.columns), rows=[list(r) for r in table.rows]),
                        )
                    )
                )
        return nodes

    def attach_furniture(self, containers: Sequence[Container], fallback: Node, start: int, end: int) -> None:
        """Put each caption and table under the deepest container whose lines surround it."""
        for item in self.furniture_nodes(start, end):
            owner = fallback
            for first, last, container in containers:
                if first <= item.line_start <= last:
                    owner = container
            owner.add(item)
