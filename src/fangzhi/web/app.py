"""The web application: a JSON API under ``/api/`` and server-rendered pages over one knowledge base.

Requests are served concurrently.  Every route that reads the knowledge base
is a plain ``def``, so FastAPI runs it in a worker thread, and the store gives
each thread its own read connection: a slow request never holds up the
others.  :func:`create_app` refuses an ``async def`` route that reads the
knowledge base, since it would run on the event loop and stall every other
request while it reads.  Each request's reads stop after a time budget, and
every response carries the security headers (:mod:`fangzhi.web.middleware`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from fangzhi import __version__
from fangzhi.errors import FangzhiError, NotFoundError, QueryError, QueryLimitError, TimeBudgetError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.web.middleware import HeadAsGet, RequestBudget, SecurityHeaders
from fangzhi.web.templating import templates

STATIC = Path(__file__).resolve().parent / "static"
STATIC_MAX_AGE = 7 * 24 * 3600
REQUEST_TIME_BUDGET = 10.0


class CachedStaticFiles(StaticFiles):
    """Static files a browser may keep: pages name them with a hash of their content (``?v=…``)."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}"
        return response


ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid_parameter",
    500: "internal_error",
}


def error_body(
    status: int, message: str, details: list[dict[str, Any]] | None = None, code: str | None = None
) -> dict[str, Any]:
    """The one JSON shape of every API error."""
    error: dict[str, Any] = {"status": status, "code": code or ERROR_CODES.get(status, "error"), "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def create_app(kb: KnowledgeBase, *, request_time_budget: float | None = REQUEST_TIME_BUDGET) -> FastAPI:
    """The application over ``kb``; open it read-only to serve (``fangzhi serve`` does).

    ``request_time_budget`` bounds, in seconds, how long one request's reads
    may run before they are stopped (``None``: no bound beyond the search's own).
    """
    from fangzhi.web.api import router as api_router
    from fangzhi.web.pages import router as page_router

    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="fangzhi 方志",
        version=__version__,
        description=(
            "Chinese local yearbooks (地方年鉴) and government gazettes (政府公报) as a cited knowledge base. "
            "Every node and fact carries its volume, source line range and printed page."
        ),
        openapi_tags=[
            {"name": "volumes", "description": "Ingested volumes and their counts."},
            {"name": "nodes", "description": "The node tree: chapters, sections, entries, documents, blocks."},
            {"name": "search", "description": "Chinese full-text search."},
            {"name": "facts", "description": "Records found in the text: events, appointments, list items, repeals."},
            {"name": "exports", "description": "Every record of one kind, as the CLI's `fangzhi export` writes it."},
            {
                "name": "rules",
                "description": "Rules read from plans, run: alert levels for a forecast, funding standards.",
            },
        ],
    )
    app.state.kb = kb
    app.mount("/static", CachedStaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        context = {"title": "fangzhi 方志 · HTTP API", "openapi_url": app.openapi_url or "/openapi.json"}
        return templates.TemplateResponse(request, "api_docs.html", context)

    app.include_router(page_router)
    _install_error_handlers(app)
    refuse_async_reads(app)
    app.add_middleware(RequestBudget, seconds=request_time_budget)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app


def refuse_async_reads(app: FastAPI) -> None:
    """Raise if an ``async def`` route reads the knowledge base: it would run on the event loop, stalling the rest."""
    from fangzhi.web.api import get_kb

    for route in api_routes(app.routes):
        if asyncio.iscoroutinefunction(route.endpoint) and _needs(route, get_kb):
            raise TypeError(
                f"route {route.path} ({route.endpoint.__name__}) reads the knowledge base in an `async def`; "
                "write it as a plain `def` so that it runs in a worker thread (see docs/reliability.md)"
            )


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every FastAPI route, also those inside included routers (newer FastAPI keeps those as a branch)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def _needs(route: APIRoute, dependency: Any) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        found = pending.pop()
        if found.call is dependency:
            return True
        pending.extend(found.dependencies)
    return False


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error_response(
    request: Request,
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    code: str | None = None,
):
    if _wants_json(request):
        return JSONResponse(error_body(status, message, details, code), status_code=status)
    html = templates.get_template("error.html").render(request=request, status=status, message=message)
    return HTMLResponse(html, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError):  # type: ignore[no-untyped-def]
        return _error_response(request, 404, str(error))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, error: QueryError):  # type: ignore[no-untyped-def]
        code = None
        if isinstance(error, QueryLimitError):
            code = "query_too_large"
        elif isinstance(error, TimeBudgetError):
            code = "time_budget_exceeded"
        return _error_response(request, 422, str(error), code=code)

    @app.exception_handler(FangzhiError)
    async def other(request: Request, error: FangzhiError):  # type: ignore[no-untyped-def]
        return _error_response(request, 400, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):  # type: ignore[no-untyped-def]
        details = [
            {"location": ".".join(str(part) for part in problem["loc"]), "message": problem["msg"]}
            for problem in error.errors()
        ]
        message = "; ".join(f"{detail['location']}: {detail['message']}" for detail in details)
        return _error_response(request, 422, f"invalid parameter: {message}", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):  # type: ignore[no-untyped-def]
        message = "no such page" if error.status_code == 404 else str(error.detail)
        return _error_response(request, error.status_code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):  # type: ignore[no-untyped-def]
        if isinstance(error, TimeBudgetError):
            return await bad_query(request, error)
        return _error_response(request, 500, "internal error: the server could not answer this request")
