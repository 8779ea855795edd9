"""What every response of the web application gets, whatever route made it.

Written as plain ASGI middleware, so that routes added later get the same
treatment without doing anything:

- :class:`RequestBudget`: the request's reads stop after a time budget
  (:mod:`fangzhi.store.budget`), in whichever worker thread they run;
- :class:`HeadAsGet`: ``HEAD`` is answered on every ``GET`` route, with the
  headers of the ``GET`` and no body;
- :class:`SecurityHeaders`: a Content-Security-Policy the pages satisfy (no
  inline script or style, nothing from another origin), ``nosniff`` and no
  framing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fangzhi.store import budget

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class RequestBudget:
    """Every read a request makes stops once the request has run for ``seconds``."""

    def __init__(self, app: ASGIApp, seconds: float | None) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds is None:
            await self.app(scope, receive, send)
            return
        label = f"the request {scope.get('path', '')}"
        with budget.time_budget(self.seconds, label, "ask for less, e.g. with filters or a smaller limit"):
            try:
                await self.app(scope, receive, send)
            except Exception:
                spent = budget.expired_error()
                if spent is not None:
                    raise spent from None
                raise


class HeadAsGet:
    """Answer ``HEAD`` as ``GET`` without the body, so every page and API route supports it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
