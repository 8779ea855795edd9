"""The Datasette export: one SQLite file of every export kind, served by Datasette itself in the test."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from fangzhi.cli import main
from fangzhi.services.exports import export_kinds

datasette_app = pytest.importorskip("datasette.app", reason="datasette is a test dependency: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def exported(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("datasette") / "sample.db"
    result = CliRunner().invoke(main, ["export", "--db", str(sample_db), "--format", "sqlite", "--out", str(out)])
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(out)
    tables = {"volumes", "nodes", *export_kinds()}
    rows = sum(connection.execute(f"select count(*) from [{table}]").fetchone()[0] for table in tables)
    assert result.stdout.splitlines() == [
        f"wrote {rows:,} rows in {len(tables)} tables to {out}",
        f"open it with: datasette {out} -m {out.parent / 'metadata.json'}",
    ]
    return out


def _get(database: Path, path: str) -> tuple[int, object]:
    """Ask a real Datasette (its ASGI app, as `datasette FILE.db -m metadata.json` starts it)."""

    async def ask() -> tuple[int, object]:
        metadata = json.loads((database.parent / "metadata.json").read_text(encoding="utf-8"))
        site = datasette_app.Datasette([str(database)], metadata=metadata)
        await site.invoke_startup()
        response = await site.client.get(path)
        body = response.json() if "json" in response.headers.get("content-type", "") else response.text
        return response.status_code, body

    return asyncio.run(ask())


def test_one_table_per_export_kind_with_foreign_keys(exported: Path, sample_kb) -> None:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(exported)
    tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
    assert {table for table in tables if "_fts" not in table} == {"volumes", "nodes", *export_kinds()}
    assert {
        "volumes",
        "nodes",
        "chapters",
        "sections",
        "entries",
        "tables",
        "captions",
        "documents",
        "references",
        "appointments",
        "list_items",
        "repeals",
        "events",
    } <= tables
    links = {(row[3], row[2]) for row in connection.execute("select * from pragma_foreign_key_list('entries')")}
    assert links == {("volume", "volumes"), ("id", "nodes")}
    links = {(row[3], row[2]) for row in connection.execute("select * from pragma_foreign_key_list('appointments')")}
    assert links == {("volume", "volumes"), ("node", "nodes")}
    assert connection.execute("pragma foreign_key_check").fetchall() == []
    counts = {table: connection.execute(f"select count(*) from [{table}]").fetchone()[0] for table in tables}
    assert (counts["entries"], counts["appointments"], counts["events"]) == (1525, 46, 273)
    assert counts["nodes"] == len(list(sample_kb.nodes()))
    row = connection.execute("select contributors, page from entries where title = '区域位置'").fetchone()
    assert (json.loads(row[0]), row[1]) == (["年鉴编辑部"], 31)


def test_datasette_searches_chinese_through_fts(exported: Path) -> None:
    status, rows = _get(exported, "/sample/entries.json?_search=汝瓷文化&_shape=array&_col=title&_col=page")
    assert status == 200
    assert sorted((row["page"], row["title"]) for row in rows) == [  # type: ignore[union-attr]
        (58, "文化建设"),
        (238, "文旅活动"),
        (239, "文化遗产旅游"),
        (263, "乡村文化建设阵地"),
    ]
    status, rows = _get(exported, "/sample/documents.json?_search=重污染天气&_shape=array")
    assert [row["doc_no"] for row in rows] == ["平政办〔2023〕20号"]  # type: ignore[index]


def test_find_query_takes_two_character_words(exported: Path) -> None:
    status, rows = _get(exported, "/sample/find.json?q=汝瓷&_shape=array")
    assert status == 200
    assert len(rows) == 28  # type: ignore[arg-type]
    status, rows = _get(exported, "/sample/find.json?q=汝瓷文化&_shape=array")
    assert len(rows) == 7  # type: ignore[arg-type]


def test_metadata_describes_the_site(exported: Path) -> None:
    status, page = _get(exported, "/sample/entries")
    assert status == 200
    assert "Entries (条目)" in page  # type: ignore[operator]
    assert "Printed page where the entry starts" in page  # type: ignore[operator]
    status, data = _get(exported, "/-/metadata.json")
    assert data["title"] == "fangzhi: 2 volumes"  # type: ignore[index]
    assert data["source"] == (  # type: ignore[index]
        "平顶山市人民政府公报 2024年第1号 (pingdingshan-gazette-2024-01.txt); "
        "平顶山年鉴 2024 (pingdingshan-yearbook-2024.txt)"
    )


def test_sqlite_export_needs_an_output_file(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(sample_db), "--format", "sqlite"])
    assert result.exit_code == 2
    assert "--format sqlite needs --out FILE.db" in result.output
