"""Chronicles (大事记): dated events with the printed shorthand resolved to dates.

A chronicle is recognised by what it is, a run of date-led paragraphs, wherever
it stands: a yearbook chapter, a gazette section, a whole file, a page saved
from a website or a Markdown file.  It is written for a reader who knows the
context: the year comes from a heading (``1985年``, ``一九八六年``), from the
title (``1998年大事记``, ``二〇二二年一月从化大事记``), from a date that prints
it (``1986年1月9日`` makes 1986 current for the ``2月3日`` after it) or from the
volume; the month from a heading (``1月``, ``一 月``, ``(四月)``,
``（2024年5月）``) or the date before.  The date grammar itself lives in
:mod:`fangzhi.text.dates`; this module reads the structure around it.

* An event starts on a paragraph that opens with a date token or a ``△``/``▲``
  marker.  PDF text wraps anywhere, so a wrapped line can begin with
  ``5日起施行``: in wrapped layouts an event starts only after a closed line
  (one ending in 。, ” , ） …) or a heading.
* A day alone on a line (``1日``, ``13日—14日``) heads the events below it.
* Follow-up dates (``翌年9月1日…``, ``5日下午…`` under a printed month,
  ``12月5日，又…``) and background dates (``从1981年11月…``) belong to the
  entry they are in.
* Undated text before the first event of a block is a summary; statistics
  paragraphs are kept as such; photo captions (after an image placeholder or
  ending in ``（…摄）``) are captions, not events.
* Undated paragraphs after an event continue it, except in a chronicle that
  never marks same-day events (no 同日, no △, no day headings): there a new
  paragraph that does not read as a continuation (会上…, 会议…) is another
  event of the same date, as chronicles that print the day once write it.

Dates carry their precision: ``date`` is ``1986-05-16`` (day), ``1986-05``
(month: 是月, 上旬, a bare ``5月``) or ``1987`` (year: 是年); a date whose
year the text never gives has no ``date`` and a warning, never a guessed year.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from fangzhi.model import (
    ChronicleAttributes,
    ChronicleBlockAttributes,
    Document,
    EventAttributes,
    MonthAttributes,
    Node,
    NodeAttributes,
    NodeKind,
    ParagraphAttributes,
    ParseWarning,
    Volume,
    YearAttributes,
)
from fangzhi.parse.web_furniture import IMAGE, clean_line, line_furniture, read_furniture, reading_view
from fangzhi.text.dates import (
    NUM,
    YEAR_NUM,
    DateContext,
    PartialDate,
    ResolvedDate,
    match_date_token,
    prints_year,
    read_number,
    to_ascii_digits,
)
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.plural import agree, counted
from fangzhi.text.source import SourceText

PageOfLine = Callable[[int], "int | None"]

WRAPPED = "wrapped"
PARAGRAPH_LINES = "paragraph_lines"
BLANK_SEPARATED = "blank_separated"

_YEAR_HEADING = re.compile(
    rf"^[（(【\[]?(?:公元)?(?P<year>{YEAR_NUM})(?:年度?)?[）)】\]]?(?:[（(][^（）()]{{1,8}}[）)])?$"
)
_MONTH_HEADING = re.compile(rf"^[（(【\[]?(?:(?P<year>{YEAR_NUM})年)?(?P<month>{NUM})月份?[）)】\]]?$")
# A running header of a yearbook page (示例年鉴2023, 示例年鉴（2023）): furniture inside a chronicle.
_RUNNING_HEADER = re.compile(r"^[^\s，。；,;]{0,16}年鉴\s*[（(]?\d{0,4}[）)]?$")
# An ordered-list number before a date (1. 1月9日 …), as Markdown and web lists print them.
_LIST_NUMBER = re.compile(r"^\s*\d{1,3}[.)、．]\s*")
_TITLE_DATE = re.compile(rf"(?P<year>{YEAR_NUM})年(?:(?P<month>{NUM})月(?![—–\-~～至到]))?")
_TITLE_YEARS = re.compile(
    rf"(?P<first>{YEAR_NUM})年?\s*(?:—{{1,2}}|[–－\-~～〜至到])\s*(?P<last>{YEAR_NUM})年?(?![0-9])"
)
_SEPARATOR = re.compile(r"^[\s,，、:：．.]+")
# A gazette column label before the title: 【区政府工作大事记】2021年7-9月区政府大事记.
_GROUP_LABEL = re.compile(r"^【(?P<group>[^】]{2,20})】(?P<title>.{4,})$")
# A line ending in one of these can end an event; wrapped lines break anywhere else.  The ASCII
# full stop is there because damaged text has lost its 。.
_CLOSING = tuple("。！？!?；;…”’」』）)】.")
# A paragraph (as opposed to a line) ends only at the end of a sentence.
_PARAGRAPH_CLOSING = tuple("。！？!?…”’」』.")
_SENTENCE_PUNCTUATION = re.compile(r"[，。；：！？,;:!?]")
_NOTE = re.compile(r"^[（(][^（）()]*[）)]$")
_CREDIT = re.compile(r"(?:[（(][^（）()]{0,30}(?:摄|摄影|供图|图)[）)]|摄影[:：]?\S{0,8})$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
# A short heading of another section (人口, 自然环境): it ends a chronicle inside a longer text.
_BRACKETED_DATE = re.compile(
    r"^\s*(?:【(?P<a>[^】]{2,24})】|\[(?P<b>[^\]]{2,24})\]|[（(](?P<c>[^）)]{2,24})[）)])(?P<rest>.*)$"
)
_YEARBOOK_TITLE = re.compile(r"[\u4e00-\u9fff]{2,10}年鉴\s*[·•（(]?\s*(?P<year>\d{4})")
_YEARBOOK_TITLE_LINES = 10
_HAN_START = re.compile(r"[\u4e00-\u9fff]")
_SECTION_HEADING = re.compile(r"^[\u4e00-\u9fff]{2,12}$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CHANGE_FIGURE = re.compile(r"(?:增长|下降|增加|减少|同比|增幅|降幅)[^。；]{0,8}?\d+(?:\.\d+)?\s*(?:%|％|个百分点)")


@lru_cache(maxsize=1)
def _words() -> dict[str, object]:
    text = resources.files("fangzhi.data").joinpath("chronicle_words.json").read_text(encoding="utf-8")
    return json.loads(text)


def _markers() -> str:
    return str(_words()["markers"])


def event_markers() -> str:
    """The marks that open a chronicle's event (``△``, ``▲`` …), from ``data/chronicle_words.json``."""
    return _markers()


def _starts_with_any(text: str, key: str) -> bool:
    return any(text.startswith(word) for word in _words()[key])  # type: ignore[union-attr]


def year_from_title(text: str) -> int | None:
    """The year a chronicle title names (``2023年11—12月大事记`` → 2023), if any."""
    match = _TITLE_DATE.search(to_ascii_digits(squeeze_spaces(text)))
    return read_number(match.group("year")) if match else None


def is_chronicle_title(key: str) -> bool:
    """A short unpunctuated line naming a chronicle: 大事记, 大事要览, 要事记, 二〇二二年一月从化大事记 …"""
    if len(key) > 40 or _SENTENCE_PUNCTUATION.search(key.replace("【", "").replace("】", "")):
        return False
    return any(word in key for word in _words()["title_words"])  # type: ignore[union-attr]


def _title_dates(key: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, last year) a title names.

    二〇二二年一月从化大事记 → (2022, 1, None); 2021年12月—2022年2月大事记 →
    (2021, None, 2022), where months may run into the last year; 1985—1990年 →
    (1985, None, None): a multi-year chronicle moves on by its headings.
    """
    ascii_key = to_ascii_digits(key)
    span = _TITLE_YEARS.search(ascii_key)
    if span:
        return read_number(span.group("first")), None, None
    found = list(_TITLE_DATE.finditer(ascii_key))
    if not found:
        return None, None, None
    first = found[0]
    year = read_number(first.group("year"))
    month = read_number(first.group("month")) if len(found) == 1 else None
    last_year = read_number(found[-1].group("year")) if len(found) > 1 else None
    return year, month, last_year if last_year and year and last_year > year else None


def _is_statistics(text: str) -> bool:
    """A paragraph of figures (a 统计 block), not an event: many numbers, much of the text digits."""
    numbers = _NUMBER.findall(text)
    return len(numbers) >= 5 and sum(len(n) for n in numbers) >= 0.12 * len(text)


def _cumulative_figures(match: re.Match[str], text: str) -> bool:
    """``1—11月，全区完成固定资产投资增长8.2%``: figures for the months so far, not an event of ten months."""
    return (
        bool(match.group("month_range")) and read_number(match.group("m7")) == 1 and bool(_CHANGE_FIGURE.search(text))
    )


def _warning(problem: tuple[str, str], line: int) -> ParseWarning:
    return ParseWarning(problem[0], problem[1], line)


@dataclass
class _Segment:
    """A paragraph line, or the part of one that a △/▲ marker splits off."""

    line: int
    raw: str
    key: str  # squeeze_spaces(raw): what headings and titles are matched against
    boundary: bool = True  # starts a paragraph (not a wrapped line of the one before)

    @property
    def spaced(self) -> str:
        """The text with its spaces kept (collapsed): what dates are matched against."""
        return " ".join(self.raw.split())


@dataclass
class _Draft:
    segments: list[_Segment]
    first_text: str
    printed: str
    resolved: ResolvedDate
    warnings: list[ParseWarning] = field(default_factory=list)


@dataclass
class _Block:
    """A YEAR or MONTH node (or the chronicle itself) collecting events, summary lines and notes."""

    node: Node
    summary: list[_Segment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _detect_layout(source: SourceText, numbers: Sequence[int], keys: Sequence[str]) -> str:
    """How lines make paragraphs: wrapped at a fixed width (PDF text), or one paragraph per line (web, Markdown).

    Long lines, or lines that nearly all end a sentence, are paragraphs; a
    PDF column wraps mid-sentence, so most of its lines end open.
    """
    lengths = [len(key) for key in keys if key]
    closed = sum(1 for key in keys if key.endswith(_CLOSING))
    if lengths and (statistics.median(lengths) > 30 or closed >= 0.8 * len(lengths)):
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
    # Paragraphs of up to some ten lines between blank lines; a blank now and then is a page break
    # (a page's number and running header blanked as furniture), not a paragraph's end.
    if blank_gaps and adjacent and blank_gaps < adjacent and blank_gaps * 10 >= adjacent:
        return BLANK_SEPARATED
    return WRAPPED


def _is_heading_key(key: str) -> bool:
    return bool(_MONTH_HEADING.match(key) or _YEAR_HEADING.match(key) or is_chronicle_title(key) or _date_only(key))


def unbracket_date(raw: str) -> str:
    """A paragraph led by a date in brackets (``【1月8日】市委…``, ``（4月10日）市政府…``) as if printed bare.

    Only a date with its month, followed by the text: a bracketed date alone
    on its line is a date under a title, not a day heading, and a bracketed
    year inside a sentence (``名录（2023年）”，…`` wrapped onto a new line) is
    part of it.
    """
    match = _BRACKETED_DATE.match(raw)
    if match is None or not _HAN_START.match(match.group("rest").lstrip()):
        return raw
    inside = (match.group("a") or match.group("b") or match.group("c")).strip()
    date = match_date_token(inside)
    if date is None or date.group("follow_up") or date.end() != len(to_ascii_digits(inside)) or "月" not in inside:
        return raw
    return f"{inside} {match.group('rest').lstrip()}"


def _date_only(text: str) -> re.Match[str] | None:
    """The date a line consists of (a day heading: ``1日``, ``7～8日``), or None."""
    match = match_date_token(text)
    if match and not match.group("follow_up") and not _SEPARATOR.sub("", text.strip()[match.end() :]):
        return match
    return None


class _ChronicleBuilder:
    def __init__(
        self,
        source: SourceText,
        numbers: Sequence[int],
        year: int | None,
        page_of_line: PageOfLine | None,
        image_lines: Iterable[int] = (),
    ) -> None:
        self.source = source
        self.image_lines = set(image_lines)
        self.numbers = [n for n in numbers if source.line(n).strip()]
        self.page_of_line = page_of_line or (lambda line: None)
        self.context = DateContext(year)
        self.segments = self._segments()
        content = [s for s in self.segments if not _is_heading_key(s.key)]
        self.layout = _detect_layout(source, self.numbers, [s.key for s in content] or [s.key for s in self.segments])
        self._mark_boundaries()
        widths = sorted(len(s.key) for s in content) or [0]
        self.line_width = widths[int(0.9 * (len(widths) - 1))]
        self.marks_same_day = any(
            s.key[:1] in _markers()
            or s.key.startswith(("同日", "是日", "当日", "同天", "当天"))
            or _date_only(s.spaced)
            for s in self.segments
        )
        self.attributes = ChronicleAttributes()
        self.root = Node(kind=NodeKind.CHRONICLE, title=None, line_start=1, line_end=1, attributes=self.attributes)
        self.root_block = _Block(self.root)
        self.year_block: _Block | None = None
        self.block = self.root_block
        self.draft: _Draft | None = None
        self.after_day_heading = False
        # A month heading with no dated event under it yet: a △ event there is dated to the month.
        self.month_resolved: ResolvedDate | None = None
        self.heading_printed = ""
        self.heading_resolved: ResolvedDate | None = None
        self.after_image = False
        self.titles: list[str] = []
        self.warnings: list[ParseWarning] = []
        self.years_seen: list[int] = []

    # -- input -------------------------------------------------------------

    def _segments(self) -> list[_Segment]:
        found: list[_Segment] = []
        for number in self.numbers:
            raw = clean_line(self.source.line(number))
            if not raw.strip():
                continue
            furniture = line_furniture(raw)
            if furniture is not None:
                if furniture[0] == IMAGE:
                    self.image_lines.add(number)
                continue
            if _PAGE_NUMBER.match(raw.strip()) or _RUNNING_HEADER.match(squeeze_spaces(raw)):
                continue
            numbered = _LIST_NUMBER.match(raw)
            if numbered and match_date_token(raw[numbered.end() :]):
                raw = raw[numbered.end() :]
            raw = unbracket_date(raw)
            markers = _markers()
            stripped = raw.strip()
            if stripped[:1] in markers or any(mark in raw for mark in "△▲"):
                pieces = [piece for piece in re.split(rf"(?=[{re.escape(markers)}])", raw) if piece.strip()]
                pieces = self._keep_inline(pieces, markers)
            else:
                pieces = [raw]
            for index, piece in enumerate(pieces):
                stripped = piece.strip()
                if stripped[:1] in markers and _is_heading_key(squeeze_spaces(stripped[1:])):
                    piece = stripped[1:]  # ◎1985年, ■一月: a marked heading, not an event
                found.append(_Segment(number, piece, squeeze_spaces(piece), boundary=index > 0))
        return found

    @staticmethod
    def _spaced_date(segment: _Segment) -> bool:
        """A line opening with a date and a space (``3—5日 市人大…``): an event, even after an open line.

        A line that merely wraps inside a sentence runs on from the date (``10日起施行``).
        """
        match = match_date_token(segment.spaced)
        if not match or not (match.group("absolute") or match.group("same_day")):
            return False
        raw = segment.raw.lstrip()
        cut = _raw_prefix(raw, sum(1 for char in match.group(0) if not char.isspace()))
        return raw[cut : cut + 1] in (" ", "\u3000", "\t") and bool(raw[cut:].strip())

    def _short(self, segment: _Segment) -> bool:
        """A wrapped line well short of the column's width ends its paragraph, punctuated or not."""
        return self.layout == WRAPPED and len(segment.key) < 0.6 * self.line_width

    @staticmethod
    def _keep_inline(pieces: list[str], markers: str) -> list[str]:
        """Split at △/▲ anywhere, at other bullets (● ◆ ■ …) only where they open the line."""
        kept: list[str] = []
        for index, piece in enumerate(pieces):
            mark = piece.lstrip()[:1]
            if index and mark not in "△▲" and mark in markers:
                kept[-1] += piece
            else:
                kept.append(piece)
        return kept

    def _mark_boundaries(self) -> None:
        """Which segments start a paragraph: every line in paragraph layouts, lines after a blank in others."""
        previous: _Segment | None = None
        for segment in self.segments:
            if previous is None or segment.line == previous.line or self.layout == PARAGRAPH_LINES:
                segment.boundary = True
            elif self.layout == BLANK_SEPARATED:
                segment.boundary = not any(line.strip() for line in self.source.lines[previous.line : segment.line - 1])
            else:
                segment.boundary = False
            previous = segment

    # -- structure -------------------------------------------------------

    def build(self) -> Node:
        previous_closed = True
        for segment in self.segments:
            starts = previous_closed or segment.boundary or self._spaced_date(segment)
            self._take(segment, starts)
            previous_closed = segment.key.endswith(_CLOSING) or _is_heading_key(segment.key) or self._short(segment)
        self._flush()
        if self.block is not self.root_block and self.block is not self.year_block:
            self._close_block(self.block)
        if self.year_block is not None:
            self._close_block(self.year_block)
        self._close_block(self.root_block)
        root = self.root
        if self.numbers:
            root.line_start, root.line_end = self.numbers[0], self.numbers[-1]
            root.page, root.page_end = self.page_of_line(root.line_start), self.page_of_line(root.line_end)
        root.title = self.titles[0] if self.titles else None
        events = [node for node, _ in root.walk() if node.kind == NodeKind.EVENT]
        undated = sum(1 for event in events if EventAttributes.of(event).year_unknown)
        if undated:
            self.warnings.append(
                ParseWarning(
                    "chronicle_no_year",
                    f"{counted(undated, 'event')} {agree(undated, 'has', 'have')} no year: the text names none; "
                    "give it with --year",
                    root.line_start,
                )
            )
        if not events:
            self.warnings.append(ParseWarning("chronicle_no_dates", "no 大事记 dates recognised", root.line_start))
        years = sorted(set(self.years_seen))
        only_year = years[0] if len(years) == 1 else None if years else self.context.year
        attributes = self.attributes
        attributes.year, attributes.layout, attributes.warnings = only_year, self.layout, self.warnings
        if len(years) > 1:
            attributes.years = years
        if len(self.titles) > 1:
            attributes.titles = self.titles
        return root

    def _take(self, segment: _Segment, starts: bool) -> None:
        key = segment.key
        marker = key[:1] in _markers()
        if self._is_caption(segment, starts):
            self._caption(segment)
            return
        self.after_image = False
        if not marker and starts and is_chronicle_title(key) and not self._day_dated(segment):
            self._title(segment)
            return
        if not marker and starts:
            year_heading = _YEAR_HEADING.match(key)
            if year_heading:
                self._open_year(segment, read_number(year_heading.group("year")))
                return
        heading = _MONTH_HEADING.match(key) if not marker else None
        if heading and (starts or self._expected_month(heading)):
            self._open_month(segment, heading)
            return
        if marker:
            self._start_marked(segment)
            return
        if starts:
            only = _date_only(segment.spaced)
            if only:
                self._day_heading(segment, only)
                return
            match = match_date_token(segment.spaced)
            if match and _cumulative_figures(match, key):
                self._flush()
                self._statistics(segment)
                return
            if match and not self._follows_up(match, segment.spaced):
                self._start_dated(segment, match)
                return
        if self.after_day_heading and (self.draft is None or self._paragraph_break(self.draft.segments[-1], segment)):
            self._start_undated(segment, self.heading_printed, self.heading_resolved)
            return
        if self.draft is not None:
            if self.draft.segments[-1].key.endswith(_PARAGRAPH_CLOSING) and _NOTE.match(key):
                self._flush()
                self.block.notes.append(key)
                return
            if self._paragraph_break(self.draft.segments[-1], segment) and self._not_a_continuation(segment):
                return
            self.draft.segments.append(segment)
            return
        if starts and _is_statistics(key):
            self._statistics(segment)
            return
        self.block.summary.append(segment)

    @staticmethod
    def _day_dated(segment: _Segment) -> bool:
        match = match_date_token(segment.spaced)
        return bool(match and (match.group("absolute") or match.group("same_day") or match.group("next_day")))

    def _not_a_continuation(self, segment: _Segment) -> bool:
        """Handle a new undated paragraph after an event that is not part of it; True when handled."""
        key = segment.key
        if _is_statistics(key):
            self._flush()
            self._statistics(segment)
            return True
        if _starts_with_any(key, "summary_starts"):
            self._flush()
            self.block.summary.append(segment)
            return True
        if self.marks_same_day or _starts_with_any(key, "continuation_starts"):
            return False
        if self.draft is None or not self.draft.segments[-1].key.endswith(_PARAGRAPH_CLOSING):
            return False
        self._start_undated(segment, "", self.context.last)
        return True

    def _follows_up(self, match: re.Match[str], key: str) -> bool:
        """A date inside an entry (翌年…, 5日下午… under a printed month, 12月5日，又…), not a new event."""
        if self.draft is None:
            return False
        if match.group("follow_up"):
            return True
        rest = _SEPARATOR.sub("", key[match.end() :])
        if _starts_with_any(rest, "again_words"):
            return True
        day_only = match.group("absolute") and not match.group("m1") and prints_year(match) is None
        return bool(
            day_only
            and self.context.heading_month is None
            and self.context.last_month is not None
            and _starts_with_any(key[match.end() :], "time_of_day")
        )

    def _is_caption(self, segment: _Segment, starts: bool) -> bool:
        if not starts:
            return False
        key = segment.key
        if _CREDIT.search(key) and len(key) <= 150:
            return True
        if not self._after_image(segment):
            return False
        match = match_date_token(segment.spaced)
        return match is None or prints_year(match) is not None

    def _after_image(self, segment: _Segment) -> bool:
        """Whether the nearest line above (blank lines skipped) is an image placeholder."""
        number = segment.line - 1
        while number >= 1 and number not in self.image_lines and not self.source.line(number).strip():
            number -= 1
        return number in self.image_lines

    def _caption(self, segment: _Segment) -> None:
        self._flush()
        node = Node(
            kind=NodeKind.CAPTION,
            title=None,
            line_start=segment.line,
            line_end=segment.line,
            text=join_lines([segment.raw]),
            page=self.page_of_line(segment.line),
            page_end=self.page_of_line(segment.line),
            level=self.block.node.level + 1,
        )
        self.block.node.add(node)

    def _statistics(self, segment: _Segment) -> None:
        node = Node(
            kind=NodeKind.PARAGRAPH,
            title=None,
            line_start=segment.line,
            line_end=segment.line,
            text=join_lines([segment.raw]),
            page=self.page_of_line(segment.line),
            level=self.block.node.level + 1,
            attributes=ParagraphAttributes(role="statistics"),
        )
        self.block.node.add(node)

    def _title(self, segment: _Segment) -> None:
        self._flush()
        group = _GROUP_LABEL.match(segment.key)
        if group:
            self.attributes.group_title = group.group("group")
        self.titles.append(group.group("title") if group else segment.key)
        year, month, last_year = _title_dates(segment.key)
        if year:
            self.context.new_year(year)
            self.context.last_year = last_year
            self._saw_year(year)
        if month:
            self.context.new_month(month)

    def _saw_year(self, year: int) -> None:
        if not self.years_seen or self.years_seen[-1] != year:
            self.years_seen.append(year)

    def _expected_month(self, heading: re.Match[str]) -> bool:
        month = read_number(heading.group("month"))
        current = self.context.heading_month
        return month is not None and (current is None or month == current % 12 + 1)

    def _open_year(self, segment: _Segment, year: int | None) -> None:
        self._flush()
        if self.block is not self.root_block and self.block is not self.year_block:
            self._close_block(self.block)
        if self.year_block is not None:
            self._close_block(self.year_block)
        self.after_day_heading = False
        self.month_resolved = None
        if year is not None:
            self.context.new_year(year)
            self._saw_year(year)
        node = self._heading_node(NodeKind.YEAR, segment, 1, YearAttributes(year=year))
        self.root.add(node)
        self.year_block = _Block(node)
        self.block = self.year_block

    def _open_month(self, segment: _Segment, heading: re.Match[str]) -> None:
        self._flush()
        if self.block is not self.root_block and self.block is not self.year_block:
            self._close_block(self.block)
        month = read_number(heading.group("month"))
        explicit_year = read_number(heading.group("year"))
        warnings: list[ParseWarning] = []
        if month is None or not 1 <= month <= 12:
            warnings.append(
                ParseWarning("month_heading_invalid", f"month heading {segment.key!r} is not a month", segment.line)
            )
            month = None
        else:
            warnings.extend(_warning(problem, segment.line) for problem in self.context.new_month(month, explicit_year))
        if month is None:
            self.context.heading_month = None
        if explicit_year:
            self._saw_year(explicit_year)
        self.after_day_heading = False
        year = self.context.year
        self.month_resolved = ResolvedDate(PartialDate(year, month, None)) if month else None
        parent = self.year_block or self.root_block
        node = self._heading_node(
            NodeKind.MONTH,
            segment,
            parent.node.level + 1,
            MonthAttributes(month=f"{year:04d}-{month:02d}" if month and year else None, warnings=warnings),
        )
        parent.node.add(node)
        self.warnings.extend(warnings)
        self.block = _Block(node)

    def _heading_node(self, kind: str, segment: _Segment, level: int, attributes: NodeAttributes) -> Node:
        return Node(
            kind=kind,
            title=segment.key,
            line_start=segment.line,
            line_end=segment.line,
            page=self.page_of_line(segment.line),
            page_end=self.page_of_line(segment.line),
            level=level,
            attributes=attributes,
        )

    def _day_heading(self, segment: _Segment, match: re.Match[str]) -> None:
        self._flush()
        resolved = self.context.resolve(match)
        self.context.remember(resolved, match)
        self._note_year(match)
        self.heading_printed = segment.raw.strip()
        self.heading_resolved = resolved
        self.after_day_heading = True
        self.month_resolved = None

    def _note_year(self, match: re.Match[str]) -> None:
        printed = prints_year(match)
        if printed is not None:
            self._saw_year(printed)
        elif self.context.year is not None and not self.years_seen:
            self._saw_year(self.context.year)

    def _start_dated(self, segment: _Segment, match: re.Match[str]) -> None:
        self._flush()
        self.after_day_heading = False
        self.month_resolved = None
        resolved = self.context.resolve(match)
        self.context.remember(resolved, match)
        self._note_year(match)
        cut = _raw_prefix(segment.raw, sum(1 for char in match.group(0) if not char.isspace()))
        printed = segment.raw[:cut].strip()
        rest = _SEPARATOR.sub("", segment.raw[cut:])
        warnings = [_warning(problem, segment.line) for problem in resolved.warnings]
        self.draft = _Draft([segment], rest, printed, resolved, warnings)

    def _start_marked(self, segment: _Segment) -> None:
        self._flush()
        raw = segment.raw.strip()[1:]
        key = squeeze_spaces(raw)
        match = match_date_token(raw)
        if match and not match.group("follow_up"):
            self._start_dated(_Segment(segment.line, raw, key), match)
            self.draft.segments[0] = segment  # type: ignore[union-attr]
            return
        if self.after_day_heading:
            self._start_undated(_Segment(segment.line, raw, key), self.heading_printed, self.heading_resolved)
        else:
            self._start_undated(_Segment(segment.line, raw, key), "", self.month_resolved or self.context.last)
        self.draft.segments[0] = segment  # type: ignore[union-attr]

    def _start_undated(self, segment: _Segment, printed: str, resolved: ResolvedDate | None) -> None:
        """An event whose date is the one before it: under a day heading, after a △ marker, or unmarked."""
        self._flush()
        warnings: list[ParseWarning] = []
        if resolved is None:
            resolved = ResolvedDate(None)
            warnings.append(
                ParseWarning("date_no_earlier", "event has no date and no earlier date to inherit", segment.line)
            )
        else:
            warnings.extend(_warning(problem, segment.line) for problem in resolved.warnings)
        self.draft = _Draft([segment], _SEPARATOR.sub("", segment.raw), printed, resolved, warnings)

    # -- output ------------------------------------------------------------

    def _flush(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        texts = [draft.first_text] + [segment.raw for segment in draft.segments[1:]]
        lines = [segment.line for segment in draft.segments]
        resolved = draft.resolved
        date: PartialDate | None = resolved.date
        warnings = [warning for warning in draft.warnings if warning.code != "date_no_year"]
        attributes = EventAttributes(
            date=resolved.iso(),
            date_end=resolved.iso_end(),
            date_as_printed=draft.printed,
            precision=resolved.precision,
            warnings=warnings,
        )
        if date is not None and date.year is None:
            attributes.year_unknown = True
            if date.month is not None:
                attributes.month_day = f"{date.month:02d}-{date.day:02d}" if date.day else f"{date.month:02d}"
        node = Node(
            kind=NodeKind.EVENT,
            title=None,
            line_start=lines[0],
            line_end=lines[-1],
            text=self._join(draft.segments, texts),
            page=self.page_of_line(lines[0]),
            page_end=self.page_of_line(lines[-1]),
            level=self.block.node.level + 1,
            attributes=attributes,
        )
        self.block.node.add(node)
        for block in (self.block, self.year_block):
            if block is not None:
                block.node.line_end = max(block.node.line_end, node.line_end)
                if node.page_end is not None:
                    block.node.page_end = node.page_end

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
        # Wrapped at a fixed width: a closed line well short of the column ends its paragraph.
        return self._short(before)

    def _close_block(self, block: _Block) -> None:
        attributes = ChronicleBlockAttributes.of(block.node)
        if block.summary:
            attributes.summary = join_lines(segment.raw for segment in block.summary)
            block.node.line_start = min(block.node.line_start, block.summary[0].line)
            block.node.line_end = max(block.node.line_end, block.summary[-1].line)
            block.summary = []
        if block.notes:
            attributes.notes = list(block.notes)
        for child in block.node.children:
            block.node.line_end = max(block.node.line_end, child.line_end)


def _raw_prefix(raw: str, non_space_count: int) -> int:
    """Position in ``raw`` just after its first ``non_space_count`` non-space characters."""
    seen = 0
    for position, char in enumerate(raw):
        if seen == non_space_count:
            return position
        if not char.isspace():
            seen += 1
    return len(raw)


def parse_chronicle(
    source: SourceText,
    line_numbers: Sequence[int],
    year: int | None,
    page_of_line: PageOfLine | None = None,
    image_lines: Iterable[int] = (),
) -> Node:
    """Turn the body lines of a chronicle into a CHRONICLE node of YEAR, MONTH and EVENT nodes.

    ``line_numbers`` are the 1-based raw lines of the chronicle's body, with
    running headers, footers and photo captions already removed.  ``year`` is
    the year dates are in until the text names one (a title line such as
    ``2023年11—12月大事记``, a year heading, a date that prints its year).
    Blank lines between the given numbers are read from ``source`` to tell the
    layout; ``image_lines`` are image placeholders whose next paragraph is a
    caption.
    """
    return _ChronicleBuilder(source, line_numbers, year, page_of_line, image_lines).build()


# -- chronicles as whole texts ---------------------------------------------------


def _is_date_led(text: str) -> bool:
    if text.strip()[:1] in _markers():
        return True
    match = match_date_token(text)
    return bool(match and not match.group("follow_up"))


def chronicle_evidence(source: SourceText, numbers: Iterable[int] | None = None) -> float:
    """The share of a text's paragraphs that open with a date (a day heading and its paragraph count as one).

    A chronicle is a run of date-led paragraphs; an official document or a
    report has a date line or two.  A paragraph led by a month or a year
    (``4月，…``, ``2020年末，…``) counts for less: reports open sentences that
    way too.  0.0 when hardly any paragraph is dated.
    """
    texts: list[str] = []
    for line in numbers if numbers is not None else range(1, len(source) + 1):
        raw = clean_line(source.line(line))
        if not raw.strip() or line_furniture(raw) is not None:
            continue
        texts.append(" ".join(unbracket_date(raw).split()))
    day_led = day_headings = headings = 0
    coarse = 0.0
    for text in texts:
        key = squeeze_spaces(text)
        match = match_date_token(text)
        if _MONTH_HEADING.match(key) or _YEAR_HEADING.match(key):
            # A month heading's events are counted on their own lines: only a day heading stands for the text under it.
            headings += 1
        elif _date_only(text):
            day_headings += 1
        elif text[:1] in _markers() or (match and (match.group("absolute") or match.group("same_day"))):
            day_led += 1
        elif match and not match.group("follow_up"):
            coarse += 0.75 if prints_year(match) is not None else 0.5
    if day_led + day_headings + coarse < 2:
        return 0.0
    return min(1.0, (day_led + 2 * day_headings + headings + coarse) / max(len(texts), 1))


def chronicle_runs(source: SourceText, numbers: Sequence[int], minimum: int = 3) -> list[tuple[int, int]]:
    """Runs of date-led paragraphs inside a longer text, as (first line, last line).

    A run starts at a 大事记 title, a year or month heading or a date-led
    paragraph, and ends before a stretch of three undated paragraphs in a
    row; runs with fewer than ``minimum`` dated paragraphs are not chronicles.
    """
    content = [n for n in numbers if source.line(n).strip()]
    runs: list[tuple[int, int]] = []
    start: int | None = None
    last_dated: int | None = None
    dated = 0
    undated = 0
    for number in content:
        spaced = " ".join(clean_line(source.line(number)).split())
        key = squeeze_spaces(spaced)
        heading = bool(_MONTH_HEADING.match(key) or _YEAR_HEADING.match(key))
        if _is_date_led(spaced) or heading:
            if start is None:
                start = number
            last_dated = number
            dated += 0 if heading else 1
            undated = 0
            continue
        if is_chronicle_title(key):
            if start is not None and dated >= minimum and last_dated is not None:
                runs.append((start, last_dated))
            start, last_dated, dated, undated = number, number, 0, 0
            continue
        if start is None:
            continue
        undated += 1
        if undated >= 3 or _SECTION_HEADING.match(key):
            if dated >= minimum and last_dated is not None:
                runs.append((start, _run_end(content, last_dated, number)))
            start, last_dated, dated, undated = None, None, 0, 0
            if _SECTION_HEADING.match(key):
                continue
    if start is not None and dated >= minimum and last_dated is not None:
        runs.append((start, _run_end(content, last_dated, content[-1] + 1)))
    return runs


def _run_end(content: list[int], last_dated: int, stop: int) -> int:
    """A run ends with its last dated paragraph and the undated paragraph right after it (its continuation)."""
    after = [n for n in content if last_dated < n < stop]
    return after[0] if after and len(after) < 3 else last_dated


def parse_chronicle_volume(source: SourceText, volume_id: str, year: int | None = None) -> Document:
    """A whole file that is a chronicle: a 大事记 page from a website, a Markdown file, a chapter on its own.

    The title is the chronicle's own title line, else the page title the web
    furniture gives, else the file name.  ``year`` (``--year``) is used only
    until the text names a year.
    """
    furniture = read_furniture(source)
    view = reading_view(source, furniture)
    numbers = [n for n in range(1, len(view) + 1) if view.line(n).strip()]
    image_lines = [line.line for line in furniture.lines.values() if line.role == IMAGE]
    root = Node(kind=NodeKind.VOLUME, title=None, line_start=1, line_end=max(len(source), 1))
    if year is None:
        year = _recorded_year_of_yearbook(source)
    chronicle = parse_chronicle(view, numbers, year, furniture.page_of_line.get, image_lines)
    chronicle.title = chronicle.title or furniture.page_title
    root.add(chronicle)
    title = chronicle.title or furniture.title or volume_id
    attributes = ChronicleAttributes.of(chronicle)
    volume = Volume.of_source(
        volume_id,
        "chronicle",
        source,
        title,
        attributes.year,
        {"furniture": furniture.summary(), "furniture_lines": sorted(furniture.lines)},
    )
    root.title = title
    return Document(volume=volume, source=source, root=root, warnings=list(attributes.warnings))


def _recorded_year_of_yearbook(source: SourceText) -> int | None:
    """The year before the edition a yearbook's title or running header names (``示例区年鉴2022`` → 2021).

    A 大事记 copied out of a yearbook records the year before the edition;
    like ``--year``, this holds only until the text names a year.
    """
    for line in source.lines[:_YEARBOOK_TITLE_LINES]:
        match = _YEARBOOK_TITLE.search(to_ascii_digits(squeeze_spaces(line)))
        if match:
            return int(match.group("year")) - 1
    return None
