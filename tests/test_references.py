"""文号 references in every volume, repeal records, and their resolution at export time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import FIXTURES, GAZETTE_PATH, GOV_DOCS, YEARBOOK_PATH
from fangzhi.cli import main
from fangzhi.extract.references import extract_references
from fangzhi.extract.repeals import extract_repeals
from fangzhi.model import Document, ParseWarning
from fangzhi.parse.doc_number import find_in_lines
from fangzhi.text.source import read_source

GAZETTE_NUMBERS = [
    ("平政任〔2023〕4号", 69),
    ("平政〔2023〕30号", 159),
    ("平政〔2023〕31号", 230),
    ("平政办〔2014〕70号", 234),
    ("平政办〔2023〕20号", 421),
    ("平政办〔2019〕38号", 697),
    ("平政办〔2023〕23号", 755),
    ("豫政办〔2020〕52号", 767),
    ("平政〔2007〕67号", 795),
]
YEARBOOK_NUMBERS = [
    ("人社部发〔2023〕12号", 3790),
    ("农办产〔2023〕7号", 4197),
    ("平政〔2023〕30号", 5166),
    ("平数政办〔2023〕号", 15607),
    ("平政〔2005〕31号", 23745),
    ("平政〔2021〕6号", 23747),
    ("平政〔2007〕59号", 23755),
    ("市政府令第16号", 23760),
    ("平政〔2005〕13号", 23768),
    ("教高函〔2023〕7号", 49437),
    ("教研〔2023〕414号", 49449),
]


def test_every_gazette_doc_no_is_a_reference(gazette: Document) -> None:
    facts = extract_references(gazette)
    assert [(f.data["doc_no"], f.data["line"]) for f in facts] == GAZETTE_NUMBERS
    nodes = {node.id: node for node in gazette.nodes()}
    assert nodes[facts[0].data["node"]].kind == "document"
    assert nodes[facts[5].data["node"]].kind == "paragraph"
    assert all(f.data["resolved_document"] is None for f in facts)


def test_every_yearbook_doc_no_is_found() -> None:
    found = find_in_lines(read_source(YEARBOOK_PATH).lines)
    assert [(m.doc_no.normalized, m.line_start) for m in found] == YEARBOOK_NUMBERS
    assert (found[0].line_start, found[0].line_end) == (3790, 3792)
    assert found[3].doc_no.warnings == (
        ParseWarning("doc_no_no_number", "文号 平数政办〔2023〕号 has no sequence number", found[3].line_start),
    )
    assert found[3].line_start == 15607


def test_gov_doc_references() -> None:
    numbers = {
        path.stem: [m.doc_no.normalized for m in find_in_lines(read_source(path).lines)]
        for path in sorted(GOV_DOCS.glob("*.txt"))
    }
    assert numbers["baotou_2022_digital_gov_assessment"] == ["包府办发〔2022〕43号", "包府办发〔2022〕10号"]
    assert numbers["xinjiang_zhijian_2012_notice"] == [
        "新质监办发〔2012〕24号",
        "新质技监办〔2011〕7号",
        "新政办发〔2010〕79号",
    ]
    assert numbers["haikou_shuiwuju_2020_notice"] == []
    assert sum(len(found) for found in numbers.values()) == 10


def test_repeals(gazette: Document) -> None:
    facts = extract_repeals(gazette)
    assert [f.data for f in facts] == [
        {
            "repealed_doc_no": "平政办〔2019〕38号",
            "repealed_title": "平顶山市人民政府办公室关于印发平顶山市重污染天气应急预案的通知",
            "by_doc_no": "平政办〔2023〕20号",
            "line": 697,
        },
        {
            "repealed_doc_no": "平政〔2007〕67号",
            "repealed_title": "平顶山市人民政府关于印发平顶山市农村公路管理养护体制改革方案的通知",
            "by_doc_no": "平政办〔2023〕23号",
            "line": 795,
        },
    ]


@pytest.fixture(scope="module")
def documents_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("documents") / "documents.db"
    with fangzhi.open(path) as kb:
        kb.ingest(GAZETTE_PATH)
        kb.ingest(FIXTURES / "documents" / "repealed_plan.txt")
    return path


def test_repealed_document_is_marked_and_references_resolve(documents_db: Path) -> None:
    with fangzhi.open(documents_db, create=False) as kb:
        documents = {row["doc_no"]: row for row in kb.export("documents")}
        references = list(kb.export("references"))
    assert documents["平政办〔2019〕38号"]["repealed_by"] == "平政办〔2023〕20号"
    assert documents["平政办〔2023〕20号"]["repealed_by"] is None
    resolved = {row["doc_no"]: row["resolved_document"] for row in references if row["volume"] == "repealed_plan"}
    assert resolved == {"平政办〔2019〕38号": documents["平政办〔2019〕38号"]["id"]}
    in_gazette = [row for row in references if row["volume"] == "pingdingshan-gazette-2024-01"]
    assert [row["resolved_document"] is not None for row in in_gazette] == [
        True,
        True,
        True,
        False,
        True,
        True,
        True,
        False,
        False,
    ]


def test_cli_exports_and_stats(documents_db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--kind", "repeals", "--db", str(documents_db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "id,volume,repealed_doc_no,repealed_title,by_doc_no,line"
    assert len(result.output.splitlines()) == 3
    result = runner.invoke(main, ["stats", "--db", str(documents_db), "--json"])
    assert result.exit_code == 0, result.output
    stats = {row["volume"]: row for row in json.loads(result.output)}
    gazette = stats["pingdingshan-gazette-2024-01"]
    assert (gazette["documents"], gazette["appointments"], gazette["list_items"]) == (5, 46, 137)
    assert (gazette["references"], gazette["repeals"]) == (9, 2)
    assert stats["repealed_plan"]["documents"] == 1


def test_yearbook_reference_resolves_to_the_gazette_document(sample_kb) -> None:  # type: ignore[no-untyped-def]
    documents = {row["doc_no"]: row["id"] for row in sample_kb.export("documents")}
    rows = [row for row in sample_kb.export("references") if row["volume"] == "pingdingshan-yearbook-2024"]
    assert [row["doc_no"] for row in rows] == [doc_no for doc_no, _ in YEARBOOK_NUMBERS]
    resolved = {row["doc_no"]: row["resolved_document"] for row in rows if row["resolved_document"]}
    assert resolved == {"平政〔2023〕30号": documents["平政〔2023〕30号"]}
    assert documents["平政〔2023〕30号"].startswith("pingdingshan-gazette-2024-01:")
