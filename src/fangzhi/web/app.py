"""The web application: a JSON API under ``/api/`` and server-rendered pages over one knowledge base.

Handlers are ``async`` on purpose: each makes one quick call into the
knowledge base, and running them on the event loop keeps every call to the
single SQLite connection on one thread at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from fangzhi import __version__
from fangzhi.errors import FangzhiError, NotFoundError, QueryError
from fangzhi.knowledge_base import KnowledgeBase
from fangzhi.web.templating import templates

STATIC = Path(__file__).resolve().parent / "static"
STATIC_MAX_AGE = 7 * 24 * 3600


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


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The one JSON shape of every API error."""
    error: dict[str, Any] = {"status": status, "code": ERROR_CODES.get(status, "error"), "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def create_app(kb: KnowledgeBase) -> FastAPI:
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
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="fangzhi 方志 · HTTP API",
            swagger_js_url="/static/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},
        )

    app.include_router(page_router)
    _install_error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error_response(request: Request, status: int, message: str, details: list[dict[str, Any]] | None = None):
    if _wants_json(request):
        return JSONResponse(error_body(status, message, details), status_code=status)
    html = templates.get_template("error.html").render(request=request, status=status, message=message)
    return HTMLResponse(html, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError):  # type: ignore[no-untyped-def]
        return _error_response(request, 404, str(error))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, error: QueryError):  # type: ignore[no-untyped-def]
        return _error_response(request, 422, str(error))

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
