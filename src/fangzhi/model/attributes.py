"""Typed attributes, one dataclass per node kind.

Parsers build them and later stages read their fields, so a reader of a
document or an event sees names and types instead of guessing string keys.
The store writes them as their fields (:meth:`StoredFields.to_dict`) and
reads them back as plain dicts, which is what exports, services and web
templates use: a field's name here is its key there.

A field declared with :func:`when_set` is written only when it holds
something other than its default, so a stored node keeps only what its text
gave (an event's ``month_day`` only when its year is unknown).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from fangzhi.model.warning import ParseWarning

if TYPE_CHECKING:
    from fangzhi.model.document import Node

_WHEN_SET = "stored_when_set"
_Attributes = TypeVar("_Attributes", bound="NodeAttributes")


def when_set(default: Any = None, *, factory: Any = None) -> Any:
    """A field that is stored only when it differs from its default (``default``, or ``factory()``)."""
    if factory is not None:
        return field(default_factory=factory, metadata={_WHEN_SET: True})
    return field(default=default, metadata={_WHEN_SET: True})


@cache
def _stored_fields(kind: type) -> tuple[tuple[str, bool, Any], ...]:
    """(name, stored only when set, default) of each field of a record type."""
    found = []
    for item in fields(kind):
        default = item.default_factory() if item.default_factory is not MISSING else item.default
        found.append((item.name, bool(item.metadata.get(_WHEN_SET)), default))
    return tuple(found)


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
            raise TypeError(f"a {node.kind} node has {type(attributes).__name__}, not {cls.__name__}")
        return attributes

    # Read by name like the stored dict, until every parse-time reader reads fields.

    def _names(self) -> set[str]:
        return {item.name for item in fields(self)}

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self._names() else default

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self._names()


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
