"""Dates as Chinese government texts print them: one grammar for chronicles and documents alike.

A chronicle writes for a reader who knows the context, so its dates are
shorthand resolved against what came before: ``7日`` takes the month of the
heading above it and the year of the title, ``同日`` repeats the date before,
``31—4月2日`` runs into the next month, ``是月`` and ``下旬`` name a month and
``是年`` a year.  A document prints whole dates (``2023年12月23日``,
``二〇二三年十二月二十三日``) on their own line, inside its ``（…会议通过）``
line, or in a web page's metadata (``发文日期：2023-05-31 10:00``).

Everything here reads dates; nothing invents one.  A date whose year (or
month) is unknown stays without it, at the precision the text gives
(``day``, ``month``, ``year``), and says why in a warning.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

DAY = "day"
MONTH = "month"
YEAR = "year"

_WIDE_DIGITS = str.maketrans("０１２３４５６７８９○", "0123456789〇")
_CN_YEAR_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

NUM = r"(?:[0-9０-９]{1,2}|[〇零一二三四五六七八九十廿卅两]{1,3})"
YEAR_NUM = r"(?:[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})"
RANGE_SEP = r"(?:[—―]{1,2}|－－|[–－\-‐−~～〜至到])"
# What may separate a leading date from the text after it.
SEPARATOR = r"[\s,，、:：．.]"
# A season or part of a year: dated to the year, at year precision.
_PART_OF_YEAR = r"(?:上半年|下半年|春季|夏季|秋季|冬季|年初|年底|年末|春|夏|秋|冬|初|底|末)"
# A season standing alone under a year heading (``冬 县城…``).
_SEASON = r"(?:上半年|下半年|春季|夏季|秋季|冬季|年初|年底|年末|年内|春|夏|秋|冬)"

_S = r"[ \t\u3000]*"
# A reign or republican year before its Gregorian year: 清光绪二十六年（1900年）, 民国26年（1937）.
_ERA = r"(?:公元|[\u4e00-\u9fff]{1,8}?(?:元|[0-9〇一二三四五六七八九十]{1,4})年)"


def _year(n: int) -> str:
    """A printed year as group ``y{n}`` (1986年, 一九八六年, 1937年（民国26年）) or ``e{n}`` (…年（1900年）)."""
    return (
        rf"(?:(?:公元)?(?P<y{n}>{YEAR_NUM}){_S}年(?:[（(][^（）()]{{1,12}}[）)])?"
        rf"|{_ERA}?[（(](?:公元)?(?P<e{n}>\d{{3,4}})年?[）)])"
    )


DATE_TOKEN = re.compile(
    rf"""^(?:
      (?P<follow_up>(?:翌年|次年|翌月|次月)(?:{_S}{NUM}{_S}月)?(?:{_S}{NUM}{_S}日)?)
      |(?P<absolute>
        (?:{_year(1)}{_S}|(?P<y1_same>同年|是年|当年))?
        (?:(?P<m1>{NUM}){_S}月{_S}|(?P<m1_same>同月|是月|本月|当月))?
        (?P<d1>{NUM}){_S}
        (?:(?:日{_S})?{RANGE_SEP}{_S}(?:(?P<y2>{YEAR_NUM}){_S}年{_S})?(?:(?P<m2>{NUM}){_S}月{_S})?(?P<d2>{NUM}){_S}日|日)
        (?:起(?={SEPARATOR}))?
      )
      |(?P<same_day>同{_S}日|是{_S}日|当{_S}日|当天|同天)
      |(?P<next_day>次日|翌日)
      |(?P<part_of_month>
        (?:{_year(3)}{_S})?(?:(?P<m3>{NUM}){_S}月{_S})?(?:上中旬|中下旬|上旬|中旬|下旬)
        |(?:{_year(4)}{_S})?(?P<m4>{NUM}){_S}月(?:初|底|末))
      |(?P<same_month>是月|本月|当月|同月|月内|月初|月底|月末)
      |(?P<month_range>
        (?:{_year(7)}{_S})?(?P<m7>{NUM}){_S}月?{_S}{RANGE_SEP}{_S}(?P<m8>{NUM}){_S}月份?(?={SEPARATOR}))
      |(?P<month_only>
        (?:{_year(5)}{_S})?(?P<m5>{NUM}){_S}月份?(?={SEPARATOR}|$|[\u4e00-\u9fff]))
      |(?P<same_year>(?:是年|本年|当年|同年)(?:{_PART_OF_YEAR})?|{_SEASON}(?={SEPARATOR}))
      |(?P<year_only>{_year(6)}{_S}(?:年度)?(?:{_PART_OF_YEAR})?(?={SEPARATOR}|$))
    )""",
    re.VERBOSE,
)

_PART_OF_MONTH_START = {"上旬": 1, "中旬": 11, "下旬": 21, "上中旬": 1, "中下旬": 11}
_FULL_DATE = re.compile(
    rf"(?P<year>{YEAR_NUM})\s*年\s*(?P<month>{NUM})\s*月\s*(?P<day>{NUM})\s*日"
    r"|(?<![0-9])(?P<iso_year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<iso_month>\d{1,2})(?P=sep)(?P<iso_day>\d{1,2})(?![0-9])"
)
# Year, month and day run together after their 年 and 月 were lost (``202184日`` for 2021年8月4日).
_RUN_TOGETHER = re.compile(r"(?<![0-9])(?P<digits>(?:19|20)\d{4,6})日")
# A whole line that is a date, as a document's signature date or, in brackets, under its title.
_DATE_LINE = re.compile(rf"^(?P<open>[（(])?(?P<year>{YEAR_NUM})年(?P<month>{NUM})月(?P<day>{NUM})日(?(open)[）)])$")


def to_ascii_digits(text: str) -> str:
    """Full-width digits to ASCII (``２０２３`` → ``2023``); ○ read as the numeral 〇."""
    return text.translate(_WIDE_DIGITS)


def read_number(text: str | None) -> int | None:
    """The value of a printed number: ``12``, ``１２``, ``十二``, ``廿一``, ``卅``, or a year ``一九八六``."""
    if not text:
        return None
    text = to_ascii_digits(text)
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(char in _CN_YEAR_DIGITS for char in text):
        return int("".join(str(_CN_YEAR_DIGITS[char]) for char in text))
    text = text.replace("卅", "三十").replace("两", "二").replace("零", "〇")
    import cn2an

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


@dataclass(frozen=True)
class PartialDate:
    """A date known to a precision: ``1986-05-16`` (day), ``1986-05`` (month) or ``1987`` (year).

    ``year`` may be None when the text never says it; the date is then kept
    without an ISO form rather than given a guessed year.
    """

    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return DAY if self.day is not None else MONTH if self.month is not None else YEAR

    def iso(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> dt.date | None:
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date | None:
        if self.year is None:
            return None
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)


# A problem with a date: (stable code, one sentence for the user).
Problem = tuple[str, str]


@dataclass(frozen=True)
class ResolvedDate:
    """A printed date resolved against its context: its start, the end of a range, and what went wrong."""

    date: PartialDate | None
    date_end: PartialDate | None = None
    warnings: tuple[Problem, ...] = ()

    @property
    def precision(self) -> str:
        return self.date.precision if self.date else DAY

    def iso(self) -> str | None:
        return self.date.iso() if self.date else None

    def iso_end(self) -> str | None:
        return self.date_end.iso() if self.date_end else None


def make_date(
    year: int | None, month: int | None, day: int | None, printed: str
) -> tuple[PartialDate | None, Problem | None]:
    """A checked partial date and the problem with it, if any.

    A missing month under a known day cannot be dated at all; a missing year
    leaves the date without one (and says so), since guessing it would be worse.
    """
    if day is not None and month is None:
        return None, ("date_no_month", f"no month known for date {printed!r}")
    if month is not None and not 1 <= month <= 12:
        return None, ("date_invalid", f"invalid date {printed!r} (month {month})")
    if day is not None and month is not None:
        longest = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= longest:
            shown = f"{year}-{month}-{day}" if year is not None else f"{month}-{day}"
            return None, ("date_invalid", f"invalid date {printed!r} ({shown})")
    date = PartialDate(year, month, day)
    if year is None:
        return date, ("date_no_year", f"no year known for date {printed!r}")
    return date, None


def match_date_token(text: str) -> re.Match[str] | None:
    """The date a paragraph starts with (``7日``, ``1986年1月9日``, ``是月``, ``4月10-15日``, ``1 月 15~17 日`` …).

    Spaces inside the date are allowed; keep the one after it, since ``4月 全县…``
    and ``1985年 …`` are told from running text by it.
    """
    return DATE_TOKEN.match(to_ascii_digits(text.strip()))


def prints_year(match: re.Match[str]) -> int | None:
    """The year a matched date token prints, if it prints one."""
    for n in (1, 3, 4, 5, 6, 7):
        value = _printed_year(match, n)
        if value is not None:
            return value
    return None


def _printed_year(match: re.Match[str], n: int) -> int | None:
    return read_number(match.group(f"y{n}") or match.group(f"e{n}"))


class DateContext:
    """What chronicle shorthand is resolved against: the current year, the heading month, the date before.

    A year printed in a date (``1986年1月9日``) becomes the current year for
    the dates after it; a month lower than the one before it without a new
    year is reported, never silently moved into the next year.
    """

    def __init__(self, year: int | None, last_year: int | None = None) -> None:
        self.year = year
        self.last_year = last_year  # a title spanning years (2021年12月—2022年2月) allows one wrap
        self.heading_month: int | None = None
        self.last_month: int | None = None
        self.last: ResolvedDate | None = None

    @property
    def month(self) -> int | None:
        return self.heading_month or self.last_month

    def new_year(self, year: int) -> None:
        """A year heading: dates below it are in that year, months start again."""
        self.year = year
        self.heading_month = None
        self.last_month = None

    def new_month(self, month: int | None, year: int | None = None) -> list[Problem]:
        """A month heading; returns warnings when it goes back in time without a new year."""
        warnings: list[Problem] = []
        if year is not None:
            self.year = year
        elif month is not None:
            warnings.extend(self._check_order(month, f"month heading {month}月"))
        self.heading_month = month
        self.last_month = month
        return warnings

    def _check_order(self, month: int, printed: str) -> list[Problem]:
        previous = self.month
        if previous is None or month >= previous:
            return []
        if self.year is not None and self.last_year is not None and self.year < self.last_year:
            self.year += 1
            return []
        return [("month_order", f"{printed!r} comes after month {previous} with no new year; check the year")]

    def resolve(self, match: re.Match[str]) -> ResolvedDate:
        printed = match.group(0)
        if match.group("absolute"):
            return self._absolute(match, printed)
        if match.group("same_day") or match.group("next_day"):
            last = self.last
            if last is None or last.date is None:
                return ResolvedDate(None, None, (("date_no_earlier", f"{printed!r} has no earlier date to repeat"),))
            if match.group("same_day"):
                return ResolvedDate(last.date, last.date_end)
            base = last.date_end or last.date
            if base.precision != DAY or base.year is None:
                return ResolvedDate(None, None, (("date_no_day", f"{printed!r} follows a date that has no day"),))
            following = dt.date(base.year, base.month or 1, base.day or 1) + dt.timedelta(days=1)
            return ResolvedDate(PartialDate(following.year, following.month, following.day))
        if match.group("part_of_month") or match.group("month_only") or match.group("same_month"):
            year = _printed_year(match, 3) or _printed_year(match, 4) or _printed_year(match, 5) or self.year
            month = read_number(match.group("m3") or match.group("m4") or match.group("m5")) or self.month
            if month is None:
                return ResolvedDate(None, None, (("date_no_month", f"no month known for date {printed!r}"),))
            date, problem = make_date(year, month, None, printed)
            return ResolvedDate(date, None, (problem,) if problem else ())
        if match.group("month_range"):
            year = _printed_year(match, 7) or self.year
            start, problem = make_date(year, read_number(match.group("m7")), None, printed)
            end, end_problem = make_date(year, read_number(match.group("m8")), None, printed)
            problems = tuple(dict.fromkeys(p for p in (problem, end_problem) if p))
            return ResolvedDate(start, end if start else None, problems)
        year = _printed_year(match, 6) or self.year
        date, problem = make_date(year, None, None, printed)
        return ResolvedDate(date, None, (problem,) if problem else ())

    def _absolute(self, match: re.Match[str], printed: str) -> ResolvedDate:
        warnings: list[Problem] = []
        year = _printed_year(match, 1) or self.year
        month = read_number(match.group("m1")) or self.month
        day = read_number(match.group("d1"))
        if match.group("m1") and _printed_year(match, 1) is None and month is not None:
            warnings.extend(self._check_order(month, printed))
            year = self.year
        start, problem = make_date(year, month, day, printed)
        if problem:
            warnings.append(problem)
        end: PartialDate | None = None
        if match.group("d2"):
            end_year = read_number(match.group("y2")) or year
            end_month = read_number(match.group("m2"))
            end_day = read_number(match.group("d2"))
            wraps = False
            if end_month is None and month is not None:
                end_month = month
                if end_day is not None and day is not None and end_day < day:
                    end_month, wraps = month % 12 + 1, month == 12
            elif end_month is not None and month is not None and end_month < month:
                wraps = True
            if wraps and end_year is not None and not match.group("y2"):
                end_year += 1
            end, problem = make_date(end_year, end_month, end_day, printed)
            if problem and problem not in warnings:
                warnings.append(problem)
            first, last = (start.first_day() if start else None), (end.first_day() if end else None)
            if first and last and last < first:
                warnings.append(("date_range_inverted", f"date range {printed!r} ends before it starts"))
        return ResolvedDate(start if start else None, end, tuple(warnings))

    def remember(self, resolved: ResolvedDate, match: re.Match[str]) -> None:
        """Carry a resolved date forward: a printed year becomes current, a printed month the last month."""
        printed_year = prints_year(match)
        if printed_year is not None:
            if printed_year != self.year:
                self.last_month = None
            self.year = printed_year
            if match.group("year_only"):
                self.heading_month = None
        if resolved.date is None:
            return
        self.last = resolved
        printed_month = any(match.group(name) for name in ("m1", "m3", "m4", "m5", "m7"))
        if printed_month or (match.group("absolute") and self.heading_month is None):
            self.last_month = resolved.date.month


def parse_date(text: str) -> tuple[str | None, str | None]:
    """(ISO date, warning) for a line that is only a date, in Arabic or Chinese numerals."""
    from fangzhi.text.normalize import squeeze_spaces

    match = _DATE_LINE.match(to_ascii_digits(squeeze_spaces(text)))
    if not match:
        return None, None
    date, problem = make_date(
        read_number(match["year"]), read_number(match["month"]), read_number(match["day"]), text.strip()
    )
    if problem or date is None:
        return None, f"date {text.strip()} is not a valid calendar date"
    return date.iso(), None


def date_label(value: str | None) -> str:
    """An ISO date (``2023-11-05``, ``2023-11`` or ``2023``) as Chinese readers write it; anything else as given."""
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", value or "")
    if not match:
        return value or ""
    year, month, day = match.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def is_date_line(text: str) -> bool:
    """Whether a line is nothing but a whole date (a document's signature date)."""
    from fangzhi.text.normalize import squeeze_spaces

    return bool(_DATE_LINE.match(to_ascii_digits(squeeze_spaces(text))))


@dataclass(frozen=True)
class FoundDate:
    """A whole date found inside a text: ISO form, as printed, and where."""

    iso: str
    as_printed: str
    start: int
    end: int
    warnings: tuple[Problem, ...] = ()


def find_dates(text: str) -> list[FoundDate]:
    """Every whole date (year, month and day) inside a text, in order.

    Reads ``2023年5月31日``, ``二〇二三年五月三十一日``, ``2022-03-29`` and
    ``2020/02/10``; a date whose 年 and 月 were lost (``202184日``) is read
    only when one split of its digits is a valid date, with a warning.
    """
    ascii_text = to_ascii_digits(text)
    found: list[FoundDate] = []
    for match in _FULL_DATE.finditer(ascii_text):
        if match.group("year"):
            parts = (read_number(match["year"]), read_number(match["month"]), read_number(match["day"]))
        else:
            parts = (int(match["iso_year"]), int(match["iso_month"]), int(match["iso_day"]))
        date, problem = make_date(*parts, match.group(0))
        if date is not None and problem is None:
            found.append(FoundDate(date.iso() or "", text[match.start() : match.end()], match.start(), match.end()))
    taken = [(item.start, item.end) for item in found]
    for match in _RUN_TOGETHER.finditer(ascii_text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        digits = match.group("digits")
        year, rest = int(digits[:4]), digits[4:]
        splits = [(int(rest[:cut]), int(rest[cut:])) for cut in range(1, len(rest)) if "0" not in (rest[0], rest[cut])]
        valid = [pair for pair in splits if make_date(year, *pair, "")[1] is None]
        if len(valid) == 1:
            month, day = valid[0]
            found.append(
                FoundDate(
                    PartialDate(year, month, day).iso() or "",
                    text[match.start() : match.end()],
                    match.start(),
                    match.end(),
                    (
                        (
                            "date_run_together",
                            f"date {match.group(0)!r} has lost its 年 and 月; read as {year}-{month:02d}-{day:02d}",
                        ),
                    ),
                )
            )
    return sorted(found, key=lambda item: item.start)
