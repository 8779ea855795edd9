"""Reading a question: its kind, its subject words and the constraints that narrow it.

The kind comes from cue phrases (``data/questions.json``), checked in a fixed
order so that 哪个文件废止了… is a which-document question and …是否已经废止
a yes/no one.  Constraints are read before the words: a period (2023年,
第一季度, 11月), 文号, titles in 《》, places and people the corpus knows.
The remaining words, cut by jieba with the corpus vocabulary, are the
subject; the longest of them that the corpus knows as an indicator or entry
title is the subject proper, the one a number must follow.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from fangzhi.parse.doc_number import find_doc_numbers
from fangzhi.services.ask.vocabulary import Vocabulary
from fangzhi.text.normalize import fold_for_search, squeeze_spaces
from fangzhi.text.words import content_words, question_vocabulary, tag

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_QUARTER = re.compile(r"(第[一二三四1-4]季度|[一二三四1-4]季度|上半年|下半年|前三季度)")
_MONTHS = re.compile(r"(?<![\d年])(\d{1,2})\s*[-—～至]\s*(\d{1,2})\s*月|(?<![\d])(\d{1,2})\s*月份?")
_TITLE = re.compile(r"《([^》]{2,60})》")
_ASKED_UNIT = re.compile(r"(?:多少|几)(万|亿|千|百)?([^\s\d，。？?、的是]{1,5})")


@dataclass
class Question:
    """A question as understood: what kind of answer it wants, about what, where and when."""

    text: str
    kind: str
    words: list[str]
    subject: str | None = None
    entity: str | None = None
    period: str | None = None
    sub_period: str | None = None
    doc_numbers: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    action: str | None = None
    asked_unit: str | None = None
    growth: bool = False
    repeal: bool = False
    in_force: bool = False
    issued: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def question_kind(text: str) -> str:
    """The kind of answer a question wants, from the first kind whose cue it contains."""
    vocabulary = question_vocabulary()
    for kind in vocabulary["kind_order"]:
        if kind == "how_many":
            if _counts(text):
                return kind
            continue
        if any(cue in text for cue in vocabulary["kind_cues"][kind]):
            if kind == "list" and _counts(text):
                return "how_many"
            return kind
    return "number"


def looks_like_question(text: str) -> bool:
    """A question mark, or a cue word of some kind of question (谁, 什么时候, 多少, 哪些, 是否)."""
    folded = fold_for_search(text).strip()
    if folded.endswith(("？", "?")):
        return True
    cues = question_vocabulary()["kind_cues"]
    return any(cue in folded for kind in cues for cue in cues[kind] if len(cue) >= 2 or cue == "谁")


def _counts(text: str) -> bool:
    """多少所幼儿园, 几家企业: a count of things, where the classifier is not the start of a longer unit."""
    classifiers = set(question_vocabulary()["count_classifiers"])
    for match in re.finditer(r"(多少|几)(.)(.?)", text):
        classifier, following = match.group(2), match.group(3)
        if classifier in classifiers and not (classifier == "人" and following == "次"):
            return True
    return False


def asked_unit(text: str) -> str | None:
    """The unit a question expects (多少所 → 所, 多少万人次 → 万人次), matched against the known units."""
    units = sorted(question_vocabulary()["units"], key=len, reverse=True)
    for match in _ASKED_UNIT.finditer(text):
        rest = (match.group(1) or "") + match.group(2)
        for unit in units:
            if rest.startswith(unit):
                return unit
    return None


def analyse(text: str, vocabulary: Vocabulary) -> Question:
    """Understand a question against the corpus vocabulary."""
    cleaned = squeeze_spaces(text).strip()
    folded = fold_for_search(cleaned)
    cues = question_vocabulary()
    question = Question(text=cleaned, kind=question_kind(folded), words=[])
    remaining = folded
    for doc_no, start, end in find_doc_numbers(folded):
        question.doc_numbers.append(vocabulary.known_doc_number(doc_no.normalized))
        remaining = remaining.replace(folded[start:end], " ")
    question.titles = [title.strip() for title in _TITLE.findall(folded)]
    year = _YEAR.search(folded)
    if year:
        question.period = year.group(1)
        remaining = remaining.replace(year.group(0), " ")
    quarter = _QUARTER.search(remaining)
    months = _MONTHS.search(remaining)
    if quarter:
        question.sub_period = quarter.group(1)
        remaining = remaining.replace(quarter.group(0), " ")
    elif months and question.kind != "when":
        question.sub_period = months.group(0)
        remaining = remaining.replace(months.group(0), " ")
    for person in sorted(vocabulary.people, key=len, reverse=True):
        if len(person) >= 2 and person in remaining:
            question.people.append(person)
    places = sorted(vocabulary.places | _place_words(remaining, cues["place_suffixes"]), key=len, reverse=True)
    for place in places:
        if place in remaining and not vocabulary.is_home(place) and not place.endswith("省"):
            question.entity = place
            break
    question.action = _action(folded, cues["action_words"])
    question.asked_unit = asked_unit(folded)
    question.growth = (
        any(re.search(f"{word}(?!值)", folded) for word in cues["growth_words"]) and not question.asked_unit
    )
    question.repeal = any(word in folded for word in cues["repeal_words"])
    question.in_force = any(word in folded for word in cues["in_force_words"])
    question.issued = any(word in folded for word in cues["issued_words"])
    words = content_words(remaining)
    home = vocabulary.home_names
    question.words = [word for word in words if word not in home and _is_subject_word(word)]
    if question.kind == "where":
        question.words = [place for place in sorted(home) if place in remaining][:1] + question.words
    question.subject = _subject(question.words, vocabulary)
    return question


_FUNCTION_CHARS = "为被在对把给由向从将于与和及"


def _is_subject_word(word: str) -> bool:
    """Not a number, not a count asked for (几所, 多少家), not a function character glued to one more (为市)."""
    if re.fullmatch(r"[\d.]+", word) or re.match(r"^(几|多少)", word):
        return False
    return not (len(word) == 2 and word[0] in _FUNCTION_CHARS)


def _place_words(text: str, suffixes: list[str]) -> set[str]:
    """Places the corpus vocabulary lacks, read from the question itself (洛阳市, 开封县): jieba's place names."""
    found = set()
    for word, flag in tag(text):
        if flag == "ns" and 3 <= len(word) <= 6 and word[-1] in "".join(suffixes):
            found.add(word)
    return found


def _action(text: str, actions: dict[str, list[str]]) -> str | None:
    for action in ("remove", "appoint"):
        if any(word in text for word in actions[action]):
            return action
    return None


def _subject(words: list[str], vocabulary: Vocabulary) -> str | None:
    """The word a number or name must follow: a known indicator first, then the longest remaining word."""
    known = [word for word in words if word in vocabulary.indicators]
    if known:
        return max(known, key=len)
    return max(words, key=len) if words else None
