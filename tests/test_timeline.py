"""The timeline service and the ``fangzhi timeline`` command, on the two sample volumes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fangzhi.cli import main
from fangzhi.errors import QueryError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.timeline import TimelineEvent, link_same_events, parse_date_bound

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"

# The events both chronicles record: (date, yearbook line, gazette line).
SAME_EVENTS = [
    ("2023-11-01", 5042, 801),
    ("2023-11-11", 5142, 889),
    ("2023-11-24", 5179, 993),
    ("2023-12-09", 5241, 1055),
    ("2023-12-28", 5405, 1181),
]


def _event(volume: str, line: int, date: str, text: str, precision: str = "day", date_end: str | None = None):
    return TimelineEvent(
        id=f"{volume}:event:{line}",
        volume=volume,
        node_id=f"{volume}:{line}",
        date=date,
        date_end=date_end,
        date_as_printed=None,
        precision=precision,
        text=text,
        page=None,
        line_start=line,
        line_end=line,
        people=[],
    )


def test_every_event_in_date_order(sample_kb: KnowledgeBase) -> None:
    events = sample_kb.timeline()
    assert len(events) == 273
    assert sum(1 for event in events if event.volume == YEARBOOK) == 193
    dates = [event.date for event in events]
    assert None not in dates
    assert dates == sorted(dates)
    assert (dates[0], dates[-1]) == ("2023-01-01", "2023-12-31")


def test_same_event_in_two_sources_is_linked(sample_kb: KnowledgeBase) -> None:
    events = sample_kb.timeline()
    linked = sorted(
        (event.date, event.line_start, link.line_start)
        for event in events
        if event.volume == YEARBOOK
        for link in event.same_event
    )
    assert linked == SAME_EVENTS
    gazette_side = [event for event in events if event.volume == GAZETTE and event.same_event]
    assert [(event.line_start, event.same_event[0].volume) for event in gazette_side] == [
        (gazette_line, YEARBOOK) for _, _, gazette_line in SAME_EVENTS
    ]
    assert all(link.score >= 75 for event in gazette_side for link in event.same_event)


def test_dates_filter_by_overlap(sample_kb: KnowledgeBase) -> None:
    week = sample_kb.timeline(date_from="2023-11-20", date_to="2023-11-24")
    assert len(week) == 13
    assert {event.date for event in week} == {"2023-11-20", "2023-11-21", "2023-11-22", "2023-11-23", "2023-11-24"}
    december = sample_kb.timeline(date_from="2023-12", date_to="2023-12")
    assert len(december) == 58
    assert sum(1 for event in december if event.volume == YEARBOOK) == 23
    # A range that starts in March and ends in April is on 1 April too.
    april_first = sample_kb.timeline(date_from=dt.date(2023, 4, 1), date_to=dt.date(2023, 4, 1))
    assert [(event.line_start, event.date, event.date_end) for event in april_first] == [
        (3990, "2023-03-31", "2023-04-02"),
        (4002, "2023-04-01", None),
    ]


def test_person_filter(sample_kb: KnowledgeBase) -> None:
    events = sample_kb.timeline(person="陈向平")
    assert len(events) == 29
    assert all("陈向平" in event.text for event in events)
    yearbook = [event for event in events if event.volume == YEARBOOK]
    assert [(event.line_start, event.people) for event in yearbook] == [
        (5130, [{"name": "陈向平", "title": "市委书记"}])
    ]
    late = sample_kb.timeline(person="陈向平", date_from="2023-12-28")
    assert [(event.date, event.line_start) for event in late] == [
        ("2023-12-28", 1181),
        ("2023-12-29", 1199),
        ("2023-12-29", 1201),
        ("2023-12-29", 1203),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"date_from": "2023-13-01"}, "invalid date '2023-13-01' for --from"),
        ({"date_to": "yesterday"}, "invalid date 'yesterday' for --to"),
        ({"date_from": "2023-12-01", "date_to": "2023-11-01"}, "--from 2023-12-01 is after --to 2023-11-01"),
        ({"person": "  "}, "--person needs a name"),
    ],
)
def test_bad_filters_are_query_errors(sample_kb: KnowledgeBase, arguments: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        sample_kb.timeline(**arguments)


def test_partial_date_bounds() -> None:
    assert parse_date_bound("2023", "--from", end=False) == dt.date(2023, 1, 1)
    assert parse_date_bound("2023", "--to", end=True) == dt.date(2023, 12, 31)
    assert parse_date_bound("2024-02", "--to", end=True) == dt.date(2024, 2, 29)
    assert parse_date_bound("2024-02-03", "--to", end=True) == dt.date(2024, 2, 3)


def test_coarse_precision_spans_its_period() -> None:
    assert _event("a", 1, "2023-03-01", "是月", precision="month").span() == (dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert _event("a", 1, "2023-01-01", "是年", precision="year").span() == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_links_need_another_volume_overlapping_dates_and_matching_text() -> None:
    text = "全市安全生产工作会议召开。"
    events = [
        _event("a", 1, "2023-05-01", text),
        _event("a", 2, "2023-05-01", text),  # same volume: never linked
        _event("b", 3, "2023-04-30", "全市安全生产工作会议在市会议中心召开。市长出席。", date_end="2023-05-02"),
        _event("b", 4, "2023-05-01", "全市植树节活动启动。"),  # same day, other text
        _event("c", 5, "2023-05-02", text),  # other day
    ]
    link_same_events(events)
    assert [[link.line_start for link in event.same_event] for event in events] == [[3], [3], [1, 2, 5], [], [3]]


def test_cli_lines(sample_db: Path) -> None:
    result = CliRunner().invoke(
        main, ["timeline", "--db", str(sample_db), "--from", "2023-11-24", "--to", "2023-11-24"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 4
    assert lines[3] == (
        "2023-11-24  国家消防救援局河南机动队伍平顶山驻防分队进驻仪式举行。  "
        f"[{YEARBOOK} p.29 L5179]  = [{GAZETTE} L993]"
    )
    assert lines[0].startswith("2023-11-24  国家消防救援局河南机动队伍平顶山驻防分队进驻仪式举行。省应急管理厅")
    assert lines[0].endswith(f"…  [{GAZETTE} L993]  = [{YEARBOOK} p.29 L5179]")


def test_cli_json_and_person(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["timeline", "--db", str(sample_db), "--person", "陈向平", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 29
    assert set(rows[0]) >= {
        "id",
        "volume",
        "date",
        "date_end",
        "date_as_printed",
        "precision",
        "text",
        "page",
        "people",
        "same_event",
    }
    assert rows[0]["same_event"][0]["line_start"] == 5042


def test_cli_bad_date_is_one_line_error(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["timeline", "--db", str(sample_db), "--from", "2023-02-30"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: invalid date '2023-02-30' for --from; write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-11-05)"
    ]


def test_cli_help() -> None:
    result = CliRunner().invoke(main, ["timeline", "--help"])
    assert result.exit_code == 0
    assert "--person" in result.output and "date order" in result.output


def test_export_events(sample_kb: KnowledgeBase) -> None:
    rows = list(sample_kb.export("events"))
    assert len(rows) == 273
    assert set(rows[0]) == {
        "id",
        "volume",
        "date",
        "date_end",
        "date_as_printed",
        "precision",
        "text",
        "page",
        "line_start",
        "line_end",
        "people",
    }
