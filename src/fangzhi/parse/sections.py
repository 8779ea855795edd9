"""Paragraphs and numbered sections of official documents.

Official documents number their parts in a handful of styles (第一章, 第一条,
一、, （一）, 1., 1.1, 1.4.1, (1), （1）, ㈠, ①).  Which style nests inside which
is not fixed, so the tree is built the way a reader does it: a marker style
seen for the first time opens a deeper level, a style seen before closes
everything opened after it.

Paragraphs are rebuilt from raw lines: PDF text wraps a paragraph over
narrow lines, and a page break can split one with a blank line, while
documents collected from the web put one paragraph on each (indented) line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from fangzhi.model import DocumentSectionAttributes, Node, NodeKind, ParseWarning
from fangzhi.text.dates import is_date_line
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

_CN_DIGITS = "一二三四五六七八九十百零〇两"
TERMINAL = "。；！？：:;!?"
_UNITS = "万亿千百十元角分米吨个人家倍年月日时岁项次所座台辆公里亩斤件户名毫平立克度瓦升秒天张株头只"
# Words a paragraph cut by a page break may go on with; a new paragraph rarely starts with them.
_CONTINUING = tuple("或和及与的并且等而、，；：）")
_INDENT = re.compile(r"^[\u3000]{1,}|^[ \t]{2,}")

# (style, pattern) in the order they are tried; the match's group "number" is the marker as printed.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^(?P<number>第[{_CN_DIGITS}\d]+章)")),
    ("part", re.compile(rf"^(?P<number>第[{_CN_DIGITS}\d]+节)")),
    ("article", re.compile(rf"^(?P<number>第[{_CN_DIGITS}\d]+条)")),
    ("cn", re.compile(rf"^(?P<number>[{_CN_DIGITS}]+、)")),
    ("paren_cn", re.compile(rf"^(?P<number>[（(][{_CN_DIGITS}]+[）)])")),
    ("enclosed_cn", re.compile(r"^(?P<number>[\u3220-\u3229])")),
    ("paren_digit", re.compile(r"^(?P<number>[（(]\d{1,3}[）)])")),
    ("circled", re.compile(r"^(?P<number>[\u2460-\u2473])")),
    ("decimal", re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3})*)(?:[.．、](?![\d%])|\s+(?=\S))")),
    # 1.1编制目的: the space after a multi-level number is lost when layout spaces are removed.
    ("decimal", re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3}){2,})(?=[\u4e00-\u9fff])")),
    ("decimal", re.compile(rf"^(?P<number>\d{{1,3}}\.\d{{1,3}})(?=[\u4e00-\u9fff])(?![{_UNITS}])")),
    # 1 总则 squeezed to 1总则: accepted only as a short heading (see section_marker).
    ("bare", re.compile(rf"^(?P<number>\d{{1,2}})(?=[\u4e00-\u9fff])(?![{_UNITS}])")),
)
_INLINE_MARKER = re.compile(rf"[\s\u3000]{{2,}}(?=第[{_CN_DIGITS}\d]+[章节条])")


@dataclass
class Paragraph:
    """A paragraph rebuilt from raw lines: its line numbers and its normalised text."""

    lines: list[int]
    text: str
    raw: list[str] = field(default_factory=list)
    indented: bool = False
    block: int = 0  # blocks are separated by blank lines

    @property
    def start(self) -> int:
        return self.lines[0]

    @property
    def end(self) -> int:
        return self.lines[-1]


@dataclass(frozen=True)
class Marker:
    style: str
    number: str
    rest: str


def section_marker(text: str) -> Marker | None:
    """The numbering a paragraph starts with, if any."""
    for style, pattern in _MARKERS:
        match = pattern.match(text)
        if not match:
            continue
        number = match.group("number")
        rest = text[match.end() :].strip()
        if style == "bare":
            if not heading_like(rest, 20):
                continue
            style = "decimal"
        if style == "decimal":
            style = f"decimal{number.count('.') + 1}"
        if style in ("chapter", "part", "article", "cn") and not rest:
            return None
        return Marker(style=style, number=number, rest=rest)
    return None


def ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in TERMINAL


def heading_like(text: str, limit: int = 40) -> bool:
    """Short and unpunctuated, like a title or a section heading."""
    return 0 < len(text) <= limit and not re.search(r"[。；，！？]", text)


def _segments(raw: str) -> list[str]:
    """Split a raw line where a chapter heading and its first article share it."""
    parts = _INLINE_MARKER.split(raw)
    return [part for part in parts if part.strip()]


def _wrapped(blocks: list[list[tuple[int, str]]]) -> bool:
    """Do the unindented lines go on from the line above (a wrapped paragraph) rather than start their own?

    A short text can have as many indented lines as a one-paragraph-per-line
    layout; there the line above an unindented line ends its sentence, in a
    wrapped text it stops mid-sentence.
    """
    above = [
        squeeze_spaces(block[index - 1][1])
        for block in blocks
        for index in range(1, len(block))
        if not _INDENT.match(block[index][1])
    ]
    return bool(above) and sum(1 for text in above if not ends_sentence(text)) * 2 > len(above)


def build_paragraphs(
    source: SourceText, lines: Sequence[int], warnings: list[ParseWarning] | None = None
) -> list[Paragraph]:
    """Rebuild paragraphs from the given raw line numbers (blank lines included or not).

    Lines of one block join while a line is as wide as the next and does not
    end a sentence; a paragraph split by a blank line (a page break) is joined
    again when it stops mid-sentence.  A paragraph that only repeats the end of
    the one before (a PDF artefact) is dropped with a warning.
    """
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number in lines:
        raw = source.line(number)
        if not raw.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        for segment in _segments(raw):
            current.append((number, segment))
    if current:
        blocks.append(current)

    indented = sum(1 for block in blocks for _, raw in block if _INDENT.match(raw))
    one_per_line = indented * 3 >= sum(len(block) for block in blocks) and not _wrapped(blocks)
    paragraphs: list[Paragraph] = []
    for block_number, block in enumerate(blocks):
        start_of_block = True
        for number, raw in block:
            text = squeeze_spaces(raw)
            if not start_of_block and not one_per_line and _continues(paragraphs[-1], raw, text):
                paragraphs[-1].lines.append(number)
                paragraphs[-1].raw.append(raw)
            else:
                paragraphs.append(
                    Paragraph(
                        lines=[number], text=text, raw=[raw], indented=bool(_INDENT.match(raw)), block=block_number
                    )
                )
            start_of_block = False
    _finish(paragraphs)
    joined: list[Paragraph] = []
    for paragraph in paragraphs:
        if joined and not one_per_line and joined[-1].block != paragraph.block and _rejoins(joined[-1], paragraph):
            joined[-1].lines.extend(paragraph.lines)
            joined[-1].raw.extend(paragraph.raw)
            continue
        joined.append(paragraph)
    _finish(joined)
    kept: list[Paragraph] = []
    for paragraph in joined:
        if kept and len(paragraph.text) >= 10 and kept[-1].text.endswith(paragraph.text):
            if warnings is not None:
                warnings.append(
                    ParseWarning(
                        "repeated_text_dropped",
                        f"repeats the end of the paragraph at line {kept[-1].start}; dropped",
                        paragraph.start,
                    )
                )
            continue
        kept.append(paragraph)
    return kept


def _finish(paragraphs: list[Paragraph]) -> None:
    """Join the text of paragraphs that gained lines (once each, so long texts stay linear)."""
    for paragraph in paragraphs:
        if len(paragraph.raw) > 1:
            paragraph.text = join_lines(paragraph.raw)


def _continues(previous: Paragraph, raw: str, text: str) -> bool:
    """Within a block of lines: does this line continue the previous paragraph?"""
    last = squeeze_spaces(previous.raw[-1])
    if ends_sentence(last) or len(last) < 12 or len(last) < 0.75 * len(text):
        return False
    if _INDENT.match(raw) or section_marker(text) or is_date_line(text) or attachment_marker(text):
        return False
    return not (section_marker(previous.text) and heading_like(previous.text) and len(previous.lines) == 1)


def _rejoins(previous: Paragraph, paragraph: Paragraph) -> bool:
    """Across a blank line: is this the rest of a paragraph cut by a page break?"""
    last = squeeze_spaces(previous.raw[-1]) if previous.raw else ""
    if ends_sentence(last) or len(last) < 12:
        return False
    first = squeeze_spaces(paragraph.raw[0]) if paragraph.raw else paragraph.text
    if (
        len(previous.lines) == 1
        and heading_like(previous.text, 40)
        and not re.search(r"[，、]", previous.text)
        and len(last) < 0.5 * len(first)
        and not paragraph.text.startswith(_CONTINUING)
    ):
        return False  # a title above a text of long lines (a web page), not half of a wrapped paragraph
    if len(previous.lines) == 1 and len(paragraph.lines) == 1 and _stacked_heading(previous, paragraph):
        return False  # a title, its byline and its date, each a line of its own
    if paragraph.indented or section_marker(paragraph.text) or is_date_line(paragraph.text):
        return False
    if attachment_marker(paragraph.text) or attachment_marker(previous.text):
        return False
    return not (section_marker(previous.text) and heading_like(previous.text))


def _stacked_heading(previous: Paragraph, paragraph: Paragraph) -> bool:
    return all(heading_like(p.text, 40) and not re.search(r"[，、]", p.text) for p in (previous, paragraph))


_ATTACHMENT = re.compile(r"^附\s*件\s*(?P<number>\d{0,2})\s*(?:[：:]\s*(?P<title>.*))?$")


def attachment_marker(text: str) -> tuple[str, str] | None:
    """(number, title) of an 附件 line (附件, 附 件, 附件1：, 附件：名单), or None."""
    match = _ATTACHMENT.match(squeeze_spaces(text))
    if not match:
        return None
    return match.group("number"), (match.group("title") or "").strip()


def paragraph_node(paragraph: Paragraph) -> Node:
    return Node(
        kind=NodeKind.PARAGRAPH,
        title=None,
        line_start=paragraph.start,
        line_end=paragraph.end,
        text=paragraph.text,
    )


def _section_title(rest: str) -> str | None:
    if heading_like(rest):
        return rest.rstrip("。.")
    sentence = re.split(r"[。；]", rest, maxsplit=1)[0]
    return sentence if 0 < len(sentence) <= 40 else None


_RESPONSIBLE = re.compile(r"[（(]\s*责任单位\s*[：:]")


def responsible_units(text: str) -> tuple[str, list[str]] | None:
    """The 责任单位 clause of a paragraph: (clause as printed, units), or None."""
    match = _RESPONSIBLE.search(text)
    if not match:
        return None
    depth = 0
    end = len(text)
    for position in range(match.start(), len(text)):
        char = text[position]
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth -= 1
            if depth == 0:
                end = position
                break
    body = text[match.end() : end]
    units: list[str] = []
    depth = 0
    token = ""
    for char in body:
        if char in "（(〔":
            depth += 1
        elif char in "）)〕":
            depth -= 1
        if char in "、，," and depth == 0:
            if token.strip():
                units.append(token.strip())
            token = ""
            continue
        token += char
    if token.strip():
        units.append(token.strip())
    return text[match.start() : end + 1], units


def build_section_tree(paragraphs: Sequence[Paragraph]) -> list[Node]:
    """Nest numbered sections and the paragraphs that follow them into a tree."""
    roots: list[Node] = []
    stack: list[tuple[str, Node]] = []
    for paragraph in paragraphs:
        marker = section_marker(paragraph.text)
        if marker is None:
            node = paragraph_node(paragraph)
            clause = responsible_units(paragraph.text)
            target = stack[-1][1] if stack else None
            if clause and target is not None:
                _take_responsible_units(target, clause)
            if target is not None:
                target.add(node)
                _extend(stack, node.line_end)
            else:
                roots.append(node)
            continue
        styles = [style for style, _ in stack]
        if marker.style in styles:
            del stack[styles.index(marker.style) :]
        section = Node(
            kind=NodeKind.DOCUMENT_SECTION,
            title=_section_title(marker.rest),
            line_start=paragraph.start,
            line_end=paragraph.end,
            text=paragraph.text,
            level=len(stack) + 1,
            attributes=DocumentSectionAttributes(number=marker.number, style=marker.style),
        )
        clause = responsible_units(paragraph.text)
        if clause:
            _take_responsible_units(section, clause)
        if stack:
            stack[-1][1].add(section)
        else:
            roots.append(section)
        stack.append((marker.style, section))
        _extend(stack, section.line_end)
    return roots


def _take_responsible_units(section: Node, clause: tuple[str, list[str]]) -> None:
    """A section's 责任单位 are the first its own text or the paragraphs under it name."""
    attributes = DocumentSectionAttributes.of(section)
    if attributes.responsible_units_as_printed is None:
        attributes.responsible_units_as_printed, attributes.responsible_units = clause


def _extend(stack: list[tuple[str, Node]], line_end: int) -> None:
    for _, node in stack:
        node.line_end = max(node.line_end, line_end)
