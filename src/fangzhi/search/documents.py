"""What of a node is searched, and which facet group it counts in: the same for every index."""

from __future__ import annotations

from typing import Any

from fangzhi.model import NodeKind
from fangzhi.store.base import StoredNode

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
LONG_TEXT = 4000


def indexed_text(node: StoredNode) -> str:
    """The text of a node as searched and shown in snippets.

    A table's cells live in its attributes, not in ``text``, so its columns and
    rows are indexed as one text, a row to a line.
    """
    if node.kind != NodeKind.TABLE:
        return node.text or ""
    lines = [node.text] if node.text else []
    columns = node.attributes.get("columns")
    if isinstance(columns, list) and columns:
        lines.append(" ".join(_cell(value) for value in columns))
    rows = node.attributes.get("rows")
    if isinstance(rows, list):
        for row in rows:
            cells = row if isinstance(row, list) else [row]
            lines.append(" ".join(_cell(value) for value in cells))
    return "\n".join(line for line in lines if line)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def chapter_of(node: StoredNode) -> str | None:
    if node.kind == NodeKind.CHAPTER:
        return node.title
    return node.ancestor_title(NodeKind.CHAPTER)


def section_of(node: StoredNode) -> str | None:
    if node.kind == NodeKind.SECTION:
        return node.title
    return node.ancestor_title(NodeKind.SECTION)
