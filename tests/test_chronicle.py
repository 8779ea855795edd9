"""The two seed chronicles: the yearbook's 大事记 (193 events) and the gazette's 2023年11—12月大事记 (80 events)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from conftest import GAZETTE_PATH, YEARBOOK_PATH
from fangzhi.model import Node, NodeKind
from fangzhi.parse.chronicle import parse_chronicle
from fangzhi.text.source import SourceText, read_source

# Measured in docs/corpus-notes.md §4: chapter 3 of the yearbook, and the gazette's last document.
YEARBOOK_CHRONICLE = (3522, 5473)
GAZETTE_CHRONICLE = (797, 1209)
YEARBOOK_BODY_START = 411  # printed page 1; a line starting with an ASCII space opens a page


def _non_blank(source: SourceText, start: int, end: int) -> list[int]:
    return [number for number in range(start, end + 1) if source.line(number).strip()]


def _yearbook_pages(source: SourceText) -> dict[int, int]:
    pages: dict[int, int] = {}
    page = 0
    for number in range(YEARBOOK_BODY_START, len(source) + 1):
        line = source.line(number)
        if line.startswith(" ") and line.strip():
            page += 1
        pages[number] = page
    return pages


def _events(root: Node) -> list[Node]:
    return [node for node, _ in root.walk() if node.kind == NodeKind.EVENT]


@pytest.fixture(scope="module")
def yearbook_chronicle() -> Node:
    source = read_source(YEARBOOK_PATH)
    return parse_chronicle(source, _non_blank(source, *YEARBOOK_CHRONICLE), 2023, _yearbook_pages(source).get)


@pytest.fixture(scope="module")
def gazette_chronicle() -> Node:
    source = read_source(GAZETTE_PATH)
    # The volume is the 2024 issue; the title line 2023年11—12月大事记 must win.
    return parse_chronicle(source, _non_blank(source, *GAZETTE_CHRONICLE), 2024)


def _at(events: list[Node], line: int) -> Node:
    (event,) = [event for event in events if event.line_start == line]
    return event


# -- yearbook ------------------------------------------------------------------


def test_yearbook_has_193_events_in_12_months(yearbook_chronicle: Node) -> None:
    months = yearbook_chronicle.children
    assert [month.kind for month in months] == [NodeKind.MONTH] * 12
    assert [month.title for month in months] == [f"{number}月" for number in range(1, 13)]
    assert [len(month.children) for month in months] == [12, 18, 13, 15, 14, 12, 12, 20, 18, 18, 18, 23]
    assert len(_events(yearbook_chronicle)) == 193
    assert [month.attributes.month for month in months][:2] == ["2023-01", "2023-02"]


def test_yearbook_every_event_has_a_day_date_in_its_month(yearbook_chronicle: Node) -> None:
    for month_number, month in enumerate(yearbook_chronicle.children, start=1):
        for event in month.children:
            attributes = event.attributes
            assert attributes.warnings == [], event.line_start
            assert attributes.precision == "day"
            start = dt.date.fromisoformat(attributes.date)
            assert (start.year, start.month) == (2023, month_number), event.line_start
            if attributes.date_end:
                assert dt.date.fromisoformat(attributes.date_end) > start
    starts = [event.attributes.date for event in _events(yearbook_chronicle)]
    assert starts == sorted(starts)


def test_yearbook_date_styles_counted(yearbook_chronicle: Node) -> None:
    events = _events(yearbook_chronicle)
    printed = [event.attributes.date_as_printed for event in events]
    same_day = [text for text in printed if text.replace(" ", "") == "同日"]
    ranges = [event for event in events if event.attributes.date_end]
    assert len(same_day) == 49
    assert len(ranges) == 19  # 16 printed ranges, and three 同日 that repeat the range before them
    assert sum(1 for event in ranges if event.attributes.date_as_printed != "同日") == 16
    assert len(events) - len(same_day) - 16 == 128
    assert sum(1 for text in printed if text[0].isdigit() and " 日" in text) == 20


def test_yearbook_exact_dates(yearbook_chronicle: Node) -> None:
    events = _events(yearbook_chronicle)
    first = events[0]
    assert (first.line_start, first.line_end, first.page) == (3524, 3529, 21)
    assert first.attributes.date == "2023-01-01"
    assert first.attributes.date_as_printed == "1日"
    assert first.text == "《平顶山市汝瓷文化保护条例》开始施行。《条例》共38条，对汝瓷知识产权保护提出明确要求。"

    congress = _at(events, 3541)
    assert congress.attributes.date_as_printed == "3—5 日"
    assert (congress.attributes.date, congress.attributes.date_end) == ("2023-01-03", "2023-01-05")
    assert congress.text.startswith("中国人民政治协商第十届平顶山市委员会第一次会议召开。会议选举黄庚倜")

    assert _at(events, 4087).attributes.date == "2023-04-27"  # opens a page: leading space
    assert _at(events, 5130).attributes.date == "2023-11-09"
    assert "院士 Constantinos Soutis，并为 Constantinos Soutis 院士颁发" in _at(events, 5130).text

    last = events[-1]
    assert (last.line_start, last.line_end, last.page) == (5465, 5473, 30)
    assert last.attributes.date == "2023-12-30"


def test_yearbook_range_across_two_months(yearbook_chronicle: Node) -> None:
    event = _at(_events(yearbook_chronicle), 3990)
    assert event.attributes.date_as_printed == "31—4月 2日"
    assert (event.attributes.date, event.attributes.date_end) == ("2023-03-31", "2023-04-02")
    assert yearbook_chronicle.children[2].children[-1] is event  # it stays under 3月


def test_yearbook_same_day_inherits(yearbook_chronicle: Node) -> None:
    events = _events(yearbook_chronicle)
    spring = _at(events, 3531)
    assert (spring.attributes.date_as_printed, spring.attributes.date) == ("同日", "2023-01-01")
    after_range = _at(events, 3579)  # follows 4—6 日
    assert (after_range.attributes.date, after_range.attributes.date_end) == ("2023-01-04", "2023-01-06")
    for index, event in enumerate(events):
        if event.attributes.date_as_printed.replace(" ", "") == "同日":
            assert event.attributes.date == events[index - 1].attributes.date


def test_yearbook_letter_spaced_same_day_line(yearbook_chronicle: Node) -> None:
    event = _at(_events(yearbook_chronicle), 4324)
    assert event.attributes.date_as_printed == "同 日"
    assert event.attributes.date == "2023-06-20"
    assert event.text.startswith("鲁山县环湖路入选2022年度全国“十大最美农村")


def test_yearbook_pages(yearbook_chronicle: Node) -> None:
    assert (yearbook_chronicle.page, yearbook_chronicle.page_end) == (21, 30)
    pages = Counter(event.page for event in _events(yearbook_chronicle))
    assert sorted(pages) == list(range(21, 31))


# -- gazette ---------------------------------------------------------------------


def test_gazette_has_80_events_without_months(gazette_chronicle: Node) -> None:
    events = gazette_chronicle.children
    assert [event.kind for event in events] == [NodeKind.EVENT] * 80
    assert gazette_chronicle.title == "平顶山市人民政府大事记"
    assert gazette_chronicle.attributes.year == 2023
    printed = Counter(
        "同日"
        if event.attributes.date_as_printed == "同日"
        else "range"
        if "至" in event.attributes.date_as_printed
        else "date"
        for event in events
    )
    assert printed == {"date": 38, "同日": 41, "range": 1}
    assert all(event.attributes.warnings == [] for event in events)
    dates = [event.attributes.date for event in events]
    assert dates == sorted(dates)
    assert (dates[0], dates[-1]) == ("2023-11-01", "2023-12-31")


def test_gazette_range_and_explicit_dates(gazette_chronicle: Node) -> None:
    events = gazette_chronicle.children
    trip = _at(events, 843)
    assert trip.attributes.date_as_printed == "11月5日至6日"
    assert (trip.attributes.date, trip.attributes.date_end) == ("2023-11-05", "2023-11-06")
    assert _at(events, 961).attributes.date == "2023-11-20"
    assert _at(events, 1123).attributes.date == "2023-12-19"
    assert _at(events, 967).attributes.date_as_printed == "同日"
    assert _at(events, 967).attributes.date == "2023-11-20"


def test_gazette_continuation_paragraphs_attached(gazette_chronicle: Node) -> None:
    events = gazette_chronicle.children
    opening = events[0]
    assert (opening.line_start, opening.line_end) == (801, 805)
    paragraphs = opening.text.split("\n")
    assert len(paragraphs) == 3
    assert paragraphs[0] == "“平顶山企业家日”大会暨全市新型工业化重点产业链培育推进会议在市会议中心召开。"
    assert paragraphs[1].startswith("市委书记陈向平出席会议并讲话，市长李明俊主持")
    # 205 body lines: 80 open an event, 125 continue one; none is lost.
    source = read_source(GAZETTE_PATH)
    covered = [len(_non_blank(source, event.line_start, event.line_end)) for event in events]
    assert sum(covered) == 205
    assert sum(count - 1 for count in covered) == 125


def test_gazette_paragraphs_wrapped_mid_sentence_are_joined(gazette_chronicle: Node) -> None:
    events = gazette_chronicle.children
    assert "\n会议听取了市域社会治理现代化指挥中心设计方案汇报，" in _at(events, 859).text
    assert "市委常委、副市长陈天富，副市长许红兵分别就全面做好" in _at(events, 875).text
    assert "国家电投平顶山发电分公司供热首站等处调研督导供暖工作" in _at(events, 937).text
    assert _at(events, 1143).text.endswith("市政协副主席凌兵奎出席会议。")


def test_gazette_without_title_lines_uses_the_given_year() -> None:
    source = read_source(GAZETTE_PATH)
    root = parse_chronicle(source, _non_blank(source, 801, GAZETTE_CHRONICLE[1]), 2023)
    assert root.title is None
    assert len(root.children) == 80
    assert root.children[0].attributes.date == "2023-11-01"
