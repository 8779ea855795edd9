"""Write docs/cli.md from the commands' own --help, so the reference cannot drift.

Run: python scripts/cli_reference.py   (tests/test_docs.py checks the file is current)
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from fangzhi.cli import main

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = ["# CLI reference\n", "Generated from `--help` by `scripts/cli_reference.py`; do not edit by hand.\n"]
    parts.append("```\n" + runner.invoke(main, ["--help"], prog_name="fangzhi", terminal_width=100).output + "```\n")
    for name in sorted(main.commands):
        command = main.commands[name]
        subcommands = sorted(command.commands) if isinstance(command, click.Group) else []
        for words in [[name], *([name, sub] for sub in subcommands)]:
            output = runner.invoke(main, [*words, "--help"], prog_name="fangzhi", terminal_width=100).output
            parts.append(f"## fangzhi {' '.join(words)}\n\n```\n{output}```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
