"""Chronicles from other places and in other layouts, read as whole files (kind ``chronicle``).

tests/fixtures/other-places/chronicles/ holds six government 大事记 pages
(sources in tests/fixtures/other-places/MANIFEST.md), damaged as received;
tests/fixtures/chronicles/ holds hand-made layouts with invented content.
Every event is asserted: (date, date_end, precision, first characters of text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from fangzhi.model import Document, Node, NodeKind, ParseWarning
from fangzhi.parse import detect_kind, parse_source
from fangzhi.parse.chronicle import chronicle_evidence, chronicle_runs
from fangzhi.parse.web_furniture import read_furniture
from fangzhi.text.source import decode_source, read_source

OTHER = FIXTURES / "other-places" / "chronicles"
MADE = FIXTURES / "chronicles"

Row = tuple[str | None, str | None, str, str]


def _parse(path: Path, year: int | None = None) -> Document:
    return parse_source(read_source(path), year=year)


def _events(document: Document) -> list[Node]:
    return [node for node, _ in document.walk() if node.kind == NodeKind.EVENT]


def _rows(document: Document, width: int = 12) -> list[Row]:
    return [
        (event.attributes.date, event.attributes.date_end, event.attributes.precision, event.text[:width])
        for event in _events(document)
    ]


def test_conghua_day_lines_with_photo_captions() -> None:
    document = _parse(OTHER / "conghua-guangzhou_2022_dashiji-yiyue.txt")
    assert (document.volume.kind, document.volume.title, document.volume.year) == (
        "chronicle",
        "二〇二二年一月从化大事记",
        2022,
    )
    assert _rows(document) == [
        ("2022-01-07", None, "day", "从化区第三届人大常委会第"),
        ("2022-01-08", None, "day", "以“科技引领砥‘荔’前行"),
        ("2022-01-11", None, "day", "广州市从化区法律志愿驿站"),
        ("2022-01-14", None, "day", "从化区政协第三届常委会第"),
    ]
    captions = [node for node, _ in document.walk() if node.kind == NodeKind.CAPTION]
    # The second caption misdates its photo (2021年1月11日); being a caption, it moves no date.
    assert [(caption.line_start, caption.text[:10]) for caption in captions] == [
        (14, "2022年1月8日,"),
        (20, "2021年1月11日"),
    ]
    assert document.volume.attributes["furniture"]["published"] == "2022-03-29 17:52"
    assert document.volume.attributes["furniture_lines"] == [1, 2, 6, 12, 18]


def test_huancui_day_alone_on_its_line_and_ranges() -> None:
    document = _parse(OTHER / "huancui-weihai_2020_dashi-yaolan-yiyue.txt")
    assert document.volume.title == "2020年1月大事要览"
    assert _rows(document) == [
        ("2020-01-01", None, "day", "“中国体育彩票”2020"),
        ("2020-01-06", None, "day", "市委副书记张宏伟到竹岛街"),
        ("2020-01-07", None, "day", "环翠区花园中路、宫松岭路"),
        ("2020-01-09", None, "day", "北京北大医疗医院管理有限"),
        ("2020-01-10", None, "day", "环翠区开展以“不忘初心1"),
        ("2020-01-11", None, "day", "环翠区召开全区老干部情况"),
        ("2020-01-12", None, "day", "环翠区在威海宾馆召开“不"),
        ("2020-01-13", "2020-01-14", "day", "中国人民政治协商会议第十"),
        ("2020-01-14", "2020-01-15", "day", "威海市环翠区第十八届人民"),
    ]
    assert [event.attributes.date_as_printed for event in _events(document)][-2:] == ["13日—14日", "14日—15日"]


def test_kaifu_quarter_title_and_bare_month_heading() -> None:
    document = _parse(OTHER / "kaifu-changsha_2021_gazette-no3_quzhengfu-dashiji-q3.txt")
    chronicle = document.root.children[0]
    assert (chronicle.title, chronicle.attributes.group_title) == ("2021年7-9月区政府大事记", "区政府工作大事记")
    assert [month.title for month in chronicle.children] == ["7月"]
    assert _rows(document) == [
        ("2021-07-01", None, "day", "在全市防汛视频调度会议后"),
        ("2021-07-02", None, "day", "开福区委副书记、代区长高"),
        ("2021-07-05", None, "day", "开福区委副书记、代区长高"),
        ("2021-07-06", None, "day", "开福区召开区级领导干部学"),
        ("2021-07-08", None, "day", "开福区委副书记、代区长高"),
        ("2021-07-12", None, "day", "开福区委副书记、代区长高"),
        ("2021-07-13", None, "day", "开福区委副书记、代区长高"),
    ]


def test_luohu_month_only_entries_and_ascii_ranges() -> None:
    document = _parse(OTHER / "luohu-shenzhen_2023_dashiji-siyue.txt")
    assert document.volume.title == "大事记-2023年4月"
    assert _rows(document) == [
        ("2023-04", None, "month", "罗湖区紧抓法治先行示范城"),
        ("2023-04", None, "month", "罗湖区东晓街道、南湖街道"),
        ("2023-04", None, "month", "罗湖区组织开展2023年"),
        ("2023-04-07", None, "day", "罗湖区与潮州市潮安区签订"),
        ("2023-04-09", None, "day", "教育部举办第八届中国国际"),
        ("2023-04-10", "2023-04-15", "day", "罗湖区选手分别在广东省第"),
        ("2023-04-12", None, "day", "罗湖区召开工商联执委会议"),
        ("2023-04-12", "2023-04-13", "day", "罗湖区在香港接连举办两场"),
    ]


def test_zhangye_2008_needs_its_year_and_keeps_unmarked_same_day_events() -> None:
    path = OTHER / "zhangye_2008_gazette-no4_dashiji-siyue.txt"
    undated = _parse(path)
    assert {event.attributes.date for event in _events(undated)} == {None}
    assert undated.warnings == [
        ParseWarning("chronicle_no_year", "11 events have no year: the text names none; give it with --year", 1)
    ]
    assert undated.volume.title == "zhangye_2008_gazette-no4_dashiji-siyue"
    assert _rows(_parse(path, year=2008)) == [
        ("2008-04-01", None, "day", "栾克军主持召开肃南县皇城"),
        ("2008-04-03", None, "day", "市上召开领导干部大会,市"),
        ("2008-04-04", None, "day", "省委常委、组织部长侯长安"),
        ("2008-04-05", None, "day", "陈克恭、栾克军、吴雄成专"),
        ("2008-04-05", None, "day", "陈克恭、栾克军、吴雄成、"),
        ("2008-04-06", None, "day", "陈克恭、栾克军、吴雄成、"),
        ("2008-04-08", None, "day", "市残疾人联合会第四次代表"),
        ("2008-04-09", None, "day", "栾克军、王军、王立泰、杨"),
        ("2008-04-10", None, "day", "全市国土资源工作会议召开"),
        ("2008-04-10", None, "day", "全市统计工作会议召开,张"),
        ("2008-04-11", None, "day", "王军、王希珍、陈义、崔"),
    ]


def test_zhangye_2024_bracketed_month_and_triangle_events() -> None:
    document = _parse(OTHER / "zhangye_2024_gazette-no7_shizhengfu-gongzuo-yaoshiji.txt")
    assert document.volume.title == "市政府工作要事记"
    assert [month.title for month in document.root.children[0].children] == ["(2024年5月)"]
    assert _rows(document) == [
        ("2024-05-01", None, "day", "我市在高台县举行重温习近"),
        ("2024-05-01", None, "day", "第二届甘肃省分析测试技术"),
        ("2024-05-02", None, "day", "张掖市整改中央生态环保督"),
        ("2024-05-02", None, "day", "卢小亨主持召开市级领导招"),
        ("2024-05-02", None, "day", "全市紧密型县域"),
    ]


@pytest.mark.parametrize("path", sorted(OTHER.glob("*.txt")) + sorted(MADE.glob("*_*_*.*")), ids=lambda p: p.name)
def test_every_chronicle_file_is_detected_as_one(path: Path) -> None:
    assert detect_kind(read_source(path)) == "chronicle"


def test_markdown_city_chronicle_with_year_headings() -> None:
    document = _parse(MADE / "markdown_city_1985_1990.md")
    chronicle = document.root.children[0]
    assert document.volume.title == "示例市志·大事记（1985—1990年）"
    assert document.volume.year is None  # six years, none of them the volume's
    assert chronicle.attributes.years == [1985, 1986, 1987, 1988, 1989, 1990]
    assert [(year.kind, year.title) for year in chronicle.children] == [
        (NodeKind.YEAR, f"{year}年") for year in range(1985, 1991)
    ]
    assert _rows(document) == [
        ("1985-01-09", None, "day", "示例市人民政府成立，市政"),
        ("1985-03-15", None, "day", "示例市第一届人民代表大会"),
        ("1985", None, "year", "全市工农业总产值12.3"),
        ("1986-02-03", None, "day", "市第一座立交桥动工兴建，"),
        ("1986-04", None, "month", "全市开展爱国卫生运动月活"),
        ("1986-05-16", "1986-05-22", "day", "全市举办首届科技活动周。"),
        ("1986-12-05", None, "day", "市图书馆新馆开馆。\n12"),
        ("1987-03-01", None, "day", "市区开始实行夏时制。"),
        ("1987-03", None, "month", "市区供水管网改造完成。"),
        ("1987-10-29", "1987-11-01", "day", "示例市商品交易会举办。"),
        ("1988-01", None, "month", "撤销示例县，设立示例市郊"),
        ("1988-06-20", None, "day", "示例市城市总体规划经省政"),
        ("1988-07-20", None, "day", "全市普降暴雨。"),
        ("1989-03-31", "1989-04-02", "day", "全省农业工作会议在示例市"),
        ("1989-04-10", None, "day", "示例市第一座污水处理厂建"),
        ("1989-04", None, "month", "全市春耕生产全面展开。"),
        ("1990-09", None, "month", "示例市被评为省级卫生城市"),
        ("1990", None, "year", "全市地区生产总值突破30"),
    ]
    events = _events(document)
    # The follow-up 5日下午 belongs to the 3月15日 entry; the page anchor and the lone | are furniture.
    assert events[1].text.endswith("\n5日下午，大会闭幕。")
    assert (events[1].line_start, events[1].line_end) == (11, 13)
    statistics = [node for node in document.nodes(NodeKind.PARAGRAPH) if node.attributes.role == "statistics"]
    assert [(node.line_start, node.text[:8]) for node in statistics] == [(19, "全年粮食总产45")]
    assert document.volume.attributes["furniture_lines"] == [1, 5, 15, 29]


def test_multi_year_chronicle_carries_printed_years_and_warns_on_month_order() -> None:
    document = _parse(MADE / "yiyuan_multi_year.txt")
    assert [year.title for year in document.root.children[0].children] == ["一九八五年", "一九八六年", "一九八八年"]
    assert _rows(document, 8) == [
        ("1985-01-09", None, "day", "县人民政府召开全"),
        ("1985-02-03", None, "day", "县城自来水厂建成"),
        ("1985-04", None, "month", "全县开展植树造林"),
        ("1985", None, "year", "全县粮食总产量首"),
        ("1986-01-05", None, "day", "县第十届人民代表"),
        ("1986-01-05", None, "day", "县政协第五届委员"),
        ("1986-01-06", None, "day", "县人大常委会召开"),
        ("1986-03", None, "month", "全县春季物资交流"),
        ("1986-03", None, "month", "县电视转播台建成"),
        ("1986-11", None, "month", "县农业银行成立。"),
        ("1986-02-08", None, "day", "县城举办春节游园"),
        ("1987-03-12", None, "day", "县人民医院门诊大"),
        ("1987-07", None, "month", "县境遭受特大洪水"),
        ("1988", None, "year", "县城主要街道完成"),
    ]
    out_of_order = _events(document)[10]
    assert out_of_order.attributes.warnings == [
        ParseWarning("month_order", "'2月8日' comes after month 11 with no new year; check the year", 29)
    ]
    (statistics,) = [node for node in document.nodes(NodeKind.PARAGRAPH) if node.attributes.role == "statistics"]
    assert statistics.line_start == 5


def test_day_headings_with_markers_and_chinese_month_headings() -> None:
    document = _parse(MADE / "day_headings_markers.txt")
    assert [month.title for month in document.root.children[0].children] == ["一月", "二月", "十二月"]
    assert _rows(document, 8) == [
        ("2021-01-01", None, "day", "市委召开常委会议"),
        ("2021-01-01", None, "day", "市政府召开全市安"),
        ("2021-01-07", "2021-01-08", "day", "中国共产党示例市"),
        ("2021-01-15", None, "day", "全市脱贫攻坚总结"),
        ("2021-01", None, "month", "全市开展节前安全"),
        ("2021-02-03", None, "day", "市委书记主持召开"),
        ("2021-02-03", None, "day", "市政府召开常务会"),
        ("2021-02-28", "2021-03-02", "day", "全省文化旅游推介"),
        ("2021-12-21", None, "day", "全市冬季征兵工作"),
    ]


def test_ascii_damaged_page() -> None:
    document = _parse(MADE / "ascii_damaged.txt")
    assert document.volume.title == "2023年3月示例区大事记"
    assert _rows(document, 8) == [
        ("2023-03-01", None, "day", "区委召开常委会("),
        ("2023-03-03", None, "day", "区政府召开第12"),
        ("2023-03-08", None, "day", '全区庆祝"三八"'),
        ("2023-03-14", "2023-03-16", "day", "区人大常委会组织"),
        ("2023-03-20", "2023-03-22", "day", "区政协召开十届二"),
        ("2023-03-31", None, "day", "全区一季度经济运"),
    ]


def test_year_comes_from_the_text_before_the_year_given() -> None:
    text = "2019年大事记\n\n3月\n\n5日 全市植树节活动启动。\n\n12日 市政府召开常务会议。\n\n20日 全市春耕动员会召开。\n"
    source = decode_source(text.encode(), "chronicle.txt")
    document = parse_source(source, kind="chronicle", year=2024)
    assert [event.attributes.date for event in _events(document)] == ["2019-03-05", "2019-03-12", "2019-03-20"]


def test_evidence_and_runs_inside_a_longer_text() -> None:
    lines = [
        "某镇概况",
        "某镇位于县境东部，辖12个行政村，总面积86平方公里。",
        "镇域交通便利，省道穿境而过，是全县重要的农产品集散地。",
        "大事记",
        "1992年3月 撤乡建镇。",
        "1995年6月8日 镇自来水厂建成供水。",
        "1998年 全镇实现村村通公路。",
        "2003年10月 镇中心小学新教学楼落成。",
        "人口",
        "2020年末，全镇户籍人口3.2万人，常住人口2.9万人，城镇化率为41%。",
        "镇内有汉、回、满等民族，以汉族为主，少数民族人口约占百分之二。",
        "全镇劳动力资源充足，外出务工人员约6000人。",
    ]
    source = decode_source("\n".join(lines).encode(), "town.txt")
    # One paragraph led by a day, four by a year or month (one of them 2020年末, in the 人口 section).
    assert chronicle_evidence(source) == pytest.approx((1 + 4 * 0.75) / 12)
    assert detect_kind(source) == "document"
    assert chronicle_runs(source, range(1, len(source) + 1)) == [(4, 8)]
    document = parse_source(source)
    (chronicle,) = [node for node in document.root.children if node.kind == NodeKind.CHRONICLE]
    assert chronicle.title == "大事记"
    assert _rows(document, 6) == [
        ("1992-03", None, "month", "撤乡建镇。"),
        ("1995-06-08", None, "day", "镇自来水厂建"),
        ("1998", None, "year", "全镇实现村村"),
        ("2003-10", None, "month", "镇中心小学新"),
    ]
    assert document.volume.title == "某镇概况"


def test_county_chronicle_with_reign_years_and_seasons() -> None:
    document = _parse(MADE / "county_era_years.txt")
    assert _rows(document, 7) == [
        ("1900", None, "year", "县境大旱，颗粒"),
        ("1937-07-07", None, "day", "卢沟桥事变爆发"),
        ("1949-10-01", None, "day", "县城各界群众集"),
        ("1949-11", None, "month", "县人民政府成立"),
        ("1950-03-05", None, "day", "全县开始土地改"),
        ("1950", None, "year", "全县粮食总产2"),
        ("1951", None, "year", "全县开展爱国卫"),
        ("1951-06", None, "month", "县第一届各界人"),
    ]
    assert [event.attributes.date_as_printed for event in _events(document)][:2] == [
        "清光绪二十六年（1900年）",
        "民国26年（1937年）7月7日",
    ]


def test_town_chronicle_as_a_markdown_table() -> None:
    document = _parse(MADE / "town_table_markdown.md")
    assert (document.volume.kind, document.volume.title) == ("chronicle", "某镇大事记")
    assert _rows(document, 7) == [
        ("1958-09", None, "month", "成立某某人民公"),
        ("1962-03", None, "month", "恢复某某区建制"),
        ("1984-05", None, "month", "撤社建乡。"),
        ("1992-10-18", None, "day", "撤乡建镇。"),
    ]


def test_wrapped_yearbook_page_with_furniture_and_unpunctuated_events() -> None:
    document = _parse(MADE / "yearbook_wrapped_page.txt", year=2023)
    assert document.root.children[0].attributes.layout == "wrapped"
    assert [(event.attributes.date, event.attributes.date_end, event.text) for event in _events(document)] == [
        ("2023-01-01", None, "市委召开常委会议，研究部署2023年重点工作"),
        ("2023-01-01", None, "市政府召开全市安全生产工作会议"),
        ("2023-01-03", "2023-01-05", "市十五届人大三次会议召开，选举产生新一届市人民政府领导班子"),
        ("2023-01-06", None, "全市优化营商环境大会召开。"),
        ("2023-02-01", None, "市委理论学习中心组集体学习。"),
    ]


def test_cumulative_figures_for_the_months_so_far_are_not_an_event() -> None:
    document = _parse(MADE / "quarter_with_cumulative_figures.txt")
    assert (document.volume.kind, document.volume.year) == ("chronicle", 2023)
    assert _rows(document) == [
        ("2023-10-08", None, "day", "区政府召开第25次常务会"),
        ("2023-10-12", "2023-10-13", "day", "省生态环境厅督导组来区督"),
        ("2023-10-12", "2023-10-13", "day", "区长李某某主持召开防汛工"),
        ("2023-10", None, "month", "全区开展秋季植树活动。"),
        ("2023-11-01", None, "day", "区政府与某某集团签订战略"),
        ("2023-11-30", None, "day", "区政府召开全区安全生产工"),
        ("2023-12-06", None, "day", "区政府召开第27次常务会"),
        ("2023-12-31", None, "day", "全区重点项目年度观摩活动"),
    ]
    statistics = [node for node in document.nodes(NodeKind.PARAGRAPH) if node.attributes.role == "statistics"]
    assert [(node.line_start, node.text[:5]) for node in statistics] == [(13, "1—11月")]


def test_pdf_wrapped_page_with_page_numbers_and_running_headers() -> None:
    """环翠 (other-places) as a PDF gives it: lines cut at 30 characters, the metadata line broken in two,
    and ``- 2 -`` with the running header ``某某市人民政府公报`` between a day heading and its event."""
    path = MADE / "pdf_wrapped_running_header.txt"
    furniture = read_furniture(read_source(path))
    assert {line: item.role for line, item in furniture.lines.items() if line > 5} == {
        6: "metadata",
        7: "metadata",
        26: "page_anchor",
        27: "running_header",
        53: "page_anchor",
        54: "running_header",
    }
    assert furniture.fields["source"] == "中国共产党威海市环翠区委员会党史研究中心"
    document = _parse(path)
    assert _rows(document, 10) == [
        ("2020-01-01", None, "day", "“中国体育彩票”20"),
        ("2020-01-06", None, "day", "市委副书记张宏伟到竹"),
        ("2020-01-07", None, "day", "环翠区花园中路、宫松"),
        ("2020-01-09", None, "day", "北京北大医疗医院管理"),
        ("2020-01-10", None, "day", "环翠区开展以“不忘初"),
        ("2020-01-11", None, "day", "环翠区召开全区老干部"),
        ("2020-01-12", None, "day", "环翠区在威海宾馆召开"),
        ("2020-01-13", "2020-01-14", "day", "中国人民政治协商会议"),
        ("2020-01-14", "2020-01-15", "day", "威海市环翠区第十八届"),
    ]


def test_a_wrapped_line_without_punctuation_is_not_the_title() -> None:
    """张掖 2008 (other-places) cut at 30 characters: ``义明、董福寿、…和河西学`` is the middle of an event, and
    the page's running header is furniture; the text prints no title, so the file names the volume."""
    document = parse_source(read_source(MADE / "pdf_wrapped_no_title.txt"), kind="chronicle", year=2008)
    assert document.volume.title == "pdf_wrapped_no_title"
    assert [event.attributes.date for event in _events(document)] == [
        "2008-04-01",
        "2008-04-03",
        "2008-04-04",
        "2008-04-05",
        "2008-04-05",
        "2008-04-06",
        "2008-04-08",
        "2008-04-09",
        "2008-04-10",
        "2008-04-10",
        "2008-04-11",
    ]
    # An unmarked same-day event after a short closed line, also across a page break: as in the unwrapped text.
    assert [event.line_start for event in _events(document)][3:5] == [15, 17]
    assert _events(document)[8].text == "全市国土资源工作会议召开,陈义讲话,王立泰、谈树德、崔义明、吴旭东出席会议。"
    quanzhou = (
        FIXTURES / "other-places" / "appointments" / "quanzhou_2018_rendachangweihui_renmian-mingdan.txt"
    ).read_text()
    lines = [line[i : i + 30] for line in quanzhou.splitlines() for i in range(0, max(len(line), 1), 30)]
    wrapped = parse_source(decode_source("\n".join(lines).encode(), "quanzhou-wrapped.txt"))
    assert wrapped.volume.title == "quanzhou-wrapped"
