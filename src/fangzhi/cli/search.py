"""The ``search`` command: full-text search with filters, facets and cited hits."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, echo_json, open_existing, reports_errors
from fangzhi.search import SearchResult
from fangzhi.search.snippets import Snippet
from fangzhi.text.plural import counted

MARK_OPEN = "【"
MARK_CLOSE = "】"


@command
@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("query")
@db_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many hits to show.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="Skip this many hits (paging).")
@click.option("--volume", help="Only this volume id.")
@click.option("--kind", help="Only nodes of this kind (entry, event, document, paragraph, …).")
@click.option("--chapter", help="Only nodes in the chapter with this title.")
@click.option("--year", type=int, help="Only volumes of this year.")
@click.option("--page-from", type=int, help="Only nodes on or after this printed page.")
@click.option("--page-to", type=int, help="Only nodes on or before this printed page.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: query, total, hits, facets.")
@reports_errors
def search(
    query: str,
    db: str,
    limit: int,
    offset: int,
    volume: str | None,
    kind: str | None,
    chapter: str | None,
    year: int | None,
    page_from: int | None,
    page_to: int | None,
    as_json: bool,
) -> None:
    """Search every volume for QUERY and print the hits with their place.

    Words must all match; "quoted phrases" match exactly; OR joins
    alternatives; -word excludes.  Traditional and simplified characters,
    full- and half-width forms match each other.  Matches are shown
    between 【 and 】.  Quote a query of several words for the shell.

    \b
    Examples:
      fangzhi search 汝瓷
      fangzhi search '"汝瓷文化" OR 钧瓷 -宝丰' --kind entry --page-from 200
      fangzhi search 2023年地区生产总值 --volume pingdingshan-yearbook-2024 --json
    """
    with open_existing(db) as kb:
        result = kb.search(
            query,
            limit=limit,
            offset=offset,
            volume=volume,
            kind=kind,
            chapter=chapter,
            year=year,
            page_from=page_from,
            page_to=page_to,
        )
    if as_json:
        echo_json(result.to_dict())
        return
    _print_result(result)


def _print_result(result: SearchResult) -> None:
    shown = f"{result.offset + 1}-{result.offset + len(result.hits)}" if result.hits else "0"
    click.echo(f"{counted(result.total, 'hit')} for {result.query} (showing {shown})")
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        page = f"p{hit.page}" if hit.page is not None else "p?"
        click.echo(f"{number}. [{hit.kind}] {hit.volume} {page} L{hit.line_start}  {hit.path or hit.title or ''}")
        snippet = Snippet(hit.snippet_text, hit.highlights).marked(MARK_OPEN, MARK_CLOSE, escape=False)
        click.echo(f"   {snippet}")
        click.echo(f"   id: {hit.id}")
    for name, counts in result.facets.items():
        if counts:
            top = ", ".join(f"{value} {count}" for value, count in list(counts.items())[:8])
            more = f", … ({len(counts)} values)" if len(counts) > 8 else ""
            click.echo(f"{name}: {top}{more}")
