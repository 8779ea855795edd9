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
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


_added: set[str] = set()


def add_words(words: Iterable[str]) -> None:
    """Teach the question tokenizer words of the corpus, so they are kept whole (平顶山市, 地区生产总值)."""
    tokenizer = _tokenizer()
    with _LOCK:
        for word in words:
            word = word.strip()
            if 2 <= len(word) <= 24 and word not in _added:
                tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 50000))
                _added.add(word)


def segment(text: str) -> list[str]:
    """The words of a text, folded (traditional to simplified, full width to half width)."""
    return [word for word in _tokenizer().lcut(fold_for_search(text)) if word.strip()]


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
