"""A text that holds itself twice: a long run of lines repeating an earlier run, line for line.

Files are sometimes concatenated twice by accident, or an extraction repeats
a whole part.  Reading the copy again would double every entry and fact;
dropping it silently would lose lines.  So the copy is found, reported as
furniture with a warning, and the parsers read the text without it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fangzhi.text.source import SourceText

_WINDOW = 20
_MIN_REPEAT = 200


@dataclass(frozen=True)
class RepeatedCopy:
    """Lines ``line_start``..``line_end`` repeat the text from ``original_start`` on."""

    line_start: int
    line_end: int
    original_start: int


def find_repeated_copy(source: SourceText) -> RepeatedCopy | None:
    """The first run of at least ``_MIN_REPEAT`` non-blank lines that repeats earlier lines in the same order."""
    numbers = [n for n in range(1, len(source) + 1) if source.line(n).strip()]
    keys = [source.line(n).strip() for n in numbers]
    if len(keys) < 2 * _MIN_REPEAT:
        return None
    first_seen: dict[tuple[str, ...], int] = {}
    for index in range(len(keys) - _WINDOW + 1):
        window = tuple(keys[index : index + _WINDOW])
        earlier = first_seen.get(window)
        if earlier is None:
            first_seen[window] = index
            continue
        length = 0
        while (
            index + length < len(keys) and earlier + length < index and keys[earlier + length] == keys[index + length]
        ):
            length += 1
        if length >= _MIN_REPEAT:
            return RepeatedCopy(numbers[index], numbers[index + length - 1], numbers[earlier])
    return None


def without_copy(source: SourceText, copy: RepeatedCopy) -> SourceText:
    """The same source with the copy's lines blanked, so parsers skip them and line numbers stay."""
    lines = list(source.lines)
    for number in range(copy.line_start, copy.line_end + 1):
        lines[number - 1] = ""
    return replace(source, lines=tuple(lines))
