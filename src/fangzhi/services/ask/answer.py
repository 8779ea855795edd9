"""What ``ask`` returns: a short answer, its kind and value, and the printed place it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fangzhi.services.ask.question import Question


@dataclass
class AnswerCitation:
    """Where an answer is printed: the node it was read from and the exact lines of the quote."""

    volume: str
    node: str
    title: str | None
    page: int | None
    line_start: int
    line_end: int
    quote: str
    volume_title: str | None = None
    context: str = ""
    context_quote: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "volume": self.volume,
            "volume_title": self.volume_title,
            "node": self.node,
            "title": self.title,
            "page": self.page,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "quote": self.quote,
            "context": self.context,
            "context_quote": list(self.context_quote) if self.context_quote else None,
        }


@dataclass
class Alternative:
    """Another value the corpus prints for the same question, with its own citation."""

    answer: str
    value: float | None
    unit: str | None
    citations: list[AnswerCitation]

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "value": self.value,
            "unit": self.unit,
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass
class Answer:
    """The answer to one question, or an honest ``not_found``.

    ``source`` says how it was found (``appointment``, ``document``,
    ``repeal``, ``list_item``, ``event``, ``indicator`` facts, or ``passage``
    for a span read from the text); ``score`` is the passage match on a 0–1
    scale that ``not_found`` was decided on.
    """

    question: str
    kind: str
    answer: str | None
    not_found: bool
    value: float | None = None
    unit: str | None = None
    citations: list[AnswerCitation] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    source: str | None = None
    score: float = 0.0
    analysis: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind,
            "answer": self.answer,
            "value": self.value,
            "unit": self.unit,
            "not_found": self.not_found,
            "citations": [citation.to_dict() for citation in self.citations],
            "alternatives": [alternative.to_dict() for alternative in self.alternatives],
            "source": self.source,
            "score": round(self.score, 3),
            "analysis": self.analysis,
        }


def found(
    question: Question, answer: str, source: str, score: float, citations: list[AnswerCitation], **more: Any
) -> Answer:
    """An answer to ``question`` read from ``source`` (a fact kind, ``byline`` or ``passage``)."""
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=answer,
        not_found=False,
        citations=citations,
        source=source,
        score=score,
        **more,
    )


def not_found(question: Question, score: float = 0.0) -> Answer:
    """The honest answer when nothing in the corpus answers well enough; ``score`` is the best match seen."""
    return Answer(question=question.text, kind=question.kind, answer=None, not_found=True, score=score)
