"""Alert plans read from the text and run on forecasts: the sample gazette's plan and two other cities' plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import FIXTURES, GAZETTE_PATH
from fangzhi.cli import main
from fangzhi.errors import NotFoundError, QueryError
from fangzhi.extract.rules import extract_rules
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.model import Document, ParseWarning
from fangzhi.parse import parse_source
from fangzhi.text.source import read_source

RULES = FIXTURES / "rules"
JIANGLIN = RULES / "jianglin_alert_plan.txt"
YUNQI = RULES / "yunqi_alert_plan.txt"
SAMPLE_PLAN = "平政办〔2023〕20号"


@pytest.fixture(scope="module")
def plan(gazette: Document) -> dict:
    (fact,) = [fact for fact in extract_rules(gazette) if fact.data["type"] == "heavy_pollution_alert"]
    assert fact.warnings == []
    assert (fact.line_start, fact.line_end) == (419, 751)
    return fact.data


def threshold(operator: str, value: float, hours: float, printed: str, duration: str | None) -> dict:
    return {
        "type": "threshold",
        "indicator": "AQI",
        "operator": operator,
        "value": value,
        "upper": None,
        "hours": hours,
        "duration_as_printed": duration,
        "as_printed": printed,
    }


def test_levels_and_their_conditions_are_read_from_the_plan(plan: dict) -> None:
    assert plan["doc_no"] == SAMPLE_PLAN
    assert plan["plan_title"] == "平顶山市重污染天气应急预案"
    assert [(level["level"], level["rank"], level["response_level"]) for level in plan["levels"]] == [
        ("yellow", 1, "Ⅲ"),
        ("orange", 2, "Ⅱ"),
        ("red", 3, "Ⅰ"),
    ]
    yellow, orange, red = plan["levels"]
    assert yellow["condition"] == {
        "type": "any",
        "parts": [
            threshold(">", 200, 24, "预测日AQI>200", None),
            threshold(">", 150, 48, "日AQI>150持续48小时以上", "持续48小时以上"),
        ],
    }
    assert orange["condition"] == {
        "type": "any",
        "parts": [
            threshold(">", 200, 48, "预测日AQI>200持续48小时", "持续48小时"),
            threshold(">", 150, 72, "日AQI>150持续72小时以上", "持续72小时以上"),
        ],
    }
    assert red["condition"] == {
        "type": "all",
        "parts": [
            threshold(">", 200, 72, "预测日AQI>200持续72小时", "持续72小时"),
            threshold(">", 300, 24, "日AQI>300持续24小时以上", "持续24小时以上"),
        ],
    }
    assert [level["unless_higher"] for level in plan["levels"]] == [True, True, False]
    assert [(level["citation"]["section"], level["citation"]["line"]) for level in plan["levels"]] == [
        ("3.2.1", 497),
        ("3.2.1", 499),
        ("3.2.1", 503),
    ]
    assert (
        orange["citation"]["text"]
        == "橙色预警：预测日AQI>200持续48小时或日AQI>150持续72小时以上，且未达到高级别预警条件时。"
    )
    assert [level["response_citation"]["line"] for level in plan["levels"]] == [537, 539, 541]
    assert plan["averaging_hours"]["value"] == 24
    assert plan["averaging_hours"]["line"] == 495
    assert (plan["forecast_basis"]["value"], plan["forecast_basis"]["line"]) == ("upper", 507)
    assert plan["level_order"]["levels"] == ["yellow", "orange", "red"]


def test_emission_cuts_units_and_procedures(plan: dict) -> None:
    cuts = {
        level: [(cut["pollutant"], cut["percent"]) for cut in entry["cuts"]]
        for level, entry in plan["emission_cuts"].items()
    }
    assert cuts == {
        "yellow": [("SO2", 10), ("NOx", 10), ("PM", 10), ("VOCs", 10)],
        "orange": [("SO2", 20), ("NOx", 20), ("PM", 20), ("VOCs", 20)],
        "red": [("SO2", 30), ("NOx", 30), ("PM", 30), ("VOCs", 30)],
    }
    assert plan["emission_cuts"]["red"]["citations"][0]["line"] == 547
    assert [note["text"] for note in plan["emission_cut_notes"]] == [
        "二氧化硫和氮氧化物减排比例可根据本地污染物排放构成调整，但二者比例之和不得低于上述总体要求"
    ]
    units = plan["units"]
    assert len(units) == 20
    assert [units[0]["unit"], units[7]["unit"], units[18]["unit"], units[19]["unit"]] == [
        "市委宣传部",
        "市生态环境局",
        "平顶山供电公司",
        "市市场监管局",
    ]
    assert [unit["citation"]["line"] for unit in units[:3]] == [707, 709, 711]
    assert units[10]["duties"].endswith("依据部门分工负责烟花爆竹禁燃禁放的监督管理工作。")
    assert [
        (group["title"], group["response_level"], group["scope"], group["builds_on"]) for group in plan["measures"]
    ] == [
        ("III级响应措施", "Ⅲ", "", None),
        ("II级响应措施", "Ⅱ", "", "Ⅲ"),
        ("I级响应措施", "Ⅰ", "", "Ⅱ"),
        ("市级III级响应", "Ⅲ", "市级", None),
        ("市级II级响应", "Ⅱ", "市级", None),
        ("市级I级响应", "Ⅰ", "市级", "Ⅱ"),
    ]
    assert [(item["line"], item["durations"]) for item in plan["release"][:1]] == [
        (515, [{"hours": 48, "as_printed": "提前48小时以上"}])
    ]
    assert [(item["line"], item["durations"]) for item in plan["lifting"][:1]] == [
        (523, [{"hours": 36, "as_printed": "36小时以上"}])
    ]
    assert [item["line"] for item in plan["adjustment"]] == [523, 525, 527]
    assert [item["text"] for item in plan["termination"]][0] == "预警解除即响应终止"


# (forecast, level, response level): at each threshold, one above it, and each duration one day short.
SAMPLE_CASES = [
    ("150,150,150", "none", None),
    ("151", "none", None),
    ("151,151", "yellow", "Ⅲ"),
    ("151,100,151", "none", None),
    ("151,151,151", "orange", "Ⅱ"),
    ("200", "none", None),
    ("201", "yellow", "Ⅲ"),
    ("200,200", "yellow", "Ⅲ"),
    ("200,200,200", "orange", "Ⅱ"),
    ("201,201", "orange", "Ⅱ"),
    ("210,150,210", "yellow", "Ⅲ"),
    ("160,210,220", "orange", "Ⅱ"),
    ("201,201,201", "orange", "Ⅱ"),
    ("201,201,300", "orange", "Ⅱ"),
    ("201,201,301", "red", "Ⅰ"),
    ("201,301", "orange", "Ⅱ"),
    ("301,301", "orange", "Ⅱ"),
    ("301,301,301", "red", "Ⅰ"),
    ("500", "yellow", "Ⅲ"),
    ("100,180-220", "yellow", "Ⅲ"),
]


@pytest.mark.parametrize(("forecast", "level", "response"), SAMPLE_CASES)
def test_sample_plan_boundaries(sample_kb: KnowledgeBase, forecast: str, level: str, response: str | None) -> None:
    result = sample_kb.alert(forecast)
    assert (result.level, result.response_level) == (level, response)


def test_orange_alert_in_full(sample_kb: KnowledgeBase) -> None:
    result = sample_kb.alert("160,210,220").to_dict()
    assert result["plan"]["doc_no"] == SAMPLE_PLAN
    assert result["level_label"] == "橙色预警"
    assert [(cut["pollutant"], cut["operator"], cut["percent"]) for cut in result["emission_cuts"]] == [
        ("SO2", ">=", 20),
        ("NOx", ">=", 20),
        ("PM", ">=", 20),
        ("VOCs", ">=", 20),
    ]
    assert [(clause["role"], clause.get("line")) for clause in result["clauses"]] == [
        ("level", 499),
        ("response", 539),
        ("superseded", 497),
        ("averaging", 495),
        ("emission_cuts", 547),
        ("measures", 591),
        ("builds_on", 593),
        ("measures", 561),
        ("measures", 623),
    ]
    assert [(group["title"], group["inherited"]) for group in result["measures"]] == [
        ("II级响应措施", False),
        ("III级响应措施", True),
        ("市级II级响应", False),
    ]
    units = {unit["unit"]: unit for unit in result["responsible_units"]}
    assert [measure["line"] for measure in units["市发展改革委"]["measures"]] == [595, 625]
    assert units["市气象局"]["duties"].startswith("市气象局负责开展空气污染气象条件等级分析预报")
    assert units["电力部门"]["listed"] is False
    assert "市财政局" not in units
    assert [evaluation["holds"] for evaluation in result["evaluations"]] == [False, True, True]
    assert result["evaluations"][1]["evaluation"]["parts"][0]["days"] == [2, 3]


def test_no_alert_says_so(sample_kb: KnowledgeBase) -> None:
    result = sample_kb.alert("120,130").to_dict()
    assert (result["level"], result["response_level"], result["emission_cuts"], result["measures"]) == (
        "none",
        None,
        [],
        [],
    )
    assert result["clauses"][0] == {"role": "no_level", "note": "no level's condition holds on this forecast"}


@pytest.mark.parametrize("forecast", ["", "abc", "160,x", "-5", "300-200"])
def test_bad_forecasts_are_refused(sample_kb: KnowledgeBase, forecast: str) -> None:
    with pytest.raises(QueryError):
        sample_kb.alert(forecast)


@pytest.fixture(scope="module")
def cities_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "cities.db"
    with fangzhi.open(path) as kb:
        for source in (GAZETTE_PATH, JIANGLIN, YUNQI):
            kb.ingest(source)
    return path


@pytest.fixture()
def cities(cities_db: Path):  # type: ignore[no-untyped-def]
    with fangzhi.open(cities_db, create=False) as kb:
        yield kb


JIANGLIN_CASES = [
    ("210", "none", None),
    ("210,210", "yellow", "Ⅲ"),
    ("200,200", "none", None),
    ("210,210,210", "yellow", "Ⅲ"),
    ("210,210,299", "yellow", "Ⅲ"),
    ("210,210,300", "orange", "Ⅱ"),
    ("210,210,210,310", "orange", "Ⅱ"),
    ("210,210,210,310,310", "red", "Ⅰ"),
    ("499", "none", None),
    ("500", "red", "Ⅰ"),
]


@pytest.mark.parametrize(("forecast", "level", "response"), JIANGLIN_CASES)
def test_another_citys_plan_with_other_numbers(
    cities: KnowledgeBase, forecast: str, level: str, response: str | None
) -> None:
    result = cities.alert(forecast, plan="江政办〔2022〕41号")
    assert (result.level, result.response_level) == (level, response)


def test_another_citys_plan_is_read_in_full(cities: KnowledgeBase) -> None:
    (summary,) = [found for found in cities.rule_sets() if found.doc_no == "江政办〔2022〕41号"]
    assert summary.summary == "3 级预警（黄色→Ⅲ、橙色→Ⅱ、红色→Ⅰ），5 个责任单位"
    assert summary.warnings == []
    result = cities.alert("210,210,300", plan="江政办（2022）41号").to_dict()
    assert [(cut["pollutant"], cut["percent"]) for cut in result["emission_cuts"]] == [
        ("SO2", 25),
        ("NOx", 25),
        ("PM", 25),
        ("VOCs", 25),
    ]
    assert [unit["unit"] for unit in result["responsible_units"]] == [
        "市公安局",
        "市教育局",
        "市生态环境局",
        "市住房和城乡建设局",
    ]
    assert result["clauses"][0]["line"] == 31
    assert result["procedures"]["lifting"][0]["durations"] == [{"hours": 24, "as_printed": "24小时以上"}]


YUNQI_CASES = [
    ("200", "none", None),
    ("201", "blue", "Ⅳ"),
    ("201,201", "yellow", "Ⅲ"),
    ("201,201,300", "yellow", "Ⅲ"),
    ("201,201,301", "orange", "Ⅱ"),
    ("201,201,201,301", "orange", "Ⅱ"),
    ("201,201,201,301,301", "red", "Ⅰ"),
    ("500", "red", "Ⅰ"),
]


@pytest.mark.parametrize(("forecast", "level", "response"), YUNQI_CASES)
def test_a_four_level_plan_flattened_from_a_table(
    cities: KnowledgeBase, forecast: str, level: str, response: str | None
) -> None:
    result = cities.alert(forecast, plan="云政办发〔2021〕7号")
    assert (result.level, result.response_level) == (level, response)
    cuts = {"blue": 5, "yellow": 10, "orange": 20, "red": 30}
    assert [cut["percent"] for cut in result.emission_cuts] == ([cuts[level]] * 4 if level in cuts else [])


def test_levels_as_headings_with_the_condition_below(tmp_path: Path) -> None:
    (fact,) = extract_rules(parse_source(read_source(RULES / "shifan_alert_plan.txt")))
    assert fact.warnings == []
    levels = fact.data["levels"]
    assert [
        (level["level"], level["line"], level["response_level"], level["response_citation"]["line"]) for level in levels
    ] == [
        ("yellow", 11, "Ⅲ", 25),
        ("orange", 15, "Ⅱ", 25),
        ("red", 19, "Ⅰ", 25),
    ]
    assert {level: entry["cuts"][0]["percent"] for level, entry in fact.data["emission_cuts"].items()} == {
        "yellow": 10,
        "orange": 20,
        "red": 30,
    }
    with fangzhi.open(tmp_path / "shifan.db") as kb:
        kb.ingest(RULES / "shifan_alert_plan.txt")
        levels_found = [
            kb.alert(forecast).level
            for forecast in ("201", "201,201", "201,201,300", "201,201,301", "201,201,201,301,301", "500")
        ]
    assert levels_found == ["none", "yellow", "yellow", "orange", "red", "red"]


def test_several_plans_need_a_choice(cities: KnowledgeBase) -> None:
    with pytest.raises(QueryError, match="choose one with --plan"):
        cities.alert("160,210,220")
    with pytest.raises(NotFoundError, match="no 重污染天气预警 rules from"):
        cities.alert("160", plan="平政〔2023〕99号")
    assert cities.alert("201", plan="云栖市").plan["doc_no"] == "云政办发〔2021〕7号"
    assert cities.alert("201", plan="yunqi_alert_plan:rule_set:1").level == "blue"


def test_condition_first_wording_and_what_could_not_be_read(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(
        "示例县重污染天气应急预案\n\n一、预警分级\n\n"
        "当预测AQI日均值＞200将持续2天及以上时，启动黄色预警。\n\n"
        "当预测AQI日均值＞200将持续3天及以上，或空气质量明显恶化时，启动橙色预警。\n\n"
        "发布黄色预警时，启动Ⅲ级应急响应。\n",
        encoding="utf-8",
    )
    (fact,) = extract_rules(parse_source(read_source(source)))
    levels = fact.data["levels"]
    assert [(level["level"], level["response_level"]) for level in levels] == [("yellow", "Ⅲ"), ("orange", None)]
    assert levels[0]["condition"]["hours"] == 48
    assert levels[1]["unread"] == ["空气质量明显恶化"]
    codes = [(warning.code, warning.line) for warning in fact.warnings if isinstance(warning, ParseWarning)]
    assert codes == [
        ("rule_condition_unclear", 7),
        ("rule_no_response_level", 7),
        ("rule_no_emission_cuts", 5),
        ("rule_no_emission_cuts", 7),
    ]


def test_cli_rules_and_alert(sample_db: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["rules", "--db", str(sample_db), "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(row["type"], row["doc_no"], row["line"]) for row in json.loads(listed.output)] == [
        ("heavy_pollution_alert", SAMPLE_PLAN, 497),
        ("maintenance_funding", "平政办〔2023〕23号", 779),
    ]
    answered = runner.invoke(main, ["alert", "--db", str(sample_db), "--forecast", "160,210,220", "--json"])
    assert answered.exit_code == 0, answered.output
    result = json.loads(answered.output)
    assert (result["level"], result["response_level"]) == ("orange", "Ⅱ")
    text = runner.invoke(main, ["alert", "--db", str(sample_db), "--forecast", "201,201,301"])
    assert text.exit_code == 0
    assert text.output.splitlines()[0] == "level: red (红色预警), response level Ⅰ"
    refused = runner.invoke(main, ["alert", "--db", str(sample_db), "--forecast", "a,b"])
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        "Error: forecast value 'a' is not a number; give daily AQI values like 160,210,220 (or ranges 180-220)"
    ]
