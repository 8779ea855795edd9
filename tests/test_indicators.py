"""Indicator facts (issue 10): figures in prose and every cell of the communiqué's tables, on the real sample."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from fangzhi.extract.indicator_terms import unit_table
from fangzhi.extract.indicator_text import TextContext, distribute_names, figures_in_text, organisation_subject
from fangzhi.extract.indicators import extract_indicators
from fangzhi.model import Document, Fact
from fangzhi.parse import parse_source
from fangzhi.text.source import read_source

CONTRACT_KEYS = {
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
}


@pytest.fixture(scope="module")
def yearbook_facts(yearbook: Document) -> list[Fact]:
    return extract_indicators(yearbook)


def _summary(fact: Fact) -> tuple[object, ...]:
    data = fact.data
    return (data["indicator"], data["value_as_printed"], data["number"], data["kind"], data["period"], fact.line_start)


def test_every_fact_keeps_the_contract_keys(yearbook_facts: list[Fact]) -> None:
    assert len(yearbook_facts) == 12014
    for fact in yearbook_facts:
        assert set(fact.data) >= CONTRACT_KEYS, fact.data
        assert fact.kind == "indicator" and fact.extractor == "indicators.v1"
        assert fact.data["line"] == fact.line_start and fact.data["node"] == fact.node_id


def test_communique_first_section_prose(yearbook: Document, yearbook_facts: list[Fact]) -> None:
    communique = next(node.id for node in yearbook.nodes("appendix") if "统计公报" in (node.title or ""))
    prose = [f for f in yearbook_facts if f.node_id == communique and "table" not in f.data]
    assert [_summary(fact) for fact in prose[:24]] == [
        ("地区生产总值", "2720.07亿元", 2720.07, "level", "2023年", 63030),
        ("地区生产总值", "3.2%", 3.2, "growth", "2023年", 63032),
        ("第一产业增加值", "204.30亿元", 204.3, "level", "2023年", 63034),
        ("第一产业增加值", "2.2%", 2.2, "growth", "2023年", 63034),
        ("第二产业增加值", "1135.29亿元", 1135.29, "level", "2023年", 63036),
        ("第二产业增加值", "2.8%", 2.8, "growth", "2023年", 63038),
        ("第三产业增加值", "1380.48亿元", 1380.48, "level", "2023年", 63038),
        ("第三产业增加值", "3.8%", 3.8, "growth", "2023年", 63040),
        ("三次产业结构", "7.5", 7.5, "share", "2023年", 63042),
        ("三次产业结构", "41.7", 41.7, "share", "2023年", 63042),
        ("三次产业结构", "50.8", 50.8, "share", "2023年", 63042),
        ("人均地区生产总值", "55057元", 55057.0, "level", "2023年", 63044),
        ("人均地区生产总值", "3.7%", 3.7, "growth", "2023年", 63044),
        ("常住人口", "492万人", 492.0, "count", "2023年末", 63046),
        ("城镇常住人口", "276万人", 276.0, "count", "2023年末", 63048),
        ("乡村常住人口", "216万人", 216.0, "count", "2023年末", 63050),
        ("常住人口城镇化率", "56.10%", 56.1, "share", "2023年末", 63052),
        ("常住人口城镇化率", "1.02个百分点", 1.02, "growth", "2023年末", 63054),
        ("出生人口", "3.3万人", 3.3, "count", "2023年", 63054),
        ("人口出生率", "6.70‰", 6.7, "share", "2023年", 63055),
        ("死亡人口", "4.0万人", 4.0, "count", "2023年", 63057),
        ("人口死亡率", "8.10‰", 8.1, "share", "2023年", 63059),
        ("自然减少人口", "0.7万人", 0.7, "count", "2023年", 63059),
        ("人口自然增长率", "-1.42‰", -1.42, "share", "2023年", 63061),
    ]
    first = prose[0].data
    assert (first["entity"], first["unit"], first["base_value"], first["base_unit"], first["page"]) == (
        "全市",
        "亿元",
        272007000000.0,
        "元",
        362,
    )
    parts = [f.data for f in prose[14:16]]
    assert [(p["part_of"], p["whole_value"], p["whole_line"]) for p in parts] == [
        ("常住人口", 4920000.0, 63046),
        ("常住人口", 4920000.0, 63046),
    ]


# Every numeric cell of the communiqué's six tables: row label, column header, indicator, value, kind, period, line.
# Cells printed as "-" hold no figure.
COMMUNIQUE_TABLES = {
    "表1": [
        ("居民消费价格总指数", "上年同期=100", "居民消费价格总指数", "99.8", "level", "2023年", 63146),
        ("一、食品烟酒", "上年同期=100", "食品烟酒", "100.0", "level", "2023年", 63148),
        ("粮食", "上年同期=100", "粮食", "101.4", "level", "2023年", 63150),
        ("鲜菜", "上年同期=100", "鲜菜", "95.8", "level", "2023年", 63152),
        ("畜肉", "上年同期=100", "畜肉", "92.4", "level", "2023年", 63154),
        ("水产品", "上年同期=100", "水产品", "94.9", "level", "2023年", 63156),
        ("蛋", "上年同期=100", "蛋", "101.3", "level", "2023年", 63158),
        ("鲜果", "上年同期=100", "鲜果", "110.1", "level", "2023年", 63160),
        ("二、衣着", "上年同期=100", "衣着", "99.6", "level", "2023年", 63162),
        ("三、居住", "上年同期=100", "居住", "99.3", "level", "2023年", 63164),
        ("四、生活用品及服务", "上年同期=100", "生活用品及服务", "100.2", "level", "2023年", 63166),
        ("五、交通和通信", "上年同期=100", "交通和通信", "97.3", "level", "2023年", 63168),
        ("六、教育文化和娱乐", "上年同期=100", "教育文化和娱乐", "101.2", "level", "2023年", 63170),
        ("七、医疗保健", "上年同期=100", "医疗保健", "100.7", "level", "2023年", 63172),
        ("八、其他用品和服务", "上年同期=100", "其他用品和服务", "104.1", "level", "2023年", 63174),
    ],
    "表2": [
        ("原煤", "产量", "原煤产量", "3304.68万吨", "level", "2023年", 63400),
        ("原煤", "比上年增长（%）", "原煤产量", "4.2%", "growth", "2023年", 63430),
        ("发电量", "产量", "发电量", "211.08亿千瓦时", "level", "2023年", 63402),
        ("发电量", "比上年增长（%）", "发电量", "-7.3%", "growth", "2023年", 63432),
        ("#火力发电量", "产量", "火力发电量", "179.10亿千瓦时", "level", "2023年", 63404),
        ("#火力发电量", "比上年增长（%）", "火力发电量", "-5.1%", "growth", "2023年", 63434),
        ("#清洁能源发电量", "产量", "清洁能源发电量", "37.62亿千瓦时", "level", "2023年", 63406),
        ("#清洁能源发电量", "比上年增长（%）", "清洁能源发电量", "-16.0%", "growth", "2023年", 63436),
        ("粗钢", "产量", "粗钢产量", "290.20万吨", "level", "2023年", 63408),
        ("粗钢", "比上年增长（%）", "粗钢产量", "-9.2%", "growth", "2023年", 63438),
        ("原盐", "产量", "原盐产量", "74.62万吨", "level", "2023年", 63410),
        ("原盐", "比上年增长（%）", "原盐产量", "2.2%", "growth", "2023年", 63440),
        ("钢材", "产量", "钢材产量", "253.94万吨", "level", "2023年", 63412),
        ("钢材", "比上年增长（%）", "钢材产量", "-3.9%", "growth", "2023年", 63442),
        ("水泥", "产量", "水泥产量", "782.92万吨", "level", "2023年", 63414),
        ("水泥", "比上年增长（%）", "水泥产量", "-15.2%", "growth", "2023年", 63444),
        ("烧碱", "产量", "烧碱产量", "50.88万吨", "level", "2023年", 63416),
        ("烧碱", "比上年增长（%）", "烧碱产量", "4.9%", "growth", "2023年", 63446),
        ("化学纤维", "产量", "化学纤维产量", "14.60万吨", "level", "2023年", 63418),
        ("化学纤维", "比上年增长（%）", "化学纤维产量", "-2.1%", "growth", "2023年", 63448),
        ("矿山专用设备", "产量", "矿山专用设备产量", "19.81万吨", "level", "2023年", 63420),
        ("矿山专用设备", "比上年增长（%）", "矿山专用设备产量", "18.3%", "growth", "2023年", 63450),
        ("帘子布", "产量", "帘子布产量", "8.07万吨", "level", "2023年", 63422),
        ("帘子布", "比上年增长（%）", "帘子布产量", "-5.2%", "growth", "2023年", 63452),
        ("己二酸", "产量", "己二酸产量", "38.58万吨", "level", "2023年", 63424),
        ("己二酸", "比上年增长（%）", "己二酸产量", "11.1%", "growth", "2023年", 63454),
        ("摩托车整车", "产量", "摩托车整车产量", "22.94万辆", "count", "2023年", 63426),
        ("摩托车整车", "比上年增长（%）", "摩托车整车产量", "8.0%", "growth", "2023年", 63456),
    ],
    "表3": [
        ("合计", "同比增长（%）", "合计", "2.8%", "growth", "2023年", 63603),
        ("农、林、牧、渔业", "同比增长（%）", "农、林、牧、渔业", "-71.1%", "growth", "2023年", 63605),
        ("工业", "同比增长（%）", "工业", "18.4%", "growth", "2023年", 63607),
        ("采矿业", "同比增长（%）", "采矿业", "39.5%", "growth", "2023年", 63609),
        ("制造业", "同比增长（%）", "制造业", "-5.5%", "growth", "2023年", 63611),
        (
            "电力热力燃气及水的生产和供应业",
            "同比增长（%）",
            "电力热力燃气及水的生产和供应业",
            "79.7%",
            "growth",
            "2023年",
            63613,
        ),
        ("批发和零售业", "同比增长（%）", "批发和零售业", "21.1%", "growth", "2023年", 63615),
        ("交通运输、仓储和邮政业", "同比增长（%）", "交通运输、仓储和邮政业", "62.4%", "growth", "2023年", 63617),
        ("住宿和餐饮业", "同比增长（%）", "住宿和餐饮业", "119.9%", "growth", "2023年", 63619),
        (
            "信息传输、软件和信息技术服务业",
            "同比增长（%）",
            "信息传输、软件和信息技术服务业",
            "-44.3%",
            "growth",
            "2023年",
            63621,
        ),
        ("房地产业", "同比增长（%）", "房地产业", "-5.7%", "growth", "2023年", 63623),
        ("租赁和商务服务业", "同比增长（%）", "租赁和商务服务业", "86.0%", "growth", "2023年", 63625),
        ("科学研究和技术服务业", "同比增长（%）", "科学研究和技术服务业", "219.1%", "growth", "2023年", 63627),
        (
            "水利、环境和公共设施管理业",
            "同比增长（%）",
            "水利、环境和公共设施管理业",
            "-46.0%",
            "growth",
            "2023年",
            63629,
        ),
        (
            "居民服务、修理和其他服务业",
            "同比增长（%）",
            "居民服务、修理和其他服务业",
            "80.8%",
            "growth",
            "2023年",
            63631,
        ),
        ("教育", "同比增长（%）", "教育", "49.7%", "growth", "2023年", 63633),
        ("卫生和社会工作", "同比增长（%）", "卫生和社会工作", "13.1%", "growth", "2023年", 63635),
        ("文化、体育和娱乐业", "同比增长（%）", "文化、体育和娱乐业", "-63.3%", "growth", "2023年", 63637),
        (
            "公共管理、社会保障和社会组织",
            "同比增长（%）",
            "公共管理、社会保障和社会组织",
            "-67.3%",
            "growth",
            "2023年",
            63639,
        ),
    ],
    "表4": [
        ("投资额", "绝对数", "投资额", "110.32亿元", "level", "2023年", 63691),
        ("投资额", "比上年增长（%）", "投资额", "-2.2%", "growth", "2023年", 63713),
        ("#住宅", "绝对数", "投资额", "94.01亿元", "level", "2023年", 63693),
        ("#住宅", "比上年增长（%）", "投资额", "-3.6%", "growth", "2023年", 63715),
        ("房屋施工面积", "绝对数", "房屋施工面积", "2768.10万平方米", "level", "2023年", 63695),
        ("房屋施工面积", "比上年增长（%）", "房屋施工面积", "-3.7%", "growth", "2023年", 63717),
        ("#住宅", "绝对数", "房屋施工面积", "2184.00万平方米", "level", "2023年", 63697),
        ("#住宅", "比上年增长（%）", "房屋施工面积", "-4.8%", "growth", "2023年", 63719),
        ("房屋新开工面积", "绝对数", "房屋新开工面积", "244.84万平方米", "level", "2023年", 63699),
        ("房屋新开工面积", "比上年增长（%）", "房屋新开工面积", "-15.8%", "growth", "2023年", 63721),
        ("#住宅", "绝对数", "房屋新开工面积", "184.70万平方米", "level", "2023年", 63701),
        ("#住宅", "比上年增长（%）", "房屋新开工面积", "-25.1%", "growth", "2023年", 63723),
        ("房屋竣工面积", "绝对数", "房屋竣工面积", "154.04万平方米", "level", "2023年", 63703),
        ("房屋竣工面积", "比上年增长（%）", "房屋竣工面积", "-21.2%", "growth", "2023年", 63725),
        ("#住宅", "绝对数", "房屋竣工面积", "139.24万平方米", "level", "2023年", 63705),
        ("#住宅", "比上年增长（%）", "房屋竣工面积", "-16.4%", "growth", "2023年", 63727),
        ("房屋销售面积", "绝对数", "房屋销售面积", "213.43万平方米", "level", "2023年", 63707),
        ("房屋销售面积", "比上年增长（%）", "房屋销售面积", "-31.3%", "growth", "2023年", 63729),
        ("#住宅", "绝对数", "房屋销售面积", "200.25万平方米", "level", "2023年", 63709),
        ("#住宅", "比上年增长（%）", "房屋销售面积", "-31.0%", "growth", "2023年", 63731),
    ],
    "表5": [
        ("货运量", "总量", "货运量", "0.95亿吨", "level", "2023年", 63925),
        ("货运量", "增速（免）", "货运量", "-9.6%", "growth", "2023年", 63969),
        ("货物周转量", "总量", "货物周转量", "462.53亿吨公里", "level", "2023年", 63927),
        ("货物周转量", "增速（免）", "货物周转量", "0.9%", "growth", "2023年", 63971),
        ("客运量", "总量", "客运量", "0.51亿人", "count", "2023年", 63929),
        ("客运量", "增速（免）", "客运量", "385.0%", "growth", "2023年", 63973),
        ("客运周转量", "总量", "客运周转量", "30.88亿人公里", "level", "2023年", 63931),
        ("客运周转量", "增速（免）", "客运周转量", "395.5%", "growth", "2023年", 63975),
        ("民用车辆拥有量", "总量", "民用车辆拥有量", "89.99万辆", "count", "2023年", 63933),
        ("民用车辆拥有量", "增速（免）", "民用车辆拥有量", "3.2%", "growth", "2023年", 63977),
        ("私人汽车", "总量", "私人汽车", "84.18万辆", "count", "2023年", 63935),
        ("私人汽车", "增速（免）", "私人汽车", "3.5%", "growth", "2023年", 63979),
        ("民用轿车拥有量", "总量", "民用轿车拥有量", "45.27万辆", "count", "2023年", 63937),
        ("民用轿车拥有量", "增速（免）", "民用轿车拥有量", "5.7%", "growth", "2023年", 63981),
        ("邮电业务总量", "总量", "邮电业务总量", "62.82亿元", "level", "2023年", 63939),
        ("邮电业务总量", "增速（免）", "邮电业务总量", "21.5%", "growth", "2023年", 63983),
        ("邮政业务总量", "总量", "邮政业务总量", "17.98亿元", "level", "2023年", 63941),
        ("邮政业务总量", "增速（免）", "邮政业务总量", "29.0%", "growth", "2023年", 63985),
        ("邮政业务收入（不含储蓄）", "总量", "邮政业务收入", "22.11亿元", "level", "2023年", 63943),
        ("邮政业务收入（不含储蓄）", "增速（免）", "邮政业务收入", "48.3%", "growth", "2023年", 63987),
        ("电信业务总量", "总量", "电信业务总量", "44.84亿元", "level", "2023年", 63945),
        ("电信业务总量", "增速（免）", "电信业务总量", "18.7%", "growth", "2023年", 63989),
        ("电信业务收入", "总量", "电信业务收入", "35.47亿元", "level", "2023年", 63947),
        ("电信业务收入", "增速（免）", "电信业务收入", "4.5%", "growth", "2023年", 63991),
        ("快递业务总量", "总量", "快递业务总量", "1.21亿元", "level", "2023年", 63949),
        ("快递业务总量", "增速（免）", "快递业务总量", "61.7%", "growth", "2023年", 63993),
        ("快递业务收入", "总量", "快递业务收入", "14.03亿元", "level", "2023年", 63951),
        ("快递业务收入", "增速（免）", "快递业务收入", "78.7%", "growth", "2023年", 63995),
        ("邮政寄递业务总量", "总量", "邮政寄递业务总量", "0.71亿元", "level", "2023年", 63953),
        ("邮政寄递业务总量", "增速（免）", "邮政寄递业务总量", "3.3%", "growth", "2023年", 63997),
        ("邮政寄递业务收入", "总量", "邮政寄递业务收入", "0.62亿元", "level", "2023年", 63955),
        ("邮政寄递业务收入", "增速（免）", "邮政寄递业务收入", "9.8%", "growth", "2023年", 63999),
        ("#4G移动电话用户", "总量", "4G移动电话用户", "236万户", "count", "2023年", 63961),
        ("#5G移动电话用户", "总量", "5G移动电话用户", "244万户", "count", "2023年", 63963),
        ("互联网宽带接入用户数", "总量", "互联网宽带接入用户数", "198万户", "count", "2023年", 63965),
    ],
    "表6": [
        ("各项存款余额", "年末余额（亿元）", "各项存款余额", "4362.73亿元", "level", "2023年末", 64035),
        ("各项存款余额", "比上年末增长（%）", "各项存款余额", "7.6%", "growth", "2023年末", 64053),
        ("#境内住户存款", "年末余额（亿元）", "境内住户存款余额", "3286.31亿元", "level", "2023年末", 64037),
        ("#境内住户存款", "比上年末增长（%）", "境内住户存款余额", "12.3%", "growth", "2023年末", 64055),
        ("境内非金融企业存款", "年末余额（亿元）", "境内非金融企业存款余额", "750.80亿元", "level", "2023年末", 64039),
        ("境内非金融企业存款", "比上年末增长（%）", "境内非金融企业存款余额", "-7.5%", "growth", "2023年末", 64057),
        ("各项贷款余额", "年末余额（亿元）", "各项贷款余额", "3053.29亿元", "level", "2023年末", 64041),
        ("各项贷款余额", "比上年末增长（%）", "各项贷款余额", "9.6%", "growth", "2023年末", 64059),
        ("#境内住户贷款", "年末余额（亿元）", "境内住户贷款余额", "851.76亿元", "level", "2023年末", 64043),
        ("#境内住户贷款", "比上年末增长（%）", "境内住户贷款余额", "16.5%", "growth", "2023年末", 64061),
        (
            "#境内非金融企业及机关团体短期贷款",
            "年末余额（亿元）",
            "境内非金融企业及机关团体短期贷款余额",
            "920.44亿元",
            "level",
            "2023年末",
            64045,
        ),
        (
            "#境内非金融企业及机关团体短期贷款",
            "比上年末增长（%）",
            "境内非金融企业及机关团体短期贷款余额",
            "6.9%",
            "growth",
            "2023年末",
            64063,
        ),
        (
            "境内非金融企业及机关团体中长期贷款",
            "年末余额（亿元）",
            "境内非金融企业及机关团体中长期贷款余额",
            "896.19亿元",
            "level",
            "2023年末",
            64047,
        ),
        (
            "境内非金融企业及机关团体中长期贷款",
            "比上年末增长（%）",
            "境内非金融企业及机关团体中长期贷款余额",
            "6.2%",
            "growth",
            "2023年末",
            64065,
        ),
    ],
}


def test_every_cell_of_the_communique_tables(yearbook_facts: list[Fact]) -> None:
    cells = [f for f in yearbook_facts if "table" in f.data and f.data["table"].startswith("表")]
    found: dict[str, list[tuple[object, ...]]] = {}
    for fact in cells:
        data = fact.data
        found.setdefault(data["table"].split()[0], []).append(
            (
                data["row_label"],
                data["column_label"],
                data["indicator"],
                data["value_as_printed"],
                data["kind"],
                data["period"],
                fact.line_start,
            )
        )
    assert found == COMMUNIQUE_TABLES
    assert sum(len(rows) for rows in found.values()) == 131


def test_table_cells_carry_units_rows_and_parts(yearbook_facts: list[Fact]) -> None:
    by_value = {(f.data.get("table", "")[:2], f.data["value_as_printed"]): f.data for f in yearbook_facts}
    thermal = by_value[("表2", "179.10亿千瓦时")]
    assert (thermal["unit"], thermal["base_value"], thermal["base_unit"]) == ("亿千瓦时", 17910000000000.0, "瓦时")
    assert (thermal["row"], thermal["column"], thermal["parent_row"], thermal["scope"]) == (3, 3, 2, "规模以上")
    deposits = by_value[("表6", "4362.73亿元")]
    assert (deposits["unit"], deposits["period"], deposits["row_label"]) == ("亿元", "2023年末", "各项存款余额")
    cpi = by_value[("表1", "99.8")]
    assert (cpi["unit"], cpi["base_value"], cpi["kind"]) == ("上年同期=100", 99.8, "level")


def test_county_figures_are_keyed_on_their_county(yearbook_facts: list[Fact]) -> None:
    good_days = sorted(
        (f.line_start, f.data["entity"], f.data["value_as_printed"])
        for f in yearbook_facts
        if f.data["indicator"] == "空气质量优良天数" and f.data["kind"] == "level"
    )
    assert good_days == [
        (51, "全市", "260天"),
        (8004, "全市", "250天"),
        (46340, "全市", "250天"),
        (56988, "汝州市", "282天"),
        (57321, "舞钢市", "297天"),
        (58401, "叶县", "283天"),
        (58756, "鲁山县", "287天"),
        (59074, "新华区", "244天"),
        (59170, "新华区", "244天"),
        (60077, "石龙区", "268天"),
        (64283, "全市", "250天"),
    ]


def test_part_year_figures_do_not_meet_full_year_ones(yearbook_facts: list[Fact]) -> None:
    revenue = sorted(
        (f.data["period"], f.data["value_as_printed"], f.line_start)
        for f in yearbook_facts
        if f.data["indicator"] == "一般公共预算收入" and f.data["entity"] == "全市" and f.data["kind"] == "level"
    )
    assert revenue == [
        ("2023年", "237.13亿元", 8146),
        ("2023年", "237.13亿元", 26049),
        ("2023年", "237.13亿元", 27150),
        ("2023年", "237.13亿元", 63091),
        ("2023年", "237.1亿元", 13305),
        ("2023年", "237.1亿元", 61135),
        ("2023年1—11月", "214.3亿元", 471),
    ]


def test_units_convert_to_base_units_from_the_table() -> None:
    table = unit_table()
    assert table.unit("亿瓦时").factor * 60 == 6e9
    assert table.unit("GWh").factor * 60 == 6e10
    assert table.unit("吉瓦时").base == "瓦时"
    assert table.unit("亿斤").factor * 44.6 == pytest.approx(2.23e9)
    assert (table.unit("万人").factor, table.unit("万人").base) == (10000.0, "人")
    assert table.unit("亩").base == table.unit("公顷").base == "平方米"
    assert table.unit("千米").factor == table.unit("公里").factor == 1000.0


def _figures(text: str, **context: object) -> list[tuple[object, ...]]:
    found = figures_in_text(text, TextContext(**context))  # type: ignore[arg-type]
    return [(f.indicator, f.value_as_printed, f.number, f.base_value, f.kind, f.approx, f.entity) for f in found]


def test_sentences_from_the_yearbook() -> None:
    assert _figures("粮食生产再获丰收，总产量 44.6亿斤。", year=2023) == [
        ("总产量", "44.6亿斤", 44.6, 2230000000.0, "level", False, "全市")
    ]
    assert _figures("10月22日，年产 60亿瓦时大型储能及动力电池项目合作框架协议签约仪式在郑州市举行。", year=2023) == [
        ("年产能", "60亿瓦时", 60.0, 6000000000.0, "level", False, "储能及动力电池")
    ]
    assert _figures("全市城镇新增就业7.95万人，失业人员再就业2.09万人、困难人员再就业0.58万人。", year=2023) == [
        ("城镇新增就业", "7.95万人", 7.95, 79500.0, "count", False, "全市"),
        ("失业人员再就业", "2.09万人", 2.09, 20900.0, "count", False, "全市"),
        ("困难人员再就业", "0.58万人", 0.58, 5800.0, "count", False, "全市"),
    ]


def test_chinese_numerals_approximations_and_ranks() -> None:
    assert _figures("金融机构各项存款余额突破一万亿元。", year=2023) == [
        ("金融机构各项存款余额", "一万亿元", 1.0, 1e12, "level", True, "全市")
    ]
    assert _figures("预计全年地区生产总值增长3.5%左右。", year=2023) == [
        ("地区生产总值", "3.5%", 3.5, 3.5, "growth", True, "全市")
    ]
    ranked = figures_in_text("一般公共预算收入237.13亿元，总量和增幅均居全省第5位。", TextContext(year=2023))
    assert [(f.kind, f.number, f.scope) for f in ranked] == [
        ("level", 237.13, "一般公共预算"),
        ("rank", 5.0, "全省排名"),
    ]
    assert [f.period for f in figures_in_text("预计全年地区生产总值增长3.5%左右。", TextContext(year=2023))] == [
        "2023年（预计）"
    ]


def test_names_shared_out_over_figures() -> None:
    assert distribute_names("城乡居民基本养老保险、失业保险、工伤保险参保人数") == [
        "城乡居民基本养老保险参保人数",
        "失业保险参保人数",
        "工伤保险参保人数",
    ]
    text = "全市 PM10、PM2.5平均浓度分别为80微克/立方米、44微克/立方米，同比分别下降8微克/立方米、4微克/立方米。"
    assert [(f.indicator, f.number, f.kind) for f in figures_in_text(text, TextContext(year=2023))] == [
        ("PM10平均浓度", 80.0, "level"),
        ("PM2.5平均浓度", 44.0, "level"),
        ("PM10平均浓度", -8.0, "growth"),
        ("PM2.5平均浓度", -4.0, "growth"),
    ]


def _communique(name: str) -> list[Fact]:
    return extract_indicators(parse_source(read_source(FIXTURES / "communiques" / name)))


def test_a_prefecture_communique_from_another_province() -> None:
    facts = _communique("yichun_2022_tongjigongbao.txt")
    assert len(facts) == 524
    head = [(f.data["indicator"], f.data["value_as_printed"], f.data["entity"], f.data["period"]) for f in facts[:4]]
    assert head == [
        ("地区生产总值", "3473.12亿元", "全市", "2022年"),
        ("地区生产总值", "5.3%", "全市", "2022年"),
        ("第一产业增加值", "351.34亿元", "全市", "2022年"),
        ("第一产业增加值", "3.9%", "全市", "2022年"),
    ]
    grain = next(f.data for f in facts if f.data["indicator"] == "粮食总产量" and f.data["kind"] == "level")
    assert (grain["value_as_printed"], grain["base_value"], grain["base_unit"]) == ("73.71亿斤", 3685500000.0, "千克")


def test_a_provincial_communique_keys_figures_on_the_province() -> None:
    facts = _communique("jiangxi_2022_tongjigongbao.txt")
    assert len(facts) == 439
    population = next(f.data for f in facts if f.data["value_as_printed"] == "4527.98万人")
    assert (population["indicator"], population["entity"], population["period"]) == ("常住人口", "全省", "2022年末")
    assert facts[0].data["indicator"] == "地区生产总值"


def test_a_county_communique_in_ten_thousand_yuan() -> None:
    facts = _communique("wanzai-yichun_2015_tongjigongbao.txt")
    assert len(facts) == 258
    growth = [(f.data["indicator"], f.data["number"]) for f in facts[5:8]]
    assert growth == [("第一产业增加值", 4.0), ("第二产业增加值", 9.2), ("第三产业增加值", 12.3)]
    gdp = facts[0].data
    assert (gdp["indicator"], gdp["base_value"], gdp["entity"], gdp["period"]) == (
        "地区生产总值",
        11022840000.0,
        "全县",
        "2015年",
    )


def _at(facts: list[Fact], line: int) -> list[tuple[object, ...]]:
    return [
        (f.data["indicator"], f.data["value_as_printed"], f.data["period"], f.data["scope"], f.data.get("organisation"))
        for f in facts
        if f.line_start == line
    ]


def test_names_before_as_many_figures_share_them_out(yearbook_facts: list[Fact]) -> None:
    # 国家高新技术企业、科技型中小企业增至398家、690家 (no 分别); A和B分别完成X和Y.
    assert _at(yearbook_facts, 8316) == [
        ("国家高新技术企业", "398家", "2023年", "", None),
        ("科技型中小企业", "690家", "2023年", "", None),
    ]
    assert [row[:2] for row in _at(yearbook_facts, 38372)] == [
        ("邮政行业寄递业务量", "1.92亿件"),
        ("邮政行业业务收入", "22.11亿元"),
    ]


def test_a_total_after_the_new_ones_is_of_all(yearbook_facts: list[Fact]) -> None:
    # 新增上云企业1626家，总数达到8460家
    assert [row[:2] for row in _at(yearbook_facts, 30189) + _at(yearbook_facts, 30191)] == [
        ("新增上云企业", "1626家"),
        ("上云企业", "8460家"),
    ]


def test_a_bureau_s_own_figures_carry_its_name(yearbook_facts: list[Fact]) -> None:
    # 2023年，平顶山市农业农村局35个政务服务事项全部进驻大厅……不见面审批事项占比100%
    assert _at(yearbook_facts, 33669) == [("不见面审批事项占比", "100%", "2023年", "", "市农业农村局")]
    # 全市开展职业技能培训30.71万人次，新增技能人才18.54万人: the city's, said in the 人社 entry.
    assert _at(yearbook_facts, 16221) == [("新增技能人才", "18.54万人", "2023年", "", None)]
    assert organisation_subject("2023年，市委统战部推进", frozenset({"平顶山市"})) == "市委统战部"
    assert organisation_subject("2023年，市委围绕全面推进乡村振兴", frozenset({"平顶山市"})) is None


def test_days_spells_and_single_events_as_periods(yearbook_facts: list[Fact]) -> None:
    assert _at(yearbook_facts, 5999) == [("平均降水量", "720毫米", "2023年汛期", "", None)]
    assert _at(yearbook_facts, 5900)[0] == ("平均降水量", "55.6毫米", "2023年7月2日", "", None)
    assert _at(yearbook_facts, 5989) == [("农作物受灾面积", "109835.41公顷", "2023年（此次）", "", None)]


def test_scopes_of_topics_brackets_and_all(yearbook_facts: list[Fact]) -> None:
    # 全市河流水质评价状况为良好，Ⅰ～Ⅲ类水质类别断面比例为83.3%
    assert _at(yearbook_facts, 46452) == [("Ⅰ～Ⅲ类水质类别断面比例", "83.3%", "2023年", "河流", None)]
    # …其中电子信息产业企业10个…；全市规模以上工业增加值增长3.4%…；全部工业增加值963.63亿元
    assert _at(yearbook_facts, 34356) == [("工业增加值", "963.63亿元", "2023年", "", None)]
    # 城镇职工参保人数91.70万人（含在职人员67.71万人，退休人员23.99万人）
    retired = next(f.data for f in yearbook_facts if f.line_start == 64093 and f.data["indicator"] == "退休人员")
    assert (retired["part_of"], retired["whole_value"]) == ("城镇职工参保人数", 917000.0)


def test_a_figure_counting_the_words_after_it() -> None:
    text = "“一村一品”示范村镇25个，6个乡（镇）入选国家农业产业强镇。"
    assert [(f.indicator, f.value_as_printed) for f in figures_in_text(text, TextContext(year=2023))] == [
        ("一村一品示范村镇", "25个"),
        ("", "6个"),
    ]


def test_rates_per_unit_are_marked() -> None:
    facts = _communique("yichun_2022_tongjigongbao.txt")
    rates = [(f.data["value_as_printed"], f.data["per"]) for f in facts if f.data.get("per")]
    assert rates == [("825元/人月", "人月"), ("600元/人月", "人月"), ("780元/人月", "人月"), ("1080元/人月", "人月")]


def test_an_ordinal_in_chinese_numerals_is_no_count() -> None:
    """第四十九条, 第三十一次会议: not 十九条 or 十一次 counted under the words before them."""
    path = FIXTURES / "other-places" / "appointments" / "guichi-chizhou_2013_rendachangweihui_tuixuan-daili-zhuren.txt"
    assert extract_indicators(parse_source(read_source(path))) == []
    text = "第五届人民代表大会常务委员会第三十一次会议通过，全年新建学校十二所。"
    found = figures_in_text(text, TextContext(year=2013))
    assert [(figure.value_as_printed, figure.number, figure.unit) for figure in found] == [("十二所", 12.0, "所")]


def test_two_communiques_in_one_file_keep_their_own_place_and_year() -> None:
    """万载县 2015 then 宜春市 2022 (heads of the two communiqués in this folder), one file as a user joins them."""
    document = parse_source(read_source(FIXTURES / "communiques" / "two_communiques_concatenated.txt"))
    assert [(node.line_start, node.title, node.attributes.date) for node in document.nodes("document")] == [
        (1, "万载县2015年国民经济和社会发展统计公报", None),
        (12, "宜春市2022年国民经济和社会发展统计公报", "2023-04-12"),
    ]
    gdp = [fact for fact in extract_indicators(document) if fact.data["indicator"] == "地区生产总值"]
    assert [(f.line_start, f.data["entity"], f.data["period"], f.data["value_as_printed"]) for f in gdp] == [
        (7, "全县", "2015年", "1102284万元"),
        (7, "全县", "2015年", "9.3%"),
        (22, "全市", "2022年", "3473.12亿元"),
        (22, "全市", "2022年", "5.3%"),
    ]


def test_an_ascii_full_stop_ends_the_sentence_a_figure_is_named_in() -> None:
    """From the 安徽 工业互联网 policy (gov-docs) with its 。 turned into ASCII stops, as damaged text has them."""
    text = "形成一套较为成熟的应用推广模式.力争每年新增200家.全省工业增加值增长6.5%."
    found = figures_in_text(text, TextContext(year=2021))
    assert [(figure.indicator_as_printed, figure.value_as_printed) for figure in found] == [
        ("力争每年新增", "200家"),
        ("全省工业增加值", "6.5%"),
    ]


def test_figures_broken_over_wrapped_lines() -> None:
    """宜春 2022 (this folder) cut at 30 characters: ``24.3`` / ``%。`` and ``166`` / ``7.7毫米`` stay one figure."""
    facts = _communique("pdf_wrapped_numbers.txt")
    wanted = {"原盐", "总降水量"}
    assert [
        (f.line_start, f.data["indicator"], f.data["value_as_printed"]) for f in facts if f.data["indicator"] in wanted
    ] == [
        (5, "原盐", "24.3%"),
        (8, "总降水量", "1667.7毫米"),
    ]
