"""The knowledge base schema, with named migrations recorded in the database."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
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
