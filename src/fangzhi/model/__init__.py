"""The one document model every stage shares.

:mod:`~fangzhi.model.document` holds the document tree (:class:`Volume`,
:class:`Node`, :class:`Document`), the :class:`Fact` records extractors find,
and what parsing reports (:class:`Furniture`, :class:`Coverage`);
:mod:`~fangzhi.model.attributes` the typed attributes of each node kind;
:mod:`~fangzhi.model.warning` :class:`ParseWarning`, the one warning type.
Everything is importable from ``fangzhi.model``.
"""

from fangzhi.model.attributes import (
    ArticleAttributes,
    CaptionAttributes,
    ChapterAttributes,
    ChronicleAttributes,
    ChronicleBlockAttributes,
    ContentsAttributes,
    EditorialNotesAttributes,
    EntryAttributes,
    EventAttributes,
    IndexAttributes,
    IndexReference,
    ListedChapter,
    MonthAttributes,
    NodeAttributes,
    ParagraphAttributes,
    StoredFields,
    TableAttributes,
    YearAttributes,
)
from fangzhi.model.document import (
    SCHEMA_VERSION,
    Coverage,
    Document,
    Fact,
    Furniture,
    Node,
    NodeKind,
    Volume,
    attributes_dict,
)
from fangzhi.model.warning import ParseWarning, as_warning

__all__ = [
    "SCHEMA_VERSION",
    "ArticleAttributes",
    "CaptionAttributes",
    "ChapterAttributes",
    "ChronicleAttributes",
    "ChronicleBlockAttributes",
    "ContentsAttributes",
    "Coverage",
    "Document",
    "EditorialNotesAttributes",
    "EntryAttributes",
    "EventAttributes",
    "Fact",
    "Furniture",
    "IndexAttributes",
    "IndexReference",
    "ListedChapter",
    "MonthAttributes",
    "Node",
    "NodeAttributes",
    "NodeKind",
    "ParagraphAttributes",
    "ParseWarning",
    "StoredFields",
    "TableAttributes",
    "Volume",
    "YearAttributes",
    "as_warning",
    "attributes_dict",
]
