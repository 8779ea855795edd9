"""The ``timeline`` command: chronicle events in date order, with citations."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, echo_json, open_existing, reports_errors
from fangzhi.services.timeline import TimelineEvent

TEXT_WIDTH = 60


@command
@click.command()
@db_option
@click.option("--from", "date_from", metavar="DATE", help="Only events on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", metavar="DATE", help="Only events on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--person", metavar="NAME", help="Only events naming this person (e.g. 李明俊).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: every event with its people and links.")
@reports_errors
def timeline(db: str, date_from: str | None, date_to: str | None, person: str | None, as_json: bool) -> None:
    """List the events of every chronicle (大事记) in date order.

    Each line shows the date, the start of the text and where it is printed
    (volume, page, line).  An event recorded by two volumes is marked with
    the other record's place.
    """
    with open_existing(db) as kb:
        events = kb.timeline(date_from=date_from, date_to=date_to, person=person)
    if as_json:
        echo_json([event.to_dict() for event in events])
        return
    if not events:
        click.echo("no events match; `fangzhi stats` shows how many events each volume has", err=True)
    for event in events:
        click.echo(format_event(event))


def _place(volume: str, page: int | None, line: int) -> str:
    return f"{volume} p.{page} L{line}" if page is not None else f"{volume} L{line}"


def format_event(event: TimelineEvent) -> str:
    date = event.date or "????-??-??"
    if event.date_end:
        date = f"{date}..{event.date_end}"
    text = event.text.replace("\n", " ")
    if len(text) > TEXT_WIDTH:
        text = text[: TEXT_WIDTH - 1] + "…"
    line = f"{date}  {text}  [{_place(event.volume, event.page, event.line_start)}]"
    for link in event.same_event:
        line += f"  = [{_place(link.volume, link.page, link.line_start)}]"
    return line
