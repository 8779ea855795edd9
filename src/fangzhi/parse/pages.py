"""Recovering printed page numbers from PDF-extracted text.

The extraction keeps no page numbers except a few stray footers (``··42``).
What it does keep is a trace of each page start: the first line of a page
begins with an ASCII space, or the page follows a footer.  Numbering those
marks in order and anchoring the count on the footers gives every line its
printed page, including across gaps (pages lost from the extraction show up
as a footer whose number jumps).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from fangzhi.model import Node
from fangzhi.text.source import SourceText

FOOTER = re.compile(r"^\s*··\s*(\d{1,4})\s*$")
_PAGE_START = re.compile(r"^ \S")


@dataclass
class PageMap:
    """Printed page of every line from ``first_line`` on; earlier lines have none."""

    starts: list[int] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    footers: dict[int, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    last_line: int | None = None  # lines after it (a PDF's outline) are on no page

    def page_of_line(self, line: int) -> int | None:
        if self.last_line is not None and line > self.last_line:
            return None
        index = bisect.bisect_right(self.starts, line) - 1
        if index < 0:
            return None
        return self.numbers[index]

    def start_of_page(self, page: int) -> int | None:
        for start, number in zip(self.starts, self.numbers, strict=True):
            if number == page:
                return start
        return None

    def is_page_start(self, line: int) -> bool:
        index = bisect.bisect_left(self.starts, line)
        return index < len(self.starts) and self.starts[index] == line

    @property
    def pages(self) -> list[int]:
        return sorted(set(self.numbers))

    def start_lines(self) -> list[list[int]]:
        """``[first line, page]`` of every page start, as the volume records them (``page_starts``)."""
        return [[start, number] for start, number in zip(self.starts, self.numbers, strict=True)]


def recover_pages(source: SourceText, end: int | None = None) -> PageMap:
    """Number the page marks of lines 1..end, anchored on the footers.

    A mark's page is its index plus the offset given by the last footer at
    or before it (the first footer's offset for marks before any footer).
    Marks that come out below page 1 are front matter and get no page.
    A source that knows its pages (a PDF) is not inferred: its pages are used.
    """
    if source.pages:
        return printed_pages(source, end)
    end = end or len(source)
    marks: list[int] = []
    footers: dict[int, int] = {}
    after_footer = False
    for number in range(1, end + 1):
        line = source.line(number)
        footer = FOOTER.match(line)
        if footer:
            footers[number] = int(footer.group(1))
            after_footer = True
            continue
        if not line.strip():
            continue
        if after_footer or _PAGE_START.match(line):
            marks.append(number)
        after_footer = False
    page_map = PageMap(footers=footers)
    if not marks:
        page_map.warnings.append("no page marks found: pages are unknown")
        return page_map
    anchors: list[tuple[int, int]] = []
    for footer_line, printed in footers.items():
        index = bisect.bisect_right(marks, footer_line) - 1
        if index >= 0:
            anchors.append((index, printed - index))
    if not anchors:
        page_map.warnings.append("no page footers found: pages are numbered from the first page mark")
        anchors = [(0, 1)]
    anchor_indexes = [index for index, _ in anchors]
    for index, start in enumerate(marks):
        position = bisect.bisect_right(anchor_indexes, index) - 1
        offset = anchors[max(position, 0)][1]
        page = index + offset
        if page >= 1:
            page_map.starts.append(start)
            page_map.numbers.append(page)
    for footer_line, printed in footers.items():
        if page_map.page_of_line(footer_line) != printed:
            page_map.warnings.append(f"footer ··{printed} (line {footer_line}) disagrees with the page count")
    return page_map


def printed_pages(source: SourceText, end: int | None = None) -> PageMap:
    """The page map of a source that knows its pages: each page's first line and printed number.

    Pages that print no number (covers, plates) and pages without text add
    no start, so their lines belong to the page before, as in a book.
    """
    end = end or len(source)
    page_map = PageMap(last_line=max(page.last_line for page in source.pages))
    for page in source.pages:
        if page.number is None or page.last_line < page.first_line or page.first_line > end:
            continue
        page_map.starts.append(page.first_line)
        page_map.numbers.append(page.number)
    if not page_map.starts:
        page_map.warnings.append(
            "the PDF prints no page numbers (no page labels, no numbers in the margins): pages are unknown"
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
