"""Reading the text layer of a PDF, page by page, into a :class:`SourceText`.

A published yearbook or gazette PDF already knows what the extracted text
lost: where each page starts, the number printed on it, and the order of its
columns.  So the reader keeps all three.  Each page's text comes out as lines
in reading order (columns left to right, a heading that spans the columns
between them); the page number is taken from the page label or from a
number printed in the top or bottom margin; and the page furniture found
there (page numbers, running headers and footers that repeat from page to
page) is kept on the page record instead of in the text stream.  The PDF's
outline (bookmarks) follows the last page as tab-indented lines with each
top-level item's printed page range, which is how the yearbook parser reads
its chapters from extracted text too.

pypdfium2 (PDFium) reads the pages; docs/pdf.md says why it was chosen over
pdfplumber.  A PDF without a text layer (a scan) is refused with a message
that it needs OCR first.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fangzhi.errors import InputError
from fangzhi.text.plural import counted
from fangzhi.text.source import SourcePage, SourceText

# A margin line that is only a page number, however decorated: 42, ··42, - 42 -, — 42 —, ·42·, 第42页.
_BARE_NUMBER = re.compile(r"^[\s\-—–－·•.。_~～()（）]*(?:第\s*)?(\d{1,4})(?:\s*页)?[\s\-—–－·•.。_~～()（）]*$")
# A running header or footer with the page number at one end: "42 平顶山年鉴", "市情概览 43".
_NUMBER_AT_END = re.compile(r"^(\d{1,4})\s+\S.*$|^.*\S\s+(\d{1,4})$")
# Share of the page height at the top and bottom where headers, footers and page numbers sit.
MARGIN_SHARE = 0.08
# A margin line is set apart from the body by at least this many body line heights.
MARGIN_GAP = 1.5
# A column is at least this share of the text width (a table's columns, narrower, are read column by column too).
MIN_COLUMN_SHARE = 0.1
# Characters further apart than this many character heights belong to different runs (columns, table cells).
SEGMENT_GAP = 0.8
# A gap wider than this share of the character height between two characters is a space.
SPACE_GAP = 0.2
# PDFium reports a hyphen that ends a line as U+0002 (or U+FFFE); the PDF prints a hyphen.
SOFT_HYPHENS = ("\x02", "\ufffe")
# Running headers repeat: the same text (digits aside) in the margin of at least this many pages.
REPEATS = 3


@dataclass
class _Segment:
    """A run of text on one line of the page, in PDF points (origin bottom left)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Line:
    segments: list[_Segment] = field(default_factory=list)

    @property
    def top(self) -> float:
        return max(segment.top for segment in self.segments)

    @property
    def bottom(self) -> float:
        return min(segment.bottom for segment in self.segments)

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def text(self) -> str:
        """Runs left to right, a space between two."""
        return " ".join(segment.text for segment in sorted(self.segments, key=lambda segment: segment.left))


@dataclass(frozen=True)
class _Gutter:
    """Where two columns part: its clearest stretch, and the wider stretch that few runs cross."""

    left: float
    right: float
    run_left: float
    run_right: float

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


@dataclass
class PdfPageText:
    """One page as read: its text runs, the lines in its margins, and then its body lines and number."""

    index: int
    height: float
    segments: list[_Segment]
    label: str | None = None
    margins: list[tuple[str, _Line]] = field(default_factory=list)  # ("top" or "bottom", line)
    furniture: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    number: int | None = None
    candidates: list[tuple[int, bool]] = field(default_factory=list)  # (number, printed alone)


def read_pdf(data: bytes, path: str) -> SourceText:
    """The text layer of a PDF as lines, with one :class:`SourcePage` per page of the file."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        problem = "it is password-protected" if "password" in str(error).lower() else str(error)
        raise InputError(path, f"cannot be read as a PDF ({problem})") from None
    try:
        pages = [_read_page(document, index) for index in range(len(document))]
        outline = _outline(document)
        title = (document.get_metadata_value("Title") or "").strip()
    finally:
        document.close()
    if not pages:
        raise InputError(path, "the PDF has no pages")
    if not any(page.segments for page in pages):
        raise InputError(
            path,
            f"the PDF has no text layer ({counted(len(pages), 'page')} of images, a scan?): "
            "run OCR on it first (for example ocrmypdf) and ingest the result",
        )
    _separate_furniture(pages)
    for page in pages:
        page.lines = reading_order(page.segments)
    _number_pages(pages)
    return _source(path, data, pages, outline, title or Path(path).stem)


def _read_page(document: object, index: int) -> PdfPageText:
    page = document[index]  # type: ignore[index]
    try:
        _, height = page.get_size()
        textpage = page.get_textpage()
        try:
            segments = _segments(textpage)
        finally:
            textpage.close()
    finally:
        page.close()
    label = document.get_page_label(index) or None  # type: ignore[attr-defined]
    page_text = PdfPageText(index=index + 1, height=height, segments=segments, label=label)
    page_text.margins = _margin_lines(segments, height)
    return page_text


def _segments(textpage: object) -> list[_Segment]:
    """Runs of characters that sit next to each other on one line, from the characters' boxes.

    PDFium's own text rectangles join everything on a baseline that comes
    one after the other in the content stream, across a column gutter too,
    so the runs are rebuilt here: a run ends where the next character is on
    another line or more than a character's width away.
    """
    import pypdfium2.raw as pdfium_c

    segments: list[_Segment] = []
    current: _Segment | None = None
    high = 0
    for number in range(textpage.count_chars()):  # type: ignore[attr-defined]
        code = pdfium_c.FPDFText_GetUnicode(textpage, number)
        if 0xD800 <= code <= 0xDBFF:  # a character beyond the BMP (rare names) comes as two halves
            high = code
            continue
        if 0xDC00 <= code <= 0xDFFF:
            code, high = (0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00), 0) if high else (0, 0)
        if not code:
            continue
        char = chr(code)
        if char.isspace():
            continue
        if char in SOFT_HYPHENS:
            char = "-"
        left, bottom, right, top = textpage.get_charbox(number, loose=True)  # type: ignore[attr-defined]
        if right <= left or top <= bottom:
            continue
        if current is not None:
            size = min(current.height, top - bottom)
            overlap = min(current.top, top) - max(current.bottom, bottom)
            gap = left - current.right
            if overlap > 0.5 * size and -0.3 * size <= gap <= SEGMENT_GAP * size:
                if gap > SPACE_GAP * size:
                    current.text += " "
                current.text += char
                current.right = max(current.right, right)
                current.bottom, current.top = min(current.bottom, bottom), max(current.top, top)
                continue
        current = _Segment(char, left, bottom, right, top)
        segments.append(current)
    return segments


def reading_order(segments: Sequence[_Segment]) -> list[str]:
    """The text lines of one page in reading order, an empty line between blocks.

    Columns are found from the gutters: vertical strips that no text crosses,
    with a column's worth of text on each side.  A line that crosses a gutter
    (a chapter title, a wide table, a caption set across the page) ends one
    band of columns and starts the next; within a band the columns are read
    left to right, each top to bottom.  A new column or band, and a gap of
    at least a line's height inside a column, start a new block.
    """
    if not segments:
        return []
    gutters = _gutters(segments)
    blocks: list[list[_Line]] = []
    if not gutters:
        blocks.append(_lines_top_down(list(segments)))
    else:
        spanning = [s for s in segments if _spans(s, gutters)]
        remaining = [s for s in segments if not _spans(s, gutters)]
        for span_line in _lines_top_down(spanning):
            above = [s for s in remaining if s.middle > span_line.top - span_line.height / 2]
            remaining = [s for s in remaining if s.middle <= span_line.top - span_line.height / 2]
            blocks.extend(_columns(above, gutters))
            blocks.append([span_line])
        blocks.extend(_columns(remaining, gutters))
    height = statistics.median(segment.height for segment in segments)
    lines: list[str] = []
    for block in blocks:
        if not block:
            continue
        if lines:
            lines.append("")
        for previous, line in zip([None, *block], block, strict=False):
            if previous is not None and previous.bottom - line.top >= height:
                lines.append("")
            lines.append(line.text)
    return lines


def _spans(segment: _Segment, gutters: list[_Gutter]) -> bool:
    """A run crosses a gutter's middle, or is centred over it (a title centred above ragged columns)."""
    centre = (segment.left + segment.right) / 2
    return any(
        segment.left < gutter.middle < segment.right or gutter.run_left < centre < gutter.run_right
        for gutter in gutters
    )


def _columns(segments: list[_Segment], gutters: list[_Gutter]) -> list[list[_Line]]:
    edges = [float("-inf"), *(gutter.middle for gutter in gutters), float("inf")]
    return [
        _lines_top_down([s for s in segments if left <= (s.left + s.right) / 2 < right])
        for left, right in zip(edges, edges[1:], strict=False)
    ]


def _lines_top_down(segments: list[_Segment]) -> list[_Line]:
    """Group segments into lines by vertical overlap, top line first."""
    lines: list[_Line] = []
    for segment in sorted(segments, key=lambda s: (-s.top, s.left)):
        for line in reversed(lines[-3:]):
            overlap = min(line.top, segment.top) - max(line.bottom, segment.bottom)
            if overlap > 0.5 * min(line.height, segment.height):
                line.segments.append(segment)
                break
        else:
            lines.append(_Line([segment]))
    lines.sort(key=lambda line: -line.top)
    return lines


def _gutters(segments: Sequence[_Segment]) -> list[_Gutter]:
    """The column gutters, left to right (none on a one-column page)."""
    left = min(s.left for s in segments)
    right = max(s.right for s in segments)
    width = right - left
    if width <= 0 or len(segments) < 6:
        return []
    char = statistics.median(s.height for s in segments)
    step = max(char / 4, 0.5)
    cells = int(width / step) + 1
    coverage = [0] * cells
    for segment in segments:
        for cell in range(int((segment.left - left) / step), min(int((segment.right - left) / step) + 1, cells)):
            coverage[cell] += 1
    # A gutter may be crossed by a few spanning lines, never by a column's worth of text.
    allowed = max(1, len(segments) // 20)
    gutters: list[_Gutter] = []
    column_start = left
    for gutter in _clear_stretches(coverage, allowed, left, step, char * 0.8):
        gap_left, gap_right = gutter.left, gutter.right
        if gap_left - column_start < width * MIN_COLUMN_SHARE or right - gap_right < width * MIN_COLUMN_SHARE:
            continue
        before = sum(1 for s in segments if s.right <= gap_left + step and s.left >= column_start - step)
        after = sum(1 for s in segments if s.left >= gap_right - step)
        if before >= 3 and after >= 3:
            gutters.append(gutter)
            column_start = gap_right
    return gutters


def _clear_stretches(coverage: list[int], allowed: int, left: float, step: float, min_width: float) -> list[_Gutter]:
    """Candidate gutters, left to right: in each stretch that few runs cross, the parts that the fewest cross.

    A sparse column (a few table cells) can sit inside one such stretch
    between two gutters; taking only the clearest parts keeps both.
    """
    found: list[_Gutter] = []
    cell = 0
    while cell < len(coverage):
        if coverage[cell] > allowed:
            cell += 1
            continue
        start = cell
        while cell < len(coverage) and coverage[cell] <= allowed:
            cell += 1
        lowest = min(coverage[start:cell])
        run_start: int | None = None
        for position in range(start, cell + 1):
            clear = position < cell and coverage[position] == lowest
            if clear and run_start is None:
                run_start = position
            elif not clear and run_start is not None:
                if (position - run_start) * step >= min_width:
                    found.append(
                        _Gutter(
                            left + run_start * step, left + position * step, left + start * step, left + cell * step
                        )
                    )
                run_start = None
    return found


def _margin_lines(segments: list[_Segment], height: float) -> list[tuple[str, _Line]]:
    """Lines printed in the top and bottom margins, set apart from the body by a gap.

    They may be the page number and running headers or footers; whether each
    really is furniture is decided over the whole document
    (:func:`_separate_furniture`).
    """
    lines = _lines_top_down(segments)
    if not lines:
        return []
    line_height = statistics.median(line.height for line in lines)
    found: list[tuple[str, _Line]] = []
    for position in ("top", "bottom"):
        while lines:
            line = lines[0] if position == "top" else lines[-1]
            neighbour = (lines[1] if position == "top" else lines[-2]) if len(lines) > 1 else None
            if position == "top":
                in_margin = line.bottom >= height * (1 - MARGIN_SHARE)
                gap = line.bottom - neighbour.top if neighbour else None
            else:
                in_margin = line.top <= height * MARGIN_SHARE
                gap = neighbour.bottom - line.top if neighbour else None
            if not in_margin or (gap is not None and gap < line_height * MARGIN_GAP):
                break
            found.append((position, line))
            lines.remove(line)
    return found


def _separate_furniture(pages: list[PdfPageText]) -> None:
    """Take page numbers and running headers and footers out of the pages' text.

    A margin line is furniture when it is a page number (alone or beside a
    running title) or when its text, digits aside, recurs in the margins of
    several pages; anything else in a margin is body text and stays.
    """
    shapes = Counter(_shape(line.text) for page in pages for _, line in page.margins)
    for page in pages:
        for _, line in page.margins:
            text = line.text
            bare = _BARE_NUMBER.match(text)
            at_end = _NUMBER_AT_END.match(text)
            if not (bare or at_end or shapes[_shape(text)] >= REPEATS):
                continue
            page.furniture.append(text)
            taken = {id(segment) for segment in line.segments}
            page.segments = [segment for segment in page.segments if id(segment) not in taken]
            if bare:
                page.candidates.append((int(bare.group(1)), True))
            elif at_end:
                page.candidates.append((int(at_end.group(1) or at_end.group(2)), False))


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _number_pages(pages: list[PdfPageText]) -> None:
    """Each page's printed number: from its margin, else its label, else counted from numbered pages.

    Numbers in the margins vote: the page number is the candidate whose
    offset from the page index most pages share, so a year printed in a
    running header (``2024``) is never taken for a page number.  A number
    that no other page agrees with counts when it is printed alone and goes
    on from the page before (a jump over pages missing from the file, less
    than the file's length); in a file where no two pages agree, a number
    printed alone counts as it is.  Pages without a number of their own
    (chapter openers) are counted between two numbered pages that agree, or
    after the last one.
    """
    offsets = Counter(number - page.index for page in pages for number, _ in page.candidates)
    agreement = any(count >= 2 for count in offsets.values())
    anchors: list[tuple[int, int]] = []
    last_number: int | None = None
    for page in pages:
        ranked = sorted(page.candidates, key=lambda c: (offsets[c[0] - page.index], c[1]), reverse=True)
        for number, alone in ranked[:1]:
            goes_on = last_number is not None and last_number < number < last_number + len(pages)
            if offsets[number - page.index] >= 2 or (alone and (not agreement or goes_on)):
                page.number = number
        if page.number is None and page.label and page.label.isdigit():
            page.number = int(page.label)
        if page.number is not None:
            anchors.append((page.index, page.number - page.index))
            last_number = page.number
    if not anchors:
        return
    for page in pages:
        if page.number is not None:
            continue
        before = [offset for index, offset in anchors if index < page.index]
        after = [offset for index, offset in anchors if index > page.index]
        between_agreeing = bool(before and after and before[-1] == after[0])
        after_the_last = bool(before and not after and page.label is None)
        if between_agreeing or after_the_last:
            page.number = page.index + before[-1]


@dataclass(frozen=True)
class _OutlineItem:
    title: str
    page_index: int


def _outline(document: object) -> list[_OutlineItem]:
    """Top-level outline items with a page destination (one level down if the outline has a single root)."""
    items: list[tuple[int, str, int | None]] = []
    for bookmark in document.get_toc():  # type: ignore[attr-defined]
        destination = bookmark.get_dest()
        index = destination.get_index() if destination is not None else None
        items.append((bookmark.level, bookmark.get_title().strip(), index))
    top = [item for item in items if item[0] == 0]
    if len(top) == 1:
        top = [item for item in items if item[0] == 1]
    return [_OutlineItem(title, index + 1) for _, title, index in top if index is not None and title]


def _source(path: str, data: bytes, pages: list[PdfPageText], outline: list[_OutlineItem], title: str) -> SourceText:
    lines: list[str] = []
    records: list[SourcePage] = []
    for page in pages:
        first = len(lines) + 1
        lines.extend(page.lines)
        records.append(
            SourcePage(
                index=page.index,
                first_line=first,
                last_line=len(lines),
                number=page.number,
                label=page.label,
                furniture=tuple(page.furniture),
            )
        )
    lines.extend(_outline_lines(outline, pages, title))
    return SourceText(
        path=path,
        lines=tuple(lines),
        encoding="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        pages=tuple(records),
    )


def _outline_lines(outline: list[_OutlineItem], pages: list[PdfPageText], title: str) -> list[str]:
    """``\\t{title}-{n}-{item}（{first}-{last}）`` for each outline item whose pages are numbered."""
    numbers = {page.index: page.number for page in pages}
    last_number = next((page.number for page in reversed(pages) if page.number is not None), None)
    lines = []
    for position, item in enumerate(outline):
        first = numbers.get(item.page_index)
        if position + 1 < len(outline):
            # The number of the page before the next item's first page (pages missing from the file skipped).
            last = numbers.get(outline[position + 1].page_index - 1)
            if last is not None and first is not None and last < first:
                last = first
        else:
            last = last_number
        if first is None or last is None:
            continue
        name = re.sub(r"\s+", " ", item.title)
        lines.append(f"\t{title}-{position + 1}-{name}（{first}-{last}）")
    return lines
