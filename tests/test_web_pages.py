"""Server-rendered pages over the sample corpus: what a reader sees, and that nothing comes from a CDN."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import fangzhi
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.web.app import create_app

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"


@pytest.fixture(scope="module")
def kb(sample_db: Path):  # type: ignore[no-untyped-def]
    knowledge_base = fangzhi.open(sample_db, create=False)
    yield knowledge_base
    knowledge_base.close()


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(kb))


def page(client: TestClient, url: str, status: int = 200, **kwargs) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def visible(html: str) -> str:
    """The text of a page as a reader sees it, tags dropped and whitespace squeezed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_home_lists_the_volumes_with_counts(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, "/")
    for volume in kb.volumes():
        assert f'href="/volumes/{volume.id}"' in html
        assert volume.title in html
    text = visible(html)
    assert "类目 40" in text
    assert "条目 1525" in text


def test_every_page_is_chinese_mobile_ready_and_loads_nothing_external(client: TestClient) -> None:
    html = page(client, "/")
    assert '<html lang="zh-CN">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    assert '<script src="/static/htmx.min.js' in html
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200
    assert htmx.text.startswith("var htmx=function()")
    css = client.get("/static/fangzhi.css").text
    assert "WenQuanYi Zen Hei" in css and "Microsoft YaHei" in css and "line-height: 1.8" in css


def test_volume_page_is_its_table_of_contents(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, f"/volumes/{YEARBOOK}")
    chapters = [node for node in kb.top_nodes(YEARBOOK) if node.kind == "chapter"]
    assert len(chapters) == 40
    for chapter in chapters:
        assert f'href="/nodes/{chapter.id}">{chapter.title}</a><span class="page">{chapter.page}</span>' in html


def test_volume_page_says_what_was_understood(client: TestClient) -> None:
    text = visible(page(client, f"/volumes/{YEARBOOK}"))
    assert "98.3% 的文字行识别为结构（32,987 / 33,550 行；未识别段落 563 行，版面杂项 81 行）" in text
    assert "类目 40 分目 251 条目 1525" in text
    assert (
        "2 条提示 第 410 行 the editorial notes declare 244 分目; 251 sections were found declared_count_differs "
        "第 15607 行 文号 平数政办〔2023〕号 has no sequence number doc_no_no_number" in text
    )
    gazette = visible(page(client, f"/volumes/{GAZETTE}"))
    assert "97.1% 的文字行识别为结构（660 / 680 行；未识别段落 20 行，版面杂项 0 行）" in gazette
    assert "第 443 行 repeats the end of the paragraph at line 441; dropped repeated_text_dropped" in gazette


def test_missing_volume_and_node_pages_are_html_404s(client: TestClient) -> None:
    assert "no volume with id &#39;nope&#39;" in page(client, "/volumes/nope", status=404)
    assert "没有找到" in page(client, f"/nodes/{YEARBOOK}:999999", status=404)
    assert "no such page" in page(client, "/no/such/page", status=404)


def test_entry_reads_as_in_the_book_with_page_contributors_and_citation(client: TestClient, kb: KnowledgeBase) -> None:
    entry = next(node for node in kb.nodes(volume=YEARBOOK, kind="entry") if node.attributes.get("contributors"))
    html = page(client, f"/nodes/{entry.id}")
    text = visible(html)
    assert f"<h1>{entry.title}</h1>" in html
    assert f'data-page="{entry.page}"' in html
    assert (entry.title, entry.page, entry.page_end) == ("区域位置", 31, 31)
    assert "第 31 页" in text
    assert "撰稿：" + "　".join(entry.attributes["contributors"]) in text
    citation = kb.cite(entry.id).text
    assert f'<p class="citation" id="citation-text">{citation}</p>' in unescape(html)
    first_paragraph = entry.text.split("\n")[0].strip()
    assert first_paragraph[:20] in text
    assert [step["title"] for step in entry.path][-1] in text


def test_chapter_lists_its_sections_with_previous_and_next(client: TestClient, kb: KnowledgeBase) -> None:
    chapters = list(kb.nodes(volume=YEARBOOK, kind="chapter"))
    chapter = next(node for node in chapters if node.title == "文化")
    html = page(client, f"/nodes/{chapter.id}")
    sections = [child for child in kb.children(chapter.id) if child.kind == "section"]
    assert sections
    for section in sections:
        assert f'href="/nodes/{section.id}">{section.title}</a>' in html
    position = [node.id for node in chapters].index(chapter.id)
    assert f'rel="prev" href="/nodes/{chapters[position - 1].id}"' in html
    assert f'rel="next" href="/nodes/{chapters[position + 1].id}"' in html


def test_chronicle_chapter_shows_its_events_inline(client: TestClient, kb: KnowledgeBase) -> None:
    chapter = next(node for node in kb.nodes(volume=YEARBOOK, kind="chapter") if node.title == "大事记")
    html = page(client, f"/nodes/{chapter.id}")
    events = [node for node in kb.nodes(volume=YEARBOOK, kind="event") if node.line_start >= chapter.line_start]
    events = [node for node in events if node.line_end <= chapter.line_end]
    assert len(events) == 193
    assert html.count('class="event block"') == 193


def test_table_node_is_rendered_as_a_table(client: TestClient, kb: KnowledgeBase) -> None:
    table = next(kb.nodes(volume=YEARBOOK, kind="table"))
    html = page(client, f"/nodes/{table.id}")
    header = "".join(f'<th scope="col">{column}</th>' for column in table.attributes["columns"])
    assert header in html
    assert html.count("<tr>") == len(table.attributes["rows"]) + 1
    figures = sum(1 for row in table.attributes["rows"] for cell in row if re.fullmatch(r"-?\d+(\.\d+)?%?", str(cell)))
    assert figures == 22
    assert html.count('<td class="num">') == figures


def test_search_page_with_hits_marks_and_facets(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, "/search", params={"q": "汝瓷"})
    result = kb.search("汝瓷", limit=20)
    assert f'<strong class="total">{result.total}</strong>' in html
    assert html.count('<li class="hit">') == len(result.hits)
    assert "<mark>汝瓷</mark>" in html
    assert f'href="/nodes/{result.hits[0].id}"' in html
    assert 'href="/search?q=%E6%B1%9D%E7%93%B7&amp;kind=event"' in html
    assert 'hx-get="/search"' in html and 'hx-trigger="input changed delay:250ms, search"' in html
    title = kb.volume(YEARBOOK).title
    assert f'href="/search?q=%E6%B1%9D%E7%93%B7&amp;volume={YEARBOOK}">{title}</a>' in html


def test_search_as_you_type_returns_only_the_results(client: TestClient) -> None:
    fragment = page(client, "/search", params={"q": "汝瓷", "kind": "event"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment
    assert '<li class="hit">' in fragment
    assert "类别：大事 ×" in visible(fragment)


def test_search_page_without_query_explains_the_syntax(client: TestClient) -> None:
    assert "繁简体通用" in visible(page(client, "/search"))


def test_search_page_escapes_the_query(client: TestClient) -> None:
    html = page(client, "/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_search_page_bad_query_is_an_html_error(client: TestClient) -> None:
    html = page(client, "/search", params={"q": "汝瓷", "limit": 0}, status=422)
    assert "无法完成请求" in html


def test_timeline_for_a_month(client: TestClient) -> None:
    html = page(client, "/timeline", params={"month": "2023-11"})
    assert "2023年11月" in visible(html)
    assert 'aria-current="page">11月</a>' in html
    assert html.count('<li class="event">') == 63  # 18 from the yearbook, 45 from the gazette


@pytest.mark.parametrize("month", ["2023-13", "November"])
def test_timeline_rejects_a_bad_month(client: TestClient, month: str) -> None:
    assert "无法完成请求" in page(client, "/timeline", params={"month": month}, status=422)


def test_documents_page_shows_doc_no_date_and_status(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, "/documents")
    rows = list(kb.export("documents"))
    assert f'<strong class="total">{len(rows)}</strong>' in html
    for row in rows:
        assert f'href="/nodes/{row["id"]}"' in html
        if row["doc_no_as_printed"] or row["doc_no"]:
            assert (row["doc_no_as_printed"] or row["doc_no"]) in html
    repealed = sum(1 for row in rows if row["repealed_by"])
    assert html.count('class="status repealed"') == repealed


def test_appointments_page_lists_every_record(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, "/appointments")
    rows = list(kb.export("appointments"))
    assert f'<strong class="total">{len(rows)}</strong>' in html
    assert html.count("<tr>") == len(rows) + 1
    assert '<th scope="col">姓名</th><th scope="col">任免</th>' in html
    assert (rows[0]["person"], rows[0]["action"]) == ("戴冲", "appoint")
    assert "<td>戴冲</td><td>任命</td>" in html


def test_lists_page_groups_items_by_list_and_group(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, "/lists")
    rows = list(kb.export("list_items"))
    assert f'<strong class="total">{len(rows)}</strong>' in html
    assert html.count('<li class="list-item">') == len(rows)
    groups = {row["group"] for row in rows if row["group"]}
    assert html.count("<h3>") == len(groups)
    in_export_order = list(dict.fromkeys(row["group"] for row in rows if row["group"]))
    positions = [html.index(f"<h3>{group} <span") for group in in_export_order]
    assert positions == sorted(positions)


def test_document_reads_with_its_doc_no_and_date_without_repeating_its_title(
    client: TestClient, kb: KnowledgeBase
) -> None:
    document = next(node for node in kb.nodes(kind="document") if node.attributes.get("doc_no"))
    html = page(client, f"/nodes/{document.id}")
    printed = document.attributes.get("doc_no_as_printed") or document.attributes["doc_no"]
    assert f'<dd class="doc-no">{printed}</dd>' in html
    assert f'<time datetime="{document.attributes["date"]}">' in html
    assert f"<h1>{document.title}</h1>" in html
    assert f"<p>{document.title}" not in html


def test_tables_page_renders_every_table(client: TestClient, kb: KnowledgeBase) -> None:
    html = page(client, "/tables")
    tables = list(kb.export("tables"))
    assert len(tables) == 7
    assert html.count("<table>") == 7
    for table in tables:
        assert f'href="/nodes/{table["id"]}">{table["caption"]}</a>' in html


def test_a_repealed_document_shows_what_repealed_it(tmp_path: Path) -> None:
    """The sample gazette's 平政办〔2023〕20号 repeals the 2019 plan kept in tests/fixtures/documents."""
    root = Path(__file__).resolve().parent
    with fangzhi.open(tmp_path / "repeal.db") as kb:
        kb.ingest(root.parent / "sample" / f"{GAZETTE}.txt")
        kb.ingest(root / "fixtures" / "documents" / "repealed_plan.txt")
        client = TestClient(create_app(kb))
        old = next(row for row in kb.export("documents") if row["doc_no"] == "平政办〔2019〕38号")
        assert old["repealed_by"] == "平政办〔2023〕20号"
        listing = page(client, "/documents")
        assert listing.count('class="status repealed"') == 1
        assert "由 平政办〔2023〕20号" in visible(listing)
        assert "已废止 由 平政办〔2023〕20号 废止" in visible(page(client, f"/nodes/{old['id']}"))
        assert (
            client.get(f"/api/nodes/{old['id']}").json()["repealed_by"][0]["data"]["by_doc_no"] == "平政办〔2023〕20号"
        )
        current = next(row for row in kb.export("documents") if row["doc_no"] == "平政办〔2023〕20号")
        assert "未见废止" in visible(page(client, f"/nodes/{current['id']}"))
