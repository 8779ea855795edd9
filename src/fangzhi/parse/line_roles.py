"""Line roles of a PDF-extracted yearbook: what is page furniture and what is text.

A page's text stream mixes the body with photo captions and their credits,
flattened tables and attribution lines.  This pass gives each line one role
and returns them as a value (:class:`LineRoles`), so that chapter finding
and the readers of :mod:`fangzhi.parse.yearbook` see only the body, and
captions and tables become nodes of their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from fangzhi.parse.contributors import attribution_body, parse_credit
from fangzhi.parse.furniture import TextFurniture
from fangzhi.parse.tables import TABLE_CAPTION, RebuiltTable, is_cell, rebuild_columns
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

BLANK = "blank"
FURNITURE = "furniture"
CAPTION = "caption"
CREDIT = "credit"
ATTRIBUTION = "attribution"
TABLE = "table"
CONTENT = "content"

CAPTION_OPENER = re.compile(r"\d{1,2}月\d{1,2}(?:[-—－~～至]\d{1,2})?日[，,]|\d{4}年(?:\d{1,2}月)?[，,]")
SENTENCE_END = re.compile(r"[。！？；…”）)]$")


@dataclass(frozen=True)
class CaptionBlock:
    line_start: int
    line_end: int
    text: str
    credit: str | None


@dataclass(frozen=True)
class TableBlock:
    line_start: int
    line_end: int
    caption: str | None
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class LineRoles:
    """Every line's role; body text where a caption was cut off a line; captions and tables by first line."""

    roles: tuple[str, ...]
    text: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    captions: Mapping[int, CaptionBlock] = field(default_factory=lambda: MappingProxyType({}))
    tables: Mapping[int, TableBlock] = field(default_factory=lambda: MappingProxyType({}))

    def role(self, line: int) -> str:
        return self.roles[line]

    def is_text(self, line: int) -> bool:
        """A line of body text: content or an attribution (which closes a block of entries)."""
        return self.roles[line] in (CONTENT, ATTRIBUTION)


class _Builder:
    """The mutable working state of the pass; only :func:`assign_line_roles` sees it."""

    def __init__(self, source: SourceText, roles: list[str]) -> None:
        self.source = source
        self.roles = roles
        self.text: dict[int, str] = {}
        self.captions: dict[int, CaptionBlock] = {}
        self.tables: dict[int, TableBlock] = {}

    def next_nonblank(self, line: int, end: int, step: int = 1) -> int | None:
        number = line + step
        while 1 <= number <= end:
            if self.roles[number] != BLANK:
                return number
            number += step
        return None


def assign_line_roles(source: SourceText, furniture: TextFurniture) -> LineRoles:
    roles = [BLANK] * (len(source) + 1)
    for number in range(1, len(source) + 1):
        if source.line(number).strip():
            roles[number] = FURNITURE if furniture.is_furniture(number) else CONTENT
    builder = _Builder(source, roles)
    end = furniture.body_end
    _mark_tables(builder, 1, end)
    _mark_captions(builder, 1, end)
    for number in range(1, end + 1):
        if roles[number] == CONTENT and attribution_body(source.line(number)) is not None:
            roles[number] = ATTRIBUTION
    _mark_wrapped_attributions(builder, end)
    return LineRoles(
        tuple(roles),
        MappingProxyType(builder.text),
        MappingProxyType(builder.captions),
        MappingProxyType(builder.tables),
    )


def _mark_tables(builder: _Builder, start: int, end: int) -> None:
    """Find column-major tables next to a 表N caption or opening with a 序号 column."""
    for number in range(start, end + 1):
        if builder.roles[number] != CONTENT:
            continue
        text = squeeze_spaces(builder.source.line(number))
        if TABLE_CAPTION.match(text):
            _table_at_caption(builder, number, end)
        elif text == "序号":
            _table_from_numbering(builder, number, end)


def _cell_run(builder: _Builder, line: int, end: int, step: int) -> list[int]:
    run: list[int] = []
    number = builder.next_nonblank(line, end, step)
    while number is not None and builder.roles[number] == CONTENT:
        text = builder.source.line(number)
        if not is_cell(text) or TABLE_CAPTION.match(squeeze_spaces(text)) or parse_credit(text):
            break
        run.append(number)
        number = builder.next_nonblank(number, end, step)
    return run if step > 0 else run[::-1]


def _best_table(builder: _Builder, run: list[int], trim_front: bool) -> tuple[list[int], RebuiltTable] | None:
    """Try the run and the run less a few stray lines at its loose end."""
    for trim in range(0, 4):
        lines = run[trim:] if trim_front else run[: len(run) - trim]
        if len(lines) < 6:
            break
        table = rebuild_columns([squeeze_spaces(builder.source.line(n)) for n in lines])
        if table is not None:
            return lines, table
    return None


def _table_at_caption(builder: _Builder, caption_line: int, end: int) -> None:
    after = _cell_run(builder, caption_line, end, 1)
    found = _best_table(builder, after, trim_front=False) if len(after) >= 6 else None
    if found is None:
        before = _cell_run(builder, caption_line, end, -1)
        found = _best_table(builder, before, trim_front=True) if len(before) >= 6 else None
    if found is None:
        return
    lines, table = found
    _store_table(builder, lines, table, squeeze_spaces(builder.source.line(caption_line)), caption_line)


def _table_from_numbering(builder: _Builder, header_line: int, end: int) -> None:
    run = [header_line] + _cell_run(builder, header_line, end, 1)
    found = _best_table(builder, run, trim_front=False)
    if found is None:
        return
    lines, table = found
    caption_line = builder.next_nonblank(lines[-1], end)
    while caption_line is not None and parse_credit(builder.source.line(caption_line)):
        caption_line = builder.next_nonblank(caption_line, end)
    caption = None
    if caption_line is not None and builder.roles[caption_line] == CONTENT:
        text = squeeze_spaces(builder.source.line(caption_line))
        if len(text) <= 40 and not re.search(r"[，。；：]", text) and not text.startswith("【"):
            caption = text
    _store_table(builder, lines, table, caption, caption_line if caption else None)


def _store_table(
    builder: _Builder, lines: list[int], table: RebuiltTable, caption: str | None, caption_line: int | None
) -> None:
    span = [lines[0], lines[-1]] + ([caption_line] if caption_line else [])
    for number in lines:
        builder.roles[number] = TABLE
    if caption_line:
        builder.roles[caption_line] = TABLE
    builder.tables[min(span)] = TableBlock(min(span), max(span), caption, table.columns, table.rows)


def _mark_captions(builder: _Builder, start: int, end: int) -> None:
    """Photo credits, and the caption text before them, out of the text stream."""
    source = builder.source
    for number in range(start, end + 1):
        if builder.roles[number] != CONTENT:
            continue
        credit = parse_credit(source.line(number))
        if credit is None:
            continue
        before, who = credit
        caption_start = number
        opener = _caption_opener(before)
        if opener > 0:
            builder.text[number] = before[:opener]
            builder.captions[number] = CaptionBlock(number, number, squeeze_spaces(before[opener:]), who)
            continue
        builder.roles[number] = CAPTION if before else CREDIT
        caption_lines = [number] if before else []
        if opener < 0:
            caption_lines = _caption_lines_before(builder, number, end, glued=bool(before)) + caption_lines
        for line in caption_lines:
            builder.roles[line] = CAPTION
        caption_text = join_lines([*(source.line(n) for n in caption_lines if n != number), before])
        if caption_lines:
            caption_start = caption_lines[0]
        builder.captions[caption_start] = CaptionBlock(caption_start, number, squeeze_spaces(caption_text), who)


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


def _caption_lines_before(builder: _Builder, credit_line: int, end: int, glued: bool) -> list[int]:
    """The caption lines above a credit: back to a dated opening, or one wide line.

    When the credit is glued to the caption's last line, that line is the
    caption's tail and only a dated opening above it makes it longer.
    """
    source = builder.source
    lines: list[int] = []
    number = credit_line
    for _ in range(3):
        previous = builder.next_nonblank(number, end, -1)
        if previous is None or builder.roles[previous] != CONTENT:
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


def _mark_wrapped_attributions(builder: _Builder, end: int) -> None:
    source = builder.source
    for number in range(1, end):
        text = source.line(number).strip()
        if builder.roles[number] != CONTENT or not text.startswith("（") or "）" in text:
            continue
        following = builder.next_nonblank(number, end)
        if following is None or builder.roles[following] != CONTENT:
            continue
        joined = text + " " + source.line(following).strip()
        if attribution_body(joined) is not None:
            builder.roles[number] = ATTRIBUTION
            builder.roles[following] = ATTRIBUTION
            builder.text[number] = joined
            builder.text[following] = ""
