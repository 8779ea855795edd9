"""What was understood of a volume, and the guarantee that nothing is dropped.

Every non-blank source line ends up in a node or is reported as page
furniture.  :func:`account_for_every_line` keeps any line no reader took as
an untitled paragraph, with a warning; :func:`measure_coverage` then tells
the share of the text inside recognised structure (entries, sections,
events, documents, captions, tables, notes) against untitled paragraphs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable

from fangzhi.model import (
    ChapterAttributes,
    Coverage,
    Document,
    EntryAttributes,
    Fact,
    Node,
    NodeKind,
    ParagraphAttributes,
    ParseWarning,
)
from fangzhi.text.plural import agree, counted
from fangzhi.text.source import SourceText

# Node kinds that hold text without recognising any structure in it: a line only they cover is untitled
# (a chapter's own lines are its title; the rest of its text belongs in its entries, articles or events).
UNTITLED = frozenset({NodeKind.VOLUME, NodeKind.PARAGRAPH, NodeKind.FRONT_MATTER, NodeKind.CHAPTER})

COUNTED = {
    "chapters": NodeKind.CHAPTER,
    "sections": NodeKind.SECTION,
    "entries": NodeKind.ENTRY,
    "articles": NodeKind.ARTICLE,
    "appendix_documents": NodeKind.APPENDIX,
    "events": NodeKind.EVENT,
    "documents": NodeKind.DOCUMENT,
    "tables": NodeKind.TABLE,
    "captions": NodeKind.CAPTION,
    "paragraphs": NodeKind.PARAGRAPH,
}
# Each count's name in the singular, for "1 entry" beside "2 entries" (a repeat's count is ``repeated_`` + a name).
SINGULAR = {
    "chapters": "chapter",
    "sections": "section",
    "entries": "entry",
    "articles": "article",
    "appendix_documents": "appendix document",
    "events": "event",
    "documents": "document",
    "tables": "table",
    "captions": "caption",
    "paragraphs": "paragraph",
    "pages": "page",
}
_REPEATED = "repeated_"


def count_nouns(name: str) -> tuple[str, str]:
    """A coverage count's name as a noun, singular and plural: ``appendix_documents`` → appendix document(s)."""
    base = name.removeprefix(_REPEATED)
    singular = SINGULAR.get(base, base.replace("_", " "))
    plural = base.replace("_", " ")
    if base != name:
        return f"repeated {singular}", f"repeated {plural}"
    return singular, plural


def _line_kinds(document: Document) -> list[str | None]:
    """The kind of the deepest node covering each line (index = line number), None outside every node.

    Lines a node refers to outside its range count as its own: a chapter's
    title lines, the attribution line whose writers an entry carries.
    """
    kinds: list[str | None] = [None] * (len(document.source) + 1)
    for node, _ in document.walk():
        start, end = max(node.line_start, 1), min(node.line_end, len(document.source))
        if start <= end:
            kinds[start : end + 1] = [node.kind] * (end - start + 1)
        for line in _referenced_lines(node):
            if 1 <= line <= len(document.source):
                kinds[line] = node.kind
    return kinds


def _referenced_lines(node: Node) -> list[int]:
    attributes = node.attributes
    lines = list(attributes.title_lines) if isinstance(attributes, ChapterAttributes) else []
    if isinstance(attributes, (EntryAttributes, ParagraphAttributes)) and attributes.attribution_line:
        lines.append(attributes.attribution_line)
    return lines


def _furniture_lines(document: Document) -> set[int]:
    lines: set[int] = set()
    for item in document.furniture:
        lines.update(range(item.line_start, item.line_end + 1))
    return lines


def account_for_every_line(document: Document) -> None:
    """Keep lines no node covers as untitled paragraphs under the volume, and say so once."""
    kinds = _line_kinds(document)
    furniture = _furniture_lines(document)
    source = document.source
    runs: list[list[int]] = []
    for number in range(1, len(source) + 1):
        if kinds[number] is not None or number in furniture or not source.line(number).strip():
            continue
        if runs and all(not source.line(n).strip() or n in furniture for n in range(runs[-1][-1] + 1, number)):
            runs[-1].append(number)
        else:
            runs.append([number])
    if not runs:
        return
    for run in runs:
        _insert_in_order(document.root, _untitled_paragraph(source, run))
    count = sum(len(run) for run in runs)
    kept = agree(
        count,
        "was not recognised as part of any structure; it is kept as an untitled paragraph",
        "were not recognised as part of any structure; they are kept as untitled paragraphs",
    )
    document.warnings.append(ParseWarning("lines_unread", f"{counted(count, 'line')} {kept}", runs[0][0]))


def untitled_paragraphs(source: SourceText) -> list[Node]:
    """A text no reader understood, as it stands: every run of non-blank lines an untitled paragraph."""
    paragraphs: list[Node] = []
    run: list[int] = []
    for number in range(1, len(source) + 2):
        if number <= len(source) and source.line(number).strip():
            run.append(number)
        elif run:
            paragraphs.append(_untitled_paragraph(source, run))
            run = []
    return paragraphs


def _untitled_paragraph(source: SourceText, lines: list[int]) -> Node:
    return Node(
        kind=NodeKind.PARAGRAPH,
        title=None,
        line_start=lines[0],
        line_end=lines[-1],
        text="\n".join(source.line(n).strip() for n in lines),
    )


def _insert_in_order(root: Node, node: Node) -> None:
    position = 0
    while position < len(root.children) and root.children[position].line_start < node.line_start:
        position += 1
    root.children.insert(position, node)


def recognises_structure(document: Document) -> bool:
    """Whether any node of a recognised kind was found: a coverage above nothing."""
    return any(node.kind not in UNTITLED for node, _ in document.walk())


def _structured_lines(document: Document) -> set[int]:
    """Lines inside a node of a recognised kind (at any depth), and chapters' title lines."""
    lines: set[int] = set()
    for node, _ in document.walk():
        if node.kind not in UNTITLED:
            lines.update(range(node.line_start, node.line_end + 1))
            lines.update(_referenced_lines(node))
        elif node.kind == NodeKind.CHAPTER:
            lines.update(_referenced_lines(node))
    return lines


# Facts that read a passage the way structure would (who was appointed, what happened when, who is listed);
# a figure read from a sentence says nothing of whether the text around it was understood.
READING_FACT_KINDS = frozenset({"appointment", "event", "list_item", "repeal"})


def lines_read_as_facts(facts: Iterable[Fact]) -> set[int]:
    """The source lines that facts of the reading kinds were drawn from."""
    lines: set[int] = set()
    for fact in facts:
        if fact.kind in READING_FACT_KINDS:
            lines.update(range(fact.line_start, fact.line_end + 1))
    return lines


def _is_repeat(node: Node) -> bool:
    """A node that repeats an earlier one (a document a web page shows twice): kept, but not found twice."""
    return getattr(node.attributes, "repeat_of_line", None) is not None


def measure_coverage(document: Document, fact_lines: Collection[int] = ()) -> Coverage:
    """Coverage of a parsed volume; ``fact_lines`` are the lines extractors read facts from.

    A line of an untitled paragraph that yielded a fact (a 任免 decision told
    in a news report) was understood, though no structure holds it.  A node
    that repeats an earlier one is counted as a repeat (``repeated_documents``),
    and what it holds not at all: the text has it once.
    """
    structured_lines = _structured_lines(document)
    read = set(fact_lines)
    furniture = _furniture_lines(document)
    source = document.source
    structured = untitled = furniture_count = lines = read_as_facts = 0
    for number in range(1, len(source) + 1):
        if not source.line(number).strip():
            continue
        lines += 1
        if number in furniture:
            furniture_count += 1
        elif number in structured_lines:
            structured += 1
        else:
            untitled += 1
            read_as_facts += number in read
    counted: Counter[str] = Counter()
    repeated: Counter[str] = Counter()
    for node, ancestors in document.walk():
        if _is_repeat(node):
            repeated[node.kind] += 1
        elif not any(_is_repeat(ancestor) for ancestor in ancestors):
            counted[node.kind] += 1
    counts: dict[str, int] = {}
    for name, kind in COUNTED.items():
        if counted[kind]:
            counts[name] = counted[kind]
        if repeated[kind]:
            counts[f"{_REPEATED}{name}"] = repeated[kind]
    pages = document.volume.attributes.get("pages")
    if pages:
        counts["pages"] = len(pages)
    return Coverage(
        lines=lines,
        structured=structured,
        untitled=untitled,
        furniture=furniture_count,
        counts=counts,
        read_as_facts=read_as_facts,
    )
