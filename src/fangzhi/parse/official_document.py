"""Standalone documents: any text that is neither a yearbook nor a gazette."""

from __future__ import annotations

from fangzhi.model import Document, Node, NodeKind, Volume
from fangzhi.text.normalize import join_lines
from fangzhi.text.source import SourceText


def paragraphs(source: SourceText, start: int = 1, end: int | None = None) -> list[Node]:
    """Split lines into paragraphs at blank lines."""
    end = end or len(source)
    found: list[Node] = []
    block: list[int] = []
    for number in range(start, end + 1):
        if source.line(number).strip():
            block.append(number)
            continue
        if block:
            found.append(_paragraph(source, block))
            block = []
    if block:
        found.append(_paragraph(source, block))
    return found


def _paragraph(source: SourceText, numbers: list[int]) -> Node:
    return Node(
        kind=NodeKind.PARAGRAPH,
        title=None,
        line_start=numbers[0],
        line_end=numbers[-1],
        text=join_lines(source.line(n) for n in numbers),
    )


def parse_official_document(source: SourceText, volume_id: str) -> Document:
    body = paragraphs(source)
    title = body[0].text[:80] if body else volume_id
    volume = Volume(
        id=volume_id,
        kind="document",
        title=title,
        year=None,
        source_file=source.path,
        source_sha256=source.sha256,
    )
    root = Node(kind=NodeKind.VOLUME, title=title, line_start=1, line_end=max(len(source), 1))
    root.children.extend(body)
    return Document(volume=volume, source=source, root=root)
