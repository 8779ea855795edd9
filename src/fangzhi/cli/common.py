"""What every command shares: the --db option, error handling and output."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

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
    metavar="FILE|URL",
    help="The knowledge base: an SQLite file, or a PostgreSQL database as postgresql://user@host/dbname.",
)


class FiniteFloatRange(click.FloatRange):
    """A float range that refuses ``inf``, ``nan`` and numbers too large for a float (``1e400``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


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


def open_existing(db: str, pool_size: int | None = None) -> KnowledgeBase:
    """Open a knowledge base for reading only: nothing is created, migrated or written, whatever the command."""
    return open_knowledge_base(db, create=False, read_only=True, pool_size=pool_size)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def refuse_overwriting_knowledge_base(out: str, db: str) -> None:
    """An export written over its own knowledge base would destroy it: refuse before anything is opened."""
    if Path(out).resolve() == Path(db).resolve():
        raise click.ClickException(
            f"{out}: is the knowledge base itself (--db); writing the export there would destroy it; "
            "choose another --out"
        )


@contextlib.contextmanager
def output_file(out: str | None) -> Iterator[IO[str]]:
    """Standard output, or ``out`` written whole or not at all.

    The text goes to a ``.part`` file beside ``out`` that replaces it only
    when everything was written, so an export that fails (an unknown volume,
    a full disk, Ctrl+C) leaves no empty or half-written file behind and an
    older file of that name untouched.
    """
    if out is None:
        with click.open_file("-", "w", encoding="utf-8") as standard_output:
            yield standard_output
        return
    folder = Path(out).parent
    if not folder.is_dir():
        raise click.ClickException(
            f"{out}: the folder {folder} does not exist; create it first or choose another --out"
        )
    partial = Path(f"{out}.{os.getpid()}.part")
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(partial, out)
    except OSError as error:
        raise click.ClickException(f"{out}: cannot write the file ({error.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)
