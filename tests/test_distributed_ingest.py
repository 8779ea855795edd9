"""Distributed ingest on a real dask.distributed cluster (worker processes), into PostgreSQL and SQLite.

The corpus is simulated (fangzhi.simulate): variants of the sample gazette as
other cities' issues of other years, with one unreadable file among them.
The PostgreSQL tests need a server (skipped with the reason without one, a
failure in CI).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import LocalCluster

import fangzhi
from conftest import GAZETTE_PATH
from fangzhi.cli import main
from fangzhi.simulate import simulate_corpus

COPIES = 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    simulate_corpus(folder, [GAZETTE_PATH], COPIES, corrupt=1)
    return folder


def _stems(folder: Path) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.txt") if not path.name.startswith("corrupt"))


@pytest.mark.postgres
def test_fifty_volumes_land_and_the_corrupt_file_is_reported(corpus: Path, postgres_url: str) -> None:
    result = CliRunner().invoke(main, ["ingest", str(corpus), "--db", postgres_url, "--workers", "2"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line for line in lines if line.startswith("Error: ")] == [
        f"Error: {corpus / 'corrupt-000.txt'}: the file is binary, neither text nor a PDF"
    ]
    assert lines[0] == "starting 2 local dask workers"
    assert re.fullmatch(r"\[51/51\] 50 stored, 0 unchanged, 1 failed; [\d.]+ volumes/min", lines[-2])
    assert re.fullmatch(r"50 stored, 0 unchanged, 1 failed in [\d.]+s on 2 workers \([\d.]+ volumes/min\)", lines[-1])
    assert len({line.rsplit(" on worker ", 1)[1] for line in lines if line.startswith("ingested ")}) == 2
    with fangzhi.open(postgres_url, create=False, read_only=True) as kb:
        volumes = kb.volumes()
        assert [volume.id for volume in volumes] == _stems(corpus)
        assert {volume.kind for volume in volumes} == {"gazette"}
        assert len({volume.title for volume in volumes}) == COPIES
        assert len(kb.search("人民政府").facets["volume"]) == COPIES
        assert sum(row["appointments"] for row in kb.stats()) == 46 * COPIES

    again = CliRunner().invoke(main, ["ingest", str(corpus), "--db", postgres_url, "--workers", "2", "-q"])
    assert again.exit_code == 1
    assert again.output.splitlines() == [
        f"Error: {corpus / 'corrupt-000.txt'}: the file is binary, neither text nor a PDF"
    ]


@pytest.mark.postgres
def test_a_running_scheduler_takes_the_work(corpus: Path, postgres_url: str) -> None:
    files = sorted(corpus.glob("*.txt"))[:3]
    with LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        result = CliRunner().invoke(
            main, ["ingest", *map(str, files), "--db", postgres_url, "--scheduler", cluster.scheduler_address]
        )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"connecting to the dask scheduler at {cluster.scheduler_address}"
    with fangzhi.open(postgres_url, create=False) as kb:
        assert [volume.id for volume in kb.volumes()] == [path.stem for path in files]


def test_workers_write_one_sqlite_file_in_turn(corpus: Path, tmp_path: Path) -> None:
    files = sorted(corpus.glob("*.txt"))[:4]
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(main, ["ingest", *map(str, files), "--db", str(db), "--workers", "2", "-q"])
    assert result.exit_code == 0, result.output
    with fangzhi.open(db, create=False) as kb:
        assert [volume.id for volume in kb.volumes()] == [path.stem for path in files]


def test_a_remote_scheduler_cannot_share_an_sqlite_file(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["ingest", str(corpus), "--db", str(tmp_path / "kb.db"), "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'kb.db'}: workers of a remote scheduler cannot share an SQLite file; "
        "give --db postgresql://… (or leave out --scheduler to use local workers)\n"
    )
