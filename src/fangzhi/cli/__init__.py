"""The ``fangzhi`` command: a thin click layer over :class:`fangzhi.KnowledgeBase`.

Each command opens the knowledge base, makes one library call and formats the
result.  Library errors become a one-line message and exit code 1.
"""

from __future__ import annotations

import click

from fangzhi import __version__
from fangzhi.cli.common import COMMANDS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fangzhi")
def main() -> None:
    """fangzhi: local yearbooks and government gazettes as a cited, searchable knowledge base."""


def _register() -> None:
    from fangzhi.cli import (
        ask,  # noqa: F401  (each module registers its commands)
        check,  # noqa: F401
        cite,  # noqa: F401
        index,  # noqa: F401
        ingest,  # noqa: F401
        migrate,  # noqa: F401
        rules,  # noqa: F401
        search,  # noqa: F401
        serve,  # noqa: F401
        timeline,  # noqa: F401
    )

    for command in COMMANDS:
        main.add_command(command)


_register()
