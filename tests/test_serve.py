"""`fangzhi serve`: prints the address to open and runs the app over the given knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI

from fangzhi.cli import main


def test_serve_prints_the_address_and_runs_the_app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def run(app: FastAPI, **options: Any) -> None:
        calls.append({"app": app, "kind": app.state.kb.volume("pingdingshan-yearbook-2024").kind, **options})

    monkeypatch.setattr(uvicorn, "run", run)
    result = CliRunner().invoke(main, ["serve", "--db", str(sample_db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Serving {sample_db} at http://127.0.0.1:8123/  (API docs: http://127.0.0.1:8123/docs; press Ctrl+C to stop)\n"
    )
    assert len(calls) == 1
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)
    assert isinstance(calls[0]["app"], FastAPI)
    assert calls[0]["kind"] == "yearbook"


def test_serve_on_every_interface_prints_a_local_address(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    result = CliRunner().invoke(main, ["serve", "--db", str(sample_db), "--host", "0.0.0.0"])
    assert "at http://127.0.0.1:8000/" in result.output


def test_serve_without_a_knowledge_base_says_how_to_make_one(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}: no knowledge base here; create one with `fangzhi ingest FILE --db {missing}`" in result.output
    assert not missing.exists()


def test_serve_rejects_a_bad_port(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(sample_db), "--port", "70000"])
    assert result.exit_code == 2
    assert "70000 is not in the range 1<=x<=65535" in result.output
