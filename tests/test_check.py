"""The consistency report (issue 10): exact findings on the sample corpus, the rules that compare values, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from fangzhi.cli import main
from fangzhi.extract.indicator_text import TextContext, figures_in_text
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.check import CheckReport
from fangzhi.services.checks import Finding
from fangzhi.services.checks.figures import Figure, agreement
from fangzhi.services.computed import computed_names

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"


@pytest.fixture(scope="module")
def report(sample_db: Path) -> CheckReport:
    with fangzhi.open(sample_db, create=False) as kb:
        return kb.check()


def _places(finding: Finding) -> list[tuple[str, str | None, int | None, int | None, str | None]]:
    return [(loc.volume, loc.node, loc.page, loc.line, loc.value) for loc in finding.locations]


@pytest.fixture(scope="module")
def node_at(sample_db: Path):  # type: ignore[no-untyped-def]
    """The id of the node a finding cites for a printed line: the deepest text node holding it."""
    with fangzhi.open(sample_db, create=False) as kb:
        nodes = [(n.volume, n.line_start, n.line_end, len(n.path), n.id, n.kind) for n in kb.nodes()]

    def find(volume: str, line: int, kind: str | None = None) -> str:
        holding = [n for n in nodes if n[0] == volume and n[1] <= line <= n[2] and (kind is None or n[5] == kind)]
        return max(holding, key=lambda n: n[3])[4]

    return find


def _only(report: CheckReport, kind: str, words: str) -> Finding:
    found = [finding for finding in report.findings if finding.kind == kind and words in finding.message]
    assert len(found) == 1, [finding.message for finding in found]
    return found[0]


def test_good_days_260_against_250(report: CheckReport, node_at) -> None:  # type: ignore[no-untyped-def]
    finding = _only(report, "value_conflict", "空气质量优良天数")
    assert finding.severity == "error" and finding.confidence == pytest.approx(0.9)
    assert finding.message == (
        "「空气质量优良天数」（全市，2023年）在年鉴“市情概览”第46页、年鉴“生态环境”第265页、年鉴统计公报第362页"
        "为250天，在年鉴卷首彩页（第51行）为260天，数值不一致。"
    )
    assert _places(finding) == [
        (YEARBOOK, node_at(YEARBOOK, 8004), 46, 8004, "250天"),
        (YEARBOOK, node_at(YEARBOOK, 46340), 265, 46340, "250天"),
        (YEARBOOK, node_at(YEARBOOK, 64283), 362, 64283, "250天"),
        (YEARBOOK, node_at(YEARBOOK, 51), None, 51, "260天"),
    ]


def test_60_gwh_against_60_yi_watt_hours(report: CheckReport, node_at) -> None:  # type: ignore[no-untyped-def]
    finding = _only(report, "unit_error", "储能及动力电池")
    assert finding.severity == "error" and finding.confidence == pytest.approx(0.85)
    assert _places(finding) == [
        (YEARBOOK, node_at(YEARBOOK, 584), 1, 584, "60GWh"),
        (YEARBOOK, node_at(YEARBOOK, 1364), 1, 1364, "60GWh"),
        (YEARBOOK, node_at(YEARBOOK, 36913), 210, 36913, "60GWh"),
        (YEARBOOK, node_at(YEARBOOK, 15199), 82, 15199, "60亿瓦时"),
        (YEARBOOK, node_at(YEARBOOK, 58997), 339, 58997, "60亿瓦时"),
        (YEARBOOK, node_at(YEARBOOK, 4953), 28, 4953, "60吉瓦时"),
        (YEARBOOK, node_at(YEARBOOK, 13349), 76, 13349, "60吉瓦时"),
        (YEARBOOK, node_at(YEARBOOK, 61177), 353, 61177, "60吉瓦时"),
    ]
    assert "相差10倍" in finding.message


def test_huang_gengti_written_huang_gengdong(report: CheckReport, node_at) -> None:  # type: ignore[no-untyped-def]
    finding = _only(report, "name_variant", "黄庚侗")
    assert finding.message == (
        "市政协主席黄庚倜（公报2处、年鉴11处）在公报6处写作“黄庚侗”，只差一个字，疑为同一人名的不同写法，请核定。"
    )
    assert finding.details["counts"] == [13, 6]
    assert _places(finding)[:6] == [
        (GAZETTE, node_at(GAZETTE, 803), None, 803, "黄庚侗"),
        (GAZETTE, node_at(GAZETTE, 977), None, 977, "黄庚侗"),
        (GAZETTE, node_at(GAZETTE, 991), None, 991, "黄庚侗"),
        (GAZETTE, node_at(GAZETTE, 999), None, 999, "黄庚侗"),
        (GAZETTE, node_at(GAZETTE, 1003), None, 1003, "黄庚侗"),
        (GAZETTE, node_at(GAZETTE, 1161), None, 1161, "黄庚侗"),
    ]
    third_form = _only(report, "name_variant", "黄庚佃")
    assert _places(third_form)[0] == (GAZETTE, node_at(GAZETTE, 1203), None, 1203, "黄庚佃")


def test_chronicle_date_against_the_documents_own_date(report: CheckReport, node_at) -> None:  # type: ignore[no-untyped-def]
    finding = _only(report, "date_mismatch", "平政〔2023〕30号")
    assert finding.message == (
        "年鉴大事记（第5162行）将《平顶山市医疗应急重点城市建设实施方案》（平政〔2023〕30号）记在2023年11月20日，"
        "而公报所载该文件的成文日期为2023年11月10日。"
    )
    assert _places(finding) == [
        (YEARBOOK, node_at(YEARBOOK, 5162), 29, 5162, "2023年11月20日"),
        (GAZETTE, node_at(GAZETTE, 157, "document"), 4, 157, "2023年11月10日"),
    ]


def test_an_issue_dated_after_its_contents(report: CheckReport) -> None:
    finding = _only(report, "issue_date", "2024年11月15日")
    assert _places(finding) == [(GAZETTE, None, None, 41, "2024年11月15日")]
    assert finding.details == {"issue_date": "2024-11-15", "latest_content": "2023-12-31"}


def test_breakdown_larger_than_its_total_in_a_table(report: CheckReport) -> None:
    finding = _only(report, "breakdown_mismatch", "发电量")
    assert finding.message == (
        "年鉴统计公报第363页「发电量」为211.08亿千瓦时，其分项179.10亿千瓦时、37.62亿千瓦时合计216.72亿千瓦时，大于总数。"
    )
    assert [place[3] for place in _places(finding)] == [63402, 63404, 63406]


def test_wrong_rounding_and_unit_against_the_table(report: CheckReport) -> None:
    rounding = _only(report, "wrong_rounding", "延揽各类人才")
    assert [(place[3], place[4]) for place in _places(rounding)] == [(513, "2.3万人"), (9319, "2.23万人")]
    adipic = _only(report, "unit_error", "己二酸产量")
    assert [(place[3], place[4]) for place in _places(adipic)] == [(63424, "38.58万吨"), (35325, "17.05吨")]


def test_a_name_with_its_two_characters_swapped(report: CheckReport, node_at) -> None:  # type: ignore[no-untyped-def]
    finding = _only(report, "name_variant", "房卫国")
    assert finding.message == (
        "副市长房国卫（公报1处、年鉴1处）在公报1处写作“房卫国”，名字两字颠倒，疑为同一人名的不同写法，请核定。"
    )
    assert _places(finding) == [
        (GAZETTE, node_at(GAZETTE, 865), None, 865, "房卫国"),
        (GAZETTE, node_at(GAZETTE, 841), None, 841, "房国卫"),
        (YEARBOOK, node_at(YEARBOOK, 25529), 144, 25529, "房国卫"),
    ]
    # 刘文海 and 刘文祥, both elected 副市长 in one sentence, are two people.
    assert not [f for f in report.findings if f.kind == "name_variant" and "刘文" in f.message]


def test_one_figure_in_two_kinds_of_unit(report: CheckReport) -> None:
    finding = _only(report, "unit_error", "快递业务总量")
    assert finding.message == (
        "全市的「快递业务总量」在年鉴统计公报第362页写作1.21亿件，在年鉴统计公报第365页写作1.21亿元，数字相同而单位不同，疑为单位错误。"
    )
    assert [(place[3], place[4]) for place in _places(finding)] == [(63769, "1.21亿件"), (63949, "1.21亿元")]


def test_the_units_above_a_size_larger_than_all_units(report: CheckReport) -> None:
    finding = _only(report, "part_exceeds_whole", "粗钢产量")
    assert finding.message == (
        "规模以上的「粗钢产量」在年鉴统计公报第363页为290.20万吨，大于年鉴“工业”第200页所载全市全部的274.8万吨，部分不应大于总体。"
    )
    assert [(place[3], place[4]) for place in _places(finding)] == [(34932, "274.8万吨"), (63408, "290.20万吨")]


def test_a_breakdown_short_of_its_total(report: CheckReport) -> None:
    finding = _only(report, "breakdown_mismatch", "基本医疗参保人数")
    assert finding.message == (
        "年鉴统计公报第362页「基本医疗参保人数」为483.38万人，其分项76.9万人、405.48万人合计482.38万人，小于总数。"
    )
    assert [(place[3], place[4]) for place in _places(finding)] == [
        (64095, "483.38万人"),
        (64097, "76.9万人"),
        (64101, "405.48万人"),
    ]


def test_one_measure_under_two_wordings(report: CheckReport) -> None:
    finding = _only(report, "value_conflict", "有效商标注册量")
    assert finding.details["names"] == ["有效商标注册量", "有效注册商标量"]
    assert [(place[3], place[4]) for place in _places(finding)] == [
        (29382, "52769件"),
        (29460, "52769件"),
        (16025, "50353件"),
    ]
    steel = _only(report, "value_conflict", "钢材产量")
    assert steel.details["names"] == ["钢材产量", "规模以上工业企业钢材产量"]


def test_rivers_and_a_bureau_s_own_services_are_not_the_city_s(report: CheckReport) -> None:
    """83.3% is the rivers' share of good sections, 100% the 农业农村局's own services: neither conflicts with the city's."""
    messages = " ".join(finding.message for finding in report.findings)
    assert "83.3%" not in messages
    assert "不见面审批" not in messages
    assert "税收收入" not in messages


def test_declared_counts_against_the_parsed_structure(report: CheckReport) -> None:
    found = [
        (f.details["item"], f.details["declared"], f.details["parsed"], f.locations[0].line)
        for f in report.findings
        if f.kind == "declared_count"
    ]
    assert found == [("分目", 244, 251, 387), ("图片", 126, 147, 388)]


def test_the_report_is_short_and_ranked(report: CheckReport) -> None:
    assert len(report.findings) == 65
    assert report.counts == {
        "breakdown_mismatch": 2,
        "date_mismatch": 1,
        "declared_count": 2,
        "estimate_differs": 1,
        "issue_date": 1,
        "label_mismatch": 1,
        "name_variant": 3,
        "part_exceeds_whole": 1,
        "unit_error": 3,
        "value_conflict": 48,
        "wrong_rounding": 2,
    }
    confidences = [finding.confidence for finding in report.findings]
    assert confidences == sorted(confidences, reverse=True)
    assert [finding.id for finding in report.findings[:3]] == ["F001", "F002", "F003"]
    assert all(finding.locations for finding in report.findings)


def test_county_and_part_year_figures_are_not_findings(report: CheckReport) -> None:
    messages = " ".join(finding.message for finding in report.findings)
    for county_value in ("282天", "297天", "283天", "287天", "268天", "214.3亿元"):
        assert county_value not in messages


def _figure(text: str) -> Figure:
    found = figures_in_text(text, TextContext(year=2023))[0]
    return Figure(
        id="",
        volume="",
        node="",
        page=None,
        line=1,
        indicator=found.indicator,
        printed_label=found.indicator_as_printed,
        entity=found.entity,
        period=found.period,
        scope=found.scope,
        kind=found.kind,
        number=found.number,
        unit=found.unit,
        base_value=found.base_value,
        base_unit=found.base_unit,
        dimension=found.dimension,
        decimals=found.decimals,
        approx=found.approx,
        estimate=found.estimate,
        qualifier=found.qualifier,
        basis=found.basis,
        value_as_printed=found.value_as_printed,
        sentence=found.sentence,
        table=None,
        row=None,
        column=None,
        parent_row=None,
        part_of=None,
        parent=None,
    )


def test_rounding_is_not_a_conflict_but_a_wrong_rounding_is() -> None:
    fine = _figure("新增转移农村劳动力2.23万人。")
    assert agreement(fine, _figure("新增转移农村劳动力2.2万人。")) == "same"
    assert agreement(fine, _figure("新增转移农村劳动力2.3万人。")) == "rounding"
    assert agreement(fine, _figure("新增转移农村劳动力22300人。")) == "same"
    assert agreement(fine, _figure("新增转移农村劳动力2.5万人。")) == "different"
    assert agreement(_figure("蔬菜种植面积47.53千公顷。"), _figure("蔬菜种植面积4.75万公顷。")) == "same"


def test_findings_in_a_small_document(tmp_path: Path) -> None:
    source = tmp_path / "communique.txt"
    source.write_text(
        "某市2023年国民经济和社会发展统计公报\n\n"
        "初步核算，全年全市地区生产总值100.0亿元，比上年增长5.0%。其中，第一产业增加值10.0亿元，"
        "第二产业增加值40.0亿元，第三产业增加值45.0亿元。三次产业结构为10.0∶40.0∶45.0。\n\n"
        "年末全市常住人口50万人，其中，城镇常住人口60万人。\n\n"
        "全年全市地区生产总值100.0亿元，比上年增长5.6%。\n",
        encoding="utf-8",
    )
    with fangzhi.open(tmp_path / "kb.db") as kb:
        kb.ingest(source)
        findings = kb.check(min_confidence=0.0).findings
    assert sorted((f.kind, f.details.get("indicator", "")) for f in findings) == [
        ("breakdown_mismatch", ""),
        ("part_exceeds_whole", ""),
        ("shares_mismatch", ""),
        ("value_conflict", "地区生产总值"),
    ]
    shares = next(f for f in findings if f.kind == "shares_mismatch")
    assert shares.details == {"parts": [10.0, 40.0, 45.0], "sum": 95.0}
    breakdown = next(f for f in findings if f.kind == "breakdown_mismatch")
    assert breakdown.details == {"whole": 100.0, "sum": 9500000000.0}


def test_check_command_formats(sample_db: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["check", "--db", str(sample_db)])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("共 65 条发现")
    markdown = runner.invoke(main, ["check", "--db", str(sample_db), "--format", "md", "--min-confidence", "0.8"])
    assert markdown.output.startswith("# 校对报告\n")
    as_json = json.loads(runner.invoke(main, ["check", "--db", str(sample_db), "--json"]).output)
    assert len(as_json["findings"]) == 65
    assert set(as_json["findings"][0]) == {
        "id",
        "kind",
        "title",
        "severity",
        "confidence",
        "message",
        "locations",
        "details",
    }
    html = runner.invoke(main, ["check", "--db", str(sample_db), "--format", "html", "--volume", GAZETTE])
    assert html.output.count("<section") == 5
    wrong = runner.invoke(main, ["check", "--db", str(sample_db), "--volume", "nope"])
    assert wrong.exit_code == 1
    assert wrong.output.strip() == f"Error: no volume 'nope'; choose one of: {GAZETTE}, {YEARBOOK}"


def test_exports_of_indicators_and_findings(sample_kb: KnowledgeBase) -> None:
    rows = sample_kb.export("indicators")
    first = next(rows)
    assert list(first) == [
        "id",
        "volume",
        "node",
        "indicator",
        "indicator_as_printed",
        "entity",
        "period",
        "scope",
        "kind",
        "value_as_printed",
        "number",
        "unit",
        "base_value",
        "base_unit",
        "approx",
        "page",
        "line",
    ]
    findings = list(sample_kb.export("findings"))
    assert len(findings) == 65
    assert list(findings[0]) == ["id", "kind", "severity", "confidence", "message", "locations"]
    assert set(findings[0]["locations"][0]) == {"volume", "node", "page", "line"}


def test_the_checks_run_once_per_store_and_every_report_numbers_its_own(tmp_path: Path) -> None:
    """The web server asks for the report on every request: the findings are kept until a volume changes."""
    first = tmp_path / "communique.txt"
    first.write_text(
        "某市2023年国民经济和社会发展统计公报\n\n全年全市地区生产总值100.0亿元，比上年增长5.0%。\n\n"
        "全年全市地区生产总值101.0亿元，比上年增长5.0%。\n",
        encoding="utf-8",
    )
    second = tmp_path / "report.txt"
    second.write_text(
        "某县2023年国民经济和社会发展统计公报\n\n全年全县地区生产总值50.0亿元，比上年增长4.0%。\n\n"
        "全年全县地区生产总值52.0亿元，比上年增长4.0%。\n",
        encoding="utf-8",
    )
    with fangzhi.open(tmp_path / "kb.db") as kb:
        kb.ingest(first)
        assert computed_names(kb.store) == []
        whole = kb.check()
        assert computed_names(kb.store) == ["check.findings"]
        assert [(f.id, f.details["entity"]) for f in whole.findings] == [("F001", "全市")]
        kb.ingest(second)
        assert computed_names(kb.store) == []
        both = kb.check()
        assert [(f.id, f.details["entity"]) for f in both.findings] == [("F001", "全市"), ("F002", "全县")]
        one = kb.check(volume="report")
        assert [(f.id, f.details["entity"]) for f in one.findings] == [("F001", "全县")]
        assert (one.indicators, both.indicators) == (4, 8)
        assert [(f.id, f.details["entity"]) for f in kb.check().findings] == [
            ("F001", "全市"),
            ("F002", "全县"),
        ]
        assert computed_names(kb.store) == ["check.findings"]
        kb.ingest(second, year=2022)  # the same file read another way: nothing computed before holds
        assert computed_names(kb.store) == []
