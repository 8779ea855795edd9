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
    ContentsAttributes,
    EditorialNotesAttributes,
    EntryAttributes,
    IndexAttributes,
    IndexReference,
    ListedChapter,
    NodeAttributes,
    ParagraphAttributes,
    StoredFields,
    TableAttributes,
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
    "ContentsAttributes",
    "Coverage",
    "Document",
    "EditorialNotesAttributes",
    "EntryAttributes",
    "Fact",
    "Furniture",
    "IndexAttributes",
    "IndexReference",
    "ListedChapter",
    "Node",
    "NodeAttributes",
    "NodeKind",
    "ParagraphAttributes",
    "ParseWarning",
    "StoredFields",
    "TableAttributes",
    "Volume",
    "as_warning",
    "attributes_dict",
]
