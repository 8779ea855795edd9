"""Indicator facts (``indicators.v1``): every figure in prose and in tables.

Each figure becomes a fact whose ``data`` says what it measures and where:
``indicator`` (a normalised key) and ``indicator_as_printed``; ``entity``
(全市, a county, a company, a project), ``period`` (2023年, 2023年末,
2023年1—11月, …（预计）), ``scope`` (规模以上, 城镇, …); ``kind`` (level,
growth, share, rank, count); ``value_as_printed``, ``number``, ``unit`` and
the value in a base unit (``base_value``, ``base_unit``) from the unit table;
``approx`` and ``estimate``; and the citation (``node``, ``page``, ``line``).
Table cells also carry ``table``, ``row``, ``column``, ``row_label`` and
``column_label``.

Prose is read from each node's normalised text, which is aligned back to the
raw lines so that every figure cites the line it is printed on.  Where a node
sits says what its sentences leave out: a figure in a county's section of the
县市区 chapter is that county's, one in an entry about a company is the
company's.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from fangzhi.extract.indicator_tables import table_cells
from fangzhi.extract.indicator_terms import terms
from fangzhi.extract.indicator_text import Figure, TextContext, figures_in_text
from fangzhi.model import Document, Fact, Node, NodeKind
from fangzhi.text.align import LineAligner
from fangzhi.text.normalize import squeeze_spaces

EXTRACTOR = "indicators.v1"
TEXT_KINDS = frozenset(
    {
        NodeKind.ENTRY,
        NodeKind.ARTICLE,
        NodeKind.APPENDIX,
        NodeKind.PARAGRAPH,
        NodeKind.EVENT,
        NodeKind.CAPTION,
        NodeKind.DOCUMENT_SECTION,
    }
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,16}(?:市|县|区|旗|镇|乡)$")
_COUNTED = re.compile(r"[（(]\d+[家个项名人]?[）)]$")
_HOME = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:市|县|区|省|州|盟|旗))")
_HOME_BEFORE = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:年鉴|人民政府|国民经济|统计|政府)")
_WHOLE = {"市": "全市", "县": "全县", "区": "全区", "省": "全省", "州": "全州", "旗": "全旗", "盟": "全盟"}


def extract_indicators(document: Document) -> list[Fact]:
    context = _volume_context(document)
    owner = _line_owners(document)
    own = _document_contexts(document, context)
    facts: list[Fact] = []
    for node, ancestors in document.walk():
        if own:
            context = next((own[id(holder)] for holder in (node, *reversed(ancestors)) if id(holder) in own), context)
        if node.kind == NodeKind.TABLE:
            facts.extend(_table_facts(document, node, ancestors, context))
        elif node.kind in TEXT_KINDS and node.text:
            facts.extend(_prose_facts(document, node, ancestors, context, owner))
    return facts


# ------------------------------------------------------------------ context


def _volume_context(document: Document) -> TextContext:
    """The year a volume records, its own place and the places it names in its structure."""
    years: Counter[int] = Counter()
    sampled = 0
    places: set[str] = set()
    for node, _ in document.walk():
        if node.kind in TEXT_KINDS and sampled < 400_000:
            years.update(int(year) for year in _YEAR.findall(node.text))
            sampled += len(node.text)
        if node.kind in (NodeKind.SECTION, NodeKind.LIST_GROUP) and node.title:
            name = _COUNTED.sub("", squeeze_spaces(node.title).replace(" ", ""))
            if _PLACE.match(name) and name not in _stoplist():
                places.add(name)
    volume = document.volume
    year = years.most_common(1)[0][0] if years else None
    titled = _YEAR.search(squeeze_spaces(volume.title))
    if volume.kind == "yearbook" and volume.year:
        year = volume.year - 1
    elif titled and volume.kind == "document":
        year = int(titled.group(1))
    home, whole = _home_place(volume.title)
    home_names = frozenset({home} if home else set())
    places -= home_names
    return TextContext(year=year, entity=whole, places=frozenset(places), home_names=home_names, whole=whole)


def _document_contexts(document: Document, context: TextContext) -> dict[int, TextContext]:
    """Each document's own year and place when a file holds several (two communiqués one after the other)."""
    documents = document.nodes(NodeKind.DOCUMENT)
    if document.volume.kind != "document" or len(documents) < 2:
        return {}
    contexts: dict[int, TextContext] = {}
    for node in documents:
        titled = _YEAR.search(squeeze_spaces(node.title or ""))
        home, whole = _home_place(node.title or "")
        homes = frozenset({home}) if home else context.home_names
        contexts[id(node)] = TextContext(
            year=int(titled.group(1)) if titled else context.year,
            entity=whole if home else context.entity,
            places=context.places - homes,
            home_names=homes,
            whole=whole if home else context.whole,
        )
    return contexts


def _stoplist() -> frozenset[str]:
    return frozenset(terms()["place_stoplist"])


def _home_place(title: str) -> tuple[str | None, str]:
    """The place a volume is about (平顶山市) and what 'the whole of it' is called (全市)."""
    title = squeeze_spaces(title).replace(" ", "")
    match = _HOME.match(title)
    if match:
        name = match.group(1)
        return name, _WHOLE.get(name[-1], "全市")
    match = _HOME_BEFORE.match(title)
    if match:
        return match.group(1) + "市", "全市"
    return None, "全市"


def _node_entity(node: Node, ancestors: tuple[Node, ...], context: TextContext) -> str:
    """Whom a node's figures are about when its sentences do not say: a company entry, a county section."""
    organisations = tuple(terms()["organisation_suffixes"])
    for holder in (node, *reversed(ancestors)):
        title = squeeze_spaces(holder.title or "").replace(" ", "")
        if not title:
            continue
        if holder.kind == NodeKind.ENTRY and title.endswith(organisations) and len(title) <= 24:
            return title
        if holder.kind in (NodeKind.SECTION, NodeKind.CHAPTER) and title in context.places:
            return title
    return context.entity


def _line_owners(document: Document) -> list[Node | None]:
    """The deepest text-bearing node covering each line, so a figure is reported once, by its own node."""
    owners: list[Node | None] = [None] * (len(document.source) + 2)
    for node, _ in document.walk():
        if node.kind in TEXT_KINDS or node.kind == NodeKind.TABLE:
            for line in range(node.line_start, min(node.line_end, len(document.source)) + 1):
                owners[line] = node
    return owners


# ------------------------------------------------------------------ prose


def _prose_facts(
    document: Document,
    node: Node,
    ancestors: tuple[Node, ...],
    context: TextContext,
    owner: list[Node | None],
) -> list[Fact]:
    entity = _node_entity(node, ancestors, context)
    node_context = TextContext(context.year, entity, context.places, context.home_names, context.whole)
    figures = figures_in_text(node.text, node_context)
    if not figures:
        return []
    end = min(node.line_end, len(document.source))
    aligner = LineAligner(node.text, [(n, document.source.line(n)) for n in range(node.line_start, end + 1)])
    facts: list[Fact] = []
    for figure in figures:
        line = aligner.line_at(figure.start, node.line_start)
        if _owned_by_descendant(owner[line], node):
            continue
        data = _prose_data(figure)
        if figure.whole is not None:
            data["part_of"] = figure.whole.indicator
            data["whole_value"] = figure.whole.base_value
            data["whole_as_printed"] = figure.whole.value_as_printed
            data["whole_line"] = aligner.line_at(figure.whole.start, node.line_start)
        end = max(line, aligner.line_at(figure.end - 1, line))
        facts.append(_fact(document, node, line, data, end))
    return facts


def _owned_by_descendant(holder: Node | None, node: Node) -> bool:
    return (
        holder is not None
        and holder is not node
        and holder.kind in TEXT_KINDS
        and node.line_start <= holder.line_start
        and holder.line_end <= node.line_end
    )


def _prose_data(figure: Figure) -> dict[str, Any]:
    data = _common(figure)
    data["sentence"] = figure.sentence
    if figure.subject:
        data["subject"] = figure.subject
    if figure.parent:
        data["parent"] = figure.parent
    if figure.organisation:
        data["organisation"] = figure.organisation
    if figure.per:
        data["per"] = figure.per
    if figure.ratio_parts is not None:
        data["ratio_parts"] = figure.ratio_parts
        data["ratio_index"] = figure.ratio_index
    return data


def _common(figure: Any) -> dict[str, Any]:
    return {
        "indicator": figure.indicator,
        "indicator_as_printed": figure.indicator_as_printed,
        "entity": getattr(figure, "entity", None),
        "period": figure.period,
        "scope": figure.scope,
        "kind": figure.kind,
        "value_as_printed": figure.value_as_printed,
        "number": figure.number,
        "unit": figure.unit,
        "base_value": figure.base_value,
        "base_unit": figure.base_unit,
        "approx": getattr(figure, "approx", False),
        "estimate": getattr(figure, "estimate", False),
        "qualifier": figure.qualifier,
        "basis": getattr(figure, "basis", ""),
        "dimension": figure.dimension,
        "decimals": figure.decimals,
    }


def _fact(document: Document, node: Node, line: int, data: dict[str, Any], line_end: int | None = None) -> Fact:
    """A fact cites the line its figure starts on (``line``); a unit wrapped onto the next line extends ``line_end``."""
    data["node"] = node.id
    data["page"] = node.page
    data["line"] = line
    return Fact(
        kind="indicator",
        volume=document.volume.id,
        node_id=node.id,
        line_start=line,
        line_end=line_end or line,
        page=node.page,
        data=data,
        extractor=EXTRACTOR,
    )


# ------------------------------------------------------------------ tables


def _table_facts(document: Document, node: Node, ancestors: tuple[Node, ...], context: TextContext) -> list[Fact]:
    entity = _node_entity(node, ancestors, context)
    facts = []
    for cell in table_cells(node, document.source, context.year):
        data = _common(cell)
        data["entity"] = entity
        data.update(
            {
                "table": node.title,
                "row": cell.row,
                "column": cell.column,
                "row_label": cell.row_label,
                "column_label": cell.column_label,
            }
        )
        if cell.parent_row is not None:
            data["parent_row"] = cell.parent_row
        facts.append(_fact(document, node, cell.line, data))
    return facts
