"""What comes before the first chapter: cover and colour pages, 目录, and the 编辑说明 or 凡例.

The editorial notes are a run of numbered items (``一、…``, ``二、…``) with
their heading before or, in some extractions, after them.  They often
declare the book's own counts (``全书共设40个类目、244个分目、1525个条目``),
which fangzhi compares with what it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from fangzhi.model import ContentsAttributes, EditorialNotesAttributes, Node, NodeKind
from fangzhi.parse.body_text import BodyText
from fangzhi.parse.contents import Contents
from fangzhi.parse.furniture import TextFurniture
from fangzhi.parse.layouts import LayoutProfile, declared_count_words
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

_NUMERALS = "一二三四五六七八九十"
_ITEM = re.compile(r"^\s*(?P<numeral>[一二三四五六七八九十]{1,3})[、．.]")
_SEARCH_LINES = 5000
_MAX_NOTES_LINES = 400
_ITEM_END = ("。", "；", ";")


def _numeral(number: int) -> str:
    if number <= 10:
        return _NUMERALS[number - 1]
    if number < 20:
        return "十" + _NUMERALS[number - 11]
    tens, ones = divmod(number, 10)
    return _NUMERALS[tens - 1] + "十" + (_NUMERALS[ones - 1] if ones else "")


@lru_cache(maxsize=1)
def _numeral_values() -> dict[str, int]:
    return {_numeral(number): number for number in range(1, 100)}


def _item_number(line: str) -> int | None:
    match = _ITEM.match(line)
    return _numeral_values().get(match["numeral"]) if match else None


@dataclass(frozen=True)
class EditorialNotes:
    title: str
    title_line: int
    line_start: int
    line_end: int
    declared: dict[str, int] = field(default_factory=dict)


def find_editorial_notes(source: SourceText, profile: LayoutProfile, end: int) -> EditorialNotes | None:
    """The first notes heading with numbered items after it (or, printed late, before it)."""
    for number in range(1, min(end, _SEARCH_LINES) + 1):
        title = squeeze_spaces(source.line(number))
        if title not in profile.notes_headings:
            continue
        block = _items_after(source, number, end) or _items_before(source, number)
        if block is None:
            continue
        start, last = min(block[0], number), max(block[1], number)
        text = " ".join(squeeze_spaces(source.line(n)) for n in range(start, last + 1))
        return EditorialNotes(title, number, start, last, declared_counts(text))
    return None


def _items_after(source: SourceText, heading: int, end: int) -> tuple[int, int] | None:
    lines = [n for n in range(heading + 1, min(end, heading + _MAX_NOTES_LINES) + 1) if source.line(n).strip()]
    if not lines or _item_number(source.line(lines[0])) != 1:
        return None
    expected = 2
    last = lines[0]
    for previous, number in zip(lines, lines[1:], strict=False):
        closed = squeeze_spaces(source.line(previous)).endswith(_ITEM_END)
        value = _item_number(source.line(number))
        if closed and value == expected:
            expected += 1
        elif closed:
            break
        last = number
    return lines[0], last


def _items_before(source: SourceText, heading: int) -> tuple[int, int] | None:
    """Items above a heading printed after them: back to item 一, every item number in order."""
    lines = [n for n in range(heading - 1, max(heading - _MAX_NOTES_LINES, 0), -1) if source.line(n).strip()]
    expected: int | None = None
    for number in lines:
        value = _item_number(source.line(number))
        if value is None:
            continue
        if expected is not None and value != expected:
            return None
        if value == 1:
            return number, lines[0]
        expected = value - 1
    return None


def declared_counts(text: str) -> dict[str, int]:
    """Counts the notes declare: ``共设40个类目``, ``表格7个``, ``图片126幅``."""
    found: dict[str, int] = {}
    for key, words in declared_count_words().items():
        for word in words:
            match = re.search(rf"(\d+)\s*[个幅张篇项]?\s*{word}|{word}\s*(\d+)\s*[个幅张篇项]", text)
            if match:
                found[key] = int(match.group(1) or match.group(2))
                break
    return found


def front_matter_end(furniture: TextFurniture, notes: EditorialNotes | None) -> int:
    """The last line of the front matter: the end of the 目录 or the notes, whichever is later."""
    ends = [0]
    if furniture.contents is not None:
        ends.append(furniture.contents.line_end)
    if notes is not None:
        ends.append(notes.line_end)
    return max(ends)


def read_front_matter(
    body: BodyText, furniture: TextFurniture, notes: EditorialNotes | None, start: int, end: int
) -> Node:
    """The front matter: one paragraph per page of cover text, its captions, the notes and the 目录."""
    source = body.source
    node = body.place(Node(kind=NodeKind.FRONT_MATTER, title="卷首", line_start=start, line_end=end))
    blocks: list[tuple[int, int, Node | None]] = []
    if notes is not None and start <= notes.line_start <= end:
        lines = body.text_lines(notes.line_start, notes.line_end, skip=frozenset({notes.title_line}))
        blocks.append(
            (
                notes.line_start,
                notes.line_end,
                Node(
                    kind=NodeKind.EDITORIAL_NOTES,
                    title=notes.title,
                    line_start=notes.line_start,
                    line_end=notes.line_end,
                    text=body.paragraphs_text(lines),
                    attributes=EditorialNotesAttributes(declared=dict(notes.declared)),
                ),
            )
        )
    contents: Contents | None = furniture.contents
    if contents is not None and start <= contents.line_start <= end:
        blocks.append(
            (
                contents.line_start,
                contents.line_end,
                Node(
                    kind=NodeKind.CONTENTS,
                    title=squeeze_spaces(source.line(contents.line_start)),
                    line_start=contents.line_start,
                    line_end=contents.line_end,
                    text="\n".join(item.name for item in contents.chapters),
                    attributes=ContentsAttributes(source="contents", chapters=list(contents.chapters)),
                ),
            )
        )
    blocks.sort(key=lambda block: block[0])
    marks = [mark for mark in furniture.page_marks if start < mark <= end]
    cuts = sorted({start, *marks, *(first for first, _, _ in blocks), *(last + 1 for _, last, _ in blocks)})
    for position, first in enumerate(cuts):
        last = cuts[position + 1] - 1 if position + 1 < len(cuts) else end
        if first > end or last < first:
            continue
        block = next((item for item in blocks if item[0] == first), None)
        if block is not None:
            node.add(body.place(block[2]))  # type: ignore[arg-type]
            continue
        if any(b_first <= first <= b_last for b_first, b_last, _ in blocks):
            continue
        node.children.extend(body.furniture_nodes(first, last))
        lines = body.text_lines(first, last)
        if lines:
            node.add(
                body.place(
                    Node(
                        kind=NodeKind.PARAGRAPH,
                        title=None,
                        line_start=lines[0],
                        line_end=lines[-1],
                        text="\n".join(squeeze_spaces(source.line(n)) for n in lines),
                    )
                )
            )
    return node
