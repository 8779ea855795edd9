"""Answers from facts: appointments, documents and repeals, list items, chronicle events, indicators, bylines.

A fact answers when it matches the question closely (the question's words,
weighed by IDF, found in the fact's post, title, list name or text); each
answerer returns None otherwise, and the question goes on to the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from fangzhi.errors import NotFoundError
from fangzhi.model import Fact, NodeKind
from fangzhi.services.ask.answer import Alternative, Answer, AnswerCitation, found, not_found
from fangzhi.services.ask.passages import candidate_nodes, titled_ancestor
from fangzhi.services.ask.question import Question, counted_noun
from fangzhi.services.ask.spans import date_spans
from fangzhi.services.ask.vocabulary import Vocabulary
from fangzhi.services.computed import computed
from fangzhi.services.printed_pages import printed_pages
from fangzhi.services.reading import repeals_by_document
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.dates import date_label
from fangzhi.text.normalize import fold_for_search, squeeze_spaces
from fangzhi.text.words import (
    SOFT_MATCH,
    abbreviates,
    contains,
    filler_words,
    question_vocabulary,
    soft_share,
    tag,
    variants,
)

FACT_MATCH = 0.75
# Of an indicator's score, this share rewards a name the question accounts for wholly (A级旅游景区, not 创建A级旅游景区).
NAME_PRECISION = 0.5
APPROXIMATE = 0.9
# A figure in another unit than the one asked (多少家 answered in 张) is likely another measure.
OTHER_UNIT = 0.8
# A figure naming no level, for a question asking one (国家级), is likely the total of all levels.
OTHER_LEVEL = 0.8
# Indicator figures scoring within this of the best are weighed against each other (agreement, the communiqué).
INDICATOR_MARGIN = 0.1
# Profiles holding this share of the question's weight, within the margin of the best, answer a list of people.
PROFILE_MATCH = 0.9
PROFILE_MARGIN = 0.1
# One profile holding this share of a who-question's weight, clearly ahead of the next, says who it is.
PROFILE_WHO = 0.8
EVENT_MATCH = 0.8
TITLE_MATCH = 0.7
# An event is about what its first words name; a thing mentioned later in a long record is not its subject.
EVENT_HEAD = 40
ACTION_LABELS = {"appoint": "任命", "remove": "免去", "resign": "辞去"}
# Scores within this of the best are ties.
TIE = 1e-9

Answerer = Callable[[Store, Question, Vocabulary, dict[str, float]], Answer | None]


def _match(text: str, words: list[str], weights: dict[str, float]) -> float:
    """The share of the words' weight that ``text`` holds (a word it prints in full under its abbreviation,
    发改委 for 发展和改革委员会, counting a little less)."""
    total = sum(weights.get(word, 1.0) for word in words)
    if not total:
        return 0.0
    held = 0.0
    for word in words:
        if word in text:
            held += weights.get(word, 1.0)
        elif abbreviates(word, text):
            held += weights.get(word, 1.0) * SOFT_MATCH
    return held / total


def _subject_words(question: Question, drop: set[str] = frozenset()) -> list[str]:
    """The question's words that name what a fact is about: no action words, people or words in ``drop``."""
    vocabulary = question_vocabulary()
    actions = {word for words in vocabulary["action_words"].values() for word in words}
    skip = actions | set(question.people) | drop | set(vocabulary["fact_subject_stop_words"])
    return [word for word in question.words if word not in skip]


# --- citations ----------------------------------------------------------------------------------------------


def _fact_citation(store: Store, fact: Fact) -> AnswerCitation:
    """A fact's own lines, on the page that prints its first line, under the title of its entry or document."""
    try:
        _, title = titled_ancestor(store.node(fact.node_id))
    except NotFoundError:  # a fact whose node is gone is cited without a title
        title = None
    return AnswerCitation(
        volume=fact.volume,
        node=fact.node_id,
        title=title,
        page=printed_pages(store, fact.volume).page_of(fact.line_start, fact.page),
        line_start=fact.line_start,
        line_end=fact.line_end,
        quote=squeeze_spaces("".join(store.source_lines(fact.volume, fact.line_start, fact.line_end))),
    )


def _document_citation(store: Store, node: StoredNode) -> AnswerCitation:
    """A document's head: its title lines down to the one that prints its 文号."""
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


def _line_citation(store: Store, node: StoredNode, matches: Callable[[str], bool]) -> AnswerCitation | None:
    """The first raw line of a node that ``matches`` (given the line with spaces squeezed), cited on its own."""
    lines = store.source_lines(node.volume, node.line_start, node.line_end)
    for number, line in enumerate(lines, start=node.line_start):
        squeezed = squeeze_spaces(line)
        if matches(squeezed):
            return AnswerCitation(
                volume=node.volume,
                node=node.id,
                title=node.title,
                page=printed_pages(store, node.volume).page_of(number, node.page),
                line_start=number,
                line_end=number,
                quote=squeezed,
            )
    return None


def _items_citation(store: Store, facts: list[Fact]) -> AnswerCitation:
    """The lines from a list's first item to its last, quoting the first few names."""
    first, last = facts[0], facts[-1]
    try:
        node_id, title = titled_ancestor(store.node(first.node_id))
    except NotFoundError:
        node_id, title = first.node_id, None
    quote = "、".join(fact.data.get("name", "") for fact in facts[:5]) + ("……" if len(facts) > 5 else "")
    return AnswerCitation(
        volume=first.volume,
        node=node_id,
        title=title,
        page=first.page,
        line_start=first.line_start,
        line_end=last.line_end,
        quote=quote,
    )


# --- appointments -------------------------------------------------------------------------------------------


def _appointment_matches(store: Store, question: Question, weights: dict[str, float]) -> list[tuple[float, Fact]]:
    """Appointments by how well their post matches the question, best first; a deputy or the other action loses."""
    words = _subject_words(question)
    if not words:
        return []
    scored = []
    for fact in store.facts(kind="appointment"):
        post = fold_for_search(f"{fact.data.get('post', '')}")
        if not post:
            continue
        if fact.data.get("acting"):
            post = f"代理{post}"  # 谁代理…市长 is answered by an acting appointment
        if "副" in post and "副" not in question.text:
            continue  # a deputy (副校长) does not answer who holds the post (校长)
        score = _match(post, words, weights)
        if fact.data.get("action") == "remove" and question.action != "remove":
            continue  # 免去…主任 says who no longer holds the post, never who holds it
        if question.action and fact.data.get("action") != question.action:
            score -= 0.5 if question.action == "remove" else 0.1
        scored.append((score, fact))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def _action_and_post(fact: Fact) -> str:
    if fact.data.get("acting") and fact.data.get("action") == "appoint":
        return f"代理{fact.data.get('post', '')}"
    return f"{ACTION_LABELS.get(fact.data.get('action'), '')}{fact.data.get('post', '')}"


def answer_post_by_appointment(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """The posts a person was given, removed from or resigned (卢炳椿被免去了什么职务), every one the 任免 facts
    record for that act, each cited; a person the facts do not name is left to the text."""
    if not question.people:
        return None
    person = question.people[0]
    facts = [fact for fact in store.facts(kind="appointment") if fold_for_search(fact.data.get("person", "")) == person]
    if question.action:
        facts = [fact for fact in facts if fact.data.get("action") == question.action]
    if not facts:
        return None
    described = "；".join(dict.fromkeys(_action_and_post(fact) for fact in facts))
    citations = [_fact_citation(store, fact) for fact in facts]
    return found(question, f"{person}：{described}", "appointment", 1.0, citations)


def answer_who_by_appointment(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    if question.people and question.kind != "list":
        return None
    scored = _appointment_matches(store, question, weights)
    if not scored or scored[0][0] < FACT_MATCH:
        return None
    best = scored[0][0]
    chosen = [fact for score, fact in scored if score >= best - TIE]
    chosen = [fact for fact in chosen if fact.line_start == chosen[0].line_start]
    names = "、".join(dict.fromkeys(fact.data["person"] for fact in chosen))
    return found(
        question, f"{names}（{_action_and_post(chosen[0])}）", "appointment", best, [_fact_citation(store, chosen[0])]
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
    for fact in facts:
        post = fold_for_search(fact.data.get("post", ""))
        action_fits = question.action is None or fact.data.get("action") == question.action
        if action_fits and words and _match(post, words, weights) >= FACT_MATCH:
            return found(
                question, f"是：{person}{_action_and_post(fact)}", "appointment", 1.0, [_fact_citation(store, fact)]
            )
    described = "；".join(_action_and_post(fact) for fact in facts)
    citations = [_fact_citation(store, fact) for fact in facts]
    return found(question, f"否：{person}的任免记录是{described}", "appointment", 1.0, citations)


# --- documents and repeals ----------------------------------------------------------------------------------


def _document_numbered(store: Store, doc_no: str | None) -> StoredNode | None:
    return next((node for node in store.nodes(kind=NodeKind.DOCUMENT) if node.attributes.get("doc_no") == doc_no), None)


def _repeal_status(doc_no: str, repeals: dict[str, list[Fact]]) -> str:
    if repeals.get(doc_no):
        return f"（已被{repeals[doc_no][0].data.get('by_doc_no')}废止）"
    return ""


def _document_by_question(
    store: Store, question: Question, weights: dict[str, float]
) -> tuple[StoredNode | None, float]:
    """The document the question names by 文号, else the one whose title holds its words best."""
    for doc_no in question.doc_numbers:
        node = _document_numbered(store, doc_no)
        if node is not None:
            return node, 1.0
    vocabulary = question_vocabulary()
    # A title may name people and acts (关于戴冲等44人行政职务任免的通知): every word counts but how it was issued.
    dropped = {*vocabulary["issued_words"], *vocabulary["in_force_words"], *vocabulary["document_date_words"]}
    words = [
        word for word in question.words if word not in dropped and word not in vocabulary["action_words"]["appoint"]
    ]
    if not words:
        return None, 0.0
    scored = []
    for node in store.nodes(kind=NodeKind.DOCUMENT):
        if question.day and not _dated(node, question):
            continue  # 7月2日印发的文件: a document of another day is not it
        title = fold_for_search(f"{node.title or ''} {node.attributes.get('attachment_title') or ''}")
        scored.append((_match(title, words, weights), node))
    if not scored:
        return None, 0.0
    score, node = max(scored, key=lambda pair: pair[0])
    return (node, score) if score >= TITLE_MATCH else (None, score)


def _dated(node: StoredNode, question: Question) -> bool:
    """Whether a document is dated on the day (and year) the question names."""
    date = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(node.attributes.get("date") or ""))
    if date is None:
        return False
    if question.period and date.group(1) != question.period:
        return False
    return f"{int(date.group(2))}月{int(date.group(3))}日" == question.day


def referenced_documents(store: Store) -> list[tuple[str, Fact, str]]:
    """Documents the volumes cite by title and 文号 (《…》（豫政办〔2020〕52号）), each with its reference fact and
    the text that cites it (根据《…》（…），决定对…进行调整)."""

    def read() -> list[tuple[str, Fact, str]]:
        found_titles = []
        for fact in store.facts(kind="reference"):
            lines = store.source_lines(fact.volume, max(1, fact.line_start - 4), fact.line_end)
            text = "".join(squeeze_spaces(line) for line in lines)
            titles = _TITLE_BEFORE.findall(text)
            if titles:
                after = store.source_lines(fact.volume, fact.line_end + 1, fact.line_end + CITING_LINES)
                citing = fold_for_search(text + "".join(squeeze_spaces(line) for line in after))
                found_titles.append((fold_for_search(titles[-1]), fact, citing))
        return found_titles

    return computed(store, "ask.referenced_documents", read)


_TITLE_BEFORE = re.compile(r"《([^《》]{4,80})》\s*[（(]\s*[\u4e00-\u9fff]{1,8}\s*[〔（(\[]\s*\d{4}")
# Lines after a reference read as the text that cites it (what was done on its basis).
CITING_LINES = 3


def _reference_by_question(
    store: Store, question: Question, weights: dict[str, float]
) -> tuple[tuple[str, Fact] | None, float]:
    """The cited document whose title holds the question's words best; for a question about a basis (依据的是哪个
    文件) the text that cites it counts too (调整…名单 依据 《…办法的通知》)."""
    vocabulary = question_vocabulary()
    dropped = {*vocabulary["issued_words"], *vocabulary["basis_words"]}
    asks_basis = any(word in question.text for word in vocabulary["basis_words"])
    words = (
        [word for word in question.words if word not in dropped] if asks_basis else _subject_words(question, dropped)
    )
    if not words:
        return None, 0.0
    scored = [
        (_match(citing if asks_basis else title, words, weights), (title, fact))
        for title, fact, citing in referenced_documents(store)
    ]
    if not scored:
        return None, 0.0
    score, best = max(scored, key=lambda pair: pair[0])
    return (best, score) if score >= TITLE_MATCH else (None, score)


def _repeal_by_question(store: Store, question: Question, weights: dict[str, float]) -> tuple[Fact, bool, float] | None:
    """The repeal a question names by the title of one of its documents, and whether it names the repealing one.

    新的重污染天气应急预案实施后，哪份旧文件同时废止了 names the repealing document and asks for the
    repealed one; 哪个文件废止了《…改革方案》 the other way round.
    """
    vocabulary = question_vocabulary()
    dropped = {*vocabulary["issued_words"], *vocabulary["in_force_words"], *vocabulary["repeal_words"]}
    words = [word for word in question.words if word not in dropped]
    if not words:
        return None
    best: tuple[Fact, bool, float] | None = None
    for fact in store.facts(kind="repeal"):
        repealing = _document_numbered(store, fact.data.get("by_doc_no"))
        by_title = (
            fold_for_search(f"{repealing.title or ''} {repealing.attributes.get('attachment_title') or ''}")
            if repealing
            else ""
        )
        names_repealing = _match(by_title, words, weights)
        names_repealed = _match(fold_for_search(fact.data.get("repealed_title") or ""), words, weights)
        score = max(names_repealing, names_repealed)
        if score >= TITLE_MATCH and (best is None or score > best[2]):
            best = (fact, names_repealing >= names_repealed, score)
    return best


def _printed(store: Store, doc_no: str) -> bool:
    """Whether the volumes print a 文号 anywhere (a document, a reference, running text)."""
    _, counts = store.search_index.document_frequencies([doc_no])
    return bool(counts.get(doc_no)) or _document_numbered(store, doc_no) is not None


def answer_which_document(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    repeals = repeals_by_document(store)
    if question.doc_numbers and question.repeal and repeals.get(question.doc_numbers[0]):
        fact = repeals[question.doc_numbers[0]][0]
        by = fact.data.get("by_doc_no")
        repealing = _document_numbered(store, by)
        answer = f"{by}《{repealing.title}》" if repealing and repealing.title else by
        return found(question, answer, "repeal", 1.0, [_fact_citation(store, fact)])
    if question.doc_numbers and not any(_printed(store, doc_no) for doc_no in question.doc_numbers):
        return not_found(question)  # a 文号 these volumes never print
    if question.repeal and not question.doc_numbers:
        repeal = _repeal_by_question(store, question, weights)
        if repeal is not None:
            fact, names_repealing, score = repeal
            if names_repealing:
                answer = f"{fact.data.get('repealed_doc_no')}《{fact.data.get('repealed_title')}》"
            else:
                repealing = _document_numbered(store, fact.data.get("by_doc_no"))
                title = f"《{repealing.title}》" if repealing and repealing.title else ""
                answer = f"{fact.data.get('by_doc_no')}{title}"
            return found(question, answer, "repeal", score, [_fact_citation(store, fact)])
    node, score = _document_by_question(store, question, weights)
    # A document only cited is dated by nothing but its 文号: it cannot answer for a day asked.
    cited = not question.doc_numbers and not question.day
    reference, cited_score = _reference_by_question(store, question, weights) if cited else (None, 0.0)
    asks_basis = any(word in question.text for word in question_vocabulary()["basis_words"])
    if reference is not None and (node is None or cited_score > score or (asks_basis and cited_score >= score)):
        title, fact = reference
        answer = f"{fact.data.get('doc_no')}《{title}》"
        return found(question, answer, "reference", cited_score, [_fact_citation(store, fact)])
    if node is None:
        return None
    doc_no = node.attributes.get("doc_no", "")
    named = "" if question.doc_numbers and doc_no == question.doc_numbers[0] else doc_no
    answer = f"{named}《{node.title}》{_repeal_status(doc_no, repeals)}"
    return found(question, answer, "document", score, [_document_citation(store, node)])


def answer_yes_no_by_repeal(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    if not question.doc_numbers or not question.repeal:
        return None
    wanted = question.doc_numbers[0]
    repeals = repeals_by_document(store).get(wanted)
    asks_in_force = any(word in question.text for word in question_vocabulary()["still_in_force_words"])
    if not repeals and not _printed(store, wanted):
        return not_found(question)
    if repeals:
        verdict = "否" if asks_in_force else "是"
        answer = f"{verdict}：{wanted}已被{repeals[0].data.get('by_doc_no')}废止"
        return found(question, answer, "repeal", 1.0, [_fact_citation(store, repeals[0])])
    node = _document_numbered(store, wanted)
    if node is None:
        return None
    verdict = "是" if asks_in_force else "否"
    answer = f"{verdict}：这些卷册中没有废止{wanted}的记录"
    return found(question, answer, "document", 1.0, [_document_citation(store, node)])


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
    citation = None
    date_as_printed = squeeze_spaces(attributes.get("date_as_printed") or "")
    if date_as_printed and not question.in_force:
        citation = _line_citation(
            store,
            node,
            lambda line: line == date_as_printed or (date_as_printed in line and len(line) < len(date_as_printed) + 8),
        )
    return found(question, answer, "document", score, [citation or _document_citation(store, node)])


def _predicate(question: Question) -> str | None:
    """The act whose date is asked (施行, 通过, 揭牌), when it is a word that names no subject."""
    words = _subject_words(question)
    if len(words) < 2:
        return None
    return question.predicate if question.predicate in words else words[-1]


def answer_when_by_event(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    words = _subject_words(question)
    if not words:
        return None
    predicate = question.predicate if question.predicate in question.words else _predicate(question)
    scored = []
    for fact in store.facts(kind="event"):
        if not fact.data.get("date"):
            continue
        text = fold_for_search(fact.data.get("text", ""))
        if any(person not in text for person in question.people):
            continue  # an event about someone else, or one the person only attended
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
    answer = date_label(fact.data["date"])
    if fact.data.get("date_end") and fact.data["date_end"] != fact.data["date"]:
        answer += "至" + date_label(fact.data["date_end"])
    alternatives = [
        Alternative(date_label(other.data["date"]), None, None, [_fact_citation(store, other)])
        for score, other in scored[1:4]
        if score >= best - 0.05 and other.data.get("date") != fact.data.get("date") and other.volume != fact.volume
    ]
    return found(question, answer, "event", best, [_fact_citation(store, fact)], alternatives=alternatives)


# Events listed in an answer about a day or a month; the rest are counted.
EVENTS_LISTED = 5
_ASKED_DAY = re.compile(r"(\d{1,2})月(?:(\d{1,2})日)?")


def answer_events_on_a_day(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """What happened on a day or in a month (2020年1月13日发生了什么): the chronicle events dated to it, each with
    its first sentence and cited; a question naming no day or month is left to the text."""
    asked = _ASKED_DAY.fullmatch(question.day or question.sub_period or "")
    if asked is None:
        return None
    month, day = int(asked.group(1)), int(asked.group(2)) if asked.group(2) else None
    year = int(question.period[:4]) if question.period and question.period[:4].isdigit() else None
    matching = []
    for fact in store.facts(kind="event"):
        start, end = fact.data.get("date") or "", fact.data.get("date_end") or fact.data.get("date") or ""
        if len(start) < 7 or (year is not None and int(start[:4]) != year):
            continue
        asked_start = f"{start[:4]}-{month:02d}-{day:02d}" if day else f"{start[:4]}-{month:02d}"
        if start[: len(asked_start)] <= asked_start <= end[: len(asked_start)]:
            matching.append(fact)
    if not matching:
        return None
    matching.sort(key=lambda fact: (fact.data["date"], fact.volume, fact.line_start))
    told = []
    for fact in matching[:EVENTS_LISTED]:
        first = re.split(r"(?<=[。！？])", squeeze_spaces(fact.data.get("text", "")), maxsplit=1)[0]
        told.append(f"{date_label(fact.data['date'])}：{first.rstrip('。')}")
    more = len(matching) - EVENTS_LISTED
    answer = "；".join(told) + (f"；另有{more}件" if more > 0 else "") + "。"
    citations = [_fact_citation(store, fact) for fact in matching[:EVENTS_LISTED]]
    return found(question, answer, "event", 1.0, citations, value=float(len(matching)))


# --- bylines of speeches and reports ------------------------------------------------------------------------


def _titled_with_byline(
    store: Store, words: list[str], weights: dict[str, float], with_byline: bool = False
) -> tuple[float, StoredNode] | tuple[float, None]:
    """The article or appendix with a byline whose title (and byline, if asked) holds the words best, and how well."""
    scored = [
        (_match(_title_text(node, with_byline), words, weights), node)
        for kind in (NodeKind.ARTICLE, NodeKind.APPENDIX)
        for node in store.nodes(kind=kind)
        if node.attributes.get("byline")
    ]
    if not scored:
        return 0.0, None
    return max(scored, key=lambda pair: pair[0])


def _title_text(node: StoredNode, with_byline: bool) -> str:
    """A titled node's title, and its byline (who passed or approved it, and when) if asked for."""
    title = node.title or ""
    if with_byline:
        title += " " + " ".join(node.attributes.get("byline") or [])
    return fold_for_search(squeeze_spaces(title))


def _byline_citation(store: Store, node: StoredNode, byline: str) -> AnswerCitation:
    wanted = squeeze_spaces(byline).replace(" ", "")
    cited = _line_citation(store, node, lambda line: line.replace(" ", "") == wanted)
    return cited or _document_citation(store, node)


def answer_who_by_byline(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Who gave a speech or made a report: the name in the byline of the article whose title the question names."""
    words = _subject_words(question)
    if not words:
        return None
    score, node = _titled_with_byline(store, words, weights)
    if node is None or score < TITLE_MATCH:
        return None
    people = sorted(vocabulary.people, key=len, reverse=True)
    for line in reversed(node.attributes["byline"]):
        folded = fold_for_search(squeeze_spaces(line))
        name = next((person for person in people if person in folded), None)
        if name is None:
            tail = re.search(r"([\u4e00-\u9fff]{2,3})$", folded)
            name = tail.group(1) if tail and len(folded) <= 16 else None
        if name:
            return found(question, name, "byline", score, [_byline_citation(store, node, line)])
    return None


def answer_when_by_byline(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """When a speech was given, a communiqué issued or a regulation passed: the date in the byline under its title."""
    issued_words = question_vocabulary()["issued_words"]
    predicate = _predicate(question)
    words = _subject_words(question, drop=set(issued_words))
    words = [word for word in words if word != predicate] or words
    score, node = _titled_with_byline(store, words, weights, with_byline=True)
    if node is None or score < FACT_MATCH:
        return None
    lines = [squeeze_spaces(line) for line in node.attributes["byline"]]
    joined = "".join(lines)
    dates = [span for span in date_spans(joined) if re.match(r"\d{4}年\d", span.text)]
    if not dates:
        return None
    if predicate and predicate not in joined and predicate not in issued_words:
        return None
    chosen = dates[0]
    if predicate and predicate in joined:
        position = joined.find(predicate)
        before = [span for span in dates if span.start < position]
        chosen = before[-1] if before else dates[0]
    offset = 0
    citation = None
    for line in lines:
        if offset + len(line) > chosen.start:
            citation = _byline_citation(store, node, line)
            break
        offset += len(line)
    return found(question, chosen.text, "byline", score, [citation or _document_citation(store, node)])


# --- lists --------------------------------------------------------------------------------------------------


def _list_groups(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> tuple[list[Fact], float]:
    """The items of the list whose title matches the question, within the question's place if it names one."""
    items = list(store.facts(kind="list_item"))
    if not items:
        return [], 0.0
    generic = set(question_vocabulary()["list_title_stop_words"])
    words = [word for word in _subject_words(question) if word != question.entity and word not in generic]
    by_list: dict[str, list[Fact]] = defaultdict(list)
    for fact in items:
        by_list[fact.data.get("list_title", "")].append(fact)
    asked_level = _level(question.text)
    if asked_level:  # 国家级…龙头企业 is not the list of 市重点龙头企业
        by_list = {title: facts for title, facts in by_list.items() if _level(title) in (None, asked_level)}
        if not by_list:
            return [], 0.0
    score, title = max((_match(fold_for_search(title), words, weights), title) for title in by_list)
    if score < FACT_MATCH:
        return [], score
    chosen = by_list[title]
    if question.entity:
        stem = vocabulary.place_stem(question.entity)
        chosen = [fact for fact in chosen if stem in fold_for_search(fact.data.get("group") or "")]
        if not chosen:
            return [], 0.0
    return chosen, score


def _level(text: str) -> str | None:
    """The level a text names (市重点, 国家级, 省级), with 全国 read as 国家."""
    found = re.search(question_vocabulary()["level_pattern"], text)
    return None if found is None else found.group(1).replace("全国", "国家")


def answer_list_by_items(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    chosen, score = _list_groups(store, question, vocabulary, weights)
    if not chosen:
        return None
    names = [fact.data.get("name", "") for fact in chosen]
    answer = f"共{len(names)}个：" + "、".join(names)
    return found(question, answer, "list_item", score, [_items_citation(store, chosen)], value=float(len(names)))


def answer_count_by_items(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    chosen, score = _list_groups(store, question, vocabulary, weights)
    if not chosen:
        return None
    unit = question.asked_unit or "个"
    citations = [_items_citation(store, chosen)]
    printed = _count_printed(store, chosen)
    if printed is not None:
        citations.insert(0, printed)
    return found(question, f"{len(chosen)}{unit}", "list_item", score, citations, value=float(len(chosen)), unit=unit)


def _count_printed(store: Store, items: list[Fact]) -> AnswerCitation | None:
    """The line printing how many items were counted, where the list says it before them: its group's heading
    (一、汝州市（28家）) or the text of the document holding the list (现将调整后的137家…名单予以公布)."""
    first, last = items[0], items[-1]
    count = re.compile(rf"(?<![\d.]){len(items)}\s*[{''.join(question_vocabulary()['count_classifiers'])}]")
    try:
        path = store.node(first.node_id).path
    except NotFoundError:
        return None
    for step in reversed(path):
        try:
            ancestor = store.node(step["id"])
        except NotFoundError:
            continue
        if ancestor.volume != first.volume or ancestor.line_end < last.line_end:
            continue  # holds only some of the items counted
        for offset, line in enumerate(store.source_lines(first.volume, ancestor.line_start, first.line_start - 1)):
            if count.search(squeeze_spaces(line)):
                number = ancestor.line_start + offset
                return AnswerCitation(
                    volume=first.volume,
                    node=ancestor.id,
                    title=titled_ancestor(ancestor)[1],
                    page=printed_pages(store, first.volume).page_of(number, ancestor.page),
                    line_start=number,
                    line_end=number,
                    quote=squeeze_spaces(line),
                )
    return None


_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*\S")
# A numbered list must run this far (1. to 3.) to be counted.
NUMBERED_AT_LEAST = 3


def answer_count_by_numbered_parts(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """How many things a part titled with them numbers (附件 重污染天气应急处置单位及职责: 1. 市委宣传部… 20. 市市场监管局):
    the part's own title must hold the last word of the question, its title and those above it the question."""
    words = [word for word in question.words if word != question.entity]
    if not words:
        return None
    for node in candidate_nodes(store, question):
        if node.kind in (NodeKind.VOLUME, NodeKind.CHAPTER) or not node.title:
            continue
        own = fold_for_search(node.title)
        if not contains(own, words[-1]):
            continue
        above = " ".join([*(step.get("title") or "" for step in node.path), node.title, _KIND_WORDS.get(node.kind, "")])
        if _match(fold_for_search(above), words, weights) < FACT_MATCH:
            continue
        lines = store.source_lines(node.volume, node.line_start, node.line_end)
        expected, first, last = 1, None, None
        for offset, line in enumerate(lines):
            number = _NUMBERED.match(line)
            if number and int(number.group(1)) == expected:
                expected += 1
                first = node.line_start + offset if first is None else first
                last = node.line_start + offset
        count = expected - 1
        if count < NUMBERED_AT_LEAST or first is None or last is None:
            continue
        unit = question.asked_unit or "个"
        citation = AnswerCitation(
            volume=node.volume,
            node=node.id,
            title=node.title,
            page=printed_pages(store, node.volume).page_of(first, node.page),
            line_start=first,
            line_end=last,
            quote=squeeze_spaces(lines[last - node.line_start])[:80],
        )
        return found(question, f"{count}{unit}", "numbered_parts", 1.0, [citation], value=float(count), unit=unit)
    return None


# How a part of a document is named in a question (重污染天气应急预案附件列出了…).
_KIND_WORDS = {NodeKind.ATTACHMENT: "附件"}


# --- indicators ---------------------------------------------------------------------------------------------


def _indicator_fits(data: dict[str, Any], question: Question, vocabulary: Vocabulary) -> bool:
    """Whether an indicator figure is for the question's place, year and kind of figure (a level or a growth)."""
    entity = fold_for_search(str(data.get("entity") or ""))
    if question.entity:
        if vocabulary.place_stem(question.entity) not in entity:
            return False
    elif entity and not vocabulary.is_home(entity):
        return False
    period = str(data.get("period") or "")
    if question.period and period and not period.startswith(question.period):
        return False
    if any(mark in period for mark in question_vocabulary()["unasked_period_marks"]) and not any(
        word in question.text for word in question_vocabulary()["forecast_words"]
    ):
        return False
    if question.growth:
        return data.get("kind") == "growth"
    return question.kind == "how_many" or data.get("kind") != "growth"


def _printed_value(fact: Fact, number: float, unit: str) -> str:
    return fact.data.get("value_as_printed") or f"{number:g}{unit}"


def _indicator_name(data: dict[str, Any]) -> str:
    return fold_for_search(str(data.get("indicator") or data.get("indicator_as_printed") or ""))


def _indicator_descriptor(data: dict[str, Any]) -> str:
    """Everything a figure is printed under: its name, its scope, and for a table cell the caption and labels."""
    parts = [
        data.get(key) for key in ("indicator", "indicator_as_printed", "scope", "table", "row_label", "column_label")
    ]
    return fold_for_search(" ".join(str(part) for part in parts if part))


def _name_precision(name: str, words: list[str]) -> float:
    """The share of a figure's name that the question's words (and words that only join them) account for.

    利用森林、湿地等生态资源创建A级旅游景区 is a figure about more than 有多少家A级旅游景区 asks.
    """
    rest = name
    asked = {variant for word in words for variant in variants(word)}
    for piece in sorted(asked, key=len, reverse=True):
        rest = rest.replace(piece, "")
    for piece in sorted(filler_words(), key=len, reverse=True):
        rest = rest.replace(piece, "")
    rest = re.sub(r"[^\w]|(?:19|20)\d{2}年", "", rest)
    return 1.0 - len(rest) / max(len(name), 1)


def _counts_noun(data: dict[str, Any], noun: str) -> bool:
    """Whether a count is of the noun: printed right after it (5个乡) or with it as its classifier (4区)."""
    sentence = squeeze_spaces(str(data.get("sentence") or ""))
    printed = squeeze_spaces(str(data.get("value_as_printed") or ""))
    at = sentence.find(printed) if printed else -1
    after = sentence[at + len(printed) : at + len(printed) + len(noun)] if at >= 0 else ""
    return after == noun or printed.endswith(noun)


def _act_of_counted(data: dict[str, Any]) -> str | None:
    """The word a count is followed by: a verb (已有77个形成规划成果: 形成) makes it the count of those that did
    it, a noun (镇87个行政村) the count of that noun, not of the name before it."""
    sentence = squeeze_spaces(str(data.get("sentence") or ""))
    printed = squeeze_spaces(str(data.get("value_as_printed") or ""))
    at = sentence.find(printed) if printed else -1
    if at < 0 or data.get("kind") != "count":
        return None
    following = tag(sentence[at + len(printed) : at + len(printed) + 8])
    return following[0][0] if following and following[0][1][:1] in ("v", "n", "j", "z") else None


def _unit_fits(unit: str, asked: str) -> bool:
    """Whether a figure's unit answers the unit asked (多少家 is answered by 118个, not by 28910张)."""
    if unit and (unit.endswith(asked) or asked.endswith(unit)):
        return True
    return any(
        asked in group and any(unit.endswith(other) for other in group)
        for group in question_vocabulary()["interchangeable_units"]
    )


def _authoritative(store: Store, fact: Fact) -> bool:
    """Whether a figure is printed in the year's statistical communiqué (统计公报), the source of record for it."""
    try:
        node = store.node(fact.node_id)
    except NotFoundError:
        return False
    titles = [node.title or "", *(step.get("title") or "" for step in node.path)]
    return any(word in title for title in titles for word in question_vocabulary()["authoritative_titles"])


def _before_first_page(store: Store, fact: Fact) -> bool:
    """Whether a figure is printed only on the cover or colour plates, before the body's numbered pages."""
    return printed_pages(store, fact.volume).before_first_page(fact.line_start)


def _indicator_index(store: Store) -> list[tuple[Fact, str, list[str]]]:
    """Every indicator figure with what it is printed under and its names, read once per set of volumes."""

    def read() -> list[tuple[Fact, str, list[str]]]:
        index = []
        for fact in store.facts(kind="indicator"):
            names = {_indicator_name(fact.data), fold_for_search(str(fact.data.get("indicator_as_printed") or ""))}
            index.append((fact, _indicator_descriptor(fact.data), sorted(names - {""})))
        return index

    return computed(store, "ask.indicator_index", read)


def indicator_candidates(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> list[tuple[float, Fact]]:
    """Indicator figures for the question's place, year and kind, scored by how well their name answers it.

    The score is the share of the question's weight the figure's name, scope
    and table hold, times how much of the name the question accounts for;
    approximate figures (约, 左右) weigh a little less.
    """
    drop = {question.entity, vocabulary.place_stem(question.entity)} if question.entity else set()
    if question.growth:
        drop |= set(question_vocabulary()["growth_words"])
    words = [word for word in _subject_words(question) if word not in drop]
    total = sum(weights.get(word, 1.0) for word in words)
    if not total:
        return []
    scored: list[tuple[float, Fact]] = []
    asked_level = _level(question.text)
    for fact, descriptor, names in _indicator_index(store):
        data = fact.data
        if any("分别" in name for name in names):
            continue  # 城乡低保标准分别为630元、440元: which value is whose, the sentence says (spans.respectively)
        whole = sum(weights.get(word, 1.0) for word in words if contains(descriptor, word))
        missing = total - whole
        if (whole + missing * SOFT_MATCH) / total < FACT_MATCH:
            continue  # even every missing word found in part would not be enough
        recall = sum(weights.get(word, 1.0) * soft_share(word, descriptor) for word in words) / total
        if recall < FACT_MATCH or not _indicator_fits(data, question, vocabulary):
            continue
        precision = max(_name_precision(name, words) for name in names)
        if str(data.get("indicator_as_printed") or "").endswith(("、", "，", ",")):
            # 规划300处幼儿园、209所小学: a name ending in an enumeration's comma is the item before, not this figure's
            precision /= 2
        score = recall * (1 - NAME_PRECISION + NAME_PRECISION * precision)
        if data.get("approx"):
            score *= APPROXIMATE
        if question.asked_unit and not _unit_fits(str(data.get("unit") or ""), question.asked_unit):
            score *= OTHER_UNIT
        if asked_level:
            level = _level(descriptor)
            if level is not None and level != asked_level:
                continue  # 国家重点龙头企业 is not answered by 省级72家
            if level is None:
                score *= OTHER_LEVEL  # the total (214家) is less likely the one level asked (国家级5家)
        counted = counted_noun(question) if question.kind == "how_many" else None
        if counted and len(counted) == 1 and counted not in question.words and not _counts_noun(data, counted):
            continue  # 辖几个区 is not answered by 市辖县科协10个
        done = _act_of_counted(data)
        if done and done not in question.text:
            continue  # 86个乡镇已有77个形成…, 镇87个行政村: a count of something the question does not ask about
        scored.append((score, fact))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def answer_number_by_indicator(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Numbers from ``indicator`` facts: the indicator named, for the question's place, year and kind of figure.

    Of the figures that match about as well as the best, those under the same
    name that print the same value agree; the value the statistical
    communiqué prints wins, then the one printed most often.  The other
    values are alternatives, each with its citations.
    """
    scored = indicator_candidates(store, question, vocabulary, weights)
    if not scored:
        return None
    best = scored[0][0]
    close = [(score, fact) for score, fact in scored if score >= best - INDICATOR_MARGIN]
    best_name = _indicator_name(scored[0][1].data)
    by_value: dict[tuple[float, str], list[tuple[float, Fact]]] = defaultdict(list)
    for score, fact in close:
        if _indicator_name(fact.data) != best_name and score < best - TIE:
            continue
        by_value[(float(fact.data.get("number")), str(fact.data.get("unit") or ""))].append((score, fact))

    def rank(item: tuple[tuple[float, str], list[tuple[float, Fact]]]) -> tuple[bool, bool, float, int]:
        facts = item[1]
        return (
            any(_authoritative(store, fact) for _, fact in facts),
            any(not _before_first_page(store, fact) for _, fact in facts),
            max(score for score, _ in facts),
            len(facts),
        )

    ordered = sorted(by_value.items(), key=rank, reverse=True)
    (value, unit), first = ordered[0]
    # A sentence reads better as a citation than a table cell holding the same figure.
    first_facts = sorted(
        first, key=lambda pair: (not _authoritative(store, pair[1]), bool(pair[1].data.get("table")), -pair[0])
    )
    alternatives = [
        Alternative(
            _printed_value(facts[0][1], number, other_unit),
            number,
            other_unit or None,
            [_fact_citation(store, fact) for _, fact in facts[:3]],
        )
        for (number, other_unit), facts in ordered[1:]
    ]
    return found(
        question,
        _printed_value(first_facts[0][1], value, unit),
        "indicator",
        max(score for score, _ in first),
        [_fact_citation(store, fact) for _, fact in first_facts[:3]],
        value=value,
        unit=unit or None,
        alternatives=alternatives,
    )


def answer_where_by_list_item(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Where a listed thing belongs: the place heading its group (河南伊源乳业有限公司 → 叶县)."""
    text = fold_for_search(question.text)
    for fact in store.facts(kind="list_item"):
        name = fold_for_search(fact.data.get("name") or "")
        group = fact.data.get("group") or ""
        if len(name) >= 4 and name in text and group and fold_for_search(group) not in text:
            return found(question, group, "list_item", 1.0, [_fact_citation(store, fact)])
    return None


def _profiles(store: Store) -> list[tuple[StoredNode, str]]:
    """Each person profile with its text as printed: from its name to the last full stop before the next profile.

    A profile's node may end early (its closing lines read into another
    node), so the raw lines are what is searched.
    """

    def read() -> list[tuple[StoredNode, str]]:
        nodes = sorted(
            (node for node in store.nodes(kind=NodeKind.ENTRY) if node.attributes.get("profile") and node.title),
            key=lambda node: (node.volume, node.line_start),
        )
        profiles = []
        for node, following in zip(nodes, [*nodes[1:], None], strict=True):
            end = node.line_end
            if following is not None and following.volume == node.volume:
                end = max(end, following.line_start - 1)
            text = "".join(squeeze_spaces(line) for line in store.source_lines(node.volume, node.line_start, end))
            stop = text.rfind("。")
            profiles.append((node, fold_for_search(text[: stop + 1] if stop > 0 else text)))
        return profiles

    return computed(store, "ask.profiles", read)


def _profiles_matching(question: Question, store: Store, weights: dict[str, float]) -> list[tuple[float, StoredNode]]:
    """Person profiles by the share of the question's weight their text holds, best first."""
    words = _subject_words(question)
    total = sum(weights.get(word, 1.0) for word in words)
    if not total:
        return []
    scored = []
    for node, text in _profiles(store):
        if question.period and f"{question.period}年" not in text:
            continue
        share = sum(weights.get(word, 1.0) * soft_share(word, text) for word in words) / total
        scored.append((share, node))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def answer_who_by_profile(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Who a description fits (介入科主任、获全国五一劳动奖章): the one person whose profile says it, clearly best."""
    if question.people:
        return None
    scored = _profiles_matching(question, store, weights)
    if not scored or scored[0][0] < PROFILE_WHO:
        return None
    best, node = scored[0]
    if len(scored) > 1 and scored[1][0] >= best - PROFILE_MARGIN:
        return None
    return found(question, squeeze_spaces(node.title or ""), "profile", best, [_profile_citation(node)])


def _profile_citation(node: StoredNode) -> AnswerCitation:
    return AnswerCitation(
        volume=node.volume,
        node=node.id,
        title=node.title,
        page=node.page,
        line_start=node.line_start,
        line_end=node.line_end,
        quote=squeeze_spaces(node.text or "")[:80],
    )


def answer_list_by_profiles(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """Who received an honour: the people whose profiles (曹坤利，男，…) say all the question says."""
    if question.asked_noun and question.asked_noun not in question_vocabulary()["person_nouns"]:
        return None  # 叶县有哪些镇 asks for places, not for the people whose profile says 叶县
    scored = _profiles_matching(question, store, weights)
    if not scored:
        return None
    best = scored[0][0]
    if best < PROFILE_MATCH:
        return None
    chosen = [node for share, node in scored if share >= best - PROFILE_MARGIN]
    names = "、".join(squeeze_spaces(node.title or "") for node in chosen)
    citations = [_profile_citation(node) for node in chosen[:3]]
    return found(question, names, "profile", best, citations, value=float(len(chosen)))


def answer_list_by_appointments(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> Answer | None:
    """People appointed together, for a list question about people, never one about places (平顶山市有哪几个区)."""
    places = {*question_vocabulary()["place_suffixes"], *question_vocabulary()["place_endings"]}
    if question.asked_noun in places:
        return None
    return answer_who_by_appointment(store, question, vocabulary, weights)


FACT_ANSWERERS: dict[str, list[Answerer]] = {
    "who": [answer_who_by_appointment, answer_who_by_byline, answer_who_by_profile],
    "list": [answer_list_by_items, answer_list_by_appointments, answer_list_by_profiles],
    "how_many": [answer_count_by_items, answer_count_by_numbered_parts, answer_number_by_indicator],
    "number": [answer_number_by_indicator],
    "which_document": [answer_which_document],
    "yes_no": [answer_yes_no_by_repeal, answer_yes_no_by_appointment],
    "post": [answer_post_by_appointment],
    "events": [answer_events_on_a_day],
    "when": [answer_when_by_document, answer_when_by_byline, answer_when_by_event],
    "where": [answer_where_by_list_item],
}
"""The answerers tried for each kind of question, in order; the first that answers wins."""
