"""Appointments and removals from the gazette's 任免通知."""

from __future__ import annotations

import pytest

from fangzhi.extract.appointments import extract_appointments, organization_of
from fangzhi.model import Document, Fact, ParseWarning
from fangzhi.parse import parse_source
from fangzhi.text.source import decode_source


@pytest.fixture(scope="module")
def records(gazette: Document) -> list[Fact]:
    return extract_appointments(gazette)


def _by(records: list[Fact], person: str, action: str) -> Fact:
    (fact,) = [f for f in records if f.data["person"] == person and f.data["action"] == action]
    return fact


def test_counts(records: list[Fact]) -> None:
    appointed = [f for f in records if f.data["action"] == "appoint"]
    removed = [f for f in records if f.data["action"] == "remove"]
    assert len(appointed) == 24
    assert len(removed) == 22
    assert len({f.data["person"] for f in records}) == 44
    assert {f.data["person"] for f in appointed} & {f.data["person"] for f in removed} == {"戴冲", "楚延伟"}
    assert sum(1 for f in appointed if f.data["probation_one_year"]) == 18
    assert all(f.warnings == [] for f in records)


def test_appointment_record(records: list[Fact], gazette: Document) -> None:
    fact = _by(records, "戴冲", "appoint")
    assert fact.data == {
        "person": "戴冲",
        "action": "appoint",
        "post": "平顶山市项目建设推进中心主任",
        "organization": "平顶山市项目建设推进中心",
        "probation_one_year": True,
        "doc_no": "平政任〔2023〕4号",
        "date": "2023-12-23",
        "line": 75,
        "acting": False,
        "concurrent": False,
        "person_attributes": {},
    }
    cited = next(node for node in gazette.nodes("document") if node.id == fact.node_id)
    assert (cited.title, cited.line_start) == ("平顶山市人民政府关于戴冲等44人行政职务任免的通知", 65)
    assert (fact.line_start, fact.line_end) == (75, 75)


def test_several_people_share_one_post(records: list[Fact]) -> None:
    shared = [f for f in records if f.data["line"] == 79]
    assert [f.data["person"] for f in shared] == ["金铮", "席会平", "张虽栓"]
    assert {f.data["post"] for f in shared} == {"河南质量工程职业学院副院长"}


def test_removal_without_delimiter(records: list[Fact]) -> None:
    assert _by(records, "李博", "remove").data["post"] == "平顶山市公共资源交易中心主任"
    fact = _by(records, "和新力", "remove")
    assert fact.data["post"] == "平顶山市应急管理局副局长，平顶山市防震减灾中心主任"
    assert fact.data["organization"] == "平顶山市应急管理局，平顶山市防震减灾中心"
    assert (fact.line_start, fact.line_end) == (140, 141)
    assert [f.data["person"] for f in records if f.data["line"] == 129] == ["王献星", "井献志"]


def test_post_and_organisation_split(records: list[Fact]) -> None:
    cases = {
        ("李振峰", "remove"): ("平顶山市科学技术局副局长（正县级）", "平顶山市科学技术局"),
        ("楚延伟", "remove"): ("平顶山市市场监督管理局食品安全总监", "平顶山市市场监督管理局"),
        ("王玉堂", "appoint"): (
            "平顶山市人才交流中心（平顶山市人才市场管理办公室）主任",
            "平顶山市人才交流中心（平顶山市人才市场管理办公室）",
        ),
        ("康永锋", "appoint"): (
            "平顶山市城市建设投资运营集团有限公司董事、副总经理",
            "平顶山市城市建设投资运营集团有限公司",
        ),
        ("周朝阳", "appoint"): ("平顶山市文化市场综合行政执法支队支队长", "平顶山市文化市场综合行政执法支队"),
        ("马爱锄", "appoint"): ("平顶山市农业科学院院长", "平顶山市农业科学院"),
        ("李建国", "remove"): ("平顶山市人民政府副秘书长", "平顶山市人民政府"),
        ("陈文政", "remove"): ("平顶山市人力资源和社会保障局副局长", "平顶山市人力资源和社会保障局"),
    }
    for (person, action), (post, organization) in cases.items():
        data = _by(records, person, action).data
        assert (data["post"], data["organization"]) == (post, organization)


def test_organization_of_general_posts() -> None:
    assert organization_of("某某县人民医院院长") == "某某县人民医院"
    assert organization_of("某某大学副校长") == "某某大学"


def test_unreadable_removal_is_kept_with_a_warning() -> None:
    text = (
        "示例市人民政府关于张三等2人职务任免的通知\n\n示例政任〔2024〕1号\n\n各部门：\n\n"
        "决定任命：\n\n张三为示例市档案馆馆长；\n\n李为民为示例市图书馆馆长。\n\n免去：\n\n王五某单位主任职务。\n\n2024年3月1日\n"
    )
    document = parse_source(decode_source(text.encode(), "notice.txt"))
    facts = extract_appointments(document)
    assert [(f.data["person"], f.data["post"]) for f in facts if f.data["action"] == "appoint"] == [
        ("张三", "示例市档案馆馆长"),
        ("李为民", "示例市图书馆馆长"),
    ]
    (removal,) = [f for f in facts if f.data["action"] == "remove"]
    assert removal.data["person"] == ""
    assert removal.warnings == [
        ParseWarning("appointment_names_unclear", "cannot tell the names from the post in '王五某单位主任职务'", 15)
    ]
