"""fangzhi: Chinese local yearbooks and government gazettes as a cited knowledge base.

>>> import fangzhi
>>> kb = fangzhi.open("fangzhi.db")
>>> kb.ingest("sample/pingdingshan-yearbook-2024.txt")
"""

from fangzhi.errors import FangzhiError, InputError, KnowledgeBaseError, NotFoundError, QueryError
from fangzhi.knowledge_base import KnowledgeBase, build_document
from fangzhi.knowledge_base import open_knowledge_base as open
from fangzhi.model import Document, Fact, Node, NodeKind, ParseWarning, Volume

__version__ = "0.1.0"

__all__ = [
    "open",
    "KnowledgeBase",
    "build_document",
    "Document",
    "Fact",
    "Node",
    "NodeKind",
    "ParseWarning",
    "Volume",
    "FangzhiError",
    "InputError",
    "KnowledgeBaseError",
    "NotFoundError",
    "QueryError",
]
