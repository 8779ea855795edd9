"""How text becomes search tokens, shared by the indexer, the query compiler and the highlighter.

Chinese is written without spaces, so a word tokenizer either misses
two-character words or words inside longer ones (工程 in 在建工程).  Instead
every CJK character is its own token and a query word becomes a phrase of its
characters; Latin words and numbers stay whole tokens.  Text and queries are
folded first (traditional to simplified, full-width to half-width), so 郟县
and 郏县 are one word to the index.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fangzhi.text import fold_for_search

CJK_RANGES = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"([{CJK_RANGES}])")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+")
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")


def spaced(folded: str) -> str:
    """Put a space around every CJK character so the FTS5 unicode61 tokenizer sees each as a token."""
    return _SPACES.sub(" ", _CJK_CHAR.sub(r" \1 ", folded)).strip()


def index_form(text: str) -> str:
    """The form of a text as stored in the FTS5 table: folded, with CJK characters spaced apart."""
    return spaced(fold_for_search(text))


def search_tokens(folded: str) -> list[str]:
    """The tokens FTS5 sees in an already folded text, in order."""
    return _TOKEN.findall(spaced(folded))


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    return fold_for_search(char)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and say, for each folded character, which character of ``text`` it came from.

    Folding usually keeps the length (one character for one), and then the
    offsets are the identity; when NFKC expands a character (㎡ → m2) the text
    is folded character by character so every match can be mapped back to the
    printed text.
    """
    folded = fold_for_search(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(pieces), offsets
