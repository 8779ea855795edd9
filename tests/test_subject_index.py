"""The generated subject index against the one printed index page that survives in the sample (p388)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import YEARBOOK_PATH
from fangzhi.cli import main
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.subject_index import SubjectIndex

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"
# A printed index line: heading, dot leaders, pages in brackets (（105、107、109）).
INDEX_LINE = re.compile(r"^(?P<heading>.*?)\s*…+\s*[（(](?P<pages>[\d、]+)[）)]$")


def printed_index_page() -> list[tuple[str, list[int]]]:
    """Every index line of the sample yearbook, read from the text itself."""
    found = []
    for line in YEARBOOK_PATH.read_text(encoding="utf-8").splitlines():
        match = INDEX_LINE.match(line.strip())
        if match:
            found.append((match["heading"], [int(page) for page in match["pages"].split("、")]))
    return found


@pytest.fixture(scope="module")
def kb(sample_db: Path) -> Iterator[KnowledgeBase]:
    with fangzhi.open(sample_db, create=False) as knowledge_base:
        yield knowledge_base


@pytest.fixture(scope="module")
def index(kb: KnowledgeBase) -> SubjectIndex:
    return kb.index(YEARBOOK)


def test_the_printed_page_has_44_lines_and_51_references() -> None:
    printed = printed_index_page()
    assert len(printed) == 44
    assert sum(len(pages) for _, pages in printed) == 51
    assert printed[0] == ("重点文旅康养项目", [238])
    assert printed[-1] == ("作风建设", [103])


def test_every_heading_of_p388_is_generated_with_the_printed_pages(index: SubjectIndex) -> None:
    printed = printed_index_page()
    generated = {heading.heading: heading for heading in index.headings}
    assert {heading: generated[heading].pages for heading, _ in printed} == dict(printed)
    assert all(not generated[heading].subheadings and generated[heading].see is None for heading, _ in printed)


def test_the_headings_of_p388_come_in_the_printed_order_but_one(index: SubjectIndex) -> None:
    """43 of the 44 lines keep their printed order; 自行车公开赛 is the exception.

    The printed page files 自行车公开赛 (zì xíng) before 自然资源 (zì rán), as if
    行 were read háng; read right, xíng sorts after rán, so the generated
    index puts it after the four 自然资源 headings.
    """
    printed = printed_index_page()
    names = {heading for heading, _ in printed}
    generated = [(heading.heading, heading.pages) for heading in index.headings if heading.heading in names]
    moved = printed.index(("自行车公开赛", [239]))
    expected = printed[:moved] + printed[moved + 1 : moved + 5] + [printed[moved]] + printed[moved + 5 :]
    assert generated == expected
    assert [heading for heading, _ in expected[moved - 1 : moved + 6]] == [
        "《紫枝玫瑰》获2023年冰心儿童文学新作奖",
        "自然资源",
        "自然资源监测",
        "自然资源开发利用",
        "自然资源执法监督",
        "自行车公开赛",
        "宗教",
    ]


def test_between_the_p388_headings_only_quoted_topics_are_added(index: SubjectIndex) -> None:
    headings = [heading.heading for heading in index.headings]
    first, last = headings.index("重点文旅康养项目"), headings.index("作风建设")
    printed = {heading for heading, _ in printed_index_page()}
    added = [heading for heading in index.headings[first : last + 1] if heading.heading not in printed]
    assert [(heading.heading, heading.pages, len(heading.subheadings)) for heading in added] == [
        ("“周转池”", [], 2),
        ("“助企惠客厅”", [], 2),
        ("“专精特新”", [], 3),
        ("“转改直”", [], 2),
        ("“壮大新动能、奋进百强市”", [], 7),
        ("“资金链”", [], 2),
        ("“走出去”", [], 3),
        ("“组合拳”", [], 2),
        ("“最多跑一次”", [], 3),
        ("“最后一公里”", [], 2),
        ("“最美退役军人”", [], 2),
    ]


def test_a_title_on_too_many_pages_gets_subheadings_by_section(index: SubjectIndex) -> None:
    overview = next(heading for heading in index.headings if heading.heading == "概况")
    assert overview.pages == []
    assert len(overview.subheadings) == 146
    assert [(sub.heading, sub.pages) for sub in overview.subheadings[:3]] == [
        ("保密工作", [66]),
        ("宝丰产业开发区", [180]),
        ("宝丰县", [329]),
    ]


def test_quoted_topics_list_the_entries_that_treat_them(index: SubjectIndex) -> None:
    topic = next(heading for heading in index.headings if heading.heading == "“三个一批”")
    assert len(topic.subheadings) == 26
    assert topic.subheadings[0].heading == "产业发展"
    assert topic.pinyin == "sān gè yī pī"


def test_abbreviations_refer_to_the_full_name(index: SubjectIndex) -> None:
    by_heading = {heading.heading: heading for heading in index.headings}
    assert by_heading["平顶山市总工会"].pages == [116]
    assert (by_heading["市总工会"].see, by_heading["市总工会"].pages) == ("平顶山市总工会", [])
    assert by_heading["团市委"].see == "中国共产主义青年团平顶山市委员会"
    assert sum(1 for heading in index.headings if heading.see) == 44


def test_the_index_is_grouped_under_pinyin_initials(index: SubjectIndex) -> None:
    groups = index.groups()
    assert [initial for initial, _ in groups] == list("#ABCDEFGHJKLMNPQRSTWXYZ")
    assert len(index.headings) == 1623
    z_group = dict(groups)["Z"]
    assert z_group[-1].heading == "作风建设"


def test_cli_json_has_the_documented_shape(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["index", "--db", str(sample_db), "--volume", YEARBOOK, "--format", "json"])
    assert result.exit_code == 0, result.output
    headings = json.loads(result.output)
    assert all(set(heading) == {"heading", "pinyin", "pages", "subheadings", "see"} for heading in headings)
    organisation = next(heading for heading in headings if heading["heading"] == "组织建设")
    assert organisation == {
        "heading": "组织建设",
        "pinyin": "zǔ zhī jiàn shè",
        "pages": [105, 107, 109, 110, 111, 114],
        "subheadings": [],
        "see": None,
    }


def test_cli_markdown_and_html(sample_db: Path) -> None:
    runner = CliRunner()
    markdown = runner.invoke(main, ["index", "--db", str(sample_db), "--volume", YEARBOOK])
    assert markdown.exit_code == 0
    assert "\n## Z\n" in markdown.output
    assert "\n- 组织建设 …… 105、107、109、110、111、114\n" in markdown.output
    assert "\n- 市总工会 见 平顶山市总工会\n" in markdown.output
    page = runner.invoke(main, ["index", "--db", str(sample_db), "--volume", YEARBOOK, "--format", "html"])
    assert page.exit_code == 0
    assert page.output.startswith("<!doctype html>")
    assert "<li>组织建设 …… 105、107、109、110、111、114" in page.output


def test_a_volume_without_pages_is_refused_in_one_line(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["index", "--db", str(sample_db), "--volume", GAZETTE])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: volume '{GAZETTE}' has no titled entries with printed pages")
    missing = CliRunner().invoke(main, ["index", "--db", str(sample_db), "--volume", "nothing"])
    assert (missing.exit_code, missing.output) == (1, "Error: no volume with id 'nothing'\n")


def test_web_index_links_each_page_to_its_entry(kb: KnowledgeBase) -> None:
    from fastapi.testclient import TestClient

    from fangzhi.web.app import create_app

    client = TestClient(create_app(kb))
    answer = client.get(f"/api/volumes/{YEARBOOK}/index").json()
    assert len(answer["headings"]) == 1623
    page = client.get(f"/volumes/{YEARBOOK}/index")
    assert page.status_code == 200
    entries = [node.id for node in kb.nodes(volume=YEARBOOK, kind="entry") if node.title == "组织建设"]
    assert len(entries) == 6
    for node_id in entries:
        assert f'href="/nodes/{node_id}"' in page.text
