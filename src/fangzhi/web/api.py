"""The JSON API under ``/api/``: one knowledge-base call per route, answers as plain JSON."""

from __future__ import annotations

import dataclasses
from datetime import date
from itertools import islice
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from fangzhi.errors import NotFoundError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.citation import CITATION_FORMATS
from fangzhi.services.exports import FORMATS, export_kinds, render
from fangzhi.services.reading import Block, Reading
from fangzhi.store.base import StoredNode

router = APIRouter(prefix="/api")

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
NodeId = Annotated[str, Path(description="A node id, `VOLUME:ORDINAL`, as every answer gives it.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many records to return.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many records to skip.")]

EXPORT_MEDIA_TYPES = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv"}


async def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb


KB = Annotated[KnowledgeBase, Depends(get_kb)]


def jsonable(value: Any) -> Any:
    """Library records as JSON values: ``to_dict`` where a record has one, else its fields."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def node_summary(node: StoredNode) -> dict[str, Any]:
    """A node without its text, for listings."""
    return {
        "id": node.id,
        "volume": node.volume,
        "parent": node.parent,
        "kind": node.kind,
        "title": node.title,
        "level": node.level,
        "page": node.page,
        "page_end": node.page_end,
        "line_start": node.line_start,
        "line_end": node.line_end,
    }


def _block(block: Block) -> dict[str, Any]:
    if not block.expanded:
        return {"expanded": False, "node": node_summary(block.node)}
    return {"expanded": True, "node": jsonable(block.node), "blocks": [_block(child) for child in block.children]}


def reading_dict(reading: Reading) -> dict[str, Any]:
    return {
        "node": jsonable(reading.node),
        "volume": {"id": reading.volume.id, "kind": reading.volume.kind, "title": reading.volume.title},
        "citation": reading.citation.to_dict(),
        "previous": node_summary(reading.previous) if reading.previous else None,
        "next": node_summary(reading.next) if reading.next else None,
        "blocks": [_block(block) for block in reading.blocks],
        "facts": jsonable(reading.facts),
        "truncated": reading.truncated,
        "repealed_by": jsonable(reading.repealed_by),
    }


@router.get("/volumes", tags=["volumes"], summary="A page of volumes (in id order) with their counts")
def volumes(kb: KB, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    return {"total": kb.count_volumes(), "offset": offset, "volumes": kb.stats(limit=limit, offset=offset)}


@router.get("/volumes/{volume_id}", tags=["volumes"], summary="One volume and its attributes")
def volume(kb: KB, volume_id: str) -> dict[str, Any]:
    return jsonable(kb.volume(volume_id))


@router.get("/volumes/{volume_id}/nodes", tags=["volumes", "nodes"], summary="The nodes directly under a volume")
def volume_nodes(kb: KB, volume_id: str) -> dict[str, Any]:
    return {"volume": volume_id, "nodes": [node_summary(node) for node in kb.top_nodes(volume_id)]}


@router.get("/volumes/{volume_id}/index", tags=["volumes"], summary="The subject index (主题索引) of a volume")
def subject_index(kb: KB, volume_id: str) -> dict[str, Any]:
    return {"volume": volume_id, "headings": kb.index(volume_id).to_list()}


@router.get("/nodes", tags=["nodes"], summary="Nodes in reading order, by volume and kind")
def nodes(
    kb: KB, volume: str | None = None, kind: str | None = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    found = islice(kb.nodes(volume=volume, kind=kind), offset, offset + limit)
    return {"limit": limit, "offset": offset, "nodes": [jsonable(node) for node in found]}


@router.get("/nodes/{node_id}", tags=["nodes"], summary="A node with its text, provenance, blocks, facts and citation")
def node(kb: KB, node_id: NodeId) -> dict[str, Any]:
    return reading_dict(kb.read(node_id))


@router.get("/nodes/{node_id}/children", tags=["nodes"], summary="The children of a node, in reading order")
def children(kb: KB, node_id: NodeId) -> dict[str, Any]:
    found = kb.children(node_id)
    if not found:
        kb.node(node_id)
    return {"node": node_id, "children": [node_summary(child) for child in found]}


@router.get("/nodes/{node_id}/citation", tags=["nodes"], summary="A GB/T 7714 style citation of a node")
def citation(kb: KB, node_id: NodeId) -> dict[str, Any]:
    return kb.cite(node_id).to_dict()


@router.get(
    "/nodes/{node_id}/cite",
    tags=["nodes"],
    summary="A node's citation as a file: GB/T 7714 text, CSL-JSON, RIS or BibTeX",
    response_class=Response,
)
def cite(
    kb: KB,
    node_id: NodeId,
    format: Annotated[str, Query(description=f"One of: {', '.join(CITATION_FORMATS)}.")] = "gbt7714",
) -> Response:
    found = kb.cite_as(node_id, format)
    return Response(
        found.text,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


@router.get("/nodes/{node_id}/source", tags=["nodes"], summary="The raw source lines a node was read from")
def source(kb: KB, node_id: NodeId) -> dict[str, Any]:
    found = kb.node(node_id)
    lines = kb.source_lines(found.volume, found.line_start, found.line_end)
    return {
        "node": found.id,
        "volume": found.volume,
        "line_start": found.line_start,
        "line_end": found.line_end,
        "lines": [{"line": found.line_start + offset, "text": text} for offset, text in enumerate(lines)],
    }


@router.get("/search", tags=["search"], summary="Full-text search, with the same parameters and answer as the CLI")
def search(
    kb: KB,
    q: Annotated[str, Query(min_length=1, description='Words, "phrases", OR and -exclusions.')],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    offset: Offset = 0,
    volume: str | None = None,
    kind: str | None = None,
    chapter: str | None = None,
    year: int | None = None,
    page_from: Annotated[int | None, Query(ge=0)] = None,
    page_to: Annotated[int | None, Query(ge=0)] = None,
) -> dict[str, Any]:
    filters = {"volume": volume, "kind": kind, "chapter": chapter, "year": year}
    filters.update(page_from=page_from, page_to=page_to)
    result = kb.search(
        q, limit=limit, offset=offset, **{name: value for name, value in filters.items() if value is not None}
    )
    return jsonable(result)


@router.get("/ask", tags=["search"], summary="A question in Chinese: the answer, its citations, or not_found")
def ask(
    kb: KB,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="A question, e.g. 2023年全市地区生产总值是多少？")
    ],
) -> dict[str, Any]:
    return kb.ask(q).to_dict()


@router.get("/events", tags=["facts"], summary="Chronicle events in date order, by date range and person")
def events(
    kb: KB,
    date_from: Annotated[str | None, Query(description="First day: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    date_to: Annotated[str | None, Query(description="Last day: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    person: Annotated[str | None, Query(description="Only events naming this person.")] = None,
) -> dict[str, Any]:
    found = kb.timeline(date_from=date_from, date_to=date_to, person=person)
    return {"date_from": date_from, "date_to": date_to, "person": person, "events": jsonable(found)}


@router.get("/facts", tags=["facts"], summary="Facts by kind, volume and node")
def facts(
    kb: KB,
    kind: str | None = None,
    volume: str | None = None,
    node_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = kb.facts(kind=kind, volume=volume, node_id=node_id)[offset : offset + limit]
    return {"limit": limit, "offset": offset, "facts": jsonable(found)}


def _export(kb: KnowledgeBase, kind: str, key: str) -> dict[str, Any]:
    return {key: list(kb.export(kind))}


@router.get("/documents", tags=["facts"], summary="Official documents with 文号, dates and repeal status")
def documents(kb: KB) -> dict[str, Any]:
    return _export(kb, "documents", "documents")


@router.get("/appointments", tags=["facts"], summary="Appointments and removals (任免), one per person and action")
def appointments(kb: KB) -> dict[str, Any]:
    return _export(kb, "appointments", "appointments")


@router.get("/list-items", tags=["facts"], summary="Members of named lists (名单), with their group")
def list_items(kb: KB) -> dict[str, Any]:
    return _export(kb, "list_items", "list_items")


@router.get("/tables", tags=["nodes"], summary="Tables with their columns and rows")
def tables(kb: KB) -> dict[str, Any]:
    return _export(kb, "tables", "tables")


@router.get("/check", tags=["check"], summary="The consistency report (校对), as `fangzhi check --json`")
def check(
    kb: KB,
    volume: Annotated[str | None, Query(description="Only findings that touch this volume.")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Leave out less certain findings.")] = None,
) -> dict[str, Any]:
    return kb.check(volume=volume, min_confidence=min_confidence).to_dict()


@router.get("/people", tags=["registers"], summary="Everyone the volumes name, as `fangzhi export --kind people`")
def people(kb: KB) -> dict[str, Any]:
    return {"people": [person.row() for person in kb.people()]}


@router.get("/people/{person_id}", tags=["registers"], summary="One person: posts, variants and every mention")
def person(kb: KB, person_id: str) -> dict[str, Any]:
    return jsonable(kb.person(person_id))


@router.get("/organizations", tags=["registers"], summary="Organisations with their abbreviations")
def organizations(kb: KB) -> dict[str, Any]:
    return {"organizations": [organization.row() for organization in kb.organizations()]}


@router.get(
    "/organizations/{organization_id}",
    tags=["registers"],
    summary="One organisation: abbreviations, documents, posts and every mention",
)
def organization(kb: KB, organization_id: str) -> dict[str, Any]:
    return jsonable(kb.organization(organization_id))


@router.get("/places", tags=["registers"], summary="Places named, with division codes")
def places(kb: KB) -> dict[str, Any]:
    return {"places": [place.row() for place in kb.places()]}


@router.get("/places/{place_id}", tags=["registers"], summary="One place: code, parent, variants and every mention")
def place(kb: KB, place_id: str) -> dict[str, Any]:
    return jsonable(kb.place(place_id))


@router.get(
    "/stats",
    tags=["volumes"],
    summary="Counts per volume, as `fangzhi stats --json`: a page of volumes in id order, the total in X-Total-Count",
)
def stats(kb: KB, response: Response, limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    response.headers["X-Total-Count"] = str(kb.count_volumes())
    return kb.stats(limit=limit, offset=offset)


@router.get("/exports", tags=["exports"], summary="The export kinds and formats")
async def exports() -> dict[str, Any]:
    return {"kinds": export_kinds(), "formats": list(FORMATS)}


@router.get(
    "/exports/{kind}",
    tags=["exports"],
    summary="Every record of one kind, as `fangzhi export` writes it",
    response_class=Response,
)
def export(kb: KB, kind: str, format: Annotated[str, Query(pattern="^(jsonl|csv|json)$")] = "json") -> Response:
    if kind not in export_kinds():
        raise NotFoundError(f"no export kind {kind!r}; choose one of: {', '.join(export_kinds())}")
    body = "".join(render(kb.export(kind), format))
    return Response(body, media_type=EXPORT_MEDIA_TYPES[format])


@router.get("/rules", tags=["rules"], summary="Rule sets read from the documents: alert plans, funding standards")
def rule_sets(kb: KB) -> dict[str, Any]:
    return {"rule_sets": jsonable(kb.rule_sets())}


@router.get("/rules/{rule_set_id}", tags=["rules"], summary="One rule set in full, every element with its citation")
def rule_set(kb: KB, rule_set_id: str) -> dict[str, Any]:
    return jsonable(kb.rule_set(rule_set_id))


@router.get("/alert", tags=["rules"], summary="The alert a daily AQI forecast triggers, as `fangzhi alert --json`")
def alert(
    kb: KB,
    forecast: Annotated[str, Query(min_length=1, description="Daily AQI forecasts, today first: 160,210,220.")],
    plan: Annotated[str | None, Query(description="The plan's 文号 or rule set id.")] = None,
) -> dict[str, Any]:
    return kb.alert(forecast, plan=plan).to_dict()


@router.get("/funding", tags=["rules"], summary="Minimum annual road maintenance money and each level's share")
def funding(
    kb: KB,
    county_road_km: Annotated[float | None, Query(ge=0, description="Kilometres of 县道.")] = None,
    township_road_km: Annotated[float | None, Query(ge=0, description="Kilometres of 乡道.")] = None,
    village_road_km: Annotated[float | None, Query(ge=0, description="Kilometres of 村道.")] = None,
    plan: Annotated[str | None, Query(description="The standard's 文号 or rule set id.")] = None,
) -> dict[str, Any]:
    lengths = {"county_road": county_road_km, "township_road": township_road_km, "village_road": village_road_km}
    return kb.funding(lengths, plan=plan).to_dict()


@router.get("/targets", tags=["facts"], summary="The targets register by deadline, with owners and status")
def targets(
    kb: KB,
    owner: Annotated[str | None, Query(description="Only targets owned by a body whose name contains this.")] = None,
    status: Annotated[str | None, Query(pattern="^(met|not_met|unknown)$")] = None,
    deadline_from: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    deadline_to: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    volume: str | None = None,
) -> dict[str, Any]:
    found = kb.targets(owner=owner, status=status, deadline_from=deadline_from, deadline_to=deadline_to, volume=volume)
    return {"targets": [target.row() for target in found]}
