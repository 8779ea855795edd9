"""Hardening (issue 16): no request can stall the server, no ingest can fail silently or crash.

Failures about processes are tested with real processes: several ``fangzhi
ingest`` started at once into a new file, and a real ``fangzhi serve``
answering ``/api/stats`` while a hostile search runs.  docs/reliability.md
lists each guarantee with the test that holds it.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import http.client
import io
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from click.testing import CliRunner
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import fangzhi
from conftest import FIXTURES, GAZETTE_PATH, GOV_DOCS, YEARBOOK_PATH
from fangzhi.cli import main
from fangzhi.errors import KnowledgeBaseError, QueryLimitError, TimeBudgetError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.search import search
from fangzhi.search.query import SearchLimits, parse_query
from fangzhi.services.exports import csv_cell_text, export_kinds, render
from fangzhi.services.low_coverage import coverage_share, low_coverage_message
from fangzhi.store import budget
from fangzhi.store.sqlite import SQLiteStore
from fangzhi.web.api import KB
from fangzhi.web.app import api_routes, create_app, refuse_async_reads
from fangzhi.web.middleware import CONTENT_SECURITY_POLICY
from fangzhi.web.templating import templates

FORMULA_CELLS = FIXTURES / "hardening" / "formula_cells.txt"
SMALL_DOCUMENTS = [
    GOV_DOCS / "haikou_shuiwuju_2020_notice.txt",
    FIXTURES / "documents" / "plain.txt",
    FIXTURES / "documents" / "repealed_plan.txt",
    FIXTURES / "documents" / "missing_year.txt",
]


@functools.lru_cache(maxsize=1)
def hostile_query() -> str:
    """The 4,000 commonest three-character strings of the sample yearbook, OR-ed: seconds of work on any machine."""
    text = re.sub(r"\s", "", YEARBOOK_PATH.read_text(encoding="utf-8"))
    strings = Counter(re.findall(r"[\u4e00-\u9fff]{3}", text))
    return " OR ".join(string for string, _ in strings.most_common(4000))


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fangzhi", *arguments], capture_output=True, text=True, timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def kb(sample_db: Path) -> Iterator[KnowledgeBase]:
    knowledge_base = fangzhi.open(sample_db, create=False, read_only=True)
    yield knowledge_base
    knowledge_base.close()


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(kb))


# --- safe concurrent ingest ---------------------------------------------------------------------------------------


def test_ingests_started_at_once_into_a_new_file_all_succeed(tmp_path: Path) -> None:
    """Four processes create the same new knowledge base at once, three times over: one creates, the others wait."""
    for attempt in range(3):
        db = tmp_path / f"new-{attempt}.db"
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "fangzhi", "ingest", str(path), "--db", str(db), "-q"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for path in SMALL_DOCUMENTS
        ]
        outcomes = [(process.wait(timeout=120), process.stderr.read()) for process in processes]  # type: ignore[union-attr]
        assert outcomes == [(0, "")] * 4
        connection = sqlite3.connect(db)
        volumes = [row[0] for row in connection.execute("SELECT id FROM volumes ORDER BY id")]
        migrations = [row[0] for row in connection.execute("SELECT name FROM migrations ORDER BY name")]
        connection.close()
        assert volumes == ["haikou_shuiwuju_2020_notice", "missing_year", "plain", "repealed_plan"]
        assert migrations == [
            "0001_initial",
            "0002_compact",
            "search_0001_fts5",
            "search_0002_facet_groups_in_rowid",
            "search_0003_titles",
            "search_0004_long_groups",
            "search_0005_contentless",
        ]


def test_a_writer_waits_for_the_lock_and_then_writes(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    SQLiteStore(db).close()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, lambda: holder.execute("COMMIT")).start()
    with fangzhi.open(db, lock_timeout=10) as knowledge_base:
        started = time.monotonic()
        result = knowledge_base.ingest(SMALL_DOCUMENTS[1])
        waited = time.monotonic() - started
    assert result.volume.id == "plain"
    assert waited >= 0.4
    holder.close()


def test_a_writer_that_cannot_get_the_lock_says_so(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    SQLiteStore(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with fangzhi.open(db, lock_timeout=0.3) as knowledge_base, pytest.raises(KnowledgeBaseError) as raised:
            knowledge_base.ingest(SMALL_DOCUMENTS[1])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(raised.value) == (
        f"{db}: another process is writing to this knowledge base and did not finish within 0.3 s; "
        "try again when it is done"
    )


# --- read-only commands never write -------------------------------------------------------------------------------

READERS = [
    ["stats"],
    ["export", "--kind", "volumes"],
    ["search", "汝瓷"],
    ["timeline"],
]


@pytest.mark.parametrize("command", READERS + [["serve", "--port", "8999"]], ids=lambda command: command[0])
def test_readers_refuse_another_programs_database_and_leave_it_alone(tmp_path: Path, command: list[str]) -> None:
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO accounts VALUES (1, '张三')")
    connection.commit()
    connection.close()
    before = digest(other)
    result = CliRunner().invoke(main, [*command, "--db", str(other)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {other}: an SQLite database of another program, not a fangzhi knowledge base; choose another --db\n"
    )
    assert digest(other) == before
    connection = sqlite3.connect(other)
    assert [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["accounts"]
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "an empty file, not a fangzhi knowledge base"),
        ("一份普通的文本文件\n".encode(), "not a fangzhi knowledge base (not an SQLite file); choose another --db"),
    ],
    ids=["empty", "text"],
)
@pytest.mark.parametrize("command", READERS, ids=lambda command: command[0])
def test_readers_refuse_a_file_that_is_not_a_knowledge_base(
    tmp_path: Path, command: list[str], content: bytes, problem: str
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    result = CliRunner().invoke(main, [*command, "--db", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {problem}\n"
    assert path.read_bytes() == content


def test_ingest_refuses_to_add_tables_to_another_programs_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)").connection.close()
    result = CliRunner().invoke(main, ["ingest", str(SMALL_DOCUMENTS[1]), "--db", str(other)])
    assert result.exit_code == 1
    assert result.output.endswith("not a fangzhi knowledge base; choose another --db\n")
    tables = sqlite3.connect(other).execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == [("accounts",)]


@pytest.mark.parametrize("command", [*READERS, ["ingest", str(SMALL_DOCUMENTS[1])]], ids=lambda command: command[0])
def test_db_in_a_missing_folder_says_so(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "no-such-folder" / "kb.db"
    result = CliRunner().invoke(main, [*command, "--db", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: the folder {path.parent} does not exist; create it first or choose another --db\n"
    )
    assert not path.parent.exists()


@pytest.mark.parametrize("command", READERS, ids=lambda command: command[0])
def test_readers_leave_a_knowledge_base_byte_for_byte_as_it_was(
    sample_db: Path, tmp_path: Path, command: list[str]
) -> None:
    copy = tmp_path / "kb.db"
    shutil.copy(sample_db, copy)
    before = digest(copy)
    result = CliRunner().invoke(main, [*command, "--db", str(copy)])
    assert result.exit_code == 0, result.output
    assert digest(copy) == before


def test_a_knowledge_base_from_an_older_fangzhi_is_upgraded_only_by_migrate(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    SQLiteStore(db, indexers=[]).close()
    stats = CliRunner().invoke(main, ["stats", "--db", str(db)])
    assert stats.exit_code == 1
    assert stats.output == (
        f"Error: {db}: made by an older fangzhi and not yet upgraded (missing search_0001_fts5, "
        "search_0002_facet_groups_in_rowid, search_0003_titles, search_0004_long_groups, search_0005_contentless); "
        f"upgrade it with `fangzhi migrate --db {db}`\n"
    )
    migrate = CliRunner().invoke(main, ["migrate", "--db", str(db)])
    assert migrate.output == (
        f"{db}: applied search_0001_fts5, search_0002_facet_groups_in_rowid, search_0003_titles, "
        "search_0004_long_groups, search_0005_contentless\n"
    )
    assert CliRunner().invoke(main, ["migrate", "--db", str(db)]).output == f"{db}: already up to date\n"
    assert CliRunner().invoke(main, ["stats", "--db", str(db)]).exit_code == 0


def test_a_read_only_knowledge_base_refuses_writes(sample_db: Path) -> None:
    with (
        fangzhi.open(sample_db, create=False, read_only=True) as knowledge_base,
        pytest.raises(KnowledgeBaseError) as raised,
    ):
        knowledge_base.store.delete_volume("pingdingshan-yearbook-2024")
    assert str(raised.value) == f"{sample_db}: opened read-only; open it for writing to change it"


# --- say what happened ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def damaged_yearbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample yearbook cut at 30 % of its lines, as the hardening probe damaged it."""
    lines = YEARBOOK_PATH.read_text(encoding="utf-8").split("\n")
    path = tmp_path_factory.mktemp("damaged") / "cut.txt"
    path.write_text("\n".join(lines[: int(len(lines) * 0.3)]), encoding="utf-8")
    return path


# Cut at 30 %, the yearbook still reads as its first 10 chapters (issue 9); what the cut broke is said.
DAMAGED_WARNINGS = [
    "line 19464: entry 概况 has no attribution",
    "line 19495: entry 组织建设 has no attribution",
    "line 19520: entry 思想建设 has no attribution",
    "line 410: the editorial notes declare 40 类目; 10 chapters were found",
    "line 410: the editorial notes declare 244 分目; 50 sections were found",
    "line 410: the editorial notes declare 1525 条目; 256 entries were found",
    "line 410: the editorial notes declare 7 表格; 0 tables were found",
    "line 15607: 文号 平数政办〔2023〕号 has no sequence number",
]


def test_ingest_prints_every_warning(damaged_yearbook: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(damaged_yearbook), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0
    assert result.stdout.startswith("ingested cut (yearbook, 平顶山年鉴 2024): 584 nodes, 2,346 facts, 8 warnings in ")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert warnings == [f"Warning: {damaged_yearbook}: {warning}" for warning in DAMAGED_WARNINGS]


def test_strict_turns_warnings_into_an_error_and_stores_that_file_only(damaged_yearbook: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    clean = str(SMALL_DOCUMENTS[2])
    result = CliRunner().invoke(main, ["ingest", str(damaged_yearbook), clean, "--db", str(db), "--strict", "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *[f"Warning: {damaged_yearbook}: {warning}" for warning in DAMAGED_WARNINGS],
        f"Error: {damaged_yearbook}: 8 warnings with --strict; not stored",
    ]
    with fangzhi.open(db, create=False, read_only=True) as knowledge_base:
        assert [volume.id for volume in knowledge_base.volumes()] == ["repealed_plan"]


def test_strict_stores_a_clean_file(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    # A text of untitled paragraphs only (plain.txt) is not clean: its low coverage is a warning.
    result = CliRunner().invoke(main, ["ingest", str(SMALL_DOCUMENTS[2]), "--db", str(db), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ingested repealed_plan (document, ")


# --- no silent replacement ------------------------------------------------------------------------------------------


def test_two_files_with_the_same_volume_id_are_refused_naming_both(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SMALL_DOCUMENTS[1], tmp_path / folder / "x.txt")
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "--db", str(db)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'b' / 'x.txt'}: would be stored as volume 'x', like {tmp_path / 'a' / 'x.txt'}; "
        "ingest one of them on its own with --volume-id\n"
    )
    assert not db.exists()


def test_the_same_file_twice_is_ingested_once(tmp_path: Path) -> None:
    path = str(SMALL_DOCUMENTS[1])
    result = CliRunner().invoke(main, ["ingest", path, path, "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0
    assert result.stdout.count("ingested plain") == 1


def test_replacing_a_volume_read_from_another_file_says_so(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SMALL_DOCUMENTS[1], tmp_path / folder / "x.txt")
    db = str(tmp_path / "kb.db")
    CliRunner().invoke(main, ["ingest", str(tmp_path / "a" / "x.txt"), "--db", db])
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "b" / "x.txt"), "--db", db])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].endswith(f"(it was read from {tmp_path / 'a' / 'x.txt'})")


@pytest.mark.parametrize(
    ("volume_id", "problem"),
    [
        ("a/b", "contains '/'"),
        ("a?b", "contains '?'"),
        ("a#b", "contains '#'"),
        ("a:b", "contains ':'"),
        ("a b", "contains ' '"),
        ("a\x01b", "contains '\\x01'"),
        ("..", "cannot be part of a URL"),
        ("x" * 201, "is longer than 200 characters"),
    ],
)
def test_volume_ids_that_a_url_cannot_reach_are_refused(tmp_path: Path, volume_id: str, problem: str) -> None:
    db = tmp_path / "kb.db"
    path = str(SMALL_DOCUMENTS[1])
    result = CliRunner().invoke(main, ["ingest", path, "--db", str(db), "--volume-id", volume_id])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {path}: volume id {volume_id!r} {problem}; use letters, digits, '-', '_' and '.' only"
    )


def test_a_chinese_volume_id_is_fine(tmp_path: Path) -> None:
    with fangzhi.open(tmp_path / "kb.db") as knowledge_base:
        result = knowledge_base.ingest(SMALL_DOCUMENTS[1], volume_id="平顶山-2024_v1.0")
        assert result.volume.id == "平顶山-2024_v1.0"
        assert knowledge_base.node("平顶山-2024_v1.0:1").volume == "平顶山-2024_v1.0"


# --- input guards -------------------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["ingest", str(GAZETTE_PATH), "--db", str(tmp_path / "kb.db"), "--max-size", "0.05"]
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {GAZETTE_PATH}: is 0.1 MB, more than the 0.05 MB a source file may have; "
        "split it, or raise the limit with --max-size"
    )


def test_a_text_that_lost_its_line_breaks_is_refused(tmp_path: Path) -> None:
    one_line = tmp_path / "one-line.txt"
    one_line.write_text(GAZETTE_PATH.read_text(encoding="utf-8").replace("\n", ""), encoding="utf-8")
    length = len(one_line.read_text(encoding="utf-8"))
    db = str(tmp_path / "kb.db")
    refused = CliRunner().invoke(main, ["ingest", str(one_line), "--db", db, "--max-line-length", "20000"])
    assert refused.exit_code == 1
    assert refused.output.splitlines()[-1] == (
        f"Error: {one_line}: line 1 is {length:,} characters long, more than the 20,000 a line may have: "
        "the text seems to have lost its line breaks; extract it again keeping them "
        "(or raise the limit with --max-line-length)"
    )
    assert CliRunner().invoke(main, ["ingest", str(one_line), "--db", db, "-q"]).exit_code == 0


def test_a_nul_after_the_first_8_kb_is_removed_with_a_warning(tmp_path: Path) -> None:
    data = GAZETTE_PATH.read_bytes()
    position = data.index("。".encode(), 10_000)
    damaged = tmp_path / "nul.txt"
    damaged.write_bytes(data[:position] + b"\x00\x1b" + data[position:])
    line = data[:position].count(b"\n") + 1
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(main, ["ingest", str(damaged), "--db", str(db)])
    assert result.exit_code == 0
    assert (
        f"Warning: {damaged}: line {line}: removed 2 control characters (NUL and the like) from 1 line ({line}); "
        in result.stderr
    )
    with fangzhi.open(db, create=False, read_only=True) as knowledge_base:
        assert knowledge_base.source_lines("nul", line, line) == [
            GAZETTE_PATH.read_text(encoding="utf-8").split("\n")[line - 1]
        ]
        exported = "".join(render(knowledge_base.export("documents"), "jsonl"))
    assert "\\u0000" not in exported and "\x00" not in exported
    strict = CliRunner().invoke(main, ["ingest", str(damaged), "--db", str(tmp_path / "strict.db"), "--strict", "-q"])
    assert strict.exit_code == 1


def test_text_full_of_control_characters_is_refused_as_binary(tmp_path: Path) -> None:
    data = GAZETTE_PATH.read_bytes()
    noisy = tmp_path / "noisy.txt"
    middle = data.index(b"\n", 9000) + 1
    noisy.write_bytes(data[:middle] + b"\x01\x02\x03\x04" * 2000 + data[middle:])
    result = CliRunner().invoke(main, ["ingest", str(noisy), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {noisy}: has 8,000 control characters (NUL and the like): it looks binary, not text"
    )


# --- bounded work per request ---------------------------------------------------------------------------------------


def test_repeated_words_are_merged() -> None:
    assert parse_query(" ".join(["a"] * 200)).to_match() == '"a"'
    assert parse_query("汝瓷 OR 汝瓷 钧瓷 汝瓷 OR 汝瓷 -宝丰 -宝丰").to_match() == '("汝 瓷" AND "钧 瓷") NOT "宝 丰"'
    assert parse_query("汝瓷 OR 钧瓷 钧瓷 OR 汝瓷").to_match() == '("汝 瓷" OR "钧 瓷")'


def test_a_query_past_the_limits_is_refused_before_any_work() -> None:
    with pytest.raises(QueryLimitError) as too_long:
        parse_query(" ".join(["a"] * 4000))
    assert str(too_long.value) == "the query is 7,999 characters long, more than the 500 a search may have; shorten it"
    with pytest.raises(QueryLimitError) as too_many:
        parse_query(" ".join(f"w{number}" for number in range(33)))
    assert str(too_many.value) == (
        "the query has 33 different words and phrases, more than the 32 a search may have; leave some out"
    )
    assert len(parse_query(" ".join(f"w{number % 32}" for number in range(64))).terms) == 32


def test_a_search_past_its_time_budget_is_stopped_inside_sqlite(kb: KnowledgeBase) -> None:
    limits = SearchLimits(max_characters=100_000, max_terms=10_000, time_budget=0.3)
    started = time.monotonic()
    with pytest.raises(TimeBudgetError) as raised:
        search(kb.store, hostile_query(), limits=limits)
    assert time.monotonic() - started < 2.0
    assert str(raised.value) == (
        f"the search for '{hostile_query()[:40]}…' took longer than 0.3 s and was stopped; "
        "use fewer or longer words, or add filters"
    )
    assert search(kb.store, "汝瓷").total == 28


def test_a_budget_stops_every_read_of_the_store(kb: KnowledgeBase) -> None:
    with budget.time_budget(0.2, "the export"), pytest.raises(TimeBudgetError) as raised:
        time.sleep(0.3)
        list(kb.nodes())
    assert str(raised.value) == "the export took longer than 0.2 s and was stopped; ask for less"
    assert len(list(kb.nodes(kind="chapter"))) == 40


def test_the_cli_refuses_overflowing_numbers_in_one_line(sample_db: Path) -> None:
    for option, message in [
        (
            "--offset",
            "offset must be between 0 and 10,000, not 99999999999999999999; narrow the search to see later hits",
        ),
        ("--page-from", "page_from is out of range: 99999999999999999999"),
        ("--year", "year is out of range: 99999999999999999999"),
    ]:
        result = CliRunner().invoke(main, ["search", "汝瓷", "--db", str(sample_db), option, "99999999999999999999"])
        assert (result.exit_code, result.output) == (1, f"Error: {message}\n")


# --- every error in the documented shape ----------------------------------------------------------------------------

HOSTILE_VALUES = ["9223372036854775807", "99999999999999999999", "-1", "1e20", "\x00", "汝" * 600]


def _get_routes(app: FastAPI) -> list[APIRoute]:
    return [route for route in api_routes(app.routes) if "GET" in route.methods]


def test_no_parameter_of_any_route_makes_the_server_fail(client: TestClient) -> None:
    """Every GET route, pages and API, each parameter given each hostile value: a 4xx or an answer, never a 500."""
    checked = 0
    for route in _get_routes(client.app):  # type: ignore[arg-type]
        names = [parameter.alias for parameter in route.dependant.query_params]
        paths = [parameter.alias for parameter in route.dependant.path_params]
        base_path = route.path
        for name in paths:
            base_path = base_path.replace("{" + name + "}", "pingdingshan-yearbook-2024" if "volume" in name else "x")
        base_query = {"q": "汝瓷"} if "q" in names else {}
        targets = [("query", name) for name in names] + [("path", name) for name in paths]
        for where, name in targets:
            for value in HOSTILE_VALUES:
                if where == "path":
                    url = route.path
                    for other in paths:
                        url = url.replace("{" + other + "}", quote(value, safe="") if other == name else "x")
                    url += "?" + urlencode(base_query) if base_query else ""
                else:
                    url = base_path + "?" + urlencode({**base_query, name: value})
                response = client.get(url)
                checked += 1
                assert response.status_code < 500, (url[:200], response.text[:300])
                if response.status_code >= 400 and url.startswith("/api/"):
                    error = response.json()["error"]
                    assert error["status"] == response.status_code
                    assert {"status", "code", "message"} <= set(error)
    assert checked > 150


@pytest.mark.parametrize(
    ("parameters", "code", "message"),
    [
        ({"q": "汝瓷", "offset": "9223372036854775807"}, "invalid_parameter", "less than or equal to 1000000000"),
        ({"q": "汝瓷", "offset": "20000"}, "invalid_parameter", "offset must be between 0 and 10,000, not 20000"),
        ({"q": "汝瓷", "page_from": "1e20"}, "invalid_parameter", "query.page_from: Input should be a valid integer"),
        ({"q": "汝瓷", "year": "99999999999999999999"}, "invalid_parameter", "year is out of range"),
        ({"q": " ".join(["a"] * 4000)}, "query_too_large", "the query is 7,999 characters long"),
    ],
)
def test_search_rejects_overflowing_and_oversized_parameters(
    client: TestClient, parameters: dict[str, str], code: str, message: str
) -> None:
    response = client.get("/api/search", params=parameters)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (422, code)
    assert message in error["message"]


def test_the_probes_overflowing_offset_on_listings_is_a_json_422(client: TestClient) -> None:
    for route in ("/api/nodes", "/api/facts"):
        response = client.get(route, params={"offset": "9223372036854775807"})
        assert response.status_code == 422
        assert response.json()["error"]["message"] == (
            "invalid parameter: query.offset: Input should be less than or equal to 1000000000"
        )


def test_a_route_that_reads_in_an_async_handler_is_refused(kb: KnowledgeBase) -> None:
    app = create_app(kb)
    extra = APIRouter()

    @extra.get("/api/slow")
    async def slow(kb: KB) -> dict[str, int]:
        return {"volumes": len(kb.volumes())}

    app.include_router(extra)
    with pytest.raises(TypeError) as raised:
        refuse_async_reads(app)
    assert str(raised.value) == (
        "route /api/slow (slow) reads the knowledge base in an `async def`; write it as a plain `def` "
        "so that it runs in a worker thread (see docs/reliability.md)"
    )


# --- HEAD and security headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/api/stats", "/search?q=汝瓷", "/docs", "/static/fangzhi.css", "/nodes/pingdingshan-yearbook-2024:1"]
)
def test_head_is_answered_on_get_routes(client: TestClient, url: str) -> None:
    got = client.get(url)
    head = client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


@pytest.mark.parametrize("url", ["/", "/api/stats", "/docs", "/static/htmx.min.js", "/no-such-page", "/api/nodes/x:1"])
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_the_api_docs_page_has_no_inline_script(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "<script>" not in html and "<style" not in html
    assert '<script src="/static/swagger-init.js?v=' in html


# --- safe exports ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def formula_kb(tmp_path_factory: pytest.TempPathFactory, sample_db: Path) -> Iterator[KnowledgeBase]:
    db = tmp_path_factory.mktemp("formulas") / "kb.db"
    shutil.copy(sample_db, db)
    with fangzhi.open(db) as knowledge_base:
        knowledge_base.ingest(FORMULA_CELLS)
        yield knowledge_base


def test_csv_cells_a_spreadsheet_would_run_are_escaped(formula_kb: KnowledgeBase) -> None:
    rows = list(csv.reader(io.StringIO("".join(render(formula_kb.export("documents"), "csv")))))
    header, found = rows[0], next(row for row in rows if row[0] == "formula_cells:1")
    record = dict(zip(header, found, strict=True))
    assert record["title"] == '\'=HYPERLINK("http://example.com","关于公布检测结果的通知")'
    assert csv_cell_text(record["title"]) == '=HYPERLINK("http://example.com","关于公布检测结果的通知")'


@pytest.mark.parametrize("kind", export_kinds())
def test_every_csv_row_round_trips_to_the_jsonl_row(formula_kb: KnowledgeBase, kind: str) -> None:
    expected = [json.loads(line) for line in "".join(render(formula_kb.export(kind), "jsonl")).splitlines()]
    rows = list(csv.DictReader(io.StringIO("".join(render(formula_kb.export(kind), "csv")))))
    assert len(rows) == len(expected)
    for row, record in zip(rows, expected, strict=True):
        assert {key for key, cell in row.items() if cell} <= set(record)
        for key, value in record.items():
            cell = csv_cell_text(row[key])
            if not isinstance(value, (int, float)):
                # A number (-7.3) is read as a number, never as a formula; text is what must be escaped.
                assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r"))
            if isinstance(value, (list, dict)):
                assert json.loads(cell) == value
            else:
                assert cell == ("" if value is None else str(value))


# --- a real server: one hostile query does not stall the others -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def hostile_server(sample_db: Path) -> Iterator[int]:
    """``fangzhi serve`` in its own process, with limits raised so that a query runs long inside SQLite."""
    port = _free_port()
    options = ["--max-query-terms", "5000", "--max-query-length", "100000", "--time-budget", "1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "fangzhi", "serve", "--db", str(sample_db), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("fangzhi serve did not start")
            time.sleep(0.1)
    yield port
    process.kill()
    process.wait()


def _get(port: int, path: str) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, time.monotonic()


def test_stats_answers_quickly_while_a_hostile_query_runs(hostile_server: int) -> None:
    port = hostile_server
    _get(port, "/api/stats")
    hostile: dict[str, object] = {}

    def attack() -> None:
        started = time.monotonic()
        status, body, finished = _get(port, "/api/search?" + urlencode({"q": hostile_query()}))
        hostile.update(status=status, body=json.loads(body), took=finished - started, finished=finished)

    thread = threading.Thread(target=attack)
    thread.start()
    time.sleep(0.2)
    answers = []
    for _ in range(5):
        started = time.monotonic()
        status, body, finished = _get(port, "/api/stats")
        answers.append((status, finished - started, finished))
    thread.join(timeout=60)
    assert [status for status, _, _ in answers] == [200] * 5
    assert max(took for _, took, _ in answers) < 1.0
    assert answers[-1][2] < hostile["finished"]  # every answer came while the hostile query was still running
    assert hostile["status"] == 422
    error = hostile["body"]["error"]  # type: ignore[index]
    assert error["code"] == "time_budget_exceeded"
    assert error["message"] == (
        "the request /api/search took longer than 1 s and was stopped; ask for less, e.g. with filters or a smaller limit"
    )
    assert 0.95 <= hostile["took"] < 6.0  # type: ignore[operator]


# --- low coverage is flagged ------------------------------------------------------------------------------------------


def test_low_coverage_is_said_in_one_sentence() -> None:
    assert coverage_share({"share": 0.1234, "lines": 19_542}) == 0.1234
    assert coverage_share(None) is None
    assert low_coverage_message({"share": 0.9}) is None
    assert low_coverage_message({"share": 0.12}) == (
        "only 12% of the text was read as structure (less than 50%): the file may be damaged, cut short "
        "or of a layout fangzhi does not know; check it before relying on it"
    )


def test_the_volume_list_flags_a_volume_with_low_coverage(kb: KnowledgeBase) -> None:
    rows = kb.stats()
    rows[0]["coverage"] = {"share": 0.12}
    html = templates.get_template("home.html").render(volumes=rows)
    assert html.count('class="badge low-coverage"') == 1
    assert "仅识别 12%" in html
