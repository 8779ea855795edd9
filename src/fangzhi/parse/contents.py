"""A yearbook's 目录 (table of contents) as printed at the front of the text.

A 目录 lists the 类目 with the page each starts on, usually with their 分目
indented below: ``特载……………1``, ``　　综述………47``.  When the text keeps
it, it names the chapters and gives their first pages, as a bookmark list
does; indentation (or a ``第一篇``/``一、`` numbering) tells chapters from
sections, and without either every item is taken as a chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.model import ListedChapter
from fangzhi.parse.layouts import ContentsRule
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

_CHAPTER_NUMBERING = re.compile(r"^(第[一二三四五六七八九十百\d]+[篇编部分章卷]|[一二三四五六七八九十]+、)\s*")
_SEARCH_LINES = 3000
_MAX_GAP = 2


@dataclass(frozen=True)
class Contents:
    chapters: tuple[ListedChapter, ...]
    sections: tuple[ListedChapter, ...]
    line_start: int
    line_end: int


def find_contents(source: SourceText, rule: ContentsRule) -> Contents | None:
    """The first 目录 heading followed by page-numbered items, read to its last item."""
    for number in range(1, min(len(source), _SEARCH_LINES) + 1):
        if squeeze_spaces(source.line(number)) in rule.headings:
            contents = _read_items(source, number, rule)
            if contents is not None:
                return contents
    return None


def _read_items(source: SourceText, heading: int, rule: ContentsRule) -> Contents | None:
    items: list[tuple[int, str, str, int]] = []
    pending: list[str] = []
    gap = 0
    last = heading
    for number in range(heading + 1, len(source) + 1):
        raw = source.line(number)
        if not raw.strip():
            continue
        match = rule.item.match(raw.rstrip())
        if match is None:
            gap += 1
            if gap > _MAX_GAP:
                break
            pending.append(raw.strip())
            continue
        name = squeeze_spaces("".join(pending) + match["name"])
        indent = match["indent"].replace("\t", "    ").replace("\u3000", "  ")
        items.append((number, indent, name, int(match["page"])))
        pending, gap, last = [], 0, number
    if len(items) < 2:
        return None
    indents = {len(indent) for _, indent, _, _ in items}
    numbered = [bool(_CHAPTER_NUMBERING.match(name)) for _, _, name, _ in items]
    chapters: list[ListedChapter] = []
    sections: list[ListedChapter] = []
    for position, (line, indent, name, page) in enumerate(items):
        if len(indents) > 1:
            level = 1 if len(indent) == min(indents) else 2
        elif any(numbered) and not all(numbered):
            level = 1 if numbered[position] else 2
        else:
            level = 1
        listed = ListedChapter(
            number=None, name=_CHAPTER_NUMBERING.sub("", name), first_page=page, last_page=None, line=line, level=level
        )
        (chapters if level == 1 else sections).append(listed)
    numbered_chapters = []
    for index, chapter in enumerate(chapters):
        following = chapters[index + 1].first_page if index + 1 < len(chapters) else None
        last_page = following - 1 if following is not None and chapter.first_page is not None else None
        numbered_chapters.append(
            ListedChapter(
                number=index + 1,
                name=chapter.name,
                first_page=chapter.first_page,
                last_page=last_page if last_page is None or last_page >= (chapter.first_page or 0) else None,
                line=chapter.line,
            )
        )
    return Contents(tuple(numbered_chapters), tuple(sections), heading, last)
