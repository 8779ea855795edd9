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
"""

from __future__ import annotations

from dataclasses import dataclass

from fangzhi.errors import QueryError
from fangzhi.search.tokens import search_tokens
from fangzhi.text import fold_for_search
from fangzhi.text.words import content_words

QUOTES = '"“”'
OR = "OR"
EXCLUDE = "-"


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
        for term in self.excluded:
            expression = f"({expression}) NOT {term.to_match()}"
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


def parse_query(text: str) -> Query:
    """Parse what a user typed; raise :class:`QueryError` when it cannot be searched."""
    if text is None or not text.strip():
        raise QueryError("empty query: type a word or phrase to search for")
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
    return Query(source=text, groups=tuple(tuple(group) for group in groups), excluded=tuple(excluded))


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
