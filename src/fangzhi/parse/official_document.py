"""Official documents (公文): standalone files, and each document inside a gazette issue.

A document is read in the order the 公文 format prescribes: title (issuer +
关于 + subject + kind), 文号, recipients (主送机关, ending with ：), the notice
body, the issuer's signature and the date, then whatever the notice encloses
(a plan, rules, a named list) and its attachments (附件).  Each part is found
by its shape, not by position in one sample, and anything missing becomes a
warning on the document.

This module is also the fallback for any text that is neither a yearbook nor
a gazette: a text with no 文号 and no document shape still becomes a volume
of paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from fangzhi.model import (
    AttachmentAttributes,
    Document,
    DocumentAttributes,
    FrontMatterAttributes,
    ListAttributes,
    ListGroupAttributes,
    Node,
    NodeKind,
    ParseWarning,
    Volume,
)
from fangzhi.parse.doc_number import DocNumber, make_order_number, parse_doc_number
from fangzhi.parse.sections import (
    Paragraph,
    attachment_marker,
    build_paragraphs,
    build_section_tree,
    ends_sentence,
    heading_like,
    paragraph_node,
    section_marker,
)
from fangzhi.parse.titles import is_table_row
from fangzhi.parse.web_furniture import FurnitureLine, TextFurniture, read_furniture, reading_view
from fangzhi.text.dates import FoundDate, find_dates, is_date_line, parse_date
from fangzhi.text.normalize import fold_for_search, join_lines, squeeze_spaces
from fangzhi.text.plural import agree, counted
from fangzhi.text.source import SourceText

_KIND_WORDS = (
    "通知",
    "通报",
    "公报",
    "决定",
    "决议",
    "意见",
    "办法",
    "规定",
    "细则",
    "条例",
    "规则",
    "方案",
    "预案",
    "规划",
    "计划",
    "公告",
    "通告",
    "批复",
    "报告",
    "请示",
    "纪要",
    "命令",
    "名单",
    "函",
    "令",
)
_ISSUER_END = re.compile(
    r"(人民政府|政府|办公室|办公厅|委员会|管委会|领导小组|小组|局|厅|部|委|院|会|署|处|中心|公司|调查队|总队|支队)$"
)
_SUBJECT_START = re.compile(r"关于|印发|转发|批转")
_YEAR_ONLY = re.compile(r"^[（(]\d{4}年[）)]$")
# The line under a decision's title that says when it was adopted: （2023年5月31日…会议通过）.
_ADOPTED_END = re.compile(r"(?:通过|批准|修正|修订|公布)[）)]?$")
_FOOTNOTE_MARK = re.compile(r"(?:\[\d{1,2}\]|［\d{1,2}］|[①②③④⑤])+$")
# A decision reprinted without its 会议通过 line: its body opens with the grounds (根据…, 鉴于…).
_DECISION_KINDS = ("决定", "决议")
_DECISION_BODY = re.compile(r"^(?:根据|鉴于|依照|依据)")
# A line wholly in brackets ends what comes before it (（万载县统计局）); no title starts with one.
_BRACKETED_LINE = re.compile(r"^[（(][^（()）]*[）)]$")
# A communiqué prints its issuer and date right under its title.
_DATED_KINDS = ("统计公报",)
# Kinds of document that a file may hold several of, one after another.
_SERIAL_KINDS = ("决定", "决议", "公告", "通告", "通知", "命令", "令", "名单", "批复", "意见")
_LIST_GROUP = re.compile(
    r"^(?P<number>[一二三四五六七八九十百]+、|\d{1,2}[.．、]|[（(][一二三四五六七八九十]+[）)])?\s*"
    r"(?P<name>[^（(]{1,30}?)\s*[（(](?P<count>\d{1,4})(?P<unit>[家个名人项所户件])[）)]$"
)
_LIST_TITLE = re.compile(r"(名单|名录)$")
_ITEM_NUMBER = re.compile(r"^(\d{1,4}[.．、]|[（(]\d{1,4}[）)])\s*")


@dataclass
class DocumentParts:
    """What was recognised in a document's lines, before nodes are built."""

    title_lines: list[int] = field(default_factory=list)
    header_lines: list[int] = field(default_factory=list)
    doc_no_line: int | None = None
    doc_no: DocNumber | None = None
    recipients_lines: list[int] = field(default_factory=list)
    signature_line: int | None = None
    date_line: int | None = None
    year_line: int | None = None
    adopted_lines: list[int] = field(default_factory=list)
    adopted_date: FoundDate | None = None


def document_kind(title: str) -> str | None:
    """The kind of document its title names: 任免通知, 印发通知, 公布通知, 通知, 公告, 意见, …"""
    core = re.sub(r"[（(][^（()）]*[）)]$", "", _FOOTNOTE_MARK.sub("", title).strip())
    kind = next((word for word in _KIND_WORDS if core.endswith(word)), None)
    if kind != "通知":
        return kind
    outside_quotes = re.sub(r"《[^》]*》", "", core)
    if re.search(r"任免|任命|免去|聘任", outside_quotes):
        return "任免通知"
    if re.search(r"印发|转发|批转", outside_quotes):
        return "印发通知"
    if "公布" in outside_quotes:
        return "公布通知"
    return "通知"


def issuer_of(title: str) -> str | None:
    """The issuing body named at the start of a title (before 关于/印发), if any."""
    if title.endswith("令") and len(title) > 2 and not _SUBJECT_START.search(title):
        return title[:-1]
    outside = re.sub(r"《[^》]*》", lambda match: "#" * len(match.group(0)), title)
    match = _SUBJECT_START.search(outside)
    if not match or match.start() == 0:
        return None
    issuer = title[: match.start()].strip()
    return issuer if 2 <= len(issuer) <= 60 else None


def _fold(text: str) -> str:
    folded = fold_for_search(squeeze_spaces(text))
    return re.sub(r"[\s\-—–－·•…]", "", unicodedata.normalize("NFKC", folded))


def _nonblank(source: SourceText, start: int, end: int) -> list[int]:
    return [number for number in range(start, end + 1) if source.line(number).strip()]


def _is_title_line(text: str) -> bool:
    squeezed = squeeze_spaces(text)
    return 0 < len(squeezed) <= 160 and not re.search(r"[。；]", squeezed) and not is_date_line(squeezed)


_ORDER_LINE = re.compile(r"^第(?P<number>\d{1,5})号$")


def document_number_line(source: SourceText, number: int, previous: int | None) -> DocNumber | None:
    """The 文号 a line consists of, or the 令号 of an order (a ``第12号`` line under a title ending in 令)."""
    doc_no = parse_doc_number(source.line(number))
    if doc_no is not None or previous is None:
        return doc_no
    match = _ORDER_LINE.match(squeeze_spaces(source.line(number)))
    title = squeeze_spaces(source.line(previous))
    if match and title.endswith("令") and heading_like(title, 40):
        return make_order_number(title, match.group("number"), title + match.group(0))
    return None


def _find_parts(source: SourceText, lines: list[int], title_lines: Sequence[int] | None) -> DocumentParts:
    parts = DocumentParts()
    for index, number in enumerate(lines[:12]):
        previous = lines[index - 1] if index else None
        doc_no = document_number_line(source, number, previous)
        if doc_no is not None:
            parts.doc_no_line, parts.doc_no = number, doc_no
            parts.header_lines = lines[:index]
            if title_lines is None:
                title_lines = [n for n in lines[:index] if _is_title_line(source.line(n))]
            break
    if title_lines is not None and parts.doc_no_line is None:
        parts.header_lines = list(title_lines)
    if title_lines is None:
        title_lines = []
        for number in lines[:4]:
            text = squeeze_spaces(source.line(number))
            if not _is_title_line(text) or section_marker(text):
                break
            title_lines.append(number)
            if document_kind(text):
                break
        if title_lines and not document_kind(join_lines(source.line(n) for n in title_lines)):
            title_lines = title_lines[:1] if heading_like(squeeze_spaces(source.line(title_lines[0])), 80) else []
        if title_lines:
            following = [n for n in lines if n > title_lines[-1]][:1]
            if following and _fold(source.line(following[0])) == _fold(source.line(title_lines[-1])):
                title_lines = [*title_lines, following[0]]
        parts.header_lines = list(title_lines)
    parts.title_lines = _drop_repeated_titles(source, list(title_lines))
    after = parts.doc_no_line or (parts.header_lines[-1] if parts.header_lines else lines[0] - 1)
    rest = [number for number in lines if number > after]
    if rest and _YEAR_ONLY.match(squeeze_spaces(source.line(rest[0]))):
        parts.year_line = rest[0]
        rest = rest[1:]
    adopted = adopted_lines(source, rest)
    if adopted is not None:
        parts.adopted_lines, parts.adopted_date = adopted
        rest = rest[len(parts.adopted_lines) :]
    recipients: list[int] = []
    for number in rest[:3]:
        text = squeeze_spaces(source.line(number))
        if "。" in text or section_marker(text) or is_date_line(text):
            break
        recipients.append(number)
        if text.endswith(("：", ":")):
            parts.recipients_lines = recipients
            break
    body_start = (
        parts.recipients_lines[-1]
        if parts.recipients_lines
        else parts.adopted_lines[-1]
        if parts.adopted_lines
        else (parts.year_line or after)
    )
    for number in lines:
        if number > body_start and is_date_line(source.line(number)):
            parts.date_line = number
            break
    if parts.date_line is not None:
        before = [number for number in lines if body_start < number < parts.date_line]
        if before:
            candidate = squeeze_spaces(source.line(before[-1]))
            if (
                heading_like(candidate, 60)
                and _ISSUER_END.search(candidate)
                and not attachment_marker(candidate)
                and not section_marker(candidate)
            ):
                parts.signature_line = before[-1]
    return parts


def adopted_lines(source: SourceText, lines: Sequence[int]) -> tuple[list[int], FoundDate | None] | None:
    """The 会议通过 line under a decision's title (one line, or two when it wraps), and the date it gives."""
    joined = ""
    taken: list[int] = []
    for number in lines[:2]:
        joined += squeeze_spaces(source.line(number))
        taken.append(number)
        if len(joined) > 120:
            return None
        if _ADOPTED_END.search(joined):
            found = find_dates(joined)
            if not (joined.startswith(("（", "(")) or found):
                return None
            return taken, (found[0] if found else None)
    return None


def _drop_repeated_titles(source: SourceText, numbers: list[int]) -> list[int]:
    """A database export may print the title twice (once with ASCII brackets); keep the last copy."""
    kept: list[int] = []
    for number in numbers:
        if kept and _fold(source.line(kept[-1])) == _fold(source.line(number)):
            kept[-1] = number
            continue
        kept.append(number)
    # A title wrapped over lines and printed twice: the second run of lines says the same as the first.
    for cut in range(1, len(kept)):
        if _fold("".join(source.line(n) for n in kept[:cut])) == _fold("".join(source.line(n) for n in kept[cut:])):
            return kept[cut:]
    return kept


def _enclosed_titles(notice_text: str) -> list[str]:
    return [_fold(title) for title in re.findall(r"《([^《》]{2,120})》", notice_text)]


def _split_enclosures(source: SourceText, lines: list[int], notice_text: str) -> list[tuple[int | None, list[int]]]:
    """Split what follows the date into enclosed documents: (title line or None, body lines)."""
    titles = set(_enclosed_titles(notice_text))
    starts: list[int] = []
    for index, number in enumerate(lines):
        text = squeeze_spaces(source.line(number))
        if index == 0:
            if _is_title_line(text) and not section_marker(text) and not attachment_marker(text):
                starts.append(index)
            continue
        if titles and _is_title_line(text) and _fold(text) in titles:
            starts.append(index)
    if not starts or starts[0] != 0:
        first = starts[0] if starts else len(lines)
        pieces: list[tuple[int | None, list[int]]] = [(None, lines[:first])] if first else []
    else:
        pieces = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        pieces.append((lines[start], lines[start + 1 : end]))
    return pieces


def _attachment_segments(
    source: SourceText, lines: list[int]
) -> tuple[list[int], list[tuple[int, int | None, list[int]]], list[str]]:
    """Split lines at 附件 headings.

    Returns the lines before the first attachment, the attachments as
    (heading line, title line, body lines), and the titles that 附件：X
    lines announce.
    """
    announced: list[str] = []
    starts: list[int] = []
    texts = [squeeze_spaces(source.line(number)) for number in lines]
    index = 0
    while index < len(lines):
        marker = attachment_marker(texts[index])
        if marker is None:
            index += 1
            continue
        number, title = marker
        if title:
            announced.append(re.sub(r"^\d{1,2}[.．、]\s*", "", title))
            follow = index + 1
            while follow < len(lines) and re.match(r"^\d{1,2}[.．、]\S", texts[follow]):
                announced.append(re.sub(r"^\d{1,2}[.．、]\s*", "", texts[follow]))
                follow += 1
            index = follow
            continue
        next_title = index + 1 if index + 1 < len(lines) and _is_title_line(texts[index + 1]) else None
        after_title = (next_title or index) + 1
        if next_title is not None and after_title < len(lines) and attachment_marker(texts[after_title]):
            announced.append(texts[next_title])
            index = after_title
            continue
        starts.append(index)
        index = after_title
    segments: list[tuple[int, int | None, list[int]]] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        has_title = start + 1 < end and _is_title_line(texts[start + 1]) and not section_marker(texts[start + 1])
        title_line = lines[start + 1] if has_title else None
        body = lines[start + (2 if has_title else 1) : end]
        segments.append((lines[start], title_line, body))
    head = lines[: starts[0]] if starts else lines
    return head, segments, announced


def _span(source: SourceText, numbers: Sequence[int]) -> list[int]:
    """All line numbers (blank ones included) from the first to the last given one."""
    if not numbers:
        return []
    return list(range(numbers[0], numbers[-1] + 1))


def _list_node(source: SourceText, title: str | None, lines: list[int]) -> tuple[Node, list[Node]]:
    """A named list: groups with declared counts (汝州市（28家）) and one item per line."""
    attributes = ListAttributes()
    node = Node(kind=NodeKind.LIST, title=title, line_start=lines[0], line_end=lines[-1], attributes=attributes)
    extra: list[Node] = []
    group: Node | None = None
    for number in lines:
        raw = source.line(number)
        text = squeeze_spaces(raw)
        if not text:
            continue
        match = _LIST_GROUP.match(text)
        if match:
            name_as_printed = match.group("name").strip()
            group = Node(
                kind=NodeKind.LIST_GROUP,
                title=fold_for_search(name_as_printed),
                line_start=number,
                line_end=number,
                text=text,
                attributes=ListGroupAttributes(
                    number=(match.group("number") or "").strip() or None,
                    name_as_printed=name_as_printed,
                    declared_count=int(match.group("count")),
                    unit=match.group("unit"),
                ),
            )
            node.add(group)
            continue
        if ends_sentence(text) and len(text) > 30:
            extra.append(paragraph_node(Paragraph(lines=[number], text=text)))
            continue
        item = Node(
            kind=NodeKind.LIST_ITEM,
            title=_ITEM_NUMBER.sub("", text),
            line_start=number,
            line_end=number,
            text=_ITEM_NUMBER.sub("", text),
        )
        if group is not None:
            group.add(item)
            group.line_end = number
        else:
            node.add(item)
    for child in node.children:
        if child.kind != NodeKind.LIST_GROUP:
            continue
        group_attributes = ListGroupAttributes.of(child)
        found = len(child.children)
        group_attributes.count = found
        declared = group_attributes.declared_count
        if found != declared:
            message = (
                f"list group {group_attributes.name_as_printed} (line {child.line_start}) "
                f"declares {declared} {group_attributes.unit} but {counted(found, 'item')} {agree(found, 'was', 'were')} found"
            )
            warning = ParseWarning("list_count_mismatch", message, child.line_start)
            group_attributes.warnings.append(warning)
            attributes.warnings.append(warning)
    attributes.count = sum(1 for item, _ in node.walk() if item.kind == NodeKind.LIST_ITEM)
    return node, extra


def _looks_like_list(source: SourceText, title: str | None, lines: list[int]) -> bool:
    if title and _LIST_TITLE.search(title):
        return True
    texts = [squeeze_spaces(source.line(number)) for number in lines if source.line(number).strip()]
    groups = sum(1 for text in texts if _LIST_GROUP.match(text))
    return groups >= 2 and groups * 3 <= len(texts)


def _content_nodes(source: SourceText, lines: list[int], title: str | None, warnings: list[ParseWarning]) -> list[Node]:
    """Paragraphs and numbered sections of one part, or a list if it is one."""
    if not lines:
        return []
    if _looks_like_list(source, title, lines):
        node, extra = _list_node(source, title, lines)
        return [node, *extra]
    paragraphs = build_paragraphs(source, _span(source, lines), warnings)
    return build_section_tree(paragraphs)


def _attachment(
    source: SourceText,
    title_line: int | None,
    heading_line: int | None,
    body: list[int],
    role: str,
    warnings: list[ParseWarning],
) -> Node:
    title = join_lines([source.line(title_line)]) if title_line else None
    first = heading_line or title_line or (body[0] if body else 1)
    last = max([first, *(body[-1:] or []), title_line or first])
    node = Node(
        kind=NodeKind.ATTACHMENT,
        title=title,
        line_start=first,
        line_end=last,
        text=title or "",
        attributes=AttachmentAttributes(
            role=role, heading=squeeze_spaces(source.line(heading_line)) if heading_line is not None else None
        ),
    )
    head, segments, _ = _attachment_segments(source, body)
    for child in _content_nodes(source, head, title, warnings):
        node.add(child)
    for heading, nested_title, nested_body in segments:
        node.add(_attachment(source, nested_title, heading, nested_body, "attachment", warnings))
    return node


def parse_document(
    source: SourceText,
    start: int,
    end: int,
    title_lines: Sequence[int] | None = None,
) -> Node:
    """Parse lines ``start``..``end`` as one official document and return its DOCUMENT node.

    ``title_lines`` may be given when the caller already knows them (a
    gazette matches them against its 目录); otherwise they are the lines
    before the 文号, or the first title-like lines when there is no 文号.
    """
    lines = _nonblank(source, start, end)
    warnings: list[ParseWarning] = []
    parts = _find_parts(source, lines, title_lines)
    title = join_lines(source.line(n) for n in parts.title_lines) if parts.title_lines else None
    if title:
        # A footnote mark after the title (统计公报[1]) points to a note, it is not part of the name.
        title = _FOOTNOTE_MARK.sub("", title).strip() or title
    issuer = issuer_of(title) if title else None
    if issuer is None and parts.signature_line is not None:
        # Two bodies signing together are printed apart (统计局  国家统计局…调查队): keep them apart.
        issuer = " ".join(
            squeeze_spaces(part) for part in re.split(r"\s{2,}", source.line(parts.signature_line).strip())
        )
    date, date_as_printed = None, None
    if parts.date_line is not None:
        date_as_printed = squeeze_spaces(source.line(parts.date_line))
        date, problem = parse_date(date_as_printed)
        if problem:
            warnings.append(ParseWarning("date_invalid", problem, parts.date_line))
    elif parts.adopted_date is not None:
        date = parts.adopted_date.iso
        date_as_printed = parts.adopted_date.as_printed
        warnings.extend(
            ParseWarning(code, message, parts.adopted_lines[0]) for code, message in parts.adopted_date.warnings
        )
    doc_type = document_kind(title) if title else None
    if parts.doc_no is not None:
        warnings.extend(replace(warning, line=parts.doc_no_line) for warning in parts.doc_no.warnings)
    consumed = {*parts.header_lines, *parts.title_lines, *parts.recipients_lines, *parts.adopted_lines}
    for number in (parts.doc_no_line, parts.year_line, parts.signature_line, parts.date_line):
        if number is not None:
            consumed.add(number)
    if parts.date_line is not None:
        notice_lines = [n for n in lines if n < parts.date_line and n not in consumed]
        enclosed_lines = [n for n in lines if n > parts.date_line]
    else:
        notice_lines = [n for n in lines if n not in consumed]
        enclosed_lines = []
    notice_head, notice_attachments, announced = _attachment_segments(source, notice_lines)
    recipients = join_lines(source.line(n) for n in parts.recipients_lines) if parts.recipients_lines else None
    attributes = DocumentAttributes(
        doc_no=parts.doc_no.normalized if parts.doc_no else None,
        doc_no_as_printed=parts.doc_no.as_printed if parts.doc_no else None,
        issuer=issuer,
        date=date,
        date_as_printed=date_as_printed,
        type=doc_type,
        recipients=recipients,
        adopted_as_printed=join_lines(source.line(n) for n in parts.adopted_lines) or None,
        attachments=announced,
        warnings=warnings,
    )
    node = Node(
        kind=NodeKind.DOCUMENT,
        title=title,
        line_start=lines[0] if lines else start,
        line_end=lines[-1] if lines else end,
        text="",
        attributes=attributes,
    )
    notice_nodes = _content_nodes(source, notice_head, None, warnings)
    for child in notice_nodes:
        node.add(child)
    node.text = " ".join(part for part in (title, parts.doc_no.as_printed if parts.doc_no else None) if part)
    notice_text = "".join(child.text for child, _ in node.walk()) if enclosed_lines else ""
    for heading, title_line, body in notice_attachments:
        node.add(_attachment(source, title_line, heading, body, "attachment", warnings))
    enclosed_titles: list[str] = []
    for title_line, body in _split_enclosures(source, enclosed_lines, notice_text):
        attachment = _attachment(source, title_line, None, body, "enclosed", warnings)
        if attachment.title:
            enclosed_titles.append(attachment.title)
        node.add(attachment)
    if enclosed_titles:
        attributes.attachment_title = "；".join(enclosed_titles)
    elif announced:
        attributes.attachment_title = "；".join(announced)
    _in_force(node)
    _check_complete(source, node, parts, lines, warnings)
    return node


_IN_FORCE = re.compile(
    r"自(?P<when>(?:发布|印发|公布|颁布|发文)之日|\d{4}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
    r"[起至]?[^。；]{0,30}?(?:施行|实施|执行|生效)"
)


def _in_force(node: Node) -> None:
    """When the document takes effect (本预案自发布之日起实施 → its date), from its closing clause."""
    for child, _ in node.walk():
        if child.kind not in (NodeKind.PARAGRAPH, NodeKind.DOCUMENT_SECTION):
            continue
        match = _IN_FORCE.search(child.text)
        if not match:
            continue
        when = match.group("when")
        attributes = DocumentAttributes.of(node)
        attributes.in_force_from = attributes.date if when.endswith("之日") else parse_date(when)[0]
        attributes.in_force_as_printed = match.group(0)
        return


def _check_complete(
    source: SourceText, node: Node, parts: DocumentParts, lines: list[int], warnings: list[ParseWarning]
) -> None:
    """Warn about what a complete document would have: a title, a date, its enclosure, a last full stop."""
    if not parts.title_lines:
        warnings.append(ParseWarning("document_no_title", "document has no title", node.line_start))
    if parts.date_line is None and parts.adopted_date is None:
        warnings.append(
            ParseWarning(
                "document_no_date", f"document {node.title or node.line_start}: no date line found", node.line_start
            )
        )
    kind = DocumentAttributes.of(node).type
    if kind == "印发通知" and not any(
        child.kind == NodeKind.ATTACHMENT and AttachmentAttributes.of(child).role == "enclosed"
        for child in node.children
    ):
        warnings.append(
            ParseWarning(
                "document_enclosure_missing",
                f"document {node.title}: the enclosed text it issues is missing; the document may be cut off",
                node.line_start,
            )
        )
    last_text = _last_prose(node)
    if (
        last_text is not None
        and len(last_text) >= 12
        and re.search(r"[，。；、]", last_text)
        and not ends_sentence(last_text)
        and not last_text.endswith(("）", ")", "”", "」", "》"))
    ):
        warnings.append(
            ParseWarning(
                "document_cut_off",
                f"document {node.title or node.line_start} ends mid-sentence; the text may be cut off",
                node.line_end,
            )
        )


def _last_prose(node: Node) -> str | None:
    """The text of the last paragraph or section of a document, unless it ends in a list or table."""
    last: Node | None = None
    for child, _ in node.walk():
        if child.kind in (NodeKind.PARAGRAPH, NodeKind.DOCUMENT_SECTION, NodeKind.LIST_ITEM, NodeKind.LIST):
            last = child
    if last is None or last.kind in (NodeKind.LIST_ITEM, NodeKind.LIST):
        return None
    if last.kind == NodeKind.DOCUMENT_SECTION and last.children:
        return None
    return last.text


def paragraphs(source: SourceText, start: int = 1, end: int | None = None) -> list[Node]:
    """Paragraph nodes for lines ``start``..``end``, rebuilt across wraps and page breaks."""
    end = end or len(source)
    return [paragraph_node(p) for p in build_paragraphs(source, range(start, end + 1))]


def _looks_like_document(node: Node) -> bool:
    attributes = DocumentAttributes.of(node)
    return bool(attributes.doc_no or (node.title and attributes.type) or (node.title and attributes.date))


def _title_text(text: str) -> str:
    return _FOOTNOTE_MARK.sub("", text).strip()


def _drop_page_title_copy(source: SourceText, furniture: TextFurniture) -> None:
    """A page title that the text repeats as its own title (one or several lines) is furniture."""
    line = furniture.page_title_line
    if line is None or not furniture.page_title:
        return
    following = [n for n in range(line + 1, len(source) + 1) if source.line(n).strip() and n not in furniture.lines]
    wanted = _fold(furniture.page_title)
    for size in range(1, 5):
        if _fold("".join(source.line(n) for n in following[:size])) == wanted:
            furniture.lines[line] = FurnitureLine(line, "page_title", furniture.page_title)
            return


def document_starts(source: SourceText, lines: Sequence[int]) -> list[tuple[int, list[int]]]:
    """Where each of several documents in one text begins: (first line, title lines).

    A document starts with a title (one to four short lines ending in 决定,
    通知, 公告 …) followed by its 文号 or its 会议通过 line; a decision also by
    the grounds its body opens with (根据…).
    """
    starts: list[tuple[int, list[int]]] = []
    index = 0
    while index < len(lines):
        found = None
        for size in range(1, 5):
            block = lines[index : index + size]
            if len(block) < size or not all(_is_title_line(source.line(n)) for n in block):
                break
            if _BRACKETED_LINE.match(squeeze_spaces(source.line(block[0]))):
                break
            title = join_lines(source.line(n) for n in block)
            if not document_kind(title) or not title.endswith((*_SERIAL_KINDS, *_DATED_KINDS)):
                continue
            after = lines[index + size : index + size + 2]
            if not after:
                break
            if (
                adopted_lines(source, after) is not None
                or parse_doc_number(source.line(after[0])) is not None
                or (title.endswith(_DECISION_KINDS) and _DECISION_BODY.match(squeeze_spaces(source.line(after[0]))))
                or (title.endswith(_DATED_KINDS) and any(is_date_line(source.line(n)) for n in after))
            ):
                found = block
                break
        if found:
            starts.append((found[0], found))
            index += len(found)
            continue
        index += 1
    return starts


def _front_matter(source: SourceText, furniture: TextFurniture, lines: list[int]) -> Node | None:
    """The furniture lines a text opens with (a database's 法宝引证码 and 原文链接, a page's metadata)."""
    header: list[int] = []
    for number in lines:
        if not furniture.is_furniture(number):
            break
        header.append(number)
    if not header:
        return None
    return Node(
        kind=NodeKind.FRONT_MATTER,
        title=None,
        line_start=header[0],
        line_end=header[-1],
        text=join_lines(source.line(n) for n in header),
        attributes=FrontMatterAttributes(source_header=[squeeze_spaces(source.line(n)) for n in header]),
    )


def _first_heading(source: SourceText, nodes: Sequence[Node]) -> str | None:
    """The first of the first few paragraphs that reads as a heading; a table's row never does."""
    for node in nodes[:3]:
        if is_table_row(source.line(node.line_start)):
            continue
        text = node.title or node.text
        if text and heading_like(text, 60):
            return _title_text(text)
    return None


def _mark_repeats(documents: list[Node]) -> None:
    """A document printed twice (a web page showing it twice) is kept, marked as a repeat, and warned about."""
    seen: dict[str, Node] = {}
    for node in documents:
        key = _fold(" ".join(child.text for child, _ in node.walk()) + (node.title or ""))
        if key in seen:
            first = seen[key]
            attributes = DocumentAttributes.of(node)
            attributes.repeat_of_line = first.line_start
            attributes.warnings.append(
                ParseWarning(
                    "document_repeated", f"document repeats the one at line {first.line_start}", node.line_start
                )
            )
        else:
            seen[key] = node


def parse_official_document(source: SourceText, volume_id: str) -> Document:
    """A standalone document (or several, one after another), or for any other text a volume of paragraphs.

    Web and database furniture is read first (:mod:`fangzhi.parse.web_furniture`):
    it never becomes a title or a paragraph, and what it says (a 发文字号, a
    发文日期, the page title) fills in what the text itself does not print.
    """
    furniture = read_furniture(source)
    _drop_page_title_copy(source, furniture)
    view = reading_view(source, furniture)
    all_lines = _nonblank(source, 1, len(source))
    root = Node(kind=NodeKind.VOLUME, title=None, line_start=1, line_end=max(len(source), 1))
    front = _front_matter(source, furniture, all_lines)
    if front is not None:
        root.add(front)
    volume_attributes: dict[str, object] = {}
    if furniture.lines:
        volume_attributes = {"furniture": furniture.summary(), "furniture_lines": sorted(furniture.lines)}
    volume = Volume.of_source(volume_id, "document", source, title=volume_id, attributes=volume_attributes)
    document = Document(volume=volume, source=source, root=root)
    lines = _nonblank(view, 1, len(view))
    if not lines:
        volume.title = _title_text(furniture.title or volume_id)
        return document
    starts = document_starts(view, lines)
    if len(starts) == 1 and starts[0][0] != lines[0] and _opens_with_a_title(view, lines[0]):
        # The text opens with a document of the same sort whose head document_starts cannot see
        # (a communiqué with no date under its title): the later one is a second document.
        starts = [(lines[0], []), *starts]
    if len(starts) >= 2:
        nodes = []
        for index, (start, title_lines) in enumerate(starts):
            end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(view)
            first = start if index else lines[0]
            nodes.append(parse_document(view, first, end, title_lines if first == start and title_lines else None))
        _mark_repeats(nodes)
        for node in nodes:
            root.add(node)
            document.warnings.extend(DocumentAttributes.of(node).warnings)
        volume.title = _title_text(furniture.title or nodes[0].title or volume_id)
        volume.year = _year_of(nodes[0])
        return document
    node = parse_document(view, lines[0], len(view))
    attributes = DocumentAttributes.of(node)
    if not attributes.doc_no and furniture.doc_no:
        doc_no = parse_doc_number(furniture.doc_no)
        if doc_no is not None:
            attributes.doc_no, attributes.doc_no_as_printed = doc_no.normalized, doc_no.as_printed
    if not attributes.date and furniture.date:
        attributes.date = furniture.date
        attributes.date_as_printed = furniture.fields.get("date")
    if _looks_like_document(node):
        root.add(node)
        volume.title = _title_text(node.title or furniture.title or volume_id)
        volume.year = _year_of(node)
        document.warnings.extend(attributes.warnings)
        return document
    body = _body_nodes(view, lines)
    root.children.extend(body)
    volume.title = _title_text(furniture.title or _first_heading(source, body) or volume_id)
    return document


def _opens_with_a_title(source: SourceText, line: int) -> bool:
    text = squeeze_spaces(source.line(line))
    return _is_title_line(text) and text.endswith((*_SERIAL_KINDS, *_DATED_KINDS))


def _year_of(node: Node) -> int | None:
    attributes = DocumentAttributes.of(node)
    date = attributes.date
    doc_no_year = re.search(r"〔(\d{4})〕", attributes.doc_no or "")
    if date:
        return int(date[:4])
    if doc_no_year:
        return int(doc_no_year.group(1))
    return None


def _body_nodes(source: SourceText, lines: list[int]) -> list[Node]:
    """Paragraphs of a text that is no document, with any run of date-led paragraphs read as a chronicle."""
    from fangzhi.parse.chronicle import chronicle_runs, parse_chronicle

    nodes: list[Node] = []
    position = lines[0]
    for start, end in chronicle_runs(source, lines):
        if start > position:
            nodes.extend(paragraphs(source, position, start - 1))
        run = [n for n in lines if start <= n <= end]
        nodes.append(parse_chronicle(source, run, None))
        position = end + 1
    if position <= lines[-1]:
        nodes.extend(paragraphs(source, position, lines[-1]))
    return nodes
