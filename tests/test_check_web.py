"""The 校对 page and GET /api/check over the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import fangzhi
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.web.app import create_app


@pytest.fixture(scope="module")
def kb(sample_db: Path):  # type: ignore[no-untyped-def]
    knowledge_base = fangzhi.open(sample_db, create=False)
    yield knowledge_base
    knowledge_base.close()


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(kb))


def test_api_check_is_the_report_as_json(client: TestClient) -> None:
    answer = client.get("/api/check").json()
    assert set(answer) == {"volumes", "indicators", "findings", "counts", "left_out_below_confidence"}
    assert len(answer["findings"]) == 65
    first = answer["findings"][0]
    assert first["id"] == "F001"
    assert set(first["locations"][0]) == {"volume", "node", "page", "line", "text", "value"}
    strict = client.get("/api/check", params={"min_confidence": 0.8}).json()
    assert [finding["confidence"] >= 0.8 for finding in strict["findings"]] == [True] * len(strict["findings"])
    assert client.get("/api/check", params={"min_confidence": 2}).status_code == 422
    missing = client.get("/api/check", params={"volume": "nope"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_check_page_shows_each_place_with_its_words(client: TestClient, kb: KnowledgeBase) -> None:
    html = client.get("/check").text
    assert html.count('<section class="finding') == 65
    colour_pages = next(
        node.id
        for node in kb.nodes(volume="pingdingshan-yearbook-2024")
        if node.line_start <= 51 <= node.line_end and node.kind == "paragraph"
    )
    assert f'<a href="/nodes/{colour_pages}">' in html
    assert "<mark>260天</mark>" in html
    gazette = client.get("/check", params={"volume": "pingdingshan-gazette-2024-01", "kind": "name_variant"}).text
    assert gazette.count('<section class="finding') == 3
    assert "<mark>黄庚侗</mark>" in gazette
    assert "<mark>房卫国</mark>" in gazette


def test_node_page_lists_its_figures(client: TestClient) -> None:
    html = client.get("/nodes/pingdingshan-yearbook-2024:2188").text
    assert "<strong>地区生产总值</strong> 2720.07亿元" in html
