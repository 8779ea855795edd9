"""Chronicles (大事记): dated events with the printed shorthand resolved to full dates.

A chronicle is written for a reader who already knows the context: the month
comes from a heading (``1月``), the year from the volume or the title
(``2023年11—12月大事记``), ``同日``/``是日``/``当日`` repeat the date before,
ranges are written ``3—5日``, ``31—4月 2日``, ``5月16～22日`` or
``10月29日至11月1日``, a day may stand alone on a line above the events it
covers, and ``△``/``▲`` may separate several events of one day.  Undated text
after an event belongs to it (wrapped lines, or whole continuation paragraphs in
a gazette); undated text before the first event of a month or chronicle is a
summary, not an event.

Two things decide the structure, and both are read from the text itself:

* An event starts only on a line that opens with a date token (or a ``△``
  marker) *and* follows a closed line (one ending in 。, ” , ） …) or a heading.
  PDF text wraps anywhere, so a wrapped line can begin with ``5日起施行``; the
  closed-line condition keeps it inside the sentence it belongs to.
* The layout decides only how lines are joined: a yearbook wraps one paragraph
  over short lines (every line followed by a blank, so blanks mean nothing); a
  gazette prints one paragraph per long line; other texts separate paragraphs
  by blank lines.  Paragraphs inside an event are joined with a newline.

Dates are ISO strings.  ``precision`` says how much of the date is known
(``day``, ``month``, ``year``); for the coarser precisions ``date`` is the first
day of the period printed (是月 → the 1st, 下旬 → the 21st, 是年 → 1 January),
so events still sort where the chronicle put them.  ``同日`` repeats the whole
date before it, range included: claiming one day of the range would invent a
precision the text does not have.  Anything that cannot be resolved is kept,
with a warning on the event, never dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fangzhi.model import Node, NodeKind
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

PageOfLine = Callable[[int], "int | None"]

_NUM = r"(?:[0-9０-９]{1,2}|[〇零一二三四五六七八九十廿卅两]{1,3})"
_YEAR = r"(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4})"
_RANGE_SEP = r"(?:—{1,2}|[–－\-~～〜至到])"

_DATE_TOKEN = re.compile(
    rf"""^(?:
      (?P<absolute>
        (?:(?P<y1>{_YEAR})年|(?P<y1_same>同年|是年|当年))?
        (?:(?P<m1>{_NUM})月|(?P<m1_same>同月|是月|本月|当月))?
        (?P<d1>{_NUM})
        (?:日?{_RANGE_SEP}(?:(?P<y2>{_YEAR})年)?(?:(?P<m2>{_NUM})月)?(?P<d2>{_NUM})日|日)
      )
      |(?P<same_day>同日|是日|当日|当天|同天)
      |(?P<next_day>次日|翌日)
      |(?P<part_of_month>(?:(?P<m3>{_NUM})月)?(?:上旬|中旬|下旬)|(?P<m4>{_NUM})月(?:初|底|末))
      |(?P<same_month>是月|本月|当月|同月|月内)
      |(?P<same_year>是年|本年|当年|同年)
    )""",
    re.VERBOSE,
)
# A part of a month is dated to its first day, at month precision.
_PART_OF_MONTH_START = {"上旬": 1, "中旬": 11, "下旬": 21, "初": 1, "底": 21, "末": 21}
_MONTH_HEADING = re.compile(rf"^(?:(?P<year>{_YEAR})年)?(?P<month>{_NUM})月份?$")
_TITLE_YEAR = re.compile(rf"(?P<year>{_YEAR})年")
_SEPARATOR = re.compile(r"^[\s,，、:：．.]+")
_MARKERS = "△▲"
_MARKER_SPLIT = re.compile(rf"(?=[{_MARKERS}])")
# A line ending in one of these can end an event; wrapped lines break anywhere else.
_CLOSING = tuple("。！？!?；;…”’」』）)】")
# A paragraph (as opposed to a line) ends only at the end of a sentence.
_PARAGRAPH_CLOSING = tuple("。！？!?…”’」』")
_SENTENCE_PUNCTUATION = re.compile(r"[，。；：！？,;:!?]")
_NOTE = re.compile(r"^[（(][^（）()]*[）)]$")

WRAPPED = "wrapped"
PARAGRAPH_LINES = "paragraph_lines"
BLANK_SEPARATED = "blank_separated"

DAY = "day"
MONTH = "month"
YEAR = "year"


@dataclass(frozen=True)
class ResolvedDate:
    """A date token resolved against its context."""

    date: dt.date | None
    date_end: dt.date | None
    precision: str
    warnings: tuple[str, ...] = ()


@dataclass
class _Segment:
    """A raw line, or the part of one that a △/▲ marker splits off."""

    line: int
    raw: str
    key: str  # squeeze_spaces(raw): what patterns are matched against


@dataclass
class _Draft:
    segments: list[_Segment]
    first_text: str
    printed: str
    resolved: ResolvedDate
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """A MONTH node (or the chronicle itself) collecting events, summary lines and notes."""

    node: Node
    summary: list[_Segment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _number(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    import cn2an

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def year_from_title(text: str) -> int | None:
    """The year a chronicle title names (``2023年11—12月大事记`` → 2023), if any."""
    match = _TITLE_YEAR.search(squeeze_spaces(text))
    return _number(match.group("year")) if match else None


def match_date_token(key: str) -> re.Match[str] | None:
    """Match a date token at the start of a squeezed line (spaces between CJK characters removed)."""
    return _DATE_TOKEN.match(key)


def _raw_prefix(raw: str, non_space_count: int) -> int:
    """Position in ``raw`` just after its first ``non_space_count`` non-space characters."""
    seen = 0
    for position, char in enumerate(raw):
        if seen == non_space_count:
            return position
        if not char.isspace():
            seen += 1
    return len(raw)


def _is_closed(key: str) -> bool:
    return key.endswith(_CLOSING)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _make_date(year: int | None, month: int | None, day: int | None, printed: str) -> tuple[dt.date | None, str | None]:
    if year is None or month is None or day is None:
        missing = "year" if year is None else "month" if month is None else "day"
        return None, f"no {missing} known for date {printed!r}"
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, f"invalid date {printed!r} ({year}-{month}-{day})"


class _Context:
    """What a date token is resolved against: the year, the heading month, the previous event."""

    def __init__(self, year: int | None) -> None:
        self.year = year
        self.heading_month: int | None = None
        self.last_month: int | None = None
        self.last: ResolvedDate | None = None

    @property
    def month(self) -> int | None:
        return self.heading_month or self.last_month

    def resolve(self, match: re.Match[str]) -> ResolvedDate:
        printed = match.group(0)
        if match.group("absolute"):
            return self._absolute(match, printed)
        if match.group("same_day") or match.group("next_day"):
            if self.last is None or self.last.date is None:
                return ResolvedDate(None, None, DAY, (f"{printed!r} has no earlier date to repeat",))
            if match.group("same_day"):
                return ResolvedDate(self.last.date, self.last.date_end, self.last.precision)
            base = self.last.date_end or self.last.date
            return ResolvedDate(base + dt.timedelta(days=1), None, DAY)
        if match.group("part_of_month") or match.group("same_month"):
            month = _number(match.group("m3") or match.group("m4")) or self.month
            first_day = next((day for part, day in _PART_OF_MONTH_START.items() if printed.endswith(part)), 1)
            date, problem = _make_date(self.year, month, first_day, printed)
            return ResolvedDate(date, None, MONTH, (problem,) if problem else ())
        date, problem = _make_date(self.year, 1, 1, printed)
        return ResolvedDate(date, None, YEAR, (problem,) if problem else ())

    def _absolute(self, match: re.Match[str], printed: str) -> ResolvedDate:
        warnings: list[str] = []
        year = _number(match.group("y1")) or self.year
        month = _number(match.group("m1")) or self.month
        day = _number(match.group("d1"))
        start, problem = _make_date(year, month, day, printed)
        if problem:
            warnings.append(problem)
        end: dt.date | None = None
        if match.group("d2"):
            end_year = _number(match.group("y2")) or year
            end_month = _number(match.group("m2"))
            end_day = _number(match.group("d2"))
            wraps = False
            if end_month is None and month is not None:
                end_month = month
                if end_day is not None and day is not None and end_day < day:
                    end_month, wraps = month % 12 + 1, month == 12
            elif end_month is not None and month is not None and end_month < month:
                wraps = True
            if wraps and end_year is not None and not match.group("y2"):
                end_year += 1
            end, problem = _make_date(end_year, end_month, end_day, printed)
            if problem:
                warnings.append(problem)
            if start and end and end < start:
                warnings.append(f"date range {printed!r} ends before it starts")
        return ResolvedDate(start, end, DAY, tuple(warnings))

    def remember(self, resolved: ResolvedDate, match: re.Match[str]) -> None:
        if resolved.date is None:
            return
        self.last = resolved
        if match.group("absolute") and (match.group("m1") or self.heading_month is None):
            self.last_month = resolved.date.month


def _detect_layout(source: SourceText, numbers: Sequence[int], keys: Sequence[str]) -> str:
    lengths = [len(key) for key in keys if key]
    if lengths and statistics.median(lengths) > 30:
        return PARAGRAPH_LINES
    blank_gaps = adjacent = 0
    for before, after in zip(numbers, numbers[1:], strict=False):
        between = source.lines[before : after - 1]
        if any(line.strip() for line in between):
            continue
        if between:
            blank_gaps += 1
        else:
            adjacent += 1
    if blank_gaps and adjacent and blank_gaps < adjacent:
        return BLANK_SEPARATED
    return WRAPPED


def _segments(source: SourceText, numbers: Sequence[int]) -> list[_Segment]:
    found: list[_Segment] = []
    for number in numbers:
        raw = source.line(number)
        if not raw.strip():
            continue
        pieces = (
            [piece for piece in _MARKER_SPLIT.split(raw) if piece.strip()] if any(m in raw for m in _MARKERS) else [raw]
        )
        for piece in pieces:
            found.append(_Segment(number, piece, squeeze_spaces(piece)))
    return found


class _ChronicleBuilder:
    def __init__(
        self, source: SourceText, numbers: Sequence[int], year: int | None, page_of_line: PageOfLine | None
    ) -> None:
        self.source = source
        self.numbers = [n for n in numbers if source.line(n).strip()]
        self.page_of_line = page_of_line or (lambda line: None)
        self.context = _Context(year)
        self.segments = _segments(source, self.numbers)
        self.layout = _detect_layout(source, self.numbers, [s.key for s in self.segments])
        self.root = Node(kind=NodeKind.CHRONICLE, title=None, line_start=1, line_end=1)
        self.root_block = _Block(self.root)
        self.block = self.root_block
        self.draft: _Draft | None = None
        self.after_day_heading = False
        self.heading_printed = ""
        self.heading_warnings: list[str] = []
        self.titles: list[str] = []
        self.warnings: list[str] = []

    # -- structure -------------------------------------------------------

    def build(self) -> Node:
        previous_closed = True
        for segment in self.segments:
            self._take(segment, previous_closed)
            previous_closed = _is_closed(segment.key) or self._is_heading_key(segment.key)
        self._flush()
        self._close_block(self.block)
        if self.block is not self.root_block:
            self._close_block(self.root_block)
        root = self.root
        if self.numbers:
            root.line_start, root.line_end = self.numbers[0], self.numbers[-1]
            root.page, root.page_end = self.page_of_line(root.line_start), self.page_of_line(root.line_end)
        root.title = self.titles[0] if self.titles else None
        root.attributes.update(year=self.context.year, layout=self.layout, warnings=self.warnings)
        if len(self.titles) > 1:
            root.attributes["titles"] = self.titles
        return root

    def _is_heading_key(self, key: str) -> bool:
        return bool(_MONTH_HEADING.match(key)) or self._is_title(key) or self._date_only(key) is not None

    def _is_title(self, key: str) -> bool:
        return "大事记" in key and len(key) <= 40 and not _SENTENCE_PUNCTUATION.search(key)

    def _date_only(self, key: str) -> re.Match[str] | None:
        match = match_date_token(key)
        if match and not _SEPARATOR.sub("", key[match.end() :]):
            return match
        return None

    def _take(self, segment: _Segment, previous_closed: bool) -> None:
        key = segment.key
        marker = key[:1] in _MARKERS
        if not marker and previous_closed and self._is_title(key):
            self._flush()
            self.titles.append(key)
            title_year = year_from_title(key)
            if title_year:
                self.context.year = title_year
            return
        heading = _MONTH_HEADING.match(key) if not marker else None
        if heading and (previous_closed or self._expected_month(heading)):
            self._open_month(segment, heading)
            return
        if marker:
            self._start_marked(segment)
            return
        if previous_closed:
            only = self._date_only(key)
            if only:
                self._flush()
                resolved = self.context.resolve(only)
                self.context.remember(resolved, only)
                self.heading_printed = segment.raw.strip()
                self.heading_warnings = list(resolved.warnings)
                self.after_day_heading = True
                return
            match = match_date_token(key)
            if match:
                self._start_dated(segment, match)
                return
        if self.after_day_heading and (self.draft is None or self._paragraph_break(self.draft.segments[-1], segment)):
            self._start_undated(segment, self.heading_printed, list(self.heading_warnings))
            return
        if self.draft is not None:
            if self.draft.segments[-1].key.endswith(_PARAGRAPH_CLOSING) and _NOTE.match(key):
                self._flush()
                self.block.notes.append(key)
                return
            self.draft.segments.append(segment)
            return
        self.block.summary.append(segment)

    def _expected_month(self, heading: re.Match[str]) -> bool:
        month = _number(heading.group("month"))
        current = self.context.heading_month
        return month is not None and (current is None or month == current % 12 + 1)

    def _open_month(self, segment: _Segment, heading: re.Match[str]) -> None:
        self._flush()
        if self.block is not self.root_block:
            self._close_block(self.block)
        month = _number(heading.group("month"))
        explicit_year = _number(heading.group("year"))
        previous = self.context.heading_month
        if explicit_year:
            self.context.year = explicit_year
        elif previous and month and month < previous and self.context.year is not None:
            self.context.year += 1
        warnings: list[str] = []
        if month is None or not 1 <= month <= 12:
            warnings.append(f"month heading {segment.key!r} is not a month")
            month = None
        self.context.heading_month = month
        self.context.last_month = month
        self.after_day_heading = False
        node = Node(
            kind=NodeKind.MONTH,
            title=segment.key,
            line_start=segment.line,
            line_end=segment.line,
            page=self.page_of_line(segment.line),
            page_end=self.page_of_line(segment.line),
            level=1,
            attributes={
                "month": f"{self.context.year:04d}-{month:02d}" if month and self.context.year else None,
                "warnings": warnings,
            },
        )
        self.root.add(node)
        self.block = _Block(node)

    def _start_dated(self, segment: _Segment, match: re.Match[str]) -> None:
        self._flush()
        self.after_day_heading = False
        resolved = self.context.resolve(match)
        self.context.remember(resolved, match)
        cut = _raw_prefix(segment.raw, sum(1 for char in match.group(0) if not char.isspace()))
        printed = segment.raw[:cut].strip()
        rest = _SEPARATOR.sub("", segment.raw[cut:])
        self.draft = _Draft([segment], rest, printed, resolved, list(resolved.warnings))

    def _start_marked(self, segment: _Segment) -> None:
        self._flush()
        raw = segment.raw.strip()[1:]
        key = squeeze_spaces(raw)
        match = match_date_token(key)
        if match:
            self._start_dated(_Segment(segment.line, raw, key), match)
            self.draft.segments[0] = segment  # type: ignore[union-attr]
            return
        printed = self.heading_printed if self.after_day_heading else None
        self._start_undated(_Segment(segment.line, raw, key), printed, [])
        self.draft.segments[0] = segment  # type: ignore[union-attr]

    def _start_undated(self, segment: _Segment, printed: str | None, warnings: list[str]) -> None:
        """An event whose date is the one before it: under a day heading, or after a △ marker."""
        self._flush()
        last = self.context.last
        if last is None:
            resolved = ResolvedDate(None, None, DAY)
            warnings = [*warnings, "event has no date and no earlier date to inherit"]
        else:
            resolved = last
        self.draft = _Draft([segment], _SEPARATOR.sub("", segment.raw), printed or "", resolved, warnings)

    # -- output ------------------------------------------------------------

    def _flush(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        texts = [draft.first_text] + [segment.raw for segment in draft.segments[1:]]
        lines = [segment.line for segment in draft.segments]
        resolved = draft.resolved
        node = Node(
            kind=NodeKind.EVENT,
            title=None,
            line_start=lines[0],
            line_end=lines[-1],
            text=self._join(draft.segments, texts),
            page=self.page_of_line(lines[0]),
            page_end=self.page_of_line(lines[-1]),
            level=self.block.node.level + 1,
            attributes={
                "date": resolved.date.isoformat() if resolved.date else None,
                "date_end": resolved.date_end.isoformat() if resolved.date_end else None,
                "date_as_printed": draft.printed,
                "precision": resolved.precision,
                "warnings": draft.warnings,
            },
        )
        self.block.node.add(node)
        self.block.node.line_end = max(self.block.node.line_end, node.line_end)
        if node.page_end is not None:
            self.block.node.page_end = node.page_end

    def _join(self, segments: Sequence[_Segment], texts: Sequence[str]) -> str:
        paragraphs: list[list[str]] = [[]]
        for index, text in enumerate(texts):
            if index and self._paragraph_break(segments[index - 1], segments[index]):
                paragraphs.append([])
            paragraphs[-1].append(text)
        return "\n".join(joined for joined in (join_lines(p) for p in paragraphs) if joined)

    def _paragraph_break(self, before: _Segment, after: _Segment) -> bool:
        if before.line == after.line or not before.key.endswith(_PARAGRAPH_CLOSING):
            return False
        if self.layout == PARAGRAPH_LINES:
            return True
        if self.layout == BLANK_SEPARATED:
            return after.line > before.line + 1 and not any(
                line.strip() for line in self.source.lines[before.line : after.line - 1]
            )
        return False

    def _close_block(self, block: _Block) -> None:
        if block.summary:
            block.node.attributes["summary"] = join_lines(segment.raw for segment in block.summary)
            block.node.line_start = min(block.node.line_start, block.summary[0].line)
        if block.notes:
            block.node.attributes["notes"] = list(block.notes)


def parse_chronicle(
    source: SourceText,
    line_numbers: Sequence[int],
    year: int | None,
    page_of_line: PageOfLine | None = None,
) -> Node:
    """Turn the body lines of a chronicle into a CHRONICLE node of MONTH and EVENT nodes.

    ``line_numbers`` are the 1-based raw lines of the chronicle's body, with
    running headers, footers and photo captions already removed.  ``year`` is
    the year dates are in unless a title line (``2023年11—12月大事记``) or a
    month heading names another.  Blank lines between the given numbers are
    read from ``source`` to tell the layout.
    """
    return _ChronicleBuilder(source, line_numbers, year, page_of_line).build()
