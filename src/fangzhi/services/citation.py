"""Citations in the style of GB/T 7714-2015, and as CSL-JSON, RIS and BibTeX, built only from what a volume knows.

A yearbook entry is a part of a book (析出文献), cited as
``撰稿人. 条目题名[M]//年鉴题名. 出版年: 页码.``; a gazette document is cited
like a journal article, ``发文机关. 题名: 文号[J]. 公报题名, 年(期): 页码.``.
Nothing is invented: no place of publication or publisher unless the volume
records one, and parts that are unknown are left out rather than guessed.
The same record goes to reference managers (Zotero, EndNote, JabRef) as
CSL-JSON, RIS or BibTeX, with the printed page and, in a note, the node and
source lines it came from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fangzhi.errors import QueryError
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


# ---------------------------------------------------------------- for reference managers

# Format name -> (media type, file extension).
CITATION_FORMATS = {
    "gbt7714": ("text/plain; charset=utf-8", "txt"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
    "ris": ("application/x-research-info-systems", "ris"),
    "bibtex": ("application/x-bibtex", "bib"),
}


@dataclass(frozen=True)
class CitationFile:
    """A citation in one format, ready to download into Zotero, EndNote or a BibTeX file."""

    text: str
    format: str
    media_type: str
    filename: str


@dataclass(frozen=True)
class _Record:
    """What every format says about a cited node: the same facts the GB/T 7714 text is made of."""

    id: str
    kind: str  # book part, journal article, book, document
    title: str | None
    container: str
    authors: list[str]
    year: int | None
    page: int | None
    page_end: int | None
    doc_no: str | None
    issue: str | None
    publisher: str | None
    place: str | None
    note: str


def cite_node_as(node: StoredNode, volume: Volume, format: str) -> CitationFile:
    """The citation of ``node`` in one of :data:`CITATION_FORMATS`."""
    if format not in CITATION_FORMATS:
        raise QueryError(f"unknown citation format {format!r}; choose one of: {', '.join(CITATION_FORMATS)}")
    record = _record(node, volume)
    if format == "gbt7714":
        text = cite_node(node, volume).text + "\n"
    elif format == "csl-json":
        text = json.dumps([_csl(record)], ensure_ascii=False, indent=2) + "\n"
    elif format == "ris":
        text = _ris(record)
    else:
        text = _bibtex(record)
    media_type, extension = CITATION_FORMATS[format]
    return CitationFile(text, format, media_type, f"{_key(node.id)}.{extension}")


def _record(node: StoredNode, volume: Volume) -> _Record:
    title, authors, doc_no = _part(node)
    type_code = TYPE_CODES.get(volume.kind, OTHER_TYPE)
    kind = {"M": "book part", "J": "journal article"}.get(type_code, "document")
    issue = volume.attributes.get("issue_number")
    lines = f"lines {node.line_start}-{node.line_end}" if node.line_end > node.line_start else f"line {node.line_start}"
    return _Record(
        id=node.id,
        kind=kind,
        title=_clean(title) if title else None,
        container=volume.title,
        authors=list(dict.fromkeys(name.strip() for name in authors if name.strip())),
        year=volume.year,
        page=node.page,
        page_end=node.page_end if node.page_end and node.page and node.page_end > node.page else None,
        doc_no=str(doc_no) if doc_no else None,
        issue=str(issue) if issue not in (None, "") else None,
        publisher=volume.attributes.get("publisher"),
        place=volume.attributes.get("place"),
        note=f"fangzhi {node.id}; {Path(volume.source_file).name}, {lines}",
    )


def _csl(record: _Record) -> dict[str, Any]:
    types = {"book part": "chapter", "journal article": "article-journal", "document": "document"}
    item: dict[str, Any] = {"id": record.id, "type": types[record.kind], "language": "zh"}
    if record.title:
        item["title"] = record.title
        item["container-title"] = record.container
    else:
        item["title"] = record.container
    if record.authors:
        item["author"] = [{"literal": name} for name in record.authors]
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    if record.page is not None:
        item["page"] = _pages(record.page, record.page_end)
        item["page-first"] = str(record.page)
    for key, value in (
        ("number", record.doc_no),
        ("issue", record.issue),
        ("publisher", record.publisher),
        ("publisher-place", record.place),
    ):
        if value:
            item[key] = value
    item["note"] = record.note
    return item


def _ris(record: _Record) -> str:
    types = {"book part": "CHAP", "journal article": "JOUR", "document": "GEN"}
    lines = [("TY", types[record.kind])]
    lines += [("TI", record.title or record.container)]
    if record.title:
        lines.append(("T2", record.container))
    lines += [("AU", name) for name in record.authors]
    if record.year is not None:
        lines.append(("PY", str(record.year)))
    if record.page is not None:
        lines.append(("SP", str(record.page)))
        lines.append(("EP", str(record.page_end or record.page)))
    for tag, value in (("IS", record.issue), ("M1", record.doc_no), ("PB", record.publisher), ("CY", record.place)):
        if value:
            lines.append((tag, value))
    lines += [("LA", "zh"), ("N1", record.note), ("ID", record.id), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def _bibtex(record: _Record) -> str:
    entry_type = {"book part": "incollection", "journal article": "article", "document": "misc"}[record.kind]
    fields: list[tuple[str, str]] = [("title", record.title or record.container)]
    if record.title:
        fields.append(("journal" if entry_type == "article" else "booktitle", record.container))
    if record.authors:
        fields.append(("author", " and ".join("{" + name + "}" for name in record.authors)))
    if record.year is not None:
        fields.append(("year", str(record.year)))
    if record.page is not None:
        fields.append(("pages", f"{record.page}--{record.page_end}" if record.page_end else str(record.page)))
    for name, value in (
        ("number", record.doc_no if entry_type != "article" else record.issue),
        ("note", f"{record.doc_no}. {record.note}" if entry_type == "article" and record.doc_no else record.note),
        ("publisher", record.publisher),
        ("address", record.place),
    ):
        if value:
            fields.append((name, value))
    fields.append(("language", "chinese"))
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value, name)}}}" for name, value in fields)
    return f"@{entry_type}{{{_key(record.id)},\n{body}\n}}\n"


def _bibtex_escape(value: str, name: str) -> str:
    if name == "author":
        return value
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def _key(node_id: str) -> str:
    """An ASCII citation key from a node id (``pingdingshan-yearbook-2024:238``)."""
    key = re.sub(r"[^A-Za-z0-9]+", "-", node_id).strip("-")
    return key or "fangzhi"
