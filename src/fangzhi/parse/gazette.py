"""Government gazette issues (政府公报).

An issue is a masthead (title, 第N号（总第M号）, date), a 目录 that lists each
document with its page, the documents themselves and often a 大事记.  The
text has no page markers, so a document's page is only known from the 目录:
it becomes the document's ``page`` (where it starts, as the issue prints it)
and is also kept as ``contents_page``; the pages of its parts stay unknown.  Documents are found by their 文号 lines and
their titles matched against the 目录; a document without a 文号 is found by
its 目录 title alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.model import (
    ChronicleAttributes,
    Document,
    DocumentAttributes,
    IssueContentsAttributes,
    ListedDocument,
    Node,
    NodeKind,
    ParseWarning,
    Volume,
)
from fangzhi.parse.chronicle import parse_chronicle
from fangzhi.parse.official_document import document_number_line, parse_document
from fangzhi.parse.sections import build_paragraphs, heading_like, paragraph_node
from fangzhi.text.dates import is_date_line, parse_date
from fangzhi.text.normalize import fold_for_search, join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

_ISSUE = re.compile(r"第(?P<issue>\d{1,3})(?P<unit>[号期])[（(]总第(?P<running>\d{1,5})[号期][）)]")
_ISSUE_YEAR = re.compile(r"(?P<year>\d{4})年第\d{1,3}[号期]")
_CONTENTS_PAGE = re.compile(r"(?:[…\.·]{2,}\s*[（(]?\s*(?P<page>\d{1,4})\s*[）)]?|[…\.·]{2,}\s*(?P<bare>\d{1,4}))\s*$")
_TRAILING_DOC_NO = re.compile(r"[（(](?P<doc_no>[^（()）]{2,30}号)[）)]$")
_CONTENTS_GROUP = re.compile(r"^【(?P<group>[^】]{1,40})】$")
_CHRONICLE_TITLE = re.compile(r"大事记$")
_MAX_TITLE_LINES = 4


@dataclass
class Masthead:
    """What an issue's masthead prints: its title, 第N号（总第M号） and date."""

    title: str | None = None
    issue_number: int | None = None
    running_number: int | None = None
    issue_unit: str | None = None
    year: int | None = None
    date: str | None = None
    date_as_printed: str | None = None


def _key(text: str) -> str:
    """A comparison key for titles: folded, without spaces, dashes, dots or brackets' width."""
    folded = fold_for_search(squeeze_spaces(text))
    return re.sub(r"[\s\-—–－·•…]", "", folded)


def _contents_start(source: SourceText) -> int | None:
    for number in range(1, min(len(source), 400) + 1):
        if squeeze_spaces(source.line(number)) == "目录":
            return number
    return None


def _parse_contents(source: SourceText, start: int) -> tuple[list[ListedDocument], int]:
    """The 目录 items after the 目录 heading, and the last line of the 目录."""
    items: list[ListedDocument] = []
    group: str | None = None
    pending: list[int] = []
    last = start
    for number in range(start + 1, len(source) + 1):
        raw = source.line(number)
        text = squeeze_spaces(raw)
        if not text:
            continue
        group_match = _CONTENTS_GROUP.match(text)
        if group_match and not pending:
            group = group_match.group("group")
            last = number
            continue
        starts_item = raw.lstrip().startswith(("-", "－", "—", "·", "•"))
        page_match = _CONTENTS_PAGE.search(text)
        if not (starts_item or page_match or pending or _wraps_into_item(source, number)):
            break
        if starts_item and pending:
            items.append(_contents_item(source, group, pending, None))
            pending = []
        pending.append(number)
        last = number
        if page_match:
            page = page_match.group("page") or page_match.group("bare")
            items.append(_contents_item(source, group, pending, int(page)))
            pending = []
    if pending:
        items.append(_contents_item(source, group, pending, None))
    return items, last


def _wraps_into_item(source: SourceText, number: int) -> bool:
    """A 目录 line without a page number or a dash: the start of an item wrapped onto the next line."""
    text = squeeze_spaces(source.line(number))
    if not heading_like(text, 60):
        return False
    following = next((n for n in range(number + 1, min(number + 4, len(source) + 1)) if source.line(n).strip()), None)
    if following is None:
        return False
    raw = source.line(following)
    return bool(_CONTENTS_PAGE.search(squeeze_spaces(raw))) and not raw.lstrip().startswith(("-", "－", "—", "·", "•"))


def _contents_item(source: SourceText, group: str | None, lines: list[int], page: int | None) -> ListedDocument:
    text = join_lines(source.line(n) for n in lines)
    text = re.sub(r"^[-－—·•]\s*", "", text)
    text = _CONTENTS_PAGE.sub("", text).rstrip("…. ·")
    doc_no = _TRAILING_DOC_NO.search(text)
    if doc_no:
        text = text[: doc_no.start()].rstrip()
    return ListedDocument(
        group=group,
        title=text,
        doc_no=doc_no.group("doc_no") if doc_no else None,
        page=page,
        line_start=lines[0],
        line_end=lines[-1],
    )


def _masthead(source: SourceText, end: int) -> Masthead:
    lines = [squeeze_spaces(source.line(n)) for n in range(1, end + 1)]
    masthead = Masthead(title=next((text for text in lines if text.endswith("公报") and len(text) <= 30), None))
    for text in lines:
        match = _ISSUE.search(text)
        if match:
            masthead.issue_number = int(match.group("issue"))
            masthead.running_number = int(match.group("running"))
            masthead.issue_unit = match.group("unit")
            break
    year = next((int(m.group("year")) for text in lines if (m := _ISSUE_YEAR.search(text))), None)
    if year is None:
        year = next((int(text) for text in lines if re.fullmatch(r"(19|20)\d{2}", text)), None)
    masthead.year = year
    date_line = next((n for n in range(1, end + 1) if is_date_line(source.line(n))), None)
    if date_line:
        masthead.date_as_printed = squeeze_spaces(source.line(date_line))
        masthead.date = parse_date(source.line(date_line))[0]
    return masthead


def _title_before(source: SourceText, doc_no_line: int, floor: int, titles: set[str]) -> list[int]:
    """The title lines just above a 文号 line: matched against the 目录, else up to the 关于 line and its issuer."""
    previous: list[int] = []
    number = doc_no_line - 1
    while number > floor and len(previous) < _MAX_TITLE_LINES:
        if source.line(number).strip():
            text = squeeze_spaces(source.line(number))
            if not heading_like(text, 120) or is_date_line(text):
                break
            previous.insert(0, number)
        number -= 1
    for size in range(1, len(previous) + 1):
        candidate = previous[-size:]
        if _key(join_lines(source.line(n) for n in candidate)) in titles:
            return candidate
    chosen: list[int] = []
    for number in reversed(previous):
        chosen.insert(0, number)
        joined = join_lines(source.line(n) for n in chosen)
        if "关于" in joined and not joined.startswith("关于"):
            break
        if joined.startswith("关于") and len(chosen) < len(previous):
            chosen.insert(0, previous[len(previous) - len(chosen) - 1])
            break
    return chosen or previous[-1:]


def _chronicle_start(source: SourceText, floor: int) -> tuple[int, list[int]] | None:
    """The 大事记 heading lines (group title and the dated title) of a gazette, if it has one."""
    for number in range(floor + 1, len(source) + 1):
        text = squeeze_spaces(source.line(number))
        if not (_CHRONICLE_TITLE.search(text) and heading_like(text, 40)):
            continue
        headings = [number]
        follow = number + 1
        while follow <= len(source) and not source.line(follow).strip():
            follow += 1
        if follow <= len(source):
            next_text = squeeze_spaces(source.line(follow))
            if _CHRONICLE_TITLE.search(next_text) and heading_like(next_text, 40):
                headings.append(follow)
        return number, headings
    return None


def _chronicle(source: SourceText, headings: list[int], end: int, issue_year: int | None) -> Node:
    """The issue's 大事记; its dates take the title's year (2023年11—12月大事记), else the issue's."""
    title_line = headings[-1]
    title = squeeze_spaces(source.line(title_line))
    year_match = re.search(r"(\d{4})年", title)
    year = int(year_match.group(1)) if year_match else issue_year
    body = [n for n in range(title_line + 1, end + 1) if source.line(n).strip()]
    if body:
        node = parse_chronicle(source, body, year)
    else:
        node = Node(
            kind=NodeKind.CHRONICLE,
            title=title,
            line_start=headings[0],
            line_end=end,
            attributes=ChronicleAttributes(year=year),
        )
    node.title = title
    node.line_start = headings[0]
    node.line_end = max(node.line_end, end)
    if len(headings) > 1:
        ChronicleAttributes.of(node).group_title = squeeze_spaces(source.line(headings[0]))
    return node


def parse_gazette(source: SourceText, volume_id: str) -> Document:
    """Parse one gazette issue: masthead, 目录, documents and 大事记."""
    contents_line = _contents_start(source)
    warnings: list[ParseWarning] = []
    root = Node(kind=NodeKind.VOLUME, title=None, line_start=1, line_end=max(len(source), 1))
    contents: list[ListedDocument] = []
    if contents_line is None:
        warnings.append(ParseWarning("contents_missing", "no 目录 found; documents are found by their 文号 alone"))
        masthead = _masthead(source, min(len(source), 60))
        body_floor = 0
    else:
        masthead = _masthead(source, contents_line - 1)
        contents, contents_end = _parse_contents(source, contents_line)
        body_floor = contents_end
        if contents_line > 1:
            root.add(_front_matter(source, 1, contents_line - 1))
        root.add(
            Node(
                kind=NodeKind.CONTENTS,
                title="目录",
                line_start=contents_line,
                line_end=contents_end,
                text="；".join(item.title for item in contents),
                attributes=IssueContentsAttributes(items=list(contents)),
            )
        )
    titles = {_key(item.title): item for item in contents}

    chronicle = _chronicle_start(source, body_floor)
    body_end = chronicle[0] - 1 if chronicle else len(source)
    starts: list[tuple[int, list[int]]] = []
    previous_end = body_floor
    previous_line: int | None = None
    for number in range(body_floor + 1, body_end + 1):
        if not source.line(number).strip():
            continue
        doc_no = document_number_line(source, number, previous_line)
        previous_line = number
        if doc_no is None:
            continue
        title_lines = _title_before(source, number, previous_end, set(titles))
        starts.append((title_lines[0] if title_lines else number, title_lines))
        previous_end = number

    first = starts[0][0] if starts else body_end + 1
    if first > body_floor + 1 and any(source.line(n).strip() for n in range(body_floor + 1, first)):
        root.add(_front_matter(source, body_floor + 1, first - 1))
    documents = _parse_documents(source, starts, body_end)
    matched = {_key(node.title or "") for node in documents} | {
        _key(_attachment_title(node) or "") for node in documents
    }
    extra = _documents_without_number(source, body_floor, body_end, titles, matched)
    if extra:
        documents = _parse_documents(source, sorted(starts + extra), body_end)
    for node in documents:
        attributes = DocumentAttributes.of(node)
        item = titles.get(_key(node.title or "")) or titles.get(_key(attributes.attachment_title or ""))
        attributes.contents_page = node.page = item.page if item else None
        if item is None and contents:
            attributes.warnings.append(
                ParseWarning("document_not_in_contents", f"document {node.title} is not in the 目录", node.line_start)
            )
        warnings.extend(attributes.warnings)
        root.add(node)
    if chronicle:
        node = _chronicle(source, chronicle[1], len(source), masthead.year)
        item = titles.get(_key(node.title or ""))
        ChronicleAttributes.of(node).contents_page = node.page = item.page if item else None
        root.add(node)

    found = {_key(child.title or "") for child in root.children} | {
        _key(_attachment_title(child) or "") for child in root.children
    }
    for item in contents:
        if _key(item.title) not in found:
            warnings.append(
                ParseWarning(
                    "contents_item_missing",
                    f"目录 item {item.title} (page {item.page}) was not found in the text",
                    item.line_start,
                )
            )

    masthead_title = masthead.title or volume_id
    year, issue = masthead.year, masthead.issue_number
    title = f"{masthead_title} {year}年第{issue}{masthead.issue_unit or '号'}" if year and issue else masthead_title
    volume = Volume.of_source(
        volume_id,
        "gazette",
        source,
        title,
        year,
        {
            "issue_number": masthead.issue_number,
            "running_number": masthead.running_number,
            "date": masthead.date,
            "date_as_printed": masthead.date_as_printed,
            "contents": [item.to_dict() for item in contents],
        },
    )
    root.title = title
    return Document(volume=volume, source=source, root=root, warnings=warnings)


def _attachment_title(node: Node) -> str | None:
    """The title of what a document encloses, by which the 目录 may list it; other parts of an issue have none."""
    return DocumentAttributes.of(node).attachment_title if node.kind == NodeKind.DOCUMENT else None


def _parse_documents(source: SourceText, starts: list[tuple[int, list[int]]], body_end: int) -> list[Node]:
    documents: list[Node] = []
    for index, (start, title_lines) in enumerate(starts):
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else body_end
        while end > start and not source.line(end).strip():
            end -= 1
        documents.append(parse_document(source, start, end, title_lines))
    return documents


def _documents_without_number(
    source: SourceText,
    floor: int,
    end: int,
    titles: dict[str, ListedDocument],
    matched: set[str],
) -> list[tuple[int, list[int]]]:
    """Documents listed in the 目录 whose title stands in the text with no 文号 after it."""
    extra: list[tuple[int, list[int]]] = []
    wanted = {key for key in titles if key not in matched and not _CHRONICLE_TITLE.search(key)}
    if not wanted:
        return extra
    nonblank = [n for n in range(floor + 1, end + 1) if source.line(n).strip()]
    for index, number in enumerate(nonblank):
        for size in range(1, _MAX_TITLE_LINES + 1):
            lines = nonblank[index : index + size]
            key = _key(join_lines(source.line(n) for n in lines))
            if key in wanted:
                extra.append((number, lines))
                wanted.discard(key)
                break
    return extra


def _front_matter(source: SourceText, start: int, end: int) -> Node:
    node = Node(kind=NodeKind.FRONT_MATTER, title=None, line_start=start, line_end=end)
    for paragraph in build_paragraphs(source, range(start, end + 1)):
        node.add(paragraph_node(paragraph))
    node.text = " ".join(child.text for child in node.children)
    return node
