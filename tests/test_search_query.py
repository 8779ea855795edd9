"""Search query parsing and snippets: pure functions, no database."""

from __future__ import annotations

import pytest

from fangzhi.errors import QueryError
from fangzhi.search.query import Query, parse_query, without_common_terms
from fangzhi.search.snippets import find_spans, make_snippet, term_pattern
from fangzhi.search.tokens import index_form, search_tokens


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("工程", '"工 程"'),
        ("瓷", '"瓷"'),
        ("汝瓷 宝丰", '"汝 瓷" AND "宝 丰"'),
        ('"汝瓷 烧制技艺"', '"汝 瓷 烧 制 技 艺"'),
        ("“汝瓷烧制”", '"汝 瓷 烧 制"'),
        ("汝瓷 OR 钧瓷 宝丰", '("汝 瓷" OR "钧 瓷") AND "宝 丰"'),
        ("汝瓷 OR 钧瓷 OR 官瓷", '("汝 瓷" OR "钧 瓷" OR "官 瓷")'),
        ("汝瓷 -宝丰", '("汝 瓷") NOT "宝 丰"'),
        ('汝瓷 -"宝丰 县" -郏县', '("汝 瓷") NOT ("宝 丰 县" OR "郏 县")'),
        ("2023年", '"2023 年"'),
        ("COVID-19", '"COVID 19"'),
        ("ＧＤＰ　增长", '"GDP" AND "增 长"'),
        ("汝瓷 ＯＲ 钧瓷", '("汝 瓷" OR "钧 瓷")'),
        ("县（市、区）", '"县 市 区"'),
        ("汝瓷 - 钧瓷", '"汝 瓷" AND "钧 瓷"'),
        ('say "OR" now', '"say" AND "OR" AND "now"'),
        ("汝瓷 or 钧瓷", '"汝 瓷" AND "or" AND "钧 瓷"'),
    ],
)
def test_query_compiles_to_fts5_match(query: str, match: str) -> None:
    assert parse_query(query).to_match() == match


def test_traditional_and_simplified_queries_compile_alike() -> None:
    assert parse_query("郟县").to_match() == parse_query("郏县").to_match() == '"郏 县"'
    assert parse_query("臺灣").to_match() == parse_query("台湾").to_match()


def test_query_terms_are_the_positive_words() -> None:
    query = parse_query('汝瓷 OR 钧瓷 "宝丰 县" -郏县')
    assert [term.text for term in query.terms] == ["汝瓷", "钧瓷", "宝丰 县"]
    assert [term.quoted for term in query.terms] == [False, False, True]
    assert [term.text for term in query.excluded] == ["郏县"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"汝瓷', "unbalanced quote"),
        ('汝瓷 "宝丰', "unbalanced quote"),
        ("OR", "OR needs a word on each side"),
        ("汝瓷 OR", "OR needs a word on each side"),
        ("OR 汝瓷", "OR needs a word on each side"),
        ("汝瓷 OR OR 钧瓷", "OR needs a word on each side"),
        ("汝瓷 OR -钧瓷", "cannot be part of OR"),
        ("-汝瓷", "only excludes words"),
        ("-汝瓷 -钧瓷", "only excludes words"),
        ("-", "nothing to search for"),
        ("，。、", "nothing to search for"),
        ('""', "nothing to search for"),
    ],
)
def test_malformed_queries_raise_query_error(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_index_form_spaces_cjk_and_keeps_latin_words_whole() -> None:
    assert index_form("在建工程128个，GDP增长5.2%") == "在 建 工 程 128 个 ,GDP 增 长 5.2%"
    assert search_tokens("在建工程128个，GDP增长5.2%") == [
        "在",
        "建",
        "工",
        "程",
        "128",
        "个",
        "GDP",
        "增",
        "长",
        "5",
        "2",
    ]
    assert index_form("郟县") == "郏 县"


def test_snippet_marks_printed_traditional_text_for_simplified_query() -> None:
    pattern = term_pattern(parse_query("郏县").terms)
    snippet = make_snippet("四、郟县（23家）郟县九谷仙人无花果种植专业合作社", pattern)
    assert snippet.spans == [(2, 4), (9, 11)]
    assert snippet.marked() == "四、<mark>郟县</mark>（23家）<mark>郟县</mark>九谷仙人无花果种植专业合作社"
    assert snippet.marked("【", "】", escape=False) == "四、【郟县】（23家）【郟县】九谷仙人无花果种植专业合作社"


def test_snippet_offsets_survive_characters_that_fold_to_several() -> None:
    pattern = term_pattern(parse_query("面积").terms)
    assert find_spans("120㎡住房，⑩面积达标", pattern) == [(8, 10)]
    assert find_spans("ＧＤＰ增长", term_pattern(parse_query("gdp").terms)) == [(0, 3)]


def test_snippet_window_starts_before_the_first_match_and_escapes_html() -> None:
    text = "甲" * 100 + "<b>在建工程</b>" + "乙" * 100
    snippet = make_snippet(text, term_pattern(parse_query("工程").terms), width=40, before=10)
    assert snippet.text == "…" + "甲" * 5 + "<b>在建工程</b>" + "乙" * 24 + "…"
    assert snippet.spans == [(11, 13)]
    assert snippet.marked() == "…" + "甲" * 5 + "&lt;b&gt;在建<mark>工程</mark>&lt;/b&gt;" + "乙" * 24 + "…"


def test_snippet_highlights_latin_words_only_whole() -> None:
    pattern = term_pattern(parse_query("GDP").terms)
    assert find_spans("GDPR与GDP增长", pattern) == [(5, 8)]


def test_snippet_without_match_shows_the_start() -> None:
    assert make_snippet("短文本", term_pattern(parse_query("汝瓷").terms)).text == "短文本"
    assert make_snippet("长" * 100, None, width=10).text == "长" * 10 + "…"


def test_best_match_leaves_out_words_most_nodes_hold() -> None:
    parsed = parse_query("2023 平顶山市 粮食产量")
    query = Query(parsed.source, (parsed.terms,))
    kept = without_common_terms(query, (2669, {"2023": 1596, "平顶山市": 1397, "粮食产量": 8}))
    assert [term.text for term in kept.groups[0]] == ["粮食产量"]
    # A question of common words only keeps its rarest one.
    common = without_common_terms(query, (2669, {"2023": 1596, "平顶山市": 1397, "粮食产量": 1000}))
    assert [term.text for term in common.groups[0]] == ["粮食产量"]
