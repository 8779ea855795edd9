"""Named lists: the gazette's 龙头企业名单 and a hand-made list whose counts disagree."""

from __future__ import annotations

from collections import Counter

from conftest import FIXTURES
from fangzhi.extract.lists import extract_list_items
from fangzhi.model import Document, NodeKind, ParseWarning
from fangzhi.parse import parse_source
from fangzhi.text.source import read_source


def test_dragon_head_list(gazette: Document) -> None:
    facts = extract_list_items(gazette)
    assert len(facts) == 137
    groups = Counter(fact.data["group"] for fact in facts)
    assert groups == {
        "汝州市": 28,
        "舞钢市": 20,
        "宝丰县": 20,
        "郏县": 23,
        "鲁山县": 17,
        "叶县": 23,
        "新华区": 1,
        "湛河区": 3,
        "石龙区": 2,
    }
    assert {fact.data["list_title"] for fact in facts} == {"农业产业化市重点龙头企业名单"}
    assert all(fact.warnings == [] for fact in facts)
    first = facts[0].data
    assert first == {
        "list_title": "农业产业化市重点龙头企业名单",
        "name": "汝州市牧原现代农业综合体有限公司",
        "group": "汝州市",
        "group_as_printed": "汝州市",
        "line": 248,
    }
    leading_space = next(fact for fact in facts if fact.data["line"] == 249)
    assert leading_space.data["name"] == "河南宏尚青农牧有限公司"
    jiaxian = [fact for fact in facts if fact.data["group"] == "郏县"]
    assert {fact.data["group_as_printed"] for fact in jiaxian} == {"郟县"}
    assert facts[-1].data["name"] == "平顶山市昌茂纺织有限责任公司" and facts[-1].data["line"] == 417


def test_group_counts_checked(gazette: Document) -> None:
    groups = gazette.nodes(NodeKind.LIST_GROUP)
    assert len(groups) == 9
    assert all(group.attributes.declared_count == group.attributes.count for group in groups)
    assert sum(group.attributes.declared_count for group in groups) == 137


def test_mismatched_group_count_is_reported() -> None:
    document = parse_source(read_source(FIXTURES / "documents" / "list_mismatch.txt"))
    facts = extract_list_items(document)
    assert len(facts) == 4
    mismatch = ParseWarning(
        "list_count_mismatch", "list group 东城区 (line 15) declares 3 家 but 2 items were found", 15
    )
    assert facts[0].warnings == [mismatch]
    assert [fact.warnings for fact in facts[1:]] == [[], [], []]
    (listing,) = document.nodes(NodeKind.LIST)
    assert listing.attributes.warnings == [mismatch]
    assert [(fact.data["group"], fact.data["group_as_printed"]) for fact in facts[2:]] == [("西城区", "西城區")] * 2
