"""The knowledge base schema, with named migrations recorded in the database.

A migration is SQL, or a function of the connection when rows must be
rewritten in Python (0002 compresses the raw lines).  Each runs once, inside
the transaction that records it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from fangzhi.store import records

Migration = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: list[tuple[str, Migration]] = [
    (
        "0001_initial",
        """
        CREATE TABLE volumes (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            year INTEGER,
            source_file TEXT NOT NULL,
            source_sha256 TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE source_lines (
            volume TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (volume, line)
        );
        CREATE TABLE nodes (
            id TEXT PRIMARY KEY,
            volume TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
            parent TEXT,
            ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL,
            title TEXT,
            text TEXT NOT NULL,
            level INTEGER NOT NULL,
            page INTEGER,
            page_end INTEGER,
            line_start INTEGER NOT NULL CHECK (line_start >= 1),
            line_end INTEGER NOT NULL CHECK (line_end >= line_start),
            attributes TEXT NOT NULL DEFAULT '{}',
            path TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX nodes_volume_kind ON nodes(volume, kind, ordinal);
        CREATE INDEX nodes_parent ON nodes(parent, ordinal);
        CREATE TABLE facts (
            id TEXT PRIMARY KEY,
            volume TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            node_id TEXT NOT NULL,
            line_start INTEGER NOT NULL CHECK (line_start >= 1),
            line_end INTEGER NOT NULL CHECK (line_end >= line_start),
            page INTEGER,
            data TEXT NOT NULL,
            extractor TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX facts_kind ON facts(kind, volume);
        CREATE INDEX facts_node ON facts(node_id);
        """,
    ),
]


def _compact(connection: sqlite3.Connection) -> None:
    """0002: integer volume keys, raw lines in compressed chunks, paths derived, counts kept (see records).

    Rows keep their data: each volume is copied into the new tables, then
    the old ones are dropped (the search index is rebuilt by its own
    migration, ``search_0005``).
    """
    for statement in _COMPACT_TABLES:
        connection.execute(statement)
    volumes = connection.execute(
        "SELECT id, kind, title, year, source_file, source_sha256, attributes, ingested_at FROM volumes ORDER BY id"
    ).fetchall()
    for volume in volumes:
        volume_id = volume[0]
        lines = [
            row[0]
            for row in connection.execute("SELECT text FROM source_lines WHERE volume = ? ORDER BY line", (volume_id,))
        ]
        nodes = connection.execute(
            "SELECT ordinal, parent, kind, title, text, level, page, page_end, line_start, line_end, attributes"
            " FROM nodes WHERE volume = ? ORDER BY ordinal",
            (volume_id,),
        ).fetchall()
        facts = connection.execute(
            "SELECT id, kind, node_id, line_start, line_end, page, data, extractor, warnings"
            " FROM facts WHERE volume = ? ORDER BY rowid",
            (volume_id,),
        ).fetchall()
        parents = {records.split_node_id(row[1])[1] for row in nodes if row[1]}
        node_counts: dict[str, int] = {}
        for row in nodes:
            node_counts[row[2]] = node_counts.get(row[2], 0) + 1
            if row[2] == "section":
                key = f"section_level_{row[5]}"
                node_counts[key] = node_counts.get(key, 0) + 1
        fact_counts: dict[str, int] = {}
        for row in facts:
            fact_counts[row[1]] = fact_counts.get(row[1], 0) + 1
        key = connection.execute(
            "INSERT INTO volumes_compact (id, kind, title, year, source_file, source_sha256, attributes, ingested_at,"
            " line_count, node_counts, fact_counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*volume, len(lines), json.dumps(node_counts), json.dumps(fact_counts)),
        ).lastrowid
        base = key << 32
        connection.executemany(
            "INSERT INTO source_chunks (key, lines) VALUES (?, ?)",
            ((base + number, data) for number, data in records.line_chunks(lines)),
        )
        connection.executemany(
            "INSERT INTO nodes_compact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    base + row[0],
                    records.split_node_id(row[1])[1] if row[1] else None,
                    *row[2:],
                    int(row[0] in parents),
                )
                for row in nodes
            ),
        )
        connection.executemany(
            "INSERT INTO facts_compact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (base + seq, row[0], row[1], records.split_node_id(row[2])[1], *row[3:])
                for seq, row in enumerate(facts, start=1)
            ),
        )
    for table in ("facts", "nodes", "source_lines", "volumes"):
        connection.execute(f"DROP TABLE {table}")
    for table in ("volumes", "nodes", "facts"):
        connection.execute(f"ALTER TABLE {table}_compact RENAME TO {table}")
    for statement in _COMPACT_INDEXES:
        connection.execute(statement)


_COMPACT_TABLES = [
    """CREATE TABLE volumes_compact (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        year INTEGER,
        source_file TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        attributes TEXT NOT NULL DEFAULT '{}',
        ingested_at TEXT NOT NULL,
        line_count INTEGER NOT NULL,
        node_counts TEXT NOT NULL DEFAULT '{}',
        fact_counts TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE TABLE source_chunks (key INTEGER PRIMARY KEY, lines BLOB NOT NULL)",
    """CREATE TABLE nodes_compact (
        key INTEGER PRIMARY KEY,
        parent INTEGER,
        kind TEXT NOT NULL,
        title TEXT,
        text TEXT NOT NULL,
        level INTEGER NOT NULL,
        page INTEGER,
        page_end INTEGER,
        line_start INTEGER NOT NULL CHECK (line_start >= 1),
        line_end INTEGER NOT NULL CHECK (line_end >= line_start),
        attributes TEXT NOT NULL DEFAULT '{}',
        branch INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE facts_compact (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        node INTEGER NOT NULL,
        line_start INTEGER NOT NULL CHECK (line_start >= 1),
        line_end INTEGER NOT NULL CHECK (line_end >= line_start),
        page INTEGER,
        data TEXT NOT NULL,
        extractor TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]'
    )""",
]
_COMPACT_INDEXES = [
    "CREATE INDEX nodes_kind ON nodes(kind, key)",
    "CREATE INDEX nodes_parent ON nodes(parent, key)",
    "CREATE INDEX nodes_branches ON nodes(key) WHERE branch = 1",
    "CREATE INDEX facts_kind ON facts(kind, key)",
    "CREATE INDEX facts_node ON facts(node, key)",
]

MIGRATIONS.append(("0002_compact", _compact))
