"""Entries (条目) and the sections (分目) above them.

An entry opens with its title, marked as the layout marks it: ``【区域位置】``,
``[区域位置]``, ``■区域位置`` or a short line of its own above its text.  Its
text runs to the next entry, section heading or attribution.  Section
headings are short unpunctuated lines that open a block of entries, or
follow an attribution and open prose.  An attribution line (``（李 盾）``)
names the writers of every entry since the previous attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.model import EntryAttributes, Node, NodeKind, ParagraphAttributes, ParseWarning
from fangzhi.parse.body_text import BodyText, Container
from fangzhi.parse.contributors import attribution_body, split_contributors
from fangzhi.parse.layouts import TITLE_LINE, EntryMarker
from fangzhi.parse.line_roles import ATTRIBUTION, CONTENT
from fangzhi.text.normalize import join_lines, squeeze_spaces

HEADING_CHARS = re.compile(r"^[\u4e00-\u9fff·“”《》（）()、]+$")
_UNIT_HEADING = re.compile(r"·[\u4e00-\u9fff]{2,12}·")
_MAX_TITLE_LINES = 3
_WRAPPED_HEADING_WIDTH = 7


@dataclass(frozen=True)
class EntryStart:
    """An entry title found at a line: the title, the text after it on its last line, the lines it takes."""

    title: str
    rest: str
    lines: tuple[int, ...]
    marker: str


def is_unit_heading(text: str) -> bool:
    return bool(_UNIT_HEADING.fullmatch(text))


def heading_like(text: str) -> bool:
    """Could this squeezed line be a heading: short, no punctuation of a sentence."""
    return (
        2 <= len(text) <= 20 and not text.startswith("（") and bool(HEADING_CHARS.match(text) or is_unit_heading(text))
    )


def uses_title_lines(markers: tuple[EntryMarker, ...]) -> bool:
    return any(marker.name == TITLE_LINE for marker in markers)


def entry_start(body: BodyText, lines: list[int], index: int) -> EntryStart | None:
    """The entry whose title begins at ``lines[index]``, with a title wrapped over up to three lines."""
    number = lines[index]
    found = body.marked_entry(number)
    if found is not None:
        marker, match = found
        used = [number]
        joined = body.text_of(number).strip()
        while (
            match["rest"] is None and marker.closing and len(used) < _MAX_TITLE_LINES and index + len(used) < len(lines)
        ):
            used.append(lines[index + len(used)])
            joined += body.text_of(used[-1]).strip()
            match = marker.match(joined) or match
        return EntryStart(join_lines([match["title"]]), squeeze_spaces(match["rest"] or ""), tuple(used), marker.label)
    if uses_title_lines(body.markers) and index + 1 < len(lines):
        text = body.squeezed(number)
        following = body.squeezed(lines[index + 1])
        if heading_like(text) and body.roles.role(lines[index + 1]) == CONTENT and not heading_like(following):
            return EntryStart(text, "", (number,), "title line")
    return None


class _EntryReader:
    """Walks one chapter's (or one excerpt's) body lines, building sections and entries."""

    def __init__(self, body: BodyText, parent: Node, lines: list[int], warnings: list[ParseWarning]) -> None:
        self.body = body
        self.parent = parent
        self.lines = lines
        self.warnings = warnings
        self.texts = {n: body.squeezed(n) for n in lines}
        self.section2: Node | None = None
        self.section3: Node | None = None
        self.entry: Node | None = None
        self.entry_lines: list[int] = []
        self.loose_lines: list[int] = []
        self.pending: list[Node] = []
        self.containers: list[Container] = []
        self.overrides: dict[int, str] = {}
        self.attributions = 0

    def container(self) -> Node:
        return self.section3 or self.section2 or self.parent

    def close_entry(self) -> None:
        if self.entry is not None:
            if self.entry_lines:
                self.entry.text = self.body.paragraphs_text(self.entry_lines, self.overrides)
            self.body.place(self.entry)
            self.containers.append((self.entry.line_start, self.entry.line_end, self.entry))
        self.entry, self.entry_lines = None, []

    def close_loose(self) -> None:
        if self.loose_lines:
            paragraph = Node(
                kind=NodeKind.PARAGRAPH,
                title=None,
                line_start=self.loose_lines[0],
                line_end=self.loose_lines[-1],
                text=self.body.paragraphs_text(self.loose_lines),
                attributes=ParagraphAttributes(contributors=[]),
            )
            self.container().add(self.body.place(paragraph))
            self.pending.append(paragraph)
        self.loose_lines = []

    def attribution(self, number: int) -> None:
        self.close_entry()
        self.close_loose()
        self.attributions += 1
        names = split_contributors(attribution_body(self.body.text_of(number)) or "")
        for waiting in self.pending:
            attributes = waiting.attributes
            if isinstance(attributes, (EntryAttributes, ParagraphAttributes)):  # entries and loose paragraphs wait
                attributes.contributors, attributes.attribution_line = names, number
        if not self.pending:
            self.warnings.append(
                ParseWarning("attribution_without_entry", f"attribution {self.texts[number]} follows no entry", number)
            )
        self.pending = []

    def section(self, number: int, heading: tuple[str, int, list[int]]) -> None:
        self.close_entry()
        self.close_loose()
        title, level, used = heading
        node = self.body.place(
            Node(kind=NodeKind.SECTION, title=title, line_start=number, line_end=used[-1], level=level)
        )
        if level == 3 and self.section2 is not None:
            self.section2.add(node)
            self.section3 = node
        else:
            self.parent.add(node)
            self.section2, self.section3 = node, None
        self.containers.append((node.line_start, self.parent.line_end, node))

    def start_entry(self, start: EntryStart) -> None:
        self.close_entry()
        self.close_loose()
        self.entry = Node(
            kind=NodeKind.ENTRY,
            title=start.title,
            line_start=start.lines[0],
            line_end=start.lines[-1],
            attributes=EntryAttributes(marker=start.marker),
        )
        if start.rest:
            self.overrides[start.lines[-1]] = start.rest
            self.entry_lines = [start.lines[-1]]
        self.container().add(self.entry)
        self.pending.append(self.entry)

    def read(self) -> None:
        headings = find_headings(self.body, self.lines, self.texts)
        index = 0
        while index < len(self.lines):
            number = self.lines[index]
            if self.body.roles.role(number) == ATTRIBUTION:
                self.attribution(number)
                index += 1
                continue
            if number in headings:
                self.section(number, headings[number])
                index += len(headings[number][2])
                continue
            start = entry_start(self.body, self.lines, index)
            if start is not None:
                self.start_entry(start)
                index += len(start.lines)
                continue
            if self.entry is not None:
                self.entry_lines.append(number)
                self.entry.line_end = number
            else:
                self.loose_lines.append(number)
            index += 1
        self.close_entry()
        self.close_loose()
        if self.attributions:
            for waiting in self.pending:
                self.warnings.append(
                    ParseWarning(
                        "entry_without_attribution",
                        f"{waiting.kind} {waiting.title or ''} has no attribution".replace("  ", " "),
                        waiting.line_start,
                    )
                )


def read_entries(body: BodyText, parent: Node, lines: list[int], warnings: list[ParseWarning]) -> None:
    """Read sections and entries from ``lines`` into ``parent`` (a chapter, or the volume for an excerpt)."""
    reader = _EntryReader(body, parent, lines, warnings)
    reader.read()
    body.attach_furniture(reader.containers, parent, parent.line_start, parent.line_end)


def find_headings(body: BodyText, lines: list[int], texts: dict[int, str]) -> dict[int, tuple[str, int, list[int]]]:
    """Section headings: short unpunctuated lines that open a block of entries.

    A heading is followed by an entry, or follows an attribution and is
    followed by prose.  Two heading lines in a row are one wrapped heading
    when the first fills a line, otherwise a section and its first
    subsection; later headings in the same style as that subsection
    (·X·, or sharing its first or last two characters) are its siblings.
    With title-line entries the last heading line before prose is the
    entry's title, not a heading.
    """
    roles = body.roles
    title_lines = uses_title_lines(body.markers)
    candidates = {n for n in lines if roles.role(n) == CONTENT and heading_like(texts[n])}
    entry_lines = {n for n in lines if body.marked_entry(n) is not None}
    headings: dict[int, tuple[str, int, list[int]]] = {}
    child_style: str | None = None
    index = 0
    while index < len(lines):
        number = lines[index]
        if number not in candidates or number in entry_lines:
            index += 1
            continue
        run = [number]
        while index + len(run) < len(lines) and lines[index + len(run)] in candidates:
            run.append(lines[index + len(run)])
        if title_lines:
            run = run[:-1]
            if not run:
                index += 1
                continue
        if len(run) > 3:
            index += len(run)
            continue
        if index > 0 and len(run) > 1 and roles.role(lines[index - 1]) == CONTENT and not title_lines:
            index += 1
            continue
        following = lines[index + len(run)] if index + len(run) < len(lines) else None
        previous = lines[index - 1] if index > 0 else None
        opens_entry = following is not None and (title_lines or following in entry_lines)
        after_attribution = previous is not None and roles.role(previous) == ATTRIBUTION
        follows_prose = following is not None and roles.role(following) == CONTENT and following not in candidates
        if not (opens_entry or (after_attribution and follows_prose and len(run) == 1)):
            index += 1
            continue
        groups: list[list[int]] = []
        position = 0
        while position < len(run):
            first = run[position]
            if (
                position + 1 < len(run)
                and len(texts[first]) >= _WRAPPED_HEADING_WIDTH
                and not is_unit_heading(texts[run[position + 1]])
            ):
                groups.append([first, run[position + 1]])
                position += 2
            else:
                groups.append([first])
                position += 1
        for position, group in enumerate(groups):
            title = "".join(texts[n] for n in group)
            if position == 0 and len(groups) == 1 and child_style and _same_style(title, child_style):
                level = 3
            elif position == 0:
                level = 2
                child_style = None
            else:
                level = 3
                child_style = title
            headings[group[0]] = (title, level, group)
        index += len(run)
    return headings


def _same_style(title: str, child: str) -> bool:
    if is_unit_heading(title) and is_unit_heading(child):
        return True
    return title[:2] == child[:2] or title[-2:] == child[-2:]
