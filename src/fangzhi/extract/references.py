"""References to documents by 文号, in every kind of volume.

Every 文号 in the raw lines is a record: where it is (volume, deepest node
covering the line, line) and its normalised form.  Whether it resolves to a
document in the knowledge base is decided when the records are read, since
the document may be ingested later.
"""

from __future__ import annotations

from fangzhi.model import Document, Fact, Node
from fangzhi.parse.doc_number import find_in_lines

EXTRACTOR = "references.v1"


def _deepest_nodes(document: Document) -> list[tuple[int, int, int, Node]]:
    spans = [(node.line_start, node.line_end, len(ancestors), node) for node, ancestors in document.walk()]
    return spans


def deepest_node(spans: list[tuple[int, int, int, Node]], line: int, root: Node) -> Node:
    """The deepest node whose line range covers ``line`` (the root when none does)."""
    best: Node = root
    best_depth = -1
    for start, end, depth, node in spans:
        if start <= line <= end and depth > best_depth:
            best, best_depth = node, depth
    return best


def extract_references(document: Document) -> list[Fact]:
    matches = find_in_lines(document.source.lines)
    if not matches:
        return []
    spans = _deepest_nodes(document)
    facts: list[Fact] = []
    for match in matches:
        node = deepest_node(spans, match.line_start, document.root)
        facts.append(
            Fact(
                kind="reference",
                volume=document.volume.id,
                node_id=node.id,
                line_start=match.line_start,
                line_end=match.line_end,
                page=node.page,
                data={
                    "doc_no": match.doc_no.normalized,
                    "node": node.id,
                    "line": match.line_start,
                    "resolved_document": None,
                },
                extractor=EXTRACTOR,
                warnings=list(match.doc_no.warnings),
            )
        )
    return facts
