"""Pinyin readings and the order of a printed Chinese index.

Printed indexes (主题索引) sort character by character: a heading goes by the
pinyin of its first character (syllable, then tone), characters read alike
stay together, and only then does the next character count.  So 主题 (zhǔ)
comes before 住房 (zhù), and every 住… before any 助….  A separator such as
``、`` sorts before any character (重点项目、… before 重点项目建设), and
quotation marks and title brackets are not read at all (“助企纾困”服务 files
under 助).

Readings come from pypinyin with its phrase data, so polyphones are read in
their word (重 in 重点 is zhòng, 行 in 银行 háng); personal names read their
surname from the surname table (单 is shàn as a surname).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.tone_convert import to_tone, to_tone3

from fangzhi.text.names import surname_of, surname_readings

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Not read at all when sorting: quotation marks, title and other brackets, spaces.
_IGNORED = set("“”‘’\"'《》〈〉「」『』【】〔〕()（）[]［］ \t\u3000·•")
_SEPARATORS = set("、，,；;：:/／—－-~～")

# Kinds of sort elements, in the order they sort.
_SEPARATOR, _DIGIT, _LATIN, _HAN, _OTHER = range(5)


def readings(text: str, *, personal_name: bool = False) -> list[str | None]:
    """The reading of every character as numbered pinyin (``zhong4``), None where it is not a Han character.

    Runs of Han characters are read together, so pypinyin's phrase data
    decides polyphones.  With ``personal_name`` the leading surname is read
    from the surname table.
    """
    result: list[str | None] = [None] * len(text)
    for run in _CJK.finditer(text):
        syllables = _read_run(run.group(0))
        for offset, syllable in enumerate(syllables):
            result[run.start() + offset] = syllable
    if personal_name:
        surname = surname_of(text)
        reading = surname_readings().get(surname or "", "")
        if surname and reading:
            for offset, syllable in enumerate(reading.split()[: len(surname)]):
                result[offset] = to_tone3(syllable, neutral_tone_with_five=True)
    return result


@lru_cache(maxsize=65536)
def _read_run(run: str) -> tuple[str | None, ...]:
    syllables = lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True, errors=_unreadable)
    if len(syllables) != len(run):
        syllables = [_read_run(char)[0] for char in run] if len(run) > 1 else [None]
    return tuple(syllable or None for syllable in syllables)


def _unreadable(characters: str) -> list[str]:
    return [""] * len(characters)


def pinyin_of(text: str, *, personal_name: bool = False) -> str:
    """The reading with tone marks, one syllable per Han character (``zhòng diǎn``)."""
    return " ".join(to_tone(syllable) for syllable in readings(text, personal_name=personal_name) if syllable)


SortKey = tuple[tuple[object, ...], ...]


def sort_key(text: str, *, personal_name: bool = False) -> SortKey:
    """The key that puts headings in the order of a printed index (see the module docstring)."""
    syllables = readings(text, personal_name=personal_name)
    key: list[tuple[object, ...]] = []
    for char, syllable in zip(text, syllables, strict=True):
        if char in _IGNORED:
            continue
        if syllable:
            tone = syllable[-1]
            if tone.isdigit():
                key.append((_HAN, syllable[:-1], int(tone), char))
            else:
                key.append((_HAN, syllable, 5, char))
        elif char in _SEPARATORS:
            key.append((_SEPARATOR,))
        elif char.isdigit():
            key.append((_DIGIT, char))
        elif char.isascii() and char.isalpha():
            key.append((_LATIN, char.lower()))
        else:
            key.append((_OTHER, char))
    return tuple(key)


def initial_of(key: SortKey) -> str:
    """The letter a heading is filed under: the initial of its first syllable, ``#`` for digits and symbols."""
    for element in key:
        if element[0] == _HAN:
            return str(element[1])[0].upper()
        if element[0] == _LATIN:
            return str(element[1]).upper()
        if element[0] in (_DIGIT, _OTHER):
            return "#"
    return "#"
