"""The timeline: every event of every chronicle, in date order, with the same event in other sources linked.

A yearbook's 大事记 and a gazette's 大事记 often record one event twice, in
different words and detail.  Two events are linked as *the same event* when
they come from different volumes, their dates overlap, and one text largely
contains the other (rapidfuzz partial ratio over the folded texts, or over
their first sentences, since a gazette paragraph adds who attended to the
yearbook's one-line record).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz

from fangzhi.errors import QueryError
from fangzhi.model import NodeKind, ParseWarning
from fangzhi.store.base import Store
from fangzhi.text.normalize import fold_for_search

# Scores of true pairs in the seeds are 87–100 (whole text) or ≥ 90 (first
# sentence); unrelated events on the same day stay below 55.
SAME_EVENT_SCORE = 75.0
_FIRST_SENTENCE = re.compile(r"^[^。！？\n]*[。！？]?")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass
class EventLink:
    """Another volume's record of the same event."""

    id: str
    volume: str
    date: str | None
    page: int | None
    line_start: int
    score: float


@dataclass
class TimelineEvent:
    id: str
    volume: str
    node_id: str
    date: str | None
    date_end: str | None
    date_as_printed: str | None
    precision: str
    text: str
    page: int | None
    line_start: int
    line_end: int
    people: list[dict[str, str]]
    same_event: list[EventLink] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def span(self) -> tuple[dt.date, dt.date] | None:
        """The days the event may fall on: its range, or its whole month or year at coarser precision.

        ``date`` carries its precision (``2023-03-05``, ``2023-03``, ``2023``);
        older records wrote month and year dates as their first day, which
        ``precision`` still widens.
        """
        if not self.date:
            return None
        start = parse_date_bound(self.date, "date", end=False)
        end = parse_date_bound(self.date_end or self.date, "date", end=True)
        if start is None or end is None:
            return None
        if not self.date_end and len(self.date) == 10:
            if self.precision == "month":
                end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            elif self.precision == "year":
                end = dt.date(start.year, 12, 31)
        return start, end

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_date_bound(value: str | dt.date | None, name: str, end: bool) -> dt.date | None:
    """Read ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a partial upper bound means the end of that month or year."""
    if value is None or isinstance(value, dt.date):
        return value
    match = _PARTIAL_DATE.match(value.strip())
    problem = f"invalid date {value!r} for {name}; write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-11-05)"
    if not match:
        raise QueryError(problem)
    year = int(match.group(1))
    month, day = (int(part) if part else None for part in match.groups()[1:])
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return dt.date(year, month, day)
    except ValueError:
        raise QueryError(problem) from None


def _events(store: Store) -> list[TimelineEvent]:
    facts = list(store.facts(kind="event"))
    precision: dict[str, str] = {}
    if any("precision" not in fact.data for fact in facts):
        precision = {node.id: node.attributes.get("precision", "day") for node in store.nodes(kind=NodeKind.EVENT)}
    events = []
    for fact in facts:
        data = fact.data
        events.append(
            TimelineEvent(
                id=fact.id,
                volume=fact.volume,
                node_id=fact.node_id,
                date=data.get("date"),
                date_end=data.get("date_end"),
                date_as_printed=data.get("date_as_printed"),
                precision=data.get("precision") or precision.get(fact.node_id, "day"),
                text=data.get("text", ""),
                page=data.get("page"),
                line_start=fact.line_start,
                line_end=fact.line_end,
                people=list(data.get("people", [])),
                warnings=list(fact.warnings),
            )
        )
    return events


def same_event_score(first: str, second: str) -> float:
    """How much one event text contains the other (0–100), over folded text and over first sentences."""
    first, second = fold_for_search(first), fold_for_search(second)
    whole = fuzz.partial_ratio(first, second)
    heads = fuzz.partial_ratio(_FIRST_SENTENCE.match(first).group(0), _FIRST_SENTENCE.match(second).group(0))  # type: ignore[union-attr]
    return max(whole, heads)


def link_same_events(events: list[TimelineEvent], threshold: float = SAME_EVENT_SCORE) -> None:
    """Fill ``same_event`` on pairs of events from different volumes with overlapping dates and matching text."""
    by_day: dict[dt.date, list[TimelineEvent]] = defaultdict(list)
    for event in events:
        span = event.span()
        if span and event.precision == "day":
            day = span[0]
            while day <= span[1]:
                by_day[day].append(event)
                day += dt.timedelta(days=1)
    compared: set[tuple[str, str]] = set()
    for group in by_day.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                pair = (min(first.id, second.id), max(first.id, second.id))
                if first.volume == second.volume or pair in compared:
                    continue
                compared.add(pair)
                score = same_event_score(first.text, second.text)
                if score >= threshold:
                    first.same_event.append(_link(second, score))
                    second.same_event.append(_link(first, score))


def _link(event: TimelineEvent, score: float) -> EventLink:
    return EventLink(event.id, event.volume, event.date, event.page, event.line_start, round(score, 1))


def _mentions(event: TimelineEvent, person: str) -> bool:
    wanted = fold_for_search(person.strip())
    return any(fold_for_search(mention["name"]) == wanted for mention in event.people) or wanted in fold_for_search(
        event.text
    )


def timeline(
    store: Store,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    person: str | None = None,
) -> list[TimelineEvent]:
    """Events in date order (undated ones last), optionally within dates and naming a person.

    An event is within ``date_from``..``date_to`` when any day it may fall on
    is; ``person`` matches a people mention's name or, failing that, the text,
    so events that name someone without a title (选举李明俊为市长) are found too.
    """
    start = parse_date_bound(date_from, "--from", end=False)
    end = parse_date_bound(date_to, "--to", end=True)
    if start and end and start > end:
        raise QueryError(f"--from {start.isoformat()} is after --to {end.isoformat()}; swap them")
    if person is not None and not person.strip():
        raise QueryError("--person needs a name")
    events = _events(store)
    link_same_events(events)
    chosen = []
    for event in events:
        span = event.span()
        if (start or end) and span is None:
            continue
        if span and ((start and span[1] < start) or (end and span[0] > end)):
            continue
        if person and not _mentions(event, person):
            continue
        chosen.append(event)
    chosen.sort(key=lambda event: (event.date is None, event.date or "", event.volume, event.line_start))
    return chosen
