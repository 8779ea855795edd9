"""The ``index`` command: a volume's subject index (主题索引), sorted by pinyin, with page references."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, echo_json, open_existing, reports_errors
from fangzhi.services.subject_index import render_html, render_markdown

FORMATS = ("md", "html", "json")


@command
@click.command()
@db_option
@click.option("--volume", "volume_id", required=True, metavar="ID", help="The volume to index (see `fangzhi stats`).")
@click.option(
    "--format",
    "format",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md: headings grouped under pinyin initials; html: a standalone page; "
    "json: a list of {heading, pinyin, pages, subheadings, see}.",
)
@reports_errors
def index(db: str, volume_id: str, format: str) -> None:
    """Print the subject index of a volume.

    Headings are the volume's entry titles, the organisations and places with
    a section of their own, and the topics the text sets in quotation marks,
    each with the pages it is treated on (several pages as 105、107、109);
    headings sorted by pinyin as printed indexes are, grouped under their
    initials, with 见/参见 cross-references from abbreviations to full names.
    """
    with open_existing(db) as kb:
        subject_index = kb.index(volume_id)
    if format == "json":
        echo_json(subject_index.to_list())
    elif format == "html":
        click.echo(render_html(subject_index), nl=False)
    else:
        click.echo(render_markdown(subject_index))
