"""Reference data shipped with fangzhi: word lists, unit tables, division codes.

Every file here is read through these three functions, so that a reader
never has to know how a file is packaged (plain or gzip) and every table
follows one convention: tab-separated rows, ``#`` comment lines and blank
lines skipped.  Callers cache what they build from the data.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from typing import Any

__all__ = ["read_json", "read_table", "read_text"]


def read_text(name: str) -> str:
    """The text of a data file; a ``.gz`` file is decompressed."""
    resource = resources.files(__name__).joinpath(name)
    if name.endswith(".gz"):
        return gzip.decompress(resource.read_bytes()).decode("utf-8")
    return resource.read_text(encoding="utf-8")


def read_json(name: str) -> Any:
    return json.loads(read_text(name))


def read_table(name: str) -> list[list[str]]:
    """The rows of a tab-separated table, without comment and blank lines."""
    return [line.split("\t") for line in read_text(name).splitlines() if line and not line.startswith("#")]
