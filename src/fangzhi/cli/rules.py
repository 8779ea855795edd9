"""Rules that run: ``rules`` (list, ``funding``), ``alert`` and ``targets``."""

from __future__ import annotations

from typing import Any

import click

from fangzhi.cli.common import FiniteFloatRange, command, db_option, echo_json, open_existing, reports_errors
from fangzhi.text.plural import counted

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
plan_option = click.option(
    "--plan", help="The plan's 文号 (any bracket style), rule set id or words of its title; default: the one in force."
)


def _where(citation: dict[str, Any] | None) -> str:
    if not citation:
        return ""
    section = f"{citation['section']} " if citation.get("section") else ""
    return f"[{section}line {citation['line']}]"


@command
@click.group(invoke_without_command=True)
@db_option
@json_option
@click.pass_context
@reports_errors
def rules(context: click.Context, db: str, as_json: bool) -> None:
    """List the rule sets read from the documents: alert plans and funding standards.

    Each rule set is read from the text of a plan (levels, thresholds,
    rates, splits), never built in; see docs/rules.md.  Subcommands run
    them: `fangzhi rules funding`; `fangzhi alert` runs an alert plan.
    """
    if context.invoked_subcommand is not None:
        return
    with open_existing(db) as kb:
        found = kb.rule_sets()
    if as_json:
        echo_json([rule_set.to_dict() for rule_set in found])
        return
    if not found:
        click.echo("no rule sets found; ingest a plan (重污染天气应急预案, a funding standard) first")
        return
    for rule_set in found:
        row = rule_set.to_dict()
        repealed = f"  (repealed by {row['repealed_by']})" if row["repealed_by"] else ""
        click.echo(
            f"{row['doc_no'] or '（无文号）'}  {row['plan_title']}  {row['date'] or ''}  [{row['type_label']}]{repealed}"
        )
        click.echo(f"  {row['summary']}")
        click.echo(f"  id: {row['id']}  volume: {row['volume']}  line {row['line']}")
        for warning in row["warnings"]:
            click.echo(f"  warning: line {warning['line']}: {warning['message']}")


def _group_db(context: click.Context, db: str) -> str:
    """``fangzhi rules --db X funding`` means X, as ``fangzhi rules funding --db X`` does."""
    if context.get_parameter_source("db") is click.core.ParameterSource.DEFAULT and context.parent is not None:
        return context.parent.params.get("db") or db
    return db


@rules.command("funding")
@db_option
@click.option("--county-road-km", type=FiniteFloatRange(min=0), help="Kilometres of 县道 (county roads).")
@click.option("--township-road-km", type=FiniteFloatRange(min=0), help="Kilometres of 乡道 (township roads).")
@click.option("--village-road-km", type=FiniteFloatRange(min=0), help="Kilometres of 村道 (village roads).")
@plan_option
@json_option
@click.pass_context
@reports_errors
def funding(
    context: click.Context,
    db: str,
    county_road_km: float | None,
    township_road_km: float | None,
    village_road_km: float | None,
    plan: str | None,
    as_json: bool,
) -> None:
    """The minimum annual maintenance money for road lengths, and each level's share, cited.

    Rates per kilometre and year and the split between levels of
    government are those of the funding standard read from the documents.
    """
    db = _group_db(context, db)
    lengths = {"county_road": county_road_km, "township_road": township_road_km, "village_road": village_road_km}
    with open_existing(db) as kb:
        result = kb.funding(lengths, plan=plan).to_dict()
    if as_json:
        echo_json(result)
        return
    plan_row = result["plan"]
    floor = f"（{result['minimum_as_printed']}）" if result["minimum_as_printed"] else ""
    click.echo(f"{result['total']:,} {result['unit']} a year{floor}: {result['subject']}")
    click.echo(f"plan: {plan_row['title']} {plan_row['doc_no'] or ''}")
    for line in result["lines"]:
        click.echo(
            f"  {line['label']} {line['km']:g} km × {line['yuan_per_km_year']:,} 元 = {line['amount']:,} 元"
            f"  ({line['as_printed']})"
        )
    for share in result["shares"]:
        click.echo(
            f"  {share['label']} {share['ratio']}/{sum(part['ratio'] for part in result['shares'])}: {share['amount']:,} 元"
        )
    for clause in result["clauses"]:
        click.echo(f"{clause['role']} {_where(clause)}: {clause['text']}")
    for warning in result["warnings"]:
        click.echo(f"warning: {warning['message']}")


@command
@click.command()
@db_option
@click.option("--forecast", required=True, help="Daily AQI forecasts, today first: 160,210,220 (ranges: 180-220).")
@plan_option
@json_option
@reports_errors
def alert(db: str, forecast: str, plan: str | None, as_json: bool) -> None:
    """The alert a daily AQI forecast triggers under the heavy-pollution plan read from the documents.

    Prints the level (none, yellow, orange, red), the response level, the
    emission cuts, the measures and responsible units of that level and
    every clause applied, each with its section and line.
    """
    with open_existing(db) as kb:
        result = kb.alert(forecast, plan=plan).to_dict()
    if as_json:
        echo_json(result)
        return
    _print_alert(result)


def _print_alert(result: dict[str, Any]) -> None:
    plan = result["plan"]
    if result["level"] == "none":
        click.echo("level: none (no alert)")
    else:
        click.echo(
            f"level: {result['level']} ({result['level_label']}), response level {result['response_level'] or '?'}"
        )
    click.echo(f"plan: {plan['title']} {plan['doc_no'] or ''}")
    click.echo(f"forecast: {', '.join(result['forecast_as_given'])}")
    for evaluation in result["evaluations"]:
        holds = {True: "holds", False: "not met", None: "cannot tell"}[evaluation["holds"]]
        click.echo(
            f"  {evaluation['label']}预警 {holds} {_where(evaluation['citation'])}: {evaluation['citation']['text']}"
        )
    if result["emission_cuts"]:
        cuts = ", ".join(f"{cut['pollutant']} {cut['operator']}{cut['percent']}%" for cut in result["emission_cuts"])
        click.echo(f"emission cuts: {cuts}")
    for group in result["measures"]:
        inherited = " (inherited)" if group["inherited"] else ""
        click.echo(f"measures {group['response_level']} {group['title']}{inherited} {_where(group['citation'])}")
        for item in group["items"]:
            who = "、".join(item["units"] or item["actors"]) or "—"
            click.echo(f"  {item['category'] or ''} {who} {_where(item['citation'])}")
    if result["responsible_units"]:
        click.echo("responsible units:")
        for unit in result["responsible_units"]:
            lines = ", ".join(str(measure["line"]) for measure in unit["measures"])
            duties = f" — {unit['duties']}" if unit["duties"] else ""
            click.echo(f"  {unit['unit']} (lines {lines}){duties}")
    click.echo("clauses applied:")
    for clause in result["clauses"]:
        text = clause.get("text") or clause.get("note") or ""
        click.echo(f"  {clause['role']} {_where(clause) if 'line' in clause else ''} {text}".rstrip())
    for warning in result["warnings"]:
        click.echo(f"warning: line {warning['line']}: {warning['message']}")


@command
@click.command()
@db_option
@click.option("--owner", help="Only targets owned by a body whose name contains this (市卫生健康委).")
@click.option("--status", type=click.Choice(["met", "not_met", "unknown"]), help="Only targets with this status.")
@click.option("--deadline-from", help="Only deadlines on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--deadline-to", help="Only deadlines up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--volume", help="Only targets read from this volume.")
@json_option
@reports_errors
def targets(
    db: str,
    owner: str | None,
    status: str | None,
    deadline_from: str | None,
    deadline_to: str | None,
    volume: str | None,
    as_json: bool,
) -> None:
    """The targets register: dated targets and commitments with owners and status, by deadline.

    Status is met or not_met when an indicator figure for the same indicator
    and year is in the knowledge base, unknown otherwise.  For every column,
    use `fangzhi export --kind targets`.
    """
    with open_existing(db) as kb:
        rows = [
            target.row()
            for target in kb.targets(
                owner=owner, status=status, deadline_from=deadline_from, deadline_to=deadline_to, volume=volume
            )
        ]
    if as_json:
        echo_json(rows)
        return
    click.echo(counted(len(rows), "target"))
    for row in rows:
        value = ""
        if row["target_value"] is not None:
            upper = f"-{row['target_value_upper']}" if row["target_value_upper"] is not None else ""
            value = f" {row['comparison'] or ''} {row['target_value']}{upper}{row['unit'] or ''}"
        scope = f" [{row['scope']}]" if row["scope"] else ""
        click.echo(
            f"{row['deadline'] or 'no deadline'}  {row['indicator_as_printed']}{value}{scope}  ({row['status']})"
        )
        click.echo(f"  owners: {'、'.join(row['owners']) or '—'}  {row['volume']} line {row['line']}")
