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
import unicodedata
from functools import lru_cache

from fangzhi.text import fold_for_search

CJK_RANGES = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_ASTRAL_CJK_CHAR = re.compile("([\U00020000-\U0003134f])")
_SPACES = re.compile(r"\s+")
# Past this many characters, runs of spaces are left for the tokenizer to skip: collapsing them costs
# a piece of memory per character, a lot for a text that lost its line breaks.
_LONG_TEXT = 1 << 20
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_TOKEN = re.compile(r"[^\W_]+")
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")


@lru_cache(maxsize=1)
def _spacing_table() -> dict[int, str]:
    """``str.translate`` table putting spaces around each CJK character of the BMP (a C loop, unlike ``re.sub``)."""
    table: dict[int, str] = {}
    for code in range(0x2E80, 0x10000):
        char = chr(code)
        if CJK_CHAR.match(char):
            table[code] = f" {char} "
    return table


def spaced(folded: str) -> str:
    """Put a space around every CJK character so the FTS5 unicode61 tokenizer sees each as a token."""
    text = folded.translate(_spacing_table())
    if _ASTRAL.search(text):
        text = _ASTRAL_CJK_CHAR.sub(r" \1 ", text)
    if len(text) > _LONG_TEXT:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def index_form(text: str) -> str:
    """The form of a text as stored in the FTS5 table: folded, with CJK characters spaced apart."""
    return spaced(fold_for_search(text))


def search_tokens(folded: str) -> list[str]:
    """The tokens FTS5 sees in an already folded text, in order."""
    return _TOKEN.findall(spaced(folded))


@lru_cache(maxsize=1)
def _character_folds() -> dict[int, str]:
    """A :meth:`str.translate` table folding each BMP character on its own, built in one pass at first use.

    Only folds to a single character are kept, so a folded text has the
    length of the printed one and a match in it is a match at the same place
    in print.  Characters that fold to several (⑩ → 10, ㎡ → m2) stay as they
    are.  Translating a long text is a C loop, where folding it through
    opencc costs about a millisecond per thousand characters.
    """
    folds: dict[str, str] = {}
    for code in range(0x20, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folds[char] = unicodedata.normalize("NFKC", char)
    chinese = [char for char, folded in folds.items() if CJK_CHAR.search(folded) and "\n" not in folded]
    converted = fold_for_search("\n".join(folds[char] for char in chinese)).split("\n")
    if len(converted) == len(chinese):
        folds.update(zip(chinese, converted, strict=True))
    return {ord(char): folded for char, folded in folds.items() if folded != char and len(folded) == 1}


def fold_characters(text: str) -> str:
    """Fold each character on its own, keeping the length: the cheap fold used to find matches in printed text.

    It ignores opencc's phrase rules and leaves characters that expand under
    NFKC alone, so it may miss a mark that :func:`index_form` would match;
    it decides what to highlight, never what is a hit.
    """
    return text.translate(_character_folds())
