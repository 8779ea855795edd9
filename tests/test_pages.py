"""Printed pages recovered from page-start marks and footers (issues 2 and 9)."""

from __future__ import annotations

import re

from fangzhi.model import Document, NodeKind, ParseWarning
from fangzhi.parse.furniture import find_furniture
from fangzhi.parse.layouts import detect_layout
from fangzhi.parse.pages import PageMap, recover_pages
from fangzhi.text.source import SourceText, decode_source


def _pages(source: SourceText) -> PageMap:
    return recover_pages(source, find_furniture(source, detect_layout(source)))


def test_body_pages_and_surviving_index_page(yearbook: Document) -> None:
    assert yearbook.volume.attributes["pages"] == [*range(1, 371), 388]


def test_every_footer_lands_on_its_own_page(yearbook: Document) -> None:
    source = yearbook.source
    pages = _pages(source)
    footers = {n: int(m.group(1)) for n, line in enumerate(source.lines, 1) if (m := re.match(r"^··(\d+)$", line))}
    assert len(footers) == 15
    assert {n: pages.page_of_line(n) for n in footers} == footers
    assert pages.warnings == []


def test_chapter_starts_on_bookmark_pages(yearbook: Document) -> None:
    furniture = find_furniture(yearbook.source, detect_layout(yearbook.source))
    expected = {b.name: b.first_page for b in furniture.bookmarks.chapters if b.name != "索引"}
    assert {c.title: c.page for c in yearbook.nodes(NodeKind.CHAPTER)} == expected


def test_index_references_point_to_pages_with_the_entry(yearbook: Document) -> None:
    index = yearbook.nodes(NodeKind.INDEX)[0]
    assert index.page == 388
    references = index.attributes.references
    assert sum(len(r.pages) for r in references) == 51
    pages_of_title: dict[str, set[int]] = {}
    for entry in yearbook.nodes(NodeKind.ENTRY):
        pages_of_title.setdefault(entry.title, set()).add(entry.page)
    for reference in references:
        for page in reference.pages:
            assert page in pages_of_title[reference.topic], reference


def test_pages_without_footers_count_from_the_first_mark() -> None:
    source = decode_source(" 第一页\n\n正文\n 第二页\n\n正文\n".encode(), "made-up.txt")
    pages = _pages(source)
    assert [pages.page_of_line(n) for n in (1, 3, 4, 6)] == [1, 1, 2, 2]
    assert pages.warnings == [
        ParseWarning(
            "pages_numbered_from_first_mark", "no page numbers printed: pages are counted from the first page mark"
        )
    ]


def test_footers_alone_give_only_the_pages_they_show() -> None:
    text = "甲\n\n乙\n\n- 7 -\n\n丙\n\n丁\n\n- 8 -\n\n戊\n\n己\n\n·10·\n\n庚\n"
    source = decode_source(text.encode(), "footers.txt")
    pages = _pages(source)
    lines = {source.line(n): pages.page_of_line(n) for n in range(1, len(source) + 1) if source.line(n).strip()}
    # Before the first footer the page is unknown; between 7 and 8 it is 8; a page's first line follows a footer;
    # 己 may be on page 9 or 10.
    assert lines == {
        "甲": None,
        "乙": None,
        "- 7 -": 7,
        "丙": 8,
        "丁": 8,
        "- 8 -": 8,
        "戊": 9,
        "己": None,
        "·10·": 10,
        "庚": 11,
    }
    assert pages.pages == [7, 8, 9, 10, 11]
    assert [warning.code for warning in pages.warnings] == ["pages_partial"]


def test_no_page_furniture_means_unknown_pages() -> None:
    source = decode_source("【概况】 某地位于某省。\n【气候】 四季分明。\n".encode(), "plain.txt")
    pages = _pages(source)
    assert pages.pages == []
    assert pages.page_of_line(1) is None
    assert [warning.code for warning in pages.warnings] == ["pages_unknown"]
