"""Words of a Chinese question: jieba's segmentation, with the question vocabulary of ``data/questions.json``.

Questions are segmented by a jieba tokenizer of their own, so that the
corpus words a caller adds (indicator names, people, places, titles read
from a knowledge base) never change how the extractors segment text at
ingest, which use jieba's default tokenizer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from fangzhi.data import read_json
from fangzhi.text.normalize import fold_for_search

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def question_vocabulary() -> dict[str, Any]:
    """Cue phrases per question kind, stop words, units and classifiers (``data/questions.json``)."""
    return read_json("questions.json")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(question_vocabulary()["stop_words"])


@lru_cache(maxsize=1)
def filler_words() -> tuple[str, ...]:
    """Words that may stand between a subject and its number without changing what it counts (为, 达到, 全年)."""
    vocabulary = question_vocabulary()
    return tuple(vocabulary["number_fillers"] + vocabulary["home_words"])


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    return _new_tokenizer()


@lru_cache(maxsize=1)
def _plain_tokenizer() -> Any:
    """jieba's own dictionary, never taught corpus words: the words a corpus word must not break."""
    return _new_tokenizer()


def _new_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


_added: set[str] = set()
# Words read from titles and indicator names: often a fragment glued to its context (年接待游客 from 全年接待游客).
_weak: set[str] = set()


def add_words(words: Iterable[str], *, weak: bool = False) -> None:
    """Teach the question tokenizer words of the corpus, so they are kept whole (平顶山市, 地区生产总值).

    ``weak`` words (entry titles, indicator names) may join words of jieba's
    dictionary but never cut one apart; names of people, places and
    organisations may (张留成 in 张留成为…, against 成为).
    """
    tokenizer = _tokenizer()
    with _LOCK:
        for word in words:
            word = word.strip()
            if 2 <= len(word) <= 24 and word not in _added:
                tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 50000))
                _added.add(word)
                if weak:
                    _weak.add(word)
            elif not weak and word in _weak:
                _weak.discard(word)


def segment(text: str) -> list[str]:
    """The words of a text, folded (traditional to simplified, full width to half width).

    The corpus-taught cut is kept where it only joins or agrees with jieba's
    own words; where a weak corpus word would cut a word of jieba's dictionary
    apart (全/年接待游客 for 全年接待游客), that stretch is cut as jieba cuts it.
    """
    folded = fold_for_search(text)
    taught = _tokenizer().lcut(folded)
    if not _weak:
        return [word for word in taught if word.strip()]
    plain_tokenizer = _plain_tokenizer()
    plain = plain_tokenizer.lcut(folded, HMM=False)
    inside: set[int] = set()
    position = 0
    for word in plain:
        if len(word) >= 2 and plain_tokenizer.FREQ.get(word):
            inside.update(range(position + 1, position + len(word)))
        position += len(word)
    taught_spans = _spans(taught)
    plain_spans = _spans(plain)
    bad = {
        end
        for (start, end, word), following in zip(taught_spans, taught_spans[1:], strict=False)
        if end in inside
        and (word in _weak or following[2] in _weak)
        and not _strong(word)
        and not _strong(following[2])
    }
    if not bad:
        return [word for word in taught if word.strip()]
    common = {0, len(folded)} | ({end for _, end, _ in taught_spans} & {end for _, end, _ in plain_spans})
    cuts = sorted(common)
    words: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        replace = any(start < point < end for point in bad)
        chosen = plain_spans if replace else taught_spans
        words.extend(word for begin, finish, word in chosen if begin >= start and finish <= end)
    return [word for word in words if word.strip()]


def _strong(word: str) -> bool:
    return word in _added and word not in _weak


def _spans(words: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    position = 0
    for word in words:
        spans.append((position, position + len(word), word))
        position += len(word)
    return spans


def content_words(text: str) -> list[str]:
    """The words of a text that carry its subject: no stop words, question words or punctuation, each once."""
    stops = stop_words()
    words: list[str] = []
    for word in segment(text):
        if word in stops or not any(char.isalnum() for char in word):
            continue
        if word not in words:
            words.append(word)
    return words


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_tokenizer())


def tag(text: str) -> list[tuple[str, str]]:
    """The words of a text with jieba's part-of-speech flags (``ns`` a place, ``nr`` a person)."""
    return [(pair.word, pair.flag) for pair in _tagger().cut(fold_for_search(text)) if pair.word.strip()]


def variants(word: str) -> tuple[str, ...]:
    """A word and the other ways public documents print it (主委 and 主任委员, GDP and 地区生产总值)."""
    return (word, *question_vocabulary()["synonyms"].get(word, ()))


def contains(text: str, word: str) -> bool:
    """Whether a text holds a word or one of its variants."""
    return any(variant in text for variant in variants(word))


# A word found only in part (居民消费价格指数 in 居民消费价格累计指数) counts this much of its share of character pairs.
SOFT_MATCH = 0.8


def soft_share(word: str, text: str) -> float:
    """How much of a word a text holds: 1 when whole (or a variant is), else the share of its character pairs
    the text holds, discounted, and only past half of them (民革平顶山市委 in 民革平顶山市第九届委员会); a word
    the text prints in full under its abbreviation counts as much (发改委 in 发展和改革委员会)."""
    if contains(text, word):
        return 1.0
    abbreviation = SOFT_MATCH if abbreviates(word, text) else 0.0
    pairs = [word[index : index + 2] for index in range(len(word) - 1)]
    if len(pairs) < 2:
        return abbreviation
    share = sum(pair in text for pair in pairs) / len(pairs)
    return max(abbreviation, share * SOFT_MATCH if share >= 0.5 else 0.0)


# An abbreviation keeps a character of each word it shortens: 发改委 for 发展和改革委员会, 市委 for 中共…市委员会.
ABBREVIATED_GAP = 4


def abbreviates(word: str, text: str) -> bool:
    """Whether ``word`` (three characters or more) reads as an abbreviation of a name the text prints in full:
    its characters in order, each at most a few characters after the one before (发改委 in 发展和改革委员会)."""
    if len(word) < 3 or not all("\u4e00" <= char <= "\u9fff" for char in word):
        return False
    start = text.find(word[0])
    while start >= 0:
        position = start
        for char in word[1:]:
            following = text.find(char, position + 1, position + 2 + ABBREVIATED_GAP)
            if following < 0:
                break
            position = following
        else:
            return True
        start = text.find(word[0], start + 1)
    return False
