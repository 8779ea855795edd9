"""Offsets in derived text, traced back to the raw lines it was made from.

Node text is raw lines with spaces squeezed and lines joined, minus page
furniture (running headers, captions placed mid-text) and minus a title
printed on the first line (【概况】, a date).  :class:`LineAligner` finds each
raw line where the text goes on, so any offset in the text cites its line.
"""

from __future__ import annotations

from bisect import bisect_right

from fangzhi.text.normalize import squeeze_spaces


class LineAligner:
    """Maps offsets of a normalised text back to raw line numbers; lines not found are furniture, skipped."""

    def __init__(self, text: str, lines: list[tuple[int, str]]) -> None:
        self.starts: list[int] = []
        self.numbers: list[int] = []
        position = 0
        for number, raw in lines:
            line = raw.strip() if " " not in raw and "\u3000" not in raw else squeeze_spaces(raw).replace(" ", "")
            if not line:
                continue
            while position < len(text) and text[position] in "\n ":
                position += 1
            found = self._find(text, line, position)
            if found is None:
                continue
            start, length = found
            self.starts.append(start)
            self.numbers.append(number)
            position = start + length

    @staticmethod
    def _find(text: str, line: str, position: int) -> tuple[int, int] | None:
        if text.startswith(line, position):
            return position, len(line)
        compact = text[position : position + len(line) + 8].replace(" ", "")
        if compact.startswith(line):
            return position, _span(text, position, len(line))
        for cut in range(1, min(len(line) - 1, 40)):
            if compact.startswith(line[cut:]) and len(line) - cut >= 2:
                return position, _span(text, position, len(line) - cut)
        ahead = text.find(line, position, position + len(line) + 60)
        if ahead >= 0:
            return ahead, len(line)
        return None

    def line_at(self, offset: int, default: int) -> int:
        index = bisect_right(self.starts, offset) - 1
        return self.numbers[index] if index >= 0 else (self.numbers[0] if self.numbers else default)


def _span(text: str, position: int, characters: int) -> int:
    """How many characters of ``text`` from ``position`` hold ``characters`` non-space characters."""
    end = position
    seen = 0
    while end < len(text) and seen < characters:
        if text[end] != " ":
            seen += 1
        end += 1
    return end - position
