"""``fangzhi serve``: the web pages and the HTTP API over one knowledge base."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, open_existing, reports_errors


@command
@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@reports_errors
def serve(db: str, host: str, port: int) -> None:
    """Serve the knowledge base: pages to read, search and cite, and a JSON API under /api/.

    The interactive API documentation is at /docs and the OpenAPI document at
    /openapi.json.  Stop the server with Ctrl+C.
    """
    import uvicorn

    from fangzhi.web.app import create_app

    kb = open_existing(db)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    address = f"http://{shown_host}:{port}/"
    click.echo(f"Serving {db} at {address}  (API docs: {address}docs; press Ctrl+C to stop)")
    try:
        uvicorn.run(create_app(kb), host=host, port=port, log_level="warning")
    finally:
        kb.close()
