"""The events.v1 extractor: event facts and the people they name."""

from __future__ import annotations

from collections import Counter

import pytest

from fangzhi.extract.events import extract_events, people_mentions
from fangzhi.model import Document


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市委书记陈向平出席会议并讲话，市长李明俊主持；", [("陈向平", "市委书记"), ("李明俊", "市长")]),
        ("市委常委、副市长陈天富参加调研。", [("陈天富", "市委常委、副市长")]),
        (
            "副市长王永记、许红兵，市政协副主席凌兵奎出席会",
            [("王永记", "副市长"), ("许红兵", "副市长"), ("凌兵奎", "市政协副主席")],
        ),
        ("市领导岳杰勇、赵军、张电子出席开幕式。", [("岳杰勇", "市领导"), ("赵军", "市领导"), ("张电子", "市领导")]),
        ("市长、市政府党组书记李明俊主持会议", [("李明俊", "市长、市政府党组书记")]),
        (
            "市人大常委会副主任丁国浩、副市长许红兵、市政协副主席王著出席会议",
            [("丁国浩", "市人大常委会副主任"), ("许红兵", "副市长"), ("王著", "市政协副主席")],
        ),
        ("副市长房卫国出席会议。", [("房卫国", "副市长")]),
        ("省委书记楼阳生揭牌并讲话。", [("楼阳生", "省委书记")]),
        ("省应急管理厅党委书记、厅长常万琦讲话。", [("常万琦", "党委书记、厅长")]),
    ],
)
def test_people_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(mention["name"], mention["title"]) for mention in people_mentions(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "深入学习贯彻习近平总书记关于“三农”工作的重要论述。",  # 书记 + 关于 is not a name
        "市长主持召开市政府常务会议。",  # a title with no name after it
        "市委常委会召开会议。",
        "选举李明俊为市长，刘文海为副市长。",  # names before titles are not mentions
    ],
)
def test_no_false_mentions(text: str) -> None:
    assert people_mentions(text) == []


def test_mentions_are_not_repeated() -> None:
    assert people_mentions("市长李明俊讲话。市长李明俊总结。") == [{"name": "李明俊", "title": "市长"}]


def test_gazette_event_facts(gazette: Document) -> None:
    facts = extract_events(gazette)
    assert len(facts) == 80
    first = facts[0]
    assert set(first.data) == {
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
    assert (first.data["date"], first.line_start, first.line_end) == ("2023-11-01", 801, 805)
    assert first.data["people"][:2] == [{"name": "陈向平", "title": "市委书记"}, {"name": "李明俊", "title": "市长"}]
    # Every event that prints these officials' names records them as mentions.
    mentioned = Counter(name for fact in facts for name in {mention["name"] for mention in fact.data["people"]})
    printed = Counter(name for fact in facts for name in ("李明俊", "陈向平", "陈天富") if name in fact.data["text"])
    assert (mentioned["李明俊"], mentioned["陈向平"], mentioned["陈天富"]) == (80, 28, 31)
    assert {name: mentioned[name] for name in printed} == printed
    assert all(fact.extractor == "events.v1" and fact.node_id for fact in facts)


def test_yearbook_event_facts(yearbook: Document) -> None:
    facts = extract_events(yearbook)
    assert len(facts) == 193
    assert all(fact.data["date"] and fact.data["page"] for fact in facts)
    # Dated photo captions (colour pages, and captions inside chapters) are not events.
    assert all(3522 <= fact.line_start <= fact.line_end <= 5473 for fact in facts)
    visit = next(fact for fact in facts if fact.line_start == 5130)
    assert visit.data["people"] == [{"name": "陈向平", "title": "市委书记"}]
