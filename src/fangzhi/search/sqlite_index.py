"""The search index kept inside the SQLite knowledge base.

Four tables:

- ``search_text``: an FTS5 table over the folded, character-spaced title and
  text of every node (see :mod:`fangzhi.search.tokens`);
- ``search_titles``: the titles again, alone, so that finding and ranking
  title matches reads short position lists only;
- ``search_groups``: one row per (volume, kind, chapter, long or not), the
  unit of facet counting, with the volume's year; nodes of more than
  :data:`LONG_TEXT` characters (speeches, reports) get groups of their own
  because BM25 costs far more on them and ranking bounds their number;
- ``search_docs``: one small row per indexed node (node id, pages).

A node's FTS5 rowid is its group id times 2³² plus its ordinal in the volume.
Facet counts and the volume, kind, chapter and year filters then need only
the rowids FTS5 produces from its own index, never a lookup per matching row,
which is what keeps a one-character query fast on a large corpus.  A
volume's groups get consecutive ids, so a volume filter is a rowid range.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from fangzhi.model import Fact, NodeKind
from fangzhi.search.tokens import index_form
from fangzhi.store.base import StoredNode

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
GROUP_SHIFT = 32
LONG_TEXT = 4000


def indexed_text(node: StoredNode) -> str:
    """The text of a node as searched and shown in snippets.

    A table's cells live in its attributes, not in ``text``, so its columns and
    rows are indexed as one text, a row to a line.
    """
    if node.kind != NodeKind.TABLE:
        return node.text or ""
    lines = [node.text] if node.text else []
    columns = node.attributes.get("columns")
    if isinstance(columns, list) and columns:
        lines.append(" ".join(_cell(value) for value in columns))
    rows = node.attributes.get("rows")
    if isinstance(rows, list):
        for row in rows:
            cells = row if isinstance(row, list) else [row]
            lines.append(" ".join(_cell(value) for value in cells))
    return "\n".join(line for line in lines if line)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def chapter_of(node: StoredNode) -> str | None:
    if node.kind == NodeKind.CHAPTER:
        return node.title
    return node.ancestor_title(NodeKind.CHAPTER)


def section_of(node: StoredNode) -> str | None:
    if node.kind == NodeKind.SECTION:
        return node.title
    return node.ancestor_title(NodeKind.SECTION)


class SQLiteSearchIndex:
    """Keeps the search tables in step with the stored volumes."""

    name = "search"
    migrations: list[tuple[str, str]] = [
        (
            "search_0001_fts5",
            """
            CREATE TABLE search_docs (
                rowid INTEGER PRIMARY KEY,
                node_id TEXT NOT NULL UNIQUE,
                volume TEXT NOT NULL,
                kind TEXT NOT NULL,
                chapter TEXT,
                year INTEGER,
                page INTEGER,
                page_end INTEGER
            );
            CREATE INDEX search_docs_volume ON search_docs(volume, kind);
            CREATE INDEX search_docs_kind ON search_docs(kind);
            CREATE INDEX search_docs_chapter ON search_docs(chapter);
            CREATE VIRTUAL TABLE search_text USING fts5(title, body, tokenize = 'unicode61')
            """,
        ),
        (
            "search_0002_facet_groups_in_rowid",
            """
            DROP TABLE search_docs;
            DROP TABLE search_text;
            CREATE TABLE search_groups (
                id INTEGER PRIMARY KEY,
                volume TEXT NOT NULL,
                kind TEXT NOT NULL,
                chapter TEXT,
                year INTEGER
            );
            CREATE INDEX search_groups_volume ON search_groups(volume);
            CREATE TABLE search_docs (
                rowid INTEGER PRIMARY KEY,
                node_id TEXT NOT NULL UNIQUE,
                volume TEXT NOT NULL,
                page INTEGER,
                page_end INTEGER
            );
            CREATE INDEX search_docs_volume ON search_docs(volume);
            CREATE VIRTUAL TABLE search_text USING fts5(title, body, tokenize = 'unicode61')
            """,
        ),
        (
            "search_0003_titles",
            """
            CREATE VIRTUAL TABLE search_titles USING fts5(title, tokenize = 'unicode61');
            INSERT INTO search_titles(rowid, title) SELECT rowid, title FROM search_text WHERE title != ''
            """,
        ),
        (
            "search_0004_long_groups",
            "ALTER TABLE search_groups ADD COLUMN long INTEGER NOT NULL DEFAULT 0",
        ),
    ]

    def index(self, connection: sqlite3.Connection, nodes: Sequence[StoredNode], facts: Sequence[Fact]) -> None:
        if not nodes:
            return
        volume = nodes[0].volume
        year_row = connection.execute("SELECT year FROM volumes WHERE id = ?", (volume,)).fetchone()
        year = year_row[0] if year_row else None
        next_group = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM search_groups").fetchone()[0]
        groups: dict[tuple[str, str | None, bool], int] = {}
        docs: list[tuple[Any, ...]] = []
        texts: list[tuple[int, str, str]] = []
        for node in nodes:
            body = indexed_text(node)
            title = node.title or ""
            if not body.strip() and not title.strip():
                continue
            key = (node.kind, chapter_of(node), len(body) > LONG_TEXT)
            if key not in groups:
                groups[key] = next_group + len(groups)
            rowid = (groups[key] << GROUP_SHIFT) + node.ordinal
            docs.append((rowid, node.id, node.volume, node.page, node.page_end or node.page))
            texts.append((rowid, index_form(title), index_form(body)))
        connection.executemany(
            "INSERT INTO search_groups(id, volume, kind, chapter, year, long) VALUES (?, ?, ?, ?, ?, ?)",
            ((group, volume, kind, chapter, year, long) for (kind, chapter, long), group in groups.items()),
        )
        connection.executemany("INSERT INTO search_docs VALUES (?, ?, ?, ?, ?)", docs)
        connection.executemany("INSERT INTO search_text(rowid, title, body) VALUES (?, ?, ?)", texts)
        connection.executemany(
            "INSERT INTO search_titles(rowid, title) VALUES (?, ?)", ((row[0], row[1]) for row in texts if row[1])
        )

    def remove(self, connection: sqlite3.Connection, volume_id: str) -> None:
        span = connection.execute(
            "SELECT min(id), max(id) FROM search_groups WHERE volume = ?", (volume_id,)
        ).fetchone()
        if span[0] is not None:
            rowids = (span[0] << GROUP_SHIFT, ((span[1] + 1) << GROUP_SHIFT) - 1)
            connection.execute("DELETE FROM search_text WHERE rowid BETWEEN ? AND ?", rowids)
            connection.execute("DELETE FROM search_titles WHERE rowid BETWEEN ? AND ?", rowids)
        connection.execute("DELETE FROM search_docs WHERE volume = ?", (volume_id,))
        connection.execute("DELETE FROM search_groups WHERE volume = ?", (volume_id,))
