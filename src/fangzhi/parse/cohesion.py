"""Lexical cohesion: how alike the text just before and just after a line is.

The measure of TextTiling (Hearst 1997): a topic boundary changes the
vocabulary, so the similarity of the words on both sides of a line drops
there.  Characters are paired into bigrams (Chinese has no spaces to split
words at) and weighted by inverse document frequency over the whole text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_COHESION_WINDOW = 150


class Cohesion:
    """How alike the text just before and just after a line is (TextTiling's lexical cohesion).

    Character bigrams weighted by inverse document frequency, compared by
    cosine: a chapter boundary changes the vocabulary more than a section
    boundary inside one chapter does.
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        chunks = [
            self._bigrams(texts[start : start + _COHESION_WINDOW]) for start in range(0, len(texts), _COHESION_WINDOW)
        ]
        frequency: Counter[str] = Counter()
        for chunk in chunks:
            frequency.update(chunk.keys())
        self.idf = {gram: math.log(len(chunks) / (1 + count)) for gram, count in frequency.items()}
        self.cache: dict[int, float] = {}

    @staticmethod
    def _bigrams(texts: Sequence[str]) -> Counter[str]:
        joined = "".join(re.sub(r"[^\u4e00-\u9fff]", "", text) for text in texts)
        return Counter(joined[i : i + 2] for i in range(len(joined) - 1))

    def _weighted(self, texts: Sequence[str]) -> dict[str, float]:
        return {gram: count * self.idf.get(gram, 0.0) for gram, count in self._bigrams(texts).items()}

    def at(self, index: int) -> float:
        if index not in self.cache:
            self.cache[index] = self._at(index)
        return self.cache[index]

    def _at(self, index: int) -> float:
        before = self._weighted(self.texts[max(index - _COHESION_WINDOW, 0) : index])
        after = self._weighted(self.texts[index : index + _COHESION_WINDOW])
        dot = sum(value * after.get(gram, 0.0) for gram, value in before.items())
        norm = math.sqrt(sum(v * v for v in before.values())) * math.sqrt(sum(v * v for v in after.values()))
        return dot / norm if norm else 1.0
