"""Chronicles written blind: ten texts with invented content, one per layout of issue 9, written before
reading the parser, with the events a reader expects beside each (``*.expected.json``: date, date_end and
the text's first ten characters, spaces left out).

They were the held-out examination of the chronicle reader (first run 165 of 182 events right); every
event of every file is asserted, and nothing else may come out as an event.  ``g01_bracket_dates.txt`` is
from a second, harder batch written after the first was fixed (first run 9 of 14): dates in brackets
(``【1月8日】``, ``（4月10日）``), ``上中旬`` and a bare ``月底``; ``g02_year_in_each.txt`` (first run 6 of 7:
``2004年1月1日起，…``) and ``g06_mixed.txt`` (first run 6 of 9: △ events right under a month heading took
the day before the heading) are from the same batch, as is ``g10_yearbook_chronicle_pages.txt`` (first run
0 of 4: a 大事记 cut out of a yearbook, whose year is only in its running header ``示例区年鉴2022``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from fangzhi.model import Document, NodeKind
from fangzhi.parse import parse_source
from fangzhi.parse.chronicle import unbracket_date
from fangzhi.parse.kinds import measure_kind
from fangzhi.parse.web_furniture import SHARE, line_furniture
from fangzhi.text.dates import DateContext, match_date_token
from fangzhi.text.source import read_source

BLIND = FIXTURES / "chronicles-blind"
TEXTS = sorted(path for path in BLIND.iterdir() if path.suffix in (".txt", ".md"))


def _events(document: Document) -> list[dict[str, str | None]]:
    return [
        {
            "date": node.attributes.date,
            "date_end": node.attributes.date_end,
            "text": re.sub(r"\s", "", node.text)[:10],
        }
        for node, _ in document.walk()
        if node.kind == NodeKind.EVENT
    ]


def _expected(path: Path) -> list[dict[str, str | None]]:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def test_the_blind_set_holds_fourteen_texts_and_216_events() -> None:
    assert [path.name for path in TEXTS] == [
        "f01_lines.txt",
        "f02_fulldate.txt",
        "f03_month_cn.txt",
        "f04_day_headings.txt",
        "f05_multiyear.txt",
        "f06_markdown.md",
        "f07_web.txt",
        "f08_pdf_wrapped.txt",
        "f09_yearbook.txt",
        "f10_county.txt",
        "g01_bracket_dates.txt",
        "g02_year_in_each.txt",
        "g06_mixed.txt",
        "g10_yearbook_chronicle_pages.txt",
    ]
    assert sum(len(_expected(path)) for path in TEXTS) == 216


@pytest.mark.parametrize("path", TEXTS, ids=lambda path: path.stem)
def test_every_event_of_a_blind_chronicle_is_read_with_its_date_and_text(path: Path) -> None:
    assert _events(parse_source(read_source(path))) == _expected(path)


@pytest.mark.parametrize("path", TEXTS, ids=lambda path: path.stem)
def test_a_blind_chronicle_is_detected_by_its_text(path: Path) -> None:
    expected = "yearbook" if path.stem == "f09_yearbook" else "chronicle"
    assert measure_kind(read_source(path)).kind == expected


def test_a_yearbook_excerpt_around_its_大事记_is_a_yearbook_with_three_chapters() -> None:
    """Month headings count once in the chronicle evidence (only a day heading stands for the text under it).

    A chapter name followed directly by an entry starts a chapter when nothing could enclose it: it opens
    the text (农业农村), or it follows a chronicle's last event (交通运输), since a 大事记 has no sections.
    """
    source = read_source(BLIND / "f09_yearbook.txt")
    assert measure_kind(source).scores == {"yearbook": 7.86, "gazette": 0.0, "chronicle": 6.59, "document": 2.0}
    document = parse_source(source)
    assert [chapter.title for chapter in document.nodes(NodeKind.CHAPTER)] == ["农业农村", "大事记", "交通运输"]
    assert [entry.title for entry in document.nodes(NodeKind.ENTRY)] == ["概况", "高标准农田建设", "概况", "农村公路"]
    last = document.nodes(NodeKind.EVENT)[-1]
    assert (last.attributes.date, last.text) == ("2022-12", "全县完成年度农村危房改造任务。")


@pytest.mark.parametrize(
    "line", ["上一页 1 2 3 下一页", "【打印本页】【关闭窗口】", "首页 | 上一页 | 下一页 | 尾页", "下一页"]
)
def test_a_line_of_page_buttons_is_furniture(line: str) -> None:
    assert line_furniture(line) == (SHARE, ())


@pytest.mark.parametrize("line", ["首页建设项目于5月20日开工。", "2日 关闭窗口厂房改造完成。"])
def test_a_line_with_text_beside_page_words_is_not_page_buttons(line: str) -> None:
    assert line_furniture(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("【1月20日—22日】市人大召开会议。", "1月20日—22日 市人大召开会议。"),
        ("（4月10日）市政府召开会议。", "4月10日 市政府召开会议。"),
        ("【2月】全市开展检查。", "2月 全市开展检查。"),
        ("（2022年12月28日）", "（2022年12月28日）"),
        ("【概况】2022年，全县…", "【概况】2022年，全县…"),
        ("（翌年3月）建成。", "（翌年3月）建成。"),
        ("（2023年）”，平顶山…", "（2023年）”，平顶山…"),
        ("（2023年）全市…", "（2023年）全市…"),
    ],
)
def test_a_bracketed_date_leading_text_reads_as_a_bare_date(line: str, expected: str) -> None:
    assert unbracket_date(line) == expected


@pytest.mark.parametrize(
    ("text", "iso", "precision"), [("6月上中旬 全市…", "2015-06", "month"), ("月底，市…", "2015-06", "month")]
)
def test_parts_of_a_month_are_month_dates(text: str, iso: str, precision: str) -> None:
    match = match_date_token(text)
    assert match is not None
    context = DateContext(2015)
    context.new_month(6)
    resolved = context.resolve(match)
    assert (resolved.iso(), resolved.precision) == (iso, precision)


def test_a_大事记_cut_out_of_a_yearbook_is_dated_in_the_year_before_the_edition() -> None:
    document = parse_source(read_source(BLIND / "g10_yearbook_chronicle_pages.txt"))
    assert (document.volume.kind, document.volume.title, document.volume.year) == ("chronicle", "大事记", 2021)
    assert document.warnings == []
