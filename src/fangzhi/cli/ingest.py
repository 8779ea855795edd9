"""Commands that fill and read out the knowledge base: ingest, stats, export."""

from __future__ import annotations

import sys
import time

import click

from fangzhi.cli.common import (
    command,
    db_option,
    echo_json,
    open_existing,
    output_file,
    refuse_overwriting_knowledge_base,
    reports_errors,
)
from fangzhi.errors import StrictIngestError
from fangzhi.ingest import FAILED, UNCHANGED, FileOutcome, ingest_distributed, text_files
from fangzhi.knowledge_base import open_knowledge_base, volume_ids_for
from fangzhi.parse.kinds import KINDS
from fangzhi.services.exports import FORMATS, coverage_line, export_kinds, render, warning_line
from fangzhi.services.low_coverage import low_coverage_message
from fangzhi.store import is_database_url
from fangzhi.text.plural import counted
from fangzhi.text.source import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_CHARACTERS, MEGABYTE, InputLimits


@command
@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--volume-id", help="Store under this id instead of the file name (one file only).")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="Read the files as this kind instead of the one detected from their text.",
)
@click.option(
    "--year",
    type=click.IntRange(1000, 9999),
    help="The volume's year when the text does not give it or gives it wrong: a yearbook's edition year "
    "(its 大事记 is then read in the year before), a gazette's or a chronicle's year.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: a file read with warnings is not stored.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_MAX_BYTES / MEGABYTE,
    show_default=True,
    metavar="MB",
    help="Refuse a file larger than this many megabytes.",
)
@click.option(
    "--max-line-length",
    type=click.IntRange(1),
    default=DEFAULT_MAX_LINE_CHARACTERS,
    show_default=True,
    metavar="CHARACTERS",
    help="Refuse a file with a longer line (a text that lost its line breaks).",
)
@click.option(
    "--workers",
    type=click.IntRange(0),
    metavar="N",
    help="Parse on N local dask workers, one process each (0: in this process).  "
    "Default: one per core for several files into PostgreSQL, in this process otherwise.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:8786",
    help="Parse on the workers of a running dask scheduler (they must reach the files and the database).",
)
@click.option("--force", is_flag=True, help="With workers: ingest again files whose volume is stored unchanged.")
@reports_errors
def ingest(
    paths: tuple[str, ...],
    db: str,
    volume_id: str | None,
    kind: str | None,
    year: int | None,
    quiet: bool,
    strict: bool,
    max_size: float,
    max_line_length: int,
    workers: int | None,
    scheduler: str | None,
    force: bool,
) -> None:
    """Read yearbooks, gazettes, chronicles and other documents into the knowledge base.

    PATHS are files, or folders whose *.txt files (at any depth) are read.
    The kind of each file is detected from its text (override it with
    --kind).  After each file, a line says how much of its text was read as
    structure and what was found.  Re-ingesting a file replaces its volume;
    a file that fails leaves the knowledge base as it was and the others are
    stored.  Every warning is printed; with --strict a file with warnings is
    not stored and the exit status is 1.  Two files that would get the same
    volume id are refused before anything is stored.  PATHS are text files
    (UTF-8, UTF-16 or GB18030) or PDFs with a text layer, or folders whose
    .txt and .pdf files (at any depth) are read.

    With dask workers (--workers N, --scheduler, or by default for several
    files into a postgresql:// database) each file is parsed and stored by a
    worker in its own transaction; files whose volume is already stored from
    the same bytes are skipped (--force ingests them again), so an interrupted
    run can simply be started again.

    \b
    Examples:
      fangzhi ingest sample/*.txt --db fangzhi.db
      fangzhi ingest book.pdf --kind yearbook --year 2024
      fangzhi ingest chronicle.txt --volume-id county-chronicle-1998 --year 1998 --strict
      fangzhi ingest /data/yearbooks --db postgresql://fangzhi@dbhost/fangzhi --workers 8
    """
    paths = tuple(dict.fromkeys(text_files(paths)))
    if not paths:
        raise click.UsageError("no files to ingest: the folders given hold no .txt or .pdf files")
    if volume_id and len(paths) > 1:
        raise click.UsageError("--volume-id needs exactly one file")
    if workers is not None and scheduler:
        raise click.UsageError("give --workers or --scheduler, not both")
    volume_ids_for(paths, volume_id)
    limits = InputLimits(max_bytes=int(max_size * MEGABYTE), max_line_characters=max_line_length)
    if scheduler or (workers or 0) > 0 or (workers is None and is_database_url(db) and len(paths) > 1):
        _ingest_on_workers(db, paths, workers, scheduler, force, volume_id, strict, limits, quiet, kind, year)
        return
    kb = open_knowledge_base(db)
    failures = 0
    stored = 0
    path = paths[0]
    try:
        with kb:
            for number, path in enumerate(paths, start=1):
                started = time.perf_counter()

                def progress(message: str, number: int = number) -> None:
                    if not quiet:
                        click.echo(f"[{number}/{len(paths)}] {message}", err=True)

                try:
                    result = kb.ingest(
                        path, volume_id=volume_id, progress=progress, strict=strict, limits=limits, kind=kind, year=year
                    )
                except StrictIngestError as error:
                    failures += 1
                    _echo_warnings(path, error.warnings)
                    click.echo(f"Error: {error}", err=True)
                    continue
                except Exception as error:  # noqa: BLE001 - one bad file must not stop the others
                    failures += 1
                    message = str(error) if str(error).startswith(path) else f"{path}: {error}"
                    click.echo(f"Error: {message}", err=True)
                    continue
                stored += 1
                if not quiet:
                    verb = "replaced" if result.replaced else "ingested"
                    click.echo(
                        f"{verb} {result.volume.id} ({result.volume.kind}, {result.volume.title}): "
                        f"{counted(result.nodes, 'node')}, {counted(result.facts, 'fact')}, "
                        f"{counted(len(result.warnings), 'warning')} "
                        f"in {time.perf_counter() - started:.2f}s"
                        + (f" (it was read from {result.replaced_source})" if result.replaced_source else "")
                    )
                    if result.coverage is not None:
                        click.echo(f"  {coverage_line(result.coverage.to_dict())}")
                    _echo_warnings(path, result.warnings)
    except KeyboardInterrupt:
        before = f"; the files read before it ({stored}) are stored" if stored else ""
        click.echo(f"Error: {path}: interrupted; not stored, the knowledge base keeps what it had{before}", err=True)
        sys.exit(130)
    if failures:
        sys.exit(1)


def _ingest_on_workers(
    db: str,
    paths: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    force: bool,
    volume_id: str | None,
    strict: bool,
    limits: InputLimits,
    quiet: bool,
    kind: str | None,
    year: int | None,
) -> None:
    """Parse and store every file on dask workers, printing each outcome as it comes and the progress."""

    def outcome(done: FileOutcome) -> None:
        if done.status == FAILED:
            _echo_warnings(done.path, done.warning_messages)
            click.echo(f"Error: {done.error}", err=True)
            return
        if quiet:
            return
        if done.status == UNCHANGED:
            click.echo(f"unchanged {done.volume_id} ({done.kind}, {done.title}): the stored volume has the same source")
            return
        click.echo(
            f"{done.status} {done.volume_id} ({done.kind}, {done.title}): {counted(done.nodes, 'node')}, "
            f"{counted(done.facts, 'fact')}, {counted(done.warnings, 'warning')} in {done.seconds:.2f}s on worker {done.worker}"
            + (f" (it was read from {done.replaced_source})" if done.replaced_source else "")
        )
        if done.coverage is not None:
            click.echo(f"  {coverage_line(done.coverage)}")
        _echo_warnings(done.path, done.warning_messages)

    def progress(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    report = ingest_distributed(
        db,
        list(paths),
        workers=workers,
        scheduler=scheduler,
        force=force,
        volume_id=volume_id,
        strict=strict,
        limits=limits,
        kind=kind,
        year=year,
        progress=progress,
        on_outcome=outcome,
    )
    if not quiet:
        click.echo(
            f"{report.stored} stored, {report.count(UNCHANGED)} unchanged, {len(report.failed)} failed "
            f"in {report.seconds:.1f}s on {counted(report.workers, 'worker')} "
            f"({report.stored / report.seconds * 60 if report.seconds else 0:.1f} volumes/min)"
        )
    if report.failed:
        sys.exit(1)


def _echo_warnings(path: str, warnings: list) -> None:  # type: ignore[type-arg]
    for warning in warnings:
        click.echo(f"Warning: {path}: {warning}", err=True)


@command
@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--volume", "volume_id", help="Only this volume.")
@click.option(
    "--limit", type=click.IntRange(min=1), help="At most this many volumes (in id order); every volume by default."
)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many volumes first (with --limit).")
@reports_errors
def stats(db: str, as_json: bool, volume_id: str | None, limit: int | None, offset: int) -> None:
    """Counts per volume: chapters, sections, entries, pages, events, tables, captions, facts."""
    with open_existing(db) as kb:
        rows = kb.stats(limit=limit, offset=offset, volume=volume_id)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        about = ", ".join(str(part) for part in (row["kind"], row["title"], row["year"]) if part is not None)
        click.echo(f"{row['volume']} ({about})")
        for key, value in row.items():
            if key not in ("volume", "kind", "title", "year", "coverage", "warnings") and value:
                click.echo(f"  {key:<20} {value}")
        if row.get("coverage"):
            click.echo(f"  {coverage_line(row['coverage'])}")
        low = low_coverage_message(row.get("coverage"))
        if low is not None:
            click.echo(f"  LOW COVERAGE: {low}")
        for warning in row.get("warnings") or []:
            if low is None or warning.get("code") != "low_coverage":
                click.echo(f"  warning: {warning_line(warning)}")


@command
@click.command()
@db_option
@click.option(
    "--kind",
    "kind",
    type=click.Choice([*export_kinds(), "tei"]),
    help="What to export; tei is one volume as TEI P5 XML (with --volume).",
)
@click.option(
    "--format",
    "format",
    default="jsonl",
    show_default=True,
    type=click.Choice([*FORMATS, "sqlite"]),
    help="sqlite writes every kind to one SQLite file for Datasette (with --out), and metadata.json beside it.",
)
@click.option("--volume", "volume_id", help="The volume to export (for --kind tei).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write to this file instead of standard output; it is written whole or not at all.",
)
@click.pass_context
@reports_errors
def export(
    context: click.Context, db: str, kind: str | None, format: str, volume_id: str | None, out: str | None
) -> None:
    """Write every record of one kind, one volume as TEI, or everything as a Datasette-ready SQLite file.

    Rows name their volume and, where they have them, their node, printed
    page and source lines (the registers people, organizations and places
    span volumes); lists and objects are JSON text inside CSV cells.  TEI,
    Datasette and citation formats: docs/exports.md.

    \b
    Examples:
      fangzhi export --kind entries --format csv --out entries.csv
      fangzhi export --kind tei --volume pingdingshan-yearbook-2024 --out yearbook.xml
      fangzhi export --format sqlite --out site/fangzhi.db
    """
    format_given = context.get_parameter_source("format") is not click.core.ParameterSource.DEFAULT
    if out is not None:
        refuse_overwriting_knowledge_base(out, db)
    if format == "sqlite":
        if not out:
            raise click.UsageError("--format sqlite needs --out FILE.db")
        if kind is not None or volume_id is not None:
            raise click.UsageError("--format sqlite writes every kind of every volume; leave out --kind and --volume")
        with open_existing(db) as kb:
            written = kb.export_datasette(out, progress=lambda message: click.echo(message, err=True))
        rows, tables = counted(sum(written.tables.values()), "row"), counted(len(written.tables), "table")
        click.echo(f"wrote {rows} in {tables} to {written.database}")
        click.echo(f"open it with: {written.command()}")
        return
    if kind is None:
        raise click.UsageError("--kind is required (or --format sqlite for every kind)")
    if kind == "tei" and not volume_id:
        raise click.UsageError("--kind tei needs --volume ID (one TEI document per volume)")
    if kind == "tei" and format_given:
        raise click.UsageError("--kind tei is always TEI XML; leave out --format")
    if kind != "tei" and volume_id is not None:
        raise click.UsageError(
            f"--volume is for --kind tei; --kind {kind} exports every volume (each row names its volume)"
        )
    with open_existing(db) as kb, output_file(out) as output:
        if kind == "tei":
            output.write(kb.export_tei(volume_id or ""))
            return
        for chunk in render(kb.export(kind), format):
            output.write(chunk)
