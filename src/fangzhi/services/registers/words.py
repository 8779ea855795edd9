"""jieba's dictionary as a judge of words: is a string an ordinary word, or could it be a name?

Registers find names by patterns (a title before a name, a township before a
village); the dictionary turns away what the pattern catches that is a common
word (单位 after 会长, 农村 after a township).
"""

from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.dt.word_tag_tab  # read when jieba.posseg is imported


def dictionary_tag(word: str) -> str | None:
    """The part-of-speech tag jieba's dictionary gives a word, None if it is not in the dictionary."""
    return _word_tags().get(word)


def is_common_word(word: str) -> bool:
    """A dictionary word that is not a personal or place name (单位, 农村, 高峰)."""
    tag = dictionary_tag(word)
    return tag is not None and not tag.startswith(("nr", "ns"))
