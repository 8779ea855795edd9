"""GB/T 7714 style citations: only what the volume knows, with the printed page."""

from __future__ import annotations

from typing import Any

import pytest

from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.model import Volume
from fangzhi.services.citation import cite_node, cite_volume, format_citation
from fangzhi.store.base import StoredNode


def volume(
    kind: str = "yearbook", title: str = "平顶山年鉴 2024", year: int | None = 2024, **attributes: Any
) -> Volume:
    return Volume(
        id="v", kind=kind, title=title, year=year, source_file="v.txt", source_sha256="0" * 64, attributes=attributes
    )


def node(kind: str = "entry", title: str | None = "概况", page: int | None = 238, **extra: Any) -> StoredNode:
    return StoredNode(
        id="v:7",
        volume="v",
        parent="v:3",
        ordinal=7,
        kind=kind,
        title=title,
        text="",
        level=0,
        page=page,
        page_end=extra.pop("page_end", page),
        line_start=100,
        line_end=120,
        attributes=extra.pop("attributes", {}),
        path=extra.pop("path", []),
    )


def test_entry_with_contributors() -> None:
    citation = cite_node(node(attributes={"contributors": ["李盾", "王蕾"]}), volume())
    assert citation.text == "李盾, 王蕾. 概况[M]//平顶山年鉴 2024. 2024: 238."
    assert (citation.page, citation.line_start, citation.line_end, citation.node_id) == (238, 100, 120, "v:7")


def test_more_than_three_contributors_end_with_deng() -> None:
    names = ["甲一", "乙二", "丙三", "丁四"]
    assert cite_node(node(attributes={"contributors": names}), volume()).text == (
        "甲一, 乙二, 丙三, 等. 概况[M]//平顶山年鉴 2024. 2024: 238."
    )


def test_entry_without_contributors_and_over_two_pages() -> None:
    assert cite_node(node(page_end=239), volume()).text == "概况[M]//平顶山年鉴 2024. 2024: 238-239."


def test_unknown_page_and_year_are_left_out_not_invented() -> None:
    assert cite_node(node(page=None), volume(year=None)).text == "概况[M]//平顶山年鉴 2024."


def test_publisher_is_used_only_when_the_volume_records_it() -> None:
    recorded = volume(place="郑州", publisher="中州古籍出版社")
    assert cite_node(node(), recorded).text == "概况[M]//平顶山年鉴 2024. 郑州: 中州古籍出版社, 2024: 238."


def test_untitled_event_is_cited_through_its_chronicle_not_its_month() -> None:
    path = [
        {"id": "v:1", "kind": "chapter", "title": "大事记"},
        {"id": "v:2", "kind": "month", "title": "11月"},
    ]
    assert cite_node(node(kind="event", title=None, page=29, path=path), volume()).text == (
        "大事记[M]//平顶山年鉴 2024. 2024: 29."
    )


def test_gazette_document_is_cited_like_a_journal_article() -> None:
    gazette = volume(kind="gazette", title="平顶山市人民政府公报", issue_number=1)
    document = node(
        kind="document",
        title="平顶山市人民政府关于公布农业产业化市重点龙头企业名单的通知",
        page=None,
        attributes={"issuer": "平顶山市人民政府", "doc_no": "平政〔2023〕31号"},
    )
    assert cite_node(document, gazette).text == (
        "平顶山市人民政府. 平顶山市人民政府关于公布农业产业化市重点龙头企业名单的通知: 平政〔2023〕31号[J]. "
        "平顶山市人民政府公报, 2024(1)."
    )


def test_issue_is_not_repeated_when_the_title_names_it() -> None:
    gazette = volume(kind="gazette", title="平顶山市人民政府公报 2024年第1号", issue_number=1)
    document = node(kind="document", title="关于某事的通知", page=3, attributes={"issuer": "某市人民政府"})
    assert (
        cite_node(document, gazette).text
        == "某市人民政府. 关于某事的通知[J]. 平顶山市人民政府公报 2024年第1号, 2024: 3."
    )


def test_printed_doc_no_is_preferred() -> None:
    document = node(
        kind="document", attributes={"doc_no": "平政办〔2023〕20号", "doc_no_as_printed": "平政办（2023）20号"}
    )
    assert "平政办（2023）20号[Z]" in cite_node(document, volume(kind="document", title="t")).text


def test_whole_volume() -> None:
    assert cite_volume(volume()).text == "平顶山年鉴 2024[M]. 2024."
    assert format_citation(volume(), page=12) == "平顶山年鉴 2024[M]. 2024: 12."


def test_title_whitespace_and_final_stop_are_tidied() -> None:
    assert cite_node(node(title="综  述。"), volume()).text == "综 述[M]//平顶山年鉴 2024. 2024: 238."


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("entry", "年鉴编辑部. 区域位置[M]//平顶山年鉴 2024. 2024: 31."),
        ("chapter", "特载[M]//平顶山年鉴 2024. 2024: 1-15."),
    ],
)
def test_sample_yearbook_citations_carry_the_printed_page(sample_kb: KnowledgeBase, kind: str, expected: str) -> None:
    found = next(item for item in sample_kb.nodes(volume="pingdingshan-yearbook-2024", kind=kind) if item.page)
    citation = sample_kb.cite(found.id)
    assert citation.page == found.page
    assert citation.text == expected
