"""Derived, normalised text.

PDF extraction letter-spaces short titles (``特 载``), pads two-character names
(``李 盾``), justifies lines with spaces and breaks lines anywhere.  These
helpers undo that for reading and matching; they never touch the raw lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_SPACE_BETWEEN = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u3000\u00a0]+(?=[{_CJK}{_CJK_PUNCT}0-9%.])"
    rf"|(?<=[0-9%.])[ \t\u3000\u00a0]+(?=[{_CJK}{_CJK_PUNCT}])"
)
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def squeeze_spaces(text: str) -> str:
    """Remove spaces that sit between CJK characters, punctuation and digits.

    Spaces between two Latin words are kept, so ``PINGDINGSHAN YEARBOOK``
    stays readable while ``综 述`` becomes ``综述``.
    """
    return _SPACE_BETWEEN.sub("", text.strip())


def join_lines(lines: Iterable[str]) -> str:
    """Join the wrapped lines of one paragraph.

    CJK lines break anywhere, so they join with nothing; a space is put back
    only between two Latin tokens (``Constantinos`` / ``Soutis``).
    """
    joined = ""
    for raw in lines:
        line = squeeze_spaces(raw)
        if not line:
            continue
        if joined and _LATIN_END.search(joined) and _LATIN_START.match(line):
            joined += " "
        joined += line
    return squeeze_spaces(joined)


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> dict[int, str]:
    """OpenCC's traditional-to-simplified character table, as a ``str.translate`` map.

    Matching folds character by character (search indexes one token per
    character), so the character table is what matters; applying it with
    ``str.translate`` is some fifty times faster than OpenCC's phrase-aware
    converter.
    """
    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        traditional, _, simplified = line.partition("\t")
        candidates = simplified.split()
        if len(traditional) == 1 and candidates and traditional not in candidates:
            table[ord(traditional)] = candidates[0]
    return table


def fold_for_search(text: str) -> str:
    """Fold text so that variants match: traditional to simplified, full-width to half-width.

    Used for matching only (search, list groups): 郟县 and 郏县 fold to the same
    string, while the stored text keeps whatever was printed.
    """
    return unicodedata.normalize("NFKC", text).translate(_traditional_to_simplified())
