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
from fangzhi.text.words import content_words, question_vocabulary, segment, tag

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_QUARTER = re.compile(r"(第[一二三四1-4]季度|[一二三四1-4]季度|上半年|下半年|前三季度)")
_MONTHS = re.compile(r"(?<![\d年])(\d{1,2})\s*[-—～至]\s*(\d{1,2})\s*月|(?<![\d])(\d{1,2})\s*月份?")
_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
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
    day: str | None = None
    doc_numbers: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    action: str | None = None
    asked_unit: str | None = None
    asked_noun: str | None = None
    predicate: str | None = None
    measure: str | None = None
    growth: bool = False
    direction: str | None = None
    patient: str | None = None
    repeal: bool = False
    in_force: bool = False
    issued: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def question_kind(text: str) -> str:
    """The kind of answer a question wants, from the first kind whose cue it contains."""
    vocabulary = question_vocabulary()
    patterns = vocabulary["kind_patterns"]
    for kind in vocabulary["kind_order"]:
        if kind == "how_many":
            if _counts(text):
                return kind
            continue
        cued = any(cue in text for cue in vocabulary["kind_cues"][kind])
        if cued or any(re.search(pattern, text) for pattern in patterns.get(kind, [])):
            if kind == "list" and _counts(text):
                return "how_many"
            return kind
    noun = asked_noun(text)
    if noun:
        return next(kind for kind, nouns in vocabulary["asked_nouns"].items() if noun in nouns)
    return "number"


def asked_noun(text: str) -> str | None:
    """The thing a 哪个/哪家 question asks for (哪个部门, 哪家医院), when it is one ``asked_nouns`` lists."""
    nouns = sorted(
        (noun for listed in question_vocabulary()["asked_nouns"].values() for noun in listed), key=len, reverse=True
    )
    for match in re.finditer(r"哪(?:一)?(?:个|家|所|位|座|条)?", text):
        rest = text[match.end() :]
        noun = next((noun for noun in nouns if rest.startswith(noun)), None)
        if noun:
            return noun
    return None


def looks_like_question(text: str) -> bool:
    """A question mark, or a cue word of some kind of question (谁, 什么时候, 多少, 哪些, 是否)."""
    folded = fold_for_search(text).strip()
    if folded.endswith(("？", "?")):
        return True
    cues = question_vocabulary()["kind_cues"]
    return any(cue in folded for kind in cues for cue in cues[kind] if len(cue) >= 2 or cue == "谁")


def listed_noun(text: str) -> str | None:
    """The kind of thing a list question asks for: the word after 哪些 or 哪几座, else the one before 是哪几."""
    after = re.search(r"哪(?:些|几|[两二三四五六七八九十])(?:个|座|家|所|位|条|项|种|名)?", text)
    if after:
        following = [word for word in segment(text[after.end() :]) if any(char.isalnum() for char in word)]
        if following and not re.match(r"^(是|有|在|被|为)", following[0]) and _is_noun(following[0]):
            return following[0]
        if following == following[:1] and following and following[0] in question_vocabulary()["count_classifiers"]:
            return following[0]  # 分为哪几级: the levels themselves are asked for (黄色、橙色和红色预警三级)
        preceding = [word for word in segment(text[: after.start()]) if any(char.isalnum() for char in word)]
        if preceding and preceding[-1] in _AGENT_MARKS:
            return None  # 项目由哪几家共同出资: who did it is asked, not another 项目
        while preceding and preceding[-1] in ("是", "有", "为", "的"):
            preceding.pop()
        if preceding:
            return preceding[-1]
    return None


def _is_noun(word: str) -> bool:
    """Whether a word may name a thing: not an adverb, verb or function word (哪几家共同出资: 共同 is not asked for)."""
    tagged = tag(word)
    flag = tagged[0][1] if len(tagged) == 1 else "n"
    return flag[:1] not in "dpcurfmq" and flag not in ("v", "vd", "a", "ad")


def _counts(text: str) -> bool:
    """多少所幼儿园, 几家企业: a count of things, where the classifier is not the start of a longer unit."""
    classifiers = set(question_vocabulary()["count_classifiers"])
    for match in re.finditer(r"(多少|几)(.)(.?)", text):
        classifier, following = match.group(2), match.group(3)
        if match.group(1) == "几" and text[max(0, match.start() - 1) : match.start()] == "哪":
            continue
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
    day = _DAY.search(remaining)
    if day:
        question.day = f"{int(day.group(1))}月{int(day.group(2))}日"
        remaining = remaining.replace(day.group(0), " ")
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
    known = sorted(vocabulary.places, key=len, reverse=True)
    guessed = sorted(_place_words(remaining, cues["place_suffixes"]), key=len, reverse=True)
    for places in (known, guessed):
        question.entity = next(
            (
                place
                for place in places
                if place in remaining and not vocabulary.is_home(place) and not place.endswith("省")
            ),
            None,
        )
        if question.entity:
            break
    question.action = _action(folded, cues["action_words"])
    question.asked_unit = asked_unit(folded)
    question.growth = (
        any(re.search(f"{word}(?!值)", folded) for word in cues["growth_words"]) and not question.asked_unit
    )
    question.repeal = any(word in folded for word in cues["repeal_words"])
    question.in_force = any(word in folded for word in cues["in_force_words"])
    question.issued = any(word in folded for word in cues["issued_words"])
    words = content_words(re.sub(cues["interrogative_pattern"], " ", remaining))
    home = vocabulary.home_names
    units = set(cues["units"]) | set(cues["count_classifiers"]) | set(cues["rate_words"])
    measured = set(re.findall(r"(\w)(?=多少|几)", remaining))  # 罚多少钱: a one-character verb that is what is measured
    question.words = [
        word
        for word in words
        if word not in home and word not in units and (word in measured or _is_subject_word(word))
    ]
    if question.kind not in ("where", "number", "how_many", "list") and not any(_is_noun(w) for w in question.words):
        # 平顶山市是哪一年设立的: the volumes' own place is what the question is about, not a place it is limited to
        # (the rest only says what was done to it); 平顶山市的地区生产总值 is about the figure, for the whole place, and
        # 平顶山市有几个县 about what it holds
        question.words = [word for word in words if word in home][:1] + question.words
    question.asked_noun = asked_noun(folded) or (listed_noun(folded) if question.kind == "list" else None)
    if question.asked_noun in cues["asked_organisations"]:
        question.words = [word for word in question.words if word != question.asked_noun]
    if question.kind == "where":
        question.words = [place for place in sorted(home) if place in remaining][:1] + question.words
    if question.kind == "yes_no":
        question.direction = _direction(remaining, cues["direction_words"])
        if question.direction:
            moving = {word for words in cues["direction_words"].values() for word in words}
            question.words = [word for word in question.words if word not in moving] or question.words
    question.subject = _subject(question.words, vocabulary)
    if question.kind == "when":
        question.predicate = _when_predicate(folded, question.words, cues["kind_cues"]["when"])
        question.patient = _patient(folded, question.words, question.predicate)
    if question.kind in ("number", "how_many"):
        question.measure = _measure(folded, question.words, counted=question.kind == "how_many")
    return question


def _measure(text: str, words: list[str], counted: bool = False) -> str | None:
    """What a number question measures: its last word before 多少 or 几 (…项目总投资多少, 罚多少钱); for a count, the
    thing counted after them (平顶山学院有多少名在校生: 在校生)."""
    cue = re.search(r"多少|几", text)
    if not cue:
        return None
    after = [word for word in words if text.find(word) > cue.start()]
    if counted and after:
        return after[0]
    before = [word for word in words if 0 <= text.find(word) < cue.start()]
    return before[-1] if before else None


def _patient(text: str, words: list[str], predicate: str | None) -> str | None:
    """The thing a when-question asks about as acted on (平顶山市是哪一年设立的: 平顶山市 was 设立), which an answer
    prints after the act (设立平顶山市), not as the one acting (平顶山市设立…河湖长)."""
    passive = re.search(r"是.{0,6}(?:哪|什么|何).*?的[？?。]?\s*$", text)
    if not passive or not predicate or not words or words[0] == predicate:
        return None
    return words[0] if 0 <= text.find(words[0]) < passive.start() else None


def _when_predicate(text: str, words: list[str], cues: list[str]) -> str | None:
    """The act whose date is asked: the first word after the cue (什么时候批准了…), else the last before it (始建于哪一年)."""
    if len(words) < 2:
        return None
    positions = [text.find(cue) for cue in cues if cue in text]
    if not positions:
        return words[-1]
    cue = min(positions)
    after = [word for word in words if text.find(word) > cue]
    return after[0] if after else words[-1]


_FUNCTION_CHARS = "为被在对把给由向从将于与和及"
# Words before 哪几家 that make the ones asked for the doers of what follows (由哪几家共同出资建设).
_AGENT_MARKS = ("由", "被", "经")


def _is_subject_word(word: str) -> bool:
    """Not a number, not a count asked for (几所, 多少家), not a function character glued to one more (为市)."""
    if re.fullmatch(r"[\d.]+", word) or re.match(r"^(几|多少)", word):
        return False
    vocabulary = question_vocabulary()
    if (
        re.fullmatch(r"[一二两三四五六七八九十百千万\d]+.", word)
        and word[-1] in vocabulary["count_classifiers"]
        and word[-1] not in vocabulary["ordinal_classifiers"]
    ):
        return False  # 三座, 5个: a count the question states, not what it is about (十届, 五次 name a session)
    if len(word) == 1:
        tagged = tag(word)
        return bool(tagged) and tagged[0][1][:1] in vocabulary["single_character_tags"]
    return not (len(word) == 2 and word[0] in _FUNCTION_CHARS)


def _place_words(text: str, suffixes: list[str]) -> set[str]:
    """Places the corpus vocabulary lacks, read from the question itself (洛阳市, 开封县): jieba's place names."""
    found = set()
    for word, flag in tag(text):
        if flag == "ns" and 3 <= len(word) <= 6 and word[-1] in "".join(suffixes):
            found.add(word)
    return found


def _direction(text: str, directions: dict[str, list[str]]) -> str | None:
    """The way a yes/no question asks a figure moved (增长了吗: up; 下降了吗: down)."""
    for direction, words in directions.items():
        if any(word in text for word in words):
            return direction
    return None


def _action(text: str, actions: dict[str, list[str]]) -> str | None:
    for action in ("resign", "remove", "appoint"):
        if any(word in text for word in actions.get(action, [])):
            return action
    return None


def _subject(words: list[str], vocabulary: Vocabulary) -> str | None:
    """The word a number or name must follow: a known indicator first, then the longest remaining word."""
    known = [word for word in words if word in vocabulary.indicators]
    if known:
        return max(known, key=len)
    return max(words, key=len) if words else None


def counted_noun(question: Question) -> str | None:
    """What a how-many question counts: its first word after 多少个 or 几家 (平顶山市有多少个街道), else its measure."""
    cue = re.search(r"多少|几", question.text)
    after = [word for word in question.words if cue and question.text.find(word) > cue.start()]
    if after:
        return after[0]
    classifiers = "".join(question_vocabulary()["count_classifiers"])
    tail = re.search(rf"(?:多少|几)[{classifiers}]([\u4e00-\u9fff]{{1,2}})[？?。]?$", question.text)
    return tail.group(1) if tail else question.measure  # 叶县有几个乡: 乡, a word too short to be searched
