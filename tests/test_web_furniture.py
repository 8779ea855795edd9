"""Web and database furniture: recognised, read for what it says, never a title or a paragraph."""

from __future__ import annotations

from conftest import FIXTURES, GOV_DOCS
from fangzhi.parse import parse_source
from fangzhi.parse.web_furniture import clean_line, line_furniture, read_furniture, reading_view
from fangzhi.text.source import read_source

OTHER = FIXTURES / "other-places"


def test_portal_page_head() -> None:
    source = read_source(OTHER / "chronicles" / "conghua-guangzhou_2022_dashiji-yiyue.txt")
    furniture = read_furniture(source)
    assert {line: item.role for line, item in furniture.lines.items()} == {
        1: "share",
        2: "breadcrumb",
        6: "metadata",
        12: "image",
        18: "image",
    }
    assert furniture.breadcrumb == ["首页", "魅力从化", "历史文化", "从化大事记"]
    assert (furniture.page_title, furniture.page_title_line) == ("二〇二二年一月从化大事记", 4)
    assert furniture.fields == {"source": "本网", "published": "2022-03-29 17:52", "image": "图片1.png"}
    assert furniture.published == "2022-03-29"


def test_metadata_with_empty_fields_and_print_buttons() -> None:
    source = read_source(OTHER / "appointments" / "suining_2018_rendachangweihui_daili-shizhang-news.txt")
    furniture = read_furniture(source)
    assert furniture.lines[5].fields == (
        ("source", "遂宁新闻网讯"),
        ("published", "2018-12-26 00:00"),
        ("views", ""),
        ("font", ""),
    )
    assert [furniture.lines[n].role for n in (1, 11)] == ["share", "share"]
    assert furniture.page_title == "市人大常委会决定邓正权为代理市长"


def test_legal_database_header_says_what_it_says() -> None:
    furniture = read_furniture(read_source(GOV_DOCS / "aba_2021_gov_data_management.txt"))
    assert sorted(furniture.lines) == [1, 2]
    assert furniture.fields["citation_code"] == "CLI.12.4792728"
    assert furniture.fields["url"].startswith("https://www.pkulaw.com/lar/")


def test_database_fields_give_the_number_and_the_date() -> None:
    lines = (
        "索引号: 000014349/2022-00012  发文机构: 示例市人民政府",
        "发文字号: 示政发〔2022〕3号  发文日期: 2022-05-06 09:30",
        "标题: 示例市人民政府关于示例事项的通知",
    )
    from fangzhi.text.source import SourceText

    furniture = read_furniture(SourceText("web.txt", lines, "utf-8", ""))
    assert (furniture.doc_no, furniture.date, furniture.title) == (
        "示政发〔2022〕3号",
        "2022-05-06",
        "示例市人民政府关于示例事项的通知",
    )


def test_converter_furniture_lines() -> None:
    assert line_furniture("Original URL: https://example.org/a.html") == (
        "url",
        (("url", "https://example.org/a.html"),),
    )
    assert line_furniture("|")[0] == "table_rule"  # type: ignore[index]
    assert line_furniture("| --- | --- |")[0] == "table_rule"  # type: ignore[index]
    assert line_furniture('<a id="page_12"></a>') == ("page_anchor", (("page", "12"),))
    assert line_furniture("— 12 —") == ("page_anchor", (("page", "12"),))
    assert line_furniture("![图](images/p13.png)")[0] == "image"  # type: ignore[index]
    assert line_furniture("第A1版:要闻")[0] == "site"  # type: ignore[index]
    assert line_furniture("03.02.2015  11:18") == ("metadata", (("published", "03.02.2015  11:18"),))
    assert line_furniture("时间：2023年6月1日上午9时") == ("metadata", (("published", "2023年6月1日上午9时"),))
    assert line_furniture("市政府召开常务会议。") is None


def test_weak_metadata_inside_the_text_is_text() -> None:
    from fangzhi.text.source import SourceText

    lines = (
        "关于召开全市安全生产工作会议的通知",
        "各县（市、区）人民政府，市人民政府各部门：",
        "经市政府同意，定于近期召开全市安全生产工作会议，现将有关事项通知如下。",
        "时间：2023年6月1日上午9时",
        "地点：市政府第一会议室，请各单位准时参加会议，不得缺席。",
    )
    assert read_furniture(SourceText("notice.txt", lines, "utf-8", "")).lines == {}


def test_markup_is_taken_out_and_line_numbers_kept() -> None:
    assert clean_line("## **1986年**") == "1986年"
    assert clean_line("**1月9日** 市政府成立。") == "1月9日 市政府成立。"
    assert clean_line("| 1月9日 | 市政府成立。 |") == "1月9日  市政府成立。"
    assert clean_line("见[通知](http://x.cn/a)全文&nbsp;") == "见通知全文"
    assert clean_line("第____条") == "第____条"
    source = read_source(FIXTURES / "chronicles" / "markdown_city_1985_1990.md")
    view = reading_view(source, read_furniture(source))
    assert len(view) == len(source)
    assert (view.line(1), view.line(3), view.line(9)) == (
        "",
        "示例市志·大事记（1985—1990年）",
        "1月9日 示例市人民政府成立，市政府机关设在人民路1号。",
    )


def test_a_url_broken_over_lines_is_one_url_not_the_title() -> None:
    """The head of 海口 notice (gov-docs) as a PDF wraps it at 30 characters: the URL's tail is no title."""
    source = read_source(FIXTURES / "documents" / "wrapped_url_head.txt")
    furniture = read_furniture(source)
    assert {line: item.role for line, item in furniture.lines.items()} == {
        1: "metadata",
        2: "url",
        3: "url",
        4: "url",
    }
    assert furniture.fields["url"] == "https://www.pkulaw.com/lar/3d49cd077b5cb3401d1f098a8b7fd628bdfb.html"
    (node,) = parse_source(source).nodes("document")
    assert (node.title, node.line_start) == (
        "海口市水务局关于2020年2月1日—2020年2月29日生产建设项目水土保持方案审批决定的公告",
        5,
    )


def test_furniture_under_a_markdown_heading_mark_is_still_furniture() -> None:
    """The 阿坝 notice (gov-docs) as a Markdown copy: its first line became ``# 【法宝引证码】 …``."""
    assert line_furniture("# 【法宝引证码】 CLI.12.4792728") == ("metadata", (("citation_code", "CLI.12.4792728"),))
    document = parse_source(read_source(FIXTURES / "documents" / "markdown_database_head.md"))
    assert [node.title for node in document.nodes("document")] == [
        "阿坝州人民政府办公室关于印发《阿坝州政务数据资源管理暂行办法》的通知"
    ]
