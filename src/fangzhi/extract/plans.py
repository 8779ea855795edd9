"""What ``rules.v1`` and ``targets.v1`` read: the plans of a document and the text blocks of each.

A gazette or a web page holds documents, each a plan that may state rules
or promise targets; a standalone text is one plan.  A plan's text is in its
paragraphs and in the own text of its numbered sections, and a rule or
target is cited with the sections it stands in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from fangzhi.model import Document, Node, NodeKind
from fangzhi.text.located import CitableText

PlanTextKind = TypeVar("PlanTextKind", bound="PlanText")


@dataclass(kw_only=True)
class PlanText(CitableText):
    """The text of one node of a plan, citable by any stretch of it."""

    node: Node

    @classmethod
    def of(cls: type[PlanTextKind], node: Node, document: Document, **fields: Any) -> PlanTextKind:
        """The node's text read from ``document``'s source; ``fields`` are what a subclass adds."""
        return cls(node.text, node.line_start, node.line_end, document.source.line, node=node, **fields)


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
