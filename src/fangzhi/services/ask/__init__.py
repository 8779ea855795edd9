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
from fangzhi.services.ask.question import Question, analyse, counted_noun, looks_like_question
from fangzhi.services.ask.spans import (
    Span,
    copula_place,
    count_before,
    date_spans,
    enumeration,
    enumeration_before,
    in_question_order,
    keyword_runs,
    names_given_post,
    nearest,
    negated,
    noun_phrase_ending,
    number_span,
    organisation_before,
    paired_position,
    place_span,
    printed_direction,
    respectively,
    subject_phrase,
)
from fangzhi.services.ask.vocabulary import Vocabulary, vocabulary
from fangzhi.store.base import Store
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.words import contains, filler_words, question_vocabulary, soft_share, tag, variants

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
# Between sentences that answer equally well, one in the statistical communiqué is preferred by this much.
AUTHORITY = 0.01
# A where-answer that is only the volumes' own place is less sure than a venue named in it.
HOME_PLACE = 0.9
# A place holding this share of the weight of the words naming what is asked about repeats it.
REPEATED = 0.5
# A sentence not printing the act on what a passive when-question is about (设立平顶山市) weighs this much less.
ACTED_ON = 0.05


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
        if rarest and not any(soft_share(rarest, text) for text in (sentence.folded, sentence.context, sentence.lead)):
            continue
        if question.kind in ("number", "how_many") and not (
            _names_bodies(sentence, question) and _of_level(sentence, question)
        ):
            continue
        span = extract(sentence, question, weights, words)
        if isinstance(span, Span) and span.value is not None and _forecast(sentence, span, question):
            continue
        if isinstance(span, Span) and question.kind == "how_many" and _counts_another(sentence.text, span, question):
            continue
        if span is not None:
            score = sentence.score * _quality(sentence, span, question, words) * _acted_on(sentence, question)
            if _authoritative(sentence):
                score *= 1 + AUTHORITY  # the statistical communiqué, the source of record, wins a tie
            candidates.append((sentence, span, score))
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


def _authoritative(sentence: Sentence) -> bool:
    """Whether a sentence is printed under the year's statistical communiqué (统计公报)."""
    titles = [sentence.node.title or "", *(step.get("title") or "" for step in sentence.node.path)]
    return any(word in title for title in titles for word in question_vocabulary()["authoritative_titles"])


def _forecast(sentence: Sentence, span: Span, question: Question) -> bool:
    """A figure printed after 预期目标, 预计 or 力争 is a target, which a plain question about a year does not ask."""
    vocabulary = question_vocabulary()
    if any(word in question.text for word in vocabulary["forecast_words"]):
        return False
    return any(word in sentence.text[: span.start] for word in vocabulary["forecast_markers"])


def _quality(sentence: Sentence, span: Span | str, question: Question, words: Vocabulary) -> float:
    """How cleanly a number is printed as the value of the question's subject (地区生产总值2720.07亿元), a post
    as given to the person named (选举黄庚倜为…主席, rather than 主席黄庚倜 in passing), a place as a venue."""
    if question.kind == "where" and isinstance(span, Span) and span.text in words.home_names:
        return HOME_PLACE  # 在平顶山市举行 says less, in the volumes of 平顶山市, than 在平顶山学院湖滨校区举行
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


def _interchangeable(unit: str, asked: str) -> bool:
    """Whether a classifier counts the same things as the one asked (多少家医院: 118个)."""
    return any(asked in group and unit in group for group in question_vocabulary()["interchangeable_units"])


def _counts_another(text: str, span: Span, question: Question) -> bool:
    """Whether a count is printed before the noun it counts and that noun is not asked about (82个乡（镇、街道）、
    657个行政村 does not say how many 街道)."""
    if span.unit in question_vocabulary()["person_classifiers"]:
        return False  # 44人行政职务任免 counts people
    following = tag(text[span.end : span.end + 8])
    if not following or following[0][1][:1] not in ("n", "j", "z"):
        return False
    return following[0][0] not in question.text


def _acted_on(sentence: Sentence, question: Question) -> float:
    """A little less for a sentence that does not print the act on the thing asked about (设立平顶山市 for
    平顶山市是哪一年设立的), such as one where that thing does the act (平顶山市设立…河湖长)."""
    if not question.patient or not question.predicate:
        return 1.0
    acted = any(
        f"{act}{patient}" in sentence.folded
        for act in variants(question.predicate)
        for patient in variants(question.patient)
    )
    return 1.0 if acted else 1 - ACTED_ON


def _number_answer(question: Question, candidates: list[tuple[Sentence, Span | str, float]]) -> Answer:
    """The value most sentences agree on among the best-matching ones; other values they print as alternatives."""
    spans = [(sentence, span, score) for sentence, span, score in candidates if isinstance(span, Span)]
    if question.asked_unit:
        fitting = [item for item in spans if item[1].unit and item[1].unit.endswith(question.asked_unit)]
        if not fitting and question.kind == "how_many":
            # 辖几个区 is not answered by 30万吨 nor 31次: a count in another classifier counts other things
            fitting = [item for item in spans if item[1].unit and _interchangeable(item[1].unit, question.asked_unit)]
            if not fitting:
                return not_found(question, max(score for _, _, score in candidates))
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
        if (
            question.measure
            and _measure_anchor(sentence.folded, question.measure) is None
            and _measure_anchor(f"{sentence.context} {sentence.lead}", question.measure) is not None
        ):
            return None  # the figure of what is measured is printed where the entry's lead names it, not here
        for word in sorted(question.words, key=lambda word: -weights.get(word, 1.0)):
            position = sentence.folded.find(word)
            if position < 0:
                position = paired_position(sentence.folded, word)  # 农村 where 城乡 stands for it
            span = respectively(sentence.folded, (position, position + len(word)), word) if position >= 0 else None
            if span is not None:
                return span
        leveled = _figure_of_level(sentence.folded, question)
        if leveled is not None:
            return leveled
        noun = counted_noun(question)
        if kind == "how_many" and noun and question.asked_unit:
            counted = count_before(sentence.folded, noun, question.asked_unit)
            if counted is not None:
                return counted
            if len(noun) == 1 and noun not in question.words:
                return None  # 几个乡 is read only where a count stands before 乡, not from 三个一批
        measured = _measure_anchor(sentence.folded, question.measure)
        while measured is not None:  # each place the measure is printed (a document title names it first)
            span = number_span(sentence.text, measured, growth=question.growth, unit=question.asked_unit)
            if span is not None:
                return span
            measured = _measure_anchor(sentence.folded, question.measure, after=measured[1])
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
        if predicate is None and _names_act(question) and not contains(sentence.context, question.predicate):
            return None  # the sentence dates something else than the act asked about (通过, not 施行)
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
        noun = question.asked_noun
        places = {*question_vocabulary()["place_suffixes"], *question_vocabulary()["place_endings"]}
        if noun in places or (len(noun) > 1 and not noun.endswith(tuple(question_vocabulary()["person_noun_endings"]))):
            return None  # things are asked for (哪些应急处置单位), not people's names
    if kind == "list" and question.asked_noun is None:
        done = _done_after_cue(question, sentence.folded)
        items = enumeration_before(sentence.text, done) if done is not None else []
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
        named = [word for word in asked_before if word not in words.home_names]
        for start, end, _ in ordered:
            if named and all(contains(sentence.folded[start:end], word) for word in named):
                said = copula_place(sentence.text, (start, end))
                if said is not None and _names_place(said.text, words):
                    return said
        acts = question_vocabulary()["event_acts"]
        asks_act = any(act in question.text for act in acts)
        for start, end, _ in [*ordered, *runs[:2]]:
            span = place_span(sentence.text, (start, end))
            if span is None or span.start < start or _repeats(span.text, asked_before, weights):
                continue
            if asked_before and not any(word in sentence.folded[: span.start] for word in asked_before):
                continue
            if asks_act and not sentence.text[span.end :].lstrip().startswith(tuple(acts)):
                continue  # 在哪召开 is answered by 在市委党校召开, not by 站在战略和全局的高度
            if not asks_act and not _names_place(span.text, words):
                continue  # 白龟湖在哪里 is not answered by 在统筹兼顾中提升综合效益
            return span
        return None
    if kind == "yes_no":
        return _verdict(sentence, question, weights)
    if kind == "which_document":
        return _title_printed(sentence, question, weights)
    return None


def _title_printed(sentence: Sentence, question: Question, weights: dict[str, float]) -> str | None:
    """The 《title》 a sentence prints that holds the question's rarest word and most of its weight (6月30日，市政府
    印发《关于加快建设现代水网打造山水鹰城的实施意见》 for …印发的现代水网文件叫什么)."""
    if question.day and question.day not in re.sub(r"(?<!\d)0(\d)", r"\1", sentence.folded):
        return None  # the day asked (6月30日印发的…) is the day the sentence prints
    rarest = max(question.words, key=lambda word: weights.get(word, 1.0))
    scored = [
        (sum(weights.get(word, 1.0) for word in question.words if contains(title, word)), title)
        for title in re.findall(r"《[^《》]{2,80}》", sentence.text)
        if contains(title, rarest)
    ]
    return max(scored)[1] if scored else None


def _verdict(sentence: Sentence, question: Question, weights: dict[str, float]) -> str | None:
    """是 or 否 as the sentence says it: a figure moving the other way (下降1.0% for 增长了吗) or a negation of what
    is asked (不纳入, 零死亡) is 否; a sentence holding nearly all the question otherwise is 是.  A sentence setting a
    target (预期目标是…) says nothing of whether it was met."""
    if any(marker in sentence.folded for marker in question_vocabulary()["forecast_markers"]):
        return None
    if question.direction:
        moved = printed_direction(sentence.folded, question.words, weights)
        if moved is None:
            return None
        return "是" if moved == question.direction else "否"
    if negated(sentence.folded, question.words):
        return "否"
    return "是" if sentence.score >= YES_THRESHOLD else None


def _measure_anchor(folded: str, measure: str | None, after: int = 0) -> tuple[int, int] | None:
    """Where a sentence prints what is measured, or the longest end of it (总投资 for 项目总投资), from ``after`` on."""
    if not measure:
        return None
    for start in range(len(measure) - 1):
        piece = measure[start:]
        if len(piece) >= 2 or start == 0:
            position = folded.find(piece, after)
            if position >= 0:
                return position, position + len(piece)
    return None


def _deputy(folded: str, start: int, end: int, words: list[str]) -> bool:
    """Whether the post a run of question words ends with is printed as a deputy's (副校长 for 校长)."""
    positions = [folded.rfind(word, start, end) for word in words if folded.rfind(word, start, end) >= 0]
    last = max(positions, default=-1)
    return last > 0 and folded[last - 1] == "副"


def _done_after_cue(question: Question, folded: str) -> int | None:
    """Where a sentence prints the first of the question's words after its cue (由哪几家共同出资建设: 共同出资建设),
    the act whose doers a list question asks for."""
    cue = re.search(r"哪(?:些|几|[两二三四五六七八九十])", question.text)
    if not cue:
        return None
    after = [word for word in question.words if question.text.find(word) > cue.start()]
    positions = [folded.find(word) for word in after[:1] if word in folded]
    return positions[0] if positions else None


def _figure_of_level(folded: str, question: Question) -> Span | None:
    """The figure printed right after the level asked (…214家，其中国家级5家、省级72家 for 国家重点龙头企业)."""
    asked = re.search(question_vocabulary()["level_pattern"], question.text)
    if asked is None:
        return None
    level = asked.group(1).replace("全国", "国家")
    found = re.search(rf"{level}(?:级|重点)[^\d，。；、]{{0,8}}?(\d+(?:\.\d+)?)", folded)
    if found is None:
        return None
    return number_span(folded, (found.start(1), found.start(1)), unit=question.asked_unit)


def _of_level(sentence: Sentence, question: Question) -> bool:
    """Whether a sentence prints figures of the level asked (国家重点龙头企业), when it prints levels at all (137家…市重点
    龙头企业 is not)."""
    pattern = question_vocabulary()["level_pattern"]
    asked = {level.replace("全国", "国家") for level in re.findall(pattern, question.text)}
    printed = {level.replace("全国", "国家") for level in re.findall(pattern, sentence.folded)}
    return not asked or not printed or bool(asked & printed)


def _names_bodies(sentence: Sentence, question: Question) -> bool:
    """Whether a sentence, its entry or its headings name every body the question names (平顶山学院有多少名在校生 is
    not answered by the city's primary schools' 在校生489797人)."""
    suffixes = tuple(question_vocabulary()["organisation_suffixes"])
    bodies = [word for word in question.words if len(word) >= 4 and word.endswith(suffixes)]
    where = f"{sentence.folded} {sentence.context} {sentence.lead}"
    return all(contains(where, body) for body in bodies)


def _names_place(text: str, words: Vocabulary) -> bool:
    """Whether a span reads as a place: one the corpus knows, or ending as places and bodies are named."""
    vocabulary = question_vocabulary()
    endings = (*vocabulary["place_endings"], *vocabulary["organisation_suffixes"])
    return text.endswith(endings) or any(place in text for place in words.places)


def _repeats(text: str, asked: list[str], weights: dict[str, float]) -> bool:
    """Whether a place found is mostly the thing whose place is asked (在尧山实验室 for 尧山实验室在哪), not a place
    sharing a word with it (市委党校 for 市委…全会在哪召开)."""
    total = sum(weights.get(word, 1.0) for word in asked)
    held = sum(weights.get(word, 1.0) for word in asked if word in text)
    return bool(total) and held / total >= REPEATED


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
    if len(question.words) >= 2 and predicate:
        for variant in variants(predicate):
            position = sentence.folded.find(variant)
            if position >= 0:
                return position, position + len(variant)
    return None


def _names_act(question: Question) -> bool:
    """Whether the word a when-question's date must stand by is an act (施行, 批准, 任命), which a sentence must print."""
    predicate = question.predicate
    if not predicate or len(question.words) < 2:
        return False
    tagged = tag(predicate)
    return len(tagged) == 1 and tagged[0][1].startswith("v")


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
