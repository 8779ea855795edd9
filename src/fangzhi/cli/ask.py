"""The ``ask`` command: a question in Chinese, an answer with the page it is printed on."""

from __future__ import annotations

import click

from fangzhi.cli.common import command, db_option, echo_json, open_existing, reports_errors
from fangzhi.services.ask import Answer


@command
@click.command()
@click.argument("question")
@db_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON: question, kind, answer, value, unit, not_found, citations, alternatives.",
)
@reports_errors
def ask(question: str, db: str, as_json: bool) -> None:
    """Answer QUESTION from the knowledge base and cite where the answer is printed.

    Ask as you would ask a person: 2023年全市地区生产总值是多少？
    谁被任命为市教育局局长？ 《…条例》什么时候开始施行？
    When the volumes do not hold the answer, it says so instead of guessing.
    """
    with open_existing(db) as kb:
        answer = kb.ask(question)
    if as_json:
        echo_json(answer.to_dict())
        return
    _print_answer(answer)


def _print_answer(answer: Answer) -> None:
    if answer.not_found:
        click.echo("这些卷册中没有找到答案。 (not found in these volumes)")
        return
    click.echo(answer.answer)
    for citation in answer.citations:
        page = f"第{citation.page}页 " if citation.page is not None else ""
        source = citation.volume_title or citation.volume
        click.echo(
            f"  {source} {page}{citation.title or ''} (lines {citation.line_start}-{citation.line_end}, {citation.node})"
        )
        click.echo(f"  「{citation.quote}」")
    for alternative in answer.alternatives:
        click.echo(f"另有记载: {alternative.answer}")
        for citation in alternative.citations:
            page = f"第{citation.page}页 " if citation.page is not None else ""
            click.echo(
                f"  {citation.volume_title or citation.volume} {page}(lines {citation.line_start}-{citation.line_end})"
            )
