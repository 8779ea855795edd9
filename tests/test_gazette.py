"""The gazette issue: masthead, 目录, the five documents, their parts and the 大事记."""

from __future__ import annotations

from conftest import FIXTURES, GAZETTE_PATH
from fangzhi.extract.appointments import extract_appointments
from fangzhi.extract.repeals import extract_repeals
from fangzhi.model import Document, Node, NodeKind, ParseWarning
from fangzhi.parse import parse_source
from fangzhi.text.source import decode_source, read_source


def _documents(gazette: Document) -> list[Node]:
    return gazette.nodes(NodeKind.DOCUMENT)


def test_volume_title_issue_and_contents(gazette: Document) -> None:
    volume = gazette.volume
    assert volume.kind == "gazette"
    assert volume.title == "平顶山市人民政府公报 2024年第1号"
    assert volume.year == 2024
    assert volume.attributes["issue_number"] == 1
    assert volume.attributes["running_number"] == 133
    assert volume.attributes["date_as_printed"] == "2024年11月15日"
    contents = volume.attributes["contents"]
    assert [item["page"] for item in contents] == [3, 4, 7, 10, 19, 22]
    assert contents[1]["title"] == "平顶山市人民政府关于印发平顶山市医疗应急重点城市建设实施方案的通知"
    assert (contents[1]["line_start"], contents[1]["line_end"]) == (48, 49)
    assert contents[5]["group"] == "平顶山市人民政府大事记"


def test_five_documents_with_numbers_dates_and_kinds(gazette: Document) -> None:
    rows = [
        (
            node.attributes.doc_no,
            node.attributes.date,
            node.attributes.type,
            node.attributes.contents_page,
            node.line_start,
            node.line_end,
        )
        for node in _documents(gazette)
    ]
    assert rows == [
        ("平政任〔2023〕4号", "2023-12-23", "任免通知", 3, 65, 155),
        ("平政〔2023〕30号", "2023-11-10", "印发通知", 4, 157, 226),
        ("平政〔2023〕31号", "2023-11-17", "公布通知", 7, 228, 417),
        ("平政办〔2023〕20号", "2023-11-27", "印发通知", 10, 419, 751),
        ("平政办〔2023〕23号", "2023-12-11", "印发通知", 19, 753, 795),
    ]


def test_titles_are_joined_and_printed_doc_no_kept(gazette: Document) -> None:
    first, second, _, fourth, _ = _documents(gazette)
    assert first.title == "平顶山市人民政府关于戴冲等44人行政职务任免的通知"
    assert first.attributes.issuer == "平顶山市人民政府"
    assert second.title == "平顶山市人民政府关于印发平顶山市医疗应急重点城市建设实施方案的通知"
    assert fourth.attributes.issuer == "平顶山市人民政府办公室"
    assert fourth.attributes.doc_no_as_printed == "平政办（2023）20号"
    assert fourth.attributes.doc_no == "平政办〔2023〕20号"


def test_recipients_joined_across_the_wrap(gazette: Document) -> None:
    recipients = {node.attributes.recipients for node in _documents(gazette)}
    assert recipients == {"各县（市、区）人民政府，城乡一体化示范区、高新区管委会，市人民政府各部门："}


def test_enclosed_plans_and_lists_have_their_own_titles(gazette: Document) -> None:
    titles = [node.attributes.attachment_title for node in _documents(gazette)]
    assert titles == [
        None,
        "平顶山市医疗应急重点城市建设实施方案",
        "农业产业化市重点龙头企业名单",
        "平顶山市重污染天气应急预案",
        "平顶山市深化农村公路管理养护体制改革实施方案",
    ]
    plan = _documents(gazette)[3]
    nested = [
        node for node, _ in plan.walk() if node.kind == NodeKind.ATTACHMENT and node.attributes.role == "attachment"
    ]
    assert [(node.title, node.line_start, node.line_end) for node in nested] == [
        ("重污染天气应急处置单位及职责", 701, 751)
    ]


def test_plan_sections_form_a_tree(gazette: Document) -> None:
    plan = _documents(gazette)[3]
    sections = [node for node, _ in plan.walk() if node.kind == NodeKind.DOCUMENT_SECTION]
    numbers = {node.attributes.number: node for node in sections}
    assert [n for n in numbers if n.count(".") == 0 and n.isdigit()][:8] == [str(i) for i in range(1, 9)]
    assert numbers["1.4"].level == 2 and numbers["1.4.1"].level == 3
    assert [child.attributes.number for child in numbers["1.4"].children] == [
        "1.4.1",
        "1.4.2",
        "1.4.3",
        "1.4.4",
        "1.4.5",
    ]
    decimal_levels = [node for node in sections if node.attributes.style.startswith("decimal")]
    assert sum(1 for node in decimal_levels if node.attributes.style in ("decimal2", "decimal3")) == 41
    assert numbers["3.2.2"].children[1].attributes.number == "（1）"
    assert numbers["4.2.1"].children[0].attributes.number == "(1)"


def test_responsible_units_on_each_task(gazette: Document) -> None:
    plan = _documents(gazette)[1]
    tasks = [
        node for node, _ in plan.walk() if node.kind == NodeKind.DOCUMENT_SECTION and node.attributes.responsible_units
    ]
    assert len(tasks) == 7
    assert [task.attributes.number for task in tasks] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
    ]
    assert tasks[2].attributes.responsible_units == [
        "市发展改革委",
        "市财政局",
        "市卫生健康委",
        "各县（市、区）政府（管委会）",
    ]
    assert tasks[6].attributes.responsible_units[-1] == "各县〔市、区〕政府〔管委会〕"


def test_page_break_inside_a_paragraph_is_joined(gazette: Document) -> None:
    paragraphs = {node.line_start: node for node in gazette.nodes(NodeKind.PARAGRAPH)}
    assert paragraphs[181].line_end == 190
    assert "市、县两级医疗应急中心成立运行，医疗应急体系初步健全。2026年年底以前" in paragraphs[181].text
    assert 190 not in paragraphs


def test_repeated_paragraph_is_dropped_with_a_warning(gazette: Document) -> None:
    starts = {node.line_start for node in gazette.nodes(NodeKind.PARAGRAPH)}
    assert 441 in starts and 443 not in starts
    assert ParseWarning("repeated_text_dropped", "repeats the end of the paragraph at line 441; dropped", 443) in (
        gazette.warnings
    )


def test_chronicle_section(gazette: Document) -> None:
    (chronicle,) = gazette.nodes(NodeKind.CHRONICLE)
    assert chronicle.title == "2023年11—12月大事记"
    assert chronicle.line_start == 797
    assert chronicle.attributes.contents_page == 22
    assert chronicle.attributes.group_title == "平顶山市人民政府大事记"
    assert sum(1 for node, _ in chronicle.walk() if node.kind == NodeKind.EVENT) == 80


def test_masthead_brackets_are_not_entries_or_doc_numbers(gazette: Document) -> None:
    front = gazette.root.children[0]
    assert front.kind == NodeKind.FRONT_MATTER
    assert not any(node.kind == NodeKind.ENTRY for node in gazette.nodes())


def test_gazette_without_contents_still_finds_documents() -> None:
    text = (
        "示例市人民政府公报\n\n2024年第2号（总第134号）\n\n示例市人民政府\n\n关于调整示例事项的通知\n\n"
        "示例政〔2024〕5号\n\n各县（市、区）人民政府：\n\n现将有关事项通知如下。\n\n2024年2月1日\n"
    )
    document = parse_source(decode_source(text.encode(), "issue.txt"), kind="gazette")
    (node,) = document.nodes(NodeKind.DOCUMENT)
    assert node.title == "示例市人民政府关于调整示例事项的通知"
    assert node.attributes.doc_no == "示例政〔2024〕5号"
    assert node.attributes.date == "2024-02-01"
    assert document.volume.attributes["running_number"] == 134
    assert document.warnings[0] == ParseWarning(
        "contents_missing", "no 目录 found; documents are found by their 文号 alone"
    )


def _cut(lines: int) -> Document:
    raw = GAZETTE_PATH.read_text(encoding="utf-8").split("\n")
    return parse_source(decode_source("\n".join(raw[:lines]).encode(), "cut.txt"))


def test_issue_cut_off_inside_a_plan_is_reported() -> None:
    document = _cut(599)
    assert len(document.nodes(NodeKind.DOCUMENT)) == 4
    assert (
        ParseWarning(
            "document_cut_off",
            "document 平顶山市人民政府办公室关于印发平顶山市重污染天气应急预案的通知 ends mid-sentence; "
            "the text may be cut off",
            599,
        )
        in document.warnings
    )
    assert (
        ParseWarning("contents_item_missing", "目录 item 2023年11-12月大事记 (page 22) was not found in the text", 61)
        in document.warnings
    )


def test_issue_cut_off_inside_the_removals_is_reported() -> None:
    document = _cut(140)
    (node,) = document.nodes(NodeKind.DOCUMENT)
    assert [str(warning) for warning in node.attributes.warnings] == [
        "line 65: document 平顶山市人民政府关于戴冲等44人行政职务任免的通知: no date line found",
        "line 140: document 平顶山市人民政府关于戴冲等44人行政职务任免的通知 ends mid-sentence; the text may be cut off",
    ]
    facts = extract_appointments(document)
    assert len(facts) == 24 + 16
    assert facts[-1].data["person"] == "和新力"
    assert facts[-1].warnings == [
        ParseWarning(
            "appointment_cut_off",
            "the clause '和新力平顶山市应急管理局副局长，平' has no closing punctuation; cut off?",
            140,
        )
    ]


def test_repealing_documents_take_effect_on_their_date(gazette: Document) -> None:
    effective = {node.attributes.doc_no: node.attributes.in_force_from for node in gazette.nodes(NodeKind.DOCUMENT)}
    assert effective["平政办〔2023〕20号"] == "2023-11-27"
    assert effective["平政办〔2023〕23号"] == "2023-12-11"
    assert effective["平政任〔2023〕4号"] is None


def test_another_city_layout() -> None:
    """目录 items with their 文号 and bare page numbers, 第6期, no blank lines, a document without 文号."""
    document = parse_source(read_source(FIXTURES / "documents" / "gazette_other_layout.txt"))
    assert document.volume.kind == "gazette"
    assert document.volume.title == "某某市人民政府公报 2023年第6期"
    assert [(item["title"], item["doc_no"], item["page"]) for item in document.volume.attributes["contents"]] == [
        ("某某市人民政府关于调整部分行政审批事项的决定", "某政〔2023〕8号", 5),
        ("某某市人民政府关于印发某某市防汛应急预案的通知", "某政〔2023〕9号", 7),
        ("某某市人民政府办公室关于公布2023年度示范社区名单的通知", None, 12),
    ]
    rows = [
        (node.attributes.doc_no, node.attributes.type, node.attributes.date, node.attributes.contents_page)
        for node in document.nodes(NodeKind.DOCUMENT)
    ]
    assert rows == [
        ("某政〔2023〕8号", "决定", "2023-06-01", 5),
        ("某政〔2023〕9号", "印发通知", "2023-06-05", 7),
        (None, "公布通知", "2023-06-20", 12),
    ]
    assert document.warnings == []
    plan_sections = [n for n in document.nodes(NodeKind.DOCUMENT_SECTION) if n.attributes.number.startswith("1")]
    assert [(n.attributes.number, n.level) for n in plan_sections] == [("1", 1), ("1.1", 2), ("1.2", 2)]
    assert [n.title for n in document.nodes(NodeKind.LIST_ITEM)] == ["东区幸福社区", "西区和谐社区", "南区平安社区"]
    (repeal,) = extract_repeals(document)
    assert repeal.data["by_doc_no"] == "某政〔2023〕8号" and repeal.data["repealed_doc_no"] == "某政〔2019〕30号"


def test_government_order_with_its_order_number() -> None:
    document = parse_source(read_source(FIXTURES / "documents" / "gazette_order.txt"))
    (node,) = document.nodes(NodeKind.DOCUMENT)
    assert (node.title, node.attributes.issuer, node.attributes.type) == (
        "某某市人民政府令",
        "某某市人民政府",
        "令",
    )
    assert node.attributes.doc_no == "某某市人民政府令第12号"
    assert node.attributes.attachment_title == "某某市城市绿化管理办法"
    assert node.attributes.contents_page == 2
    assert node.attributes.in_force_from == "2024-04-01"
    assert document.warnings == []
    (repeal,) = extract_repeals(document)
    assert (repeal.data["repealed_doc_no"], repeal.data["by_doc_no"]) == ("市政府令第3号", "某某市人民政府令第12号")
