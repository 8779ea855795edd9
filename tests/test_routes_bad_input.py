"""Bad parameters a new user typed into the address bar: the one JSON error shape (or an HTML error page), never a 500.

Each case was found by probing the routes of docs/web.md; the answers are exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import fangzhi
from fangzhi.web.app import create_app


@pytest.fixture(scope="module")
def client(sample_db: Path) -> Iterator[TestClient]:
    kb = fangzhi.open(sample_db, create=False, read_only=True)
    yield TestClient(create_app(kb))
    kb.close()


@pytest.mark.parametrize(
    ("url", "status", "code", "message"),
    [
        (
            "/api/funding?county_road_km=inf",
            422,
            "invalid_parameter",
            "road length for county_road must be a finite number of kilometres (got inf)",
        ),
        (
            "/api/funding?village_road_km=1e400",
            422,
            "invalid_parameter",
            "road length for village_road must be a finite number of kilometres (got inf)",
        ),
        (
            "/api/alert?forecast=1e400",
            422,
            "invalid_parameter",
            "forecast value '1e400' is not a valid AQI value or range",
        ),
        (
            "/api/alert?forecast=160,nan",
            422,
            "invalid_parameter",
            "forecast value 'nan' is not a valid AQI value or range",
        ),
        (
            "/api/targets?deadline_from=2023-13",
            422,
            "invalid_parameter",
            "invalid date '2023-13' for --deadline-from; write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-11-05)",
        ),
        (
            "/api/targets?deadline_to=abc",
            422,
            "invalid_parameter",
            "invalid date 'abc' for --deadline-to; write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-11-05)",
        ),
        ("/api/targets?volume=nosuch", 404, "not_found", "no volume with id 'nosuch'"),
        ("/api/search?q=汝瓷&volume=nosuch", 404, "not_found", "no volume with id 'nosuch'"),
        ("/api/nodes?volume=nosuch", 404, "not_found", "no volume with id 'nosuch'"),
        ("/api/facts?volume=nosuch", 404, "not_found", "no volume with id 'nosuch'"),
        (
            "/api/facts?kind=nosuch",
            422,
            "invalid_parameter",
            "no fact kind 'nosuch'; choose one of: appointment, event, indicator, list_item, reference, repeal, "
            "rule_set, target",
        ),
    ],
)
def test_api_refuses_bad_numbers_dates_and_volumes(
    client: TestClient, url: str, status: int, code: str, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json() == {"error": {"status": status, "code": code, "message": message}}


def test_targets_with_good_bounds_still_answer(client: TestClient) -> None:
    response = client.get("/api/targets?deadline_from=2024&deadline_to=2024")
    assert response.status_code == 200
    assert {row["deadline"][:4] for row in response.json()["targets"]} == {"2024"}


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/check?kind=nosuch", 422, "unknown finding kind &#39;nosuch&#39;; choose one of: value_conflict"),
        ("/targets?status=bad", 422, "invalid parameter: query.status"),
        ("/targets?group=bad", 422, "invalid parameter: query.group"),
        ("/funding?county_road_km=inf", 200, "road length for county_road must be a finite number of kilometres"),
    ],
)
def test_pages_explain_bad_parameters(client: TestClient, url: str, status: int, text: str) -> None:
    """A filter that would silently show nothing is an error page; a form shows its error beside the form."""
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert text in response.text


def test_volume_page_without_a_year_has_no_dangling_separator(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("这是一段没有年份的说明文字。\n", encoding="utf-8")
    with fangzhi.open(tmp_path / "kb.db") as kb:
        kb.ingest(note)
    with fangzhi.open(tmp_path / "kb.db", create=False, read_only=True) as kb:
        html = TestClient(create_app(kb)).get("/volumes/note").text
    assert '<span class="badge">文件</span> <span class="muted">note.txt</span>' in html
