"""Line roles of a PDF-extracted yearbook: what is page furniture and what is text.

A page's text stream mixes the body with running headers, footers, photo
captions and their credits, flattened tables and attribution lines.  Each
line gets one role here, so the chapter readers in :mod:`fangzhi.parse.yearbook`
see only the body, and captions and tables become nodes of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fangzhi.model import Node, NodeKind
from fangzhi.parse.bookmarks import Bookmark
from fangzhi.parse.contributors import attribution_body, parse_credit
from fangzhi.parse.pages import FOOTER, PageMap
from fangzhi.parse.tables import TABLE_CAPTION, RebuiltTable, is_cell, rebuild_columns
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

BLANK = "blank"
FOOTER_ROLE = "footer"
HEADER = "header"
CHAPTER_TITLE = "chapter_title"
CAPTION = "caption"
CREDIT = "credit"
ATTRIBUTION = "attribution"
TABLE = "table"
CONTENT = "content"
BOOKMARKS = "bookmarks"

ENTRY_START = re.compile(r"^【")
CAPTION_OPENER = re.compile(r"\d{1,2}月\d{1,2}(?:[-—－~～至]\d{1,2})?日[，,]|\d{4}年(?:\d{1,2}月)?[，,]")
SENTENCE_END = re.compile(r"[。！？；…”）)]$")
HEADING_CHARS = re.compile(r"^[\u4e00-\u9fff·“”《》（）()、]+$")


@dataclass
class Layout:
    """Every line's role, and body text where a caption was glued to a body line."""

    roles: list[str]
    text: dict[int, str] = field(default_factory=dict)
    captions: dict[int, tuple[int, int, str, str | None]] = field(default_factory=dict)
    tables: dict[int, tuple[int, int, Node]] = field(default_factory=dict)


@dataclass
class ChapterSpan:
    bookmark: Bookmark | None
    title: str
    number: int
    start: int
    end: int
    printed_title: str | None = None


def classify_lines(
    source: SourceText, pages: PageMap, spans: list[ChapterSpan], body_end: int, bookmarks_start: int | None
) -> Layout:
    roles = [BLANK] * (len(source) + 1)
    for number in range(1, len(source) + 1):
        if source.line(number).strip():
            roles[number] = CONTENT
    if bookmarks_start:
        for number in range(bookmarks_start, len(source) + 1):
            if roles[number] != BLANK:
                roles[number] = BOOKMARKS
    layout = Layout(roles)
    chapter_names = {squeeze_spaces(span.title) for span in spans}
    for span in spans:
        _mark_chapter_titles(source, layout, span, chapter_names)
    _mark_page_furniture(source, layout, body_end, chapter_names)
    _mark_tables(source, layout, 1, body_end)
    _mark_captions(source, layout, 1, body_end)
    for number in range(1, body_end + 1):
        if layout.roles[number] == CONTENT and attribution_body(source.line(number)) is not None:
            layout.roles[number] = ATTRIBUTION
    _mark_wrapped_attributions(source, layout, body_end)
    return layout


def next_nonblank(layout: Layout, line: int, end: int, step: int = 1) -> int | None:
    number = line + step
    while 1 <= number <= end:
        if layout.roles[number] != BLANK:
            return number
        number += step
    return None


def _mark_chapter_titles(source: SourceText, layout: Layout, span: ChapterSpan, chapter_names: set[str]) -> None:
    """Chapter title lines: the bookmark name, or a longer or shorter printed form at the chapter start."""
    name = squeeze_spaces(span.title)
    printed = None
    seen = 0
    for number in range(span.start, span.end + 1):
        if layout.roles[number] == BLANK:
            continue
        text = squeeze_spaces(source.line(number))
        if text in (name, printed):
            layout.roles[number] = CHAPTER_TITLE
            continue
        if re.fullmatch(r"\d{4}", text) or "YEARBOOK" in text.upper():
            continue
        seen += 1
        following = next_nonblank(layout, number, span.end)
        opens_entry = following is not None and source.line(following).lstrip().startswith("【")
        if (
            seen == 1
            and not opens_entry
            and printed is None
            and 2 <= len(text) <= 12
            and HEADING_CHARS.match(text)
            and (text.startswith(name) or name.startswith(text))
        ):
            printed = text
            layout.roles[number] = CHAPTER_TITLE
    if printed:
        span.printed_title = printed


def _mark_page_furniture(source: SourceText, layout: Layout, body_end: int, chapter_names: set[str]) -> None:
    """Footers and the running headers of the page that follows them."""
    for number in range(1, body_end + 1):
        if FOOTER.match(source.line(number)):
            layout.roles[number] = FOOTER_ROLE
            following = number
            for _ in range(3):
                following = next_nonblank(layout, following, body_end)
                if following is None:
                    break
                text = squeeze_spaces(source.line(following))
                if re.fullmatch(r"\d{4}", text) or "YEARBOOK" in text.upper() or text in chapter_names:
                    layout.roles[following] = HEADER
                elif layout.roles[following] != CHAPTER_TITLE:
                    break
        elif "YEARBOOK" in source.line(number).upper() and len(source.line(number).strip()) < 40:
            layout.roles[number] = HEADER


def _mark_tables(source: SourceText, layout: Layout, start: int, end: int) -> None:
    """Find column-major tables next to a 表N caption or opening with a 序号 column."""
    for number in range(start, end + 1):
        if layout.roles[number] != CONTENT:
            continue
        text = squeeze_spaces(source.line(number))
        if TABLE_CAPTION.match(text):
            _table_at_caption(source, layout, number, end)
        elif text == "序号":
            _table_from_numbering(source, layout, number, end)


def _cell_run(source: SourceText, layout: Layout, line: int, end: int, step: int) -> list[int]:
    run: list[int] = []
    number = next_nonblank(layout, line, end, step)
    while number is not None and layout.roles[number] == CONTENT:
        text = source.line(number)
        if not is_cell(text) or TABLE_CAPTION.match(squeeze_spaces(text)) or parse_credit(text):
            break
        run.append(number)
        number = next_nonblank(layout, number, end, step)
    return run if step > 0 else run[::-1]


def _best_table(source: SourceText, run: list[int], trim_front: bool) -> tuple[list[int], RebuiltTable] | None:
    """Try the run and the run less a few stray lines at its loose end."""
    for trim in range(0, 4):
        lines = run[trim:] if trim_front else run[: len(run) - trim]
        if len(lines) < 6:
            break
        table = rebuild_columns([squeeze_spaces(source.line(n)) for n in lines])
        if table is not None:
            return lines, table
    return None


def _table_at_caption(source: SourceText, layout: Layout, caption_line: int, end: int) -> None:
    after = _cell_run(source, layout, caption_line, end, 1)
    found = _best_table(source, after, trim_front=False) if len(after) >= 6 else None
    if found is None:
        before = _cell_run(source, layout, caption_line, end, -1)
        found = _best_table(source, before, trim_front=True) if len(before) >= 6 else None
    if found is None:
        return
    lines, table = found
    _store_table(source, layout, lines, table, squeeze_spaces(source.line(caption_line)), caption_line)


def _table_from_numbering(source: SourceText, layout: Layout, header_line: int, end: int) -> None:
    run = [header_line] + _cell_run(source, layout, header_line, end, 1)
    found = _best_table(source, run, trim_front=False)
    if found is None:
        return
    lines, table = found
    caption_line = next_nonblank(layout, lines[-1], end)
    while caption_line is not None and parse_credit(source.line(caption_line)):
        caption_line = next_nonblank(layout, caption_line, end)
    caption = None
    if caption_line is not None:
        text = squeeze_spaces(source.line(caption_line))
        if len(text) <= 40 and not re.search(r"[，。；：]", text) and not ENTRY_START.match(text):
            caption = text
    _store_table(source, layout, lines, table, caption, caption_line if caption else None)


def _store_table(
    source: SourceText,
    layout: Layout,
    lines: list[int],
    table: RebuiltTable,
    caption: str | None,
    caption_line: int | None,
) -> None:
    first, last = lines[0], lines[-1]
    span = [first, last] + ([caption_line] if caption_line else [])
    node = Node(
        kind=NodeKind.TABLE,
        title=caption,
        line_start=min(span),
        line_end=max(span),
        text="\n".join(" | ".join(row) for row in [table.columns, *table.rows]),
        attributes={"columns": table.columns, "rows": table.rows},
    )
    for number in lines:
        layout.roles[number] = TABLE
    if caption_line:
        layout.roles[caption_line] = TABLE
    layout.tables[min(span)] = (min(span), max(span), node)


def _mark_captions(source: SourceText, layout: Layout, start: int, end: int) -> None:
    """Photo credits, and the caption text before them, out of the text stream."""
    for number in range(start, end + 1):
        if layout.roles[number] not in (CONTENT, CHAPTER_TITLE):
            continue
        credit = parse_credit(source.line(number))
        if credit is None:
            continue
        before, who = credit
        caption_start = number
        opener = _caption_opener(before)
        if opener > 0:
            layout.text[number] = before[:opener]
            layout.captions[number] = (number, number, squeeze_spaces(before[opener:]), who)
            continue
        layout.roles[number] = CAPTION if before else CREDIT
        caption_lines = [number] if before else []
        if opener < 0:
            caption_lines = _caption_lines_before(source, layout, number, end, glued=bool(before)) + caption_lines
        for line in caption_lines:
            layout.roles[line] = CAPTION
        caption_text = join_lines([*(source.line(n) for n in caption_lines if n != number), before])
        if caption_lines:
            caption_start = caption_lines[0]
        layout.captions[caption_start] = (caption_start, number, squeeze_spaces(caption_text), who)


def _caption_opener(before: str) -> int:
    """Where a caption starts in the text before its credit.

    0: the whole text is the caption (it opens with a date); a positive
    offset: body text runs into a caption glued after it, cut at the last
    dated opening (``3月30日，``, ``2023年，``); -1: the text is empty or may be
    the tail of a caption that began on the lines above.
    """
    text = before.strip()
    if not text:
        return -1
    if CAPTION_OPENER.match(text):
        return 0
    openings = [m.start() for m in CAPTION_OPENER.finditer(text) if m.start() > text.find("】")]
    if openings and not SENTENCE_END.search(text[: openings[-1]]):
        return before.find(text) + openings[-1]
    if text.startswith("【"):
        return len(before)
    return -1


def _caption_lines_before(source: SourceText, layout: Layout, credit_line: int, end: int, glued: bool) -> list[int]:
    """The caption lines above a credit: back to a dated opening, or one wide line.

    When the credit is glued to the caption's last line, that line is the
    caption's tail and only a dated opening above it makes it longer.
    """
    lines: list[int] = []
    number = credit_line
    for _ in range(3):
        previous = next_nonblank(layout, number, end, -1)
        if previous is None or layout.roles[previous] != CONTENT:
            break
        text = squeeze_spaces(source.line(previous))
        if SENTENCE_END.search(text) or "【" in text or attribution_body(text) is not None:
            break
        lines.insert(0, previous)
        number = previous
    for position, line in enumerate(lines):
        if CAPTION_OPENER.match(squeeze_spaces(source.line(line))):
            return lines[position:]
    if not glued and lines and len(squeeze_spaces(source.line(lines[-1]))) >= 18:
        return lines[-1:]
    return []


def _mark_wrapped_attributions(source: SourceText, layout: Layout, end: int) -> None:
    for number in range(1, end):
        text = source.line(number).strip()
        if layout.roles[number] != CONTENT or not text.startswith("（") or "）" in text:
            continue
        following = next_nonblank(layout, number, end)
        if following is None or layout.roles[following] != CONTENT:
            continue
        joined = text + " " + source.line(following).strip()
        if attribution_body(joined) is not None:
            layout.roles[number] = ATTRIBUTION
            layout.roles[following] = ATTRIBUTION
            layout.text[number] = joined
            layout.text[following] = ""
