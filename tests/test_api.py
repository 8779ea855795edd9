"""The JSON API under /api/: every route over the sample corpus, and every kind of error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import fangzhi
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.web.api import router as api_router
from fangzhi.web.app import create_app

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb(sample_db: Path):  # type: ignore[no-untyped-def]
    knowledge_base = fangzhi.open(sample_db, create=False)
    yield knowledge_base
    knowledge_base.close()


@pytest.fixture(scope="module")
def app(kb: KnowledgeBase) -> FastAPI:
    return create_app(kb)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def chapter(kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    """The yearbook's 大事记 chapter, found through the library rather than by a hard-coded id."""
    return next(node for node in kb.nodes(volume=YEARBOOK, kind="chapter") if node.title == "大事记")


def assert_error(response, status: int, code: str, message_part: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert message_part in error["message"]


# --- the one error shape --------------------------------------------------------------------------------------------


def test_error_shape_is_locked(client: TestClient) -> None:
    response = client.get("/api/nodes/no-such-volume:1")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "no node with id 'no-such-volume:1'"}
    }


def test_validation_error_has_the_same_shape_with_details(client: TestClient) -> None:
    response = client.get("/api/nodes", params={"limit": 0})
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "status": 422,
            "code": "invalid_parameter",
            "message": "invalid parameter: query.limit: Input should be greater than or equal to 1",
            "details": [{"location": "query.limit", "message": "Input should be greater than or equal to 1"}],
        }
    }


def test_unknown_api_route_is_a_json_404(client: TestClient) -> None:
    assert_error(client.get("/api/no-such-thing"), 404, "not_found", "no such page")


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    assert_error(client.post("/api/volumes"), 405, "method_not_allowed", "Method Not Allowed")


# --- volumes ------------------------------------------------------------------------------------------------------


def test_volumes_lists_both_sample_volumes_with_their_counts(client: TestClient, kb: KnowledgeBase) -> None:
    body = client.get("/api/volumes").json()
    assert [row["volume"] for row in body["volumes"]] == [GAZETTE, YEARBOOK]
    assert (body["total"], body["offset"]) == (2, 0)
    assert body["volumes"] == kb.stats()
    yearbook = body["volumes"][1]
    assert (yearbook["kind"], yearbook["year"], yearbook["chapters"]) == ("yearbook", 2024, 40)


def test_volume(client: TestClient) -> None:
    body = client.get(f"/api/volumes/{YEARBOOK}").json()
    assert body["id"] == YEARBOOK
    assert body["kind"] == "yearbook"
    assert "平顶山年鉴" in body["title"]
    assert len(body["source_sha256"]) == 64


def test_missing_volume_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/volumes/nope"), 404, "not_found", "no volume with id 'nope'")
    assert_error(client.get("/api/volumes/nope/nodes"), 404, "not_found", "no volume with id 'nope'")


def test_volume_nodes_are_the_top_of_the_tree(client: TestClient, kb: KnowledgeBase) -> None:
    body = client.get(f"/api/volumes/{YEARBOOK}/nodes").json()
    chapters = [node for node in body["nodes"] if node["kind"] == "chapter"]
    assert len(chapters) == 40
    assert chapters[0]["title"] == "特载"
    assert chapters[0]["page"] == 1
    assert all(node["parent"] is None for node in body["nodes"])
    assert "text" not in body["nodes"][0]
    assert [node["id"] for node in body["nodes"]] == [node.id for node in kb.top_nodes(YEARBOOK)]


def test_stats_is_the_cli_json(client: TestClient, kb: KnowledgeBase) -> None:
    response = client.get("/api/stats")
    assert response.json() == kb.stats()
    assert response.headers["x-total-count"] == "2"


def test_stats_and_volumes_come_a_page_at_a_time(client: TestClient) -> None:
    """A corpus of 100,000 volumes must not be listed whole on every request."""
    response = client.get("/api/stats", params={"limit": 1, "offset": 1})
    assert [row["volume"] for row in response.json()] == [YEARBOOK]
    assert response.headers["x-total-count"] == "2"
    body = client.get("/api/volumes", params={"limit": 1}).json()
    assert ([row["volume"] for row in body["volumes"]], body["total"]) == ([GAZETTE], 2)
    assert_error(client.get("/api/stats", params={"limit": 0}), 422, "invalid_parameter", "limit")


# --- nodes --------------------------------------------------------------------------------------------------------


def test_nodes_by_volume_and_kind_with_paging(client: TestClient, kb: KnowledgeBase) -> None:
    first = client.get("/api/nodes", params={"volume": YEARBOOK, "kind": "chapter", "limit": 3}).json()
    assert [node["title"] for node in first["nodes"]] == ["特载", "专文", "大事记"]
    following = client.get("/api/nodes", params={"volume": YEARBOOK, "kind": "chapter", "limit": 2, "offset": 2})
    assert [node["title"] for node in following.json()["nodes"]] == ["大事记", "市情概览"]
    assert first["nodes"][0]["text"] == next(kb.nodes(volume=YEARBOOK, kind="chapter")).text


@pytest.mark.parametrize(
    ("parameters", "location"),
    [({"limit": 1001}, "query.limit"), ({"offset": -1}, "query.offset"), ({"limit": "ten"}, "query.limit")],
)
def test_nodes_rejects_bad_paging(client: TestClient, parameters: dict, location: str) -> None:
    response = client.get("/api/nodes", params=parameters)
    assert_error(response, 422, "invalid_parameter", location)
    assert response.json()["error"]["details"][0]["location"] == location


def test_node_has_text_provenance_citation_and_blocks(client: TestClient, kb: KnowledgeBase, chapter) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/nodes/{chapter.id}").json()
    assert body["node"]["id"] == chapter.id
    assert body["node"]["title"] == "大事记"
    assert (body["node"]["page"], body["node"]["page_end"]) == (21, 30)
    assert body["node"]["line_start"] == chapter.line_start
    assert body["volume"]["id"] == YEARBOOK
    assert body["citation"]["text"].endswith(": 21-30.")
    assert body["citation"]["page"] == 21
    assert body["previous"]["title"] == "专文"
    assert body["next"]["title"] == "市情概览"
    assert [block["node"]["id"] for block in body["blocks"]] == [child.id for child in kb.children(chapter.id)]


def test_entry_node_carries_its_contributors(client: TestClient, kb: KnowledgeBase) -> None:
    entry = next(node for node in kb.nodes(volume=YEARBOOK, kind="entry") if node.attributes.get("contributors"))
    body = client.get(f"/api/nodes/{entry.id}").json()
    assert body["node"]["attributes"]["contributors"] == entry.attributes["contributors"]
    assert body["citation"]["text"].startswith(", ".join(entry.attributes["contributors"][:3]))


def test_node_children(client: TestClient, kb: KnowledgeBase, chapter) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/nodes/{chapter.id}/children").json()
    assert body["node"] == chapter.id
    assert [child["id"] for child in body["children"]] == [child.id for child in kb.children(chapter.id)]
    assert all(child["parent"] == chapter.id for child in body["children"])


def test_node_citation(client: TestClient, chapter) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/nodes/{chapter.id}/citation").json()
    assert body == {
        "text": "大事记[M]//平顶山年鉴 2024. 2024: 21-30.",
        "volume": YEARBOOK,
        "node_id": chapter.id,
        "page": 21,
        "page_end": 30,
        "line_start": chapter.line_start,
        "line_end": chapter.line_end,
    }


def test_node_source_lines_are_the_raw_file(client: TestClient, chapter) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/nodes/{chapter.id}/source").json()
    raw = (ROOT / "sample" / f"{YEARBOOK}.txt").read_text(encoding="utf-8").split("\n")
    assert len(body["lines"]) == chapter.line_end - chapter.line_start + 1
    assert body["lines"][0] == {"line": chapter.line_start, "text": raw[chapter.line_start - 1]}
    assert body["lines"][-1] == {"line": chapter.line_end, "text": raw[chapter.line_end - 1]}


@pytest.mark.parametrize("suffix", ["", "/children", "/citation", "/source"])
def test_missing_node_is_404_everywhere(client: TestClient, suffix: str) -> None:
    assert_error(client.get(f"/api/nodes/{YEARBOOK}:999999{suffix}"), 404, "not_found", f"{YEARBOOK}:999999")


# --- search -------------------------------------------------------------------------------------------------------


def test_search_answers_as_the_library_and_cli_do(client: TestClient, kb: KnowledgeBase) -> None:
    body = client.get("/api/search", params={"q": "汝瓷"}).json()
    assert body == kb.search("汝瓷").to_dict()
    assert body["total"] > 10
    assert len(body["hits"]) == 10
    assert body["facets"]["volume"] == {YEARBOOK: body["total"]}
    first = body["hits"][0]
    assert "<mark>汝瓷</mark>" in first["snippet"]
    assert isinstance(first["page"], int)


def test_search_filters_and_paging(client: TestClient, kb: KnowledgeBase) -> None:
    parameters = {"q": "汝瓷", "kind": "event", "limit": 2, "offset": 1}
    body = client.get("/api/search", params=parameters).json()
    assert body == kb.search("汝瓷", limit=2, offset=1, kind="event").to_dict()
    assert body["filters"] == {"kind": "event"}
    assert {hit["kind"] for hit in body["hits"]} == {"event"}


@pytest.mark.parametrize(
    ("parameters", "code", "message"),
    [
        ({}, "invalid_parameter", "query.q: Field required"),
        ({"q": ""}, "invalid_parameter", "query.q"),
        ({"q": "汝瓷", "limit": 0}, "invalid_parameter", "query.limit"),
        ({"q": "汝瓷", "year": "last"}, "invalid_parameter", "query.year"),
        ({"q": "汝瓷", "page_from": 30, "page_to": 20}, "invalid_parameter", "page range 30-20 is empty"),
    ],
)
def test_search_rejects_bad_parameters(client: TestClient, parameters: dict, code: str, message: str) -> None:
    assert_error(client.get("/api/search", params=parameters), 422, code, message)


# --- facts, documents, exports -------------------------------------------------------------------------------------


def test_events_by_month(client: TestClient, kb: KnowledgeBase) -> None:
    body = client.get("/api/events", params={"date_from": "2023-11-01", "date_to": "2023-11-30"}).json()
    assert body["date_from"] == "2023-11-01"
    assert body["events"] == [event.to_dict() for event in kb.timeline("2023-11-01", "2023-11-30")]
    assert {event["volume"] for event in body["events"]} == {YEARBOOK, GAZETTE}
    assert all("2023-11-01" <= event["date"] <= "2023-11-30" for event in body["events"])
    as_month = client.get("/api/events", params={"date_from": "2023-11", "date_to": "2023-11"}).json()
    assert as_month["events"] == body["events"]


def test_events_by_person(client: TestClient, kb: KnowledgeBase) -> None:
    person = next(mention["name"] for event in kb.timeline() for mention in event.people)
    body = client.get("/api/events", params={"person": person}).json()
    assert body["events"]
    assert body["events"] == [event.to_dict() for event in kb.timeline(person=person)]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"date_from": "2023-13-01"}, "invalid date '2023-13-01'"),
        ({"date_to": "yesterday"}, "invalid date 'yesterday'"),
        ({"date_from": "2023-12-01", "date_to": "2023-11-01"}, "is after"),
    ],
)
def test_events_reject_bad_dates(client: TestClient, parameters: dict, message: str) -> None:
    assert_error(client.get("/api/events", params=parameters), 422, "invalid_parameter", message)


def test_facts_by_kind_and_paging(client: TestClient, kb: KnowledgeBase) -> None:
    every = kb.facts()
    body = client.get("/api/facts", params={"limit": 5}).json()
    assert [fact["id"] for fact in body["facts"]] == [fact.id for fact in every[:5]]
    for kind in {fact.kind for fact in every}:
        found = client.get("/api/facts", params={"kind": kind, "limit": 1000}).json()["facts"]
        assert {fact["kind"] for fact in found} == {kind}
    assert client.get("/api/facts", params={"kind": "no-such-kind"}).status_code == 422
    assert_error(client.get("/api/facts", params={"offset": -5}), 422, "invalid_parameter", "query.offset")


@pytest.mark.parametrize(
    ("route", "kind", "key"),
    [
        ("/api/documents", "documents", "documents"),
        ("/api/appointments", "appointments", "appointments"),
        ("/api/list-items", "list_items", "list_items"),
        ("/api/tables", "tables", "tables"),
    ],
)
def test_record_lists_are_the_exports(client: TestClient, kb: KnowledgeBase, route: str, kind: str, key: str) -> None:
    assert client.get(route).json() == {key: list(kb.export(kind))}


def test_documents_carry_doc_no_and_repeal_status(client: TestClient) -> None:
    documents = client.get("/api/documents").json()["documents"]
    assert documents
    assert all({"doc_no", "date", "repealed_by", "volume"} <= set(row) for row in documents)


def test_tables_have_columns_and_rows(client: TestClient) -> None:
    tables = client.get("/api/tables").json()["tables"]
    assert len(tables) == 7
    assert all(table["columns"] and table["rows"] for table in tables)
    assert all(len(row) == len(table["columns"]) for table in tables for row in table["rows"])


def test_exports_catalogue(client: TestClient) -> None:
    body = client.get("/api/exports").json()
    assert {"volumes", "chapters", "entries", "documents", "events", "appointments"} <= set(body["kinds"])
    assert body["formats"] == ["jsonl", "csv", "json"]


def test_export_formats(client: TestClient, kb: KnowledgeBase) -> None:
    as_json = client.get("/api/exports/chapters")
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json() == list(kb.export("chapters"))
    as_csv = client.get("/api/exports/chapters", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 40
    assert (rows[0]["title"], rows[0]["page"]) == ("特载", "1")
    as_jsonl = client.get("/api/exports/volumes", params={"format": "jsonl"})
    assert as_jsonl.headers["content-type"].startswith("application/x-ndjson")
    assert len(as_jsonl.text.splitlines()) == 2


def test_export_errors(client: TestClient) -> None:
    assert_error(client.get("/api/exports/nope"), 404, "not_found", "no export kind 'nope'")
    assert_error(client.get("/api/exports/chapters", params={"format": "xml"}), 422, "invalid_parameter", "format")


# --- the API's own documentation -----------------------------------------------------------------------------------


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    documented = set(schema["paths"])
    routes = {route.path for route in api_router.routes}
    assert len(routes) == 33
    assert routes == documented
    assert all(path.startswith("/api/") for path in documented)
    for path, methods in schema["paths"].items():
        assert methods["get"]["summary"], path


def test_interactive_docs_load_nothing_from_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200


def test_every_api_route_is_documented_in_docs_web() -> None:
    documented = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    for route in api_router.routes:
        assert f"`GET {route.path}`" in documented, route.path
