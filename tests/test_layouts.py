"""Yearbooks without the sample's furniture (issue 9): one fixture per layout, and the sample stripped.

The fixtures in tests/fixtures/yearbooks are hand-made with invented content
(see docs/layouts.md for each layout).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, GAZETTE_PATH, GOV_DOCS, YEARBOOK_PATH
from fangzhi.errors import InputError
from fangzhi.knowledge_base import build_document
from fangzhi.model import Document, Node, NodeKind, ParseWarning, Volume
from fangzhi.parse import detect_kind, measure_kind, parse_source
from fangzhi.parse.coverage import account_for_every_line
from fangzhi.text.source import decode_source, read_source

YEARBOOKS = FIXTURES / "yearbooks"


def parse(name: str) -> Document:
    return parse_source(read_source(YEARBOOKS / name))


def chapters(document: Document) -> list[tuple[str | None, int, str]]:
    return [(c.title, c.line_start, c.attributes.found_by) for c in document.nodes(NodeKind.CHAPTER)]


def sections(document: Document) -> list[str | None]:
    return [s.title for s in document.nodes(NodeKind.SECTION)]


def entries(document: Document) -> list[tuple[str | None, int | None, list[str]]]:
    return [(e.title, e.page, e.attributes.contributors) for e in document.nodes(NodeKind.ENTRY)]


def codes(document: Document) -> list[str]:
    return [warning.code for warning in document.warnings]


def test_contents_and_dash_footers() -> None:
    document = parse("contents_dash_footers.txt")
    assert (document.volume.title, document.volume.year) == ("青石县年鉴 2023", 2023)
    assert document.volume.attributes["layout"]["profile"] == "printed"
    assert chapters(document) == [
        ("特载", 14, "contents+title"),
        ("大事记", 22, "contents+title"),
        ("县情概览", 29, "contents+title"),
        ("经济管理", 40, "contents+title"),
        ("附录", 50, "contents+title"),
    ]
    assert [(c.page, c.page_end) for c in document.nodes(NodeKind.CHAPTER)] == [(1, 1), (2, 2), (3, 4), (5, 6), (7, 7)]
    assert sections(document) == ["自然地理", "人口", "财政", "统计"]
    assert entries(document) == [
        ("位置面积", 3, ["吴平"]),
        ("气候", 3, ["吴平"]),
        ("人口总量", 4, ["陈小雨"]),
        ("人口结构", 4, ["陈小雨"]),
        ("财政收入", 5, ["郑远"]),
        ("财政支出", 5, ["郑远"]),
        ("统计调查", 6, ["林杉"]),
    ]
    (speech,) = document.nodes(NodeKind.ARTICLE)
    assert (speech.title, speech.attributes.byline, speech.page) == (
        "在青石县经济工作会议上的讲话",
        ["（2022年12月26日）", "县长周明远"],
        1,
    )
    (communique,) = document.nodes(NodeKind.APPENDIX)
    assert (communique.title, communique.attributes.byline) == (
        "青石县2022年国民经济和社会发展统计公报",
        ["青石县统计局"],
    )
    assert [(e.attributes.date, e.text) for e in document.nodes(NodeKind.EVENT)] == [
        ("2022-01-03", "青石县第十八届人民代表大会第二次会议开幕。"),
        ("2022-01-03", "县城东环路建成通车。"),
        ("2022-02-14", "县人民医院新门诊楼投入使用。"),
    ]
    assert document.volume.attributes["pages"] == [1, 2, 3, 4, 5, 6, 7]
    assert codes(document) == []


def test_headings_only() -> None:
    document = parse("headings_only.txt")
    assert chapters(document) == [
        ("大事记", 3, "title"),
        ("镇情概况", 10, "title"),
        ("农村经济", 19, "title"),
        ("教育", 27, "title"),
    ]
    assert sections(document) == ["自然地理", "行政区划", "综述", "种植业", "基础教育"]
    assert entries(document) == [
        ("区位", None, ["何田"]),
        ("地貌", None, ["何田"]),
        ("村级建置", None, ["何田"]),
        ("概况", None, ["孔明"]),
        ("水稻生产", None, ["孔明"]),
        ("蔬菜基地", None, ["孔明"]),
        ("学校概况", None, ["宋佳"]),
        ("教师队伍", None, ["宋佳"]),
    ]
    assert [e.attributes.date for e in document.nodes(NodeKind.EVENT)] == ["2021-03-08", "2021-03-08", "2021-09-20"]
    assert document.volume.attributes["pages"] == []
    assert codes(document) == ["pages_unknown"]


def test_square_brackets_and_dot_footers() -> None:
    document = parse("square_brackets_dot_footers.txt")
    assert (document.volume.title, document.volume.year) == ("临河区年鉴 2023", 2023)
    assert chapters(document) == [("区情概览", 8, "title"), ("经济管理", 18, "title"), ("社会生活", 25, "title")]
    assert sections(document) == ["自然地理", "人口民族", "综述", "市场监管", "综述"]
    assert entries(document) == [
        ("地理位置", None, ["罗兰"]),
        ("气候特征", None, ["罗兰"]),
        ("户籍人口", 2, ["罗兰"]),
        ("经济运行", 3, ["邓志强"]),
        ("市场主体", 3, ["邓志强"]),
        ("民生保障", 4, ["邓志强"]),
    ]
    assert {e.attributes.marker for e in document.nodes(NodeKind.ENTRY)} == {"[]"}
    (notes,) = document.nodes(NodeKind.EDITORIAL_NOTES)
    assert notes.attributes.declared == {"chapters": 3, "sections": 5, "entries": 6}
    # The counts the 凡例 declares are met, so no warning about them; page 1's first lines precede any footer.
    assert document.volume.attributes["pages"] == [1, 2, 3, 4]
    assert codes(document) == ["pages_partial"]


def test_symbol_markers_and_page_word_footers() -> None:
    document = parse("symbol_markers_page_word_footers.txt")
    assert chapters(document) == [("工业", 3, "title"), ("交通运输", 11, "title")]
    assert sections(document) == ["综述", "新兴产业", "公路"]
    assert [(e.title, e.page, e.text) for e in document.nodes(NodeKind.ENTRY)] == [
        ("工业运行", None, "2020年，全市规模以上工业增加值增长6.1%，工业用电量增长7.4%。"),
        ("重点项目", None, "新开工亿元以上工业项目18个，完成投资42亿元。"),
        ("电子信息", None, "电子信息产业产值突破100亿元。"),
        ("公路建设", 13, "新改建农村公路156千米，实现建制村通硬化路。"),
        ("城市公交", 13, "新增新能源公交车80辆，开通公交线路5条。"),
    ]
    assert document.volume.attributes["layout"]["footers"] == ["page_word"]
    assert document.volume.attributes["pages"] == [12, 13]
    assert codes(document) == ["pages_partial"]


def test_title_line_entries() -> None:
    document = parse("title_line_entries.txt")
    assert document.volume.attributes["layout"]["entry_markers"] == ["title line"]
    assert chapters(document) == [("县情概览", 3, "title"), ("教育", 13, "title")]
    assert sections(document) == ["自然地理", "人口", "基础教育"]
    assert [(e.title, e.text) for e in document.nodes(NodeKind.ENTRY)] == [
        ("位置面积", "南湖县位于示例省中部，总面积2150平方千米，辖8镇4乡。"),
        ("气候", "南湖县属北亚热带湿润气候，四季分明，雨量充沛。"),
        ("人口总量", "2021年末，全县户籍人口52.3万人，常住人口47.8万人。"),
        ("学前教育", "全县有幼儿园96所，在园幼儿1.4万人。"),
        ("义务教育", "全县有小学64所、初中22所，义务教育巩固率99.6%。"),
    ]
    assert codes(document) == ["pages_unknown"]


def test_an_excerpt_of_entries_is_still_a_yearbook() -> None:
    document = parse("excerpt_entries.txt")
    assert (document.volume.kind, document.volume.title) == ("yearbook", "excerpt_entries")
    assert document.nodes(NodeKind.CHAPTER) == []
    assert [child.kind for child in document.root.children] == [NodeKind.ENTRY] * 3
    assert entries(document) == [
        ("旅游接待", None, ["钱程"]),
        ("景区建设", None, ["钱程"]),
        ("乡村旅游", None, ["钱程"]),
    ]
    assert (
        document.nodes(NodeKind.ENTRY)[1].text
        == "云台山景区完成游客中心改造，新建停车位1200个，景区道路拓宽工程同步完工。"
    )
    assert codes(document) == ["pages_unknown", "chapters_unknown"]
    assert document.volume.attributes["coverage"].to_dict() == {
        "lines": 5,
        "structured": 5,
        "untitled": 0,
        "read_as_facts": 0,
        "furniture": 0,
        "share": 1.0,
        "counts": {"entries": 3},
    }


def test_editorial_notes_alone() -> None:
    document = parse("fanli_only.txt")
    assert (document.volume.kind, document.volume.title) == ("yearbook", "凡例")
    (front,) = document.root.children
    (notes,) = front.children
    assert (notes.kind, notes.title, notes.line_start, notes.line_end) == (NodeKind.EDITORIAL_NOTES, "凡例", 1, 6)
    assert notes.attributes.declared == {
        "chapters": 28,
        "sections": 186,
        "entries": 1240,
        "tables": 15,
        "pictures": 210,
    }
    assert codes(document) == ["pages_unknown", "front_matter_only"]


# ---------------------------------------------------------------- the sample stripped of its furniture


def _variant(strip_bookmarks: bool, strip_page_marks: bool) -> Document:
    lines = YEARBOOK_PATH.read_text(encoding="utf-8").split("\n")
    if strip_bookmarks:
        lines = [line for line in lines if not line.startswith("\t")]
    if strip_page_marks:
        lines = [line.lstrip(" ") for line in lines]
    return parse_source(decode_source("\n".join(lines).encode(), "variant.txt"))


def _counts(document: Document) -> tuple[int, int, int, int, int]:
    entries = document.nodes(NodeKind.ENTRY)
    return (
        len(document.nodes(NodeKind.CHAPTER)),
        len(entries),
        sum(1 for e in entries if e.attributes.profile),
        len(document.nodes(NodeKind.EVENT)),
        len(document.volume.attributes["pages"]),
    )


def _starts(document: Document) -> set[int]:
    return {c.line_start for c in document.nodes(NodeKind.CHAPTER)}


def test_without_the_bookmark_list_every_chapter_is_found_from_the_text(yearbook: Document) -> None:
    document = _variant(strip_bookmarks=True, strip_page_marks=False)
    assert document.volume.attributes["layout"]["profile"] == "ebook"
    assert _counts(document) == (40, 1525, 27, 193, 371)
    assert _starts(document) == _starts(yearbook)
    found_by = sorted(c.attributes.found_by for c in document.nodes(NodeKind.CHAPTER))
    assert {reason: found_by.count(reason) for reason in set(found_by)} == {
        "title": 22,
        "late_title": 1,
        "overview": 4,
        "overview+running_header": 2,
        "chronicle": 1,
        "after_people": 1,
        "banner": 8,
        "banner+running_header": 1,
    }
    untitled = [c.line_start for c in document.nodes(NodeKind.CHAPTER) if c.title is None]
    assert len(untitled) == 14


def test_without_page_marks_the_bookmark_list_still_places_every_chapter(yearbook: Document) -> None:
    document = _variant(strip_bookmarks=False, strip_page_marks=True)
    assert _counts(document) == (40, 1525, 27, 193, 50)
    assert [c.title for c in document.nodes(NodeKind.CHAPTER)] == [c.title for c in yearbook.nodes(NodeKind.CHAPTER)]
    # 体育 starts at its title line instead of the running header above it; 县市区 is placed one section early.
    assert _starts(yearbook) - _starts(document) == {53631, 56755}
    assert _starts(document) - _starts(yearbook) == {53634, 56356}
    assert [w.code for w in document.warnings] == ["pages_partial", "article_without_title", "declared_count_differs"]


def test_without_either_the_text_alone_gives_what_it_shows() -> None:
    document = _variant(strip_bookmarks=True, strip_page_marks=True)
    # Chapters that open with only a section heading on a banner page cannot be seen without page marks.
    assert _counts(document) == (32, 1525, 27, 193, 28)
    assert [w.message for w in document.warnings if w.code == "declared_count_differs"][0] == (
        "the editorial notes declare 40 类目; 32 chapters were found"
    )


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize("path", sorted(YEARBOOKS.glob("*.txt")), ids=lambda path: path.stem)
def test_every_yearbook_layout_is_detected_as_a_yearbook(path: Path) -> None:
    assert detect_kind(read_source(path)) == "yearbook"


def test_detection_of_the_other_kinds() -> None:
    assert detect_kind(read_source(YEARBOOK_PATH)) == "yearbook"
    assert detect_kind(read_source(GAZETTE_PATH)) == "gazette"
    assert {detect_kind(read_source(path)) for path in GOV_DOCS.glob("*.txt")} == {"document"}
    assert {detect_kind(read_source(path)) for path in (FIXTURES / "chronicles").glob("*.txt")} == {"chronicle"}


# Files among the fixtures that are no Chinese text at all: notes in English, JSON.
NOT_TEXTS = [
    FIXTURES / "other-places" / "MANIFEST.md",
    FIXTURES / "gov-docs" / "MANIFEST.md",
    FIXTURES / "appointments" / "MANIFEST.md",
    FIXTURES / "rules" / "MANIFEST.md",
    FIXTURES / "check" / "sample_conflicts.json",
    FIXTURES / "questions" / "sample.jsonl",
]


@pytest.mark.parametrize("path", NOT_TEXTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_text_that_is_not_chinese_is_not_understood_and_says_so(path: Path) -> None:
    document, facts = build_document(path)
    volume = document.volume
    assert (volume.kind, volume.title, volume.attributes["not_understood"]) == ("document", path.stem, True)
    assert {node.kind for node in document.root.children} == {NodeKind.PARAGRAPH}
    assert all(node.title is None for node in document.root.children)
    coverage = volume.attributes["coverage"]
    assert (coverage.share, coverage.structured, coverage.untitled) == (0.0, 0, coverage.lines)
    assert facts == []
    assert [warning.code for warning in volume.attributes["warnings"]] == ["text_not_understood"]


def test_an_english_note_quoting_年鉴_is_not_a_yearbook() -> None:
    """The QA case: the other-places MANIFEST was a yearbook "100% understood" as one untitled article."""
    document, _ = build_document(FIXTURES / "other-places" / "MANIFEST.md")
    coverage = document.volume.attributes["coverage"]
    assert (coverage.lines, coverage.counts) == (45, {"paragraphs": 11})
    assert [str(warning) for warning in document.volume.attributes["warnings"]] == [
        "the text was not understood: only 15% of its letters are Chinese characters, and fangzhi reads Chinese "
        "yearbooks, gazettes, chronicles and official documents; its lines are kept as untitled paragraphs"
    ]
    forced = parse_source(read_source(FIXTURES / "other-places" / "MANIFEST.md"), kind="document")
    assert forced.volume.attributes.get("not_understood") is None


def test_every_chinese_fixture_is_understood() -> None:
    texts = [path for path in sorted(FIXTURES.rglob("*")) if path.suffix in (".txt", ".md") and path not in NOT_TEXTS]
    assert len(texts) == 96
    assert [path.name for path in texts if not measure_kind(read_source(path)).understood] == []


def test_a_text_that_names_itself_a_yearbook_but_holds_none_is_read_as_a_document(tmp_path: Path) -> None:
    news = tmp_path / "news.txt"
    news.write_text(
        "《示例市年鉴2023》出版发行\n\n"
        "近日，由示例市地方史志办公室编纂的《示例市年鉴2023》正式出版发行。该书全面记录了2022年示例市经济社会发展情况。\n"
        "全书共设类目30个、分目200个、条目1500条，收录图片300余幅，约120万字。\n"
        "年鉴的出版，为社会各界了解示例市提供了翔实的资料。\n",
        encoding="utf-8",
    )
    assert measure_kind(read_source(news)).kind == "yearbook"
    document, _ = build_document(news)
    assert (document.volume.kind, document.volume.title) == ("document", "《示例市年鉴2023》出版发行")
    assert [(node.kind, node.line_start) for node in document.root.children] == [
        (NodeKind.PARAGRAPH, 1),
        (NodeKind.PARAGRAPH, 3),
        (NodeKind.PARAGRAPH, 4),
        (NodeKind.PARAGRAPH, 5),
    ]
    assert document.volume.attributes["coverage"].share == 0.0
    assert [warning.code for warning in document.volume.attributes["warnings"]] == ["kind_not_found", "low_coverage"]
    # Read as a yearbook on request, the untitled piece is still no article: its lines stay untitled paragraphs.
    forced = parse_source(read_source(news), kind="yearbook")
    assert forced.nodes(NodeKind.ARTICLE) == []
    assert (forced.volume.attributes["coverage"].share, codes(forced)) == (
        0.0,
        ["pages_unknown", "chapters_unknown", "lines_unread"],
    )


# ---------------------------------------------------------------- overrides and nothing lost


def test_kind_and_year_overrides() -> None:
    text = "2023年大事记\n1月\n5日 示例县召开经济工作会议。\n8日 示例大桥通车。\n"
    forced = parse_source(decode_source(text.encode(), "chronicle.txt"), kind="chronicle")
    assert forced.volume.kind == "chronicle"
    assert [event.attributes.date for event in forced.nodes(NodeKind.EVENT)] == ["2023-01-05", "2023-01-08"]
    yearbook = parse_source(read_source(YEARBOOKS / "headings_only.txt"), year=2031)
    assert (yearbook.volume.year, yearbook.volume.attributes["recorded_year"]) == (2031, 2030)
    assert [event.attributes.date for event in yearbook.nodes(NodeKind.EVENT)] == [
        "2030-03-08",
        "2030-03-08",
        "2030-09-20",
    ]
    with pytest.raises(InputError, match="unknown kind 'novel'"):
        parse_source(read_source(YEARBOOKS / "headings_only.txt"), kind="novel")


def test_a_file_holding_the_yearbook_twice_is_read_once_and_says_so(yearbook: Document) -> None:
    text = YEARBOOK_PATH.read_bytes()
    document = parse_source(decode_source(text + text, "twice.txt"))
    assert _counts(document) == (40, 1525, 27, 193, 371)
    (repeat,) = [warning for warning in document.warnings if warning.code == "text_repeated"]
    assert repeat.message == (
        "lines 65144–130285 repeat the text from line 1 on (the file holds it twice?); "
        "they are kept as source lines but not read again"
    )
    assert [(item.kind, item.line_start, item.line_end) for item in document.furniture][-1:] == [
        ("repeated_copy", 65144, 130285)
    ]
    assert len(document.source) == 2 * len(yearbook.source)


def test_lines_no_reader_took_are_kept_and_reported() -> None:
    source = decode_source("甲乙丙丁。\n\n戊己庚辛。\n".encode(), "loose.txt")
    document = Document(
        volume=Volume.of_source("loose", "document", source, "loose"),
        source=source,
        root=Node(kind=NodeKind.VOLUME, title=None, line_start=1, line_end=3),
    )
    document.root.add(Node(kind=NodeKind.PARAGRAPH, title=None, line_start=3, line_end=3, text="戊己庚辛。"))
    account_for_every_line(document)
    assert [(n.kind, n.line_start, n.text) for n in document.root.children] == [
        (NodeKind.PARAGRAPH, 1, "甲乙丙丁。"),
        (NodeKind.PARAGRAPH, 3, "戊己庚辛。"),
    ]
    assert document.warnings == [
        ParseWarning(
            "lines_unread",
            "1 line was not recognised as part of any structure; it is kept as an untitled paragraph",
            1,
        )
    ]


def test_a_table_row_is_never_a_title_and_a_markdown_heading_is_one_without_its_marks() -> None:
    table = "| 文件 | 文号 |\n|---|---|\n| 关于印发示例办法的通知 | 示政〔2023〕1号 |\n"
    assert parse_source(decode_source(table.encode(), "documents.md")).volume.title == "documents"
    heading = "## 会议纪要\n\n今天讨论了三件事情，大家意见一致。\n"
    assert parse_source(decode_source(heading.encode(), "notes.md")).volume.title == "会议纪要"


def test_a_title_is_never_a_sentence_or_a_pipe() -> None:
    text = "|\n\n今天讨论了三件事情，大家意见一致。\n\n下次会议时间另行通知。\n"
    document = parse_source(decode_source(text.encode(), "meeting-notes.txt"))
    assert (document.volume.kind, document.volume.title) == ("document", "meeting-notes")
    titled = parse_source(decode_source(("|\n会议纪要\n" + text).encode(), "notes.txt"))
    assert titled.volume.title == "会议纪要"


def test_a_sentence_ending_in_an_ascii_full_stop_is_not_a_title() -> None:
    text = "决定免去卢炳椿泉州市人民政府副市长职务.\n\n会议还审议通过有关事项.\n"
    assert parse_source(decode_source(text.encode(), "renmian.txt")).volume.title == "renmian"
    titled = parse_source(decode_source(("数字政府2.0建设方案\n\n" + text).encode(), "plan.txt"))
    assert titled.volume.title == "数字政府2.0建设方案"
