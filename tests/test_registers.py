"""Registers of people, organisations and places on the sample corpus and another city's notice."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import FIXTURES
from fangzhi.cli import main
from fangzhi.errors import NotFoundError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.registers.divisions import division_table
from fangzhi.services.registers.organizations import paired_full_name

GAZETTE = "pingdingshan-gazette-2024-01"
NOTICE = "平政任〔2023〕4号"
# The 44 people of 平顶山市人民政府关于戴冲等44人行政职务任免的通知 (gazette lines 65–155).
NOTICE_PEOPLE = {
    "戴冲", "楚延伟", "金铮", "席会平", "张虽栓", "冯明强", "王三朴", "康永锋", "林卫东", "李海涛", "张留成",
    "高春娇", "李欣昌", "马爱锄", "魏坦", "王玉堂", "吴晓辉", "薛建军", "吴天宝", "徐典", "张正山", "张浩伟",
    "张晓鼎", "周朝阳", "李博", "李建国", "李鹏鹏", "陈文政", "王标", "邵小红", "张绍周", "王帆", "龚京军",
    "高幸国", "和新力", "王玉琦", "李振峰", "余汉党", "余军", "朱亚军", "王献星", "井献志", "葛长龙", "张江波",
}  # fmt: skip
COUNTIES = {
    "汝州市": "410482",
    "舞钢市": "410481",
    "宝丰县": "410421",
    "叶县": "410422",
    "鲁山县": "410423",
    "郏县": "410425",
    "新华区": "410402",
    "卫东区": "410403",
    "石龙区": "410404",
    "湛河区": "410411",
}


@pytest.fixture(scope="module")
def kb(sample_db: Path) -> Iterator[KnowledgeBase]:
    """One knowledge base for the module, so the registers are computed once."""
    with fangzhi.open(sample_db, create=False) as knowledge_base:
        yield knowledge_base


def test_all_44_people_of_the_personnel_notice_are_registered_with_their_posts(kb: KnowledgeBase) -> None:
    appointees = {
        person.name: person for person in kb.people() if any(post.source.endswith(NOTICE) for post in person.posts)
    }
    assert set(appointees) == NOTICE_PEOPLE
    facts = kb.facts(kind="appointment", volume=GAZETTE)
    for fact in facts:
        posts = {(post.post, post.organization, post.action) for post in appointees[fact.data["person"]].posts}
        assert (fact.data["post"], fact.data["organization"], fact.data["action"]) in posts
    assert [post.to_dict() for post in kb.person("戴冲").posts] == [
        {
            "post": "平顶山市项目建设推进中心主任",
            "organization": "平顶山市项目建设推进中心",
            "from": "2023-12-23",
            "source": f"{GAZETTE} p.3 L75 {NOTICE}",
        },
        {
            "post": "平顶山市发展和改革委员会副主任",
            "organization": "平顶山市发展和改革委员会",
            "from": None,
            "source": f"{GAZETTE} p.3 L115 {NOTICE}",
        },
    ]


def test_the_spellings_of_the_cppcc_chair_are_one_person(kb: KnowledgeBase) -> None:
    chair = kb.person("黄庚侗")
    assert chair.name == "黄庚倜"
    assert chair.variants == ["黄庚侗", "黄庚佃"]
    assert kb.person("黄庚倜") is chair
    assert {(post.post, post.organization) for post in chair.posts} == {
        ("市政协主席", "中国人民政治协商会议平顶山市委员会")
    }
    written = sorted({(mention.volume, mention.as_written) for mention in chair.mentions})
    assert written == [
        (GAZETTE, "黄庚佃"),
        (GAZETTE, "黄庚侗"),
        (GAZETTE, "黄庚倜"),
        ("pingdingshan-yearbook-2024", "黄庚倜"),
    ]
    vice_mayor = kb.person("房卫国")
    assert (vice_mayor.name, vice_mayor.variants) == ("房国卫", ["房卫国"])


def test_officials_with_names_one_character_apart_but_no_common_post_are_only_flagged(
    kb: KnowledgeBase,
) -> None:
    first, second = kb.person("王玉堂"), kb.person("王玉琦")
    assert first is not second
    assert (first.possible_variants, second.possible_variants) == (["王玉琦"], ["王玉堂"])


def test_people_have_roles_and_cited_mentions(kb: KnowledgeBase) -> None:
    mayor = kb.person("李明俊")
    assert mayor.roles == ["event", "official", "named"]
    assert len(mayor.mentions) == 90
    profile = kb.person("曹坤利")
    assert [(m.role, m.page) for m in profile.mentions] == [("award", 348)]
    assert "单位" not in {person.name for person in kb.people()}


def test_counties_and_districts_resolve_to_their_division_codes(kb: KnowledgeBase) -> None:
    for name, code in COUNTIES.items():
        place = kb.place(name)
        assert (place.code, place.level, place.parent) == (code, "county", "410400"), name


def test_traditional_forms_are_normalised_and_kept_as_variants(kb: KnowledgeBase) -> None:
    jiaxian = kb.place("郟县")
    assert (jiaxian.name, jiaxian.code, jiaxian.variants) == ("郏县", "410425", ["郟县"])
    traditional = [mention for mention in jiaxian.mentions if mention.as_written == "郟县"]
    assert len(traditional) == 20
    assert {mention.volume for mention in traditional} == {GAZETTE}


def test_townships_and_villages_hang_under_their_county(kb: KnowledgeBase) -> None:
    township = kb.place("410422107")
    assert (township.name, township.level, township.parent) == ("常村镇", "township", "410422")
    village = kb.place("410423105-大庄村")
    assert (village.name, village.level, village.code, village.parent) == ("大庄村", "village", None, "410423105")


def test_organisations_from_the_table_and_from_the_texts_own_pairings(kb: KnowledgeBase) -> None:
    development = kb.organization("市发改委")
    assert development.name == "平顶山市发展和改革委员会"
    assert development.abbreviations == ["市发改委", "市发展改革委", "平顶山市发改委"]
    health = kb.organization("市卫生健康委")
    assert health.name == "平顶山市卫生健康委员会"
    assert kb.organization("市关工委").name == "平顶山市关心下一代工作委员会"
    assert kb.organization("市纪委监委").name == "中共平顶山市纪律检查委员会平顶山市监察委员会"
    government = kb.organization("平顶山市人民政府")
    assert [document["doc_no"] for document in government.documents] == [
        NOTICE,
        "平政〔2023〕30号",
        "平政〔2023〕31号",
    ]
    assert ("李建国", "平顶山市人民政府副秘书长") in {(post["person"], post["post"]) for post in government.posts}


def test_a_pairing_names_an_organisation_only_when_it_reads_as_one() -> None:
    assert paired_full_name("2023年，平顶山市关心下一代工作委员会", "市关工委") == "平顶山市关心下一代工作委员会"
    assert paired_full_name("与河南省顺丰速运有限公司平顶山分公司", "顺丰速运公司") == (
        "河南省顺丰速运有限公司平顶山分公司"
    )
    assert paired_full_name("2023年10月25日，《平顶山市传统村落保护条例》", "保护条例") is None
    assert paired_full_name("叶县常村镇文集遗址", "文集遗址") is None


def test_unknown_register_ids_are_not_found(kb: KnowledgeBase) -> None:
    for lookup in (kb.person, kb.organization, kb.place):
        with pytest.raises(NotFoundError):
            lookup("没有这个")


def test_exports_have_exactly_the_documented_fields(sample_db: Path) -> None:
    runner = CliRunner()
    expected = {
        "people": ["id", "name", "variants", "posts", "mentions"],
        "organizations": ["id", "name", "abbreviations", "mentions"],
        "places": ["id", "name", "variants", "level", "code", "parent", "mentions"],
    }
    for kind, fields in expected.items():
        result = runner.invoke(main, ["export", "--db", str(sample_db), "--kind", kind, "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        assert all(list(row) == fields for row in rows), kind
        if kind == "people":
            assert all(list(post) == ["post", "organization", "from", "source"] for r in rows for post in r["posts"])
    places = json.loads(
        runner.invoke(main, ["export", "--db", str(sample_db), "--kind", "places", "--format", "json"]).output
    )
    assert next(row for row in places if row["id"] == "410425") == {
        "id": "410425",
        "name": "郏县",
        "variants": ["郟县"],
        "level": "county",
        "code": "410425",
        "parent": "410400",
        "mentions": 268,
    }


def test_register_pages_list_every_mention_in_context(kb: KnowledgeBase) -> None:
    from fastapi.testclient import TestClient

    from fangzhi.web.app import create_app

    client = TestClient(create_app(kb))
    page = client.get("/people/黄庚侗")
    assert page.status_code == 200
    assert "<h1>黄庚倜</h1>" in page.text
    assert page.text.count('<li class="mention">') == len(kb.person("黄庚倜").mentions)
    assert client.get("/places/410425").text.count('<li class="mention">') == 268
    answer = client.get("/api/organizations/市发改委").json()
    assert answer["name"] == "平顶山市发展和改革委员会"
    missing = client.get("/api/places/没有这个")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_the_division_table_names_the_place_of_a_title() -> None:
    table = division_table()
    assert table.named_by("平顶山年鉴 2024").code == "410400"
    assert table.named_by("平顶山市人民政府公报").code == "410400"
    assert [division.code for division in table.ancestors(table.by_code["410425101"])] == ["410425", "410400", "410000"]
    assert table.parent(table.by_code["419001"]).code == "410000"
    assert [division.code for division in table.by_name["新华区"]] == ["130105", "130902", "410402"]


def test_another_citys_notice_reads_its_own_place(tmp_path: Path) -> None:
    """A 泉州 page whose title names no place: its text names 泉州市 most, so 市公安局 is 泉州市公安局."""
    source = tmp_path / "quanzhou.txt"
    shutil.copy(FIXTURES / "appointments" / "quanzhou_2018_rendachangweihui_renmian-mingdan.txt", source)
    with fangzhi.open(tmp_path / "kb.db") as kb:
        kb.ingest(source)
        assert kb.organization("市公安局").name == "泉州市公安局"
        assert kb.organization("市中级法院").name == "泉州市中级人民法院"
        assert [(place.name, place.code) for place in kb.places()] == [("泉州市", "350500")]
        assert kb.person("王永礼").posts[0].post == "副市长"
        removed = kb.person("卢炳椿").posts
        assert [(post.post, post.organization, post.action) for post in removed] == [
            ("泉州市人民政府副市长、市公安局局长", "泉州市人民政府，泉州市公安局", "remove")
        ]
