"""Members of named lists (名单): one record per item, with its group.

The group's name is normalised (traditional characters folded, so 郟县 and
郏县 are one group); the printed form is kept.  A group whose declared count
(汝州市（28家）) disagrees with the items found carries the parser's warning
on its first record, so the mismatch is reported, not hidden.
"""

from __future__ import annotations

from fangzhi.model import Document, Fact, ListGroupAttributes, Node, NodeKind, ParseWarning

EXTRACTOR = "lists.v1"


def extract_list_items(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    for node, ancestors in document.walk():
        if node.kind != NodeKind.LIST_ITEM:
            continue
        group = ancestors[-1] if ancestors and ancestors[-1].kind == NodeKind.LIST_GROUP else None
        listing = next((a for a in reversed(ancestors) if a.kind == NodeKind.LIST), None)
        warnings: list[ParseWarning] = []
        if group is not None and group.children and group.children[0] is node:
            warnings.extend(ListGroupAttributes.of(group).warnings)
        facts.append(
            Fact(
                kind="list_item",
                volume=document.volume.id,
                node_id=node.id,
                line_start=node.line_start,
                line_end=node.line_end,
                page=node.page,
                data={
                    "list_title": listing.title if listing else None,
                    "name": node.title,
                    "group": group.title if group else None,
                    "group_as_printed": _printed(group),
                    "line": node.line_start,
                },
                extractor=EXTRACTOR,
                warnings=warnings,
            )
        )
    return facts


def _printed(group: Node | None) -> str | None:
    return ListGroupAttributes.of(group).name_as_printed if group else None
