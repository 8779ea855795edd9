"""Rules, alerts, funding and targets over HTTP: the JSON API and the pages."""

from __future__ import annotations

import re
from html import unescape
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


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_api_rules_and_one_rule_set(client: TestClient) -> None:
    listed = client.get("/api/rules").json()["rule_sets"]
    assert [(row["id"], row["type"]) for row in listed] == [
        ("pingdingshan-gazette-2024-01:rule_set:1", "heavy_pollution_alert"),
        ("pingdingshan-gazette-2024-01:rule_set:2", "maintenance_funding"),
    ]
    full = client.get("/api/rules/pingdingshan-gazette-2024-01:rule_set:1").json()
    assert [level["level"] for level in full["data"]["levels"]] == ["yellow", "orange", "red"]
    assert len(full["data"]["units"]) == 20
    missing = client.get("/api/rules/none")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_api_alert_and_funding(client: TestClient) -> None:
    answer = client.get("/api/alert", params={"forecast": "160,210,220"}).json()
    assert (answer["level"], answer["response_level"]) == ("orange", "Ⅱ")
    assert (
        client.get("/api/alert", params={"forecast": "201,201,301", "plan": "平政办（2023）20号"}).json()["level"]
        == "red"
    )
    refused = client.get("/api/alert", params={"forecast": "a"})
    assert refused.status_code == 422
    assert refused.json()["error"]["message"].startswith("forecast value 'a' is not a number")
    assert client.get("/api/alert").status_code == 422
    money = client.get("/api/funding", params={"county_road_km": 120, "township_road_km": 300, "village_road_km": 900})
    assert money.json()["total"] == 5_400_000
    assert client.get("/api/funding", params={"county_road_km": -1}).status_code == 422


def test_api_targets(client: TestClient) -> None:
    everything = client.get("/api/targets").json()["targets"]
    assert len(everything) == 77
    health = client.get("/api/targets", params={"owner": "市红十字会"}).json()["targets"]
    assert [(row["indicator"], row["target_value"], row["unit"], row["deadline"]) for row in health] == [
        ("配置AED", 300, "台", "2026-12-31")
    ]
    assert client.get("/api/targets", params={"status": "met"}).json() == {"targets": []}
    assert client.get("/api/targets", params={"status": "done"}).status_code == 422
    exported = client.get("/api/exports/targets", params={"format": "csv"})
    assert exported.text.splitlines()[0].startswith(
        "id,volume,node,indicator,comparison,target_value,unit,deadline,scope,owners,page,line,status"
    )


def test_rules_page_lists_both_rule_sets(client: TestClient) -> None:
    text = visible(client.get("/rules").text)
    assert (
        "平政办〔2023〕20号 平顶山市重污染天气应急预案 重污染天气预警 3 级预警（黄色→Ⅲ、橙色→Ⅱ、红色→Ⅰ），20 个责任单位"
        in text
    )
    assert "县道10000元/公里·年、乡道5000元/公里·年、村道3000元/公里·年，省、市、县 2:2:6" in text


def test_alert_page_shows_level_cuts_units_and_clauses(client: TestClient) -> None:
    html = client.get("/alert", params={"forecast": "160,210,220"}).text
    assert '<section class="alert-result level-orange">' in html
    text = visible(html)
    assert "橙色预警 · 启动Ⅱ级应急响应" in text
    assert "SO2 >= 20%" in text
    assert "市气象局 其他减排措施" not in text
    assert "市发展改革委 Ⅱ级工业源减排措施（595）、Ⅱ级（625）" in text
    error = visible(client.get("/alert", params={"forecast": "abc"}).text)
    assert "forecast value 'abc' is not a number" in error


def test_funding_page(client: TestClient) -> None:
    text = visible(
        client.get(
            "/funding", params={"county_road_km": "120", "township_road_km": "300", "village_road_km": "900"}
        ).text
    )
    assert "每年不得低于 5,400,000 元" in text
    assert "县级 6 3,240,000" in text
    assert "is not a number of kilometres" in visible(client.get("/funding", params={"county_road_km": "x"}).text)


def test_targets_page_by_deadline_and_by_owner(client: TestClient) -> None:
    html = client.get("/targets").text
    assert re.findall(r"<h2>(\d{4}年|未定期限) <span", html) == [
        "2023年",
        "2024年",
        "2025年",
        "2026年",
        "2035年",
        "未定期限",
    ]
    assert html.count('<tr class="target status-unknown">') == 77
    by_owner = client.get("/targets", params={"group": "owner", "owner": "市卫生健康委"}).text
    groups = re.findall(r'<section class="owner-group"><h2>([^<]+) <span class="count">(\d+)</span>', by_owner)
    assert groups == [
        ("各县（市、区）政府（管委会）", "6"),
        ("市卫生健康委", "6"),
        ("市财政局", "5"),
        ("市发展改革委", "1"),
        ("市红十字会", "1"),
    ]
    assert by_owner.count('<tr class="target') == 19
