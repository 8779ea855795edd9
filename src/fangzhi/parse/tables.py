"""Tables flattened column by column, rebuilt as rows.

PDF extraction writes a table one cell per line, column after column: the
header, then every value of that column, then the next header.  Every column
has the same number of cells, so the columns can be cut apart by count and
zipped back into rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.text.normalize import squeeze_spaces

TABLE_CAPTION = re.compile(r"^表\s*\d{1,2}\s*\S")
_NUMBER = re.compile(r"^[#＃]?[-+－—]?\d[\d,.]*%?$|^[-－—]$")
_UNIT_HEADER = re.compile(r"^[（(][^（）()]{1,8}[）)]$")


@dataclass
class RebuiltTable:
    columns: list[str]
    rows: list[list[str]]
    lines_used: int


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell))


def is_cell(text: str) -> bool:
    """Could this line be a table cell: short, and no sentence punctuation."""
    stripped = squeeze_spaces(text)
    return 0 < len(stripped) <= 30 and not re.search(r"[，。；：！？]", stripped)


def rebuild_columns(cells: list[str]) -> RebuiltTable | None:
    """Cut a column-major run of cells into columns of equal length.

    Tries every column length; a header may take a second line when it is a
    unit in parentheses (``年末余额`` / ``（亿元）``).  A cut is valid when it
    uses every cell, every header is text, and each column is either all
    numbers or mostly text; the longest valid columns win.
    """
    best: RebuiltTable | None = None
    for length in range(2, len(cells)):
        table = _cut(cells, length)
        if table and (best is None or length > len(best.rows)):
            best = table
    return best


def _cut(cells: list[str], length: int) -> RebuiltTable | None:
    position = 0
    headers: list[str] = []
    columns: list[list[str]] = []
    while position < len(cells):
        header = cells[position]
        if is_number(header):
            return None
        position += 1
        if position < len(cells) and _UNIT_HEADER.match(cells[position]) and len(cells) - position - 1 >= length:
            rest = len(cells) - position - 1
            if rest % (length + 1) == 0 or rest == length:
                header += cells[position]
                position += 1
        values = cells[position : position + length]
        if len(values) < length:
            return None
        headers.append(header)
        columns.append(values)
        position += length
    if len(columns) < 2:
        return None
    for values in columns[1:]:
        numeric = sum(1 for value in values if is_number(value))
        if numeric != len(values) and numeric / len(values) > 0.2:
            return None
    if all(sum(1 for value in values if is_number(value)) == 0 for values in columns):
        return None
    rows = [list(row) for row in zip(*columns, strict=True)]
    return RebuiltTable(columns=headers, rows=rows, lines_used=len(cells))
