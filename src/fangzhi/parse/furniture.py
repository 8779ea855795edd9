"""Text furniture: what a yearbook text carries besides its text.

The first pass over a yearbook finds, with the rules of its layout profile,
the lines that are not part of any chapter: page footers (``··42``,
``- 12 -``), the running headers printed after them, the bookmark list a PDF
leaves at the end, the 目录 at the front, and the page-start marks.  Later
passes take these out of the text stream and use what they say (page numbers,
chapter names and page ranges).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fangzhi.model import Furniture
from fangzhi.parse.bookmarks import BookmarkList, find_bookmark_list
from fangzhi.parse.contents import Contents, find_contents
from fangzhi.parse.layouts import LayoutProfile
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

FOOTER = "footer"
RUNNING_HEADER = "running_header"
BOOKMARKS = "bookmarks"

_SENTENCE_PUNCTUATION = re.compile(r"[，。；：！？、,;:!?]")
_HEADER_LOOKAHEAD = 3
_FOOTER_MAX = 24


@dataclass(frozen=True)
class TextFurniture:
    """Where the furniture is and what it says."""

    body_end: int
    bookmarks: BookmarkList | None = None
    contents: Contents | None = None
    footers: dict[int, int] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    page_marks: tuple[int, ...] = ()

    def is_furniture(self, line: int) -> bool:
        return line in self.footers or line in self.headers or line > self.body_end

    def spans(self) -> list[Furniture]:
        found = [Furniture(FOOTER, line, line) for line in self.footers]
        found += [Furniture(RUNNING_HEADER, line, line) for line in self.headers]
        if self.bookmarks is not None:
            found.append(Furniture(BOOKMARKS, self.bookmarks.line_start, self.bookmarks.line_end))
        return sorted(found, key=lambda item: item.line_start)


def find_furniture(source: SourceText, profile: LayoutProfile) -> TextFurniture:
    bookmarks = find_bookmark_list(source, profile.bookmarks)
    body_end = bookmarks.line_start - 1 if bookmarks else len(source)
    contents = find_contents(source, profile.contents) if "contents" in profile.chapter_sources else None
    footers: dict[int, int] = {}
    for number in range(1, body_end + 1):
        line = source.line(number)
        if len(line) > _FOOTER_MAX or not line.strip():
            continue
        for rule in profile.footers:
            match = rule.matches(line)
            if match:
                footers[number] = int(match.group(1))
                break
    headers = _running_headers(source, profile, footers, body_end)
    marks = tuple(
        number
        for number in range(1, body_end + 1)
        if number not in footers and any(rule.matches(source.line(number)) for rule in profile.page_marks)
    )
    if source.pages:  # a PDF marks every page start, numbered or not
        marks = tuple(page.first_line for page in source.pages if page.first_line <= min(page.last_line, body_end))
    return TextFurniture(body_end, bookmarks, contents, footers, headers, marks)


def _running_headers(
    source: SourceText, profile: LayoutProfile, footers: dict[int, int], body_end: int
) -> dict[int, str]:
    """Running headers: header-word lines (a year, the book's name) after a footer, or one short title line.

    A page prints either the book's header (even pages) or the chapter's name
    (odd pages), so after each footer either header-word lines are taken, or,
    when the book is seen to print headers after its footers at all, the one
    short heading line that follows.  Header words naming the book are
    furniture wherever they stand.
    """
    headers: dict[int, str] = {}
    anywhere = [rule for rule in profile.running_headers if rule.anywhere]
    longest = max((rule.max_length or len(max(source.lines, key=len, default="")) for rule in anywhere), default=0)
    for number in range(1, body_end + 1):
        line = source.line(number)
        if anywhere and 0 < len(line.strip()) <= longest and any(rule.matches(line) for rule in anywhere):
            headers[number] = squeeze_spaces(line)
    after: dict[int, list[int]] = {footer: _following(source, footer, body_end) for footer in footers}
    worded = {
        footer
        for footer, lines in after.items()
        if lines and any(rule.matches(source.line(lines[0])) for rule in profile.running_headers)
    }
    for footer, lines in after.items():
        if footer in worded:
            for number in lines:
                if not any(rule.matches(source.line(number)) for rule in profile.running_headers):
                    break
                headers[number] = squeeze_spaces(source.line(number))
        elif worded and lines and _heading_like(source.line(lines[0])):
            headers[lines[0]] = squeeze_spaces(source.line(lines[0]))
    return headers


def _following(source: SourceText, line: int, end: int) -> list[int]:
    found: list[int] = []
    number = line + 1
    while number <= end and len(found) < _HEADER_LOOKAHEAD:
        if source.line(number).strip():
            found.append(number)
        number += 1
    return found


def _heading_like(line: str) -> bool:
    text = squeeze_spaces(line)
    return (
        2 <= len(text) <= 24
        and not _SENTENCE_PUNCTUATION.search(text)
        and not text.startswith(("【", "[", "［", "（", "("))
        and not text[0].isdigit()
    )
