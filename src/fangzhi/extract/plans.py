"""What ``rules.v1`` and ``targets.v1`` read: the plans of a document and the text blocks of each.

A gazette or a web page holds documents, each a plan that may state rules
or promise targets; a standalone text is one plan.  A plan's text is in its
paragraphs and in the own text of its numbered sections, and a rule or
target is cited with the sections it stands in.
"""

from __future__ import annotations

from collections.abc import Iterator

from fangzhi.model import Document, Node, NodeKind


def plans(document: Document) -> list[Node]:
    """The documents of a volume, or the whole volume when it is one text."""
    return document.nodes(NodeKind.DOCUMENT) or [document.root]


def text_blocks(plan: Node) -> Iterator[tuple[Node, list[Node]]]:
    """Every paragraph and section with text, in reading order, with the sections it stands in (itself included)."""
    for node, ancestors in plan.walk():
        if node.kind not in (NodeKind.PARAGRAPH, NodeKind.DOCUMENT_SECTION) or not node.text.strip():
            continue
        sections = [ancestor for ancestor in ancestors if ancestor.kind == NodeKind.DOCUMENT_SECTION]
        if node.kind == NodeKind.DOCUMENT_SECTION:
            sections.append(node)
        yield node, sections
