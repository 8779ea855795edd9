"""One exception tree for fangzhi.

::

    FangzhiError                 anything the user can act on
    ├── InputError               a source file cannot be read or understood
    │   └── StrictIngestError    warnings found while ingesting with --strict
    ├── KnowledgeBaseError       the knowledge base is missing or unusable
    ├── NotFoundError            an id or name that is not in the knowledge base
    └── QueryError               a malformed search query or filter
        ├── QueryLimitError      a query past the limits on its length or number of words
        └── TimeBudgetError      a read that ran past its time budget and was stopped

The CLI turns each into a one-line message and exit code 1; the HTTP API into
a JSON error with a status code.  Messages name the file or object and say what
to do next.
"""

from __future__ import annotations


class FangzhiError(Exception):
    """Base of every error fangzhi raises on purpose."""


class InputError(FangzhiError):
    """A source file is empty, binary, undecodable or otherwise unusable."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class StrictIngestError(InputError):
    """A file read with warnings while warnings count as errors (``--strict``); nothing was stored."""

    def __init__(self, path: str, warnings: list) -> None:  # type: ignore[type-arg]
        count = f"{len(warnings)} warning" + ("" if len(warnings) == 1 else "s")
        super().__init__(path, f"{count} with --strict; not stored")
        self.warnings = list(warnings)


class KnowledgeBaseError(FangzhiError):
    """The knowledge base file is missing, locked or of an unknown schema."""


class NotFoundError(FangzhiError):
    """Something asked for by id or name is not in the knowledge base."""


class QueryError(FangzhiError):
    """A search query or filter cannot be understood."""


class QueryLimitError(QueryError):
    """A query longer, or with more words, than one request may ask for."""


class TimeBudgetError(QueryError):
    """A read ran past its time budget and was stopped (see :mod:`fangzhi.store.budget`)."""
