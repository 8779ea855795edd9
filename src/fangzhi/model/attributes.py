"""Node kinds and the typed attributes each kind carries, one dataclass per kind.

Parsers build them and later stages read their fields, so a reader of a
document or an event sees names and types instead of guessing string keys.
The store writes them as their fields (:meth:`StoredFields.to_dict`) and
reads them back as plain dicts, which is what exports, services and web
templates use: a field's name here is its key there.

A field declared with :func:`when_set` is written only when it holds
something other than its default, so a stored node keeps only what its text
gave (an event's ``month_day`` only when its year is unknown).

A node whose own reading can go wrong (a document, a chronicle, a month, an
event, a list and its groups) keeps what went wrong in its ``warnings``
field, a list of :class:`~fangzhi.model.ParseWarning` stored with it; the
user hears of each once, from the document's warnings or from the facts read
from the node (an event's, a list item's).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

from fangzhi.model.warning import ParseWarning

if TYPE_CHECKING:
    from fangzhi.model.document import Node


class NodeKind:
    """Names of node kinds, one vocabulary for code, database and exports."""

    VOLUME = "volume"
    CHAPTER = "chapter"
    SECTION = "section"
    ENTRY = "entry"
    ARTICLE = "article"
    APPENDIX = "appendix"
    CHRONICLE = "chronicle"
    YEAR = "year"
    MONTH = "month"
    EVENT = "event"
    CAPTION = "caption"
    TABLE = "table"
    PARAGRAPH = "paragraph"
    EDITORIAL_NOTES = "editorial_notes"
    FRONT_MATTER = "front_matter"
    INDEX = "index"
    CONTENTS = "contents"
    DOCUMENT = "document"
    DOCUMENT_SECTION = "document_section"
    ATTACHMENT = "attachment"
    LIST = "list"
    LIST_GROUP = "list_group"
    LIST_ITEM = "list_item"


_WHEN_SET = "stored_when_set"
_Attributes = TypeVar("_Attributes", bound="NodeAttributes")


def when_set(default: Any = None, *, factory: Any = None) -> Any:
    """A field that is stored only when it differs from its default (``default``, or ``factory()``)."""
    if factory is not None:
        return field(default_factory=factory, metadata={_WHEN_SET: True})
    return field(default=default, metadata={_WHEN_SET: True})


_FIELDS: dict[type, tuple[tuple[str, bool, Any], ...]] = {}


def _stored_fields(kind: type) -> tuple[tuple[str, bool, Any], ...]:
    """(name, stored only when set, default) of each field of a record type, worked out once per type."""
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(
            (
                item.name,
                bool(item.metadata.get(_WHEN_SET)),
                item.default_factory() if item.default_factory is not MISSING else item.default,
            )
            for item in fields(kind)
        )
    return found


@dataclass
class StoredFields:
    """A record written to the store as its fields."""

    def to_dict(self) -> dict[str, Any]:
        stored: dict[str, Any] = {}
        for name, only_when_set, default in _stored_fields(type(self)):
            value = getattr(self, name)
            if only_when_set and value == default:
                continue
            stored[name] = _plain(value)
        return stored


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@dataclass
class NodeAttributes(StoredFields):
    """Base of the attributes of every node kind; as such, the attributes of a kind that has none of its own."""

    @classmethod
    def of(cls: type[_Attributes], node: Node) -> _Attributes:
        """``node``'s attributes, which are of this type: the one place a reader says which kind it expects."""
        attributes = node.attributes
        if not isinstance(attributes, cls):
            raise TypeError(
                f"the {node.kind} node at line {node.line_start} has {type(attributes).__name__}, not {cls.__name__}"
            )
        return attributes


@dataclass
class ChapterAttributes(NodeAttributes):
    """A 类目.  ``found_by`` names the evidence it was found from (see :mod:`fangzhi.parse.chapters`)."""

    number: int | None = None
    printed_title: str | None = None
    found_by: str = ""
    title_lines: list[int] = field(default_factory=list)


@dataclass
class EntryAttributes(NodeAttributes):
    """A 条目: its title marker as printed, writers from the attribution after it, an award for profiles."""

    marker: str = "【】"
    contributors: list[str] = field(default_factory=list)
    attribution_line: int | None = None
    profile: bool = False
    award: str | None = None


@dataclass
class ParagraphAttributes(NodeAttributes):
    """Untitled text; inside a block of entries it shares the block's writers.

    ``role`` says what a paragraph is when it is known not to be prose: ``statistics``, a
    paragraph of figures inside a chronicle.
    """

    contributors: list[str] | None = when_set(None)
    attribution_line: int | None = when_set(None)
    role: str | None = when_set(None)


@dataclass
class CaptionAttributes(NodeAttributes):
    """A photo caption; ``credit`` is the photographer or source it names (（张三 摄）)."""

    credit: str | None = when_set(None)


@dataclass
class TableAttributes(NodeAttributes):
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class ArticleAttributes(NodeAttributes):
    """An article or appendix document: the byline lines printed with its title (date, speaker)."""

    byline: list[str] = field(default_factory=list)


@dataclass
class IndexReference(StoredFields):
    topic: str
    pages: list[int]
    line: int


@dataclass
class IndexAttributes(NodeAttributes):
    references: list[IndexReference] = field(default_factory=list)


@dataclass
class ListedChapter(StoredFields):
    """A chapter as a bookmark list or a 目录 lists it, with the pages it gives."""

    number: int | None
    name: str
    first_page: int | None
    last_page: int | None
    line: int
    level: int = 1


@dataclass
class ContentsAttributes(NodeAttributes):
    """A bookmark list or a 目录: what it lists, and which kind it is (``bookmarks`` or ``contents``)."""

    source: str
    chapters: list[ListedChapter] = field(default_factory=list)


@dataclass
class ListedDocument(StoredFields):
    """A document as a gazette issue's 目录 lists it: under a group (【市政府文件】), with its 文号 and page."""

    group: str | None
    title: str
    doc_no: str | None
    page: int | None
    line_start: int
    line_end: int


@dataclass
class IssueContentsAttributes(NodeAttributes):
    """A gazette issue's 目录: the documents it lists."""

    items: list[ListedDocument] = field(default_factory=list)


@dataclass
class EditorialNotesAttributes(NodeAttributes):
    """Counts an 编辑说明 or 凡例 declares (``chapters``, ``sections``, ``entries``, ``tables``, ``pictures``)."""

    declared: dict[str, int] = field(default_factory=dict)


@dataclass
class ChronicleBlockAttributes(NodeAttributes):
    """What a chronicle, a year or a month of it holds besides events: undated summary text and notes."""

    summary: str | None = when_set(None)
    notes: list[str] = when_set(factory=list)


@dataclass
class ChronicleAttributes(ChronicleBlockAttributes):
    """A 大事记.

    ``year`` is the one year its dates are in (None when several, see
    ``years``, or none); ``layout`` is how its lines make paragraphs
    (``wrapped``, ``paragraph_lines``, ``blank_separated``); ``titles`` are
    its title lines when it prints several; ``group_title`` the gazette column
    it stands in (【区政府工作大事记】); ``contents_page`` its page in a
    gazette's 目录.
    """

    year: int | None = None
    layout: str | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    years: list[int] = when_set(factory=list)
    titles: list[str] = when_set(factory=list)
    group_title: str | None = when_set(None)
    contents_page: int | None = when_set(None)


@dataclass
class YearAttributes(ChronicleBlockAttributes):
    """A year heading of a multi-year chronicle (1985年, 一九八六年)."""

    year: int | None = None


@dataclass
class MonthAttributes(ChronicleBlockAttributes):
    """A month heading; ``month`` is ``YYYY-MM``, None when the year or the month is unknown."""

    month: str | None = None
    warnings: list[ParseWarning] = field(default_factory=list)


@dataclass
class EventAttributes(NodeAttributes):
    """A chronicle event's date as resolved and as printed.

    ``date`` carries its precision (``1986-05-16``, ``1986-05``, ``1987``);
    ``date_end`` ends a range.  A date whose year the text never gives has no
    ``date``: ``year_unknown`` is set and ``month_day`` keeps what is known
    (``05-16``, ``05``).
    """

    date: str | None = None
    date_end: str | None = None
    date_as_printed: str | None = None
    precision: str = "day"
    warnings: list[ParseWarning] = field(default_factory=list)
    year_unknown: bool = when_set(False)
    month_day: str | None = when_set(None)


@dataclass
class DocumentAttributes(NodeAttributes):
    """An official document (公文): what its title, 文号, signature and date lines say.

    ``doc_no`` is the 文号 normalised (full-width brackets, no spaces), as
    the store and searches match it; ``type`` the kind its title names
    (``任免通知``, ``印发通知``, ``决定`` …); ``attachment_title`` the title
    of what it encloses or announces; ``attachments`` the titles its 附件
    lines announce; ``adopted_as_printed`` a decision's 会议通过 line.  Only
    when the text gives them: ``in_force_from`` (when it takes effect) and
    the clause saying so, ``contents_page`` (its page in a gazette's 目录),
    ``repeat_of_line`` (the first line of the copy it repeats).
    """

    doc_no: str | None = None
    doc_no_as_printed: str | None = None
    issuer: str | None = None
    date: str | None = None
    date_as_printed: str | None = None
    type: str | None = None
    recipients: str | None = None
    adopted_as_printed: str | None = None
    attachment_title: str | None = None
    attachments: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    contents_page: int | None = when_set(None)
    in_force_from: str | None = when_set(None)
    in_force_as_printed: str | None = when_set(None)
    repeat_of_line: int | None = when_set(None)

    @classmethod
    def of_any(cls, node: Node) -> DocumentAttributes:
        """A document's attributes; empty ones for a node read in a document's place (the volume of a text
        that is no document, a report's paragraph), which knows no 文号, issuer or date."""
        return cls.of(node) if node.kind == NodeKind.DOCUMENT else cls()


@dataclass
class DocumentSectionAttributes(NodeAttributes):
    """A numbered part of a document: its number as printed (第三条, （二）, 1.2), the numbering ``style``,
    and the 责任单位 its text names, when it names them (the clause as printed, and the units)."""

    number: str | None = None
    style: str = ""
    responsible_units: list[str] | None = when_set(None)
    responsible_units_as_printed: str | None = when_set(None)


@dataclass
class AttachmentAttributes(NodeAttributes):
    """A document's 附件 (``role`` ``attachment``) or the text a notice issues (``enclosed``), with the
    附件 heading line as printed when there is one."""

    role: str = "attachment"
    heading: str | None = when_set(None)


@dataclass
class ListAttributes(NodeAttributes):
    """A named list (名单): how many items were found, and the groups' count mismatches."""

    warnings: list[ParseWarning] = field(default_factory=list)
    count: int = 0


@dataclass
class ListGroupAttributes(NodeAttributes):
    """A group of a list with the count it declares (汝州市（28家）) and the count found."""

    number: str | None = None
    name_as_printed: str = ""
    declared_count: int = 0
    unit: str = ""
    warnings: list[ParseWarning] = field(default_factory=list)
    count: int = 0


@dataclass
class FrontMatterAttributes(NodeAttributes):
    """Text before the body; from a web or database copy, the header lines it opens with (法宝引证码, 原文链接)."""

    source_header: list[str] = when_set(factory=list)


# The attribute types of each node kind; a node made without attributes gets the first one, empty.
ATTRIBUTE_TYPES: dict[str, tuple[type[NodeAttributes], ...]] = {
    NodeKind.CHAPTER: (ChapterAttributes,),
    NodeKind.ENTRY: (EntryAttributes,),
    NodeKind.ARTICLE: (ArticleAttributes,),
    NodeKind.APPENDIX: (ArticleAttributes,),
    NodeKind.CHRONICLE: (ChronicleAttributes,),
    NodeKind.YEAR: (YearAttributes,),
    NodeKind.MONTH: (MonthAttributes,),
    NodeKind.EVENT: (EventAttributes,),
    NodeKind.CAPTION: (CaptionAttributes,),
    NodeKind.TABLE: (TableAttributes,),
    NodeKind.PARAGRAPH: (ParagraphAttributes,),
    NodeKind.EDITORIAL_NOTES: (EditorialNotesAttributes,),
    NodeKind.INDEX: (IndexAttributes,),
    NodeKind.CONTENTS: (ContentsAttributes, IssueContentsAttributes),
    NodeKind.VOLUME: (NodeAttributes,),
    NodeKind.SECTION: (NodeAttributes,),
    NodeKind.FRONT_MATTER: (FrontMatterAttributes,),
    NodeKind.DOCUMENT: (DocumentAttributes,),
    NodeKind.DOCUMENT_SECTION: (DocumentSectionAttributes,),
    NodeKind.ATTACHMENT: (AttachmentAttributes,),
    NodeKind.LIST: (ListAttributes,),
    NodeKind.LIST_GROUP: (ListGroupAttributes,),
    NodeKind.LIST_ITEM: (NodeAttributes,),
}
