"""Derived text that still knows its raw lines.

A node's text is its raw lines squeezed and joined, with page furniture taken
out.  Extractors that cut a sentence or a clause out of that text need the
raw line it was printed on, for the citation.  :func:`line_offsets` aligns
the text with the raw lines once, so any character offset can be turned back
into a line number.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from fangzhi.text.normalize import squeeze_spaces

# How far past the expected place a raw line is looked for in the joined text.
_SEARCH_SLACK = 400
_PREFIX = 8


@dataclass
class LocatedText:
    """A text with the raw line each stretch of it came from."""

    text: str
    starts: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    first_line: int = 1

    def line_at(self, offset: int) -> int:
        """The raw line of the character at ``offset`` (the nearest line found before it)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[index] if index >= 0 else self.first_line

    def span_lines(self, start: int, end: int) -> tuple[int, int]:
        """First and last raw line of the stretch ``[start, end)``."""
        return self.line_at(start), self.line_at(max(start, end - 1))


def locate(text: str, line_start: int, line_end: int, line: Callable[[int], str]) -> LocatedText:
    """Align ``text`` with raw lines ``line_start..line_end`` (1-based, inclusive).

    Each raw line, squeezed as the parser squeezes it, is looked for in order
    a little past where the previous one ended; lines that are not found
    (headers, footers, captions moved elsewhere) are skipped.
    """
    located = LocatedText(text=text, first_line=line_start)
    cursor = 0
    for number in range(line_start, line_end + 1):
        squeezed = squeeze_spaces(line(number))
        if not squeezed:
            continue
        window_end = cursor + len(squeezed) + _SEARCH_SLACK
        position = text.find(squeezed, cursor, window_end)
        if position < 0:
            position = text.find(squeezed[:_PREFIX], cursor, window_end) if len(squeezed) >= _PREFIX else -1
            if position < 0:
                continue
        located.starts.append(position)
        located.lines.append(number)
        cursor = position + min(len(squeezed), max(len(text) - position, 0))
    return located


@dataclass
class NormalizedText:
    """NFKC-normalised text (full-width forms, Roman numerals folded) with offsets back to the original."""

    text: str
    origin: list[int]

    def original(self, offset: int) -> int:
        if not self.origin:
            return 0
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]


def normalize_with_offsets(text: str) -> NormalizedText:
    """Fold ``text`` character by character so that each folded character maps to the one it came from."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return NormalizedText("".join(pieces), origin)


@dataclass
class CitableText:
    """A node's text as the clause grammar reads it (NFKC-folded), able to cite any stretch of it.

    The grammar matches ``>`` and ``III`` where the book prints ``＞`` and
    ``Ⅲ``; a citation needs the raw line and the words as printed.
    :meth:`line` and :meth:`printed` turn a span of the folded text back
    into both.  ``source_line`` reads raw line ``n`` of the source.
    """

    text: str
    line_start: int
    line_end: int
    source_line: Callable[[int], str]

    @cached_property
    def normalized(self) -> NormalizedText:
        return normalize_with_offsets(self.text)

    @cached_property
    def located(self) -> LocatedText:
        return locate(self.text, self.line_start, self.line_end, self.source_line)

    def line(self, position: int = 0) -> int:
        """The raw line of a position in the folded text."""
        return self.located.line_at(self.normalized.original(position))

    def printed(self, start: int, end: int) -> str:
        """The text as printed of the folded span ``[start, end)``."""
        if end <= start:
            return ""
        return self.text[self.normalized.original(start) : self.normalized.original(end - 1) + 1]
