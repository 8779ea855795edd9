"""The ``cite`` command: a node's citation for a paper or a reference manager."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, open_existing, reports_errors
from fangzhi.services.citation import CITATION_FORMATS


@command
@click.command()
@click.argument("node_id")
@db_option
@click.option(
    "--format",
    "format",
    default="gbt7714",
    show_default=True,
    type=click.Choice(list(CITATION_FORMATS)),
    help="GB/T 7714 text, or CSL-JSON, RIS or BibTeX to import into Zotero, EndNote or JabRef.",
)
@reports_errors
def cite(node_id: str, db: str, format: str) -> None:
    """Cite a node (an entry, a document, a chapter) with its printed page.

    NODE_ID is a node id as search, export and the web pages show it,
    for example pingdingshan-yearbook-2024:238.
    """
    with open_existing(db) as kb:
        citation = kb.cite_as(node_id, format)
    click.echo(citation.text, nl=False)
