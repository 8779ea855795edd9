"""Printed page numbers, from what the text keeps of its pages.

A text may keep a mark at every page start (the e-book layout keeps one
leading space on each page's first line), page-number footers (``··42``,
``- 12 -``), both, or neither.  With marks on every page, numbering them in
order and anchoring the count on the footers gives every line its printed
page, across gaps too (pages lost from the extraction show up as a footer
whose number jumps).  With footers alone only the pages around each footer
are known, and a line gets a page only where the text shows which page it is
on.  With neither, pages stay unknown: a page number is never guessed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from fangzhi.model import Document, Node, ParseWarning
from fangzhi.parse.furniture import TextFurniture
from fangzhi.text.plural import counted
from fangzhi.text.source import SourceText


@dataclass
class PageMap:
    """Printed page of the lines the text shows a page for.

    ``starts``/``numbers`` are the known page starts.  When ``complete``,
    every page start is marked, so a page runs to the next start; otherwise a
    page's extent is known only up to its footer or the start of the next
    page.
    """

    starts: list[int] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    footers: dict[int, int] = field(default_factory=dict)
    complete: bool = True
    warnings: list[ParseWarning] = field(default_factory=list)
    last_line: int | None = None  # lines after it (a PDF's outline) are on no page

    def __post_init__(self) -> None:
        self._footer_lines = sorted(self.footers)

    def page_of_line(self, line: int) -> int | None:
        if self.last_line is not None and line > self.last_line:
            return None
        if self.footers.get(line) is not None and not self.complete:
            return self.footers[line]
        index = bisect.bisect_right(self.starts, line) - 1
        if index < 0:
            return None
        page = self.numbers[index]
        if self.complete or self.starts[index] == line:
            return page
        next_start = self.starts[index + 1] if index + 1 < len(self.starts) else None
        position = bisect.bisect_left(self._footer_lines, line)
        if position < len(self._footer_lines):
            footer_line = self._footer_lines[position]
            if next_start is None or footer_line < next_start:
                return page if self.footers[footer_line] == page else None
        if next_start is not None and self.numbers[index + 1] == page + 1:
            return page
        return None

    def start_of_page(self, page: int) -> int | None:
        for start, number in zip(self.starts, self.numbers, strict=True):
            if number == page:
                return start
        return None

    def is_page_start(self, line: int) -> bool:
        index = bisect.bisect_left(self.starts, line)
        return index < len(self.starts) and self.starts[index] == line

    @property
    def known(self) -> bool:
        return bool(self.starts or self.footers)

    @property
    def pages(self) -> list[int]:
        found = set(self.numbers)
        if not self.complete:
            found |= set(self.footers.values())
        return sorted(found)


def recover_pages(source: SourceText, furniture: TextFurniture, anchors: dict[int, int] | None = None) -> PageMap:
    """Number the page starts, anchored on the footers, or on ``anchors`` (line → page) when there are none.

    A mark's page is its index plus the offset given by the last anchor at or
    before it (the first anchor's offset for marks before any).  Marks that
    come out below page 1 are front matter and get no page.
    A source that knows its pages (a PDF) is not inferred: its pages are used.
    """
    if source.pages:
        return printed_pages(source)
    footers = dict(furniture.footers)
    marks = sorted(set(furniture.page_marks) | set(_after_footers(source, footers, furniture.body_end)))
    if not furniture.page_marks:
        return _sparse_pages(source, footers, anchors or {}, furniture.body_end)
    page_map = PageMap(footers=footers)
    known: dict[int, int] = {}
    for footer_line, printed in footers.items():
        index = bisect.bisect_right(marks, footer_line) - 1
        if index >= 0:
            known[index] = printed - index
    if not known and anchors:
        for line, page in anchors.items():
            index = bisect.bisect_right(marks, line) - 1
            if index >= 0 and marks[index] == line:
                known[index] = page - index
    if not known:
        page_map.warnings.append(
            ParseWarning(
                "pages_numbered_from_first_mark",
                "no page numbers printed: pages are counted from the first page mark",
            )
        )
        known = {0: 1}
    anchor_indexes = sorted(known)
    for index, start in enumerate(marks):
        position = bisect.bisect_right(anchor_indexes, index) - 1
        offset = known[anchor_indexes[max(position, 0)]]
        page = index + offset
        if page >= 1:
            page_map.starts.append(start)
            page_map.numbers.append(page)
    for footer_line, printed in footers.items():
        if page_map.page_of_line(footer_line) != printed:
            page_map.warnings.append(
                ParseWarning("footer_disagrees", f"footer {printed} disagrees with the page count", footer_line)
            )
    return page_map


def _after_footers(source: SourceText, footers: dict[int, int], end: int) -> list[int]:
    """The first text line after each footer: the next page starts there."""
    starts = []
    for footer_line in footers:
        number = footer_line + 1
        while number <= end and (not source.line(number).strip() or number in footers):
            number += 1
        if number <= end:
            starts.append(number)
    return starts


def _sparse_pages(source: SourceText, footers: dict[int, int], anchors: dict[int, int], end: int) -> PageMap:
    """Pages known only next to footers (and at anchors such as chapter starts with listed pages)."""
    known: dict[int, int] = {}
    for footer_line, printed in footers.items():
        following = _after_footers(source, {footer_line: printed}, end)
        if following:
            known[following[0]] = printed + 1
    for line, page in anchors.items():
        known.setdefault(line, page)
    page_map = PageMap(footers=footers, complete=False)
    for line in sorted(known):
        page_map.starts.append(line)
        page_map.numbers.append(known[line])
    if not footers and not anchors:
        page_map.warnings.append(
            ParseWarning(
                "pages_unknown", "the text marks no pages (no page numbers, no page starts): pages are unknown"
            )
        )
    else:
        page_map.warnings.append(
            ParseWarning(
                "pages_partial",
                f"the text marks no page starts: pages are known only next to its {counted(len(footers), 'page number')}",
            )
        )
    return page_map


def pages_of_text(source: SourceText) -> PageMap:
    """The pages of a text read with the layout it shows: one call for code that has only the source."""
    from fangzhi.parse.furniture import find_furniture
    from fangzhi.parse.layouts import detect_layout

    return recover_pages(source, find_furniture(source, detect_layout(source)))


def page_map_from_starts(starts: list[list[int]] | None) -> PageMap | None:
    """The page map a parser recorded on a volume (``page_starts``: every page's first line), if it did."""
    if not starts:
        return None
    return PageMap(starts=[int(start) for start, _ in starts], numbers=[int(page) for _, page in starts])


def pages_of(document: Document) -> PageMap:
    """The pages of a parsed volume: the page starts its parser recorded, else those its text shows."""
    return page_map_from_starts(document.volume.attributes.get("page_starts")) or pages_of_text(document.source)


def printed_pages(source: SourceText) -> PageMap:
    """The page map of a source that knows its pages (a PDF): each page's first line and printed number.

    Pages that print no number (covers, plates) and pages without text add
    no start, so their lines belong to the page before, as in a book.
    """
    page_map = PageMap(last_line=max(page.last_line for page in source.pages))
    for page in source.pages:
        if page.number is None or page.last_line < page.first_line:
            continue
        page_map.starts.append(page.first_line)
        page_map.numbers.append(page.number)
    if not page_map.starts:
        page_map.warnings.append(
            ParseWarning(
                "pages_unknown",
                "the PDF prints no page numbers (no page labels, no numbers in the margins): pages are unknown",
            )
        )
    return page_map


def fill_pages(root: Node, pages: PageMap) -> None:
    """Give every node the printed pages of its first and last line, where the source knows them.

    What a parser inferred (a gazette document's page from its 目录) gives
    way to the page the PDF prints; where the PDF prints none it stays.
    """
    for node, _ in root.walk():
        first, last = pages.page_of_line(node.line_start), pages.page_of_line(node.line_end)
        if first is not None:
            node.page = first
        if last is not None:
            node.page_end = last
