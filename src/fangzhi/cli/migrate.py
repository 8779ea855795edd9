"""``fangzhi migrate``: bring a knowledge base made by an older fangzhi up to date."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, reports_errors
from fangzhi.knowledge_base import open_knowledge_base


@command
@click.command()
@db_option
@reports_errors
def migrate(db: str) -> None:
    """Apply the schema migrations an existing knowledge base lacks.

    Reading commands (stats, export, search, timeline, serve) never change a
    knowledge base, so one made by an older fangzhi is upgraded here, once;
    `fangzhi ingest` upgrades it too.  Safe to run while others read it.
    """
    with open_knowledge_base(db, create=False) as kb:
        applied = getattr(kb.store, "applied_migrations", [])
    if applied:
        click.echo(f"{db}: applied {', '.join(applied)}")
    else:
        click.echo(f"{db}: already up to date")
