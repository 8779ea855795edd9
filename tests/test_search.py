"""Full-text search: a small hand-made knowledge base for exact values, then the real sample corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
import fangzhi.search.engine
from fangzhi.cli import main
from fangzhi.errors import QueryError
from fangzhi.model import Document, Node, NodeKind, TableAttributes, Volume
from fangzhi.search import SearchResult
from fangzhi.text import fold_for_search
from fangzhi.text.source import SourceText

GAZETTE = "pingdingshan-gazette-2024-01"
YEARBOOK = "pingdingshan-yearbook-2024"


def _document(volume_id: str, year: int) -> Document:
    """A two-chapter yearbook with an entry titled 在建工程, a passing mention of 汝瓷 and a table."""
    lines = tuple(f"line {number}" for number in range(1, 21))
    source = SourceText(path=f"{volume_id}.txt", lines=lines, encoding="utf-8", sha256=volume_id * 4)
    volume = Volume(volume_id, "yearbook", f"{year}年鉴", year, source.path, source.sha256)
    root = Node(NodeKind.VOLUME, volume.title, 1, 20)
    building = root.add(Node(NodeKind.CHAPTER, "城市建设", 1, 10, page=10, page_end=12))
    projects = building.add(Node(NodeKind.SECTION, "重点项目", 2, 10, page=10, page_end=12))
    projects.add(Node(NodeKind.ENTRY, "在建工程", 3, 4, text="全年在建工程128个，完成投资56.3亿元。", page=10))
    projects.add(
        Node(
            NodeKind.PARAGRAPH,
            None,
            5,
            6,
            text="市民参观博物馆，馆内陈列宋代青瓷、钧瓷和一件汝瓷残片，另有现代陶艺作品多件。",
            page=11,
        )
    )
    projects.add(Node(NodeKind.ENTRY, "汝瓷小镇", 7, 8, text="小镇以汝瓷烧制为主题，工程投资3亿元。", page=11))
    projects.add(
        Node(
            NodeKind.TABLE,
            "表1 重点工程",
            9,
            10,
            page=12,
            attributes=TableAttributes(
                columns=["项目", "投资（亿元）"], rows=[["郟县水厂", "3.2"], ["宝丰大道", "1.5"]]
            ),
        )
    )
    culture = root.add(Node(NodeKind.CHAPTER, "文化", 11, 20, page=20, page_end=21))
    culture.add(Node(NodeKind.ENTRY, "郏县金镶玉", 12, 14, text="郏县金镶玉工艺列入省级非遗。", page=20))
    culture.add(Node(NodeKind.EVENT, None, 15, 15, text="6月1日 汝瓷文化节开幕。", page=21))
    document = Document(volume=volume, source=source, root=root)
    document.assign_ids()
    return document


@pytest.fixture()
def small_kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    kb = fangzhi.open(tmp_path / "small.db")
    kb.store.replace_volume(_document("yb2024", 2024), [])
    kb.store.replace_volume(_document("yb2023", 2023), [])
    yield kb
    kb.close()


def _ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def test_a_word_is_found_inside_a_longer_word(small_kb) -> None:  # type: ignore[no-untyped-def]
    result = small_kb.search("工程", volume="yb2024")
    assert result.total == 3
    assert _ids(result) == ["yb2024:3", "yb2024:6", "yb2024:5"]
    assert [hit.title for hit in result.hits] == ["在建工程", "表1 重点工程", "汝瓷小镇"]


def test_hit_carries_kind_volume_path_page_and_lines(small_kb) -> None:  # type: ignore[no-untyped-def]
    hit = small_kb.search("在建工程", volume="yb2024").hits[0]
    assert hit.to_dict() | {"score": None} == {
        "id": "yb2024:3",
        "kind": "entry",
        "volume": "yb2024",
        "title": "在建工程",
        "path": "城市建设 › 重点项目 › 在建工程",
        "path_titles": ["城市建设", "重点项目", "在建工程"],
        "chapter": "城市建设",
        "section": "重点项目",
        "page": 10,
        "page_end": None,
        "line_start": 3,
        "line_end": 4,
        "snippet": "全年<mark>在建工程</mark>128个，完成投资56.3亿元。",
        "snippet_text": "全年在建工程128个，完成投资56.3亿元。",
        "highlights": [[2, 6]],
        "score": None,
    }
    assert hit.score > 0


def test_entry_with_matching_title_ranks_above_a_passing_mention(small_kb) -> None:  # type: ignore[no-untyped-def]
    result = small_kb.search("汝瓷", volume="yb2024")
    assert [hit.id for hit in result.hits] == ["yb2024:5", "yb2024:9", "yb2024:4"]
    assert result.hits[0].title == "汝瓷小镇"
    assert result.hits[0].score > result.hits[1].score > result.hits[2].score


def test_one_character_query(small_kb) -> None:  # type: ignore[no-untyped-def]
    result = small_kb.search("瓷", volume="yb2024")
    assert sorted(_ids(result)) == ["yb2024:4", "yb2024:5", "yb2024:9"]


def test_traditional_and_simplified_find_the_same_nodes(small_kb) -> None:  # type: ignore[no-untyped-def]
    traditional = small_kb.search("郟县", volume="yb2024")
    simplified = small_kb.search("郏县", volume="yb2024")
    assert _ids(traditional) == _ids(simplified) == ["yb2024:8", "yb2024:6"]
    table = simplified.hits[1]
    assert table.kind == "table"
    assert table.snippet_text == "项目 投资（亿元） 郟县水厂 3.2 宝丰大道 1.5"
    assert table.snippet == "项目 投资（亿元） <mark>郟县</mark>水厂 3.2 宝丰大道 1.5"


def test_full_width_query_matches_half_width_text(small_kb) -> None:  # type: ignore[no-untyped-def]
    assert _ids(small_kb.search("５６．３亿元", volume="yb2024")) == ["yb2024:3"]


def test_phrase_matches_only_adjacent_words(small_kb) -> None:  # type: ignore[no-untyped-def]
    assert sorted(_ids(small_kb.search("工程 投资", volume="yb2024"))) == ["yb2024:3", "yb2024:5", "yb2024:6"]
    assert _ids(small_kb.search('"工程投资"', volume="yb2024")) == ["yb2024:5"]
    assert _ids(small_kb.search('"工程 投资"', volume="yb2024")) == ["yb2024:5"]


def test_or_and_exclusion(small_kb) -> None:  # type: ignore[no-untyped-def]
    assert sorted(_ids(small_kb.search("金镶玉 OR 在建工程", volume="yb2024"))) == ["yb2024:3", "yb2024:8"]
    assert sorted(_ids(small_kb.search("汝瓷 -小镇", volume="yb2024"))) == ["yb2024:4", "yb2024:9"]
    assert _ids(small_kb.search('汝瓷 -"文化节" -博物馆', volume="yb2024")) == ["yb2024:5"]


def test_facets_count_every_match_per_value(small_kb) -> None:  # type: ignore[no-untyped-def]
    result = small_kb.search("汝瓷", limit=1)
    assert result.total == 6
    assert len(result.hits) == 1
    assert result.facets == {
        "volume": {"yb2023": 3, "yb2024": 3},
        "kind": {"entry": 2, "event": 2, "paragraph": 2},
        "chapter": {"城市建设": 4, "文化": 2},
        "year": {"2023": 3, "2024": 3},
    }


def test_filters_narrow_hits_and_facets(small_kb) -> None:  # type: ignore[no-untyped-def]
    assert small_kb.search("汝瓷", kind="entry").facets["kind"] == {"entry": 2}
    assert small_kb.search("汝瓷", chapter="文化").total == 2
    assert small_kb.search("汝瓷", year=2023).facets["volume"] == {"yb2023": 3}
    assert sorted(_ids(small_kb.search("汝瓷", volume="yb2024", page_from=11, page_to=11))) == ["yb2024:4", "yb2024:5"]
    assert _ids(small_kb.search("汝瓷", volume="yb2024", page_from=21)) == ["yb2024:9"]
    assert _ids(small_kb.search("城市建设", volume="yb2024", page_from=12, page_to=12)) == ["yb2024:1"]
    with pytest.raises(QueryError, match="no node kind 'no-such-kind'"):
        small_kb.search("汝瓷", kind="no-such-kind")


def test_large_result_sets_rank_title_matches_first(small_kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _ids(small_kb.search("汝瓷", limit=6)) == [
        "yb2024:5",
        "yb2023:5",
        "yb2024:9",
        "yb2023:9",
        "yb2024:4",
        "yb2023:4",
    ]
    monkeypatch.setattr(fangzhi.search.ranking, "RANK_WINDOW", 2)  # a window of one node for a two-character word
    bounded = small_kb.search("汝瓷", limit=6)
    assert bounded.total == 6
    # the title matches, newest first; the newest other match; the rest newest first
    assert _ids(bounded) == ["yb2023:5", "yb2024:5", "yb2023:9", "yb2023:4", "yb2024:9", "yb2024:4"]
    assert _ids(small_kb.search("汝瓷", limit=2, offset=1)) == _ids(bounded)[1:3]
    # several words or an exclusion: a title match alone proves nothing, so no title pass
    assert _ids(small_kb.search("汝瓷 -文化节", limit=6)) == ["yb2023:4", "yb2023:5", "yb2024:4", "yb2024:5"]


def test_long_nodes_are_ranked_among_the_others(tmp_path: Path) -> None:
    document = _document("yb2024", 2024)
    speech = "汝瓷" + "平顶山市陶瓷产业发展。" * 400
    document.root.add(Node(NodeKind.ARTICLE, "讲话", 16, 20, text=speech, page=30))
    document.assign_ids()
    with fangzhi.open(tmp_path / "long.db") as kb:
        kb.store.replace_volume(document, [])
        groups = kb.store.connection.execute("SELECT kind, long FROM search_groups WHERE long = 1").fetchall()
        assert [tuple(row) for row in groups] == [("article", 1)]
        hits = kb.search("汝瓷").hits
        assert [hit.id for hit in hits] == ["yb2024:5", "yb2024:9", "yb2024:4", "yb2024:10"]
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
        assert _ids(kb.search("汝瓷 陶瓷")) == ["yb2024:10"]


def test_paging_with_offset(small_kb) -> None:  # type: ignore[no-untyped-def]
    everything = _ids(small_kb.search("汝瓷", limit=6))
    assert _ids(small_kb.search("汝瓷", limit=2, offset=2)) == everything[2:4]


def test_reingest_replaces_and_delete_removes_index_rows(small_kb) -> None:  # type: ignore[no-untyped-def]
    small_kb.store.replace_volume(_document("yb2024", 2024), [])
    assert small_kb.search("在建工程").facets["volume"] == {"yb2023": 1, "yb2024": 1}
    small_kb.store.delete_volume("yb2023")
    assert small_kb.search("在建工程").facets["volume"] == {"yb2024": 1}
    docs = small_kb.store.connection.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    texts = small_kb.store.connection.execute("SELECT count(*) FROM search_text").fetchone()[0]
    assert docs == texts == 9


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": '"汝瓷'}, "unbalanced quote"),
        ({"query": "OR"}, "OR needs a word"),
        ({"query": ""}, "empty query"),
        ({"query": "汝瓷", "limit": 0}, "limit must be between"),
        ({"query": "汝瓷", "offset": -1}, "offset must be between 0 and 10,000, not -1"),
        ({"query": "汝瓷", "page_from": 20, "page_to": 10}, "page range 20-10 is empty"),
        ({"query": "汝瓷", "year": "2024"}, "year must be a whole number"),
    ],
)
def test_bad_queries_and_filters_raise_query_error(small_kb, arguments, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match=message):
        small_kb.search(**arguments)


def test_cli_prints_hits_with_marked_matches(small_kb) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["search", "在建工程", "--db", small_kb.store.path, "--chapter", "城市建设"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2 hits for 在建工程 (showing 1-2)",
        "1. [entry] yb2024 p10 L3  城市建设 › 重点项目 › 在建工程",
        "   全年【在建工程】128个，完成投资56.3亿元。",
        "   id: yb2024:3",
        "2. [entry] yb2023 p10 L3  城市建设 › 重点项目 › 在建工程",
        "   全年【在建工程】128个，完成投资56.3亿元。",
        "   id: yb2023:3",
        "volume: yb2023 1, yb2024 1",
        "kind: entry 2",
        "chapter: 城市建设 2",
        "year: 2023 1, 2024 1",
    ]


def test_cli_json_has_query_total_hits_facets(small_kb) -> None:  # type: ignore[no-untyped-def]
    arguments = ["search", "郟县", "--db", small_kb.store.path, "--json", "--limit", "1", "--kind", "table"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"query", "total", "hits", "facets"}
    assert (data["query"], data["total"], len(data["hits"])) == ("郟县", 2, 1)
    assert data["hits"][0]["kind"] == "table"
    assert data["facets"]["kind"] == {"table": 2}


@pytest.mark.parametrize("query", ['"汝瓷', "OR", "-汝瓷", ""])
def test_cli_reports_malformed_query_in_one_line(small_kb, query) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["search", "--db", small_kb.store.path, "--", query])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1


def test_cli_needs_an_existing_knowledge_base(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "汝瓷", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no knowledge base here" in result.output


# The real sample corpus.


def _hit_text(kb, hit) -> str:  # type: ignore[no-untyped-def]
    node = kb.node(hit.id)
    return fold_for_search(re.sub(r"\s+", "", (node.title or "") + node.text))


def test_daichong_finds_the_appointment_document(sample_kb) -> None:  # type: ignore[no-untyped-def]
    result = sample_kb.search("戴冲", volume=GAZETTE)
    documents = [hit for hit in result.hits if hit.kind == "document"]
    assert len(documents) == 1
    assert "任免" in documents[0].title
    assert documents[0].page == 3


def test_ruci_ranks_entries_about_ruci_first(sample_kb) -> None:  # type: ignore[no-untyped-def]
    result = sample_kb.search("汝瓷", volume=YEARBOOK)
    assert "汝瓷" in (result.hits[0].title or "")
    assert result.total > 20


@pytest.mark.parametrize("query", ["瓷", "汝瓷", "郏"])
def test_short_queries_find_hits_with_the_match_marked(sample_kb, query) -> None:  # type: ignore[no-untyped-def]
    result = sample_kb.search(query, limit=20)
    assert result.total >= 20
    for hit in result.hits:
        assert query in _hit_text(sample_kb, hit)
        assert f"<mark>{query}</mark>" in fold_for_search(hit.snippet)


def test_word_inside_longer_words_in_the_corpus(sample_kb) -> None:  # type: ignore[no-untyped-def]
    hits = sample_kb.search("工程", limit=200).hits
    texts = [_hit_text(sample_kb, hit) for hit in hits]
    assert any("水利工程" in text for text in texts)
    assert any("建设工程" in text for text in texts)


def test_traditional_gazette_and_simplified_yearbook_match_each_other(sample_kb) -> None:  # type: ignore[no-untyped-def]
    traditional = sample_kb.search("郟县", limit=1000)
    simplified = sample_kb.search("郏县", limit=1000)
    assert _ids(traditional) == _ids(simplified)
    assert traditional.facets["volume"].keys() == {YEARBOOK, GAZETTE}
    gazette_snippets = [hit.snippet for hit in traditional.hits if hit.volume == GAZETTE]
    assert gazette_snippets and all("<mark>郟县</mark>" in snippet for snippet in gazette_snippets)


def test_phrase_query_matches_only_the_phrase(sample_kb) -> None:  # type: ignore[no-untyped-def]
    words = sample_kb.search("工作 报告", limit=1000)
    phrase = sample_kb.search('"工作报告"', limit=1000)
    assert 0 < phrase.total < words.total
    assert all("工作报告" in _hit_text(sample_kb, hit) for hit in phrase.hits)
    assert not all("工作报告" in _hit_text(sample_kb, hit) for hit in words.hits)


def test_gongcheng_finds_words_that_contain_it_in_the_real_corpus(sample_kb) -> None:  # type: ignore[no-untyped-def]
    """工程 matches inside longer words (水利工程建设, 南水北调配套工程运行管理), not only as a word of its own."""
    result = sample_kb.search("工程", kind="section", limit=50)
    assert sorted(hit.title for hit in result.hits) == ["南水北调配套工程运行管理", "水利工程建设"]


def test_a_whole_question_is_ranked_by_best_match(sample_kb) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: typed whole, a question matches no node with every character in a row; best match ranks instead."""
    result = sample_kb.search("2023年平顶山市的地区生产总值是多少？", limit=5)
    assert result.best_match is True
    # Words most nodes hold (2023, 平顶山市) are left out; the nodes with a passage holding the rest come first:
    # two counties' 概况 (their own 地区生产总值; which of the two first depends on whether the question tokenizer
    # was taught the corpus words yet) and the city's, 2720.07亿元 on p45.
    assert sorted((hit.title, hit.page) for hit in result.hits[:2]) == [("概况", 329), ("概况", 332)]
    assert (result.hits[2].title, result.hits[2].page) == ("经济建设", 45)
    assert "地区生产总值2720.07亿元" in _hit_text(sample_kb, result.hits[2])
    exact = sample_kb.search("地区生产总值")
    assert exact.best_match is False
