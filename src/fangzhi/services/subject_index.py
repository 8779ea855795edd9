"""The subject index (主题索引) of a volume, generated the way a yearbook's printed index is compiled.

Headings:

- every entry, article and appendix title, with the pages it starts on: a
  yearbook's printed index is compiled from its entry titles, one heading
  per title however many entries carry it (组织建设 105、107、109、110、111、114);
- a title carried by more places than a reader can use (more than
  :data:`MAX_LOCATORS` pages, 概况 or 招商引资 under every county) becomes a
  heading without pages whose subheadings say where: the section it stands in,
  or the chapter when the section's own title recurs (综述);
- organisations and places that have a section (分目) of their own (the
  parties, mass organisations and development zones, the counties), under the
  organisation's full name or the place's name, with the section's first page;
- key topics inside entries: the terms the text itself sets in quotation
  marks (“三个一批”, “放管服”) and that at least two entries treat; the
  entries are the subheadings, each with the page that prints the term;
- cross-references (见) from the abbreviations a volume uses for an
  organisation to the heading of its full name (市关工委 见
  平顶山市关心下一代工作委员会); an abbreviation that is a heading of its own
  keeps its pages and refers on with 参见.

Headings are sorted as printed indexes are (:mod:`fangzhi.text.pinyin`) and
grouped under the initial of their first syllable.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fangzhi.errors import QueryError
from fangzhi.model import NodeKind, Volume
from fangzhi.services import registers
from fangzhi.services.computed import computed
from fangzhi.services.printed_pages import printed_pages
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.normalize import fold_for_search, squeeze_spaces
from fangzhi.text.pinyin import SortKey, initial_of, pinyin_of, sort_key

# Chicago Manual of Style (16.144): a heading with more than five or six
# locators should be broken up by subheadings.
MAX_LOCATORS = 6
MIN_TOPIC_ENTRIES = 2
TITLED_KINDS = (NodeKind.ENTRY, NodeKind.ARTICLE, NodeKind.APPENDIX)
_QUOTED = re.compile(r"“([^“”‘’，。；：！？\s]{2,12})”")
_QUOTES = re.compile(r"[“”‘’\"]")


@dataclass
class IndexHeading:
    """One heading of the index, or a subheading of one (same shape, one level down)."""

    heading: str
    pinyin: str
    pages: list[int] = field(default_factory=list)
    subheadings: list[IndexHeading] = field(default_factory=list)
    see: str | None = None
    targets: dict[int, str] = field(default_factory=dict, repr=False)
    """The node treated on each page, for links (page → node id)."""
    key: SortKey = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "pinyin": self.pinyin,
            "pages": self.pages,
            "subheadings": [subheading.to_dict() for subheading in self.subheadings],
            "see": self.see,
        }

    def add_page(self, page: int, node_id: str) -> None:
        if page not in self.targets:
            self.targets[page] = node_id
            self.pages = sorted(self.targets)

    @property
    def initial(self) -> str:
        return initial_of(self.key)


@dataclass
class SubjectIndex:
    volume: Volume
    headings: list[IndexHeading]

    def groups(self) -> list[tuple[str, list[IndexHeading]]]:
        """The headings under their initials, in order (A, B, …; ``#`` for digits and symbols first)."""
        grouped: dict[str, list[IndexHeading]] = defaultdict(list)
        for heading in self.headings:
            grouped[heading.initial].append(heading)
        return [
            (initial, grouped[initial]) for initial in sorted(grouped, key=lambda initial: (initial != "#", initial))
        ]

    def to_list(self) -> list[dict[str, Any]]:
        return [heading.to_dict() for heading in self.headings]


def _heading(text: str, personal_name: bool = False) -> IndexHeading:
    return IndexHeading(
        heading=text,
        pinyin=pinyin_of(text, personal_name=personal_name),
        key=sort_key(text, personal_name=personal_name),
    )


def _title_key(title: str) -> str:
    return fold_for_search(_QUOTES.sub("", title))


def subject_index(store: Store, volume_id: str) -> SubjectIndex:
    """The index of one volume; computed once per store while its volumes stay the same."""
    store.volume(volume_id)
    return computed(store, f"subject_index.{volume_id}", lambda: _build(store, volume_id))


def _build(store: Store, volume_id: str) -> SubjectIndex:
    volume = store.volume(volume_id)
    titled: list[StoredNode] = []
    texts: list[StoredNode] = []
    sections: list[StoredNode] = []
    for node in store.nodes(volume=volume_id):
        if node.kind in TITLED_KINDS and node.page is not None:
            texts.append(node)
            if node.title:
                titled.append(node)
        elif node.kind == NodeKind.SECTION and node.page is not None and node.title:
            sections.append(node)
    if not titled:
        raise QueryError(
            f"volume {volume_id!r} has no titled entries with printed pages, so there is nothing to index "
            "(a subject index refers to pages; gazettes and documents have none)"
        )
    headings = _title_headings(titled)
    _add_sections(headings, sections, store, volume_id)
    _add_topics(headings, texts, _PrintedLines(store, volume))
    _add_cross_references(headings, store, volume_id)
    ordered = sorted(headings.values(), key=lambda heading: heading.key)
    for heading in ordered:
        heading.subheadings.sort(key=lambda subheading: subheading.key)
    return SubjectIndex(volume, ordered)


def _title_headings(nodes: list[StoredNode]) -> dict[str, IndexHeading]:
    by_title: dict[str, list[StoredNode]] = defaultdict(list)
    for node in nodes:
        by_title[_title_key(squeeze_spaces(node.title or ""))].append(node)
    recurring_sections = _recurring_section_titles(nodes)
    headings: dict[str, IndexHeading] = {}
    for key, group in by_title.items():
        title = squeeze_spaces(group[0].title or "")
        heading = _heading(title, personal_name=bool(group[0].attributes.get("profile")))
        pages = {node.page for node in group}
        if len(pages) <= MAX_LOCATORS:
            for node in group:
                heading.add_page(node.page or 0, node.id)
        else:
            subheadings: dict[str, IndexHeading] = {}
            for node in group:
                qualifier = _qualifier(node, recurring_sections)
                subheading = subheadings.get(qualifier)
                if subheading is None:
                    subheading = subheadings[qualifier] = _heading(qualifier)
                subheading.add_page(node.page or 0, node.id)
            heading.subheadings = list(subheadings.values())
        headings[key] = heading
    return headings


def _recurring_section_titles(nodes: list[StoredNode]) -> set[str]:
    """Section titles that stand under more than one chapter (综述), which say nothing as qualifiers."""
    chapters: dict[str, set[str | None]] = defaultdict(set)
    for node in nodes:
        section = node.ancestor_title(NodeKind.SECTION)
        if section:
            chapters[section].add(node.ancestor_title(NodeKind.CHAPTER))
    return {section for section, found in chapters.items() if len(found) > 1}


def _qualifier(node: StoredNode, recurring_sections: set[str]) -> str:
    section = node.ancestor_title(NodeKind.SECTION)
    chapter = node.ancestor_title(NodeKind.CHAPTER)
    if section and section not in recurring_sections:
        return squeeze_spaces(section)
    return squeeze_spaces(chapter or section or node.kind)


def _add_sections(headings: dict[str, IndexHeading], sections: list[StoredNode], store: Store, volume_id: str) -> None:
    """Organisations and places with a section of their own, under their full names."""
    register = registers.organization_register(store)
    divisions = registers.division_table()
    for section in sections:
        title = squeeze_spaces(section.title or "")
        organization = register.resolve(title, volume_id)
        if organization is not None:
            name = organization.name
        elif title in divisions.by_name:
            name = title
        else:
            continue
        key = _title_key(name)
        heading = headings.get(key)
        if heading is None:
            heading = headings[key] = _heading(name)
        if not heading.subheadings:
            heading.add_page(section.page or 0, section.id)


class _PrintedLines:
    """The volume's raw lines and the printed page of each, to cite a term on the page that prints it.

    A topic inside a long entry is cited on the page where the text names it,
    not where the entry starts; the pages are those the parser recorded on the
    volume, else recovered from the raw lines (:mod:`fangzhi.services.printed_pages`).
    """

    def __init__(self, store: Store, volume: Volume) -> None:
        self.lines = [fold_for_search(squeeze_spaces(line)) for line in store.source_lines(volume.id, 1, 1 << 62)]
        self.pages = printed_pages(store, volume.id, recover=True)

    def page_of(self, node: StoredNode, term: str) -> int:
        """The page printing ``term`` inside ``node`` (a term may wrap onto the next printed line); else the node's page."""
        start, end = node.line_start, min(node.line_end, len(self.lines))
        folded = fold_for_search(term)
        printed = [number for number in range(start, end + 1) if self.lines[number - 1]]
        for position, number in enumerate(printed):
            line = self.lines[number - 1]
            following = self.lines[printed[position + 1] - 1] if position + 1 < len(printed) else ""
            if folded in line or (folded in line + following and folded not in following):
                page = self.pages.page_of(number)
                low, high = node.page or 0, node.page_end or node.page or 0
                return page if page is not None and low <= page <= high else node.page or 0
        return node.page or 0


def _add_topics(headings: dict[str, IndexHeading], nodes: list[StoredNode], printed_lines: _PrintedLines) -> None:
    """Quoted terms that two or more entries treat, with those entries as subheadings."""
    places: dict[str, list[StoredNode]] = defaultdict(list)
    printed: dict[str, str] = {}
    for node in nodes:
        seen: set[str] = set()
        for match in _QUOTED.finditer(node.text):
            term = match.group(1)
            key = fold_for_search(term)
            if key in seen or key.isdigit() or key.isascii():
                continue
            seen.add(key)
            places[key].append(node)
            printed.setdefault(key, term)
    for key, found in places.items():
        if len(found) < MIN_TOPIC_ENTRIES:
            continue
        heading = headings.get(key)
        if heading is None:
            heading = headings[key] = _heading(f"“{printed[key]}”")
        subheadings = {subheading.heading: subheading for subheading in heading.subheadings}
        for node in found:
            title = squeeze_spaces(node.title or node.ancestor_title(NodeKind.CHAPTER) or "")
            if not title or _title_key(title) == key:
                continue
            subheading = subheadings.get(title)
            if subheading is None:
                subheading = subheadings[title] = _heading(title, personal_name=bool(node.attributes.get("profile")))
            subheading.add_page(printed_lines.page_of(node, f"“{printed[key]}”"), node.id)
        heading.subheadings = list(subheadings.values())


def _add_cross_references(headings: dict[str, IndexHeading], store: Store, volume_id: str) -> None:
    register = registers.organization_register(store)
    for organization in register.organizations:
        main = headings.get(_title_key(organization.name))
        if main is None:
            continue
        used = {mention.as_written for mention in organization.mentions if mention.volume == volume_id}
        for abbreviation in organization.abbreviations:
            if abbreviation not in used or abbreviation == main.heading:
                continue
            key = _title_key(abbreviation)
            existing = headings.get(key)
            if existing is None:
                reference = _heading(abbreviation)
                reference.see = main.heading
                headings[key] = reference
            elif existing is not main and existing.see is None:
                existing.see = main.heading


def render_markdown(index: SubjectIndex) -> str:
    lines = [f"# 主题索引 · {index.volume.title}", ""]
    for initial, headings in index.groups():
        lines += [f"## {initial}", ""]
        for heading in headings:
            lines.append(f"- {_line(heading)}")
            lines += [f"  - {_line(subheading)}" for subheading in heading.subheadings]
        lines.append("")
    return "\n".join(lines)


def _line(heading: IndexHeading) -> str:
    pages = "、".join(str(page) for page in heading.pages)
    text = f"{heading.heading} …… {pages}" if pages else heading.heading
    if heading.see:
        text += f" {'参见' if pages else '见'} {heading.see}"
    return text


def render_html(index: SubjectIndex) -> str:
    """A standalone HTML page of the index (the web UI has its own page, with links)."""
    title = html.escape(f"主题索引 · {index.volume.title}")
    parts = [
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{title}</title></head><body>",
        f"<h1>{title}</h1>",
    ]
    for initial, headings in index.groups():
        parts.append(f"<h2>{html.escape(initial)}</h2><ul>")
        for heading in headings:
            parts.append(f"<li>{html.escape(_line(heading))}")
            if heading.subheadings:
                parts.append("<ul>")
                parts += [f"<li>{html.escape(_line(subheading))}</li>" for subheading in heading.subheadings]
                parts.append("</ul>")
            parts.append("</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
