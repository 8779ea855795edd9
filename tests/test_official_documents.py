"""Standalone official documents: the eight other cities' files and small hand-made ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, GOV_DOCS
from fangzhi.model import Document, Node, NodeKind, ParseWarning
from fangzhi.parse import parse_source
from fangzhi.parse.doc_number import find_in_lines, parse_doc_number
from fangzhi.text.dates import parse_date
from fangzhi.text.source import decode_source, read_source

DOCUMENTS = FIXTURES / "documents"

# file: (doc_no, issuer, date, title start)
EXPECTED = {
    "aba_2021_gov_data_management": (
        "阿府办发〔2021〕21号",
        "阿坝州人民政府办公室",
        "2021-10-11",
        "阿坝州人民政府办公室关于印发",
    ),
    "anhui_2021_industrial_internet": (
        "皖政办秘〔2021〕82号",
        "安徽省人民政府办公厅",
        "2021-09-02",
        "安徽省人民政府办公厅关于印发",
    ),
    "anhui_2022_opening_up": (
        "皖开放办〔2022〕6号",
        "安徽省推进“三地一区”建设领导小组改革开放新高地执行小组办公室",
        "2022-03-23",
        "安徽省推进“三地一区”建设领导小组",
    ),
    "baotou_2022_digital_gov_assessment": (
        "包府办发〔2022〕43号",
        "包头市人民政府办公室",
        "2022-04-14",
        "包头市人民政府办公室关于印发",
    ),
    "beijing_2022_jingxin": ("京经信发〔2022〕87号", "北京市经济和信息化局", "2022-11-21", "北京市经济和信息化局印发"),
    "haikou_shuiwuju_2020_notice": (None, "海口市水务局", None, "海口市水务局关于2020年2月1日"),
    "xinjiang_zhijian_2012_notice": (
        "新质监办发〔2012〕24号",
        "新疆维吾尔自治区质监局",
        None,
        "新疆维吾尔自治区质监局关于",
    ),
    "xinyu_yufufa_2012_3_green_building": (
        "余府发〔2012〕3号",
        "新余市人民政府办公室",
        "2012-01-09",
        "新余市人民政府办公室关于",
    ),
}


def _parse(path: Path) -> Document:
    return parse_source(read_source(path))


def _document(document: Document) -> Node:
    (node,) = document.nodes(NodeKind.DOCUMENT)
    return node


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_gov_docs_number_issuer_date_title(name: str) -> None:
    document = _parse(GOV_DOCS / f"{name}.txt")
    node = _document(document)
    doc_no, issuer, date, title = EXPECTED[name]
    assert document.volume.kind == "document"
    assert node.attributes.doc_no == doc_no
    assert node.attributes.issuer == issuer
    assert node.attributes.date == date
    assert node.title.startswith(title)
    assert document.volume.title == node.title


def test_duplicated_database_title_is_kept_once() -> None:
    node = _document(_parse(GOV_DOCS / "anhui_2021_industrial_internet.txt"))
    assert node.title == (
        "安徽省人民政府办公厅关于印发支持工业互联网发展若干政策和安徽省工业互联网创新发展行动计划（2021-2023年）的通知"
    )
    assert node.line_start == 3
    texts = [child.text for child in node.children if child.kind == NodeKind.PARAGRAPH]
    assert not any(text.startswith("安徽省人民政府办公厅关于印发") for text in texts)


def test_two_enclosed_documents_are_split_by_the_titles_the_notice_names() -> None:
    node = _document(_parse(GOV_DOCS / "anhui_2021_industrial_internet.txt"))
    enclosed = [child for child in node.children if child.kind == NodeKind.ATTACHMENT]
    assert [(child.title, child.line_start) for child in enclosed] == [
        ("支持工业互联网发展若干政策", 14),
        ("安徽省工业互联网创新发展行动计划（2021-2023年）", 61),
    ]


def test_chapters_articles_and_enclosed_numbers() -> None:
    node = _document(_parse(GOV_DOCS / "xinyu_yufufa_2012_3_green_building.txt"))
    assert node.attributes.date_as_printed == "二○一二年一月九日"
    sections = [child for child, _ in node.walk() if child.kind == NodeKind.DOCUMENT_SECTION]
    chapters = [section for section in sections if section.attributes.style == "chapter"]
    articles = [section for section in sections if section.attributes.style == "article"]
    assert [chapter.title for chapter in chapters] == ["总则", "设计", "施工", "商品房销售与运行管理", "奖惩", "附则"]
    assert len(articles) == 29
    assert all(article.level == 2 for article in articles)
    fifth = next(article for article in articles if article.attributes.number == "第五条")
    assert [child.attributes.number for child in fifth.children if child.kind == NodeKind.DOCUMENT_SECTION] == list(
        "㈠㈡㈢㈣㈤㈥㈦㈧㈨"
    )


def test_chapter_heading_sharing_a_line_with_its_first_article() -> None:
    node = _document(_parse(GOV_DOCS / "aba_2021_gov_data_management.txt"))
    sections = [child for child, _ in node.walk() if child.kind == NodeKind.DOCUMENT_SECTION]
    chapters = [section for section in sections if section.attributes.style == "chapter"]
    articles = [section for section in sections if section.attributes.style == "article"]
    assert len(chapters) == 9 and len(articles) == 49
    assert chapters[0].title == "总则" and chapters[0].line_start == 11
    assert chapters[0].children[0].attributes.number == "第一条"
    assert chapters[0].children[0].line_start == 11


def test_notice_with_three_attachments() -> None:
    node = _document(_parse(GOV_DOCS / "xinjiang_zhijian_2012_notice.txt"))
    attachments = [child for child in node.children if child.kind == NodeKind.ATTACHMENT]
    assert [(child.attributes.heading, child.line_start) for child in attachments] == [
        ("附件1：", 44),
        ("附件2：", 74),
        ("附件3：", 98),
    ]
    assert node.attributes.attachments == [
        "自治区质监局各单位信息宣传联络员登记表",
        "自治区质监局各单位（部门）申请宣传申报单",
        "自治区质监局协助宣传报道通知单",
    ]
    assert node.attributes.warnings == [
        ParseWarning(
            "document_no_date", "document 新疆维吾尔自治区质监局关于进一步加强新闻宣传工作的通知: no date line found", 3
        )
    ]


def test_attachment_listing_is_not_the_attachment_itself() -> None:
    node = _document(_parse(GOV_DOCS / "baotou_2022_digital_gov_assessment.txt"))
    (plan,) = [child for child in node.children if child.kind == NodeKind.ATTACHMENT]
    nested = [child for child in plan.children if child.kind == NodeKind.ATTACHMENT]
    assert [(child.title, child.line_start) for child in nested] == [("包头市数字政府建设考评指标", 29)]


def test_document_without_doc_no_invents_none() -> None:
    document = _parse(GOV_DOCS / "haikou_shuiwuju_2020_notice.txt")
    node = _document(document)
    assert node.attributes.doc_no is None and node.attributes.doc_no_as_printed is None
    assert node.attributes.type == "公告"
    assert not any(node.kind == NodeKind.PARAGRAPH and node.text == "（2020年）" for node in document.nodes())
    assert find_in_lines(document.source.lines) == []


def test_no_unexpected_warnings_on_complete_documents() -> None:
    for name in ("aba_2021_gov_data_management", "anhui_2021_industrial_internet", "beijing_2022_jingxin"):
        assert _parse(GOV_DOCS / f"{name}.txt").warnings == []


def test_plain_text_becomes_paragraphs() -> None:
    document = _parse(DOCUMENTS / "plain.txt")
    assert document.volume.kind == "document"
    assert document.nodes(NodeKind.DOCUMENT) == []
    assert [node.text for node in document.root.children] == [
        "会议纪要整理稿",
        "今天讨论了三件事情，大家意见一致。",
        "下次会议时间另行通知，请各位留意。",
    ]


def test_missing_year_is_a_warning_not_a_crash() -> None:
    document = _parse(DOCUMENTS / "missing_year.txt")
    node = _document(document)
    assert node.attributes.doc_no == "示例政办〔〕20号"
    assert node.attributes.doc_no_as_printed == "示例政办（）20号"
    no_year = ParseWarning("doc_no_no_year", "文号 示例政办（）20号 has no year", 4)
    assert no_year in node.attributes.warnings
    assert no_year in document.warnings


def test_cut_off_document_is_reported() -> None:
    document = _parse(DOCUMENTS / "cut_off.txt")
    node = _document(document)
    assert node.attributes.doc_no == "示例政〔2024〕3号"
    assert node.attributes.date is None
    assert [str(warning) for warning in document.warnings] == [
        "line 1: document 示例市人民政府关于印发示例市节水行动方案的通知: no date line found",
        "line 1: document 示例市人民政府关于印发示例市节水行动方案的通知: the enclosed text it issues is missing; "
        "the document may be cut off",
        "line 7: document 示例市人民政府关于印发示例市节水行动方案的通知 ends mid-sentence; the text may be cut off",
    ]
    text = "".join(child.text for child in node.children)
    assert text.endswith("各地要结合实际，")


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("平政办（2023）20号", "平政办〔2023〕20号"),
        ("（皖政办秘〔2021〕82号）", "皖政办秘〔2021〕82号"),
        ("平政 〔2005〕 31号", "平政〔2005〕31号"),
        ("人 社 部 发〔2023〕 12号", "人社部发〔2023〕12号"),
        ("豫政办[2020]052号", "豫政办〔2020〕52号"),
    ],
)
def test_doc_number_forms(printed: str, normalized: str) -> None:
    doc_no = parse_doc_number(printed)
    assert doc_no is not None and doc_no.normalized == normalized and doc_no.warnings == ()


def test_doc_number_broken_across_lines_and_missing_parts() -> None:
    lines = ["工 作 者 的 决 定》（人 社 部 发", "", "〔2023〕 12号），宝丰县", "意见》（平数政办 〔2023〕 号）、"]
    found = find_in_lines(lines, first_line=10)
    assert [(m.doc_no.normalized, m.line_start, m.line_end) for m in found] == [
        ("人社部发〔2023〕12号", 10, 12),
        ("平数政办〔2023〕号", 13, 13),
    ]
    assert found[1].doc_no.warnings == (
        ParseWarning("doc_no_no_number", "文号 平数政办〔2023〕号 has no sequence number", 13),
    )


def test_dates_in_both_forms() -> None:
    assert parse_date("2023年11月10日") == ("2023-11-10", None)
    assert parse_date("二○一二年一月九日") == ("2012-01-09", None)
    assert parse_date("二〇二三年十二月二十三日") == ("2023-12-23", None)
    assert parse_date("2023年2月30日") == (None, "date 2023年2月30日 is not a valid calendar date")


def test_gb18030_document_parses() -> None:
    text = "示例市人民政府关于示例的通知\n\n示例政〔2022〕1号\n\n各部门：\n\n请遵照执行。\n\n2022年1月2日\n"
    document = parse_source(decode_source(text.encode("gb18030"), "gbk.txt"))
    assert _document(document).attributes.doc_no == "示例政〔2022〕1号"


def test_when_documents_take_effect() -> None:
    node = _document(_parse(GOV_DOCS / "xinyu_yufufa_2012_3_green_building.txt"))
    assert node.attributes.in_force_from == "2012-02-01"
    assert node.attributes.in_force_as_printed == "自2012年2月1日至2017年1月31日施行"
    node = _document(_parse(GOV_DOCS / "aba_2021_gov_data_management.txt"))
    assert (node.attributes.in_force_from, node.attributes.in_force_as_printed) == (
        "2021-10-11",
        "自颁布之日起施行",
    )
    assert _document(_parse(GOV_DOCS / "beijing_2022_jingxin.txt")).attributes.in_force_from is None


def test_a_statistical_communique_is_a_document_with_its_bracketed_date() -> None:
    document = parse_source(read_source(FIXTURES / "communiques" / "yichun_2022_tongjigongbao.txt"))
    (node,) = document.nodes("document")
    assert (node.title, node.attributes.type, node.attributes.date) == (
        "宜春市2022年国民经济和社会发展统计公报",
        "公报",
        "2023-04-12",
    )
    assert document.volume.attributes["coverage"].share == 1.0
    document = parse_source(read_source(FIXTURES / "communiques" / "jiangxi_2022_tongjigongbao.txt"))
    (node,) = document.nodes("document")
    # The title line prints a footnote mark (统计公报[1]): the title is without it, the raw line keeps it.
    assert (node.title, node.attributes.type, node.attributes.date) == (
        "江西省2022年国民经济和社会发展统计公报",
        "公报",
        "2023-03-28",
    )
    assert document.volume.title == "江西省2022年国民经济和社会发展统计公报"
    assert document.source.line(1) == "江西省2022年国民经济和社会发展统计公报[1]"
    # The two bureaus that sign it, printed apart under the title, are its issuer.
    assert node.attributes.issuer == "江西省统计局 国家统计局江西调查总队"


def test_a_wrapped_title_printed_twice_is_one_title() -> None:
    """The head of the 阿坝 notice (gov-docs) cut at 30 characters: the database prints its title twice."""
    document = parse_source(read_source(FIXTURES / "documents" / "wrapped_title_printed_twice.txt"))
    (node,) = document.nodes("document")
    assert (node.title, node.attributes.doc_no, node.attributes.date) == (
        "阿坝州人民政府办公室关于印发《阿坝州政务数据资源管理暂行办法》的通知",
        "阿府办发〔2021〕21号",
        "2021-10-11",
    )
