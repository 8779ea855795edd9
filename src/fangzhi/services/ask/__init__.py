"""Answering a question in Chinese from the knowledge base, with the page it is printed on.

``ask(store, question)`` reads the question (:mod:`.question`), tries the
facts that answer its kind (:mod:`.facts`), then the text: the best
sentences of the passages the index finds (:mod:`.passages`) and the span
in them that answers (:mod:`.spans`).  When nothing in the corpus answers
well enough, the answer says so (``not_found``) instead of offering the
nearest passage.  docs/ask.md tells the whole story.
"""

from __future__ import annotations

import re

from fangzhi.errors import QueryError
from fangzhi.services.ask.answer import Alternative, Answer, AnswerCitation, found, not_found
from fangzhi.services.ask.facts import FACT_ANSWERERS
from fangzhi.services.ask.passages import Sentence, citation_of, ranked_sentences, word_weights
from fangzhi.services.ask.question import Question, analyse, looks_like_question
from fangzhi.services.ask.spans import (
    Span,
    date_spans,
    enumeration,
    in_question_order,
    keyword_runs,
    names_given_post,
    nearest,
    noun_phrase_ending,
    number_span,
    organisation_before,
    place_span,
    respectively,
    subject_phrase,
)
from fangzhi.services.ask.vocabulary import Vocabulary, vocabulary
from fangzhi.store.base import Store
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.words import contains, filler_words, question_vocabulary

__all__ = ["ask", "is_question", "Answer", "AnswerCitation", "Alternative", "Question", "analyse"]

MAX_QUESTION = 200
# A sentence must hold this share of the question's weight to answer it (calibrated on the question bank).
ANSWER_THRESHOLD = 0.6
YES_THRESHOLD = 0.85
SENTENCES_TRIED = 20
ALTERNATIVE_MARGIN = 0.1
# An indicator figure matching at least this well answers without a look at the text.
CERTAIN_FIGURE = 0.95
# A number printed after more than the question's subject (城镇常住人口 for 常住人口) is likely another figure.
CLUTTERED = 0.75
# A name printed beside a post in passing is a little less sure than one the post is given to.
MENTIONED = 0.95


def ask(store: Store, text: str) -> Answer:
    """Answer a question from the store's volumes, citing where the answer is printed, or say it is not there."""
    if text is None or not text.strip():
        raise QueryError("empty question: ask something, e.g. 2023年全市地区生产总值是多少？")
    if len(text) > MAX_QUESTION:
        raise QueryError(f"the question is {len(text)} characters long; ask in at most {MAX_QUESTION}")
    words = vocabulary(store)
    question = analyse(text, words)
    weights = word_weights(store, question.words)
    answer = None
    for answerer in FACT_ANSWERERS.get(question.kind, []):
        answer = answerer(store, question, words, weights)
        if answer is not None:
            break
    if answer is None:
        answer = answer_from_passages(store, question, words, weights)
    elif answer.source == "indicator" and answer.score < CERTAIN_FIGURE:
        answer = _weigh_against_text(answer, answer_from_passages(store, question, words, weights))
    volumes = {volume.id: volume.title for volume in store.volumes()}
    for citation in [
        *answer.citations,
        *(cited for alternative in answer.alternatives for cited in alternative.citations),
    ]:
        citation.volume_title = volumes.get(citation.volume)
    for citation in answer.citations[:1]:
        add_context(store, citation)
    answer.analysis = question.to_dict()
    return answer


CONTEXT_LINES = 6


def _weigh_against_text(figure: Answer, passage: Answer) -> Answer:
    """An indicator figure whose name fits the question only in part, against what the best sentences print.

    The text agreeing with the figure (or with one of its alternatives) settles
    it; otherwise the better-matching of the two answers.
    """
    if passage.not_found or passage.value is None:
        return figure
    if figure.value is not None and _same_value(passage.value, passage.unit, figure.value, figure.unit):
        return figure
    for alternative in figure.alternatives:
        if alternative.value is not None and _same_value(
            passage.value, passage.unit, alternative.value, alternative.unit
        ):
            return passage
    return passage if passage.score > figure.score else figure


def add_context(store: Store, citation: AnswerCitation) -> None:
    """The printed text around a quote, a few lines either side, with where the quote sits in it."""
    before = store.source_lines(citation.volume, max(1, citation.line_start - CONTEXT_LINES), citation.line_start - 1)
    quoted = store.source_lines(citation.volume, citation.line_start, citation.line_end)
    after = store.source_lines(citation.volume, citation.line_end + 1, citation.line_end + CONTEXT_LINES)
    head = "".join(squeeze_spaces(line) for line in before)
    middle = "".join(squeeze_spaces(line) for line in quoted)
    tail = "".join(squeeze_spaces(line) for line in after)
    context = head + middle + tail
    quote = squeeze_spaces(citation.quote)
    position = context.find(quote)
    if position < 0:
        position, length = len(head), len(middle)
    else:
        length = len(quote)
    citation.context = context
    citation.context_quote = (position, position + length)


def is_question(text: str) -> bool:
    """Whether what was typed into a search box reads as a question (so an answer card is worth showing)."""
    return looks_like_question(text)


def answer_from_passages(store: Store, question: Question, words: Vocabulary, weights: dict[str, float]) -> Answer:
    """The span of the best-covered sentence that answers the question's kind, or not_found."""
    sentences = ranked_sentences(store, question, words, weights)
    rarest = max(question.words, key=lambda word: weights.get(word, 1.0)) if question.words else None
    candidates: list[tuple[Sentence, Span | str, float]] = []
    for sentence in sentences[:SENTENCES_TRIED]:
        if sentence.score < ANSWER_THRESHOLD:
            break
        if rarest and not any(contains(text, rarest) for text in (sentence.folded, sentence.context, sentence.lead)):
            continue
        span = extract(sentence, question, weights, words)
        if isinstance(span, Span) and span.value is not None and _forecast(sentence, span, question):
            continue
        if span is not None:
            candidates.append((sentence, span, sentence.score * _quality(sentence, span, question, words)))
    if not candidates:
        return not_found(question, sentences[0].score if sentences else 0.0)
    if question.kind in ("number", "how_many"):
        return _number_answer(question, candidates)
    sentence, span, score = max(candidates, key=lambda item: item[2])
    if isinstance(span, str):
        text = span
    elif question.kind == "when":
        text = _full_date(span.text, sentence, store)
    else:
        text = span.text
    return found(question, text, "passage", score, [citation_of(sentence)])


def _forecast(sentence: Sentence, span: Span, question: Question) -> bool:
    """A figure printed after 预期目标, 预计 or 力争 is a target, which a plain question about a year does not ask."""
    vocabulary = question_vocabulary()
    if any(word in question.text for word in vocabulary["forecast_words"]):
        return False
    return any(word in sentence.text[: span.start] for word in vocabulary["forecast_markers"])


def _quality(sentence: Sentence, span: Span | str, question: Question, words: Vocabulary) -> float:
    """How cleanly a number is printed as the value of the question's subject (地区生产总值2720.07亿元), or a post
    as given to the person named (选举黄庚倜为…主席, rather than 主席黄庚倜 in passing)."""
    if question.kind in ("who", "list") and isinstance(span, str):
        acts = question_vocabulary()["appointing_words"]
        return 1.0 if any(act in sentence.folded for act in acts) else MENTIONED
    if not isinstance(span, Span) or span.value is None or question.kind not in ("number", "how_many"):
        return 1.0
    runs = keyword_runs(sentence.folded, question.words, {})
    anchor = min(runs, key=lambda run: abs(run[1] - span.start)) if runs else None
    if anchor is None:
        return 0.5
    phrase = subject_phrase(sentence.folded, (anchor[0], anchor[1]), span)
    for word in sorted([*question.words, *filler_words(), *words.home_names], key=len, reverse=True):
        phrase = phrase.replace(word, "")
    phrase = re.sub(r"(?:19|20)\d{2}年|[\s，、]", "", phrase)
    return 1.0 if len(phrase) <= 1 else CLUTTERED


def _number_answer(question: Question, candidates: list[tuple[Sentence, Span | str, float]]) -> Answer:
    """The value most sentences agree on among the best-matching ones; other values they print as alternatives."""
    spans = [(sentence, span, score) for sentence, span, score in candidates if isinstance(span, Span)]
    if question.asked_unit:
        fitting = [item for item in spans if item[1].unit and item[1].unit.endswith(question.asked_unit)]
        spans = fitting or spans
    groups: list[list[tuple[Sentence, Span, float]]] = []
    for item in spans:
        for group in groups:
            if _same_value(item[1].value, item[1].unit, group[0][1].value, group[0][1].unit):
                group.append(item)
                break
        else:
            groups.append([item])
    groups.sort(key=lambda group: (-max(score for _, _, score in group), -len(group)))
    best = groups[0]
    top = max(score for _, _, score in best)
    sentence, span, score = max(best, key=lambda item: item[2])
    answer = found(question, span.text, "passage", score, [citation_of(sentence)], value=span.value, unit=span.unit)
    for group in groups[1:]:
        _, other_span, other_score = max(group, key=lambda item: item[2])
        if other_score >= top - ALTERNATIVE_MARGIN and other_score >= ANSWER_THRESHOLD and other_span.unit == span.unit:
            citations = [citation_of(item[0]) for item in sorted(group, key=lambda item: -item[2])[:3]]
            answer.alternatives.append(Alternative(other_span.text, other_span.value, other_span.unit, citations))
    return answer


def extract(sentence: Sentence, question: Question, weights: dict[str, float], words: Vocabulary) -> Span | str | None:
    """The span of a sentence that answers the question's kind."""
    runs = keyword_runs(sentence.folded, question.words, weights)
    if not runs:
        return None
    kind = question.kind
    if kind in ("number", "how_many"):
        for word in sorted(question.words, key=lambda word: -weights.get(word, 1.0)):
            position = sentence.folded.find(word)
            span = respectively(sentence.folded, (position, position + len(word)), word) if position >= 0 else None
            if span is not None:
                return span
        measured = _measure_anchor(sentence.folded, question.measure)
        if measured is not None:
            span = number_span(sentence.text, measured, growth=question.growth, unit=question.asked_unit)
            if span is not None:
                return span
        for start, end, _ in runs[:3]:
            word = next((word for word in question.words if word in sentence.folded[start:end]), "")
            span = respectively(sentence.text, (start, end), word) if word else None
            span = span or number_span(sentence.text, (start, end), growth=question.growth, unit=question.asked_unit)
            if span is not None:
                return span
        return None
    anchor = (runs[0][0], runs[0][1])
    if kind == "when":
        predicate = _predicate_position(sentence, question)
        return nearest(date_spans(sentence.text), predicate or anchor)
    if kind == "who" and sentence.node.attributes.get("profile") and sentence.node.title:
        return squeeze_spaces(
            sentence.node.title
        )  # a profile (曹坤利，男，…) is all about the person it is titled with
    if kind == "who" and question.asked_noun in question_vocabulary()["asked_organisations"]:
        first = min((start for start, _, _ in runs), default=0)
        body = organisation_before(sentence.text, first)
        return body.text if body else None
    if kind == "list" and question.asked_noun and question.asked_noun not in question_vocabulary()["person_nouns"]:
        items = enumeration(sentence.whole, question.asked_noun, question.words)
        if items:
            return "、".join(items)
    if kind in ("who", "list"):
        last = question.words[-1]
        runs = sorted(runs, key=lambda run: not contains(sentence.folded[run[0] : run[1]], last))
        for start, end, _ in runs[:3]:
            if "副" not in question.text and _deputy(sentence.folded, start, end, question.words):
                continue  # 为…副校长 does not say who the 校长 is
            names = names_given_post(sentence.text, (start, end), words.people)
            if names:
                return "、".join(names)
        return None
    if kind == "where" and question.asked_noun:
        named = noun_phrase_ending(sentence.text, question.asked_noun, question.words)
        if named:
            return nearest(named, anchor)
    if kind == "where":
        ordered = [run for run in runs if in_question_order(sentence.folded, (run[0], run[1]), question.words)]
        asked_before = _words_before_cue(question)
        for start, end, _ in [*ordered, *runs[:2]]:
            span = place_span(sentence.text, (start, end))
            if span is None or span.start < start or any(word in span.text for word in asked_before):
                continue
            if asked_before and not any(word in sentence.folded[: span.start] for word in asked_before):
                continue
            return span
        return None
    if kind == "yes_no":
        return "是" if sentence.score >= YES_THRESHOLD else None
    return None


def _measure_anchor(folded: str, measure: str | None) -> tuple[int, int] | None:
    """Where a sentence prints what is measured, or the longest end of it (总投资 for 项目总投资)."""
    if not measure:
        return None
    for start in range(len(measure) - 1):
        piece = measure[start:]
        if len(piece) >= 2 or start == 0:
            position = folded.find(piece)
            if position >= 0:
                return position, position + len(piece)
    return None


def _deputy(folded: str, start: int, end: int, words: list[str]) -> bool:
    """Whether the post a run of question words ends with is printed as a deputy's (副校长 for 校长)."""
    positions = [folded.rfind(word, start, end) for word in words if folded.rfind(word, start, end) >= 0]
    last = max(positions, default=-1)
    return last > 0 and folded[last - 1] == "副"


def _words_before_cue(question: Question) -> list[str]:
    """Question words printed before 位于 or 在: the thing whose place is asked, which the answer must not repeat."""
    cue = re.search(r"位于|在哪|在什么|在何", question.text)
    if not cue:
        return []
    head = question.text[: cue.start()]
    return [word for word in question.words if word in head]


def _predicate_position(sentence: Sentence, question: Question) -> tuple[int, int] | None:
    """Where the sentence prints the act whose date is asked (批准 in 什么时候批准了…), if the question has two words or more."""
    predicate = question.predicate or (question.words[-1] if question.words else None)
    if len(question.words) >= 2 and predicate and predicate in sentence.folded:
        position = sentence.folded.find(predicate)
        return position, position + len(predicate)
    return None


_YEAR = re.compile(r"((?:19|20)\d{2})年")


def _full_date(text: str, sentence: Sentence, store: Store) -> str:
    """A date as printed, with the year the sentence, its entry or the volume implies when it was left out."""
    if _YEAR.match(text) or re.fullmatch(r"\d{1,4}年", text):
        return text
    year = _YEAR.search(sentence.folded) or _YEAR.search(sentence.lead)
    if year:
        return f"{year.group(1)}年{text}"
    volume = store.volume(sentence.node.volume)
    if volume.kind == "yearbook" and volume.year:
        return f"{volume.year - 1}年{text}"
    return text


def _same_value(value: float, unit: str | None, other: float | None, other_unit: str | None) -> bool:
    """Equal, or the same figure rounded (237.1 and 237.13)."""
    if other is None or unit != other_unit:
        return False
    if value == other:
        return True
    return any(round(other, digits) == value or round(value, digits) == other for digits in range(0, 3))
