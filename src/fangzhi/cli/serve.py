"""``fangzhi serve``: the web pages and the HTTP API over one knowledge base."""

from __future__ import annotations

import errno
import socket

import click

from fangzhi.cli.common import command, db_option, open_existing, reports_errors
from fangzhi.search.query import MAX_QUERY_CHARACTERS, MAX_QUERY_TERMS, SearchLimits
from fangzhi.store.postgres import DEFAULT_POOL_SIZE


@command
@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--time-budget",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop a request's reads after this long (a search stops after 5 s, or sooner with this).",
)
@click.option(
    "--max-query-length",
    default=MAX_QUERY_CHARACTERS,
    show_default=True,
    type=click.IntRange(1),
    metavar="CHARACTERS",
    help="Refuse longer search queries.",
)
@click.option(
    "--max-query-terms",
    default=MAX_QUERY_TERMS,
    show_default=True,
    type=click.IntRange(1),
    metavar="N",
    help="Refuse search queries with more different words and phrases.",
)
@click.option(
    "--pool-size",
    default=DEFAULT_POOL_SIZE,
    show_default=True,
    type=click.IntRange(1),
    metavar="N",
    help="With a postgresql:// database: connections kept open, the reads that can run at once.",
)
@reports_errors
def serve(
    db: str, host: str, port: int, time_budget: float, max_query_length: int, max_query_terms: int, pool_size: int
) -> None:
    """Serve the knowledge base: pages to read, search and cite, and a JSON API under /api/.

    The knowledge base is opened read-only and requests are answered
    concurrently, each within its time budget.  The interactive API
    documentation is at /docs and the OpenAPI document at /openapi.json.
    Stop the server with Ctrl+C.
    """
    import uvicorn

    from fangzhi.web.app import create_app

    kb = open_existing(db, pool_size=pool_size)
    try:
        _check_can_listen(host, port)
    except click.ClickException:
        kb.close()
        raise
    kb.search_limits = SearchLimits(max_characters=max_query_length, max_terms=max_query_terms)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    address = f"http://{shown_host}:{port}/"
    click.echo(f"Serving {kb.store.path} at {address}  (API docs: {address}docs; press Ctrl+C to stop)")
    try:
        uvicorn.run(create_app(kb, request_time_budget=time_budget), host=host, port=port, log_level="warning")
    finally:
        kb.close()


def _check_can_listen(host: str, port: int) -> None:
    """Say in one line why the server cannot start, before announcing an address that will not answer."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {host!r} is not an address of this machine ({error.strerror}); "
            "use --host 127.0.0.1, or 0.0.0.0 for every interface"
        ) from None
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            advice = (
                "stop the program that uses it or choose another --port"
                if error.errno == errno.EADDRINUSE
                else "use --host 127.0.0.1, or 0.0.0.0 for every interface"
            )
            raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}; {advice}") from None
