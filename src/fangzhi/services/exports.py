"""Export kinds: flat rows for every kind of node and fact, and their formats.

Each kind is one function from a knowledge base to rows (dicts with the same
keys); formats (jsonl, csv, json) only render rows.  Fact kinds need no code
here: a fact's ``data`` already holds its export fields.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fangzhi.errors import QueryError
from fangzhi.model import NodeKind, Volume
from fangzhi.parse.coverage import count_nouns
from fangzhi.services import registers
from fangzhi.services.targets import target_rows
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.plural import counted

Row = dict[str, Any]
ExportFunction = Callable[[Store], Iterator[Row]]

NODE_EXPORTS: dict[str, ExportFunction] = {}

# Export kind -> fact kind, for kinds whose rows are facts.
FACT_EXPORTS: dict[str, str] = {
    "appointments": "appointment",
    "list_items": "list_item",
    "repeals": "repeal",
    "events": "event",
    "rule_sets": "rule_set",
}

FORMATS = ("jsonl", "csv", "json")


def export_kind(name: str) -> Callable[[ExportFunction], ExportFunction]:
    def register(function: ExportFunction) -> ExportFunction:
        NODE_EXPORTS[name] = function
        return function

    return register


def export_kinds() -> list[str]:
    return sorted(set(NODE_EXPORTS) | set(FACT_EXPORTS))


def export_rows(store: Store, kind: str) -> Iterator[Row]:
    if kind in NODE_EXPORTS:
        return NODE_EXPORTS[kind](store)
    if kind in FACT_EXPORTS:
        return _fact_rows(store, FACT_EXPORTS[kind])
    raise QueryError(f"unknown export kind {kind!r}; choose one of: {', '.join(export_kinds())}")


def _fact_rows(store: Store, fact_kind: str) -> Iterator[Row]:
    for fact in store.facts(kind=fact_kind):
        yield {"id": fact.id, "volume": fact.volume, **fact.data}


def volume_row(volume: Volume) -> Row:
    return {
        "id": volume.id,
        "kind": volume.kind,
        "title": volume.title,
        "year": volume.year,
        "source_file": volume.source_file,
        "source_sha256": volume.source_sha256,
    }


@export_kind("volumes")
def _volumes(store: Store) -> Iterator[Row]:
    for volume in store.volumes():
        yield volume_row(volume)


def _section_title(node: StoredNode) -> str | None:
    """The nearest enclosing section (分目) as printed, for exports and citations."""
    return node.ancestor_title(NodeKind.SECTION)


@export_kind("chapters")
def _chapters(store: Store) -> Iterator[Row]:
    for node in store.nodes(kind=NodeKind.CHAPTER):
        yield {
            "id": node.id,
            "volume": node.volume,
            "number": node.attributes.get("number"),
            "title": node.title,
            "page": node.page,
            "page_end": node.page_end,
        }


@export_kind("sections")
def _sections(store: Store) -> Iterator[Row]:
    for node in store.nodes(kind=NodeKind.SECTION):
        yield {
            "id": node.id,
            "volume": node.volume,
            "chapter": node.ancestor_title(NodeKind.CHAPTER),
            "title": node.title,
            "level": node.level,
            "page": node.page,
        }


@export_kind("entries")
def _entries(store: Store) -> Iterator[Row]:
    for node in store.nodes(kind=NodeKind.ENTRY):
        yield {
            "id": node.id,
            "volume": node.volume,
            "chapter": node.ancestor_title(NodeKind.CHAPTER),
            "section": _section_title(node),
            "title": node.title,
            "text": node.text,
            "page": node.page,
            "page_end": node.page_end,
            "line_start": node.line_start,
            "line_end": node.line_end,
            "contributors": node.attributes.get("contributors", []),
        }


@export_kind("tables")
def _tables(store: Store) -> Iterator[Row]:
    for node in store.nodes(kind=NodeKind.TABLE):
        yield {
            "id": node.id,
            "volume": node.volume,
            "caption": node.title,
            "columns": node.attributes.get("columns", []),
            "rows": node.attributes.get("rows", []),
            "page": node.page,
        }


@export_kind("captions")
def _captions(store: Store) -> Iterator[Row]:
    for node in store.nodes(kind=NodeKind.CAPTION):
        yield {
            "id": node.id,
            "volume": node.volume,
            "text": node.text,
            "credit": node.attributes.get("credit"),
            "page": node.page,
        }


@export_kind("documents")
def _documents(store: Store) -> Iterator[Row]:
    repealed_by = {fact.data.get("repealed_doc_no"): fact.data.get("by_doc_no") for fact in store.facts(kind="repeal")}
    for node in store.nodes(kind=NodeKind.DOCUMENT):
        attributes = node.attributes
        yield {
            "id": node.id,
            "volume": node.volume,
            "doc_no": attributes.get("doc_no"),
            "doc_no_as_printed": attributes.get("doc_no_as_printed"),
            "issuer": attributes.get("issuer"),
            "title": node.title,
            "date": attributes.get("date"),
            "type": attributes.get("type"),
            "attachment_title": attributes.get("attachment_title"),
            "line_start": node.line_start,
            "line_end": node.line_end,
            "repealed_by": repealed_by.get(attributes.get("doc_no")),
        }


def document_ids_by_doc_no(store: Store) -> dict[str, str]:
    """Document node id for each normalised 文号 in the knowledge base (the first one ingested wins)."""
    found: dict[str, str] = {}
    for node in store.nodes(kind=NodeKind.DOCUMENT):
        doc_no = node.attributes.get("doc_no")
        if doc_no and doc_no not in found:
            found[doc_no] = node.id
    return found


@export_kind("references")
def _references(store: Store) -> Iterator[Row]:
    """Every 文号 mentioned, resolved against the documents in the knowledge base now."""
    documents = document_ids_by_doc_no(store)
    for fact in store.facts(kind="reference"):
        row = {"id": fact.id, "volume": fact.volume, **fact.data}
        row["resolved_document"] = documents.get(fact.data.get("doc_no"))
        yield row


INDICATOR_COLUMNS = (
    "indicator",
    "indicator_as_printed",
    "entity",
    "period",
    "scope",
    "kind",
    "value_as_printed",
    "number",
    "unit",
    "base_value",
    "base_unit",
    "approx",
    "page",
    "line",
)


@export_kind("indicators")
def _indicators(store: Store) -> Iterator[Row]:
    """Every figure in prose and tables (``indicators.v1`` facts), with its meaning and citation."""
    for fact in store.facts(kind="indicator"):
        row: Row = {"id": fact.id, "volume": fact.volume, "node": fact.node_id}
        row.update({column: fact.data.get(column) for column in INDICATOR_COLUMNS})
        yield row


@export_kind("findings")
def _findings(store: Store) -> Iterator[Row]:
    """The consistency report (``fangzhi check``) as rows, most confident first."""
    from fangzhi.services.check import check, finding_rows

    yield from finding_rows(check(store))


@export_kind("people")
def _people(store: Store) -> Iterator[Row]:
    return (person.row() for person in registers.people(store))


@export_kind("organizations")
def _organizations(store: Store) -> Iterator[Row]:
    return (organization.row() for organization in registers.organizations(store))


@export_kind("places")
def _places(store: Store) -> Iterator[Row]:
    return (place.row() for place in registers.places(store))


@export_kind("targets")
def _targets(store: Store) -> Iterator[Row]:
    """Targets with their status, computed against the indicator facts in the store now."""
    return target_rows(store)


STAT_NODE_KINDS = {
    "chapters": NodeKind.CHAPTER,
    "sections": NodeKind.SECTION,
    "entries": NodeKind.ENTRY,
    "articles": NodeKind.ARTICLE,
    "chronicle_items": NodeKind.EVENT,
    "tables": NodeKind.TABLE,
    "captions": NodeKind.CAPTION,
    "documents": NodeKind.DOCUMENT,
    "paragraphs": NodeKind.PARAGRAPH,
}
STAT_FACT_KINDS = {export: fact for export, fact in FACT_EXPORTS.items()}
STAT_FACT_KINDS["references"] = "reference"
STAT_FACT_KINDS["indicators"] = "indicator"


STAT_FACT_KINDS["targets"] = "target"


def volume_stats(store: Store, volume: Volume) -> Row:
    return volume_stats_row(volume, store.count_nodes(volume.id), store.count_facts(volume.id))


def statistics(store: Store, limit: int | None = None, offset: int = 0) -> list[Row]:
    """The stats rows of a page of volumes, from the counts kept at ingest: one read, whatever the corpus size."""
    return [volume_stats_row(*counted) for counted in store.volume_counts(limit, offset)]


def volume_stats_row(volume: Volume, nodes: dict[str, int], facts: dict[str, int]) -> Row:
    """Counts per volume, with what ingest understood of it: ``coverage`` and ``warnings`` as stored."""
    row: Row = {"volume": volume.id, "kind": volume.kind, "title": volume.title, "year": volume.year}
    row["pages"] = len(volume.attributes.get("pages", []))
    for name, kind in STAT_NODE_KINDS.items():
        row[name] = nodes.get(kind, 0)
    for level in (2, 3):
        row[f"sections_level_{level}"] = nodes.get(f"section_level_{level}", 0)
    for name, kind in STAT_FACT_KINDS.items():
        row[name] = facts.get(kind, 0)
    row["coverage"] = volume.attributes.get("coverage")
    row["warnings"] = list(volume.attributes.get("warnings", []))
    return row


def coverage_line(coverage: dict[str, Any]) -> str:
    """One line saying how much of a volume was read as structure and what was found in it."""
    found = ", ".join(counted(value, *count_nouns(name)) for name, value in coverage.get("counts", {}).items())
    return (
        f"coverage: {coverage['share']:.1%} of {counted(coverage['structured'] + coverage['untitled'], 'text line')} "
        f"in recognised structure ({coverage['untitled']:,} in untitled paragraphs{_read_as_facts(coverage)}, "
        f"{counted(coverage['furniture'], 'line of furniture', 'lines of furniture')}); found {found or 'nothing'}"
    )


def _read_as_facts(coverage: dict[str, Any]) -> str:
    read = coverage.get("read_as_facts", 0)
    return f", {read:,} of them read as facts" if read else ""


def warning_line(warning: dict[str, Any] | Any) -> str:
    """A stored warning (a dict) or a :class:`~fangzhi.model.ParseWarning` as one line."""
    value = warning if isinstance(warning, dict) else warning.to_dict()
    where = f"line {value['line']}: " if value.get("line") else ""
    return f"{where}{value['message']} [{value['code']}]"


def render(rows: Iterable[Row], format: str) -> Iterator[str]:
    """Render rows as text chunks in one of :data:`FORMATS`."""
    if format == "jsonl":
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
    elif format == "json":
        yield json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    elif format == "csv":
        # a kind whose rows differ in their fields gets every field as a column, so the header waits for all rows
        materialized = list(rows)
        fieldnames = list(dict.fromkeys(key for row in materialized for key in row))
        writer_buffer = io.StringIO()
        writer = csv.DictWriter(writer_buffer, fieldnames=fieldnames, lineterminator="\n")
        if materialized:
            writer.writeheader()
        for row in materialized:
            writer.writerow({key: _csv_cell(value) for key, value in row.items()})
            yield writer_buffer.getvalue()
            writer_buffer.seek(0)
            writer_buffer.truncate()
    else:
        raise QueryError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A cell as CSV writes it: lists and objects as JSON, text a spreadsheet would run as a formula quoted.

    Such text gets a leading ``'``, which spreadsheets show as text and
    :func:`csv_cell_text` takes off again.  Text that already starts with
    ``'`` before a formula character gets one more, so that the escape can
    always be undone.
    """
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell_text(cell: str) -> str:
    """The text of a CSV cell as the record holds it: the inverse of the formula escape."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
