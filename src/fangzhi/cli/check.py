"""The ``check`` command: the editor's consistency report."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, open_existing, reports_errors
from fangzhi.services.check import FORMATS, MIN_CONFIDENCE, render_report


@command
@click.command()
@db_option
@click.option("--volume", "volume", metavar="ID", help="Only findings that touch this volume.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the same as --format json).")
@click.option(
    "--format",
    "format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for the terminal, md or html to hand to an editor, json for tools.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=MIN_CONFIDENCE,
    show_default=True,
    help="Leave out findings less certain than this (0–1).",
)
@reports_errors
def check(db: str, volume: str | None, as_json: bool, format: str, min_confidence: float) -> None:
    """Report figures, names and dates that disagree, most certain first.

    Compares every figure printed in the volumes (the same indicator, place
    and period with different values; wrong rounding; units a power of ten
    off; parts larger than their totals; shares not adding up), names written
    two ways, chronicle dates against the documents they name, an issue's
    date against its contents, and the counts the editorial notes declare.
    Every finding names each place involved (volume, page, line).
    """
    with open_existing(db) as kb:
        report = kb.check(volume=volume, min_confidence=min_confidence)
    click.echo(render_report(report, "json" if as_json else format), nl=False)
