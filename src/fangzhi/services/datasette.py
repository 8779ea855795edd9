"""Every export kind as one SQLite file that Datasette opens as a usable site.

``datasette FILE.db -m metadata.json`` shows one flat table per export kind
(the rows ``fangzhi export --kind …`` prints), a ``nodes`` table with every
node that the others point to, foreign keys between them, full-text search
that works for Chinese, and titles, descriptions and column notes from
``data/export_tables.json``.

Chinese full-text search uses SQLite's own FTS5 ``trigram`` tokenizer
(SQLite ≥ 3.34), so no extension is needed: any query of three or more
characters finds the rows that contain it.  Shorter queries (most two-character
words) cannot match a trigram index; the ``find`` canned query in the
metadata falls back to ``LIKE`` for them, and Datasette's ``__contains``
column filters work for any length.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from fangzhi import __version__
from fangzhi.errors import FangzhiError
from fangzhi.services.exports import FACT_EXPORTS, export_kinds, export_rows
from fangzhi.store.base import Store
from fangzhi.text.plural import counted

# Columns worth searching, wherever an export kind has them.
SEARCH_COLUMNS = (
    "title",
    "text",
    "caption",
    "name",
    "person",
    "post",
    "organization",
    "issuer",
    "list_title",
    "repealed_title",
    "chapter",
    "section",
    "credit",
)
# Columns that point to another table: column -> (table, its key).
LINKS = {
    "volume": ("volumes", "id"),
    "node": ("nodes", "id"),
    "resolved_document": ("documents", "id"),
}
# ``parent`` points into its own table: a node's parent node, a place's parent place.
SELF_LINK = "parent"
# Export kinds whose row id is a node id.
NODE_KINDS = ("chapters", "sections", "entries", "tables", "captions", "documents")
BATCH = 500

Progress = Callable[[str], None]


@dataclass
class DatasetteExport:
    """What was written: the database, its metadata file, and the rows per table."""

    database: Path
    metadata: Path
    tables: dict[str, int] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)
    searchable: dict[str, list[str]] = field(default_factory=dict)

    def command(self) -> str:
        return f"datasette {self.database} -m {self.metadata}"


@lru_cache(maxsize=1)
def table_notes() -> dict[str, Any]:
    """Titles, descriptions and column notes per export kind (``data/export_tables.json``)."""
    return json.loads(resources.files("fangzhi.data").joinpath("export_tables.json").read_text(encoding="utf-8"))


def write_datasette(
    store: Store, path: str | Path, metadata_path: str | Path | None = None, progress: Progress | None = None
) -> DatasetteExport:
    """Write every export kind to a new SQLite file at ``path`` and its Datasette ``metadata.json``.

    The file is written under a temporary name and moved into place at the
    end, so a failed export never leaves half a database behind.
    """
    import sqlite_utils

    report = progress or (lambda message: None)
    path = Path(path)
    metadata_path = Path(metadata_path) if metadata_path else path.parent / "metadata.json"
    if path.exists() and path.is_dir():
        raise FangzhiError(f"{path}: is a directory; give a file name for the SQLite export")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    export = DatasetteExport(database=path, metadata=metadata_path)
    try:
        database = sqlite_utils.Database(temporary, recreate=True)
        database.conn.execute("PRAGMA journal_mode = OFF")
        order = ["volumes", "nodes", *[kind for kind in export_kinds() if kind != "volumes"]]
        for table in order:
            report(f"writing {table}")
            rows = _node_rows(store) if table == "nodes" else _rows(store, table)
            export.tables[table] = _write_table(database, table, rows)
            _keep_only_kept_links(database, table)
        for table in order:
            export.columns[table] = list(database[table].columns_dict)
            columns = _search_columns(database, table)
            if columns:
                database[table].enable_fts(columns, tokenize="trigram", replace=True)
                export.searchable[table] = columns
        database.conn.execute("VACUUM")
        database.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    metadata = datasette_metadata(store, path.stem, export)
    metadata_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return export


def _node_rows(store: Store) -> Iterator[dict[str, Any]]:
    for node in store.nodes():
        yield {
            "id": node.id,
            "volume": node.volume,
            "parent": node.parent,
            "kind": node.kind,
            "title": node.title,
            "text": node.text,
            "level": node.level,
            "page": node.page,
            "page_end": node.page_end,
            "line_start": node.line_start,
            "line_end": node.line_end,
        }


def _rows(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """The export rows of ``kind``; a fact's row also names the node it was found in."""
    nodes = {fact.id: fact.node_id for fact in store.facts(kind=FACT_EXPORTS[kind])} if kind in FACT_EXPORTS else {}
    for row in export_rows(store, kind):
        if nodes:
            row = {**row, "node": nodes.get(row.get("id"))}
        yield {key: _cell(value) for key, value in row.items()}


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_table(database: Any, table: str, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            _insert(database, table, batch)
            batch = []
    if batch or not database[table].exists():
        _insert(database, table, batch)
    return count


def _insert(database: Any, table: str, rows: list[dict[str, Any]]) -> None:
    if not database[table].exists():
        columns: dict[str, Any] = {}
        for row in rows:
            for key, value in row.items():
                if key not in columns or columns[key] is None:
                    columns[key] = None if value is None else type(value)
        if not columns:
            columns = {"id": str, "volume": str}
        links = [
            (column, *LINKS[column])
            for column in columns
            if column in LINKS and LINKS[column][0] != table and database[LINKS[column][0]].exists()
        ]
        if SELF_LINK in columns and "id" in columns:
            links.append((SELF_LINK, table, "id"))
        if table in NODE_KINDS and database["nodes"].exists():
            links.append(("id", "nodes", "id"))
        database[table].create(
            {key: kind or str for key, kind in columns.items()},
            pk="id" if "id" in columns else None,
            foreign_keys=links,
        )
    if rows:
        database[table].insert_all(rows, alter=True)


def _keep_only_kept_links(database: Any, table: str) -> None:
    """Drop a self link that some rows break (a place's parent that is not in the register itself)."""
    broken = database.execute(f"PRAGMA foreign_key_check([{table}])").fetchall()
    if broken and any(link.column == SELF_LINK for link in database[table].foreign_keys):
        database[table].transform(drop_foreign_keys=[SELF_LINK])


def _search_columns(database: Any, table: str) -> list[str]:
    if not database[table].exists() or not database[table].count:
        return []
    available = database[table].columns_dict
    return [column for column in SEARCH_COLUMNS if available.get(column) is str]


def datasette_metadata(store: Store, database_name: str, export: DatasetteExport) -> dict[str, Any]:
    """``metadata.json`` for Datasette: the site's title, sources and licence, each table described."""
    notes = table_notes()
    volumes = store.volumes()
    sources = "; ".join(f"{volume.title} ({Path(volume.source_file).name})" for volume in volumes)
    tables: dict[str, Any] = {}
    for table, count in export.tables.items():
        note = notes.get(table, {})
        columns = {**notes.get("nodes", {}).get("columns", {}), **note.get("columns", {})}
        table_meta: dict[str, Any] = {
            "title": note.get("title", table.replace("_", " ").capitalize()),
            "description": note.get("description", f"Export kind {table} ({counted(count, 'row')})."),
            "columns": {column: text for column, text in columns.items() if column in export.columns.get(table, [])},
        }
        if table in export.searchable:
            table_meta["fts_table"] = f"{table}_fts"
        if "title" in export.columns.get(table, []):
            table_meta["label_column"] = "title"
        tables[table] = table_meta
        tables[f"{table}_fts"] = {"hidden": True}
    return {
        "title": "fangzhi: " + (volumes[0].title if len(volumes) == 1 else f"{len(volumes)} volumes"),
        "description": (
            f"Structured text of {len(volumes)} volume(s), exported by fangzhi {__version__}: every node and fact "
            "with its volume, printed page and source lines. Full-text search takes three or more characters; "
            "use the find query for shorter words."
        ),
        "source": sources or "fangzhi knowledge base",
        "license": "Terms of the source publications (Chinese government documents are excluded from copyright, "
        "PRC Copyright Law art. 5)",
        "databases": {
            database_name: {
                "tables": tables,
                "queries": {
                    "find": {
                        "title": "Find a word in every node (any length)",
                        "description": "Three or more characters use the trigram index; one or two use LIKE.",
                        "sql": _FIND_SQL,
                    }
                },
            }
        },
    }


_FIND_SQL = """select nodes.id, nodes.kind, nodes.title, nodes.page, volumes.title as volume
from nodes join volumes on volumes.id = nodes.volume
where (length(:q) >= 3 and nodes.rowid in (
        select rowid from nodes_fts where nodes_fts match '"' || replace(:q, '"', '""') || '"'))
   or (length(:q) < 3 and (nodes.title like '%' || :q || '%' or nodes.text like '%' || :q || '%'))
order by nodes.volume, nodes.line_start
limit 200"""
