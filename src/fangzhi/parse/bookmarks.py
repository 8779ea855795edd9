"""The PDF's bookmark list, left at the end of the extracted text.

PDF-to-text tools often append the embedded file or bookmark names as
tab-indented lines (``\\t2024平顶山年鉴-12-法治（132-143）_eBook``).  They are
the only reliable record of each 类目 and its page range, since chapter title
lines are missing for many chapters and the 目录 may not survive extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

_BOOKMARK = re.compile(
    r"^\t(?P<book>.*?)-(?P<number>\d+)-?(?P<name>[^\d（(][^（(]*?)[（(](?P<first>\d+)[-—–](?P<last>\d+)[）)]"
)


@dataclass(frozen=True)
class Bookmark:
    number: int
    name: str
    first_page: int
    last_page: int
    line: int


@dataclass(frozen=True)
class BookmarkList:
    bookmarks: tuple[Bookmark, ...]
    line_start: int
    line_end: int


def find_bookmark_list(source: SourceText) -> BookmarkList | None:
    """The trailing block of tab-indented lines, if it holds chapter page ranges."""
    end = len(source)
    while end > 0 and not source.line(end).strip():
        end -= 1
    start = end
    while start > 1 and (source.line(start - 1).startswith("\t") or not source.line(start - 1).strip()):
        start -= 1
    while start <= end and not source.line(start).startswith("\t"):
        start += 1
    bookmarks = []
    for number in range(start, end + 1):
        match = _BOOKMARK.match(source.line(number))
        if match:
            bookmarks.append(
                Bookmark(
                    number=int(match["number"]),
                    name=squeeze_spaces(match["name"]).strip("-_ "),
                    first_page=int(match["first"]),
                    last_page=int(match["last"]),
                    line=number,
                )
            )
    if len(bookmarks) < 2:
        return None
    return BookmarkList(tuple(bookmarks), start, end)
