"""PDFs made during the tests, with a CJK font, in the layouts yearbooks and gazettes are printed in.

fpdf2 writes them (a test dependency only); WenQuanYi Zen Hei is Debian's
``fonts-wqy-zenhei``, which ``.ci/run`` installs.  The benchmark uses the same
maker for the whole sample yearbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fangzhi.parse.bookmarks import find_bookmark_list
from fangzhi.parse.layouts import detect_layout
from fangzhi.parse.pages import pages_of_text
from fangzhi.text.source import SourceText

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
WIDTH, HEIGHT = 595.28, 841.89  # A4 in points
MARGIN = 56.0
FONT_SIZE = 10.0


@dataclass
class Page:
    """One printed page: body lines (or columns), and what its margins print."""

    lines: list[str] = field(default_factory=list)
    columns: list[list[str]] = field(default_factory=list)
    heading: str | None = None  # across the columns, above them
    header: str | None = None  # running header in the top margin
    footer: str | None = None  # page number or running footer in the bottom margin
    label: str | None = None  # PDF page label (decimal)
    image_only: bool = False  # a scanned page: a picture, no text


def font_available() -> bool:
    return FONT.exists()


def write_pdf(path: Path, pages: list[Page], title: str = "", outline: list[tuple[str, int]] | None = None) -> Path:
    """Write ``pages``; ``outline`` is (title, 0-based page index) for top-level bookmarks."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=FONT_SIZE)
    if title:
        pdf.set_title(title)
    starts = {index: name for name, index in outline or []}
    for index, page in enumerate(pages):
        pdf.add_page()
        if page.label is not None:
            pdf.set_page_label(label_style="D", label_start=int(page.label))
        if index in starts:
            pdf.start_section(starts[index])
        if page.image_only:
            _scanned_page(pdf)
            continue
        if page.header:
            _text(pdf, MARGIN, 30, page.header)
        if page.footer:
            pdf.set_font_size(FONT_SIZE)
            _text(pdf, (WIDTH - pdf.get_string_width(page.footer)) / 2, HEIGHT - 40, page.footer)
        top = MARGIN + 30
        if page.heading:
            pdf.set_font_size(FONT_SIZE * 1.6)
            _text(pdf, (WIDTH - pdf.get_string_width(page.heading)) / 2, top, page.heading)
            top += FONT_SIZE * 3
        if page.columns:
            _columns(pdf, page.columns, top)
        else:
            _flow(pdf, page.lines, top)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _text(pdf, x: float, y: float, text: str) -> None:  # type: ignore[no-untyped-def]
    pdf.text(x, y, text)


def _flow(pdf, lines: list[str], top: float) -> None:  # type: ignore[no-untyped-def]
    """One column, top to bottom; long lines set smaller to fit, many lines set closer."""
    available = HEIGHT - top - MARGIN - 20
    pitch = min(FONT_SIZE * 1.5, available / max(len(lines), 1))
    size = min(FONT_SIZE, pitch / 1.5)
    for number, line in enumerate(lines):
        pdf.set_font_size(size)
        width = pdf.get_string_width(line)
        if width > WIDTH - 2 * MARGIN:
            pdf.set_font_size(size * (WIDTH - 2 * MARGIN) / width)
        _text(pdf, MARGIN, top + number * pitch, line)


def _columns(pdf, columns: list[list[str]], top: float) -> None:  # type: ignore[no-untyped-def]
    """Columns side by side, written row by row across the columns, as some typesetters order them.

    An empty string is an empty row; lines too wide for their column are set smaller.
    """
    gutter = 24.0
    width = (WIDTH - 2 * MARGIN - gutter * (len(columns) - 1)) / len(columns)
    rows = max(len(column) for column in columns)
    pitch = min(FONT_SIZE * 1.5, (HEIGHT - top - MARGIN - 20) / rows)
    size = min(FONT_SIZE, pitch / 1.5)
    for row in range(rows):
        for number, column in enumerate(columns):
            if row < len(column) and column[row]:
                pdf.set_font_size(size)
                text_width = pdf.get_string_width(column[row])
                if text_width > width:
                    pdf.set_font_size(size * width / text_width)
                _text(pdf, MARGIN + number * (width + gutter), top + row * pitch, column[row])


def split_columns(rows: list[str], count: int) -> list[list[str]]:
    """Split rows into ``count`` columns at the empty rows nearest to equal heights (the empty row is dropped)."""
    columns: list[list[str]] = []
    rest = list(rows)
    for remaining in range(count, 1, -1):
        target = len(rest) // remaining
        blanks = [i for i, row in enumerate(rest) if not row and 0 < i < len(rest) - 1]
        if not blanks:
            break
        cut = min(blanks, key=lambda i: abs(i - target))
        columns.append(rest[:cut])
        rest = rest[cut + 1 :]
    columns.append(rest)
    return [column for column in columns if any(column)]


def _scanned_page(pdf) -> None:  # type: ignore[no-untyped-def]
    """A page that is only a picture of text, as a scanner makes it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    for row in range(40, 520, 24):
        draw.rectangle((40, row, 360, row + 10), fill=30)
    pdf.image(image, x=MARGIN, y=MARGIN, w=WIDTH - 2 * MARGIN)


def sample_pages(source: SourceText, first: int, last: int) -> tuple[list[Page], list[tuple[str, int]], str]:
    """Printed pages ``first``..``last`` of a text yearbook as PDF pages, with its chapters as the outline.

    Each printed page's lines (found by the text's own page recovery) become
    one PDF page in three columns with the page number in its footer (from
    page 1 on, the unnumbered front matter comes first, one PDF page per
    page the text marks); blank
    lines are empty rows, and the leading space that marked a page start in
    the text is not printed.  The bookmark list at the end of the text
    becomes the PDF outline and title.
    """
    bookmark_list = find_bookmark_list(source, detect_layout(source).bookmarks)
    assert bookmark_list is not None
    body_end = bookmark_list.line_start - 1
    page_map = pages_of_text(source)
    pages: list[Page] = []
    if first == 1:
        front = [n for n in range(1, page_map.starts[0]) if n == 1 or re.match(r"^ \S", source.line(n))]
        for position, start in enumerate(front):
            end = front[position + 1] - 1 if position + 1 < len(front) else page_map.starts[0] - 1
            pages.append(Page(columns=split_columns(_rows(source, start, end), 3)))
    index_of_page: dict[int, int] = {}
    for position, (start, number) in enumerate(zip(page_map.starts, page_map.numbers, strict=True)):
        if not first <= number <= last:
            continue
        end = page_map.starts[position + 1] - 1 if position + 1 < len(page_map.starts) else body_end
        index_of_page[number] = len(pages)
        pages.append(Page(columns=split_columns(_rows(source, start, end), 3), footer=str(number)))
    outline = []
    for bookmark in bookmark_list.chapters:
        present = [n for n in range(bookmark.first_page, bookmark.last_page + 1) if n in index_of_page]
        if present:  # a chapter whose first pages the text lost starts at its first page there is
            outline.append((bookmark.name, index_of_page[present[0]]))
    return pages, outline, bookmark_list.book or ""


def _rows(source: SourceText, start: int, end: int) -> list[str]:
    rows = [line.strip() for line in source.span(start, end)]
    while rows and not rows[-1]:
        rows.pop()
    return rows
