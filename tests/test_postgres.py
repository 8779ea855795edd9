"""PostgreSQL as the knowledge base: every command with --db postgresql://…, the same answers as SQLite.

Needs a PostgreSQL server (``postgres_server`` in conftest): skipped with the
reason without one, a failure in CI (FANGZHI_REQUIRE_POSTGRES=1).  The two
sample knowledge bases were filled in the same order from the same files, so
everything they return must be identical, down to the order of search hits
and their scores.
"""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import fangzhi
from conftest import GAZETTE_PATH, PostgresDatabases
from fangzhi.cli import main
from fangzhi.errors import KnowledgeBaseError, TimeBudgetError
from fangzhi.services.exports import FORMATS, export_kinds
from fangzhi.store import budget
from fangzhi.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from search_benchmark import QUERIES  # noqa: E402

pytestmark = pytest.mark.postgres

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"
COMPARED = 410  # searches with hits, best-match fallbacks aside
FILTERS = [
    {},
    {"volume": YEARBOOK},
    {"kind": "entry"},
    {"year": 2024, "page_from": 30, "page_to": 120},
    {"chapter": "大事记"},
]


def run(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("kind", export_kinds())
def test_every_export_is_identical_from_both_engines(kind: str, sample_db: Path, sample_postgres: str) -> None:
    for format in FORMATS:
        sqlite = run("export", "--kind", kind, "--format", format, "--db", str(sample_db))
        postgres = run("export", "--kind", kind, "--format", format, "--db", sample_postgres)
        assert postgres == sqlite
        assert sqlite.strip()


def test_the_same_searches_return_the_same_hits_in_the_same_order(sample_db: Path, sample_postgres: str) -> None:
    with (
        fangzhi.open(sample_db, create=False, read_only=True) as sqlite,
        fangzhi.open(sample_postgres, create=False, read_only=True) as postgres,
    ):
        compared = 0
        for query in [*QUERIES, "汝瓷 烧制技艺 -宝丰", "哈哈", "2023年平顶山市的地区生产总值是多少？"]:
            for filters in FILTERS:
                for limit, offset in ((10, 0), (7, 12)):
                    expected = sqlite.search(query, limit=limit, offset=offset, **filters).to_dict()
                    found = postgres.search(query, limit=limit, offset=offset, **filters).to_dict()
                    assert found == expected, (query, filters, limit, offset)
                    # best-match fallbacks cut questions into words with jieba, whose vocabulary other tests extend
                    compared += bool(expected["hits"]) and not expected["best_match"]
        assert compared == COMPARED


def test_the_same_answers_timeline_stats_and_reading(sample_db: Path, sample_postgres: str) -> None:
    with (
        fangzhi.open(sample_db, create=False, read_only=True) as sqlite,
        fangzhi.open(sample_postgres, create=False, read_only=True) as postgres,
    ):
        assert postgres.stats() == sqlite.stats()
        assert postgres.stats(limit=1, offset=1) == sqlite.stats()[1:]
        assert postgres.count_volumes() == 2
        assert postgres.timeline() == sqlite.timeline()
        assert postgres.timeline(date_from="2023-11", date_to="2023-11") == sqlite.timeline(
            date_from="2023-11", date_to="2023-11"
        )
        for question in ("2023年平顶山市的地区生产总值是多少？", "戴冲被任命为什么职务？", "火星上有多少人？"):
            assert postgres.ask(question).to_dict() == sqlite.ask(question).to_dict()
        for node in (f"{YEARBOOK}:120", f"{GAZETTE}:14", f"{YEARBOOK}:1"):
            assert postgres.read(node) == sqlite.read(node)
            assert postgres.cite(node) == sqlite.cite(node)


def test_every_command_takes_a_database_url(sample_postgres: str, sample_db: Path) -> None:
    assert run("stats", "--db", sample_postgres) == run("stats", "--db", str(sample_db))
    assert run("search", "汝瓷", "--db", sample_postgres) == run("search", "汝瓷", "--db", str(sample_db))
    assert run("timeline", "--person", "李明俊", "--db", sample_postgres) == run(
        "timeline", "--person", "李明俊", "--db", str(sample_db)
    )
    assert run("ask", "戴冲被任命为什么职务？", "--db", sample_postgres) == run(
        "ask", "戴冲被任命为什么职务？", "--db", str(sample_db)
    )
    assert run("migrate", "--db", sample_postgres).endswith(": already up to date\n")


def test_ingest_creates_the_database_and_replaces_a_volume(
    postgres_server: str, postgres_databases: PostgresDatabases
) -> None:
    url = postgres_server.rsplit("/", 1)[0] + f"/fangzhi_created_{id(postgres_databases)}"
    postgres_databases.created.append(url.rsplit("/", 1)[1])
    first = run("ingest", str(GAZETTE_PATH), "--db", url).splitlines()
    assert [line for line in first if line.startswith("ingested ")][0].startswith(
        f"ingested {GAZETTE} (gazette, 平顶山市人民政府公报 2024年第1号): "
    )
    again = run("ingest", str(GAZETTE_PATH), "--db", url).splitlines()
    assert [line.split(" (")[0] for line in again if line.startswith(("ingested ", "replaced "))] == [
        f"replaced {GAZETTE}"
    ]
    with fangzhi.open(url, create=False) as kb:
        assert [volume.id for volume in kb.volumes()] == [GAZETTE]
        assert sum(1 for _ in kb.export("appointments")) == 46


def test_the_web_app_serves_from_postgres(sample_postgres: str, sample_db: Path) -> None:
    with (
        fangzhi.open(sample_postgres, create=False, read_only=True) as postgres,
        fangzhi.open(sample_db, create=False, read_only=True) as sqlite,
        TestClient(create_app(postgres)) as on_postgres,
        TestClient(create_app(sqlite)) as on_sqlite,
    ):
        for url in ("/api/search?q=汝瓷", f"/api/nodes/{YEARBOOK}:120", "/api/stats", "/api/volumes"):
            assert on_postgres.get(url).json() == on_sqlite.get(url).json()
        home = on_postgres.get("/")
        assert home.status_code == 200
        assert "平顶山年鉴 2024" in home.text
        assert on_postgres.get("/search?q=汝瓷").text == on_sqlite.get("/search?q=汝瓷").text


def test_readers_refuse_a_missing_or_foreign_database(
    postgres_server: str, postgres_databases: PostgresDatabases
) -> None:
    missing = postgres_server.rsplit("/", 1)[0] + "/fangzhi_no_such_database"
    result = CliRunner().invoke(main, ["stats", "--db", missing])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {missing}: no knowledge base here; create one with `fangzhi ingest FILE --db {missing}`\n"
    )
    empty = postgres_databases.create()
    result = CliRunner().invoke(main, ["search", "汝瓷", "--db", empty])
    assert result.output == (
        f"Error: {empty}: an empty database, not a fangzhi knowledge base; fill it with `fangzhi ingest FILE --db {empty}`\n"
    )
    with psycopg.connect(empty, autocommit=True) as other:
        other.execute("CREATE TABLE customers (name text)")
    result = CliRunner().invoke(main, ["ingest", str(GAZETTE_PATH), "--db", empty])
    assert result.exit_code == 1
    assert "a database of another program" in result.output
    with psycopg.connect(empty) as other:
        assert other.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 1


def test_a_read_only_knowledge_base_refuses_writes(sample_postgres: str) -> None:
    with fangzhi.open(sample_postgres, create=False, read_only=True) as kb:
        with pytest.raises(KnowledgeBaseError, match="opened read-only"):
            kb.ingest(GAZETTE_PATH)
        assert [volume.id for volume in kb.volumes()] == [GAZETTE, YEARBOOK]


def test_a_read_stops_when_the_time_budget_runs_out(sample_postgres: str) -> None:
    with fangzhi.open(sample_postgres, create=False, read_only=True) as kb:
        store = kb.store
        with pytest.raises(TimeBudgetError, match="took longer than 0.2 s"), budget.time_budget(0.2, "the test read"):
            store._rows("SELECT pg_sleep(5)")
        assert store._rows("SELECT 1") == [(1,)]
