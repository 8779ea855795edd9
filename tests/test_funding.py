"""Funding standards read from the text, run as a calculator: the sample's rural-road plan and another city's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import FIXTURES
from fangzhi.cli import main
from fangzhi.errors import QueryError
from fangzhi.knowledge_base import KnowledgeBase

LENGTHS = {"county_road": 120, "township_road": 300, "village_road": 900}


def test_worked_example_on_the_sample_plan(sample_kb: KnowledgeBase) -> None:
    result = sample_kb.funding(LENGTHS).to_dict()
    assert result["total"] == 5_400_000
    assert (result["minimum"], result["minimum_as_printed"]) == (True, "不得低于")
    assert result["subject"] == "省、市、县三级公共财政资金（不含替代养路费部分）用于农村公路日常养护的总额"
    assert [(line["label"], line["km"], line["yuan_per_km_year"], line["amount"]) for line in result["lines"]] == [
        ("县道", 120, 10000, 1_200_000),
        ("乡道", 300, 5000, 1_500_000),
        ("村道", 900, 3000, 2_700_000),
    ]
    assert [(share["label"], share["ratio"], share["share"], share["amount"]) for share in result["shares"]] == [
        ("省", 2, 0.2, 1_080_000),
        ("市", 2, 0.2, 1_080_000),
        ("县", 6, 0.6, 3_240_000),
    ]
    (clause,) = result["clauses"]
    assert (clause["role"], clause["section"], clause["line"]) == ("rates and split", "（二）", 779)
    cited = sample_kb.node(clause["node"])
    assert (cited.kind, cited.line_start) == ("document_section", 779)
    assert result["plan"]["doc_no"] == "平政办〔2023〕23号"
    assert result["warnings"] == []


def test_fractions_of_yuan_and_missing_lengths(sample_kb: KnowledgeBase) -> None:
    result = sample_kb.funding({"county_road": 0.5, "township_road": None, "village_road": None}).to_dict()
    assert result["total"] == 5000
    assert [share["amount"] for share in result["shares"]] == [1000, 1000, 3000]
    with pytest.raises(QueryError, match="give at least one road length"):
        sample_kb.funding({"county_road": None})
    with pytest.raises(QueryError, match="must not be negative"):
        sample_kb.funding({"county_road": -1})


def test_another_citys_standard_in_other_words(tmp_path: Path) -> None:
    with fangzhi.open(tmp_path / "funding.db") as kb:
        kb.ingest(FIXTURES / "rules" / "funding_standard.txt")
        result = kb.funding(LENGTHS).to_dict()
    assert [(line["yuan_per_km_year"], line["amount"]) for line in result["lines"]] == [
        (12000, 1_440_000),
        (6000, 1_800_000),
        (3500, 3_150_000),
    ]
    assert result["total"] == 6_390_000
    assert [(share["label"], share["amount"]) for share in result["shares"]] == [
        ("省", 1_917_000),
        ("市", 1_917_000),
        ("县", 2_556_000),
    ]
    assert [(clause["role"], clause["line"]) for clause in result["clauses"]] == [("rates", 11), ("split", 11)]


def test_cli_funding(sample_db: Path) -> None:
    runner = CliRunner()
    arguments = ["rules", "funding", "--db", str(sample_db), "--county-road-km", "120", "--township-road-km", "300"]
    answered = runner.invoke(main, arguments + ["--village-road-km", "900", "--json"])
    assert answered.exit_code == 0, answered.output
    assert json.loads(answered.output)["total"] == 5_400_000
    text = runner.invoke(main, arguments + ["--village-road-km", "900"])
    assert text.output.splitlines()[:2] == [
        "5,400,000 元 a year（不得低于）: 省、市、县三级公共财政资金（不含替代养路费部分）用于农村公路日常养护的总额",
        "plan: 平顶山市深化农村公路管理养护体制改革实施方案 平政办〔2023〕23号",
    ]
    refused = runner.invoke(main, ["rules", "funding", "--db", str(sample_db)])
    assert refused.exit_code == 1
    assert refused.output.strip() == "Error: give at least one road length, e.g. --county-road-km 120"
