"""The search index kept inside the SQLite knowledge base.

Two tables: ``search_text``, an FTS5 table over the folded, character-spaced
title and text of every node (see :mod:`fangzhi.search.tokens`), and
``search_docs``, one small row per indexed node with what filters and facets
need (volume, kind, chapter, year, pages), sharing the FTS5 rowid.  Keeping the
facet columns out of the FTS5 table keeps grouped counts cheap: they read
short rows instead of the stored text.
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
    """Keeps ``search_text`` and ``search_docs`` in step with the stored volumes."""

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
    ]

    def index(self, connection: sqlite3.Connection, nodes: Sequence[StoredNode], facts: Sequence[Fact]) -> None:
        if not nodes:
            return
        year_row = connection.execute("SELECT year FROM volumes WHERE id = ?", (nodes[0].volume,)).fetchone()
        year = year_row[0] if year_row else None
        next_rowid = connection.execute("SELECT coalesce(max(rowid), 0) + 1 FROM search_docs").fetchone()[0]
        docs: list[tuple[Any, ...]] = []
        texts: list[tuple[int, str, str]] = []
        for node in nodes:
            body = indexed_text(node)
            title = node.title or ""
            if not body.strip() and not title.strip():
                continue
            rowid = next_rowid + len(docs)
            docs.append(
                (rowid, node.id, node.volume, node.kind, chapter_of(node), year, node.page, node.page_end or node.page)
            )
            texts.append((rowid, index_form(title), index_form(body)))
        connection.executemany("INSERT INTO search_docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)", docs)
        connection.executemany("INSERT INTO search_text(rowid, title, body) VALUES (?, ?, ?)", texts)

    def remove(self, connection: sqlite3.Connection, volume_id: str) -> None:
        connection.execute(
            "DELETE FROM search_text WHERE rowid IN (SELECT rowid FROM search_docs WHERE volume = ?)", (volume_id,)
        )
        connection.execute("DELETE FROM search_docs WHERE volume = ?", (volume_id,))
