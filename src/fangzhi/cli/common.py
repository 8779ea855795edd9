"""What every command shares: the --db option, error handling and output."""

from __future__ import annotations

import functools
import json
import os
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


DEBUG_VARIABLE = "FANGZHI_DEBUG"


def reports_errors(function: F) -> F:
    """Turn errors into one line on stderr and exit code 1, never a traceback.

    fangzhi's own errors say what to do; anything else is a bug, reported in
    one line too unless ``FANGZHI_DEBUG=1`` asks for the traceback.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except FangzhiError as error:
            raise click.ClickException(str(error)) from None
        except BrokenPipeError:
            sys.stderr.close()
            return None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get(DEBUG_VARIABLE):
                raise
            raise click.ClickException(
                f"unexpected {type(error).__name__}: {error} (a bug in fangzhi; run with {DEBUG_VARIABLE}=1 to see where)"
            ) from None

    return wrapper  # type: ignore[return-value]


def open_existing(db: str) -> KnowledgeBase:
    """Open a knowledge base for reading only: nothing is created, migrated or written, whatever the command."""
    return open_knowledge_base(db, create=False, read_only=True)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
