"""Citations for reference managers: CSL-JSON, RIS and BibTeX, on the command line and the HTTP API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import fangzhi
from fangzhi.cli import main
from fangzhi.errors import QueryError
from fangzhi.model import Volume
from fangzhi.services.citation import cite_node_as
from fangzhi.store.base import StoredNode
from fangzhi.web.app import create_app


@pytest.fixture(scope="module")
def cited(sample_db: Path) -> tuple[str, str]:
    """The ids of 【区域位置】 (p31, by 年鉴编辑部) and of the notice 平政任〔2023〕4号 (p3)."""
    with fangzhi.open(sample_db, create=False) as kb:
        entry = next(node for node in kb.nodes(kind="entry") if node.title == "区域位置")
        document = next(
            node for node in kb.nodes(kind="document") if node.attributes.get("doc_no") == "平政任〔2023〕4号"
        )
        return entry.id, document.id


def yearbook(**attributes: Any) -> Volume:
    return Volume(
        id="v",
        kind="yearbook",
        title="平顶山年鉴 2024",
        year=2024,
        source_file="books/v.txt",
        source_sha256="0" * 64,
        attributes=attributes,
    )


def entry(**attributes: Any) -> StoredNode:
    return StoredNode(
        id="v:7",
        volume="v",
        parent="v:3",
        ordinal=7,
        kind="entry",
        title="概况",
        text="",
        level=0,
        page=238,
        page_end=239,
        line_start=100,
        line_end=120,
        attributes=attributes,
    )


def test_csl_json_of_an_entry() -> None:
    cited = cite_node_as(entry(contributors=["李盾", "王蕾"]), yearbook(publisher="中州古籍出版社"), "csl-json")
    assert (cited.media_type, cited.filename) == ("application/vnd.citationstyles.csl+json", "v-7.json")
    assert json.loads(cited.text) == [
        {
            "id": "v:7",
            "type": "chapter",
            "language": "zh",
            "title": "概况",
            "container-title": "平顶山年鉴 2024",
            "author": [{"literal": "李盾"}, {"literal": "王蕾"}],
            "issued": {"date-parts": [[2024]]},
            "page": "238-239",
            "page-first": "238",
            "publisher": "中州古籍出版社",
            "note": "fangzhi v:7; v.txt, lines 100-120",
        }
    ]


def test_ris_of_an_entry() -> None:
    cited = cite_node_as(entry(contributors=["李盾"]), yearbook(), "ris")
    assert cited.filename == "v-7.ris"
    assert cited.text.split("\r\n") == [
        "TY  - CHAP",
        "TI  - 概况",
        "T2  - 平顶山年鉴 2024",
        "AU  - 李盾",
        "PY  - 2024",
        "SP  - 238",
        "EP  - 239",
        "LA  - zh",
        "N1  - fangzhi v:7; v.txt, lines 100-120",
        "ID  - v:7",
        "ER  - ",
        "",
    ]


def test_bibtex_of_an_entry_escapes_what_tex_would_read() -> None:
    node = entry(contributors=["李盾", "王蕾"])
    node.title = "R&D 投入_增长 100%"
    cited = cite_node_as(node, yearbook(), "bibtex")
    assert cited.text == (
        "@incollection{v-7,\n"
        "  title = {R\\&D 投入\\_增长 100\\%},\n"
        "  booktitle = {平顶山年鉴 2024},\n"
        "  author = {{李盾} and {王蕾}},\n"
        "  year = {2024},\n"
        "  pages = {238--239},\n"
        "  note = {fangzhi v:7; v.txt, lines 100-120},\n"
        "  language = {chinese}\n"
        "}\n"
    )


def test_unknown_format_is_refused() -> None:
    with pytest.raises(QueryError, match="unknown citation format 'mla'"):
        cite_node_as(entry(), yearbook(), "mla")


def test_cite_command_in_every_format(sample_db: Path, cited: tuple[str, str]) -> None:
    entry_id, document_id = cited
    runner = CliRunner()
    text = runner.invoke(main, ["cite", entry_id, "--db", str(sample_db)])
    assert text.exit_code == 0
    assert text.output == "年鉴编辑部. 区域位置[M]//平顶山年鉴 2024. 2024: 31.\n"
    ris = runner.invoke(main, ["cite", document_id, "--db", str(sample_db), "--format", "ris"])
    assert ris.output.splitlines()[:9] == [
        "TY  - JOUR",
        "TI  - 平顶山市人民政府关于戴冲等44人行政职务任免的通知",
        "T2  - 平顶山市人民政府公报 2024年第1号",
        "AU  - 平顶山市人民政府",
        "PY  - 2024",
        "SP  - 3",
        "EP  - 3",
        "IS  - 1",
        "M1  - 平政任〔2023〕4号",
    ]
    bibtex = runner.invoke(main, ["cite", document_id, "--db", str(sample_db), "--format", "bibtex"])
    assert bibtex.output.splitlines()[:3] == [
        f"@article{{{document_id.replace(':', '-')},",
        "  title = {平顶山市人民政府关于戴冲等44人行政职务任免的通知},",
        "  journal = {平顶山市人民政府公报 2024年第1号},",
    ]
    missing = runner.invoke(main, ["cite", "nowhere:1", "--db", str(sample_db)])
    assert missing.exit_code == 1
    assert missing.output == "Error: no node with id 'nowhere:1'\n"


def test_cite_route_downloads_a_file(sample_db: Path, cited: tuple[str, str]) -> None:
    entry_id = cited[0]
    with fangzhi.open(sample_db, create=False) as kb:
        client = TestClient(create_app(kb))
        response = client.get(f"/api/nodes/{entry_id}/cite", params={"format": "csl-json"})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/vnd.citationstyles.csl+json"
        assert response.headers["content-disposition"] == f'attachment; filename="{entry_id.replace(":", "-")}.json"'
        item = response.json()[0]
        assert (item["title"], item["page"], item["author"]) == ("区域位置", "31", [{"literal": "年鉴编辑部"}])
        plain = client.get(f"/api/nodes/{entry_id}/cite")
        assert plain.text == "年鉴编辑部. 区域位置[M]//平顶山年鉴 2024. 2024: 31.\n"
        wrong = client.get(f"/api/nodes/{entry_id}/cite", params={"format": "mla"})
        assert wrong.status_code == 422
        assert wrong.json()["error"]["message"] == (
            "unknown citation format 'mla'; choose one of: gbt7714, csl-json, ris, bibtex"
        )


def test_node_page_offers_the_downloads(sample_db: Path, cited: tuple[str, str]) -> None:
    entry_id = cited[0]
    with fangzhi.open(sample_db, create=False) as kb:
        page = TestClient(create_app(kb)).get(f"/nodes/{entry_id}")
    assert page.status_code == 200
    for format, label in (("ris", "RIS"), ("bibtex", "BibTeX"), ("csl-json", "CSL-JSON")):
        assert f'href="/api/nodes/{entry_id}/cite?format={format}" download>{label}</a>' in page.text
