"""Citations in the style of GB/T 7714-2015, built only from what a volume knows.

A yearbook entry is a part of a book (析出文献), cited as
``撰稿人. 条目题名[M]//年鉴题名. 出版年: 页码.``; a gazette document is cited
like a journal article, ``发文机关. 题名: 文号[J]. 公报题名, 年(期): 页码.``.
Nothing is invented: no place of publication or publisher unless the volume
records one, and parts that are unknown are left out rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fangzhi.model import NodeKind, Volume
from fangzhi.store.base import StoredNode

# GB/T 7714 document type codes by volume kind; anything else is 其他 (Z).
TYPE_CODES = {"yearbook": "M", "gazette": "J"}
OTHER_TYPE = "Z"

# Kinds that are a unit a reader cites; untitled nodes (events, paragraphs)
# are cited through their nearest ancestor of one of these kinds.
CITABLE_KINDS = (
    NodeKind.ENTRY,
    NodeKind.ARTICLE,
    NodeKind.DOCUMENT,
    NodeKind.ATTACHMENT,
    NodeKind.TABLE,
    NodeKind.SECTION,
    NodeKind.CHRONICLE,
    NodeKind.APPENDIX,
    NodeKind.EDITORIAL_NOTES,
    NodeKind.CHAPTER,
)

MAX_AUTHORS = 3
ISSUE_UNITS = ("号", "期")


@dataclass(frozen=True)
class Citation:
    """A formatted citation and the provenance it was made from."""

    text: str
    volume: str
    node_id: str | None
    page: int | None
    page_end: int | None
    line_start: int | None
    line_end: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "volume": self.volume,
            "node_id": self.node_id,
            "page": self.page,
            "page_end": self.page_end,
            "line_start": self.line_start,
            "line_end": self.line_end,
        }


def cite_node(node: StoredNode, volume: Volume) -> Citation:
    """Cite a node of ``volume`` with its own printed page range."""
    title, authors, doc_no = _part(node)
    text = format_citation(volume, title=title, authors=authors, doc_no=doc_no, page=node.page, page_end=node.page_end)
    return Citation(
        text=text,
        volume=volume.id,
        node_id=node.id,
        page=node.page,
        page_end=node.page_end,
        line_start=node.line_start,
        line_end=node.line_end,
    )


def cite_volume(volume: Volume) -> Citation:
    return Citation(
        text=format_citation(volume),
        volume=volume.id,
        node_id=None,
        page=None,
        page_end=None,
        line_start=None,
        line_end=None,
    )


def format_citation(
    volume: Volume,
    *,
    title: str | None = None,
    authors: list[str] | None = None,
    doc_no: str | None = None,
    page: int | None = None,
    page_end: int | None = None,
) -> str:
    """The citation text; ``title`` is the part cited inside the volume, if any."""
    type_code = TYPE_CODES.get(volume.kind, OTHER_TYPE)
    pages = _pages(page, page_end)
    names = _authors(authors or [])
    head = f"{names}. " if names else ""
    if title is None:
        text = f"{head}{volume.title}[{type_code}]"
        place = _publication(volume)
        text += f". {place}" if place else ""
        return text + (f": {pages}." if pages else ".")
    part = f"{head}{_clean(title)}"
    if doc_no:
        part += f": {doc_no}"
    if type_code == "J":
        issue = _issue(volume)
        host = f"{part}[J]. {volume.title}"
        if volume.year is not None:
            host += f", {volume.year}{issue}"
        return host + (f": {pages}." if pages else ".")
    host = f"{part}[{type_code}]//{volume.title}"
    place = _publication(volume)
    if place:
        host += f". {place}"
    return host + (f": {pages}." if pages else ".")


def _part(node: StoredNode) -> tuple[str | None, list[str], str | None]:
    """The cited part's title, authors and document number."""
    attributes = node.attributes
    title = node.title
    if not title or node.kind not in CITABLE_KINDS:
        for step in reversed(node.path):
            if step["kind"] in CITABLE_KINDS and step["title"]:
                title = step["title"]
                break
    authors = [str(name) for name in attributes.get("contributors") or [] if name]
    if not authors and attributes.get("issuer"):
        authors = [str(attributes["issuer"])]
    doc_no = attributes.get("doc_no_as_printed") or attributes.get("doc_no")
    return title, authors, doc_no


def _publication(volume: Volume) -> str:
    """``出版地: 出版者, 出版年`` with only the parts the volume records."""
    place = volume.attributes.get("place")
    publisher = volume.attributes.get("publisher")
    text = ""
    if place and publisher:
        text = f"{place}: {publisher}"
    elif publisher:
        text = str(publisher)
    if volume.year is not None:
        text = f"{text}, {volume.year}" if text else str(volume.year)
    return text


def _issue(volume: Volume) -> str:
    """``(期)`` after the year, unless the volume's title already names its issue (``2024年第1号``)."""
    issue = volume.attributes.get("issue_number")
    if not (isinstance(issue, int) or (isinstance(issue, str) and issue.isdigit())):
        return ""
    if any(f"第{issue}{unit}" in volume.title.replace(" ", "") for unit in ISSUE_UNITS):
        return ""
    return f"({issue})"


def _authors(names: list[str]) -> str:
    unique = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if len(unique) > MAX_AUTHORS:
        return ", ".join(unique[:MAX_AUTHORS]) + ", 等"
    return ", ".join(unique)


def _pages(page: int | None, page_end: int | None) -> str:
    if page is None:
        return ""
    if page_end is not None and page_end > page:
        return f"{page}-{page_end}"
    return str(page)


def _clean(title: str) -> str:
    return " ".join(title.split()).rstrip("。.")
