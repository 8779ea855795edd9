"""任免 in the forms other places print them: 人大常委会 decisions, news reports, notices with annotations.

tests/fixtures/other-places/appointments/ holds eight public decisions and
reports as received (ASCII punctuation, cut-off ends, lost characters; sources
in tests/fixtures/other-places/MANIFEST.md); tests/fixtures/appointments/ holds
hand-made files with invented names.
"""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from fangzhi.extract.appointments import acting_post, extract_appointments, organization_of, read_person
from fangzhi.model import Document, Fact, NodeKind, ParseWarning
from fangzhi.parse import parse_source
from fangzhi.parse.doc_number import find_doc_numbers
from fangzhi.text.source import read_source

OTHER = FIXTURES / "other-places" / "appointments"
MADE = FIXTURES / "appointments"

Row = tuple[str, str, str, bool]


def _parse(path: Path) -> Document:
    return parse_source(read_source(path))


def _facts(document: Document) -> list[Fact]:
    return extract_appointments(document)


def _rows(facts: list[Fact]) -> list[Row]:
    return [(f.data["person"], f.data["action"], f.data["post"], f.data["acting"]) for f in facts]


def test_bayannaoer_acting_mayor_with_a_title_over_four_lines() -> None:
    document = _parse(OTHER / "bayannaoer_undated_rendachangweihui_daili-shizhang.txt")
    assert document.volume.title == "巴彦淖尔市人民代表大会常务委员会关于张鸿福同志代理巴彦淖尔市人民政府市长职务的决定"
    assert _rows(_facts(document)) == [("张鸿福", "appoint", "巴彦淖尔市人民政府市长", True)]


def test_guichi_elected_acting_director_printed_twice_is_one_record() -> None:
    document = _parse(OTHER / "guichi-chizhou_2013_rendachangweihui_tuixuan-daili-zhuren.txt")
    first, second = document.nodes(NodeKind.DOCUMENT)
    assert (first.attributes.date, first.attributes.adopted_as_printed) == (
        "2013-01-15",
        "(2013年1月15日区十五届人大常委会第八次会议通过)",
    )
    assert second.attributes.repeat_of_line == 1
    assert document.warnings == [ParseWarning("document_repeated", "document repeats the one at line 1", 4)]
    facts = _facts(document)
    # 鉴于张权发已辞去…: a reason given, not a decision.
    assert _rows(facts) == [("徐新东", "appoint", "区人大常委会主任", True)]
    assert (facts[0].data["date"], facts[0].line_start) == ("2013-01-15", 3)


def test_quanzhou_news_and_its_list_give_each_decision_once() -> None:
    document = _parse(OTHER / "quanzhou_2018_rendachangweihui_renmian-mingdan.txt")
    assert document.volume.title == "quanzhou_2018_rendachangweihui_renmian-mingdan"  # no title line: the file name
    assert _rows(_facts(document)) == [
        ("王永礼", "appoint", "泉州市人民政府副市长", False),
        ("王永礼", "appoint", "泉州市人民政府市长", True),
        ("卢炳椿", "remove", "泉州市人民政府副市长、市公安局局长", False),
        ("康涛", "resign", "泉州市人民政府市长", False),
    ]


def test_shenyang_decision_names_the_acting_post() -> None:
    document = _parse(OTHER / "shenyang_2015_rendachangweihui_daili-shizhang.txt")
    (node,) = document.nodes(NodeKind.DOCUMENT)
    assert (node.title, node.attributes.date) == (
        "沈阳市人民代表大会常务委员会关于潘利国为沈阳市人民政府代理市长的决定",
        "2015-02-02",
    )
    assert document.volume.attributes["furniture_lines"] == [3]
    assert _rows(_facts(document)) == [("潘利国", "appoint", "沈阳市人民政府市长", True)]


def test_suining_news_resignations_and_two_acting_heads() -> None:
    document = _parse(OTHER / "suining_2018_rendachangweihui_daili-shizhang-news.txt")
    assert document.volume.title == "市人大常委会决定邓正权为代理市长"
    assert document.volume.attributes["furniture"]["published"] == "2018-12-26 00:00"
    # 邓为 is a name holding 为; 补选…为…代表 is an election, not an appointment.
    assert _rows(_facts(document)) == [
        ("杨自力", "resign", "市人民政府市长", False),
        ("邓正权", "appoint", "市人民政府副市长", False),
        ("邓正权", "appoint", "市人民政府市长", True),
        ("邓为", "resign", "市人民政府副市长", False),
        ("熊隆东", "resign", "市监察委员会主任", False),
        ("谭晓政", "appoint", "市监察委员会副主任", False),
        ("谭晓政", "appoint", "市监察委员会主任", True),
    ]


def test_suzhou_resignation_with_a_damaged_adoption_date() -> None:
    document = _parse(OTHER / "suzhou-anhui_2021_rendachangweihui_jieshou-cizhi.txt")
    assert document.volume.title == "宿州市人民代表大会常务委员会关于接受张晓东辞职请求的决定"
    (node,) = document.nodes(NodeKind.DOCUMENT)
    assert (node.line_start, node.attributes.date) == (7, "2021-08-04")
    assert node.attributes.warnings == [
        ParseWarning("date_run_together", "date '202184日' has lost its 年 and 月; read as 2021-08-04", 13)
    ]
    # The page title on line 3 repeats the document's title: furniture, like the site label and the metadata.
    assert document.volume.attributes["furniture_lines"] == [1, 3, 5]
    # 张晓东提出辞去… is the request; the decision is 接受…辞去…的请求.
    assert _rows(_facts(document)) == [("张晓东", "resign", "宿州市人民政府副市长", False)]


def test_xuancheng_acting_mayor_named_after_his_post() -> None:
    document = _parse(OTHER / "xuancheng_2019_rendachangweihui_daili-shizhang.txt")
    assert document.volume.title == "宣城市人民代表大会常务委员会关于宣城市人民政府副市长孔晓宏代理市长的决定"
    facts = _facts(document)
    assert _rows(facts) == [("孔晓宏", "appoint", "宣城市人民政府市长", True)]
    assert facts[0].data["date"] == "2019-08-29"


def test_yongjia_inline_semicolon_lists_cut_off() -> None:
    document = _parse(OTHER / "yongjia_2020_rendachangweihui_huiyi-renmian.txt")
    assert document.volume.title == "县十六届人大常委会第二十五次会议召开"
    facts = _facts(document)
    assert _rows(facts) == [
        ("汤志远", "remove", "县人大常委会办公室副主任", False),
        ("林剑英", "remove", "县人大常委会财政经济工作委员会副主任", False),
        ("傅道碎", "remove", "县人大常委会三江街道工作委员会主任", False),
        ("季巧云", "remove", "县人大常委会北城街道工作委员会主任", False),
        ("戴建波", "remove", "县人大常委会黄田街道工作委员会主任", False),
        ("林杰", "remove", "县财政局局长", False),
        ("潘洁容", "appoint", "县人大常委会办公室副主任", False),
        ("朱清东", "appoint", "县人大常委会社会建设工作委员会副主任", False),
        ("吴活机", "appoint", "县人大常委会瓯北街道工作委员会副主任", False),
        ("周智", "appoint", "县人大常委", False),
    ]
    assert facts[-1].warnings == [
        ParseWarning("appointment_cut_off", "the clause '周智为县人大常委' has no closing punctuation; cut off?", 5)
    ]
    assert all(fact.warnings == [] for fact in facts[:-1])


def test_three_decisions_in_one_file() -> None:
    document = _parse(MADE / "renda_three_decisions.txt")
    documents = document.nodes(NodeKind.DOCUMENT)
    assert [(node.title, node.attributes.date) for node in documents] == [
        ("示例市人民代表大会常务委员会关于任免国家机关工作人员的决定", "2023-05-31"),
        ("示例市人民代表大会常务委员会关于接受刘成辞职请求的决定", "2023-05-31"),
        ("示例市人民代表大会常务委员会关于周海代理示例市人民政府市长的决定", "2023-06-02"),
    ]
    facts = _facts(document)
    assert _rows(facts) == [
        ("李明华", "appoint", "示例市人民政府秘书长", False),
        ("马志强", "appoint", "示例市发展和改革委员会副主任", False),
        ("赵小军", "appoint", "示例市发展和改革委员会副主任", False),
        ("孙立", "appoint", "示例市财政局局长", False),
        ("孙立", "appoint", "示例市国有资产监督管理委员会主任", False),
        ("王建国", "remove", "示例市财政局局长", False),
        ("陈红", "remove", "示例市教育局局长、示例市教育工作委员会副主任", False),
        ("刘成", "resign", "示例市人民政府副市长", False),
        ("周海", "appoint", "示例市人民政府副市长", False),
        ("周海", "appoint", "示例市人民政府市长", True),
    ]
    assert [f.data["concurrent"] for f in facts][3:5] == [False, True]
    assert [f.data["person_attributes"] for f in facts if f.data["person_attributes"]] == [
        {"gender": "女"},
        {"ethnicity": "回族"},
        {"gender": "女", "ethnicity": "满族"},
    ]
    assert [f.node_id for f in facts] == [documents[0].id] * 7 + [documents[1].id] + [documents[2].id] * 2
    assert [f.data["date"] for f in facts][-3:] == ["2023-05-31", "2023-06-02", "2023-06-02"]


def test_government_notice_with_annotations_and_secondment() -> None:
    facts = _facts(_parse(MADE / "government_notice_annotations.txt"))
    assert _rows(facts) == [
        ("钱文", "appoint", "某某县审计局副局长", False),
        ("吴刚", "appoint", "某某县科学技术局副局长", False),
        ("郑平", "remove", "某某县审计局副局长", False),
    ]
    assert [(f.data["person_attributes"], f.data["probation_one_year"]) for f in facts] == [
        ({"gender": "女"}, True),
        ({}, False),
        ({}, False),
    ]
    assert [f.data.get("secondment") for f in facts] == [None, True, None]
    assert {f.data["doc_no"] for f in facts} == {"某政任〔2024〕2号"}


def test_news_page_with_inline_lists_and_an_acting_head() -> None:
    document = _parse(MADE / "news_inline_lists.txt")
    assert document.volume.title == "区人大常委会举行第八次会议"
    assert document.volume.attributes["furniture"]["breadcrumb"] == ["首页", "人大要闻", "常委会动态"]
    assert _rows(_facts(document)) == [
        ("黄强", "remove", "区人民政府副区长", False),
        ("何丽", "remove", "区审计局局长", False),
        ("郭峰", "remove", "区统计局局长", False),
        ("林涛", "appoint", "区人民政府副区长", False),
        ("唐敏", "appoint", "区审计局局长", False),
        ("冯博", "appoint", "区统计局局长", False),
        ("韩冰", "resign", "区人民政府区长", False),
        ("何平", "appoint", "区人民政府副区长", False),
        ("何平", "appoint", "区人民政府区长", True),
    ]


def test_names_and_acting_posts() -> None:
    assert read_person("马志强（回族）") == ("马志强", {"ethnicity": "回族"})
    assert read_person("陈红(女,满族)") == ("陈红", {"gender": "女", "ethnicity": "满族"})
    assert read_person("张鸿福同志") == ("张鸿福", {})
    assert acting_post("宣城市人民政府副市长", "市长") == "宣城市人民政府市长"
    assert acting_post("区人大常委会副主任", "主任职务") == "区人大常委会主任"
    assert acting_post(None, "沈阳市人民政府代理市长") == "沈阳市人民政府市长"


def test_issuer_code_never_swallows_a_date_before_it() -> None:
    found = [
        doc_no.normalized for doc_no, _, _ in find_doc_numbers("根据5月4日皖政〔1985〕38号和五月四日皖政〔1985〕39号")
    ]
    assert found == ["皖政〔1985〕38号", "皖政〔1985〕39号"]


def test_government_notice_in_the_ren_form() -> None:
    facts = _facts(_parse(MADE / "government_notice_ren_form.txt"))
    assert _rows(facts) == [
        ("张三", "appoint", "某某市财政局局长", False),
        ("张三", "remove", "某某市审计局局长", False),  # 免去其…: the person before
        ("李四", "appoint", "某某市审计局副局长", False),
        ("王五", "remove", "某某市交通运输局局长", False),
        ("赵六", "remove", "某某市交通运输局副局长", False),
    ]
    assert [(f.data["probation_one_year"], f.data["person_attributes"]) for f in facts][2] == (True, {"gender": "女"})
    assert {f.data["doc_no"] for f in facts} == {"某政人〔2022〕8号"}


def test_renda_list_with_de_in_the_removals() -> None:
    document = _parse(MADE / "renda_mingdan_lists.txt")
    facts = _facts(document)
    assert _rows(facts) == [
        ("刘洋", "appoint", "示例县人民政府办公室主任", False),
        ("陈静", "appoint", "示例县审计局局长", False),
        ("周强", "remove", "示例县审计局局长", False),
        ("吴敏", "remove", "示例县统计局局长", False),
    ]
    assert {f.data["date"] for f in facts} == {"2021-06-28"}


def test_news_with_other_verbs() -> None:
    assert _rows(_facts(_parse(MADE / "news_other_verbs.txt"))) == [
        ("郑华", "appoint", "区人民政府副区长", False),
        ("孙浩", "resign", "区人民政府副区长", False),
        ("马涛", "remove", "区市场监督管理局局长", False),
    ]


def test_probation_printed_after_a_comma() -> None:
    facts = _facts(_parse(MADE / "government_notice_probation_after_comma.txt"))
    assert [(*row, f.data["probation_one_year"]) for row, f in zip(_rows(facts), facts, strict=True)] == [
        ("王小明", "appoint", "市发展和改革委员会主任", False, False),
        ("李红", "appoint", "市教育局局长", False, True),
        ("张伟", "appoint", "市财政局副局长", False, False),
        ("刘洋", "appoint", "市财政局副局长", False, False),
        ("赵强", "remove", "市交通运输局局长", False, False),
        ("陈刚", "remove", "市住房和城乡建设局副局长", False, False),
    ]
    assert facts[1].data["person_attributes"] == {"gender": "女"}
    assert {(f.data["doc_no"], f.data["date"]) for f in facts} == {("某政任〔2022〕12号", "2022-03-05")}


def test_renda_decision_with_a_resignation_and_an_acting_head() -> None:
    facts = _facts(_parse(MADE / "renda_decision_with_resignation_and_acting.txt"))
    assert _rows(facts) == [
        ("孙磊", "appoint", "县人民政府副县长", False),
        ("周敏", "appoint", "县教育局局长", False),
        ("吴刚", "remove", "县人民政府副县长", False),
        ("郑华", "resign", "县人民政府县长", False),
        ("马强", "appoint", "县人民政府副县长", False),
        ("马强", "appoint", "县人民政府县长", True),
    ]
    assert facts[1].data["person_attributes"] == {"gender": "女", "ethnicity": "回族"}
    assert {f.data["date"] for f in facts} == {"2021-06-28"}


def test_ascii_full_stops_end_decisions() -> None:
    """``主任.随后`` and ``代理市长.`` : an ASCII full stop after Chinese text ends the sentence."""
    facts = _facts(_parse(MADE / "ascii_full_stops.txt"))
    assert _rows(facts) == [
        ("杨自力", "resign", "市人民政府市长", False),
        ("邓为", "resign", "市人民政府副市长", False),
        ("邓正权", "appoint", "市人民政府副市长", False),
        ("邓正权", "appoint", "市人民政府市长", True),
        ("谭晓政", "appoint", "市监察委员会副主任", False),
        ("谭晓政", "appoint", "市监察委员会主任", True),
        ("孔晓宏", "appoint", "宣城市人民政府市长", True),
    ]


def test_a_page_break_inside_a_post_is_not_part_of_it() -> None:
    document = _parse(MADE / "pdf_wrapped_page_break.txt")
    assert [(item.line_start, item.kind) for item in document.furniture] == [(26, "web"), (27, "web")]
    assert _rows(_facts(document))[6:9] == [
        ("潘洁容", "appoint", "县人大常委会办公室副主任", False),
        ("朱清东", "appoint", "县人大常委会社会建设工作委员会副主任", False),
        ("吴活机", "appoint", "县人大常委会瓯北街道工作委员会副主任", False),
    ]


def test_a_title_wrapped_above_the_page_stamp_is_whole() -> None:
    document = _parse(MADE / "pdf_wrapped_title.txt")
    (node,) = document.nodes(NodeKind.DOCUMENT)
    title = "沈阳市人民代表大会常务委员会关于潘利国为沈阳市人民政府代理市长的决定"
    assert (document.volume.title, node.title, node.line_start, node.attributes.date) == (title, title, 1, "2015-02-02")
    assert _rows(_facts(document)) == [("潘利国", "appoint", "沈阳市人民政府市长", True)]


def test_a_short_wrapped_text_with_indented_paragraphs_joins_its_lines() -> None:
    """Two indented paragraphs of two and three lines: wrapped lines, not one paragraph per line."""
    document = _parse(MADE / "pdf_wrapped_title.txt")
    paragraphs = [(node.line_start, node.line_end) for node, _ in document.walk() if node.kind == NodeKind.PARAGRAPH]
    assert paragraphs == [(9, 11)]
    (node,) = document.nodes(NodeKind.DOCUMENT)
    assert node.attributes.adopted_as_printed == "(2015年2月2日沈阳市第十五届人民代表大会常务委员会第十七次会议通过)"


def test_a_second_decision_without_its_adoption_line_is_its_own_document() -> None:
    document = _parse(MADE / "two_decisions_concatenated.txt")
    assert [(node.line_start, node.title, node.attributes.date) for node in document.nodes(NodeKind.DOCUMENT)] == [
        (7, "宿州市人民代表大会常务委员会关于接受张晓东辞职请求的决定", "2021-08-04"),
        (20, "巴彦淖尔市人民代表大会常务委员会关于张鸿福同志代理巴彦淖尔市人民政府市长职务的决定", None),
    ]
    facts = _facts(document)
    assert [(*row, fact.data["date"]) for row, fact in zip(_rows(facts), facts, strict=True)] == [
        ("张晓东", "resign", "宿州市人民政府副市长", False, "2021-08-04"),
        ("张鸿福", "appoint", "巴彦淖尔市人民政府市长", True, None),
    ]


def test_one_person_with_two_posts_in_two_organisations() -> None:
    """免去卢炳椿泉州市人民政府副市长、市公安局局长的职务: one record, both organisations (not 副市长、市公安局)."""
    facts = _facts(_parse(OTHER / "quanzhou_2018_rendachangweihui_renmian-mingdan.txt"))
    removed = [fact.data for fact in facts if fact.data["action"] == "remove"]
    assert [(data["person"], data["post"], data["organization"]) for data in removed] == [
        ("卢炳椿", "泉州市人民政府副市长、市公安局局长", "泉州市人民政府，市公安局")
    ]
    assert (
        organization_of("平顶山市城市建设投资运营集团有限公司董事、副总经理") == "平顶山市城市建设投资运营集团有限公司"
    )
    assert (
        organization_of("县人大常委会教育、科学、文化和卫生工作委员会主任")
        == "县人大常委会教育、科学、文化和卫生工作委员会"
    )
