"""Costs that must not grow with the corpus: the home page, stats and a node's path read the same few rows.

Counted in SQL statements (SQLite's trace callback), not in time: the same
number of statements for 2 volumes and for 120.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import fangzhi
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.model import Document, Fact, Node, NodeKind, Volume
from fangzhi.text.source import SourceText
from fangzhi.web.app import create_app


def _volume(number: int) -> tuple[Document, list[Fact]]:
    """A small yearbook: a chapter, a section, two entries, a chronicle event, and one fact."""
    volume_id = f"vol{number:04d}"
    lines = tuple(f"第{line}行" for line in range(1, 13))
    source = SourceText(path=f"{volume_id}.txt", lines=lines, encoding="utf-8", sha256=f"{number:064d}")
    volume = Volume(
        volume_id, "yearbook", f"某市年鉴 {2000 + number % 20}", 2000 + number % 20, source.path, source.sha256
    )
    root = Node(NodeKind.VOLUME, volume.title, 1, 12)
    chapter = root.add(Node(NodeKind.CHAPTER, "城市建设", 1, 8, page=1, page_end=2))
    section = chapter.add(Node(NodeKind.SECTION, "重点项目", 2, 8, page=1, level=2))
    section.add(Node(NodeKind.ENTRY, "在建工程", 3, 4, text="全年在建工程128个。", page=1))
    section.add(Node(NodeKind.ENTRY, "城市道路", 5, 8, text="新建道路12公里。", page=2))
    events = root.add(Node(NodeKind.CHRONICLE, "大事记", 9, 12, page=3))
    event = events.add(Node(NodeKind.EVENT, None, 10, 11, text="1月5日，市长调研。", page=3))
    document = Document(volume, source, root)
    document.assign_ids()
    fact = Fact("event", volume_id, event.id, 10, 11, 3, {"date": "2020-01-05", "text": event.text}, "events.v1")
    fact.id = f"{volume_id}:event:1"
    return document, [fact]


def _filled(path: Path, count: int) -> KnowledgeBase:
    kb = fangzhi.open(path)
    for number in range(count):
        kb.store.replace_volume(*_volume(number))
    return kb


def _statements(kb: KnowledgeBase, work) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    connection = kb.store.connection
    connection.set_trace_callback(seen.append)
    try:
        work()
    finally:
        connection.set_trace_callback(None)
    return seen


@pytest.mark.parametrize("count", [2, 120])
def test_stats_and_the_home_page_read_a_constant_number_of_rows(tmp_path: Path, count: int) -> None:
    kb = _filled(tmp_path / "kb.db", count)
    with kb:
        assert len(_statements(kb, lambda: kb.stats(limit=50))) == 1
        assert len(_statements(kb, kb.count_volumes)) == 1
        assert len(_statements(kb, kb.stats)) == 1
        rows = kb.stats()
        assert len(rows) == count
        assert rows[0] == {
            "volume": "vol0000",
            "kind": "yearbook",
            "title": "某市年鉴 2000",
            "year": 2000,
            **{key: 0 for key in rows[0] if key not in ("volume", "kind", "title", "year", "coverage", "warnings")},
            "coverage": None,
            "warnings": [],
            "chapters": 1,
            "sections": 1,
            "entries": 2,
            "chronicle_items": 1,
            "sections_level_2": 1,
            "events": 1,
        }
        assert kb.stats(limit=3, offset=1) == rows[1:4]


def test_the_home_page_shows_fifty_volumes_a_page(tmp_path: Path) -> None:
    with _filled(tmp_path / "kb.db", 120) as kb, TestClient(create_app(kb)) as client:
        first = client.get("/").text
        assert first.count('class="volume-card"') == 50
        assert "第 1–50 卷，共 120 卷" in first
        assert '<a href="/?page=2" rel="next">' in first
        last = client.get("/?page=3").text
        assert last.count('class="volume-card"') == 20
        assert "第 101–120 卷，共 120 卷" in last
        assert 'rel="next"' not in last
        assert '<a href="/?page=2" rel="prev">' in last
        assert client.get("/?page=4").text.count('class="volume-card"') == 0
        assert client.get("/?page=0").status_code == 422


def test_a_node_and_its_path_are_two_reads_however_many_volumes(tmp_path: Path) -> None:
    with _filled(tmp_path / "kb.db", 120) as kb:
        node = kb.node("vol0077:4")
        assert [step["title"] for step in node.path] == ["城市建设", "重点项目"]
        assert node.path[0]["id"] == "vol0077:1"
        kb.store._outlines = type(kb.store._outlines)()
        assert len(_statements(kb, lambda: kb.node("vol0077:5"))) == 3
        assert len(_statements(kb, lambda: kb.node("vol0077:3"))) == 2
