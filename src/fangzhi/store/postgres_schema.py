"""The PostgreSQL knowledge base schema, with named migrations recorded in the database (as for SQLite).

The tables mirror the SQLite ones (see :mod:`fangzhi.store.records`):
integer volume keys, raw lines in compressed chunks, nodes keyed by volume
and ordinal, per-volume counts kept at ingest.  JSON is kept as text, not
``jsonb``, so that what comes back is byte for byte what SQLite returns
(``jsonb`` reorders keys).  Text columns are compressed with lz4 where the
server has it.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE volumes (
            key integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            kind text NOT NULL,
            title text NOT NULL,
            year integer,
            source_file text NOT NULL,
            source_sha256 text NOT NULL,
            attributes text NOT NULL DEFAULT '{}',
            ingested_at text NOT NULL,
            line_count integer NOT NULL,
            node_counts text NOT NULL DEFAULT '{}',
            fact_counts text NOT NULL DEFAULT '{}'
        );
        CREATE TABLE source_chunks (
            volume integer NOT NULL REFERENCES volumes(key) ON DELETE CASCADE,
            chunk integer NOT NULL,
            lines bytea NOT NULL,
            PRIMARY KEY (volume, chunk)
        );
        ALTER TABLE source_chunks ALTER COLUMN lines SET STORAGE EXTERNAL;
        CREATE TABLE nodes (
            volume integer NOT NULL REFERENCES volumes(key) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            parent integer,
            kind text NOT NULL,
            title text,
            text text NOT NULL,
            level smallint NOT NULL,
            page integer,
            page_end integer,
            line_start integer NOT NULL CHECK (line_start >= 1),
            line_end integer NOT NULL CHECK (line_end >= line_start),
            attributes text NOT NULL DEFAULT '{}',
            branch boolean NOT NULL DEFAULT false,
            PRIMARY KEY (volume, ordinal)
        );
        CREATE INDEX nodes_kind ON nodes (kind, volume, ordinal);
        CREATE INDEX nodes_parent ON nodes (volume, parent, ordinal);
        CREATE INDEX nodes_branches ON nodes (volume) WHERE branch;
        CREATE TABLE facts (
            volume integer NOT NULL REFERENCES volumes(key) ON DELETE CASCADE,
            seq integer NOT NULL,
            id text NOT NULL,
            kind text NOT NULL,
            node integer NOT NULL,
            line_start integer NOT NULL CHECK (line_start >= 1),
            line_end integer NOT NULL CHECK (line_end >= line_start),
            page integer,
            data text NOT NULL,
            extractor text NOT NULL,
            warnings text NOT NULL DEFAULT '[]',
            PRIMARY KEY (volume, seq)
        );
        CREATE INDEX facts_kind ON facts (kind, volume, seq);
        CREATE INDEX facts_node ON facts (volume, node);
        DO $$
        BEGIN
            IF 'lz4' = ANY (SELECT unnest(enumvals) FROM pg_settings WHERE name = 'default_toast_compression') THEN
                ALTER TABLE nodes ALTER COLUMN text SET COMPRESSION lz4;
                ALTER TABLE nodes ALTER COLUMN attributes SET COMPRESSION lz4;
                ALTER TABLE facts ALTER COLUMN data SET COMPRESSION lz4;
                ALTER TABLE volumes ALTER COLUMN attributes SET COMPRESSION lz4;
            END IF;
        END
        $$
        """,
    ),
]
