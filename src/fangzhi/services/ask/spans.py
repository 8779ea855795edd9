"""Answer spans: the number, date, name or place in a sentence that answers the question.

Each extractor works on one sentence and the question's words.  The anchor
is the run of question words that stand together in the sentence (一般 公共
预算 收入 → 一般公共预算收入): a number is the first one after it in the same
clause (the one after 增长 when the question asks for growth), a date the
nearest one, a name the one the post is given to (选举李明俊为市长,
市长李明俊), a place the one after 在 or 位于.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fangzhi.text.dates import read_number
from fangzhi.text.names import surname_of
from fangzhi.text.words import contains, question_vocabulary, tag, variants

_NUMBER = re.compile(r"(?<![\d.])(-?\d+(?:,\d{3})*(?:\.\d+)?)")
_CHINESE_COUNT = re.compile(
    r"(?<![第一二两三四五六七八九十百千万])([一二两三四五六七八九十百千万]+)(?=[个家所项条座名位人件处批支种级元日天])"
)
_NUMERAL = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"

_YEAR_NUMBER = re.compile(r"(?:19|20)\d{2}\s*年")
_CLAUSE_END = re.compile(r"[，。；！？;,!?]")
_DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年)?\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"(?:\s*(?:至|—|－|-|～|~|到)\s*(?:(?P<month_end>\d{1,2})\s*月)?\s*(?P<day_end>\d{1,2})\s*日)?"
    r"|(?P<year_only>(?:19|20)\d{2}|(?<=公元)\s*\d{1,4})\s*年(?:\s*(?P<month_only>\d{1,2})\s*月(?!\s*\d{1,2}\s*日))?"
)
_NAME_LIST = re.compile(r"[\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})*")
_PLACE_AFTER = re.compile(
    r"(?:在|于|位于|落户|落地)([^，。；、“”]{2,24}?)(?=举行|举办|召开|开幕|开工|启动|揭牌|上演|开班|成立|建成|进行|开展|，|。|；|$)"
)


@dataclass(frozen=True)
class Span:
    """A piece of a sentence that answers: its text, value and unit for numbers, [start, end) in the sentence."""

    text: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None


@lru_cache(maxsize=1)
def _units() -> list[str]:
    return sorted(set(question_vocabulary()["units"]), key=len, reverse=True)


@lru_cache(maxsize=1)
def _growth_words() -> tuple[str, ...]:
    return tuple(question_vocabulary()["growth_words"])


@lru_cache(maxsize=1)
def _growth_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(word) for word in _growth_words())
    return re.compile(f"(?:{words})(?!值)|比上年")


def keyword_runs(sentence: str, words: list[str], weights: dict[str, float]) -> list[tuple[int, int, float]]:
    """Runs of question words standing together in a sentence, as (start, end, weight), heaviest first."""
    hits: list[tuple[int, int, str]] = []
    for word in words:
        for variant in variants(word):
            for match in re.finditer(re.escape(variant), sentence):
                hits.append((match.start(), match.end(), word))
    hits.sort()
    runs: list[tuple[int, int, float, set[str]]] = []
    for start, end, word in hits:
        joined = runs and (start <= runs[-1][1] or (start == runs[-1][1] + 1 and sentence[start - 1].isalnum()))
        if joined:
            run_start, run_end, weight, seen = runs[-1]
            added = 0.0 if word in seen else weights.get(word, 1.0)
            runs[-1] = (run_start, max(run_end, end), weight + added, seen | {word})
        else:
            runs.append((start, end, weights.get(word, 1.0), {word}))
    return sorted(((start, end, weight) for start, end, weight, _ in runs), key=lambda run: (-run[2], run[0]))


def parse_number(text: str) -> float:
    return float(text.replace(",", ""))


def _unit_at(sentence: str, position: int) -> str | None:
    rest = sentence[position : position + 8].lstrip()
    for unit in _units():
        if rest.startswith(unit):
            return unit
    return None


def number_span(
    sentence: str, anchor: tuple[int, int], growth: bool = False, unit: str | None = None, window: int = 24
) -> Span | None:
    """The number that a subject at ``anchor`` takes: after it in the same clause, else just before it.

    A growth figure (增长3.2%) is taken only when the question asks for growth,
    and a level (2720.07亿元) only when it does not.  With ``unit`` (the
    question asked 多少所) a number carrying that unit is preferred.
    """
    candidates = []
    end = anchor[1]
    clause = _CLAUSE_END.search(sentence, end)
    stop = min(clause.start() if clause else len(sentence), end + window)
    if clause and clause.start() - end <= 2:
        following = _CLAUSE_END.search(sentence, clause.end())
        stop = min(following.start() if following else len(sentence), clause.end() + window)
    for match in _NUMBER.finditer(sentence, end, stop):
        if _YEAR_NUMBER.match(sentence, match.start()) and unit != "年":
            continue
        before = sentence[max(0, match.start() - 4) : match.start()]
        is_growth = _growth_pattern().search(before) is not None
        found_unit = _unit_at(sentence, match.end())
        if is_growth != growth:
            continue
        if found_unit is None and not growth:
            continue
        candidates.append(_span(sentence, match, found_unit))
    if not candidates and not growth:
        for match in _CHINESE_COUNT.finditer(sentence, end, stop):
            found_unit = _unit_at(sentence, match.end())
            if found_unit is None and unit == "天" and sentence.startswith("日", match.end()):
                found_unit = "日"  # 公示二十日: a duration in days, as statutes print it
            value = read_number(match.group(1))
            if value is not None and found_unit:
                text = match.group(1) + found_unit
                candidates.append(Span(text, match.start(), match.end() + len(found_unit), float(value), found_unit))
    if not candidates and not growth:
        ranged = range_before(sentence, anchor[0])
        if ranged is not None:
            return ranged
    if not candidates and not growth:
        start = max(0, anchor[0] - 8)
        for match in _NUMBER.finditer(sentence, start, anchor[0]):
            if _YEAR_NUMBER.match(sentence, match.start()) and unit != "年":
                continue
            found_unit = _unit_at(sentence, match.end())
            if found_unit and match.end() + len(found_unit) >= anchor[0] - 2:
                candidates.append(_span(sentence, match, found_unit))
        for match in _CHINESE_COUNT.finditer(sentence, start, anchor[0]):
            found_unit = _unit_at(sentence, match.end())
            value = read_number(match.group(1))
            if value is not None and found_unit:
                text = match.group(1) + found_unit
                candidates.append(Span(text, match.start(), match.end() + len(found_unit), float(value), found_unit))
    if not candidates:
        return None
    if unit:
        wanted = [span for span in candidates if span.unit and (span.unit == unit or span.unit.endswith(unit))]
        if wanted:
            return wanted[0]
    return candidates[0]


def range_before(sentence: str, position: int) -> Span | None:
    """A range printed just before a word (并处二百元以上五百元以下罚款), read whole, its lower bound as the value."""
    for match in _range_pattern().finditer(sentence, max(0, position - 24), position):
        if position - match.end() > 2:
            continue
        low = float(match.group(1)) if match.group(1)[0].isdigit() else read_number(match.group(1))
        unit = match.group(3)
        if low is not None:
            return Span(match.group(0), match.start(), match.end(), float(low), unit)
    return None


@lru_cache(maxsize=1)
def _range_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(unit) for unit in _units())
    return re.compile(rf"({_NUMERAL})(?:{units})?(?:以上|至|到|—|-|～)({_NUMERAL})({units})(?:以下|以内)?")


def _span(sentence: str, match: re.Match[str], unit: str | None) -> Span:
    finish = match.end()
    if unit:
        finish = sentence.index(unit, match.end()) + len(unit)
    return Span(sentence[match.start() : finish], match.start(), finish, parse_number(match.group(1)), unit)


def count_before(sentence: str, noun: str, classifier: str) -> Span | None:
    """A count printed right before the noun it counts (、60个街道; 湛河区4区 with the noun its own classifier): the
    surest reading of 多少个街道."""
    match = re.search(rf"(?<![\d.])(\d+)\s*(?:{re.escape(classifier)})?\s*{re.escape(noun)}", sentence)
    if match is None:
        return None
    following = tag(sentence[match.end() : match.end() + 8])
    if following and (following[0][1][:1] in ("n", "j", "z") or following[0][1] == "vn"):
        return None  # 20个街道综合养老服务中心 counts the centres
    unit = classifier if classifier in sentence[match.end(1) : match.end()] else noun
    return Span(sentence[match.start(1) : match.end()], match.start(1), match.end(), parse_number(match.group(1)), unit)


def date_spans(sentence: str) -> list[Span]:
    """Every date in a sentence: a day or a range of days, a month or a year."""
    spans = []
    for match in _DATE.finditer(sentence):
        text = match.group(0).strip()
        if match.group("year_only") and not match.group("month_only"):
            continue_after = sentence[match.end() : match.end() + 2]
            if continue_after.startswith(("以来", "以前", "前")):
                continue
        spans.append(Span(text, match.start(), match.end()))
    return spans


def nearest(spans: list[Span], anchor: tuple[int, int]) -> Span | None:
    """The span closest to the anchor, a span before it winning a tie (dates lead Chinese sentences)."""
    if not spans:
        return None
    return min(spans, key=lambda span: (_distance(span, anchor), span.start > anchor[0]))


def _distance(span: Span, anchor: tuple[int, int]) -> int:
    if span.end <= anchor[0]:
        return anchor[0] - span.end
    if span.start >= anchor[1]:
        return span.start - anchor[1]
    return 0


def names_given_post(sentence: str, anchor: tuple[int, int], people: set[str]) -> list[str]:
    """The people a post at ``anchor`` is given to: 选举X为<post>, X当选为<post>, <post>X, 任命X为<post>."""
    before = sentence[: anchor[0]]
    tail = re.search(r"(当选为|当选|任命为|为|任)([^，。；为]{0,24})$", before)
    if tail:
        before = before[: tail.end(1)]
    for marker in ("当选为", "当选", "任命为", "为", "任"):
        if before.endswith(marker):
            head = re.sub(r"（[^（）]*）|\([^()]*\)", "", before[: -len(marker)])
            cut = max(head.rfind(mark) for mark in "，。；：:（(")
            for lead in ("选举", "任命", "推选", "决定", "聘任", "同意"):
                position = head.rfind(lead)
                if position > cut:
                    cut = position + len(lead) - 1
            names = _name_list(head[cut + 1 :].split("、"), people)
            if names:
                return names
    after = sentence[anchor[1] : anchor[1] + 80]
    match = _NAME_LIST.match(after.lstrip(" 　"))
    if match:
        pieces = _split_names(match.group(0), people)
        if not _is_name(pieces[0], people):
            return []
        names = _name_list(pieces, people) if len(pieces) >= 3 else [name for name in pieces if _is_name(name, people)]
        if names:
            return names
    return []


def _name_list(pieces: list[str], people: set[str]) -> list[str]:
    """The names of an enumeration; when most of it reads as names, the rest that look like one are names too.

    The first piece may carry what leads into the names (院士董绍明, 递补市委候补委员马豹子): its name is the
    one it ends with.
    """
    pieces = [piece.strip() for piece in pieces]
    if pieces and not _is_name(pieces[0], people):
        pieces[0] = _trailing_name(pieces[0], people, loose=len(pieces) >= 3) or pieces[0]
    strict = [piece for piece in pieces if _is_name(piece, people)]
    looks = [piece for piece in pieces if piece in strict or _looks_like_name(piece)]
    if len(pieces) >= 3 and len(looks) == len(pieces):
        return looks  # every piece of a long enumeration reads as a name
    if len(strict) * 2 < len(pieces):
        return strict
    return looks


def _trailing_name(text: str, people: set[str], loose: bool = False) -> str | None:
    """The name a piece of text ends with (中国工程院院士董绍明 → 董绍明), known to the corpus or read as one
    (``loose``: in a list of names, one that only looks like a name, 马豹子)."""
    for length in (3, 2, 4):
        tail = text[-length:]
        if len(text) > length and tail in people:
            return tail
    for length in (3, 2):
        tail = text[-length:]
        if len(text) > length and (_is_name(tail, people) or (loose and length == 3 and _looks_like_name(tail))):
            return tail
    return None


def _looks_like_name(text: str) -> bool:
    """Two or three Han characters starting with a known surname."""
    return 2 <= len(text) <= 3 and surname_of(text) is not None and re.fullmatch(r"[\u4e00-\u9fff]+", text) is not None


def _split_names(text: str, people: set[str]) -> list[str]:
    names = []
    for piece in text.split("、"):
        for length in (3, 2, 4):
            if piece[:length] in people:
                names.append(piece[:length])
                break
        else:
            names.append(piece[:3] if len(piece) >= 3 and surname_of(piece) else piece)
    return names


def _is_name(text: str, people: set[str]) -> bool:
    text = text.strip()
    if text in people:
        return True
    if not _looks_like_name(text):
        return False
    tagged = tag(text)
    return bool(tagged) and tagged[0][1].startswith("nr")


def place_span(sentence: str, anchor: tuple[int, int]) -> Span | None:
    """The place an event at ``anchor`` happened (在叶县举行) or a thing lies (位于河南省中南部)."""
    best = None
    for match in _PLACE_AFTER.finditer(sentence):
        text = match.group(1).strip()
        if not text or re.search(r"\d{1,2}月|\d{4}年", text) or _measurement(text):
            continue
        span = Span(text, match.start(1), match.end(1))
        if best is None or _distance(span, anchor) < _distance(best, anchor):
            best = span
    return best


def _measurement(text: str) -> bool:
    """A quantity, not a place (海拔在1000～1600米, 在研科研项目288项, 当地低保标准的1.3倍)."""
    if re.match(r"[\d\-－]", text):
        return True  # 在0.0～2.3摄氏度之间: a place does not open with a number
    return any(_unit_at(text, found.end()) is not None for found in re.finditer(r"\d+(?:\.\d+)?", text))


def copula_place(sentence: str, anchor: tuple[int, int]) -> Span | None:
    """What the thing asked about is said to be, right after it: 最高山峰是鲁山县西部边界的尧山主峰玉皇顶."""
    match = re.match(r"\s*(?:就是|是|为)([^，。；,;]{2,30})", sentence[anchor[1] :])
    if not match or _measurement(match.group(1)):
        return None
    start = anchor[1] + match.start(1)
    return Span(match.group(1), start, start + len(match.group(1)))


def respectively(sentence: str, anchor: tuple[int, int], word: str) -> Span | None:
    """PM10、PM2.5平均浓度分别为80、44微克/立方米: the value standing where the asked word stands in the list."""
    marker = re.search(r"分别(?:为|是|达到|达|增长|下降)", sentence[anchor[0] :])
    if not marker:
        return None
    head_end = anchor[0] + marker.start()
    head_start = max(sentence.rfind(mark, 0, anchor[0]) for mark in "，,。；;：:") + 1
    items = sentence[head_start:head_end].split("、")
    values_start = anchor[0] + marker.end()
    clause = _CLAUSE_END.search(sentence, values_start)
    values_end = clause.start() if clause else len(sentence)
    numbers = list(_NUMBER.finditer(sentence, values_start, values_end))
    if len(numbers) >= 2 and len(items) == 1:
        items = _paired_members(items[0], len(numbers)) or items
    if len(numbers) < 2 or len(items) < len(numbers):
        return None
    items = items[-len(numbers) :]  # the enumeration 分别 speaks of ends right before it (…物在Ⅲ级、Ⅱ级、Ⅰ级…分别)
    index = next((position for position, item in enumerate(items) if _holds_word(item, word)), None)
    if index is None:
        return None
    match = numbers[index]
    unit = _unit_at(sentence, match.end())
    if unit is None:
        unit = next(
            (_unit_at(sentence, other.end()) for other in numbers[index:] if _unit_at(sentence, other.end())), None
        )
        return Span(match.group(1) + (unit or ""), match.start(), match.end(), parse_number(match.group(1)), unit)
    return _span(sentence, match, unit)


def _paired_members(item: str, count: int) -> list[str] | None:
    """The members of a word standing for several (城乡: 城市 and 农村) that an item names, as many as the values
    分别 gives, each with the words it is also printed as (城乡低保标准分别为630元、440元: 城市/城镇 first)."""
    for compound, members in question_vocabulary()["paired_compounds"].items():
        if compound in item and len(members) == count:
            return [" ".join(member) for member in members]
    return None


def paired_position(text: str, word: str) -> int:
    """Where a text prints a word standing for ``word`` and another (城乡 for 农村), or -1."""
    for compound, members in question_vocabulary()["paired_compounds"].items():
        if any(word in member for member in members) and compound in text:
            return text.find(compound)
    return -1


def _holds_word(text: str, word: str) -> bool:
    """Whether a text holds a word, a Latin one only whole (I in I级, not in III级)."""
    if re.fullmatch(r"[A-Za-z]+", word):
        return re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text) is not None
    return word in text


def subject_phrase(sentence: str, anchor: tuple[int, int], span: Span) -> str:
    """The words between the clause start and a number: what the number is printed as the value of."""
    start = max(sentence.rfind(mark, 0, anchor[0]) for mark in "，,。；;：:、（(】") + 1
    if span.start < anchor[0]:
        return sentence[span.end : anchor[1]]
    return sentence[start : span.start]


def in_question_order(sentence: str, run: tuple[int, int], words: list[str]) -> bool:
    """Whether the question's words inside a run stand in the order the question has them (X位于Y, not 位于Y的X)."""
    positions = []
    for word in words:
        found = sentence.find(word, run[0], run[1])
        if found >= 0:
            positions.append(found)
    return len(positions) >= 2 and positions == sorted(positions)


_LIST_NUMBER = re.compile(r"^\s*(?:[\d一二三四五六七八九十]+\s*[.、．]|[（(]\s*[\d一二三四五六七八九十]+\s*[）)])\s*")


def organisation_before(sentence: str, position: int) -> Span | None:
    """The body a clause opens with, before what it does (15. 市应急管理局负责…): who is responsible."""
    start = max(sentence.rfind(mark, 0, position) for mark in "，,。；;：:") + 1
    head = sentence[start:position]
    numbered = _LIST_NUMBER.match(head)
    offset = numbered.end() if numbered else 0
    name = head[offset:].strip()
    suffixes = tuple(question_vocabulary()["organisation_suffixes"])
    if 2 <= len(name) <= 24 and name.endswith(suffixes):
        return Span(name, start + offset, position)
    return None


def noun_phrase_ending(sentence: str, noun: str, exclude: list[str]) -> list[Span]:
    """Names ending in the noun a question asks for (哪家医院 → 市第一人民医院), longest stretch back to a stop."""
    stops = question_vocabulary()["noun_phrase_stops"]
    spans = []
    for match in re.finditer(re.escape(noun), sentence):
        end = match.end()
        start = match.start()
        while start > 0 and sentence[start - 1] not in "，,。；;：:、（）()“”《》 " and start > end - 16:
            if any(sentence[:start].endswith(stop) for stop in stops):
                break
            start -= 1
        text = sentence[start:end]
        if len(text) > len(noun) and not any(text == word or text in word for word in exclude):
            spans.append(Span(text, start, end))
    return spans


def enumeration(sentence: str, noun: str, exclude: list[str]) -> list[str]:
    """The things of a kind a sentence enumerates (冷水河大桥、澎河大桥、应河大桥 for 大桥; …石桥镇、…马楼乡 for 乡镇).

    Items are parted by 、 (the last one by 和 or 及); an item counts when it
    ends in the noun or, for a compound noun (乡镇), in one of its characters.
    The first item is cut after the words that lead into the list (分别是,
    the question's own words), the last one after the noun.
    """
    # 民族乡 are named …回族乡: a longer noun may be printed by its last two characters
    endings = (noun, *noun) if len(noun) == 2 else (noun, noun[-2:]) if len(noun) > 2 else (noun,)
    leads = [lead for lead in [*question_vocabulary()["enumeration_leads"], *exclude] if noun not in lead]
    best: list[str] = []
    for clause in re.split(r"[，,。；;：:]", sentence):
        clause = re.sub(r"（[^（）]*）|\([^()]*\)", "", clause)
        parts = [part.strip() for part in clause.split("、")]
        if len(parts) < 2:
            parts = [part.strip() for part in re.split(r"以及|和|及", clause, maxsplit=1)]  # 即A和B
        if len(parts) < 2:
            continue
        counted = _counted_names(parts, noun, leads)
        if counted and len(counted) > len(best):
            best = counted
            continue
        last = re.split(r"和|及|以及", parts[-1])
        parts[-1:] = last
        items = []
        for index, part in enumerate(parts):
            if index == 0:
                cut = max((part.rfind(lead) + len(lead) for lead in leads if lead in part), default=0)
                part = part[cut:]
            else:
                # 基督教五种宗教: the count of the whole list after its last item
                part = re.sub(rf"等?[一二两三四五六七八九十百\d]+[^\s]{{0,2}}{re.escape(noun)}$", "", part)
                stop = max((part.rfind(ending) + len(ending) for ending in endings if ending in part), default=-1)
                part = part[:stop] if stop > 0 else part
            ending = next((ending for ending in endings if part.endswith(ending)), None)
            if ending is not None and part != noun and len(part) > len(ending):
                items.append(part)  # 道教 for 宗教: an item as short as the noun, ending in one of its characters
        if len(items) >= 2 and len(items) > len(best) and 2 * len(items) >= len(parts):
            best = items  # most of the clause must be such things (not 堂街、黄道 among 薛店、安良、…8镇)
    return best


def enumeration_before(sentence: str, position: int) -> list[str]:
    """The things a clause enumerates right before ``position``, after 由 or 是 (由中国平煤神马集团、…、平顶山发展投资
    控股集团共同出资建设), names kept whole with their brackets (英诺贝森储能科技（河南）有限公司)."""
    start = max(sentence.rfind(mark, 0, position) for mark in "，,。；;：:") + 1
    clause = sentence[start:position]
    lead = max((clause.rfind(mark) + len(mark) for mark in _ENUMERATION_OPENERS if mark in clause), default=0)
    parts = [part.strip() for part in clause[lead:].split("、")]
    if len(parts) < 2:
        return []
    parts[-1:] = [part.strip() for part in re.split(r"以及|和|及", parts[-1], maxsplit=1)]
    return parts if all(len(part) >= 2 for part in parts) else []


_ENUMERATION_OPENERS = ("由", "是", "包括")


def _counted_names(parts: list[str], noun: str, leads: list[str]) -> list[str]:
    """Names followed by how many of the noun they are (辖昆阳、盐都、九龙3个街道), when the count agrees."""
    parts = [*parts[:-1], *re.split(r"以及|和|及", parts[-1], maxsplit=1)]  # …、橙色和红色预警三级
    count = re.fullmatch(rf"(.+?)\s*([一二两三四五六七八九十\d]+)\s*[^\s\d]?{re.escape(noun)}", parts[-1])
    if not count or read_number(count.group(2)) != len(parts):
        return []
    first = parts[0]
    first = first[max((first.rfind(lead) + len(lead) for lead in leads if lead in first), default=0) :]
    names = [first, *parts[1:-1], count.group(1)]
    return names if all(names) else []


def negated(sentence: str, words: list[str]) -> bool:
    """Whether a sentence denies what the question asks: a negation before one of its words (不纳入, 零死亡,
    未发生), or a phrase that puts a case outside a rule's scope (不纳入本预案范畴, 不适用)."""
    vocabulary = question_vocabulary()
    if any(phrase in sentence for phrase in vocabulary["exclusion_phrases"]):
        return True
    marks = sorted(vocabulary["negation_marks"], key=len, reverse=True)
    pieces = {piece for word in words for piece in [word, *(word[i : i + 2] for i in range(len(word) - 1))]}
    for piece in pieces:
        if len(piece) < 2:
            continue
        for match in re.finditer(re.escape(piece), sentence):
            before = sentence[max(0, match.start() - 2) : match.start()]
            if any(before.endswith(mark) for mark in marks):
                return True
    return False


def printed_direction(sentence: str, words: list[str], weights: dict[str, float]) -> str | None:
    """Which way a figure moved as a sentence prints it: up (增长3.2%) or down (下降1.0%, 增长-1.0%, 负增长), read
    in the clause that holds most of the question's words and prints a movement."""
    best: tuple[float, int, str] | None = None
    for position, clause in enumerate(re.split(r"[，,；;。：:]", sentence)):
        moved = _movement(clause)
        if moved is None:
            continue
        held = sum(weights.get(word, 1.0) for word in words if contains(clause, word))
        if held and (best is None or held > best[0]):
            best = (held, position, moved)
    return best[2] if best else None


def _movement(clause: str) -> str | None:
    """The first movement a clause prints, its sign read too (增长-1.0% and 负增长 are down; a rate's name,
    增长率, moves only by the value printed after it: 增长率-1.42‰)."""
    found = []
    for direction, words in question_vocabulary()["direction_words"].items():
        for word in words:
            for match in re.finditer(re.escape(word), clause):
                rest = clause[match.end() : match.end() + 6]
                named = rest.startswith(("率", "幅"))
                rest = re.sub(r"^(?:率|幅)?(?:了|为|是|达)?", "", rest)
                negative = (
                    rest.startswith(("-", "－", "负")) or clause[max(0, match.start() - 1) : match.start()] == "负"
                )
                if named and not negative and not rest[:1].isdigit():
                    continue
                moved = direction
                if negative:
                    moved = "down" if direction == "up" else "up"
                found.append((match.start(), moved))
    return min(found)[1] if found else None
