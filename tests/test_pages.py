"""Printed pages recovered from page-start marks and footers (issue 2)."""

from __future__ import annotations

import re

from fangzhi.model import Document, NodeKind
from fangzhi.parse.bookmarks import find_bookmark_list
from fangzhi.parse.pages import recover_pages
from fangzhi.text.source import decode_source


def test_body_pages_and_surviving_index_page(yearbook: Document) -> None:
    assert yearbook.volume.attributes["pages"] == [*range(1, 371), 388]


def test_every_footer_lands_on_its_own_page(yearbook: Document) -> None:
    source = yearbook.source
    bookmarks = find_bookmark_list(source)
    pages = recover_pages(source, bookmarks.line_start - 1)
    footers = {n: int(m.group(1)) for n, line in enumerate(source.lines, 1) if (m := re.match(r"^··(\d+)$", line))}
    assert len(footers) == 15
    assert {n: pages.page_of_line(n) for n in footers} == footers
    assert pages.warnings == []


def test_chapter_starts_on_bookmark_pages(yearbook: Document) -> None:
    bookmarks = find_bookmark_list(yearbook.source)
    expected = {b.name: b.first_page for b in bookmarks.bookmarks if b.name != "索引"}
    assert {c.title: c.page for c in yearbook.nodes(NodeKind.CHAPTER)} == expected


def test_index_references_point_to_pages_with_the_entry(yearbook: Document) -> None:
    index = yearbook.nodes(NodeKind.INDEX)[0]
    assert index.page == 388
    references = index.attributes["references"]
    assert sum(len(r["pages"]) for r in references) == 51
    pages_of_title: dict[str, set[int]] = {}
    for entry in yearbook.nodes(NodeKind.ENTRY):
        pages_of_title.setdefault(entry.title, set()).add(entry.page)
    for reference in references:
        for page in reference["pages"]:
            assert page in pages_of_title[reference["topic"]], reference


def test_pages_without_footers_count_from_the_first_mark() -> None:
    source = decode_source(" 第一页\n\n正文\n 第二页\n\n正文\n".encode(), "made-up.txt")
    pages = recover_pages(source)
    assert [pages.page_of_line(n) for n in (1, 3, 4, 6)] == [1, 1, 2, 2]
    assert pages.warnings == ["no page footers found: pages are numbered from the first page mark"]
