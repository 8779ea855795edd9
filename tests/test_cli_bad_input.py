"""A new user's mistakes on the command line: one clear line, a non-zero exit, nothing lost.

Each case here was found by trying the commands from the README and
docs/cli.md with wrong input; the expected messages are exact.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GAZETTE_PATH, YEARBOOK_PATH
from fangzhi.cli import main

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"


NODE_KINDS = (
    "appendix, article, attachment, caption, chapter, chronicle, contents, document, document_section, "
    "editorial_notes, entry, event, front_matter, index, list, list_group, list_item, month, paragraph, section, "
    "table, volume, year"
)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def own_db(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample knowledge base that a test may try to damage."""
    copy = tmp_path / "fangzhi.db"
    shutil.copy(sample_db, copy)
    return copy


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "sqlite", "--out", "{db}"],
        ["--kind", "volumes", "--out", "{db}"],
        ["--kind", "tei", "--volume", GAZETTE, "--out", "{db}"],
    ],
)
def test_export_never_writes_over_its_own_knowledge_base(own_db: Path, args: list[str]) -> None:
    before = _digest(own_db)
    code, stdout, stderr = _run("export", "--db", str(own_db), *[arg.format(db=own_db) for arg in args])
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"Error: {own_db}: is the knowledge base itself (--db); writing the export there would destroy it; "
        "choose another --out\n"
    )
    assert _digest(own_db) == before


def test_export_into_a_missing_folder_says_so(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "volumes.jsonl"
    code, _, stderr = _run("export", "--db", str(sample_db), "--kind", "volumes", "--out", str(out))
    assert code == 1
    assert stderr == (
        f"Error: {out}: the folder {out.parent} does not exist; create it first or choose another --out\n"
    )


def test_failed_export_leaves_no_file_and_keeps_an_older_one(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "volume.xml"
    out.write_text("an older export\n", encoding="utf-8")
    code, _, stderr = _run("export", "--db", str(sample_db), "--kind", "tei", "--volume", "nosuch", "--out", str(out))
    assert (code, stderr) == (1, "Error: no volume with id 'nosuch'\n")
    assert out.read_text(encoding="utf-8") == "an older export\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["volume.xml"]


def test_export_to_a_file_writes_it_whole(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "volumes.csv"
    code, stdout, _ = _run("export", "--db", str(sample_db), "--kind", "volumes", "--format", "csv", "--out", str(out))
    assert (code, stdout) == (0, "")
    assert out.read_text(encoding="utf-8").splitlines()[0] == "id,kind,title,year,source_file,source_sha256"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert sorted(path.name for path in tmp_path.iterdir()) == ["volumes.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "entries", "--volume", GAZETTE], "--volume is for --kind tei; --kind entries exports every volume"),
        (["--kind", "tei", "--volume", GAZETTE, "--format", "csv"], "--kind tei is always TEI XML; leave out --format"),
        (
            ["--format", "sqlite", "--kind", "entries", "--out", "x.db"],
            "--format sqlite writes every kind of every volume; leave out --kind and --volume",
        ),
    ],
)
def test_export_options_that_would_be_ignored_are_refused(sample_db: Path, args: list[str], message: str) -> None:
    code, stdout, stderr = _run("export", "--db", str(sample_db), *args)
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[-1].startswith(f"Error: {message}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alert", "--forecast", "1e400"], "Error: forecast value '1e400' is not a valid AQI value or range"),
        (["alert", "--forecast", "160,nan"], "Error: forecast value 'nan' is not a valid AQI value or range"),
        (
            ["targets", "--deadline-from", "2023-13"],
            "Error: invalid date '2023-13' for --deadline-from; write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-11-05)",
        ),
        (["targets", "--volume", "nosuch"], "Error: no volume with id 'nosuch'"),
        (["search", "汝瓷", "--volume", "nosuch"], "Error: no volume with id 'nosuch'"),
        (["search", "汝瓷", "--kind", "entries"], "Error: no node kind 'entries'; choose one of: " + NODE_KINDS),
    ],
)
def test_malformed_numbers_dates_and_volumes_are_errors(sample_db: Path, args: list[str], message: str) -> None:
    code, stdout, stderr = _run(*args, "--db", str(sample_db))
    assert (code, stdout, stderr) == (1, "", message + "\n")


@pytest.mark.parametrize("length", ["inf", "nan", "1e400"])
def test_road_lengths_must_be_finite(sample_db: Path, length: str) -> None:
    code, _, stderr = _run("rules", "funding", "--db", str(sample_db), "--county-road-km", length)
    assert code == 2
    assert stderr.splitlines()[-1] == f"Error: Invalid value for '--county-road-km': '{length}' is not a finite number"


def test_rules_funding_reads_the_knowledge_base_given_to_rules(sample_db: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no fangzhi.db here: the default must not be used
    code, stdout, _ = _run("rules", "--db", str(sample_db), "funding", "--county-road-km", "120")
    assert code == 0
    assert stdout.splitlines()[0].startswith("1,200,000 元 a year（不得低于）")


def test_a_search_may_start_with_an_exclusion(sample_db: Path) -> None:
    code, stdout, _ = _run("search", "-宝丰 汝瓷", "--db", str(sample_db), "--limit", "1")
    assert code == 0
    assert stdout.splitlines()[0] == "15 hits for -宝丰 汝瓷 (showing 1-1)"
    code, _, stderr = _run("search", "汝瓷", "--limti", "1", "--db", str(sample_db))
    assert code == 2
    assert stderr.splitlines()[-1] == "Error: Got unexpected extra arguments (--limti 1)"


def test_a_timeline_with_no_events_says_so(sample_db: Path) -> None:
    code, stdout, stderr = _run("timeline", "--person", "无此人", "--db", str(sample_db))
    assert (code, stdout) == (0, "")
    assert stderr == "no events match; `fangzhi stats` shows how many events each volume has\n"


def test_stats_leaves_out_an_unknown_year(tmp_path: Path) -> None:
    db, note = tmp_path / "kb.db", tmp_path / "note.txt"
    note.write_text("这是一段没有年份的说明文字。\n", encoding="utf-8")
    assert _run("ingest", "-q", str(note), "--db", str(db))[0] == 0
    code, stdout, _ = _run("stats", "--db", str(db))
    assert code == 0
    assert stdout.splitlines()[0] == "note (document, note)"


def test_ingest_counts_are_singular_for_one(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("这是一段没有年份的说明文字。\n", encoding="utf-8")
    code, stdout, _ = _run("ingest", str(note), "--db", str(tmp_path / "kb.db"))
    assert code == 0
    assert stdout.splitlines()[0].startswith("ingested note (document, note): 1 node, 0 facts, 1 warning in ")


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        (
            "scan.pdf",
            b"not a pdf at all\n",
            "is named .pdf but does not start like a PDF (%PDF-): damaged, cut short or misnamed",
        ),
        ("blank.txt", b"  \n\n \n", "the file holds only blank lines, no text"),
    ],
)
def test_unreadable_input_is_one_line(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, _, stderr = _run("ingest", "-q", str(path), "--db", str(tmp_path / "kb.db"))
    assert (code, stderr) == (1, f"Error: {path}: {problem}\n")


def test_a_stream_past_the_size_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """A device or pipe has no size to check first; reading stops one byte past the limit."""
    code, _, stderr = _run("ingest", "-q", "/dev/zero", "--max-size", "0.5", "--db", str(tmp_path / "kb.db"))
    assert (code, stderr) == (
        1,
        "Error: /dev/zero: is more than the 0.5 MB a source file may have; split it, or raise the limit with --max-size\n",
    )


def test_serve_on_a_port_in_use_says_so_before_announcing_it(sample_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, stdout, stderr = _run("serve", "--db", str(sample_db), "--port", str(port))
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; "
        "stop the program that uses it or choose another --port\n"
    )


def test_ctrl_c_during_ingest_names_the_file_and_keeps_the_knowledge_base(tmp_path: Path) -> None:
    """A real process and a real SIGINT while the yearbook is parsed; the gazette stored before it stays."""
    db = tmp_path / "kb.db"
    assert _run("ingest", "-q", str(GAZETTE_PATH), "--db", str(db))[0] == 0
    command = [sys.executable, "-m", "fangzhi", "ingest", str(GAZETTE_PATH), str(YEARBOOK_PATH), "--db", str(db)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background job may inherit SIG_IGN
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("[2/2] reading and parsing"):
            break
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stdout.startswith(f"replaced {GAZETTE} ")
    assert stderr.splitlines()[-1] == (
        f"Error: {YEARBOOK_PATH}: interrupted; not stored, the knowledge base keeps what it had; "
        "the files read before it (1) are stored"
    )
    code, stdout, _ = _run("stats", "--db", str(db))
    assert code == 0
    assert [line for line in stdout.splitlines() if not line.startswith(" ")] == [
        f"{GAZETTE} (gazette, 平顶山市人民政府公报 2024年第1号, 2024)"
    ]
