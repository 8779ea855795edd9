"""Chronicle date styles other than the seeds', each on a small hand-made fixture in tests/fixtures/chronicles/."""

from __future__ import annotations

from conftest import FIXTURES
from fangzhi.model import Node, NodeKind, ParseWarning
from fangzhi.parse.chronicle import parse_chronicle, year_from_title
from fangzhi.text.source import SourceText, read_source

CHRONICLES = FIXTURES / "chronicles"


def _parse(name: str, year: int | None = 2023) -> Node:
    source = read_source(CHRONICLES / name)
    return parse_chronicle(source, range(1, len(source) + 1), year)


def _rows(root: Node) -> list[tuple[str | None, str | None, str, str, str]]:
    """(date, date_end, precision, date_as_printed, text) of every event in reading order."""
    return [
        (
            node.attributes.date,
            node.attributes.date_end,
            node.attributes.precision,
            node.attributes.date_as_printed,
            node.text,
        )
        for node, _ in root.walk()
        if node.kind == NodeKind.EVENT
    ]


def test_day_alone_on_a_line_heads_events_separated_by_markers() -> None:
    root = _parse("day_headings.txt")
    assert root.title == "2022年大事记"
    assert root.attributes.year == 2022  # the title wins over the year passed in
    assert [month.title for month in root.children] == ["1月", "2月"]
    assert _rows(root) == [
        ("2022-01-01", None, "day", "1日", "市委召开常委会议，研究部署元旦春节期间各项工作。"),
        ("2022-01-01", None, "day", "1日", "市政府召开全市安全生产工作会议。"),
        ("2022-01-07", "2022-01-08", "day", "7～8日", "中国共产党某市第十五次代表大会召开。"),
        ("2022-01-07", "2022-01-08", "day", "7～8日", "市纪委第一次全体会议召开。"),
        ("2022-01-07", "2022-01-08", "day", "是日", "全市冬季运动会开幕。"),
        ("2022-02-15", None, "day", "15日", "元宵节灯会在市民广场举办。"),
    ]
    events = [node for node, _ in root.walk() if node.kind == NodeKind.EVENT]
    assert [(event.line_start, event.line_end) for event in events] == [
        (7, 9),
        (11, 11),
        (15, 17),
        (17, 17),
        (21, 21),
        (27, 27),
    ]


def test_day_heading_with_blank_separated_paragraphs() -> None:
    root = _parse("paragraphs_under_day_heading.txt")
    assert root.attributes.layout == "blank_separated"
    assert _rows(root) == [
        ("2023-03-05", None, "day", "5日", "市人大常委会召开第十次会议，审议通过有关人事任免事项。"),
        ("2023-03-05", None, "day", "5日", "市政府召开全市植树造林动员大会。"),
        ("2023-03-12", None, "day", "12日", "全市开展义务植树活动，共植树120万株。"),
    ]


def test_same_day_next_day_part_of_month_that_month_that_year() -> None:
    assert _rows(_parse("relative_dates.txt")) == [
        ("2023-03-05", None, "day", "5日", "市人大常委会召开第十次会议。"),
        ("2023-03-05", None, "day", "是日", "市政府召开常务会议。"),
        ("2023-03-05", None, "day", "当日", "全市植树节活动启动。"),
        ("2023-03-06", None, "day", "次日", "市委召开理论学习中心组学习会。"),
        ("2023-03-20", "2023-03-22", "day", "20—22日", "全省春季农业生产现场会在本市召开。"),
        ("2023-03-23", None, "day", "次日", "市政协召开主席会议。"),
        ("2023-03", None, "month", "下旬", "全市开展安全生产大检查。"),
        ("2023-03", None, "month", "是月", "全市新增城镇就业1.2万人。"),
        ("2023", None, "year", "是年", "全市地区生产总值突破2000亿元。"),
    ]


def test_ranges_within_and_across_months_and_years() -> None:
    root = _parse("ranges.txt")
    assert all(node.kind == NodeKind.EVENT for node in root.children)
    assert _rows(root) == [
        ("2023-01-20", None, "day", "1月20日", "全市新春招聘会举行。"),
        ("2023-01-31", "2023-02-02", "day", "31—2日", "迎春年货展销会在会展中心举办。"),
        ("2023-05-16", "2023-05-22", "day", "5月16～22日", "全市开展科技活动周。"),
        ("2023-10-29", "2023-11-01", "day", "10月29日至11月1日", "市长率团赴深圳考察招商。"),
        ("2023-12-30", "2024-01-02", "day", "12月30日—2024年1月2日", "迎新年系列文化活动举行。"),
    ]


def test_summary_lines_and_notes_are_not_events() -> None:
    root = _parse("summary_lines.txt", year=None)
    assert root.attributes.year == 2021
    assert root.attributes.summary == "本大事记按时间顺序记载全市年度重要事件，资料由各单位提供。"
    january, february = root.children
    assert january.attributes.summary == "全月全市平均气温偏高，降水偏少。"
    assert january.attributes.notes == ["（市委办公室）"]
    assert _rows(root) == [
        ("2021-01-06", None, "day", "6日", "市委经济工作会议召开。"),
        ("2021-02-08", None, "day", "8日", "市委召开全市作风建设大会，部署2021年作风建设工作。"),
    ]
    assert february.attributes.summary is None


def test_chinese_numerals() -> None:
    root = _parse("chinese_numerals.txt")
    assert root.attributes.year == 2022
    assert [(month.title, month.attributes.month) for month in root.children] == [
        ("十一月", "2022-11"),
        ("十二月", "2022-12"),
    ]
    assert _rows(root) == [
        ("2022-11-03", None, "day", "三日", "市委召开常委会议。"),
        ("2022-12-03", None, "day", "三日", "全市第五次经济普查动员大会召开。"),
        ("2022-12-21", "2022-12-23", "day", "二十一日至二十三日", "市人代会召开。"),
        ("2022-12-21", "2022-12-23", "day", "同日", "市政协会议召开。"),
    ]


def test_impossible_dates_are_kept_with_a_warning() -> None:
    events = [node for node, _ in _parse("invalid_dates.txt").walk() if node.kind == NodeKind.EVENT]
    assert [(event.attributes.date, event.text) for event in events] == [
        (None, "本条日期有误。"),
        (None, "本条继承有误的日期。"),
    ]
    assert events[0].attributes.warnings == [ParseWarning("date_invalid", "invalid date '30日' (2023-2-30)", 2)]
    assert events[1].attributes.warnings == [ParseWarning("date_no_earlier", "'同日' has no earlier date to repeat", 3)]


def test_wrapped_line_starting_with_a_day_stays_in_its_sentence() -> None:
    lines = (
        "5月",
        "",
        "8日 市政府发布通告，自2023年5月",
        "",
        "10日起施行新的交通管理措施。",
        "",
        "同日 全市防汛会议召开。",
    )
    source = SourceText(path="inline", lines=lines, encoding="utf-8", sha256="")
    rows = _rows(parse_chronicle(source, [1, 3, 5, 7], 2023))
    assert rows == [
        ("2023-05-08", None, "day", "8日", "市政府发布通告，自2023年5月10日起施行新的交通管理措施。"),
        ("2023-05-08", None, "day", "同日", "全市防汛会议召开。"),
    ]


def test_year_from_title() -> None:
    assert year_from_title("2023年11—12月大事记") == 2023
    assert year_from_title("二〇二二年大事记") == 2022
    assert year_from_title("平顶山市人民政府大事记") is None


def test_a_whole_file_chronicle_without_any_year_is_kept_undated() -> None:
    """A year-less 是年 once crashed ingest (its month_day had no month); the events stay, undated, with a warning."""
    from fangzhi.knowledge_base import build_document

    document, facts = build_document(CHRONICLES / "relative_dates.txt")
    events = [fact.data for fact in facts if fact.kind == "event"]
    assert [(event["date"], event["precision"], event["date_as_printed"]) for event in events] == [
        (None, "day", "5日"),
        (None, "day", "是日"),
        (None, "day", "当日"),
        (None, "day", "次日"),
        (None, "day", "20—22日"),
        (None, "day", "次日"),
        (None, "month", "下旬"),
        (None, "month", "是月"),
        (None, "year", "是年"),
    ]
    assert [warning.code for warning in document.warnings][:1] == ["chronicle_no_year"]
