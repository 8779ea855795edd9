"""Chinese full-text search over every text node of every volume.

The SQLite store keeps the index up to date at every ingest
(:class:`SQLiteSearchIndex`); :func:`search` reads it.  The query language is
described in :mod:`fangzhi.search.query` and ``docs/search.md``.
"""

from fangzhi.search.engine import SearchHit, SearchResult, search
from fangzhi.search.query import Query, SearchLimits, Term, parse_query
from fangzhi.search.sqlite_index import SQLiteSearchIndex

__all__ = ["search", "SearchHit", "SearchResult", "Query", "SearchLimits", "Term", "parse_query", "SQLiteSearchIndex"]
