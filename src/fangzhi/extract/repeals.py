"""Repeal clauses: 《…》（平政办〔2019〕38号）同时废止.

A document that takes effect often repeals earlier ones in its closing
article.  Each repealed document named with its 文号 becomes a record of
which document is repealed, by which, and on which line.
"""

from __future__ import annotations

import re
from dataclasses import replace

from fangzhi.model import Document, DocumentAttributes, Fact, Node, NodeKind, ParseWarning
from fangzhi.parse.doc_number import find_doc_numbers

EXTRACTOR = "repeals.v1"

_REPEAL = re.compile(r"(同时|即行|予以|一并)?(废止|失效|停止执行)")
_NAMED = re.compile(r"《(?P<title>[^《》]{2,200})》\s*[（(](?P<doc_no>[^（()）]{2,40}?号)[）)]")


def _clause_before(text: str, end: int) -> str:
    """The sentence that ends at ``end``: from the previous 。 (or ；) to the repeal verb."""
    start = max(text.rfind("。", 0, end), text.rfind("；", 0, end)) + 1
    return text[start:end]


def extract_repeals(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    for node, ancestors in document.walk():
        if node.kind not in (NodeKind.PARAGRAPH, NodeKind.DOCUMENT_SECTION):
            continue
        owner = next((a for a in reversed(ancestors) if a.kind == NodeKind.DOCUMENT), None)
        for verb in _REPEAL.finditer(node.text):
            clause = _clause_before(node.text, verb.start())
            named = list(_NAMED.finditer(clause))
            for match in named:
                found = find_doc_numbers(match.group("doc_no"))
                if not found:
                    continue
                doc_no = found[0][0]
                facts.append(_fact(document, node, owner, match.group("title"), doc_no.normalized, doc_no.warnings))
            if not named:
                for doc_no, _, _ in find_doc_numbers(clause):
                    facts.append(_fact(document, node, owner, None, doc_no.normalized, doc_no.warnings))
    return facts


def _fact(
    document: Document,
    node: Node,
    owner: Node | None,
    title: str | None,
    doc_no: str,
    warnings: tuple[ParseWarning, ...],
) -> Fact:
    line = _line_of(document, node, doc_no)
    problems = [replace(warning, line=warning.line or line) for warning in warnings]
    by_doc_no = DocumentAttributes.of(owner).doc_no if owner else None
    if owner is None or by_doc_no is None:
        problems.append(ParseWarning("repeal_without_doc_no", "the repealing document has no 文号", node.line_start))
    return Fact(
        kind="repeal",
        volume=document.volume.id,
        node_id=owner.id if owner else node.id,
        line_start=node.line_start,
        line_end=node.line_end,
        page=node.page,
        data={
            "repealed_doc_no": doc_no,
            "repealed_title": title,
            "by_doc_no": by_doc_no,
            "line": line,
        },
        extractor=EXTRACTOR,
        warnings=problems,
    )


def _line_of(document: Document, node: Node, doc_no: str) -> int:
    """The raw line of the paragraph that prints the repealed 文号 (its first line if not found)."""
    for number in range(node.line_start, node.line_end + 1):
        if any(found.normalized == doc_no for found, _, _ in find_doc_numbers(document.source.line(number))):
            return number
    return node.line_start
