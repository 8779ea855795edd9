"""The PDF's bookmark list, left at the end of the extracted text.

PDF-to-text tools often append the embedded file or bookmark names as
tab-indented lines (``\\t2024某某年鉴-12-法治（132-143）_eBook``).  Where they
survive they are the best record of each 类目 and its page range, since
chapter title lines are missing for many chapters and the 目录 may not
survive extraction.  Their patterns are layout rules
(:mod:`fangzhi.parse.layouts`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from fangzhi.model import ListedChapter
from fangzhi.parse.layouts import Rule
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

_BOOK_YEAR = re.compile(r"^(?P<year>(?:19|20)\d{2})(?P<book>\S+?年鉴)$")


@dataclass(frozen=True)
class BookmarkList:
    """The trailing block of bookmark lines: the chapters it lists and the book name it repeats."""

    chapters: tuple[ListedChapter, ...]
    line_start: int
    line_end: int
    book: str | None = None


def find_bookmark_list(source: SourceText, rules: Sequence[Rule]) -> BookmarkList | None:
    """The trailing block of tab-indented lines, if it holds chapter page ranges."""
    if not rules:
        return None
    end = len(source)
    while end > 0 and not source.line(end).strip():
        end -= 1
    start = end
    while start > 1 and (source.line(start - 1).startswith("\t") or not source.line(start - 1).strip()):
        start -= 1
    while start <= end and not source.line(start).startswith("\t"):
        start += 1
    chapters = []
    books: Counter[str] = Counter()
    for number in range(start, end + 1):
        for rule in rules:
            match = rule.matches(source.line(number))
            if match:
                chapters.append(
                    ListedChapter(
                        number=int(match["number"]),
                        name=squeeze_spaces(match["name"]).strip("-_ "),
                        first_page=int(match["first"]),
                        last_page=int(match["last"]),
                        line=number,
                    )
                )
                books[squeeze_spaces(match["book"])] += 1
                break
    if len(chapters) < 2:
        return None
    book = books.most_common(1)[0][0] if books else None
    return BookmarkList(tuple(chapters), start, end, book)


def book_title(bookmarks: BookmarkList | None) -> tuple[str, int] | None:
    """The book's name and year as its bookmark lines repeat them (``2024某某年鉴`` → 某某年鉴 2024)."""
    if bookmarks is None or not bookmarks.book:
        return None
    match = _BOOK_YEAR.match(bookmarks.book)
    if not match:
        return None
    return match["book"], int(match["year"])
