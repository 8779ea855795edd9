"""Golden exports (issue 9): every export row of the sample volumes and of each layout fixture.

Each volume has a folder in tests/golden with one compact JSON-lines file per
export kind that has rows (rows of no one volume, the registers, go to
``_sample`` and ``_layout_fixtures``), ``tree.jsonl`` (every stored node: kind, title,
level, lines and pages, in reading order) and ``stats.json`` (counts,
coverage, warnings).
Any change to any entry, event, table or fact shows up as a diff here.

After a deliberate change, rewrite them and review the diff::

    FANGZHI_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

CI refuses the flag (``test_golden_files_are_never_rewritten_in_ci``).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import fangzhi
from conftest import FIXTURES
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.exports import export_kinds

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("FANGZHI_REGENERATE_GOLDEN") == "1"
SAMPLE_VOLUMES = ("pingdingshan-yearbook-2024", "pingdingshan-gazette-2024-01")
SAMPLE_CORPUS = "_sample"
FIXTURE_CORPUS = "_layout_fixtures"
LAYOUT_FIXTURES = sorted((FIXTURES / "yearbooks").glob("*.txt"))

Rows = dict[str, list[Any]]


def test_golden_files_are_never_rewritten_in_ci() -> None:
    assert not (os.environ.get("CI") and REGENERATE), "FANGZHI_REGENERATE_GOLDEN must not be set in CI"


def _line(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _exports(kb: KnowledgeBase, corpus: str) -> dict[str, Rows]:
    """Every export row, grouped by volume and kind; file paths cut to their names so the files travel.

    Rows that belong to no one volume (the registers of people, places and
    organisations across the corpus) are grouped under ``corpus``.
    """
    grouped: dict[str, Rows] = defaultdict(lambda: defaultdict(list))
    for kind in export_kinds():
        for row in kb.export(kind):
            volume = row["id"] if kind == "volumes" else row.get("volume", corpus)
            if "source_file" in row:
                row = {**row, "source_file": Path(row["source_file"]).name}
            grouped[volume][kind].append(row)
    for stats in kb.stats():
        grouped[stats["volume"]]["stats"] = [stats]
    grouped[corpus]["stats"] = [{"volumes": sorted(stats["volume"] for stats in kb.stats())}]
    for node in kb.nodes():
        grouped[node.volume]["tree"].append(
            [node.kind, node.title, node.level, node.line_start, node.line_end, node.page, node.page_end]
        )
    return grouped


@pytest.fixture(scope="module")
def sample_exports(sample_db: Path) -> dict[str, Rows]:
    with fangzhi.open(sample_db, create=False) as kb:
        return _exports(kb, SAMPLE_CORPUS)


@pytest.fixture(scope="module")
def fixture_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rows]:
    with fangzhi.open(tmp_path_factory.mktemp("golden") / "fixtures.db") as kb:
        for path in LAYOUT_FIXTURES:
            kb.ingest(path)
        return _exports(kb, FIXTURE_CORPUS)


def _compare(volume: str, rows: Rows) -> None:
    folder = GOLDEN / volume
    wanted = {f"{kind}.jsonl": [_line(row) for row in found] for kind, found in rows.items() if found}
    wanted["stats.json"] = [json.dumps(rows["stats"][0], ensure_ascii=False, indent=1)]
    del wanted["stats.jsonl"]
    if REGENERATE:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():
            if stale.name not in wanted:
                stale.unlink()
        for name, lines in wanted.items():
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    assert folder.is_dir(), f"no golden files for {volume}; run with FANGZHI_REGENERATE_GOLDEN=1"
    assert sorted(path.name for path in folder.iterdir()) == sorted(wanted), f"export kinds of {volume} changed"
    for name, lines in wanted.items():
        golden = (folder / name).read_text(encoding="utf-8").rstrip("\n").split("\n")
        if name == "stats.json":
            golden = ["\n".join(golden)]
        for number, (expected, found) in enumerate(zip(golden, lines, strict=False), start=1):
            assert found == expected, f"{volume}/{name} line {number} differs:\nwas: {expected}\nnow: {found}"
        assert len(lines) == len(golden), f"{volume}/{name}: {len(golden)} rows before, {len(lines)} now"


@pytest.mark.parametrize("volume", [*SAMPLE_VOLUMES, SAMPLE_CORPUS])
def test_sample_exports_match_the_golden_files(volume: str, sample_exports: dict[str, Rows]) -> None:
    _compare(volume, sample_exports[volume])


@pytest.mark.parametrize("name", [*(path.stem for path in LAYOUT_FIXTURES), FIXTURE_CORPUS])
def test_layout_fixture_exports_match_the_golden_files(name: str, fixture_exports: dict[str, Rows]) -> None:
    _compare(name, fixture_exports[name])
