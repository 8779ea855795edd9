"""Search queries: the text a user types, parsed into a small tree and compiled to an FTS5 MATCH string.

The language is the one search boxes have taught everyone::

    汝瓷 宝丰            both words must match (in any order, anywhere in the node)
    "汝瓷 烧制技艺"      an exact phrase (spaces and punctuation inside are ignored)
    汝瓷 OR 钧瓷         either word; OR binds tighter than the implicit AND
    汝瓷 -宝丰           汝瓷 but not 宝丰

Every word is a phrase of its characters, so 工程 matches inside 在建工程 and
a one-character query works.  The query is folded like the indexed text, so
郟县 finds 郏县 and full-width ＯＲ is OR.  ASCII quotes and Chinese “ ” both
delimit a phrase.  Anything that cannot be read raises :class:`QueryError`
with a message saying what to change; parsing never touches the database.

A query is bounded (:class:`SearchLimits`): a repeated word counts once, and
a query longer or with more different words than the limits allow raises
:class:`~fangzhi.errors.QueryLimitError` before any work is done, so one
request cannot make the index evaluate thousands of phrases.
"""

from __future__ import annotations

from dataclasses import dataclass

from fangzhi.errors import QueryError, QueryLimitError
from fangzhi.search.tokens import search_tokens
from fangzhi.text import fold_for_search
from fangzhi.text.words import content_words

QUOTES = '"“”'
MAX_QUERY_CHARACTERS = 500
MAX_QUERY_TERMS = 32
MAX_OFFSET = 10_000
# In a question searched as its words, a word in more than this share of the nodes (2023年, 平顶山市) tells nothing.
COMMON_SHARE = 0.1
SEARCH_TIME_BUDGET = 5.0
OR = "OR"
EXCLUDE = "-"


@dataclass(frozen=True)
class SearchLimits:
    """How much one search may ask for; the defaults are documented in docs/search.md and docs/reliability.md.

    ``max_characters`` bounds the query as typed, ``max_terms`` the different
    words and phrases in it (repeats merged, exclusions included),
    ``max_offset`` how deep paging goes (ranking reads ``offset + limit``
    hits), and ``time_budget`` the seconds the search may run before it is
    stopped inside the database (``None``: no bound of its own).
    """

    max_characters: int = MAX_QUERY_CHARACTERS
    max_terms: int = MAX_QUERY_TERMS
    max_offset: int = MAX_OFFSET
    time_budget: float | None = SEARCH_TIME_BUDGET


DEFAULT_LIMITS = SearchLimits()


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase, as folded text and as the tokens the index holds for it."""

    text: str
    tokens: tuple[str, ...]
    quoted: bool = False

    def to_match(self) -> str:
        return '"' + " ".join(self.tokens) + '"'


@dataclass(frozen=True)
class Query:
    """All of ``groups`` must match (each group is an OR of terms) and none of ``excluded``."""

    source: str
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> list[Term]:
        """The terms a hit matches, for highlighting."""
        return [term for group in self.groups for term in group]

    def any_term_match(self) -> str:
        """An FTS5 expression matching any positive term (used to find nodes whose title matches)."""
        return " OR ".join(term.to_match() for term in self.terms)

    def to_match(self) -> str:
        parts = []
        for group in self.groups:
            if len(group) == 1:
                parts.append(group[0].to_match())
            else:
                parts.append("(" + " OR ".join(term.to_match() for term in group) + ")")
        expression = " AND ".join(parts)
        if len(self.excluded) == 1:
            expression = f"({expression}) NOT {self.excluded[0].to_match()}"
        elif self.excluded:
            expression = f"({expression}) NOT (" + " OR ".join(term.to_match() for term in self.excluded) + ")"
        return expression


@dataclass(frozen=True)
class _Word:
    text: str
    quoted: bool
    excluded: bool


@dataclass(frozen=True)
class _Or:
    pass


def _lex(folded: str) -> list[_Word | _Or]:
    items: list[_Word | _Or] = []
    position, end = 0, len(folded)
    while position < end:
        char = folded[position]
        if char.isspace():
            position += 1
            continue
        excluded = False
        if char == EXCLUDE:
            following = folded[position + 1] if position + 1 < end else ""
            if following and not following.isspace() and following != EXCLUDE:
                excluded = True
                position += 1
                char = following
        if char in QUOTES:
            closing = _find_quote(folded, position + 1)
            if closing < 0:
                raise QueryError(f"unbalanced quote in {folded!r}: close the phrase with a matching quote mark")
            items.append(_Word(folded[position + 1 : closing], quoted=True, excluded=excluded))
            position = closing + 1
            continue
        start = position
        while position < end and not folded[position].isspace() and folded[position] not in QUOTES:
            position += 1
        word = folded[start:position]
        if word == OR and not excluded:
            items.append(_Or())
        else:
            items.append(_Word(word, quoted=False, excluded=excluded))
    return items


def _find_quote(text: str, start: int) -> int:
    for position in range(start, len(text)):
        if text[position] in QUOTES:
            return position
    return -1


def parse_query(text: str, limits: SearchLimits = DEFAULT_LIMITS) -> Query:
    """Parse what a user typed; raise :class:`QueryError` when it cannot be searched."""
    if text is None or not text.strip():
        raise QueryError("empty query: type a word or phrase to search for")
    if len(text) > limits.max_characters:
        raise QueryLimitError(
            f"the query is {len(text):,} characters long, more than the {limits.max_characters:,} a search may have; "
            "shorten it"
        )
    folded = fold_for_search(text).strip()
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    previous_positive = False
    for item in _lex(folded):
        if isinstance(item, _Or):
            if pending_or or not previous_positive:
                raise QueryError(f"OR needs a word on each side in {text!r}")
            pending_or = True
            continue
        tokens = tuple(search_tokens(item.text))
        if item.excluded:
            if pending_or:
                raise QueryError(f"an excluded word cannot be part of OR in {text!r}")
            if tokens:
                excluded.append(Term(item.text, tokens, item.quoted))
            previous_positive = False
            continue
        if not tokens:
            if pending_or:
                raise QueryError(f"OR needs a word on each side in {text!r}")
            previous_positive = False
            continue
        term = Term(item.text, tokens, item.quoted)
        if pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
        previous_positive = True
    if pending_or:
        raise QueryError(f"OR needs a word on each side in {text!r}")
    if not groups:
        if excluded:
            raise QueryError(f"{text!r} only excludes words: add a word that hits must contain")
        raise QueryError(f"{text!r} has nothing to search for: type a word, not only operators or punctuation")
    query = _merged(text, groups, excluded)
    different = len({term.tokens for term in [*query.terms, *query.excluded]})
    if different > limits.max_terms:
        raise QueryLimitError(
            f"the query has {different:,} different words and phrases, more than the {limits.max_terms:,} "
            "a search may have; leave some out"
        )
    return query


def _merged(text: str, groups: list[list[Term]], excluded: list[Term]) -> Query:
    """The query with repeats merged: a word twice in an OR, the same group twice, an exclusion twice."""
    unique_groups: dict[frozenset[tuple[str, ...]], tuple[Term, ...]] = {}
    for group in groups:
        terms = _first_of_each(group)
        unique_groups.setdefault(frozenset(term.tokens for term in terms), terms)
    return Query(source=text, groups=tuple(unique_groups.values()), excluded=_first_of_each(excluded))


def _first_of_each(terms: list[Term]) -> tuple[Term, ...]:
    first: dict[tuple[str, ...], Term] = {}
    for term in terms:
        first.setdefault(term.tokens, term)
    return tuple(first.values())


def best_match_query(parsed: Query) -> Query | None:
    """The same words as one OR group, each unquoted word cut into jieba words without question words.

    A question typed whole (2023年平顶山市的地区生产总值是多少？) is one long
    word that no node contains; searched this way, BM25 ranks the nodes by how
    many of its words they hold and how rare those are.  None when this
    would search for the same thing again.
    """
    terms: list[Term] = []
    for term in parsed.terms:
        words = [term.text] if term.quoted else content_words(term.text)
        for word in words:
            tokens = tuple(search_tokens(fold_for_search(word)))
            if tokens and all(tokens != known.tokens for known in terms):
                terms.append(Term(word, tokens, term.quoted))
    if not terms or (len(parsed.groups) == 1 and len(terms) == len(parsed.terms)):
        return None
    return Query(source=parsed.source, groups=(tuple(terms),), excluded=parsed.excluded)


def without_common_terms(query: Query, frequencies: tuple[int, dict[str, int]], share: float = COMMON_SHARE) -> Query:
    """A best-match query without the words most nodes hold (2023, 平顶山市), keeping at least its rarest one.

    Such words add almost nothing to BM25 but make nearly every node a
    candidate, so that ranking sees only a window of them and the node that
    answers may never be ranked.  ``frequencies`` are the index's node count
    and each term's node count (:func:`fangzhi.search.statistics.document_frequencies`).
    """
    total, counts = frequencies
    terms = query.groups[0] if len(query.groups) == 1 else ()
    if not terms or not total:
        return query
    kept = tuple(term for term in terms if counts.get(term.text, 0) <= share * total)
    if not kept:
        kept = (min(terms, key=lambda term: counts.get(term.text, 0)),)
    return Query(source=query.source, groups=(kept,), excluded=query.excluded)
