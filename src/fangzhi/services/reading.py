"""A node as it reads in the book: its text, what is printed inside it, its neighbours and its citation.

Structural children (sections, entries, documents) are listed, not expanded,
so a chapter reads as a table of contents; block children (paragraphs,
tables, captions, events, list items, document sections) are part of the
node's text and are expanded in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fangzhi.model import Fact, NodeKind, Volume
from fangzhi.services.citation import Citation, cite_node
from fangzhi.store.base import Store, StoredNode

BLOCK_KINDS = frozenset(
    {
        NodeKind.PARAGRAPH,
        NodeKind.CAPTION,
        NodeKind.TABLE,
        NodeKind.LIST,
        NodeKind.LIST_GROUP,
        NodeKind.LIST_ITEM,
        NodeKind.EVENT,
        NodeKind.CHRONICLE,
        NodeKind.MONTH,
        NodeKind.DOCUMENT_SECTION,
        NodeKind.ATTACHMENT,
    }
)

# A bound on how much one page expands, so that a badly parsed volume
# (everything one level deep) still renders quickly.
MAX_EXPANDED = 2000


@dataclass
class Block:
    """A child of the node read: expanded with its own blocks, or only listed."""

    node: StoredNode
    expanded: bool
    children: list[Block] = field(default_factory=list)


@dataclass
class Reading:
    volume: Volume
    node: StoredNode
    blocks: list[Block]
    facts: list[Fact]
    previous: StoredNode | None
    next: StoredNode | None
    citation: Citation
    truncated: bool = False
    repealed_by: list[Fact] = field(default_factory=list)


def is_block(node: StoredNode) -> bool:
    return node.kind in BLOCK_KINDS


def neighbours(store: Store, node: StoredNode) -> tuple[StoredNode | None, StoredNode | None]:
    """The previous and next node of the same kind under the same parent."""
    if node.parent:
        siblings = list(store.nodes(parent=node.parent))
    else:
        siblings = list(store.nodes(volume=node.volume, top_level=True))
    same_kind = [sibling for sibling in siblings if sibling.kind == node.kind]
    for position, sibling in enumerate(same_kind):
        if sibling.id == node.id:
            previous = same_kind[position - 1] if position > 0 else None
            following = same_kind[position + 1] if position + 1 < len(same_kind) else None
            return previous, following
    return None, None


def read_node(store: Store, node_id: str) -> Reading:
    node = store.node(node_id)
    volume = store.volume(node.volume)
    budget = [MAX_EXPANDED]
    blocks = _blocks(store, node.id, budget)
    facts = list(store.facts(node_id=node.id))
    for block in _expanded(blocks):
        facts.extend(store.facts(node_id=block.node.id))
    previous, following = neighbours(store, node)
    return Reading(
        volume=volume,
        node=node,
        blocks=blocks,
        facts=facts,
        previous=previous,
        next=following,
        citation=cite_node(node, volume),
        truncated=budget[0] <= 0,
        repealed_by=repeals_of(store, node),
    )


def repeals_of(store: Store, node: StoredNode) -> list[Fact]:
    """The repeal records, anywhere in the knowledge base, that end this document's force."""
    doc_no = node.attributes.get("doc_no")
    if node.kind != NodeKind.DOCUMENT or not doc_no:
        return []
    return repeals_by_document(store).get(doc_no, [])


def repeals_by_document(store: Store) -> dict[str, list[Fact]]:
    """Repeal records keyed by the 文号 they repeal, read once for questions about many documents."""
    found: dict[str, list[Fact]] = {}
    for fact in store.facts(kind="repeal"):
        repealed = fact.data.get("repealed_doc_no")
        if repealed:
            found.setdefault(repealed, []).append(fact)
    return found


def _blocks(store: Store, parent_id: str, budget: list[int]) -> list[Block]:
    blocks = []
    for child in list(store.nodes(parent=parent_id)):
        expand = is_block(child) and budget[0] > 0
        block = Block(node=child, expanded=expand)
        if expand:
            budget[0] -= 1
            block.children = _blocks(store, child.id, budget)
        blocks.append(block)
    return blocks


def _expanded(blocks: list[Block]) -> list[Block]:
    found = []
    for block in blocks:
        if block.expanded:
            found.append(block)
            found.extend(_expanded(block.children))
    return found
