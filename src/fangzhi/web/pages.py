"""Server-rendered pages: one knowledge-base call per route, rendered with Jinja2."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from fangzhi.errors import FangzhiError, QueryError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.services.ask import is_question
from fangzhi.services.checks import KIND_TITLES, SEVERITY_LABELS
from fangzhi.web.api import KB, MAX_LIMIT, NodeId
from fangzhi.web.templating import templates

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

SEARCH_PAGE_SIZE = 20


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context)


HOME_PAGE_SIZE = 50


@router.get("/")
def home(request: Request, kb: KB, page: Annotated[int, Query(ge=1, le=10**9)] = 1) -> HTMLResponse:
    total = kb.count_volumes()
    volumes = kb.stats(limit=HOME_PAGE_SIZE, offset=(page - 1) * HOME_PAGE_SIZE)
    pages = max(1, -(-total // HOME_PAGE_SIZE))
    return _render(request, "home.html", volumes=volumes, total=total, page=page, pages=pages, size=HOME_PAGE_SIZE)


@router.get("/volumes/{volume_id}")
def volume(request: Request, kb: KB, volume_id: str) -> HTMLResponse:
    found = kb.volume(volume_id)
    return _render(request, "volume.html", volume=found, nodes=kb.top_nodes(volume_id))


@router.get("/volumes/{volume_id}/index")
def subject_index(request: Request, kb: KB, volume_id: str) -> HTMLResponse:
    return _render(request, "subject_index.html", index=kb.index(volume_id))


@router.get("/nodes/{node_id}")
def node(request: Request, kb: KB, node_id: NodeId) -> HTMLResponse:
    return _render(request, "node.html", reading=kb.read(node_id))


@router.get("/search")
def search(
    request: Request,
    kb: KB,
    q: str = "",
    volume: str | None = None,
    kind: str | None = None,
    chapter: str | None = None,
    year: int | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = SEARCH_PAGE_SIZE,
) -> HTMLResponse:
    filters = {
        name: value
        for name, value in (("volume", volume), ("kind", kind), ("chapter", chapter), ("year", year))
        if value not in (None, "")
    }
    result = answer = None
    if q.strip():
        result = kb.search(q, limit=limit, offset=offset, **filters)
        if offset == 0 and not filters and is_question(q):
            answer = kb.ask(q)
    template = "search_results.html" if request.headers.get("HX-Request") else "search.html"
    shown = {filters.get("volume")} if filters.get("volume") else set()
    if result is not None:
        shown |= {hit.volume for hit in result.hits} | set(result.facets.get("volume", {}))
    volumes = kb.volume_titles(shown)
    return _render(request, template, q=q, filters=filters, result=result, answer=answer, volumes=volumes)


@router.get("/timeline")
def timeline(
    request: Request,
    kb: KB,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")] = None,
    person: str | None = None,
) -> HTMLResponse:
    events = kb.timeline(date_from=month, date_to=month, person=person or None)
    shown = {event.volume for event in events} | {link.volume for event in events for link in event.same_event or []}
    volumes = kb.volume_titles(shown)
    return _render(request, "timeline.html", events=events, month=month, person=person or "", volumes=volumes)


@router.get("/documents")
def documents(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "documents.html", documents=list(kb.export("documents")))


@router.get("/appointments")
def appointments(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "appointments.html", appointments=list(kb.export("appointments")))


@router.get("/lists")
def lists(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "lists.html", items=list(kb.export("list_items")))


@router.get("/tables")
def tables(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "tables.html", tables=list(kb.export("tables")))


@router.get("/check")
def check(
    request: Request,
    kb: KB,
    volume: str | None = None,
    kind: str | None = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> HTMLResponse:
    if kind and kind not in KIND_TITLES:
        raise QueryError(f"unknown finding kind {kind!r}; choose one of: {', '.join(KIND_TITLES)}")
    report = kb.check(volume=volume or None, min_confidence=min_confidence)
    findings = [finding for finding in report.findings if not kind or finding.kind == kind]
    volumes = {found.id: found.title for found in kb.volumes()}
    return _render(
        request,
        "check.html",
        report=report,
        findings=findings,
        kind=kind or "",
        volume=volume or "",
        volumes=volumes,
        finding_titles=KIND_TITLES,
        severity_labels=SEVERITY_LABELS,
    )


@router.get("/rules")
def rules(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "rules.html", rule_sets=kb.rule_sets())


@router.get("/alert")
def alert(request: Request, kb: KB, forecast: str = "", plan: str = "") -> HTMLResponse:
    result, error = None, None
    if forecast.strip():
        try:
            result = kb.alert(forecast, plan=plan or None).to_dict()
        except FangzhiError as problem:
            error = str(problem)
    plans = kb.rule_sets(type="heavy_pollution_alert")
    return _render(request, "alert.html", forecast=forecast, plan=plan, plans=plans, result=result, error=error)


ROAD_FIELDS = (("county_road", "县道"), ("township_road", "乡道"), ("village_road", "村道"))


@router.get("/funding")
def funding(
    request: Request,
    kb: KB,
    county_road_km: str = "",
    township_road_km: str = "",
    village_road_km: str = "",
    plan: str = "",
) -> HTMLResponse:
    given = {"county_road": county_road_km, "township_road": township_road_km, "village_road": village_road_km}
    result, error = None, None
    if any(value.strip() for value in given.values()):
        try:
            lengths = {key: _kilometres(value) for key, value in given.items()}
            result = kb.funding(lengths, plan=plan or None).to_dict()
        except FangzhiError as problem:
            error = str(problem)
    plans = kb.rule_sets(type="maintenance_funding")
    return _render(
        request, "funding.html", given=given, fields=ROAD_FIELDS, plan=plan, plans=plans, result=result, error=error
    )


def _kilometres(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise QueryError(f"road length {value!r} is not a number of kilometres") from None


@router.get("/targets")
def targets(
    request: Request,
    kb: KB,
    owner: str = "",
    status: Annotated[str, Query(pattern="^(met|not_met|unknown)?$")] = "",
    group: Annotated[str, Query(pattern="^(deadline|owner)$")] = "deadline",
) -> HTMLResponse:
    rows = [target.row() for target in kb.targets(owner=owner or None, status=status or None)]
    return _render(
        request,
        "targets.html",
        rows=rows,
        owners=kb.target_owners(),
        owner=owner,
        status=status,
        group=group,
    )


@router.get("/people")
def people(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "people.html", people=kb.people())


@router.get("/people/{person_id}")
def person(request: Request, kb: KB, person_id: str) -> HTMLResponse:
    return _render(request, "person.html", person=kb.person(person_id), volumes=_volume_titles(kb))


@router.get("/organizations")
def organizations(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "organizations.html", organizations=kb.organizations())


@router.get("/organizations/{organization_id}")
def organization(request: Request, kb: KB, organization_id: str) -> HTMLResponse:
    found = kb.organization(organization_id)
    return _render(request, "organization.html", organization=found, volumes=_volume_titles(kb))


@router.get("/places")
def places(request: Request, kb: KB) -> HTMLResponse:
    return _render(request, "places.html", places=kb.places())


@router.get("/places/{place_id}")
def place(request: Request, kb: KB, place_id: str) -> HTMLResponse:
    return _render(request, "place.html", place=kb.place(place_id), volumes=_volume_titles(kb))


def _volume_titles(kb: KnowledgeBase) -> dict[str, str]:
    return {volume.id: volume.title for volume in kb.volumes()}
