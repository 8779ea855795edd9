"""The clause grammar on its own: comparisons, durations, 或/且, levels, cuts, rates, splits, deadlines."""

from __future__ import annotations

import unicodedata

import pytest

from fangzhi.errors import QueryError
from fangzhi.rules import commitments, grammar
from fangzhi.rules.conditions import AllOf, AnyOf, Threshold, Unread, compare, condition_from_dict, evaluate


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def read(text: str):  # type: ignore[no-untyped-def]
    return grammar.parse_condition(grammar.clean_condition_text(folded(text)))


def test_or_binds_looser_than_and() -> None:
    reading = read(
        "预测AQI日均值＞200将持续96小时及以上，且预测AQI日均值＞300将持续48小时及以上；或预测AQI日均值达到500"
    )
    condition = reading.condition
    assert isinstance(condition, AnyOf)
    first, second = condition.parts
    assert isinstance(first, AllOf)
    assert [(part.operator, part.value, part.hours) for part in first.parts] == [(">", 200, 96), (">", 300, 48)]
    assert isinstance(second, Threshold)
    assert (second.operator, second.value, second.hours) == (">=", 500, 24)
    assert reading.problems == []


def test_unless_higher_clause_is_read_and_removed() -> None:
    reading = read("预测日AQI>200或日AQI>150持续48小时以上，且未达到高级别预警条件时")
    assert reading.unless_higher is True
    assert reading.unless_as_printed == "且未达到高级别预警条件"
    assert [(part.value, part.hours, part.duration_as_printed) for part in reading.condition.parts] == [
        (200, 24, None),
        (150, 48, "持续48小时以上"),
    ]


@pytest.mark.parametrize(
    ("text", "operator", "value", "hours"),
    [
        ("AQI日均值＞200将持续2天（48小时）及以上", ">", 200, 48),
        ("日AQI≥200持续3天及以上", ">=", 200, 72),
        ("AQI大于或等于200并将持续两天", ">=", 200, 48),
        ("日AQI超过300", ">", 300, 24),
        ("AQI日均值达到500", ">=", 500, 24),
        ("未来三天AQI大于200", ">", 200, 72),
    ],
)
def test_comparisons_and_durations(text: str, operator: str, value: float, hours: float) -> None:
    condition = read(text).condition
    assert isinstance(condition, Threshold)
    assert (condition.operator, condition.value, condition.hours) == (operator, value, hours)


def test_a_range_is_inclusive_and_a_part_without_a_comparison_is_kept_unread() -> None:
    ranged = read("未来一天AQI在201—300之间").condition
    assert (ranged.operator, ranged.value, ranged.upper) == ("between", 201, 300)
    unread = read("预测日AQI>200或空气质量明显恶化")
    assert isinstance(unread.condition, AnyOf)
    assert isinstance(unread.condition.parts[1], Unread)
    assert evaluate(unread.condition, [150]).holds is None
    assert evaluate(unread.condition, [201]).holds is True


def test_boundaries_are_exactly_as_written() -> None:
    greater = condition_from_dict(read("日AQI>200").condition.to_dict())
    at_least = read("日AQI≥200").condition
    assert evaluate(greater, [200]).holds is False
    assert evaluate(greater, [201]).holds is True
    assert evaluate(at_least, [200]).holds is True
    assert evaluate(at_least, [199]).holds is False


def test_durations_need_consecutive_days() -> None:
    two_days = read("日AQI>150持续48小时以上").condition
    assert evaluate(two_days, [151, 151]).holds is True
    assert evaluate(two_days, [151, 100, 151]).holds is False
    evaluation = evaluate(two_days, [100, 160, 170, 120])
    assert evaluation.to_dict() == {
        "holds": True,
        "as_printed": "日AQI>150持续48小时以上",
        "consecutive_days_needed": 2,
        "days": [2, 3],
    }
    assert evaluate(read("日AQI>200持续36小时以上").condition, [201]).holds is False
    assert evaluate(read("日AQI>200持续36小时以上").condition, [201, 201]).holds is True


def test_level_mentions_in_every_printed_form() -> None:
    text = folded("黄色预警（Ⅲ级）、二级预警(橙色)、Ⅰ级(红色)预警、蓝色预警")
    found = [(mention.level, mention.numeral) for mention in grammar.level_mentions(text)]
    assert found == [("yellow", "Ⅲ"), ("orange", "Ⅱ"), ("red", "Ⅰ"), ("blue", None)]
    assert grammar.level_mentions(folded("当预测将频繁启动橙色以上预警时")) == []
    assert [r[2] for r in grammar.response_mentions(folded("启动III级应急响应；启动Ⅱ级（橙色）应急响应"))] == ["Ⅲ", "Ⅱ"]
    assert grammar.level_order(folded("预警级别由低到高分为黄色、橙色和红色预警三级")) == ["yellow", "orange", "red"]
    assert grammar.level_order(folded("由高到低分为红色、橙色、黄色")) == ["yellow", "orange", "red"]


def test_emission_cuts_pair_levels_and_percentages() -> None:
    reading = grammar.emission_cuts(
        folded("SO2、NOx、PM和VOCs在黄色、橙色、红色预警期间减排比例分别达到15%、25%、35%以上")
    )
    assert {(level, pollutant, value) for level, pollutant, value, _, _ in reading.cuts} == {
        (level, pollutant, value)
        for level, value in (("yellow", 15), ("orange", 25), ("red", 35))
        for pollutant in ("SO2", "NOx", "PM", "VOCs")
    }
    assert grammar.emission_cuts(folded("减排比例分别达到10%、20%")).problem == "no pollutant named"


def test_funding_rates_and_split() -> None:
    sentence = folded("县道每公里每年不低于1.2万元、乡道每年每公里6000元，由省、市、县按照3:3:4的比例分担")
    rates = grammar.funding_rates(sentence)
    assert [(rate.category, rate.yuan, rate.per_year) for rate in rates] == [
        ("county_road", 12000, True),
        ("township_road", 6000, True),
    ]
    split = grammar.funding_split(sentence)
    assert split is not None
    assert (split.levels, split.ratio) == (["province", "city", "county"], [3, 3, 4])


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        ("到2023年年底，农村公路列养率达到100%", [("2023-12-31", "到2023年年底")]),
        ("2026年年底以前，体系健全完善", [("2026-12-31", "2026年年底以前")]),
        ("力争到2025年产业规模突破4000亿元", [("2025-12-31", "力争到2025年")]),
        ("2024年6月底前完成", [("2024-06-30", "2024年6月底前")]),
        ("到“十四五”末，覆盖率达到90%", [("2025-12-31", "到“十四五”末")]),
        ("2023年11月27日印发，2023年工作回顾", []),
    ],
)
def test_deadlines(text: str, deadlines: list[tuple[str, str]]) -> None:
    found = commitments.deadlines(folded(text))
    assert [(deadline.iso, deadline.as_printed) for deadline in found] == [
        (iso, folded(printed)) for iso, printed in deadlines
    ]


def test_quantities_read_comparison_bound_and_kind() -> None:
    text = folded(
        "实现城市地区服务半径不超过5公里、研发经费投入强度2.1%以上、经济增长6.5%、失业率5.5%左右、创建3—5家景区"
    )
    found = [(q.comparison, q.value, q.upper, q.unit, q.operator, q.kind) for q in commitments.quantities(text)]
    assert found == [
        ("不超过", 5, None, "公里", "<=", "level"),
        (None, 2.1, None, "%", ">=", "level"),
        ("增长", 6.5, None, "%", ">=", "growth"),
        (None, 5.5, None, "%", "≈", "level"),
        (None, 3, 5, "家", "between", "level"),
    ]
    assert commitments.split_scope("城市地区服务半径") == ("城市地区", "服务半径")
    assert commitments.split_scope("新华区、卫东区、城乡一体化示范区共配置") == (
        "新华区、卫东区、城乡一体化示范区",
        "配置",
    )
    assert commitments.split_scope("农村公路列养率") == (None, "农村公路列养率")


def test_comparisons_are_exact_and_an_unknown_one_is_a_query_error() -> None:
    assert [compare(200, operator, 200) for operator in (">", ">=", "<", "<=")] == [False, True, False, True]
    assert (compare(150, "between", 150, 200), compare(201, "between", 150, 200)) == (True, False)
    with pytest.raises(QueryError, match="ingest the document again"):
        compare(200, "=", 200)
