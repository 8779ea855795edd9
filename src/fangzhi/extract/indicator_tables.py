"""Figures in rebuilt tables: every numeric cell with its row and column headers.

A statistical table says what a cell measures in three places: the row label
(原煤, #火力发电量), the column header (产量, 比上年增长（%）, 年末余额（亿元）)
and the caption (表2 2023年规模以上工业主要产品产量及增长速度: the year, the
scope).  A 单位 column gives each row its unit.  Rows marked ``#`` are parts
of the row above them, kept as ``parent_row`` so totals can be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.extract.indicator_terms import Unit, in_base_unit, unit_table
from fangzhi.extract.indicator_text import normalise_indicator
from fangzhi.model import Node, TableAttributes
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

_NUMBER_CELL = re.compile(r"^[-－]?\d+(?:\.\d+)?$")
_ROW_NUMBERING = re.compile(r"^(?:[#＃]+|[一二三四五六七八九十]+、|\d+[.、．]|其中[:：]?)")
_PARENTHESISED = re.compile(r"[（(]([^（）()]+)[）)]")
_GROWTH_HEADER = re.compile(r"增长|增速|增幅|比上年|同比|比年初|比上年末")
_INDEX_HEADER = re.compile(r"=\s*100")
_SKIP_HEADER = re.compile(r"^(序号|编号|排名|排序|代码)$")
_GENERIC_VALUE_HEADER = re.compile(r"^(绝对数|总量|数值|数量|指标值|本年|本期|合计|实绩|完成|金额|\d{4}年)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_MEASURE_ENDINGS = ("量", "额", "值", "数", "率", "积", "入", "出", "余额", "产量")


@dataclass
class TableCell:
    """A numeric cell, resolved: what it measures and how it is printed."""

    row: int
    column: int
    row_label: str
    column_label: str
    value_as_printed: str
    number: float
    unit: str
    base_value: float | None
    base_unit: str
    dimension: str
    kind: str
    indicator: str
    indicator_as_printed: str
    period: str
    scope: str
    qualifier: str | None
    decimals: int
    parent_row: int | None
    line: int


def table_grid(node: Node) -> tuple[list[str], list[list[str]]]:
    """The header cells and rows of a table node (the one place that knows how a table node stores them)."""
    attributes = TableAttributes.of(node)
    return list(attributes.columns), [list(row) for row in attributes.rows]


def table_cells(node: Node, source: SourceText, year: int | None) -> list[TableCell]:
    """Every numeric cell of a table node, in row order."""
    columns, rows = table_grid(node)
    if len(columns) < 2 or not rows:
        return []
    caption = squeeze_spaces(node.title or "")
    year_match = _YEAR.search(caption)
    table_year = int(year_match.group(1)) if year_match else year
    year_text = f"{table_year}年" if table_year else ""
    caption_period = f"{year_text}末" if re.search(r"年末|年底|末余额", caption) else year_text
    table_unit = _unit_in(caption)
    unit_column = next((i for i, name in enumerate(columns) if squeeze_spaces(name) == "单位"), None)
    label_column = 0
    measure = _measure(columns, {label_column, unit_column})
    lines = _cell_lines(node, source, columns, rows)
    cells: list[TableCell] = []
    parent: tuple[int, str] | None = None
    scope = "规模以上" if "规模以上" in caption or "规上" in caption else ""
    for row_index, row in enumerate(rows):
        raw_label = squeeze_spaces(row[label_column])
        is_part = raw_label.startswith(("#", "＃"))
        label = _ROW_NUMBERING.sub("", raw_label).strip()
        if not is_part:
            parent = (row_index, label)
        row_unit = _unit_named(row[unit_column]) if unit_column is not None else None
        for column_index, cell in enumerate(row):
            if column_index in (label_column, unit_column):
                continue
            header = squeeze_spaces(columns[column_index])
            if _SKIP_HEADER.match(header):
                continue
            text = squeeze_spaces(cell).replace("－", "-")
            if not _NUMBER_CELL.match(text):
                continue
            number = float(text)
            header_unit = _unit_in(header)
            growth = bool(_GROWTH_HEADER.search(header))
            index = bool(_INDEX_HEADER.search(header))
            if growth:
                unit = header_unit if header_unit and header_unit.dimension != "percent" else _percent()
                kind = "growth"
            elif index:
                unit = Unit(header, header, 1.0, "index", "level")
                kind = "level"
            else:
                unit = header_unit or row_unit or table_unit or Unit("", "", 1.0, "number", "level")
                kind = "share" if unit.dimension in ("percent", "permille") else unit.kind
            name = label
            if is_part and len(label) <= 3 and parent is not None:
                name = f"{parent[1]}（{label}）"
            if measure and not name.endswith(_MEASURE_ENDINGS) and not name.endswith(measure):
                name = f"{name}{measure}"
            period = caption_period
            if "年末" in header or "末余额" in header:
                period = f"{year_text}末"
            decimals = len(text.split(".")[1]) if "." in text else 0
            cells.append(
                TableCell(
                    row=row_index + 1,
                    column=column_index + 1,
                    row_label=raw_label,
                    column_label=header,
                    value_as_printed=text + (unit.name if unit.dimension not in ("index", "number") else ""),
                    number=number,
                    unit=unit.name,
                    base_value=in_base_unit(number, unit),
                    base_unit=unit.base,
                    dimension=unit.dimension,
                    kind=kind,
                    indicator=normalise_indicator(name),
                    indicator_as_printed=raw_label,
                    period=period,
                    scope=scope,
                    qualifier=("下降" if number < 0 else "增长") if growth else None,
                    decimals=decimals,
                    parent_row=parent[0] + 1 if is_part and parent is not None else None,
                    line=lines.get((row_index, column_index), node.line_start),
                )
            )
    return cells


def _measure(columns: list[str], skipped: set[int | None]) -> str:
    """What the value columns measure when a header names it (产量), for every cell of the row."""
    for index, header in enumerate(columns):
        name = _PARENTHESISED.sub("", squeeze_spaces(header))
        if (
            index in skipped
            or _SKIP_HEADER.match(name)
            or _GROWTH_HEADER.search(header)
            or _INDEX_HEADER.search(header)
        ):
            continue
        name = re.sub(r"^(年末|年底|本年|全年)", "", name)
        return "" if not name or _GENERIC_VALUE_HEADER.match(name) else name
    return ""


def _percent() -> Unit:
    unit = unit_table().unit("%")
    assert unit is not None
    return unit


def _unit_named(text: str) -> Unit | None:
    return unit_table().unit(squeeze_spaces(text))


def _unit_in(text: str) -> Unit | None:
    """A unit given in parentheses in a header or caption: 年末余额（亿元）, 比上年增长（%）."""
    for match in _PARENTHESISED.finditer(text):
        unit = _unit_named(match.group(1))
        if unit is not None:
            return unit
    return None


def _cell_lines(
    node: Node, source: SourceText, columns: list[str], rows: list[list[str]]
) -> dict[tuple[int, int], int]:
    """The source line of every cell: tables are printed one cell per line, column after column."""
    expected: list[tuple[int, int, str]] = []
    for column_index, header in enumerate(columns):
        expected.append((-1, column_index, squeeze_spaces(header)))
        expected.extend(
            (row_index, column_index, squeeze_spaces(row[column_index])) for row_index, row in enumerate(rows)
        )
    found: dict[tuple[int, int], int] = {}
    position = 0
    line = node.line_start
    while position < len(expected) and line <= node.line_end:
        text = squeeze_spaces(source.line(line))
        row_index, column_index, wanted = expected[position]
        if text and (text == wanted or (row_index == -1 and wanted.startswith(text))):
            if row_index == -1 and text != wanted and line < node.line_end:
                line = _next_text_line(source, line, node.line_end)
            found[(row_index, column_index)] = line
            position += 1
        line += 1
    return found


def _next_text_line(source: SourceText, line: int, end: int) -> int:
    following = line + 1
    while following < end and not source.line(following).strip():
        following += 1
    return following
