"""Local yearbooks (地方年鉴): how a yearbook text is read, pass by pass.

The text a PDF gives of a yearbook is ordered only within a page, and what
it keeps of the book's furniture varies with the layout.  Each pass returns
a value that the next ones read:

1. layout (:mod:`~fangzhi.parse.layouts`): which profile's rules the text
   shows: page marks, footers, running headers, bookmark list or 目录,
   entry markers;
2. text furniture (:mod:`~fangzhi.parse.furniture`): footers, running
   headers, the bookmark list, the 目录, page-start marks;
3. front matter (:mod:`~fangzhi.parse.front_matter`): the 编辑说明 or 凡例
   and the counts it declares;
4. pages (:mod:`~fangzhi.parse.pages`): printed page numbers where the text
   shows them;
5. line roles (:mod:`~fangzhi.parse.line_roles`): captions, credits, tables
   and attributions out of the text stream;
6. chapters (:mod:`~fangzhi.parse.chapters`): where each 类目 starts, from
   the list or from the evidence in the text;
7. readers, one per content kind: entries (:mod:`~fangzhi.parse.entries`),
   the chronicle (:mod:`~fangzhi.parse.chronicle`), person profiles
   (:mod:`~fangzhi.parse.people`), articles and appendix documents
   (:mod:`~fangzhi.parse.articles`), the index
   (:mod:`~fangzhi.parse.subject_index`).
"""

from __future__ import annotations

import re
from collections import Counter

from fangzhi.model import (
    ChapterAttributes,
    ContentsAttributes,
    Document,
    Node,
    NodeKind,
    ParseWarning,
    Volume,
)
from fangzhi.parse.articles import read_articles
from fangzhi.parse.body_text import BodyText
from fangzhi.parse.bookmarks import book_title
from fangzhi.parse.chapters import MONTH_HEADING, ChapterSpan, find_chapters
from fangzhi.parse.entries import entry_start, read_entries
from fangzhi.parse.front_matter import find_editorial_notes, front_matter_end, read_front_matter
from fangzhi.parse.furniture import TextFurniture, find_furniture
from fangzhi.parse.layouts import detect_layout
from fangzhi.parse.line_roles import assign_line_roles
from fangzhi.parse.pages import PageMap, recover_pages
from fangzhi.parse.people import is_profile, read_profiles
from fangzhi.parse.subject_index import is_reference, read_index
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.plural import agree, counted
from fangzhi.text.source import SourceText

ENTRIES = "entries"
CHRONICLE = "chronicle"
PEOPLE = "people"
INDEX = "index"
ARTICLE = "article"
APPENDIX = "appendix"

_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})年")
_TITLE_WITH_YEAR = re.compile(r"([\u4e00-\u9fff]{2,10}年鉴)\s*[·•（(]?\s*(\d{4})")
_TITLE_SEARCH_LINES = 2000
_RECORDED_YEAR_LINES = 20000
_TITLE_LINES = 5
_TITLE_LENGTH = 30


def parse_yearbook(source: SourceText, volume_id: str, year: int | None = None) -> Document:
    """Parse a yearbook text; ``year`` overrides the edition year the text gives (its records are of the year before)."""
    profile = detect_layout(source)
    furniture = find_furniture(source, profile)
    notes = find_editorial_notes(source, profile, furniture.body_end)
    pages = recover_pages(source, furniture)
    roles = assign_line_roles(source, furniture)
    body = BodyText(source, roles, pages, profile)
    front_end = max(front_matter_end(furniture, notes), _title_line(source))
    plan = find_chapters(body, furniture, front_end + 1, furniture.body_end)
    anchors = _listed_pages_found(plan.spans)
    if not pages.complete and anchors:
        pages = recover_pages(source, furniture, anchors)
        body = BodyText(source, roles, pages, profile)
    warnings: list[ParseWarning] = [*_page_warnings(body, plan.spans, furniture), *plan.warnings]

    title, edition_year = _volume_title(source, furniture)
    if year is not None:
        edition_year = year
    first_body_line = plan.spans[0].start if plan.spans else front_end + 1
    recorded_year = (year - 1 if year is not None else None) or _recorded_year(
        source, first_body_line, furniture.body_end
    )
    if recorded_year is None and edition_year is not None:
        recorded_year = edition_year - 1

    root = Node(kind=NodeKind.VOLUME, title=title, line_start=1, line_end=max(len(source), 1))
    if first_body_line > 1:
        root.add(read_front_matter(body, furniture, notes, 1, min(first_body_line - 1, furniture.body_end)))
    if plan.spans:
        for span in plan.spans:
            root.add(_read_chapter(body, span, recorded_year, warnings))
    elif first_body_line <= furniture.body_end:
        _read_without_chapters(body, root, first_body_line, furniture.body_end, recorded_year, warnings)
    if furniture.bookmarks is not None:
        root.add(_bookmark_node(furniture))
    declared = dict(notes.declared) if notes else {}
    if not plan.spans and not body.text_lines(first_body_line, furniture.body_end):
        warnings.append(
            ParseWarning(
                "front_matter_only",
                "the text holds only front matter (editorial notes, a 目录, a title): no chapters or entries to read",
            )
        )
    else:
        warnings += _declared_differences(root, declared, notes.title_line if notes else None)
    volume = Volume.of_source(
        volume_id,
        "yearbook",
        source,
        title,
        edition_year,
        {
            "pages": pages.pages,
            "page_starts": _page_starts(pages),
            "encoding": source.encoding,
            "layout": profile.describe(),
            "declared": declared,
            "recorded_year": recorded_year,
        },
    )
    return Document(volume=volume, source=source, root=root, warnings=warnings, furniture=furniture.spans())


def _listed_pages_found(spans: list[ChapterSpan]) -> dict[int, int]:
    """Pages a list gives for chapters whose title line was found: each is the first line of that page."""
    return {
        span.start: span.listed.first_page
        for span in spans
        if span.listed is not None and span.listed.first_page is not None and "title" in span.found_by
    }


def _page_warnings(body: BodyText, spans: list[ChapterSpan], furniture: TextFurniture) -> list[ParseWarning]:
    """The page pass's warnings, less "pages known only in part" when in fact every body line has its page."""
    warnings = list(body.pages.warnings)
    if any(warning.code == "pages_partial" for warning in warnings) and spans:
        lines = body.text_lines(spans[0].start, furniture.body_end)
        if all(body.pages.page_of_line(line) is not None for line in lines):
            warnings = [warning for warning in warnings if warning.code != "pages_partial"]
    return warnings


def _page_starts(pages: PageMap) -> list[list[int]]:
    """The first line of each printed page, for services that read pages from the stored volume.

    Only when every page start is marked: a page then runs to the next start.
    With sparse marks that reading would invent pages, so none are recorded.
    """
    if not pages.complete:
        return []
    return [[start, number] for start, number in zip(pages.starts, pages.numbers, strict=True)]


def _volume_title(source: SourceText, furniture: TextFurniture) -> tuple[str | None, int | None]:
    """The book's name and edition year: from its bookmark lines, else from a ``某某年鉴 2024`` in its text."""
    from_bookmarks = book_title(furniture.bookmarks)
    if from_bookmarks:
        return f"{from_bookmarks[0]} {from_bookmarks[1]}", from_bookmarks[1]
    for line in source.lines[:_TITLE_SEARCH_LINES]:
        match = _TITLE_WITH_YEAR.search(squeeze_spaces(line))
        if match:
            return f"{match.group(1)} {match.group(2)}", int(match.group(2))
    return None, None


def _title_line(source: SourceText) -> int:
    """The line of the book's own title (``某某年鉴（2023）``) among the first lines, 0 when there is none."""
    seen = 0
    for number, line in enumerate(source.lines, start=1):
        if not line.strip():
            continue
        seen += 1
        if seen > _TITLE_LINES:
            break
        text = squeeze_spaces(line)
        if len(text) <= _TITLE_LENGTH and _TITLE_WITH_YEAR.search(text):
            return number
    return 0


def _recorded_year(source: SourceText, start: int, end: int) -> int | None:
    """The year a yearbook records: the year its body names most often."""
    years: Counter[int] = Counter()
    for number in range(start, min(end, start + _RECORDED_YEAR_LINES) + 1):
        years.update(int(year) for year in _YEAR.findall(source.line(number)))
    return years.most_common(1)[0][0] if years else None


def content_kind(body: BodyText, lines: list[int], hint: str | None) -> str:
    """What a run of body lines holds, by the marks found in it; the vocabulary's hint when there are none."""
    texts = [body.squeezed(n) for n in lines]
    counts = {
        ENTRIES: sum(1 for index in range(len(lines)) if entry_start(body, lines, index) is not None),
        CHRONICLE: sum(1 for text in texts if MONTH_HEADING.match(text)),
        PEOPLE: sum(1 for text in texts if is_profile(text)),
        INDEX: sum(1 for n in lines if is_reference(body.source.line(n))),
    }
    if counts[CHRONICLE] >= 2 and counts[CHRONICLE] * 2 >= counts[ENTRIES]:
        return CHRONICLE
    best = max(counts, key=lambda kind: counts[kind])
    if counts[best] >= 2 or (counts[best] == 1 and best == ENTRIES and hint in (None, ENTRIES)):
        return best
    return hint if hint in (ARTICLE, APPENDIX, CHRONICLE) else ARTICLE


def _read_chapter(body: BodyText, span: ChapterSpan, recorded_year: int | None, warnings: list[ParseWarning]) -> Node:
    lines = body.text_lines(span.start, span.end, skip=frozenset(span.title_lines))
    kind = content_kind(body, lines, span.reader)
    if kind == INDEX or span.reader == INDEX:
        return read_index(body, span.title, span.start, span.end)
    chapter = body.place(
        Node(
            kind=NodeKind.CHAPTER,
            title=span.title,
            line_start=span.start,
            line_end=span.end,
            level=1,
            attributes=ChapterAttributes(
                number=span.number,
                printed_title=span.printed_title,
                found_by=span.found_by,
                title_lines=list(span.title_lines),
            ),
        )
    )
    if span.listed is not None and span.listed.first_page is not None:
        chapter.page = span.listed.first_page
        chapter.page_end = span.listed.last_page if span.listed.last_page is not None else chapter.page_end
    if not lines:
        return chapter
    if kind == ENTRIES:
        read_entries(body, chapter, lines, warnings)
    elif kind == CHRONICLE:
        _read_chronicle(body, chapter, lines, recorded_year)
    elif kind == PEOPLE:
        read_profiles(body, chapter, lines)
    else:
        read_articles(body, chapter, lines, _article_kind(span, kind), warnings)
    return chapter


def _article_kind(span: ChapterSpan, kind: str) -> str:
    """Appendix documents in a chapter the vocabulary calls an appendix, or found after the entries end."""
    if kind == APPENDIX or span.found_by.startswith(("after_people", "after_entries")):
        return NodeKind.APPENDIX
    return NodeKind.ARTICLE


def _read_chronicle(body: BodyText, parent: Node, lines: list[int], recorded_year: int | None) -> None:
    from fangzhi.parse.chronicle import parse_chronicle

    chronicle = parse_chronicle(body.source, lines, recorded_year, body.pages.page_of_line)
    chronicle.title = chronicle.title or parent.title
    body.place(chronicle)
    parent.add(chronicle)
    body.attach_furniture([], parent, parent.line_start, parent.line_end)


def _read_without_chapters(
    body: BodyText, root: Node, start: int, end: int, recorded_year: int | None, warnings: list[ParseWarning]
) -> None:
    """An excerpt: no chapter shows, so the body is read by what it holds, straight under the volume."""
    lines = body.text_lines(start, end)
    if not lines:
        return
    warnings.append(
        ParseWarning(
            "chapters_unknown",
            "no chapter title, 目录 or bookmark list was found: the text is read without chapters",
            lines[0],
        )
    )
    region = Node(kind=NodeKind.VOLUME, title=root.title, line_start=start, line_end=end)
    kind = content_kind(body, lines, None)
    if kind == ENTRIES:
        read_entries(body, region, lines, warnings)
    elif kind == CHRONICLE:
        _read_chronicle(body, region, lines, recorded_year)
    elif kind == PEOPLE:
        read_profiles(body, region, lines)
    elif kind == INDEX:
        region.add(read_index(body, None, start, end))
    else:
        _read_titled_articles(body, region, lines, warnings)
    root.children.extend(region.children)


def _read_titled_articles(body: BodyText, region: Node, lines: list[int], warnings: list[ParseWarning]) -> None:
    """Articles of a text without chapters: only those with a title are recognised as such.

    With no chapter around it, a piece without a title is nothing recognised
    (an English note, a list of figures); its lines are left to become
    untitled paragraphs, its tables and captions stay.
    """
    found: list[ParseWarning] = []
    read_articles(body, region, lines, NodeKind.ARTICLE, found)
    kept: list[Node] = []
    for node in region.children:
        if node.kind == NodeKind.ARTICLE and node.title is None:
            kept.extend(node.children)
        else:
            kept.append(node)
    region.children = kept
    warnings.extend(warning for warning in found if warning.code != "article_without_title")


def _bookmark_node(furniture: TextFurniture) -> Node:
    bookmarks = furniture.bookmarks
    assert bookmarks is not None
    return Node(
        kind=NodeKind.CONTENTS,
        title="书签",
        line_start=bookmarks.line_start,
        line_end=bookmarks.line_end,
        text="\n".join(chapter.name for chapter in bookmarks.chapters),
        attributes=ContentsAttributes(source="bookmarks", chapters=list(bookmarks.chapters)),
    )


_DECLARED_NAMES = {
    "chapters": ("类目", NodeKind.CHAPTER, "chapter", "chapters"),
    "sections": ("分目", NodeKind.SECTION, "section", "sections"),
    "entries": ("条目", NodeKind.ENTRY, "entry", "entries"),
    "tables": ("表格", NodeKind.TABLE, "table", "tables"),
}


def _declared_differences(root: Node, declared: dict[str, int], line: int | None) -> list[ParseWarning]:
    """A warning for each count the editorial notes declare that the reading does not reach."""
    counts = Counter(node.kind for node, _ in root.walk())
    found = []
    for key, (word, kind, singular, plural) in _DECLARED_NAMES.items():
        if key in declared and declared[key] != counts[kind]:
            number = counts[kind]
            found.append(
                ParseWarning(
                    "declared_count_differs",
                    f"the editorial notes declare {declared[key]} {word}; "
                    f"{counted(number, singular, plural)} {agree(number, 'was', 'were')} found",
                    line,
                )
            )
    return found
