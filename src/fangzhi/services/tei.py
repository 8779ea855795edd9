"""A volume as one TEI P5 document, for digital-humanities tools (MARKUS, LoGaRT, text analysis).

The mapping keeps fangzhi's provenance in TEI's own terms: every element made
from a node carries ``xml:id`` and ``source``, a pointer to its line range in
the source file as an RFC 5147 fragment (``book.txt#line=410,2561`` is lines
411-2561); ``<pb n="…"/>`` marks where each printed page starts; the facts
found in a node mark up its text (``persName``, ``orgName``, ``placeName``,
``date when``) and are listed in the back matter (``listPerson``,
``listEvent``).  docs/exports.md has the whole mapping.

Only what the knowledge base holds is written: the text is the derived text
of each node, so running headers, footers and other page furniture are not
in it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from fangzhi import __version__
from fangzhi.model import Fact, NodeKind, Volume
from fangzhi.services import registers
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.plural import counted

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
ET.register_namespace("", TEI_NS)

# Fact data fields that name something, and the TEI element that marks the name in the text.
NAME_FIELDS = {
    "person": "persName",
    "organization": "orgName",
    "issuer": "orgName",
    "place": "placeName",
}
# Fact kinds whose ``name`` field is an organisation (the companies of a gazette's list).
ORGANISATION_NAMES = {"list_item": "orgName"}

# Chinese personal names have 2-4 characters; a longer contributor is a body (年鉴编辑部, 国家统计局平顶山调查队).
MAX_PERSONAL_NAME = 4

# Node kinds that become a plain paragraph, a figure or a table instead of a div.
_FRONT = {NodeKind.FRONT_MATTER}
_BACK = {NodeKind.INDEX}
# A page break inside these is written before them: their content has no room for one.
_NO_BREAK_INSIDE = {NodeKind.CAPTION, NodeKind.TABLE, NodeKind.LIST_ITEM}


def _tag(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _element(parent: ET.Element | None, name: str, text: str | None = None, **attributes: Any) -> ET.Element:
    attrs = {(XML_ID if key == "xml_id" else key): str(value) for key, value in attributes.items() if value is not None}
    element = ET.Element(_tag(name), attrs) if parent is None else ET.SubElement(parent, _tag(name), attrs)
    if text is not None:
        element.text = text
    return element


@dataclass
class _Mark:
    """A name or date to mark where it occurs in the text."""

    text: str
    element: str
    attributes: dict[str, str]
    every: bool = True  # every occurrence, or only the first


@dataclass
class _Registers:
    people: dict[str, str] = field(default_factory=dict)  # name -> xml:id
    events: list[tuple[Fact, str]] = field(default_factory=list)  # fact, xml:id of its div

    def person(self, name: str) -> str:
        if name not in self.people:
            self.people[name] = f"person-{len(self.people) + 1}"
        return self.people[name]


def volume_tei(store: Store, volume_id: str) -> str:
    """The TEI document of one volume, as a string (UTF-8 XML with its declaration)."""
    volume = store.volume(volume_id)
    nodes = list(store.nodes(volume=volume_id))
    facts_by_node: dict[str, list[Fact]] = defaultdict(list)
    for fact in store.facts(volume=volume_id):
        facts_by_node[fact.node_id].append(fact)
    writer = _Writer(store, volume, nodes, facts_by_node)
    writer.add_places(registers.places(store))
    root = writer.document()
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


class _Writer:
    def __init__(self, store: Store, volume: Volume, nodes: list[StoredNode], facts: dict[str, list[Fact]]) -> None:
        self.volume = volume
        self.nodes = nodes
        self.facts = facts
        self.children: dict[str | None, list[StoredNode]] = defaultdict(list)
        for node in nodes:
            self.children[node.parent].append(node)
        self.by_id = {node.id: node for node in nodes}
        self.registers = _Registers()
        self.places: list[tuple[str, registers.Place]] = []
        self.place_marks: dict[str, list[_Mark]] = defaultdict(list)
        self.file = quote(PurePath(volume.source_file).name)
        starts = sorted((int(line), int(page)) for line, page in volume.attributes.get("page_starts", []))
        self.pending_breaks = starts
        self.breaking = True
        # Without the pages' first lines (a text gazette, whose pages come from its 目录), a page
        # break is written before the first node known to start on that page.
        self.pages_from_nodes = not starts
        self.last_page: int | None = None
        last_line = max((node.line_end for node in nodes), default=1)
        self.lines = store.source_lines(volume.id, 1, last_line) if starts else []

    def add_places(self, places: Iterable[registers.Place]) -> None:
        """Mark the places the place register found in this volume, and list them in the back matter."""
        for place in places:
            mentions = [mention for mention in place.mentions if mention.volume == self.volume.id]
            if not mentions:
                continue
            identifier = f"place-{len(self.places) + 1}"
            self.places.append((identifier, place))
            for mention in mentions:
                known = self.place_marks[mention.node_id]
                if not any(mark.text == mention.as_written for mark in known):
                    known.append(_Mark(mention.as_written, "placeName", {"ref": f"#{identifier}"}))

    # -- the document

    def document(self) -> ET.Element:
        tei = _element(None, "TEI")
        tei.set(f"{{{XML_NS}}}lang", "zh")
        tei.append(self.header())
        text = _element(tei, "text")
        top = self.children.get(self._root_id(), [])
        front_nodes = [node for node in top if node.kind in _FRONT or node.kind == NodeKind.CONTENTS]
        back_nodes = [node for node in top if node.kind in _BACK]
        body_nodes = [node for node in top if node not in front_nodes and node not in back_nodes]
        if front_nodes:
            front = _element(text, "front")
            self.breaking = False  # front matter prints no page numbers; the bookmark list sits at the end of the file
            for node in front_nodes:
                self.node(front, node, [])
            self.breaking = True
        body = _element(text, "body")
        for node in body_nodes:
            self.node(body, node, [])
        if back_nodes:
            self.breaks_before(body, back_nodes[0])
        else:
            self.breaks_before(body, None)
        if not body_nodes:
            _element(body, "p")
        back = _element(text, "back")
        for node in back_nodes:
            self.node(back, node, [])
        self.breaks_before(back, None)
        self.back_lists(back)
        if len(back) == 0:
            text.remove(back)
        return tei

    def _root_id(self) -> str | None:
        root = f"{self.volume.id}:0"
        return root if root in self.children else None

    def header(self) -> ET.Element:
        volume = self.volume
        header = _element(None, "teiHeader")
        file_desc = _element(header, "fileDesc")
        title_stmt = _element(file_desc, "titleStmt")
        _element(title_stmt, "title", volume.title)
        publication = _element(file_desc, "publicationStmt")
        _element(
            publication,
            "p",
            f"TEI export by fangzhi {__version__} of the volume {volume.id}; the text is derived from the source below.",
        )
        source_desc = _element(file_desc, "sourceDesc")
        bibl = _element(source_desc, "bibl", type=volume.kind)
        _element(bibl, "title", volume.title)
        for key, element in (("publisher", "publisher"), ("place", "pubPlace")):
            if volume.attributes.get(key):
                _element(bibl, element, str(volume.attributes[key]))
        if volume.year is not None:
            _element(bibl, "date", str(volume.year), when=f"{volume.year:04d}")
        issue = volume.attributes.get("issue_number")
        if issue:
            _element(bibl, "biblScope", str(issue), unit="issue")
        pages = volume.attributes.get("pages") or []
        if pages:
            _element(bibl, "extent", f"{counted(len(pages), 'printed page')} ({pages[0]}-{pages[-1]})")
        _element(bibl, "idno", PurePath(volume.source_file).name, type="file")
        _element(bibl, "idno", volume.source_sha256, type="sha256")
        encoding = _element(header, "encodingDesc")
        editorial = _element(encoding, "editorialDecl")
        _element(
            editorial,
            "p",
            "Every element made from the source carries @source, a pointer to its lines in the source file "
            "(RFC 5147 line= fragment: #line=a,b is lines a+1 to b); pb marks the first line of each printed page. "
            "Letter-spacing is removed, wrapped lines are joined, and running headers, footers and page numbers "
            "are left out.",
        )
        profile = _element(header, "profileDesc")
        languages = _element(profile, "langUsage")
        _element(languages, "language", "Chinese", ident="zh")
        return header

    # -- nodes

    def node(self, parent: ET.Element, node: StoredNode, inherited: list[_Mark]) -> None:
        self.breaks_before(parent, node)
        marks = inherited + self.marks(node)
        kind = node.kind
        if kind == NodeKind.PARAGRAPH:
            self.paragraphs(parent, node, marks, self._attrs(node))
            return
        if kind == NodeKind.CAPTION:
            figure = _element(parent, "figure", **self._attrs(node))
            _element(figure, "figDesc", node.text)
            if node.attributes.get("credit"):
                _element(figure, "note", str(node.attributes["credit"]), type="credit")
            return
        if kind == NodeKind.TABLE:
            self.table(parent, node)
            return
        element = _element(parent, "div", **self._attrs(node), type=kind, n=self._n(node))
        if node.title:
            head = _element(element, "head")
            self.inline(head, node.title, [m for m in marks if m.element != "date"])
        self.document_lines(element, node)
        if kind == NodeKind.EVENT:
            self.event(element, node, marks)
        elif node.text and not self._text_is_title(node):
            self.paragraphs(element, node, marks, {})
        children = self.children.get(node.id, [])
        items = [child for child in children if child.kind == NodeKind.LIST_ITEM]
        for child in children:
            if child.kind == NodeKind.LIST_ITEM:
                continue
            self.node(element, child, marks)
        if items:
            listing = _element(element, "list")
            for child in items:
                self.breaks_before(element, child)
                item = _element(listing, "item", **self._attrs(child))
                self.inline(item, child.title or child.text, marks + self.marks(child))
        contributors = [str(name) for name in node.attributes.get("contributors") or [] if name]
        if contributors:
            byline = _element(element, "byline")
            for name in contributors:
                if len(name) > MAX_PERSONAL_NAME:
                    _element(byline, "orgName", name).tail = " "
                else:
                    _element(byline, "persName", name, ref=f"#{self.registers.person(name)}").tail = " "
            byline[-1].tail = None
        if len(element) == 0 and not element.text:
            _element(element, "p")

    def document_lines(self, element: ET.Element, node: StoredNode) -> None:
        """A gazette document's 文号, date and issuing body."""
        attributes = node.attributes
        if node.kind != NodeKind.DOCUMENT:
            return
        doc_no = attributes.get("doc_no_as_printed") or attributes.get("doc_no")
        if doc_no:
            paragraph = _element(element, "p")
            _element(paragraph, "idno", str(doc_no), type="docNo")
        if attributes.get("issuer"):
            byline = _element(element, "byline")
            _element(byline, "orgName", str(attributes["issuer"]))
        if attributes.get("date"):
            dateline = _element(element, "dateline")
            _element(
                dateline, "date", str(attributes.get("date_as_printed") or attributes["date"]), when=attributes["date"]
            )

    def event(self, element: ET.Element, node: StoredNode, marks: list[_Mark]) -> None:
        attributes = node.attributes
        paragraph = _element(element, "p")
        when = attributes.get("date")
        if when:
            date = _element(paragraph, "date", str(attributes.get("date_as_printed") or when), when=when)
            if attributes.get("date_end"):
                date.attrib.pop("when")
                date.set("from", when)
                date.set("to", str(attributes["date_end"]))
            date.tail = " "
        first, *rest = node.text.split("\n") if node.text else [""]
        self.inline(paragraph, first, marks, node)
        for text in rest:
            self.inline(_element(element, "p"), text, marks, node)
        for fact in self.facts.get(node.id, []):
            if fact.kind == "event":
                self.registers.events.append((fact, self._id(node)))

    def paragraphs(self, parent: ET.Element, node: StoredNode, marks: list[_Mark], attributes: dict[str, Any]) -> None:
        for position, text in enumerate(node.text.split("\n")):
            paragraph = _element(parent, "p", **(attributes if position == 0 else {}))
            self.inline(paragraph, text, marks, node)

    def table(self, parent: ET.Element, node: StoredNode) -> None:
        columns = node.attributes.get("columns") or []
        rows = node.attributes.get("rows") or []
        table = _element(parent, "table", **self._attrs(node), rows=len(rows) + 1, cols=len(columns) or None)
        if node.title:
            _element(table, "head", node.title)
        if columns:
            header = _element(table, "row", role="label")
            for column in columns:
                _element(header, "cell", str(column))
        for row in rows:
            line = _element(table, "row")
            for cell in row:
                _element(line, "cell", "" if cell is None else str(cell))
        if not columns and not rows:
            _element(_element(table, "row"), "cell", node.text)

    # -- page breaks

    def breaks_before(self, parent: ET.Element, node: StoredNode | None) -> None:
        """``pb`` for every page that starts at or before ``node``'s first line (every page left, at the end)."""
        if not self.breaking:
            return
        if self.pages_from_nodes:
            if node is not None and node.page is not None and (self.last_page is None or node.page > self.last_page):
                _element(parent, "pb", n=node.page, source=self._lines(node.line_start, node.line_start))
                self.last_page = node.page
            return
        limit = node.line_start if node is not None else float("inf")
        while self.pending_breaks and self.pending_breaks[0][0] <= limit:
            line, page = self.pending_breaks.pop(0)
            _element(parent, "pb", n=page, source=self._lines(line, line))

    def _inside_children(self, node: StoredNode, line: int) -> bool:
        return any(child.line_start <= line <= child.line_end for child in self.children.get(node.id, []))

    def _breaks_in_text(self, node: StoredNode | None) -> list[tuple[int, int, str]]:
        """The next page starts that fall in the node's own text: (line, page, the line as it reads).

        Taken in order and only up to the first that is not the node's own
        (inside a child), so that pages always break in ascending order.
        """
        if node is None or node.kind in _NO_BREAK_INSIDE or not self.breaking:
            return []
        found = []
        for line, page in self.pending_breaks:
            if line > node.line_end or self._inside_children(node, line):
                break
            found.append((line, page, squeeze_spaces(self.lines[line - 1]) if line - 1 < len(self.lines) else ""))
        return found

    # -- inline markup

    def inline(self, element: ET.Element, text: str, marks: list[_Mark], node: StoredNode | None = None) -> None:
        """Write ``text`` into ``element``, marking names and dates and breaking pages where they start."""
        spans: list[tuple[int, int, _Mark | None, tuple[int, int] | None]] = []
        taken = [False] * len(text)
        for mark in sorted(marks, key=lambda m: -len(m.text)):
            start = 0
            while mark.text and (start := text.find(mark.text, start)) >= 0:
                end = start + len(mark.text)
                if not any(taken[start:end]):
                    spans.append((start, end, mark, None))
                    for position in range(start, end):
                        taken[position] = True
                    if not mark.every:
                        break
                start = end
        search_from = 0
        for line, page, line_text in self._breaks_in_text(node):
            probe = line_text[:8]
            position = text.find(probe, search_from) if len(probe) >= 2 else -1
            if position < 0:
                break
            while 0 < position < len(text) and taken[position] and taken[position - 1]:
                position -= 1
            spans.append((position, position, None, (line, page)))
            self.pending_breaks.pop(0)
            search_from = position
        spans.sort(key=lambda span: (span[0], span[1]))
        cursor = 0
        last: ET.Element | None = element[-1] if len(element) else None

        def put(chunk: str) -> None:
            if not chunk:
                return
            if last is None:
                element.text = (element.text or "") + chunk
            else:
                last.tail = (last.tail or "") + chunk

        for start, end, mark, page_break in spans:
            put(text[cursor:start])
            if page_break is not None:
                last = _element(element, "pb", n=page_break[1], source=self._lines(page_break[0], page_break[0]))
            elif mark is not None:
                last = _element(element, mark.element, text[start:end], **mark.attributes)
            cursor = max(cursor, end)
        put(text[cursor:])

    def marks(self, node: StoredNode) -> list[_Mark]:
        """The names and dates the facts of this node found, to mark in its text and its children's."""
        marks: list[_Mark] = list(self.place_marks.get(node.id, []))
        for fact in self.facts.get(node.id, []):
            for key, value in _names(fact):
                element = NAME_FIELDS.get(key) or ORGANISATION_NAMES.get(fact.kind)
                if not element or not value:
                    continue
                attributes = {"ref": f"#{self.registers.person(value)}"} if element == "persName" else {}
                marks.append(_Mark(value, element, attributes))
        return marks

    # -- back matter

    def back_lists(self, back: ET.Element) -> None:
        if self.registers.people:
            division = _element(back, "div", type="people")
            people = _element(division, "listPerson")
            for name, identifier in self.registers.people.items():
                person = _element(people, "person", xml_id=identifier)
                _element(person, "persName", name)
        if self.places:
            division = _element(back, "div", type="places")
            listing = _element(division, "listPlace")
            for identifier, place in self.places:
                entry = _element(listing, "place", xml_id=identifier, type=place.level)
                _element(entry, "placeName", place.name)
                if place.code:
                    _element(entry, "idno", place.code, type="division_code")
        if self.registers.events:
            division = _element(back, "div", type="events")
            events = _element(division, "listEvent")
            for fact, div_id in self.registers.events:
                attributes: dict[str, Any] = {"xml_id": f"event-{len(events) + 1}", "corresp": f"#{div_id}"}
                when, end = fact.data.get("date"), fact.data.get("date_end")
                if when and end:
                    attributes.update({"from": when, "to": end})
                elif when:
                    attributes["when"] = when
                event = _element(events, "event", **attributes, source=self._lines(fact.line_start, fact.line_end))
                _element(event, "desc", _first_sentence(fact.data.get("text") or ""))

    # -- attributes

    def _id(self, node: StoredNode) -> str:
        return f"n{node.ordinal}"

    def _n(self, node: StoredNode) -> str | None:
        number = node.attributes.get("number")
        if node.kind == NodeKind.DOCUMENT:
            number = node.attributes.get("doc_no")
        return None if number is None else str(number)

    def _lines(self, start: int, end: int) -> str:
        return f"{self.file}#line={start - 1},{end}"

    def _attrs(self, node: StoredNode) -> dict[str, Any]:
        return {"xml_id": self._id(node), "source": self._lines(node.line_start, node.line_end)}

    def _text_is_title(self, node: StoredNode) -> bool:
        """Containers whose text only repeats their title (a gazette document's heading)."""
        return bool(self.children.get(node.id)) and node.kind in (NodeKind.DOCUMENT, NodeKind.LIST_GROUP)


def _names(fact: Fact) -> Iterable[tuple[str, str]]:
    data = fact.data
    for key in NAME_FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            yield key, value
    for person in data.get("people") or []:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str):
            yield "person", name
    for place in data.get("places") or []:
        name = place.get("name") if isinstance(place, dict) else place
        if isinstance(name, str):
            yield "place", name
    if fact.kind in ORGANISATION_NAMES and isinstance(data.get("name"), str):
        yield fact.kind, data["name"]


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<=[。；！？])", text.replace("\n", ""), maxsplit=1)[0]
    return first or text


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent element-only content; mixed content (text with markup in it) is left exactly as it reads."""
    children = list(element)
    if not children:
        return
    mixed = bool(element.text and element.text.strip()) or any(child.tail and child.tail.strip() for child in children)
    if mixed:
        return
    inner = "\n" + " " * (level + 1)
    element.text = inner
    for child in children:
        child.tail = inner
        _indent(child, level + 1)
    children[-1].tail = "\n" + " " * level
