"""Document numbers (文号): finding them in text and normalising their form.

A 文号 is an issuer code, the year in brackets and a sequence number:
平政〔2023〕30号.  Printed forms vary (平政办（2023）20号, 平政 〔2005〕 31号,
letter-spaced codes, a number broken across a line), so matching runs on
text with layout spaces removed, and every number is normalised to the 〔〕
form while the printed characters are kept beside it.  A number with its
year or sequence missing is still returned, with a warning, because losing
it silently would hide a defect of the source.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from fangzhi.model import ParseWarning
from fangzhi.text.normalize import squeeze_spaces

_OPEN = "〔（(［[【"
_CLOSE = "〕）)］]】"
_HAN = re.compile(r"[\u3400-\u9fff]")
_CORE = re.compile(rf"[{re.escape(_OPEN)}]\s*(?P<year>\d{{4}})?\s*[{re.escape(_CLOSE)}]\s*(?P<number>\d{{1,5}})?\s*号")
_ORDER = re.compile(r"令\s*第\s*(?P<number>\d{1,5})\s*号")
_MAX_CODE = 10
# The end of a date: a numeral followed by 日, 月 or 年 (the 4 of 5月4日, the 四 of 五月四日).
_DATE_END = re.compile(r"[0-9〇零一二三四五六七八九十廿卅]\s*[日月年]")
# Words that can stand right before a bare 文号 in prose but are never part of an issuer code.
_LEADING_WORDS = re.compile(
    r"^(?:根据|按照|依据|依照|参照|对照|执行|贯彻|落实|印发|转发|废止|详见|参见|见|及|和|与|或|即|以|经|为|是|在|由|将)+"
)


@dataclass(frozen=True)
class DocNumber:
    """One 文号: normalised (〔〕 brackets, no spaces) and as printed."""

    normalized: str
    as_printed: str
    code: str
    year: int | None
    number: int | None
    warnings: tuple[ParseWarning, ...] = ()


@dataclass(frozen=True)
class DocNumberMatch:
    """A 文号 found in raw lines, with the lines it spans (1-based, inclusive)."""

    doc_no: DocNumber
    line_start: int
    line_end: int


def make_doc_number(code: str, year: str | None, number: str | None, as_printed: str) -> DocNumber:
    warnings: list[ParseWarning] = []
    if year is None:
        warnings.append(ParseWarning("doc_no_no_year", f"文号 {as_printed} has no year"))
    if number is None:
        warnings.append(ParseWarning("doc_no_no_number", f"文号 {as_printed} has no sequence number"))
    normalized = f"{code}〔{year or ''}〕{int(number) if number else ''}号"
    return DocNumber(
        normalized=normalized,
        as_printed=as_printed,
        code=code,
        year=int(year) if year else None,
        number=int(number) if number else None,
        warnings=tuple(warnings),
    )


def _code_before(text: str, end: int, floor: int) -> int:
    """Where the issuer code that ends at ``end`` begins (``end`` when there is none).

    A date printed right before the number (``5月4日皖政〔1985〕38号``,
    ``五月四日皖政…``) is not part of the code: the code starts after its 日.
    """
    start = end
    while start > floor and end - start < _MAX_CODE and _HAN.match(text[start - 1]):
        start -= 1
    window = max(floor, start - 1)
    dates = list(_DATE_END.finditer(text, window, end))
    if dates and dates[-1].end() > start:
        start = dates[-1].end()
    return start


def _strip_leading_words(code: str) -> str:
    stripped = _LEADING_WORDS.sub("", code)
    return stripped or code


def make_order_number(code: str, number: str, as_printed: str) -> DocNumber:
    """A government order's number (令号): 平顶山市人民政府令第12号, which carries no year."""
    return DocNumber(
        normalized=f"{code}第{int(number)}号", as_printed=as_printed, code=code, year=None, number=int(number)
    )


def _scan(text: str, floor_of: Callable[[int], int]) -> list[tuple[DocNumber, int, int]]:
    """文号 and 令号 in squeezed text; ``floor_of(position)`` bounds the issuer code's start."""
    found: list[tuple[DocNumber, int, int]] = []
    for match in _CORE.finditer(text):
        if match.group("year") is None and match.group("number") is None:
            continue
        code_start = _code_before(text, match.start(), floor_of(match.start()))
        code = text[code_start : match.start()]
        trimmed = _strip_leading_words(code)
        code_start += len(code) - len(trimmed)
        if not trimmed:
            continue
        as_printed = text[code_start : match.end()]
        doc_no = make_doc_number(trimmed, match.group("year"), match.group("number"), as_printed)
        found.append((doc_no, code_start, match.end()))
    for match in _ORDER.finditer(text):
        code_end = match.start() + 1
        code_start = _code_before(text, match.start(), floor_of(match.start()))
        code = _strip_leading_words(text[code_start:code_end])
        code_start = code_end - len(code)
        if len(code) < 2:
            continue
        as_printed = text[code_start : match.end()]
        found.append((make_order_number(code, match.group("number"), as_printed), code_start, match.end()))
    return sorted(found, key=lambda item: item[1])


def find_doc_numbers(text: str) -> list[tuple[DocNumber, int, int]]:
    """Every 文号 (and 令号) in one piece of text, with its character span in the squeezed text."""
    return _scan(squeeze_spaces(text), lambda position: 0)


def parse_doc_number(text: str) -> DocNumber | None:
    """The 文号 a short text consists of (a document's own number line), or None."""
    squeezed = squeeze_spaces(text).strip("（()）")
    found = find_doc_numbers(squeezed)
    if len(found) == 1 and found[0][1] == 0 and found[0][2] == len(squeezed):
        return found[0][0]
    return None


@dataclass
class _Joined:
    """Squeezed non-blank lines concatenated, with the source line of every character."""

    text: str = ""
    line_of: list[int] = field(default_factory=list)
    line_starts: dict[int, int] = field(default_factory=dict)


def _join(lines: Sequence[str], first_line: int) -> _Joined:
    joined = _Joined()
    parts: list[str] = []
    for offset, raw in enumerate(lines):
        squeezed = squeeze_spaces(raw)
        if not squeezed:
            continue
        number = first_line + offset
        joined.line_starts[len(joined.line_of)] = number
        parts.append(squeezed)
        joined.line_of.extend([number] * len(squeezed))
    joined.text = "".join(parts)
    return joined


def find_in_lines(lines: Sequence[str], first_line: int = 1) -> list[DocNumberMatch]:
    """Every 文号 (and 令号) in raw lines, including one broken across a line break.

    Blank lines are skipped, so a number split over two visual lines (with
    the yearbook's blank line between them) is still found.  An issuer code
    is looked for on the previous line only when the bracket starts its line.
    """
    joined = _join(lines, first_line)
    line_of = joined.line_of
    starts = sorted(joined.line_starts)

    def floor_of(position: int) -> int:
        index = bisect.bisect_right(starts, position) - 1
        line_start = starts[index]
        if line_start != position or line_start == 0:
            return line_start
        return starts[index - 1]

    return [
        DocNumberMatch(doc_no=_at_line(doc_no, line_of[start]), line_start=line_of[start], line_end=line_of[end - 1])
        for doc_no, start, end in _scan(joined.text, floor_of)
    ]


def _at_line(doc_no: DocNumber, line: int) -> DocNumber:
    """The number with its warnings placed on the line it starts on, so a reader can find what is wrong."""
    if not doc_no.warnings:
        return doc_no
    return replace(doc_no, warnings=tuple(replace(warning, line=warning.line or line) for warning in doc_no.warnings))


def normalize_doc_number(text: str) -> str | None:
    """The normalised form of a 文号 given in any printed form, or None if it is not one."""
    doc_no = parse_doc_number(text)
    return doc_no.normalized if doc_no else None
