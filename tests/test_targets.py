"""The targets register: targets and commitments of the sample's plans and 政府工作报告, owners, status."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import FIXTURES
from fangzhi.cli import main
from fangzhi.extract.targets import extract_targets
from fangzhi.knowledge_base import KnowledgeBase, build_document
from fangzhi.model import Document, Fact
from fangzhi.services.computed import computed_names
from fangzhi.store.sqlite import SQLiteStore

TARGETS_PLAN = FIXTURES / "rules" / "targets_plan.txt"
HEALTH_UNITS = ["市卫生健康委", "市财政局", "各县（市、区）政府（管委会）"]
ROAD_PLAN = "平政办〔2023〕23号"


def summary(fact: Fact) -> tuple:
    data = fact.data
    return (
        fact.line_start,
        data["deadline"],
        data["indicator_as_printed"],
        data["comparison"],
        data["target_value"],
        data["unit"],
        data["scope"],
        data["owners"],
    )


def test_targets_of_the_gazettes_plans_with_owners(gazette: Document) -> None:
    found = [summary(fact) for fact in extract_targets(gazette)]
    issuer, office = ["平顶山市人民政府"], ["平顶山市人民政府办公室"]
    assert found == [
        (187, "2023-12-31", "市、县两级医疗应急中心成立运行，医疗应急体系初步健全", None, None, None, None, issuer),
        (
            190,
            "2026-12-31",
            "现代化的医疗应急指挥体系健全完善，科学规范的管理机制全面形成，各部门参与的合作机制运行顺畅，快速高效的信息服务系统优化升级，建立起全市统一指挥、反应灵敏、协调有序、运转高效的医疗应急体系",
            None,
            None,
            None,
            None,
            issuer,
        ),
        (
            200,
            None,
            "床位",
            "增加至",
            800,
            "张",
            None,
            ["市发展改革委", "市财政局", "市卫生健康委", "各县（市、区）政府（管委会）"],
        ),
        (204, None, "服务半径", "不超过", 5, "公里", "城市地区", HEALTH_UNITS),
        (204, None, "平均急救反应时间", "不超过", 15, "分钟", "城市地区", HEALTH_UNITS),
        (204, None, "服务半径", "不超过", 20, "公里", "农村地区", HEALTH_UNITS),
        (204, None, "平均急救反应时间", "不超过", 30, "分钟", "农村地区", HEALTH_UNITS),
        (
            210,
            "2026-12-31",
            "配置AED",
            "以上",
            300,
            "台",
            "新华区、卫东区、湛河区、石龙区、城乡一体化示范区、高新区",
            ["市卫生健康委", "市红十字会", "各县（市、区）政府（管委会）"],
        ),
        (771, "2023-12-31", "农村公路列养率", "达到", 100, "%", None, office),
        (771, "2023-12-31", "年均养护工程比例", "不低于", 5, "%", None, office),
        (771, "2023-12-31", "中等及以上农村公路占比", "达到", 80, "%", None, office),
        (
            771,
            "2023-12-31",
            "基本建立权责清晰、齐抓共管的农村公路管理养护体制机制，形成财政投入职责明确、社会力量积极参与的格局",
            None,
            None,
            None,
            None,
            office,
        ),
        (
            771,
            "2023-12-31",
            "农村公路路长制高效运行，治理能力明显提高，治理体系初步形成",
            None,
            None,
            None,
            None,
            office,
        ),
        (771, "2023-12-31", "农村公路通行条件和路域环境明显改善，交通保障能力显著增强", None, None, None, None, office),
        (
            771,
            "2035-12-31",
            "全面建成体系完备、运转高效的农村公路管理养护体制机制，基本实现城乡公路交通基本公共服务均等化，路况水平和路域环境根本性好转，农村公路治理能力全面提高，治理体系全面完善",
            None,
            None,
            None,
            None,
            office,
        ),
    ]
    by_line = {fact.line_start: fact for fact in extract_targets(gazette)}
    assert by_line[210].data["owner_basis"] == "责任单位"
    assert by_line[210].data["deadline_as_printed"] == "到2026年"
    assert by_line[771].data["document"] == ROAD_PLAN
    assert by_line[204].data["operator"] == "<="


def test_targets_of_the_government_work_report(yearbook: Document) -> None:
    found = extract_targets(yearbook)
    assert len(found) == 62
    assert {fact.data["deadline_year"] for fact in found} == {2024, 2025}
    assert all(fact.data["owners"] == ["平顶山市人民政府"] and fact.data["owner_basis"] == "issuer" for fact in found)
    first = [
        (
            f.line_start,
            f.page,
            f.data["indicator"],
            f.data["kind"],
            f.data["operator"],
            f.data["target_value"],
            f.data["unit"],
        )
        for f in found[:10]
    ]
    assert first == [
        (61640, 355, "经济", "growth", ">=", 6.5, "%"),
        (61642, 355, "研发经费投入强度", "level", ">=", 2.1, "%"),
        (61644, 355, "规上工业增加值", "growth", ">=", 7.5, "%"),
        (61646, 355, "固定资产投资", "growth", ">=", 8, "%"),
        (61646, 355, "社会消费品零售总额", "growth", ">=", 8, "%"),
        (61650, 355, "一般公共预算收入", "growth", ">=", 6.5, "%"),
        (61652, 355, "城镇调查失业率", "level", "≈", 5.5, "%"),
        (61654, 355, "城镇新增就业", "level", ">=", 6.9, "万人"),
        (61656, 355, "居民消费价格涨幅", "level", "≈", 3, "%"),
        (61658, 355, "粮食产量", "level", ">=", 225, "万吨"),
    ]
    stated = [
        (f.data["deadline_as_printed"], f.data["indicator"], f.data["target_value"])
        for f in found
        if f.data["deadline_basis"] == "stated"
    ]
    assert stated[0] == ("力争到2025年", "产业规模", 4000)
    assert ("2024年", "新建5G基站", 1400) in [
        (f.data["deadline_as_printed"], f.data["indicator"], f.data["target_value"]) for f in found
    ]


@pytest.fixture()
def kb_with_figures(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A plan's targets and indicator figures for the same year, as the indicators extractor stores them."""
    document, facts = build_document(TARGETS_PLAN)
    node = next(fact.node_id for fact in facts if fact.kind == "target")
    # The figures below stand in for what indicators.v1 reads, so the plan's own extracted figures make way.
    facts = [fact for fact in facts if fact.kind != "indicator"]

    def figure(
        number: int, indicator: str, value: float, unit: str, period: str, scope: str | None = None, line: int = 0
    ) -> Fact:
        return Fact(
            kind="indicator",
            volume=document.volume.id,
            node_id=node,
            line_start=15,
            line_end=15,
            page=None,
            data={
                "indicator": indicator,
                "indicator_as_printed": indicator,
                "entity": "江临市",
                "period": period,
                "scope": scope,
                "kind": "level",
                "value_as_printed": f"{value}{unit}",
                "number": value,
                "unit": unit,
                "page": 7,
                "line": line or 40 + number,
            },
            extractor="indicators.v1",
            id=f"{document.volume.id}:indicator:{number}",
        )

    figures = [
        figure(1, "森林覆盖率", 36.2, "%", "2024"),
        figure(2, "城市生活垃圾无害化处理率", 97.5, "%", "2024年"),
        figure(3, "城镇调查失业率", 5.7, "%", "2024"),
        figure(4, "新增公园绿地面积", 60, "万平方米", "2024"),
        figure(5, "污水集中收集率", 93, "%", "2024", scope="城市地区"),
        figure(6, "生活污水治理率", 45, "%", "2024", scope="城镇地区"),
        figure(7, "新建乡镇污水处理站", 20, "个", "2024"),
        figure(8, "新增公园绿地面积", 50, "万平方米", "2025", line=15),  # the target's own words read as a figure
        figure(9, "城市生活垃圾无害化处理率", 99, "%", "2024年（目标）"),
    ]
    store = SQLiteStore(tmp_path / "figures.db")
    store.replace_volume(document, facts + figures)
    knowledge_base = KnowledgeBase(store)
    yield knowledge_base
    knowledge_base.close()


def test_status_is_computed_from_indicator_figures(kb_with_figures: KnowledgeBase) -> None:
    statuses = [(t.data["indicator"], t.data.get("scope"), t.status) for t in kb_with_figures.targets()]
    assert statuses == [
        ("森林覆盖率", "全市", "met"),
        ("城市生活垃圾无害化处理率", None, "not_met"),
        ("城镇调查失业率", None, "met"),
        ("新建乡镇污水处理站", None, "unknown"),
        ("污水集中收集率", "城市地区", "met"),
        ("生活污水治理率", "农村地区", "unknown"),
        ("新增公园绿地面积", None, "unknown"),
    ]
    met = kb_with_figures.targets(status="met")
    assert met[0].row()["evidence"] == {
        "fact": "targets_plan:indicator:1",
        "volume": "targets_plan",
        "node": met[0].fact.node_id,
        "page": 7,
        "line": 41,
        "value_as_printed": "36.2%",
        "number": 36.2,
        "unit": "%",
        "period": "2024",
    }
    notes = {t.data["indicator"]: t.note for t in kb_with_figures.targets(status="unknown")}
    assert notes == {
        "新建乡镇污水处理站": "figures for this indicator and year are in another unit",
        "生活污水治理率": "no figure for this indicator and year in the knowledge base",
        "新增公园绿地面积": "no figure for this indicator and year in the knowledge base",
    }
    owned = kb_with_figures.targets(owner="市生态环境局")
    assert [t.data["indicator"] for t in owned] == ["新建乡镇污水处理站", "污水集中收集率", "生活污水治理率"]
    assert [t.data["indicator"] for t in kb_with_figures.targets(deadline_from="2025")] == ["新增公园绿地面积"]


def test_export_and_cli(kb_with_figures: KnowledgeBase, tmp_path: Path) -> None:
    rows = list(kb_with_figures.export("targets"))
    assert list(rows[0])[:13] == [
        "id",
        "volume",
        "node",
        "indicator",
        "comparison",
        "target_value",
        "unit",
        "deadline",
        "scope",
        "owners",
        "page",
        "line",
        "status",
    ]
    assert [row["status"] for row in rows] == ["met", "not_met", "met", "unknown", "met", "unknown", "unknown"]
    path = kb_with_figures.store.path  # type: ignore[attr-defined]
    runner = CliRunner()
    exported = runner.invoke(main, ["export", "--db", path, "--kind", "targets", "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    table = list(csv.DictReader(io.StringIO(exported.output)))
    assert (table[4]["scope"], table[4]["owners"], table[4]["status"]) == (
        "城市地区",
        '["市住房和城乡建设局", "市生态环境局", "各区县人民政府"]',
        "met",
    )
    listed = runner.invoke(main, ["targets", "--db", path, "--status", "not_met"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "1 target",
        "2024-12-31  城市生活垃圾无害化处理率 不低于 98%  (not_met)",
        "  owners: 江临市人民政府  targets_plan line 15",
    ]
    as_json = json.loads(runner.invoke(main, ["targets", "--db", path, "--owner", "住房", "--json"]).output)
    assert [row["indicator"] for row in as_json] == ["新建乡镇污水处理站", "污水集中收集率", "生活污水治理率"]


def test_sample_targets_are_unknown_without_figures(sample_kb: KnowledgeBase) -> None:
    found = sample_kb.targets()
    assert len(found) == 77
    assert {target.status for target in found} == {"unknown"}
    assert [target.data["deadline"] for target in found[:2]] == ["2023-12-31", "2023-12-31"]
    assert found[-1].data["deadline"] is None
    owners = dict(sample_kb.target_owners())
    assert owners["平顶山市人民政府"] == 64
    assert owners["市卫生健康委"] == 6


def test_a_standalone_work_report_plans_by_its_headings() -> None:
    document, facts = build_document(FIXTURES / "rules" / "work_report.txt")
    found = [
        (
            f.line_start,
            f.data["deadline"],
            f.data["deadline_basis"],
            f.data["indicator"],
            f.data["operator"],
            f.data["target_value"],
        )
        for f in facts
        if f.kind == "target"
    ]
    assert found == [
        (15, "2022-12-31", "heading", "地区生产总值", "≈", 6.5),
        (15, "2022-12-31", "heading", "一般公共预算收入", ">=", 5),
        (15, "2022-12-31", "heading", "城镇新增就业", ">=", 2.8),
        (15, "2022-12-31", "heading", "城镇调查失业率", "<=", 5.5),
        (19, "2022-12-31", "heading", "新建改造城市道路", ">=", 30),
        (19, "2025-12-31", "stated", "建成区绿化覆盖率", ">=", 42),
    ]
    assert {tuple(f.data["owners"]) for f in facts if f.kind == "target"} == {("江临市人民政府",)}


@pytest.mark.parametrize("name", ["wanzai-yichun_2015_tongjigongbao.txt", "funding_standard.txt"])
def test_reports_of_results_and_funding_standards_are_not_targets(name: str) -> None:
    document, facts = build_document(FIXTURES / "rules" / name)
    assert [fact for fact in facts if fact.kind == "target"] == []


def test_the_register_is_kept_until_a_volume_changes(tmp_path: Path) -> None:
    """Statuses are computed once per store for the web pages, and again as soon as a volume reports a figure."""
    bulletin = tmp_path / "bulletin.txt"
    bulletin.write_text("江临市2024年国民经济和社会发展统计公报\n\n2024年，全市森林覆盖率36.2%。\n", encoding="utf-8")
    with fangzhi.open(tmp_path / "kb.db") as kb:
        kb.ingest(TARGETS_PLAN)
        assert [t.status for t in kb.targets()] == ["unknown"] * 7
        assert kb.target_owners()[0] == ("江临市人民政府", 4)
        assert computed_names(kb.store) == ["targets.register"]
        kb.ingest(bulletin)
        assert computed_names(kb.store) == []
        assert [(t.data["indicator"], t.status) for t in kb.targets(status="met")] == [("森林覆盖率", "met")]
        assert [t.data["indicator"] for t in kb.targets(volume="bulletin")] == []
        assert len(kb.targets(volume="targets_plan")) == 7
