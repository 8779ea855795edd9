"""Migration 0002 (compact rows) and search_0005 (contentless index) on a knowledge base made before them.

tests/fixtures/store/made-before-0002.db was written by fangzhi before 0002,
from two documents of tests/fixtures/gov-docs.  Everything it held must read
back the same after the upgrade, and search it again.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import FIXTURES
from fangzhi.cli import main
from fangzhi.errors import KnowledgeBaseError

BEFORE = FIXTURES / "store" / "made-before-0002.db"
DOCUMENT = "anhui_2022_opening_up"


@pytest.fixture()
def old_copy(tmp_path: Path) -> Path:
    target = tmp_path / "old.db"
    shutil.copy(BEFORE, target)
    return target


def test_a_reader_asks_for_the_upgrade_and_migrate_does_it(old_copy: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="missing 0002_compact, search_0005_contentless"):
        fangzhi.open(old_copy, create=False, read_only=True)
    result = CliRunner().invoke(main, ["migrate", "--db", str(old_copy)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{old_copy}: applied 0002_compact, search_0005_contentless\n"
    again = CliRunner().invoke(main, ["migrate", "--db", str(old_copy)])
    assert again.output == f"{old_copy}: already up to date\n"


def test_every_row_reads_back_the_same(old_copy: Path) -> None:
    with sqlite3.connect(BEFORE) as old:
        old.row_factory = sqlite3.Row
        old_nodes = old.execute("SELECT * FROM nodes ORDER BY volume, ordinal").fetchall()
        old_facts = old.execute("SELECT * FROM facts ORDER BY volume, rowid").fetchall()
        old_lines = [
            row[0] for row in old.execute("SELECT text FROM source_lines WHERE volume = ? ORDER BY line", (DOCUMENT,))
        ]
        old_volumes = old.execute("SELECT id, title, source_sha256 FROM volumes ORDER BY id").fetchall()
    with fangzhi.open(old_copy) as kb:
        store = kb.store
        assert [(volume.id, volume.title, volume.source_sha256) for volume in store.volumes()] == [
            tuple(row) for row in old_volumes
        ]
        nodes = list(store.nodes())
        assert len(nodes) == len(old_nodes) == 48
        for node, row in zip(nodes, old_nodes, strict=True):
            assert (node.id, node.parent, node.kind, node.title, node.text, node.page, node.line_start) == (
                row["id"],
                row["parent"],
                row["kind"],
                row["title"],
                row["text"],
                row["page"],
                row["line_start"],
            )
            assert node.path == json.loads(row["path"])
            assert node.attributes == json.loads(row["attributes"])
        facts = list(store.facts())
        assert [(fact.id, fact.node_id, fact.data) for fact in facts] == [
            (row["id"], row["node_id"], json.loads(row["data"])) for row in old_facts
        ]
        assert store.source_lines(DOCUMENT, 1, 10**6) == old_lines
        assert store.count_nodes(DOCUMENT) == {
            "document": 1,
            "document_section": 34,
            "front_matter": 1,
            "paragraph": 3,
            "attachment": 1,
        }
        assert store.count_facts(DOCUMENT) == {row["kind"]: 1 for row in old_facts if row["volume"] == DOCUMENT}


def test_search_works_again_after_the_upgrade(old_copy: Path) -> None:
    with fangzhi.open(old_copy) as kb:
        result = kb.search("开放")
        assert result.total == 6
        assert [hit.id for hit in result.hits][:3] == [f"{DOCUMENT}:2", f"{DOCUMENT}:4", f"{DOCUMENT}:38"]
        assert result.facets["kind"] == {"document_section": 2, "paragraph": 2, "attachment": 1, "document": 1}
        kb.ingest(FIXTURES / "gov-docs" / "anhui_2022_opening_up.txt")
        assert kb.search("开放").total == 6
