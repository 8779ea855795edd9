"""Answers from facts: appointments, documents and repeals, list items, chronicle events, indicators.

A fact answers when it matches the question closely (the question's words,
weighed by IDF, found in the fact's post, title, list name or text); each
answerer returns None otherwise, and the question goes on to the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from fangzhi.model import Fact, NodeKind
from fangzhi.services.ask.answer import Alternative, Answer, AnswerCitation
from fangzhi.services.ask.question import Question
from fangzhi.services.ask.vocabulary import Vocabulary
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.normalize import fold_for_search, squeeze_spaces
from fangzhi.text.words import question_vocabulary

FACT_MATCH = 0.75
EVENT_MATCH = 0.8
TITLE_MATCH = 0.7
# An event is about what its first words name; a thing mentioned later in a long record is not its subject.
EVENT_HEAD = 40
ACTION_LABELS = {"appoint": "任命", "remove": "免去"}

Answerer = Callable[[Store, Question, Vocabulary, dict[str, float]], Answer | None]


def date_label(value: str | None) -> str:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", value or "")
    if not match:
        return value or ""
    year, month, day = match.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def _match(text: str, words: list[str], weights: dict[str, float]) -> float:
    total = sum(weights.get(word, 1.0) for word in words)
    if not total:
        return 0.0
    return sum(weights.get(word, 1.0) for word in words if word in text) / total


def _subject_words(question: Question, drop: set[str] = frozenset()) -> list[str]:
    actions = {word for words in question_vocabulary()["action_words"].values() for word in words}
    skip = actions | set(question.people) | drop | {"当选", "选举", "职务", "任免"}
    return [word for word in question.words if word not in skip]


def _fact_citation(store: Store, fact: Fact, titles: dict[str, str | None]) -> AnswerCitation:
    quote = squeeze_spaces("".join(store.source_lines(fact.volume, fact.line_start, fact.line_end)))
    if fact.node_id not in titles:
        node = _citable(store, fact.node_id)
        titles[fact.node_id] = node.title if node else None
    return AnswerCitation(
        volume=fact.volume,
        node=fact.node_id,
        title=titles[fact.node_id],
        page=fact.page,
        line_start=fact.line_start,
        line_end=fact.line_end,
        quote=quote,
    )


def _citable(store: Store, node_id: str) -> StoredNode | None:
    try:
        node = store.node(node_id)
    except Exception:  # noqa: BLE001 - a fact whose node is gone is cited without a title
        return None
    if node.title:
        return node
    for step in reversed(node.path):
        if step.get("title"):
            return store.node(step["id"])
    return node


def _people(names: list[str]) -> str:
    return "、".join(dict.fromkeys(names))


# --- appointments -------------------------------------------------------------------------------------------


def _appointment_matches(store: Store, question: Question, weights: dict[str, float]) -> list[tuple[float, Fact]]:
    words = _subject_words(question)
    if not words:
        return []
    scored = []
    for fact in store.facts(kind="appointment"):
        post = fold_for_search(f"{fact.data.get('post', '')}")
        if not post:
            continue
        score = _match(post, words, weights)
        if "副" in post and "副" not in question.text:
            score -= 0.2
        if question.action and fact.data.get("action") != question.action:
            score -= 0.5 if question.action == "remove" else 0.1
        scored.append((score, fact))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def answer_who_by_appointment(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    if question.people and question.kind != "list":
        return None
    scored = _appointment_matches(store, question, weights)
    if not scored or scored[0][0] < FACT_MATCH:
        return None
    best = scored[0][0]
    chosen = [fact for score, fact in scored if score >= best - 1e-9]
    first_line = chosen[0].line_start
    chosen = [fact for fact in chosen if fact.line_start == first_line]
    titles: dict[str, str | None] = {}
    names = _people([fact.data["person"] for fact in chosen])
    action = ACTION_LABELS.get(chosen[0].data.get("action"), "")
    answer = f"{names}（{action}{chosen[0].data.get('post', '')}）"
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=answer,
        not_found=False,
        citations=[_fact_citation(store, chosen[0], titles)],
        source="appointment",
        score=best,
    )


def answer_yes_no_by_appointment(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    if not question.people:
        return None
    person = question.people[0]
    facts = [fact for fact in store.facts(kind="appointment") if fold_for_search(fact.data.get("person", "")) == person]
    if not facts:
        return None
    words = _subject_words(question)
    titles: dict[str, str | None] = {}
    for fact in facts:
        post = fold_for_search(fact.data.get("post", ""))
        action_fits = question.action is None or fact.data.get("action") == question.action
        if action_fits and words and _match(post, words, weights) >= FACT_MATCH:
            label = ACTION_LABELS.get(fact.data.get("action"), "")
            return Answer(
                question=question.text,
                kind=question.kind,
                answer=f"是：{person}{label}{fact.data.get('post', '')}",
                not_found=False,
                citations=[_fact_citation(store, fact, titles)],
                source="appointment",
                score=1.0,
            )
    described = "；".join(
        f"{ACTION_LABELS.get(fact.data.get('action'), '')}{fact.data.get('post', '')}" for fact in facts
    )
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=f"否：{person}的任免记录是{described}",
        not_found=False,
        citations=[_fact_citation(store, fact, titles) for fact in facts],
        source="appointment",
        score=1.0,
    )


# --- documents and repeals ----------------------------------------------------------------------------------


def _documents(store: Store) -> list[StoredNode]:
    return list(store.nodes(kind=NodeKind.DOCUMENT))


def _document_citation(store: Store, node: StoredNode) -> AnswerCitation:
    doc_no = node.attributes.get("doc_no_as_printed") or node.attributes.get("doc_no") or ""
    lines = store.source_lines(node.volume, node.line_start, min(node.line_end, node.line_start + 8))
    end = node.line_start
    seen = ""
    for offset, line in enumerate(lines):
        seen += squeeze_spaces(line)
        end = node.line_start + offset
        if doc_no and squeeze_spaces(doc_no) in seen:
            break
    return AnswerCitation(
        volume=node.volume,
        node=node.id,
        title=node.title,
        page=node.page,
        line_start=node.line_start,
        line_end=end,
        quote=squeeze_spaces(" ".join(line.strip() for line in lines[: end - node.line_start + 1])),
    )


def _repeals(store: Store) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = defaultdict(list)
    for fact in store.facts(kind="repeal"):
        found[fact.data.get("repealed_doc_no", "")].append(fact)
    return found


def _status(doc_no: str, repeals: dict[str, list[Fact]]) -> str:
    if repeals.get(doc_no):
        return f"（已被{repeals[doc_no][0].data.get('by_doc_no')}废止）"
    return ""


def _document_by_question(
    store: Store, question: Question, weights: dict[str, float]
) -> tuple[StoredNode | None, float]:
    documents = _documents(store)
    for doc_no in question.doc_numbers:
        for node in documents:
            if node.attributes.get("doc_no") == doc_no:
                return node, 1.0
    words = _subject_words(
        question, drop=set(question_vocabulary()["issued_words"]) | set(question_vocabulary()["in_force_words"])
    )
    if not words:
        return None, 0.0
    scored = []
    for node in documents:
        title = fold_for_search(f"{node.title or ''} {node.attributes.get('attachment_title') or ''}")
        scored.append((_match(title, words, weights), node))
    if not scored:
        return None, 0.0
    score, node = max(scored, key=lambda pair: pair[0])
    return (node, score) if score >= TITLE_MATCH else (None, score)


def answer_which_document(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    repeals = _repeals(store)
    titles: dict[str, str | None] = {}
    if question.doc_numbers and question.repeal:
        wanted = question.doc_numbers[0]
        if repeals.get(wanted):
            fact = repeals[wanted][0]
            by = fact.data.get("by_doc_no")
            node = next((doc for doc in _documents(store) if doc.attributes.get("doc_no") == by), None)
            title = node.title if node else ""
            return Answer(
                question=question.text,
                kind=question.kind,
                answer=f"{by}《{title}》" if title else by,
                not_found=False,
                citations=[_fact_citation(store, fact, titles)],
                source="repeal",
                score=1.0,
            )
    node, score = _document_by_question(store, question, weights)
    if node is None:
        return None
    doc_no = node.attributes.get("doc_no", "")
    if question.doc_numbers and doc_no == question.doc_numbers[0]:
        answer = f"《{node.title}》{_status(doc_no, repeals)}"
    else:
        answer = f"{doc_no}《{node.title}》{_status(doc_no, repeals)}"
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=answer,
        not_found=False,
        citations=[_document_citation(store, node)],
        source="document",
        score=score,
    )


def answer_yes_no_by_repeal(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    if not question.doc_numbers or not question.repeal:
        return None
    wanted = question.doc_numbers[0]
    repeals = _repeals(store)
    titles: dict[str, str | None] = {}
    asks_in_force = any(word in question.text for word in ("有效", "施行", "生效"))
    if repeals.get(wanted):
        fact = repeals[wanted][0]
        verdict = "否" if asks_in_force else "是"
        return Answer(
            question=question.text,
            kind=question.kind,
            answer=f"{verdict}：{wanted}已被{fact.data.get('by_doc_no')}废止",
            not_found=False,
            citations=[_fact_citation(store, fact, titles)],
            source="repeal",
            score=1.0,
        )
    node = next((doc for doc in _documents(store) if doc.attributes.get("doc_no") == wanted), None)
    if node is None:
        return None
    verdict = "是" if asks_in_force else "否"
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=f"{verdict}：这些卷册中没有废止{wanted}的记录",
        not_found=False,
        citations=[_document_citation(store, node)],
        source="document",
        score=1.0,
    )


# --- dates: documents and chronicle events -----------------------------------------------------------------


def answer_when_by_document(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    node, score = _document_by_question(store, question, weights)
    if node is None:
        return None
    attributes = node.attributes
    if question.in_force and attributes.get("in_force_from"):
        answer = f"{date_label(attributes['in_force_from'])}（{attributes.get('in_force_as_printed', '')}）"
    elif attributes.get("date"):
        answer = date_label(attributes["date"])
    else:
        return None
    citation = _document_citation(store, node)
    date_as_printed = attributes.get("date_as_printed")
    if date_as_printed and not question.in_force:
        citation = _line_citation(store, node, date_as_printed) or citation
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=answer,
        not_found=False,
        citations=[citation],
        source="document",
        score=score,
    )


def _line_citation(store: Store, node: StoredNode, text: str) -> AnswerCitation | None:
    wanted = squeeze_spaces(text)
    lines = store.source_lines(node.volume, node.line_start, node.line_end)
    for offset, line in enumerate(lines):
        if squeeze_spaces(line) == wanted or (wanted in squeeze_spaces(line) and len(line) < len(wanted) + 8):
            number = node.line_start + offset
            return AnswerCitation(
                volume=node.volume,
                node=node.id,
                title=node.title,
                page=node.page,
                line_start=number,
                line_end=number,
                quote=squeeze_spaces(line),
            )
    return None


def _predicate(question: Question) -> str | None:
    """The last word of a when-question before its cue: the act whose date is asked (施行, 通过, 揭牌)."""
    words = _subject_words(question)
    return words[-1] if len(words) >= 2 else None


def answer_when_by_event(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    words = _subject_words(question)
    if not words:
        return None
    predicate = _predicate(question)
    scored = []
    for fact in store.facts(kind="event"):
        if not fact.data.get("date"):
            continue
        text = fold_for_search(fact.data.get("text", ""))
        first = re.split(r"[。！？\n]", text, maxsplit=1)[0]
        score = _match(text[:EVENT_HEAD], words, weights) * 0.6 + _match(first, words, weights) * 0.4
        if predicate and predicate not in text:
            score *= 0.5
        scored.append((score, fact))
    if not scored:
        return None
    scored.sort(key=lambda pair: -pair[0])
    best, fact = scored[0]
    if best < EVENT_MATCH:
        return None
    titles: dict[str, str | None] = {}
    answer = date_label(fact.data["date"])
    if fact.data.get("date_end") and fact.data["date_end"] != fact.data["date"]:
        answer += "至" + date_label(fact.data["date_end"])
    alternatives = []
    for score, other in scored[1:4]:
        if score >= best - 0.05 and other.data.get("date") != fact.data.get("date") and other.volume != fact.volume:
            alternatives.append(
                Alternative(date_label(other.data["date"]), None, None, [_fact_citation(store, other, titles)])
            )
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=answer,
        not_found=False,
        citations=[_fact_citation(store, fact, titles)],
        alternatives=alternatives,
        source="event",
        score=best,
    )


# --- lists --------------------------------------------------------------------------------------------------


def _list_groups(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> tuple[list[Fact], float]:
    items = list(store.facts(kind="list_item"))
    if not items:
        return [], 0.0
    words = [word for word in _subject_words(question) if word != question.entity and word not in ("企业", "名单")]
    by_list: dict[str, list[Fact]] = defaultdict(list)
    for fact in items:
        by_list[fact.data.get("list_title", "")].append(fact)
    scored = [(_match(fold_for_search(title), words, weights), title) for title in by_list]
    score, title = max(scored)
    if score < FACT_MATCH:
        return [], score
    chosen = by_list[title]
    if question.entity:
        stem = vocabulary.place_stem(question.entity)
        chosen = [fact for fact in chosen if stem in fold_for_search(fact.data.get("group") or "")]
        if not chosen:
            return [], 0.0
    return chosen, score


def _items_citation(store: Store, facts: list[Fact]) -> AnswerCitation:
    first, last = facts[0], facts[-1]
    node = _citable(store, first.node_id)
    quote = "、".join(fact.data.get("name", "") for fact in facts[:5]) + ("……" if len(facts) > 5 else "")
    return AnswerCitation(
        volume=first.volume,
        node=node.id if node else first.node_id,
        title=node.title if node else None,
        page=first.page,
        line_start=first.line_start,
        line_end=last.line_end,
        quote=quote,
    )


def answer_list_by_items(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    chosen, score = _list_groups(store, question, vocabulary, weights)
    if not chosen:
        return None
    names = [fact.data.get("name", "") for fact in chosen]
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=f"共{len(names)}个：" + "、".join(names),
        not_found=False,
        value=float(len(names)),
        citations=[_items_citation(store, chosen)],
        source="list_item",
        score=score,
    )


def answer_count_by_items(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    chosen, score = _list_groups(store, question, vocabulary, weights)
    if not chosen:
        return None
    unit = question.asked_unit or "个"
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=f"{len(chosen)}{unit}",
        not_found=False,
        value=float(len(chosen)),
        unit=unit,
        citations=[_items_citation(store, chosen)],
        source="list_item",
        score=score,
    )


# --- indicators ---------------------------------------------------------------------------------------------


def answer_number_by_indicator(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Numbers from ``indicator`` facts: the indicator named, for the question's place, year and kind of figure."""
    facts = list(store.facts(kind="indicator"))
    if not facts:
        return None
    words = _subject_words(question)
    scored: list[tuple[float, Fact]] = []
    for fact in facts:
        data: dict[str, Any] = fact.data
        name = fold_for_search(str(data.get("indicator") or data.get("indicator_as_printed") or ""))
        score = _match(name, words, weights)
        if score < FACT_MATCH:
            continue
        entity = fold_for_search(str(data.get("entity") or ""))
        if question.entity:
            if vocabulary.place_stem(question.entity) not in entity:
                continue
        elif entity and not vocabulary.is_home(entity):
            continue
        period = str(data.get("period") or "")
        if question.period and period and not period.startswith(question.period):
            continue
        wanted_kind = "growth" if question.growth else ("count" if question.kind == "how_many" else None)
        if wanted_kind == "growth" and data.get("kind") != "growth":
            continue
        if wanted_kind is None and data.get("kind") == "growth":
            continue
        scored.append((score, fact))
    if not scored:
        return None
    scored.sort(key=lambda pair: -pair[0])
    best = scored[0][0]
    top = [fact for score, fact in scored if score >= best - 1e-9]
    by_value: dict[tuple[float, str], list[Fact]] = defaultdict(list)
    for fact in top:
        by_value[(float(fact.data.get("number")), str(fact.data.get("unit") or ""))].append(fact)
    ordered = sorted(by_value.items(), key=lambda item: -len(item[1]))
    titles: dict[str, str | None] = {}
    (value, unit), first = ordered[0]
    alternatives = [
        Alternative(
            facts_[0].data.get("value_as_printed") or f"{number:g}{unit_}",
            number,
            unit_ or None,
            [_fact_citation(store, fact, titles) for fact in facts_[:3]],
        )
        for (number, unit_), facts_ in ordered[1:]
    ]
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=first[0].data.get("value_as_printed") or f"{value:g}{unit}",
        not_found=False,
        value=value,
        unit=unit or None,
        citations=[_fact_citation(store, fact, titles) for fact in first[:3]],
        alternatives=alternatives,
        source="indicator",
        score=best,
    )


FACT_ANSWERERS: dict[str, list[Answerer]] = {
    "who": [answer_who_by_appointment],
    "list": [answer_list_by_items, answer_who_by_appointment],
    "how_many": [answer_count_by_items, answer_number_by_indicator],
    "number": [answer_number_by_indicator],
    "which_document": [answer_which_document],
    "yes_no": [answer_yes_no_by_repeal, answer_yes_no_by_appointment],
    "when": [answer_when_by_document, answer_when_by_event],
    "where": [],
}


# --- bylines of speeches and reports ------------------------------------------------------------------------


def answer_who_by_byline(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Who gave a speech or made a report: the name in the byline of the article whose title the question names."""
    words = _subject_words(question)
    if not words:
        return None
    scored = []
    for kind in (NodeKind.ARTICLE, NodeKind.APPENDIX):
        for node in store.nodes(kind=kind):
            if node.attributes.get("byline"):
                scored.append((_match(fold_for_search(node.title or ""), words, weights), node))
    if not scored:
        return None
    score, node = max(scored, key=lambda pair: pair[0])
    if score < TITLE_MATCH:
        return None
    for line in reversed(node.attributes["byline"]):
        folded = fold_for_search(squeeze_spaces(line))
        name = next((person for person in sorted(vocabulary.people, key=len, reverse=True) if person in folded), None)
        if name is None:
            tail = re.search(r"([\u4e00-\u9fff]{2,3})$", folded)
            name = tail.group(1) if tail and len(folded) <= 16 else None
        if name:
            citation = _byline_citation(store, node, line) or _document_citation(store, node)
            return Answer(
                question=question.text,
                kind=question.kind,
                answer=name,
                not_found=False,
                citations=[citation],
                source="byline",
                score=score,
            )
    return None


def _byline_citation(store: Store, node: StoredNode, byline: str) -> AnswerCitation | None:
    wanted = squeeze_spaces(byline).replace(" ", "")
    lines = store.source_lines(node.volume, node.line_start, node.line_end)
    for offset, line in enumerate(lines):
        if squeeze_spaces(line).replace(" ", "") == wanted:
            number = node.line_start + offset
            return AnswerCitation(
                volume=node.volume,
                node=node.id,
                title=node.title,
                page=_page_of(store, node, number),
                line_start=number,
                line_end=number,
                quote=squeeze_spaces(line),
            )
    return None


def _page_of(store: Store, node: StoredNode, line: int) -> int | None:
    from fangzhi.services.ask.passages import page_map

    return page_map(store, node.volume).page_of(line, node)


FACT_ANSWERERS["who"].append(answer_who_by_byline)


def answer_when_by_byline(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """When a speech was given, a communiqué issued or a regulation passed: the date in the byline under its title."""
    words = _subject_words(question, drop=set(question_vocabulary()["issued_words"]))
    predicate = _predicate(question)
    words = [word for word in words if word != predicate] or words
    scored = []
    for kind in (NodeKind.ARTICLE, NodeKind.APPENDIX):
        for node in store.nodes(kind=kind):
            if node.attributes.get("byline"):
                scored.append((_match(fold_for_search(node.title or ""), words, weights), node))
    if not scored:
        return None
    score, node = max(scored, key=lambda pair: pair[0])
    if score < FACT_MATCH:
        return None
    from fangzhi.services.ask.spans import date_spans

    lines = [squeeze_spaces(line) for line in node.attributes["byline"]]
    joined = "".join(lines)
    dates = date_spans(joined)
    dates = [span for span in dates if re.match(r"\d{4}年\d", span.text)]
    if not dates:
        return None
    chosen = dates[0]
    if predicate and predicate not in joined and predicate not in question_vocabulary()["issued_words"]:
        return None
    if predicate and predicate in joined:
        position = joined.find(predicate)
        before = [span for span in dates if span.start < position]
        chosen = before[-1] if before else dates[0]
    offset = 0
    for line in lines:
        if offset + len(line) > chosen.start:
            citation = _byline_citation(store, node, line) or _document_citation(store, node)
            break
        offset += len(line)
    else:
        citation = _document_citation(store, node)
    return Answer(
        question=question.text,
        kind=question.kind,
        answer=chosen.text,
        not_found=False,
        citations=[citation],
        source="byline",
        score=score,
    )


FACT_ANSWERERS["when"].insert(1, answer_when_by_byline)
