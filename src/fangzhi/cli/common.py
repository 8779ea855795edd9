"""What every command shares: the --db option, error handling and output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from fangzhi.errors import FangzhiError
from fangzhi.knowledge_base import KnowledgeBase, open_knowledge_base

COMMANDS: list[click.Command] = []

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "fangzhi.db"

db_option = click.option(
    "--db",
    "db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The knowledge base file (SQLite).",
)


def command(function: F) -> F:
    """Register a click command with the main group."""
    COMMANDS.append(function)  # type: ignore[arg-type]
    return function


def reports_errors(function: F) -> F:
    """Turn fangzhi's errors into one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except FangzhiError as error:
            raise click.ClickException(str(error)) from None
        except BrokenPipeError:
            sys.stderr.close()
            return None

    return wrapper  # type: ignore[return-value]


def open_existing(db: str) -> KnowledgeBase:
    return open_knowledge_base(db, create=False)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
