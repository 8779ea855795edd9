"""The store contract: every engine behind :class:`fangzhi.store.base.Store` behaves the same.

Each test runs unchanged on SQLite and on PostgreSQL (a real server: see
``postgres_server`` in conftest; skipped with the reason without one, a
failure in CI).  Reads use the sample knowledge bases (both volumes, ingested
in the same order); writes get an empty store of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import fangzhi
from conftest import GAZETTE_PATH, YEARBOOK_PATH, PostgresDatabases
from fangzhi.errors import KnowledgeBaseError, NotFoundError
from fangzhi.knowledge_base import KnowledgeBase, build_document
from fangzhi.model import Node
from fangzhi.store.base import Store

YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"
ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture()
def sample(engine: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """The store of the sample knowledge base, opened for reading."""
    location = request.getfixturevalue("sample_db" if engine == "sqlite" else "sample_postgres")
    kb = fangzhi.open(location, create=False)
    yield kb.store
    kb.close()


@pytest.fixture()
def empty(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[KnowledgeBase]:
    """A new, empty knowledge base of this engine."""
    if engine == "sqlite":
        location = str(tmp_path / "empty.db")
    else:
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        location = databases.create()
    kb = fangzhi.open(location)
    yield kb
    kb.close()


def test_volumes_in_id_order(sample: Store) -> None:
    assert [(volume.id, volume.kind, volume.title, volume.year) for volume in sample.volumes()] == [
        (GAZETTE, "gazette", "平顶山市人民政府公报 2024年第1号", 2024),
        (YEARBOOK, "yearbook", "平顶山年鉴 2024", 2024),
    ]
    volume = sample.volume(YEARBOOK)
    assert volume.source_file == str(YEARBOOK_PATH)
    assert len(volume.source_sha256) == 64
    with pytest.raises(NotFoundError, match="no volume with id 'nowhere'"):
        sample.volume("nowhere")


def test_nodes_by_kind_volume_and_parent(sample: Store) -> None:
    assert sum(1 for _ in sample.nodes(kind="chapter")) == 40
    assert sum(1 for _ in sample.nodes(volume=GAZETTE, kind="chapter")) == 0
    assert sum(1 for _ in sample.nodes(kind="table")) == 7
    chapters = list(sample.nodes(volume=YEARBOOK, kind="chapter"))
    assert [node.ordinal for node in chapters] == sorted(node.ordinal for node in chapters)
    everything = list(sample.nodes())
    assert everything[0].volume == GAZETTE
    assert everything == list(sample.nodes(volume=GAZETTE)) + list(sample.nodes(volume=YEARBOOK))
    top = list(sample.nodes(volume=YEARBOOK, top_level=True))
    assert all(node.parent is None and node.path == [] for node in top)
    chronicle = next(node for node in top if node.title == "大事记")
    children = list(sample.nodes(parent=chronicle.id))
    assert children and all(child.parent == chronicle.id for child in children)
    assert list(sample.nodes(parent=f"{YEARBOOK}:999999")) == []
    assert list(sample.nodes(parent="not a node id")) == []


def test_node_with_its_path(sample: Store) -> None:
    chapter = next(sample.nodes(volume=YEARBOOK, kind="chapter"))
    section = next(node for node in sample.nodes(volume=YEARBOOK, kind="section") if node.path)
    read = sample.node(section.id)
    assert read == section
    assert read.id == f"{YEARBOOK}:{read.ordinal}"
    assert read.path[0]["kind"] == "chapter"
    assert read.ancestor_title("chapter") == read.path[0]["title"]
    assert sample.node(chapter.id).path == []
    for missing in (f"{YEARBOOK}:999999", "nowhere:1", "no-colon", f"{YEARBOOK}:x"):
        with pytest.raises(NotFoundError):
            sample.node(missing)


def test_nodes_by_id_skips_the_missing(sample: Store) -> None:
    found = sample.nodes_by_id([f"{YEARBOOK}:3", f"{GAZETTE}:3", f"{YEARBOOK}:3", f"{YEARBOOK}:999999", "x"])
    assert sorted(found) == [f"{GAZETTE}:3", f"{YEARBOOK}:3"]
    assert found[f"{GAZETTE}:3"] == sample.node(f"{GAZETTE}:3")
    assert sample.nodes_by_id([]) == {}


def test_facts(sample: Store) -> None:
    appointments = list(sample.facts(kind="appointment"))
    assert len(appointments) == 46
    first = appointments[0]
    assert first.id == f"{GAZETTE}:appointment:1"
    assert first.data["person"] == "戴冲"
    assert first.volume == GAZETTE
    on_node = list(sample.facts(node_id=first.node_id))
    assert first in on_node
    assert all(fact.node_id == first.node_id for fact in on_node)
    assert list(sample.facts(volume=YEARBOOK, kind="appointment")) == []
    assert sum(1 for _ in sample.facts(volume=GAZETTE)) == sum(sample.count_facts(GAZETTE).values())
    assert list(sample.facts(node_id="nowhere")) == []


def test_source_lines_are_the_raw_lines(sample: Store) -> None:
    raw = YEARBOOK_PATH.read_text(encoding="utf-8").splitlines()
    assert sample.source_lines(YEARBOOK, 410, 412) == ["编辑说明", " 特 载", ""]
    assert sample.source_lines(YEARBOOK, 1, 300) == raw[:300]
    assert sample.source_lines(YEARBOOK, 250, 770) == raw[249:770]
    assert sample.source_lines(YEARBOOK, 65_000, 10**12) == raw[64_999:]
    assert sample.source_lines(GAZETTE, 0, 2) == ["", ""]
    assert sample.source_lines(GAZETTE, 5, 4) == []
    assert sample.source_lines("nowhere", 1, 5) == []


def test_counts_are_kept_per_volume(sample: Store) -> None:
    counted: dict[str, int] = {}
    for fact in sample.facts(volume=GAZETTE):
        counted[fact.kind] = counted.get(fact.kind, 0) + 1
    assert sample.count_facts(GAZETTE) == counted
    assert counted["appointment"] == 46
    nodes = sample.count_nodes(YEARBOOK)
    assert nodes["chapter"] == 40
    assert nodes["section"] == nodes["section_level_2"] + nodes["section_level_3"]
    assert sample.count_nodes("nowhere") == {}


def test_replace_delete_and_atomicity(empty: KnowledgeBase) -> None:
    store = empty.store
    first = empty.ingest(GAZETTE_PATH)
    assert not first.replaced
    counts = store.count_nodes(GAZETTE)
    again = empty.ingest(GAZETTE_PATH)
    assert again.replaced
    assert store.count_nodes(GAZETTE) == counts
    assert sum(1 for _ in store.nodes(volume=GAZETTE)) == first.nodes
    document, facts = build_document(GAZETTE_PATH)
    broken = document.root.children[0]
    broken.children.append(Node(kind="paragraph", title=None, line_start=0, line_end=0, text="bad provenance"))
    document.assign_ids()
    with pytest.raises(KnowledgeBaseError):
        store.replace_volume(document, facts)
    assert store.count_nodes(GAZETTE) == counts
    assert sum(1 for _ in store.nodes(volume=GAZETTE)) == first.nodes
    assert store.delete_volume(GAZETTE) is True
    assert store.delete_volume(GAZETTE) is False
    assert store.volumes() == []
    assert store.source_lines(GAZETTE, 1, 3) == []


def test_the_same_node_after_a_round_trip(empty: KnowledgeBase) -> None:
    document, facts = build_document(GAZETTE_PATH)
    empty.store.replace_volume(document, facts)
    nodes = list(empty.store.nodes(volume=GAZETTE))
    walked = [node for node, _ in document.walk()]
    assert [node.id for node in nodes] == [node.id for node in walked]
    for stored, parsed in zip(nodes, walked, strict=True):
        assert (stored.kind, stored.title, stored.text, stored.page, stored.line_start, stored.line_end) == (
            parsed.kind,
            parsed.title,
            parsed.text,
            parsed.page,
            parsed.line_start,
            parsed.line_end,
        )
    assert list(empty.store.facts()) == facts


def test_a_store_that_is_not_a_knowledge_base(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if engine == "sqlite":
        import sqlite3

        location = str(tmp_path / "other.db")
        with sqlite3.connect(location) as other:
            other.execute("CREATE TABLE customers (name TEXT)")
    else:
        import psycopg

        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        location = databases.create()
        with psycopg.connect(location, autocommit=True) as other:
            other.execute("CREATE TABLE customers (name text)")
    with pytest.raises(KnowledgeBaseError, match="another program"):
        fangzhi.open(location)


def test_volumes_by_id_and_counts_in_pages(sample: Store) -> None:
    assert [volume.id for volume in sample.volumes([YEARBOOK, "nowhere", GAZETTE, YEARBOOK])] == [GAZETTE, YEARBOOK]
    assert sample.volumes([]) == []
    assert sample.count_volumes() == 2
    counted = sample.volume_counts()
    assert [(volume.id, nodes, facts) for volume, nodes, facts in counted] == [
        (volume_id, sample.count_nodes(volume_id), sample.count_facts(volume_id)) for volume_id in (GAZETTE, YEARBOOK)
    ]
    assert counted[1][0] == sample.volume(YEARBOOK)
    assert [volume.id for volume, _, _ in sample.volume_counts(limit=1, offset=1)] == [YEARBOOK]
    assert sample.volume_counts(limit=5, offset=2) == []
