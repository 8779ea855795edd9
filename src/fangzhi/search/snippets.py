"""Snippets: a short window of the printed text around the first match, with every match marked.

Matching runs on the folded text (so 郟县 is marked when 郏县 was asked for)
and the spans are mapped back onto the printed text, which is what a snippet
shows.  Both sides are folded character by character here, a cheap fold that
ignores opencc's phrase rules: the index decides what is a hit, this only
decides what to mark.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from fangzhi.search.query import Term
from fangzhi.search.tokens import CJK_RANGES, fold_characters

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
_BETWEEN_TOKENS = r"[\W_]*"
_NOT_LATIN_BEFORE = f"(?<![^\\W_{CJK_RANGES}])"
_NOT_LATIN_AFTER = f"(?![^\\W_{CJK_RANGES}])"


@dataclass
class Snippet:
    """A window of printed text and the [start, end) spans within it that matched."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def marked(self, open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE, escape: bool = True) -> str:
        """The text with every span wrapped in marks (HTML-escaped by default, so it can go into a page)."""
        quote = html.escape if escape else (lambda value: value)
        pieces, position = [], 0
        for start, end in self.spans:
            pieces.append(quote(self.text[position:start]))
            pieces.append(open_mark + quote(self.text[start:end]) + close_mark)
            position = end
        pieces.append(quote(self.text[position:]))
        return "".join(pieces)


def term_pattern(terms: Sequence[Term]) -> re.Pattern[str] | None:
    """A regex over folded text that finds any of the terms, tolerating spaces and punctuation between tokens.

    A term that starts (ends) with a Latin letter or digit must not be glued to
    another one before (after) it, as the index sees it: ``GDP`` is not
    marked in ``GDPR``.  The two tests are written once around the whole
    alternation, not once per term, so a query of many words compiles in a
    few milliseconds instead of a millisecond per word.
    """
    alternatives = []
    for term in sorted(terms, key=lambda term: -sum(len(token) for token in term.tokens)):
        alternatives.append(_BETWEEN_TOKENS.join(re.escape(fold_characters(token)) for token in term.tokens))
    if not alternatives:
        return None
    starts = f"(?:{_NOT_LATIN_BEFORE}|(?=[{CJK_RANGES}]))"
    ends = f"(?:{_NOT_LATIN_AFTER}|(?<=[{CJK_RANGES}]))"
    return re.compile(starts + "(?:" + "|".join(alternatives) + ")" + ends, re.IGNORECASE)


def find_spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Spans of ``text`` (printed form) whose folded form matches ``pattern``."""
    if pattern is None or not text:
        return []
    return [match.span() for match in pattern.finditer(fold_characters(text)) if match.end() > match.start()]


def make_snippet(text: str, pattern: re.Pattern[str] | None, width: int = 90, before: int = 24) -> Snippet:
    """Cut a window of about ``width`` characters starting a little before the first match."""
    text = " ".join(text.split())
    spans = find_spans(text, pattern)
    if not spans:
        cut = text[:width]
        return Snippet(cut + ("…" if len(text) > width else ""))
    start = max(0, spans[0][0] - before)
    end = min(len(text), max(start + width, spans[0][1]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(a, start) + shift, min(b, end) + shift) for a, b in spans if a < end and b > start]
    return Snippet(prefix + text[start:end] + suffix, inside)
