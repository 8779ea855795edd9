"""fangzhi ingest / stats / export through the CLI (issue 2)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from html import unescape
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

import fangzhi
from conftest import FIXTURES, GAZETTE_PATH
from fangzhi.cli import main
from fangzhi.services.exports import coverage_line
from fangzhi.web.app import create_app


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 20, name


def test_stats_json_for_the_sample(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", str(sample_db), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["volume"]: row for row in json.loads(result.output)}
    yearbook = rows["pingdingshan-yearbook-2024"]
    assert {k: yearbook[k] for k in ("chapters", "sections", "entries", "pages", "chronicle_items", "tables")} == {
        "chapters": 40,
        "sections": 251,
        "entries": 1525,
        "pages": 371,
        "chronicle_items": 193,
        "tables": 7,
    }
    assert yearbook["sections_level_2"] == 240
    assert yearbook["captions"] == 147


def test_stats_of_one_volume_or_a_page_of_volumes(sample_db: Path) -> None:
    def volumes(*options: str) -> list[str]:
        result = CliRunner().invoke(main, ["stats", "--db", str(sample_db), "--json", *options])
        assert result.exit_code == 0, result.output
        return [row["volume"] for row in json.loads(result.output)]

    assert volumes() == ["pingdingshan-gazette-2024-01", "pingdingshan-yearbook-2024"]
    assert volumes("--limit", "1") == ["pingdingshan-gazette-2024-01"]
    assert volumes("--limit", "1", "--offset", "1") == ["pingdingshan-yearbook-2024"]
    assert volumes("--volume", "pingdingshan-yearbook-2024") == ["pingdingshan-yearbook-2024"]
    whole = json.loads(CliRunner().invoke(main, ["stats", "--db", str(sample_db), "--json"]).output)
    one = CliRunner().invoke(
        main, ["stats", "--db", str(sample_db), "--json", "--volume", "pingdingshan-yearbook-2024"]
    )
    assert json.loads(one.output) == whole[1:]
    missing = CliRunner().invoke(main, ["stats", "--db", str(sample_db), "--volume", "nope"])
    assert (missing.exit_code, missing.output) == (1, "Error: no volume with id 'nope'\n")


def test_stats_json_reports_coverage_and_warnings(sample_db: Path) -> None:
    rows = {
        row["volume"]: row
        for row in json.loads(CliRunner().invoke(main, ["stats", "--db", str(sample_db), "--json"]).output)
    }
    yearbook = rows["pingdingshan-yearbook-2024"]
    assert yearbook["coverage"] == {
        "lines": 33631,
        "structured": 32987,
        "untitled": 563,
        "read_as_facts": 0,
        "furniture": 81,
        "share": 0.9832,
        "counts": {
            "chapters": 40,
            "sections": 251,
            "entries": 1525,
            "articles": 4,
            "appendix_documents": 3,
            "events": 193,
            "tables": 7,
            "captions": 147,
            "paragraphs": 10,
            "pages": 371,
        },
    }
    assert yearbook["warnings"] == [
        {
            "code": "declared_count_differs",
            "message": "the editorial notes declare 244 分目; 251 sections were found",
            "line": 410,
        },
        {"code": "doc_no_no_number", "message": "文号 平数政办〔2023〕号 has no sequence number", "line": 15607},
    ]
    gazette = rows["pingdingshan-gazette-2024-01"]
    assert [warning["code"] for warning in gazette["warnings"]] == ["repeated_text_dropped"]


def test_ingest_prints_coverage_and_takes_kind_and_year(tmp_path: Path) -> None:
    text = tmp_path / "excerpt.txt"
    text.write_text("【概况】 某县位于某省东部。\n【交通】 全县公路里程 1200 千米。\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(text), "--db", str(tmp_path / "kb.db"), "-q"])
    assert result.exit_code == 0, result.output
    detected = runner.invoke(main, ["ingest", str(text), "--db", str(tmp_path / "kb.db")])
    assert detected.stdout.splitlines()[1] == (
        "  coverage: 100.0% of 2 text lines in recognised structure (0 in untitled paragraphs, 0 lines of furniture); "
        "found 2 entries"
    )
    forced = runner.invoke(
        main, ["ingest", str(text), "--db", str(tmp_path / "kb.db"), "--kind", "document", "--year", "2019", "-q"]
    )
    assert forced.exit_code == 0, forced.output
    with fangzhi.open(tmp_path / "kb.db") as kb:
        volume = kb.volume("excerpt")
        assert (volume.kind, volume.year, volume.attributes["kind_detected"]) == ("document", 2019, False)
    wrong = runner.invoke(main, ["ingest", str(text), "--db", str(tmp_path / "kb.db"), "--kind", "novel"])
    assert wrong.exit_code == 2
    assert "'novel' is not one of 'yearbook', 'gazette', 'chronicle', 'document'" in wrong.output


def test_export_kinds_and_fields(sample_db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--db", str(sample_db), "--kind", "entries"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 1525
    assert list(rows[0]) == [
        "id", "volume", "chapter", "section", "title", "text", "page", "page_end", "line_start", "line_end", "contributors"
    ]  # fmt: skip
    assert {k: rows[0][k] for k in ("chapter", "section", "title", "page", "line_start", "contributors")} == {
        "chapter": "市情概览",
        "section": "自然地理",
        "title": "区域位置",
        "page": 31,
        "line_start": 5478,
        "contributors": ["年鉴编辑部"],
    }
    volumes = json.loads(
        runner.invoke(main, ["export", "--db", str(sample_db), "--kind", "volumes", "--format", "json"]).output
    )
    assert [(v["id"], v["kind"], v["year"]) for v in volumes] == [
        ("pingdingshan-gazette-2024-01", "gazette", 2024),
        ("pingdingshan-yearbook-2024", "yearbook", 2024),
    ]
    csv_out = runner.invoke(main, ["export", "--db", str(sample_db), "--kind", "chapters", "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "id,volume,number,title,page,page_end"
    assert csv_out.splitlines()[1].endswith(",pingdingshan-yearbook-2024,1,特载,1,15")
    tables = [
        json.loads(line)
        for line in runner.invoke(main, ["export", "--db", str(sample_db), "--kind", "tables"]).output.splitlines()
    ]
    assert len(tables) == 7 and tables[0]["columns"] == ["序号", "企业名称", "县区"]
    captions = runner.invoke(main, ["export", "--db", str(sample_db), "--kind", "captions"]).output.splitlines()
    assert len(captions) == 147


def test_reingest_replaces_and_failure_leaves_kb_untouched(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    copy = tmp_path / "gazette.txt"
    shutil.copy(GAZETTE_PATH, copy)
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(copy), "--db", str(db), "-q"])
    assert first.exit_code == 0, first.output
    count = sqlite3.connect(db).execute("SELECT count(*) FROM nodes").fetchone()[0]
    again = runner.invoke(main, ["ingest", str(copy), "--db", str(db)])
    assert again.exit_code == 0
    assert "replaced gazette" in again.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM nodes").fetchone()[0] == count
    copy.write_bytes(b"\x00\x00binary")
    broken = runner.invoke(main, ["ingest", str(copy), "--db", str(db), "-q"])
    assert broken.exit_code == 1
    assert broken.output.strip().splitlines()[-1] == f"Error: {copy}: the file is binary, neither text nor a PDF"
    assert "Traceback" not in broken.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM nodes").fetchone()[0] == count


def test_missing_knowledge_base_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"Error: {tmp_path / 'none.db'}: no knowledge base here; create one with `fangzhi ingest FILE --db {tmp_path / 'none.db'}`"
    )


def test_any_other_text_is_a_document(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("关于做好冬季供暖工作的通知\n\n各单位：\n\n请做好供暖保障。\n", encoding="gb18030")
    with fangzhi.open(tmp_path / "kb.db") as kb:
        result = kb.ingest(note)
        assert result.volume.kind == "document"
        assert [(n.kind, n.title) for n in kb.nodes(volume="note")] == [
            ("document", "关于做好冬季供暖工作的通知"),
            ("paragraph", None),
        ]


def test_python_api_matches_cli(sample_kb) -> None:  # type: ignore[no-untyped-def]
    chapters = list(sample_kb.export("chapters"))
    assert len(chapters) == 40
    assert chapters[2] | {"id": None} == {
        "id": None,
        "volume": "pingdingshan-yearbook-2024",
        "number": 3,
        "title": "大事记",
        "page": 21,
        "page_end": 30,
    }


def test_ingest_stats_and_the_volume_page_show_the_same_warnings(tmp_path: Path) -> None:
    """Warnings of the facts (a 文号 cited without its number or year) are stored with the volume, each once, at its line."""
    text = tmp_path / "notice.txt"
    text.write_text(
        "示例市人民政府办公室关于印发示例市道路养护办法的通知\n"
        "示政办〔2023〕12号\n"
        "各县（市、区）人民政府，市人民政府各部门：\n"
        "根据《示例市公路条例》（示政〔2022〕号）的规定，现将《示例市道路养护办法》印发给你们，请认真贯彻执行。\x07\n"
        "本办法自印发之日起施行，\n"
        "《示例市道路养护暂行办法》（示政办〔〕8号）同时废止。\n"
        "示例市人民政府办公室\n"
        "2023年5月4日\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(text), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    said = [line.removeprefix(f"Warning: {text}: ") for line in ingested.stderr.splitlines() if "Warning" in line]
    assert said == [
        "line 4: removed 1 control character (NUL and the like) from 1 line (4); the rest of each line is kept",
        "line 1: document 示例市人民政府办公室关于印发示例市道路养护办法的通知: the enclosed text it issues is missing; "
        "the document may be cut off",
        "line 4: 文号 示政〔2022〕号 has no sequence number",
        "line 6: 文号 示政办〔〕8号 has no year",
    ]
    assert ", 4 warnings in " in ingested.stdout
    (row,) = json.loads(runner.invoke(main, ["stats", "--db", db, "--json"]).output)
    assert [f"line {warning['line']}: {warning['message']}" for warning in row["warnings"]] == said
    with fangzhi.open(db, create=False) as kb:
        html = TestClient(create_app(kb)).get("/volumes/notice").text
    shown = [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in re.findall(r"<li data-code.*?</li>", html)
    ]
    assert shown == [f"第 {warning['line']} 行 {warning['message']} {warning['code']}" for warning in row["warnings"]]
    assert "4 条提示" in html


def test_counts_read_right_in_the_singular() -> None:
    coverage = {
        "share": 1.0,
        "structured": 1,
        "untitled": 0,
        "furniture": 1,
        "counts": {"entries": 1, "appendix_documents": 2, "repeated_documents": 1, "pages": 1},
    }
    assert coverage_line(coverage) == (
        "coverage: 100.0% of 1 text line in recognised structure (0 in untitled paragraphs, 1 line of furniture); "
        "found 1 entry, 2 appendix documents, 1 repeated document, 1 page"
    )


def test_a_document_printed_twice_is_counted_as_a_repeat(tmp_path: Path) -> None:
    """A web page showing its decision twice: one document found, and one repeat of it, not two documents."""
    path = FIXTURES / "other-places" / "appointments" / "guichi-chizhou_2013_rendachangweihui_tuixuan-daili-zhuren.txt"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    assert first.startswith(
        f"ingested {path.stem} (document, 关于推选区人大常委会副主任徐新东代理主任职务的决定): "
        "4 nodes, 1 fact, 1 warning in "
    )
    assert second == (
        "  coverage: 100.0% of 6 text lines in recognised structure (0 in untitled paragraphs, 0 lines of furniture); "
        "found 1 document, 1 repeated document, 1 paragraph"
    )
    assert result.stderr.splitlines()[-1] == f"Warning: {path}: line 4: document repeats the one at line 1"


def test_stats_says_low_coverage_once(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(FIXTURES / "documents" / "plain.txt"), "--db", db, "-q"]).exit_code == 0
    lines = runner.invoke(main, ["stats", "--db", db]).output.splitlines()
    assert [line.split(":")[0] for line in lines if "only 0% of the text" in line] == ["  LOW COVERAGE"]
    (row,) = json.loads(runner.invoke(main, ["stats", "--db", db, "--json"]).output)
    assert [warning["code"] for warning in row["warnings"]] == ["low_coverage"]
