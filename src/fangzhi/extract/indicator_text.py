"""Figures in prose: a number with its unit, and what the sentence says it measures.

Chinese statistical prose names a figure before it (``全年全市地区生产总值
2720.07亿元，比上年增长3.2%``): the words back to the last comma say what
is measured, where (全市, a county, a company), when (全年, 年末, 1—11月,
预计) and within what scope (规模以上, 城镇); a growth phrase with nothing
before it (``比上年增长3.2%``) speaks of the figure before it.  Figures named
after them (``年产60GWh储能及动力电池项目``) belong to the project they
describe.

Everything here is a pure function of a string and a :class:`TextContext`,
so it runs the same on a yearbook entry, a gazette section or a communiqué.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from fangzhi.extract.indicator_terms import (
    Unit,
    any_word,
    in_base_unit,
    leading_term,
    leading_words,
    longest_first,
    mapping,
    strip_ending,
    terms,
    unit_table,
    word_pattern,
)

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")
SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


@lru_cache(maxsize=1)
def _numbers() -> re.Pattern[str]:
    """Numbers that may be figures: digits anywhere, Chinese numerals only where a unit can follow."""
    starts = "".join(sorted(unit_table().first_characters - {" "}))
    return re.compile(
        r"(?=[-\d零〇一二两三四五六七八九十百千])"
        r"(?:(?<![\dA-Za-z.%_/·\-])(?P<sign>-)?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        # Never from inside a numeral: after 第 the whole of 第四十九条 is an ordinal, 十九条 no count.
        rf"|(?<![第零〇一二两三四五六七八九十百千])(?P<cn>[零〇一二两三四五六七八九十百千]+)(?=[{re.escape(starts)}]))"
    )


# Damaged text ends sentences with an ASCII full stop; one between digits is a decimal point.
_ASCII_FULL_STOP = re.compile(r"(?<=[\u4e00-\u9fff）)”])\.(?![0-9A-Za-z])")
_DIGITS = re.compile(r"[\d零〇一二两三四五六七八九十百千]")
_CLAUSE_END = frozenset("，,：:；;、（）()")
_FULL_WIDTH_CHARACTERS = re.compile("[０-９．％－]")
_PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)")
_RANK = re.compile(
    r"(?P<verb>位居|居于|排名|名列|位列|居|排|列)(?P<scope>[\u4e00-\u9fff]{0,8}?)第(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?:位|名)"
)
_YEAR = r"(?:19|20)\d{2}"
_PERIOD_DAYS = re.compile(
    # The lookahead lets the engine skip, at one test, every position where no period can start.
    r"(?=[截到\d上下前第一二三四全年汛])"
    rf"(?:(?P<upto>截至|截止到|截止|到)?(?:(?P<year>{_YEAR})年)?"
    r"(?:(?P<m1>\d{1,2})[—–\-~～至到](?P<m2>\d{1,2})月"
    r"|(?P<part>上半年|下半年|前三季度|第?[一二三四]季度|汛期)"
    r"|(?P<month>\d{1,2})月(?P<month_end>底|末)"
    r"|(?P<days>\d{1,2}月\d{1,2}(?:日(?:[—–\-~～至到](?:\d{1,2}月)?\d{1,2}日)?|[—–\-~～至到](?:\d{1,2}月)?\d{1,2}日))"
    r"|(?P<end>(?<=\d年)[末底]|(?<![上去前\d])年[末底]))"
    rf"|(?P<only_year>{_YEAR})年(?P<year_tail>度|以来|来|前|后|起|初|内|至今)?"
    r"|(?P<full_year>全年))"
)
# Without days (7月2日, 8月25—27日), which only a sentence with 日 can name: the common case, matched faster.
_PERIOD = re.compile(
    _PERIOD_DAYS.pattern.replace(
        _PERIOD_DAYS.pattern[_PERIOD_DAYS.pattern.index("|(?P<days>") : _PERIOD_DAYS.pattern.index("|(?P<end>")], ""
    )
)
_COMPARED = re.compile(r"(比|较|与|同|相比|高于|低于|超过|快于|慢于)上?$")
_RATIO = re.compile(r"(?<![\d.:∶：])\d+(?:\.\d+)?(?:\s*[∶:：]\s*\d+(?:\.\d+)?){1,5}(?![\d.:∶：])")
_FOOTNOTE = re.compile(r"\[\d{1,2}\]|［\d{1,2}］")
_GROSS_PRODUCT = re.compile(r"(?<!地区)(?<!国内)生产总值")
_LATIN_HEAD = re.compile(r"[A-Za-z][A-Za-z0-9.]*")
_RATIO_WORDS = re.compile(r"结构|比例|之比|比为|比是")
_HEAD_YEAR = re.compile(
    rf"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?\s*({_YEAR})年(?!以来|来|前|后|起|初|末|底|\d)"
)
_SPACES = re.compile(r"\s+")
_KEY_NOISE = re.compile(r"[\s“”\"《》]")
_TARGET_SENTENCE = re.compile(r"预期目标|主要目标|目标是|目标为|目标：|力争|争取|明年|计划到|到20\d\d年")
_TARGET_CLAUSE = re.compile(r"^(?:力争|争取|确保|预计|计划|目标|预期|拟)")
_PRODUCTION = re.compile(r"^(?:生产|产出|共生产|全年生产)(?!总值|总|性)([\u4e00-\u9fff]{2,10})$")
_PRODUCED = ("weight", "energy", "volume", "weight_coal", "vehicles", "items_piece", "sets", "machines")
_CHANGE_FIRST = re.compile(r"^(比上年末?|较上年末?|同比|比年初|较年初)(增加|减少|增长|下降|新增|多增|少增|增收|减收)")
_COUNTED_NOUN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff（）]{1,15}")
_HAVING = re.compile(r"(?:有|拥有|共有|现有|建有|设有)\s*$")
_CLAUSE_CLOSERS = ("", "。", "，", "；", "、", "！", "？")
_SINGLE_EVENT = re.compile(r"此次|本次|该次|这次")
_PER = re.compile(r"\s?/\s?([\u4e00-\u9fff]{1,3}|[A-Za-z]{1,3})(?![\u4e00-\u9fff]{2})")
_SINCE = re.compile(r"以来|五年来|过去五年|近五年|十四五")
_LEADING_FIGURE = re.compile(r"^[\d.]+\s?[A-Za-z\u4e00-\u9fff]{0,4}?(?=[\u4e00-\u9fff])")
_NOUN_PHRASE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()]{2,30}")
_ENUMERATION = re.compile(r"[等、]")
_PROJECT_WORD = re.compile(r"(项目|工程)$")
_APPROX_BEFORE = re.compile(r"(约|近|逾|超过|突破)$")
_WITHIN = re.compile(r"(在[^，。；]{2,20}中|[^，。；]{2,12}中[，,])")
_CLAUSES = re.compile(r"[，,；：]")
_WIDER_PLACES = ("全国", "全省", "全球")
_CLAUSE_OPENER = re.compile(r"全年|全市|全县|全区|年末|年底")
_ONLY_PUNCT = re.compile(r"^[\W_]*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CN_DIGITS = str.maketrans({"〇": "零", "两": "二"})
_DIFFERENCE = ("高于", "低于", "快于", "慢于", "高出", "低出")
_TOTALS = {"总数", "总量", "总额", "总计", "合计"}
_NEW = "新增"
_GENERIC = {"其中", "总量", "总额", "规模", "总数", "数量", "金额", "总计", "合计", "共", "分别", "达", "年", "全年"}


@dataclass(frozen=True)
class TextContext:
    """What a sentence does not say but its place in the book does."""

    year: int | None = None
    entity: str = "全市"
    places: frozenset[str] = frozenset()
    home_names: frozenset[str] = frozenset()
    whole: str = "全市"


@dataclass
class Figure:
    """One figure found in a text, with offsets into that text."""

    start: int
    end: int
    value_as_printed: str
    number: float
    unit: str
    base_value: float | None
    base_unit: str
    dimension: str
    kind: str
    indicator: str
    indicator_as_printed: str
    entity: str
    period: str
    scope: str
    qualifier: str | None = None
    basis: str = ""
    approx: bool = False
    estimate: bool = False
    decimals: int = 0
    sentence: str = ""
    sentence_start: int = 0
    subject: str | None = None
    parent: str | None = None
    organisation: str | None = None
    per: str | None = None
    whole: Figure | None = None
    ratio_parts: list[float] | None = None
    ratio_index: int | None = None


@dataclass
class _State:
    """What carries from one sentence to the next inside one text."""

    year: int | None
    parent: Figure | None = None
    previous_sentence_last: Figure | None = None
    previous_sentence_figures: list[Figure] = field(default_factory=list)
    sentence_start: int = 0
    carried_period: str | None = None
    paragraph_organisation: str | None = None
    sentence_organisation: str | None = None


def figures_in_text(text: str, context: TextContext) -> list[Figure]:
    """Every figure in ``text``, sentence by sentence, with its meaning resolved."""
    if _FULL_WIDTH_CHARACTERS.search(text):
        text = text.translate(_FULL_WIDTH)
    if "." in text:
        text = _ASCII_FULL_STOP.sub("。", text)
    state = _State(year=context.year)
    found: list[Figure] = []
    for match in SENTENCE.finditer(text):
        sentence = match.group(0)
        if match.start() == 0 or text[match.start() - 1] == "\n":
            state.carried_period = None
            state.paragraph_organisation = organisation_subject(sentence, context.home_names)
        if not _DIGITS.search(sentence):
            _carry_year(sentence, state)
            continue
        found.extend(_figures_in_sentence(sentence, match.start(), context, state))
    return found


def _carry_year(sentence: str, state: _State) -> None:
    """A year or a part of a year said at the head of a sentence holds for the sentences after it.

    A part of a year (1—11月, 上半年) holds only to the end of its paragraph.
    """
    head = _HEAD_YEAR.match(sentence)
    if head:
        state.year = int(head.group(1))
    opening = sentence.lstrip()
    period = _PERIOD.match(opening)
    if period and (period["m1"] or period["part"]) and opening[period.end() : period.end() + 1] in ("，", ","):
        state.carried_period = _period_text(period, state.year)
    elif head or opening.startswith("全年"):
        state.carried_period = None


# ------------------------------------------------------------------ numbers


def _number_value(digits: str | None, chinese: str | None) -> float | None:
    if digits is not None:
        return float(digits.replace(",", ""))
    if chinese is None:
        return None
    import cn2an

    try:
        return float(cn2an.cn2an(chinese.translate(_CN_DIGITS), "smart"))
    except (ValueError, KeyError):
        return None


@dataclass
class _Raw:
    start: int
    end: int
    number: float
    decimals: int
    unit: Unit | None
    printed: str
    approx_inside: bool = False
    rank_scope: str | None = None
    ratio_parts: list[float] | None = None
    ratio_index: int | None = None
    per: str | None = None


def _decimals(digits: str) -> int:
    return len(digits.split(".")[1]) if "." in digits else 0


def _raw_figures(sentence: str) -> list[_Raw]:
    table = unit_table()
    figures: list[_Raw] = []
    taken_until = -1
    for match in _RANK.finditer(sentence) if "第" in sentence else ():
        value = _number_value(
            match["n"] if match["n"].isdigit() else None, None if match["n"].isdigit() else match["n"]
        )
        if value is not None:
            unit = Unit("位", "位", 1.0, "rank", "rank")
            start = match.start("verb")
            figures.append(
                _Raw(start, match.end(), value, 0, unit, match.group(0)[match.start("n") - start - 1 :], False)
            )
            figures[-1].rank_scope = match["scope"] or ""
    for match in _RATIO.finditer(sentence) if ("∶" in sentence or ":" in sentence or "：" in sentence) else ():
        parts = [float(part) for part in re.split(r"\s*[∶:：]\s*", match.group(0))]
        if len(parts) < 3 and not _RATIO_WORDS.search(sentence[max(0, match.start() - 12) : match.start()]):
            continue
        unit = Unit("", "", 1.0, "ratio", "share")
        position = match.start()
        for index, part in enumerate(re.split(r"([∶:：])", match.group(0))[::2]):
            text = part.strip()
            start = sentence.index(text, position)
            raw = _Raw(start, start + len(text), float(text), _decimals(text), unit, text)
            raw.ratio_parts, raw.ratio_index = parts, index
            figures.append(raw)
            position = start + len(text)
    taken = [(f.start, f.end) for f in figures]
    first_characters = table.first_characters
    for match in _numbers().finditer(sentence):
        position = match.start()
        if position < taken_until or (position > 0 and sentence[position - 1] == "第"):
            continue
        if taken and any(start <= position < end for start, end in taken):
            continue
        after = match.end()
        if sentence[after : after + 1] not in first_characters:
            continue
        chinese = match["cn"]
        if chinese is not None and chinese in ("百", "千"):
            continue
        approx_inside = False
        if sentence[after : after + 1] in ("余", "多"):
            after += 1
            approx_inside = True
        found = table.match(sentence, after)
        if found is None:
            continue
        unit, unit_end, approx_unit = found
        if unit.dimension == "number" and not _closes_clause(sentence, unit_end):
            continue
        if chinese is not None and not _chinese_figure_ok(chinese, unit):
            continue
        number = _number_value(match["digits"], chinese)
        if number is None:
            continue
        if match["sign"]:
            number = -number
        digits = match["digits"] or ""
        per = _PER.match(sentence, unit_end)
        if per:
            unit_end = per.end()
        printed = sentence[position:unit_end].replace(" ", "")
        figures.append(_Raw(position, unit_end, number, _decimals(digits), unit, printed, approx_inside or approx_unit))
        figures[-1].per = per.group(1) if per else None
        taken_until = unit_end
    figures.sort(key=lambda f: f.start)
    return figures


def _closes_clause(sentence: str, position: int) -> bool:
    return position >= len(sentence) or sentence[position] in "，,。；;、）)"


def _chinese_figure_ok(chinese: str, unit: Unit) -> bool:
    """Chinese numerals name figures only when they clearly measure (一万亿元, 三十余家), not 两个确保 or 一升两降."""
    if unit.factor >= 10000 or any(ch in chinese for ch in "十百千"):
        return True
    return unit.kind != "count" and len(unit.name) >= 2


# ------------------------------------------------------------------ sentences


def _figures_in_sentence(sentence: str, offset: int, context: TextContext, state: _State) -> list[Figure]:
    raws = _raw_figures(sentence)
    _carry_year(sentence, state)
    state.sentence_start = offset
    if not raws:
        return []
    state.sentence_organisation = organisation_subject(sentence, context.home_names)
    masked = _mask_parentheses(sentence)
    marks = _SentenceMarks.of(sentence, masked)
    marks.organisation = state.sentence_organisation
    estimate = any(word in sentence[: raws[0].start] for word in terms()["estimate"])
    figures: list[Figure] = []
    previous_end = 0
    respectively = _Respectively()
    for index, raw in enumerate(raws):
        inside = masked[raw.start] == "\0"
        clause_start = _clause_start(masked if not inside else sentence, raw.start, previous_end)
        if inside:
            opening = sentence.rfind("（", 0, raw.start)
            clause_start = max(clause_start, opening + 1)
        label_text = sentence[clause_start : raw.start] if inside else masked[clause_start : raw.start]
        label_text = label_text.replace("\0", "").strip()
        if "分别" in label_text:
            respectively.start(label_text, _run_length(sentence, raws, index), figures)
        elif "、" in label_text and not inside and index + 1 < len(raws):
            run = _run_length(sentence, raws, index)
            if run >= 2:
                respectively.start_enumeration(label_text, run)
        label_text = respectively.label(label_text)
        if figures and sentence[previous_end : previous_end + 1] == "、" and clause_start <= previous_end + 1:
            label_text = _shared_lead(figures[-1].indicator_as_printed, label_text)
        figure = _figure(sentence, offset, raw, label_text, context, state, figures, estimate, inside, marks)
        figures.append(figure)
        previous_end = _figure_tail(sentence, raw.end)
    state.previous_sentence_last = figures[-1]
    state.previous_sentence_figures = figures
    return figures


def _shared_lead(previous: str, label: str) -> str:
    """新增A 1家、B 47家: a leading 新增 is said once for every item of the enumeration."""
    label = label.lstrip("、")
    if previous.startswith("新增") and label and not label.startswith("新增"):
        return "新增" + label
    return label


class _Respectively:
    """Names shared out over the figures after 分别 (PM10、PM2.5平均浓度分别为80、44微克/立方米).

    The names are those enumerated before 分别 (joined by 、, or by 和 when
    their number is the number of figures), or, when none are, the figures
    just before it (第一、第二、第三产业增加值…，分别比上年增长4.0%、9.2%、12.3%).
    Names enumerated before a run of as many figures share them out without
    分别, too (高新技术企业、科技型中小企业增至405家、733家).
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.words = ""
        self.position = 0
        self.fresh = False

    def start(self, label: str, run: int, earlier: list[Figure]) -> None:
        head, _, verb = label.partition("分别")
        names = distribute_names(head) if "、" in head else []
        if not names and run >= 2:
            names = _joined_names(head, run)
        if names:
            self.names, self.words = names, verb
        elif run >= 2 and not self.names:
            totals = [f for f in earlier if f.kind in ("level", "count") and f.indicator]
            if len(totals) >= run:
                self.names, self.words = [f.indicator for f in totals[-run:]], head + verb
        elif self.names:
            self.words = head + verb
        self.position = 0
        self.fresh = bool(self.names)

    def start_enumeration(self, label: str, run: int) -> None:
        """A run of figures after as many names joined by 、, without 分别."""
        head, verb = strip_ending(label, "linking")
        names = distribute_names(head)
        if run >= 2 and len(names) == run:
            self.names, self.words, self.position, self.fresh = names, verb or "", 0, True

    def label(self, label: str) -> str:
        fresh, self.fresh = self.fresh, False
        if not fresh and "分别" not in label and (label.strip("、和及与") or not self.names):
            if label.strip("、和及与"):
                self.names = []
            return label
        if self.position >= len(self.names):
            return label
        name = self.names[self.position] + self.words
        self.position += 1
        return name


def _joined_names(head: str, run: int) -> list[str]:
    """Names joined by 和, 及 or 与 before 分别, when there are as many as figures: A和B分别为X和Y."""
    names = [name for name in re.split(r"[和及与]", _SPACES.sub("", head)) if name]
    return names if len(names) == run and all(len(name) >= 2 for name in names) else []


def _run_length(sentence: str, raws: list[_Raw], index: int) -> int:
    """How many figures, from ``index`` on, are printed in one run joined by 、 or 和."""
    length = 1
    for current, following in zip(raws[index:], raws[index + 1 :], strict=False):
        between = sentence[_figure_tail(sentence, current.end) : following.start].strip()
        if between not in ("、", "和", "及", "与", "，"):
            break
        length += 1
    return length


def distribute_names(enumeration: str) -> list[str]:
    """Names joined by 、 with their shared ending written once: 失业保险、工伤保险参保人数 → each with 参保人数."""
    enumeration = _SPACES.sub("", enumeration)
    for _ in range(3):
        period = _PERIOD.match(enumeration)
        if period and period.end():
            enumeration = enumeration[period.end() :]
        enumeration = leading_term("entity_words").sub("", enumeration, count=1)
        enumeration = leading_term("leading_noise").sub("", enumeration, count=1)
    items = [item for item in enumeration.split("、") if item]
    if len(items) < 2:
        return []
    last = items[-1]
    latin = _LATIN_HEAD.match(last)
    if latin and all(_LATIN_HEAD.fullmatch(item) for item in items[:-1]):
        ending = last[latin.end() :]
    else:
        common = _common_suffix(items[:-1])
        position = last.rfind(common) if common else -1
        ending = last[position + len(common) :] if position >= 0 else ""
    return [item + ending for item in items[:-1]] + [last]


def _common_suffix(words: list[str]) -> str:
    suffix = words[0]
    for word in words[1:]:
        while suffix and not word.endswith(suffix):
            suffix = suffix[1:]
    return suffix


def _mask_parentheses(sentence: str) -> str:
    masked = sentence
    while True:
        replaced = _PARENTHESES.sub(lambda m: "\0" * len(m.group(0)), masked)
        if replaced == masked:
            return masked
        masked = replaced


def _clause_start(text: str, position: int, floor: int) -> int:
    """Where the words naming a figure begin: after the last clause mark, or the figure before.

    A 、 between words with no figure of their own joins the parts of one name
    (电力、热力、燃气及水的生产和供应业), so the search goes on past it.
    """
    index = position - 1
    while index >= floor:
        if text[index] in _CLAUSE_END:
            if text[index] != "、":
                return index + 1
            previous = index - 1
            while previous >= floor and text[previous] not in _CLAUSE_END:
                previous -= 1
            if previous < floor:
                return floor
            if text[previous] not in "，、":
                return index + 1
            index = previous
            continue
        index -= 1
    return floor


def _figure_tail(sentence: str, end: int) -> int:
    """Where the words belonging to a figure end (左右, 以上, 的 …)."""
    match = any_word("approx_after").match(sentence, end)
    return match.end() if match else end


def _strip_end(label: str, name: str) -> tuple[str, str | None]:
    return strip_ending(label, name)


def _strip_start(label: str, name: str) -> tuple[str, str | None]:
    match = word_pattern(name, "start").match(label)
    if match and match.end() > 0:
        return label[match.end() :], match.group(0)
    return label, None


@dataclass
class _Label:
    text: str
    qualifier: str | None = None
    basis: str = ""
    approx: bool = False
    period_words: list[str] = field(default_factory=list)
    entity: str | None = None


def _parse_label(label: str, context: TextContext) -> _Label:
    parsed = _cached_label(label, context)
    return _Label(parsed.text, parsed.qualifier, parsed.basis, parsed.approx, list(parsed.period_words), parsed.entity)


@lru_cache(maxsize=65536)
def _cached_label(label: str, context: TextContext) -> _Label:
    parsed = _Label(text=label)
    text = _SPACES.sub("", label)
    for _ in range(6):
        before = text
        text = text.rstrip("了")
        text, approx = _strip_end(text, "approx_before_strict")
        parsed.approx = parsed.approx or approx is not None
        text, growth_up = _strip_end(text, "growth_up")
        text, growth_down = _strip_end(text, "growth_down") if growth_up is None else (text, None)
        if growth_up or growth_down:
            parsed.qualifier = parsed.qualifier or ("下降" if growth_down else "增长")
            if (growth_up or growth_down or "").startswith(("比", "较")):
                parsed.basis = "上年"
        for difference in _DIFFERENCE:
            position = text.rfind(difference)
            if position >= 0 and position >= len(text) - 8:
                parsed.basis = text[position + len(difference) :] or parsed.basis
                parsed.qualifier = difference
                text = text[:position]
                break
        text, compared = _strip_end(text, "comparison")
        if compared:
            parsed.basis = parsed.basis or "上年"
        text, _ = _strip_end(text, "linking")
        if text == before:
            break
    inner = [m.start() for m in _CLAUSE_OPENER.finditer(text) if m.start() > 0]
    if inner:
        text = text[inner[-1] :]
    for _ in range(6):
        before = text
        period = _PERIOD.match(text)
        if period and period.end() > 0:
            parsed.period_words.append(period.group(0))
            text = text[period.end() :]
        text, noise = _strip_start(text, "leading_noise")
        entity_word, rest = _leading_entity(text, context)
        if entity_word:
            parsed.entity = parsed.entity or entity_word
            text = rest
        text = text.lstrip("，、：的")
        if text == before:
            break
    change = _CHANGE_FIRST.match(text)
    if change and len(text) > change.end():
        parsed.qualifier = parsed.qualifier or (
            "下降" if change.group(2) in ("减少", "下降", "少增", "减收") else "增长"
        )
        parsed.basis = parsed.basis or "上年"
        text = text[change.end() :]
    parsed.text = text
    return parsed


def _leading_entity(text: str, context: TextContext) -> tuple[str | None, str]:
    words = mapping("entity_words")
    match = leading_term("entity_words").match(text)
    if match:
        entity = words[match.group(0)]
        if entity in _WIDER_PLACES and entity != context.whole:
            # 全国重点文物保护单位 names a category: a wider place stays part of the indicator.
            return entity, text
        # In a county's section 全市 is that county (汝州市 is a 市), not the city the volume is about.
        return (entity if context.entity == context.whole else context.entity), text[match.end() :]
    for name in (context.entity, *context.home_names):
        if text.startswith(name):
            return context.entity, text[len(name) :]
    match = leading_words(context.places).match(text)
    if match:
        return match.group(0), text[match.end() :]
    return None, text


@lru_cache(maxsize=65536)
def normalise_indicator(label: str) -> str:
    """The comparable key of an indicator name: synonyms folded, brackets and spaces dropped."""
    key = _KEY_NOISE.sub("", _FOOTNOTE.sub("", label))
    key = _PARENTHESES.sub("", key)
    key = _GROSS_PRODUCT.sub("地区生产总值", key)
    for short, full in (("规上", "规模以上"), ("限上", "限额以上"), ("GDP", "地区生产总值")):
        key = key.replace(short, full)
    synonyms = mapping("synonyms")
    return synonyms.get(key, key)


@lru_cache(maxsize=65536)
def _scope_of(text: str) -> str:
    scopes = mapping("scope")
    return "、".join(sorted({scopes[word] for word in any_word("scope").findall(text)}))


@dataclass
class _SentenceMarks:
    """Where a sentence names periods, 以来, targets: found once, read for each of its figures."""

    periods: list[re.Match[str]]
    since: int
    target: int
    single: int = 0
    sentence: str = ""
    topic_scope: str | None = None
    opening_entity: tuple[str | None] | None = None
    organisation: str | None = None

    def topic(self, context: TextContext) -> str:
        """The scope the sentence's opening clause names as its topic, read once when a figure needs it."""
        if self.topic_scope is None:
            self.topic_scope = _topic_scope(self.sentence, context)
        return self.topic_scope

    def entity(self, prefix: str, context: TextContext) -> str | None:
        """The place opening the sentence, read once: it is the same for every figure after it."""
        if self.opening_entity is None or not prefix:
            if not prefix:
                return None
            self.opening_entity = (None if self.organisation else _sentence_entity(prefix, context),)
        return self.opening_entity[0]

    @classmethod
    def of(cls, sentence: str, masked: str) -> _SentenceMarks:
        """``masked`` is the sentence with its brackets blanked: dates in brackets (汛期（5月15日至9月30日）) explain, not set, the period."""
        periods = []
        if "年" in sentence or "月" in sentence or "季度" in sentence or "汛期" in sentence:
            periods = [
                match
                for match in (_PERIOD_DAYS if "日" in sentence else _PERIOD).finditer(sentence)
                if not _COMPARED.search(sentence, max(0, match.start() - 4), match.start())
                and not (match.groupdict().get("days") and masked[match.start()] == "\0")
            ]
        since = _SINCE.search(sentence)
        target = _TARGET_SENTENCE.search(sentence)
        single = _SINGLE_EVENT.search(sentence)
        return cls(
            periods,
            since.start() if since else len(sentence),
            target.start() if target else len(sentence),
            single.start() if single else len(sentence),
            sentence,
        )


def _period_of(position: int, marks: _SentenceMarks, label: _Label, state: _State, estimate: bool) -> str:
    year = state.year
    chosen: str | None = None
    carried = state.carried_period
    for match in marks.periods:
        if match.end() > position:
            break
        if match["full_year"]:
            chosen = carried = None
            continue
        if match["only_year"]:
            tail = match["year_tail"] or ""
            if tail in ("以来", "来", "至今"):
                chosen = f"{match['only_year']}年以来"
                continue
            if tail in ("前", "后", "起", "初"):
                continue
            year = int(match["only_year"])
            chosen = None
            continue
        chosen = _period_text(match, year)
    for word in label.period_words:
        period = _PERIOD.match(word)
        if period and period["full_year"]:
            chosen = carried = None
        elif period:
            if period["only_year"]:
                year = int(period["only_year"])
            else:
                chosen = _period_text(period, year)
    text = chosen or carried or (f"{year}年" if year else "")
    if "累计" in label.text or marks.since < position:
        text = f"{text}（累计）"
    if marks.single < position:
        text = f"{text}（此次）"
    if estimate:
        text += "（预计）"
    elif marks.target < position or _TARGET_CLAUSE.match(label.text):
        text += "（目标）"
    return text


def _period_text(match: re.Match[str], year: int | None) -> str:
    if match["year"]:
        year = int(match["year"])
    prefix = f"{year}年" if year else ""
    if match["m1"]:
        return f"{prefix}{int(match['m1'])}—{int(match['m2'])}月"
    if match["part"]:
        return f"{prefix}{match['part']}"
    if match["month"]:
        month = int(match["month"])
        return f"{prefix}末" if month == 12 else f"{prefix}{month}月末"
    if match.groupdict().get("days"):
        days = match["days"].replace("–", "—").replace("-", "—")
        return f"{prefix}末" if days == "12月31日" else f"{prefix}{days}"
    if match["end"]:
        return f"{prefix}末"
    return prefix


def _attributive(sentence: str, raw: _Raw, label: _Label) -> tuple[str, str] | None:
    """A figure that describes the thing named after it: (entity, indicator) or None."""
    verbs = mapping("attributive_verbs")
    verb = strip_ending(label.text, "attributive_verbs")[1]
    if label.text and verb is None and not label.text.endswith("的"):
        return None
    rest = sentence[_figure_tail(sentence, raw.end) :]
    rest = rest.lstrip("的")
    rest = _LEADING_FIGURE.sub("", rest) if verb else rest
    phrase = _NOUN_PHRASE.match(rest)
    if not phrase:
        return None
    words = phrase.group(0)
    head = any_word("attributive_heads").search(words, 1)
    head_at = head.end() if head else -1
    if head_at > 0:
        words = words[:head_at]
    elif verb is None:
        return None
    else:
        words = _ENUMERATION.split(words)[0]
    entity = project_key(words)
    if len(entity) < 2 or _DIGITS.match(entity):
        return None
    indicator = verbs[verb] if verb else "年产能" if raw.unit and raw.unit.dimension in ("energy", "weight") else "规模"
    return entity, indicator


def project_key(words: str) -> str:
    """A project's name without adjectives, phases and the word 项目, for matching its mentions."""
    words = _PARENTHESES.sub("", words)
    words = leading_term("attributive_adjectives").sub("", words, count=1)
    return _PROJECT_WORD.sub("", words)


def _figure(
    sentence: str,
    offset: int,
    raw: _Raw,
    label_text: str,
    context: TextContext,
    state: _State,
    earlier: list[Figure],
    estimate: bool,
    inside: bool,
    marks: _SentenceMarks,
) -> Figure:
    previous = earlier[-1] if earlier else None
    label = _parse_label(label_text, context)
    unit = raw.unit
    assert unit is not None
    prefix = sentence[: raw.start]
    kind = _kind(unit, label)
    meaning = _meaning(sentence, raw, label, kind, state, previous, bool(_HAVING.search(label_text)))
    named = meaning.entity or marks.entity(prefix, context)
    if named == context.entity and state.sentence_organisation:
        named = None
    entity = named or context.entity
    number = -raw.number if kind == "growth" and label.qualifier == "下降" and raw.number > 0 else raw.number
    scope = _scope_of(label.text + "|" + _clause_scope_context(sentence, raw.start))
    if not scope and previous is not None and "其中" in prefix and not label_text.lstrip().startswith("全部"):
        # 其中A…；B…: every part keeps the whole's scope, unless it says it is about all (全部工业增加值).
        scope = previous.scope
    if not scope:
        scope = marks.topic(context)
    if kind == "rank":
        scope = "、".join(filter(None, [scope, (raw.rank_scope or "") + "排名"]))
    whole = _whole_of(sentence, raw, kind, inside, earlier, state)
    figure = Figure(
        start=offset + raw.start,
        end=offset + raw.end,
        value_as_printed=raw.printed,
        number=number,
        unit=unit.name,
        base_value=in_base_unit(number, unit),
        base_unit=unit.base,
        dimension=unit.dimension,
        kind=kind,
        indicator=meaning.indicator,
        indicator_as_printed=meaning.printed,
        entity=entity,
        period=_period_of(raw.start, marks, label, state, estimate),
        scope=scope,
        qualifier=label.qualifier,
        basis=label.basis,
        approx=_approximate(sentence, raw, label),
        estimate=estimate,
        decimals=raw.decimals,
        sentence=sentence.strip(),
        sentence_start=offset,
        subject=meaning.subject,
        parent=meaning.parent,
        organisation=_organisation_of(named, meaning, state),
        per=raw.per,
        whole=whole,
        ratio_parts=raw.ratio_parts,
        ratio_index=raw.ratio_index,
    )
    if (
        kind in ("level", "count")
        and whole is None
        and not meaning.subject
        and meaning.parent is None
        and len(meaning.indicator) >= 3
    ):
        state.parent = figure
    return figure


@dataclass
class _Meaning:
    indicator: str
    printed: str
    entity: str | None = None
    subject: str | None = None
    parent: str | None = None
    source: Figure | None = None


def _meaning(
    sentence: str, raw: _Raw, label: _Label, kind: str, state: _State, previous: Figure | None, having: bool = False
) -> _Meaning:
    """What a figure measures: its own words, the project named after it, or the figure it speaks of."""
    unit = raw.unit
    assert unit is not None
    if unit.dimension not in ("percent", "permille", "percentage_points", "rank"):
        attributive = _attributive(sentence, raw, label)
        if attributive:
            subject, indicator = attributive
            return _Meaning(indicator, label.text or indicator, entity=subject, subject=subject)
    production = _PRODUCTION.match(label.text)
    if production and unit.dimension in _PRODUCED:
        label.text = production.group(1) + "产量"
    indicator = normalise_indicator(label.text)
    meaning = _Meaning(indicator, label.text, entity=label.entity)
    if label.text.startswith("占") and previous is not None:
        meaning.indicator = normalise_indicator(previous.indicator + label.text)
    elif (
        not indicator
        and kind == "count"
        and (counted := _COUNTED_NOUN.match(sentence, _figure_tail(sentence, raw.end)))
    ):
        # The figure counts the words after it, not what the figure before measures: 平顶山市有8项国家级非物质文化遗产
        # names them when the clause ends there; 6个乡（镇）入选… is left unnamed rather than guessed.
        whole_clause = sentence[counted.end() : counted.end() + 1] in _CLAUSE_CLOSERS
        meaning.indicator = normalise_indicator(counted.group(0)) if having and whole_clause else ""
    elif indicator in _GENERIC or not _HAN.search(indicator) or len(indicator) < 2:
        source = previous
        if source is None and kind == "growth" and not indicator and raw.start < 8:
            source = state.previous_sentence_last
        if source is not None:
            meaning.source = source
            meaning.indicator = source.indicator
            if indicator in _TOTALS and source.indicator.startswith(_NEW):
                # 新增上云企业1626家，总数达到8460家: the total is of all of them, not of the new ones.
                meaning.indicator = source.indicator[len(_NEW) :]
            meaning.entity = meaning.entity or source.entity
            meaning.subject = source.subject
    elif (
        (len(indicator) <= 2 or set(_scope_of(indicator).split("、")) >= {indicator})
        and state.parent is not None
        and state.parent.dimension == unit.dimension
        and kind != "growth"
    ):
        meaning.parent = state.parent.indicator
        meaning.indicator = f"{state.parent.indicator}（{indicator}）"
        meaning.entity = meaning.entity or state.parent.entity
    return meaning


def _organisation_of(named: str | None, meaning: _Meaning, state: _State) -> str | None:
    """The body whose own figure this is: the one its sentence or paragraph opens with, unless a place is named."""
    if meaning.source is not None:
        return meaning.source.organisation
    if named:
        return None
    return state.sentence_organisation or state.paragraph_organisation


def _approximate(sentence: str, raw: _Raw, label: _Label) -> bool:
    after = sentence[raw.end : raw.end + 3]
    return (
        raw.approx_inside
        or label.approx
        or bool(any_word("approx_after").match(after))
        or bool(_APPROX_BEFORE.search(sentence[max(0, raw.start - 3) : raw.start]))
    )


def _whole_of(sentence: str, raw: _Raw, kind: str, inside: bool, earlier: list[Figure], state: _State) -> Figure | None:
    """The total a figure is printed as part of: the figure before 其中 (or before （含…）)."""
    unit = raw.unit
    if kind not in ("level", "count") or unit is None:
        return None
    if inside:
        opening = sentence.rfind("（", 0, raw.start)
        if not sentence.startswith(("含", "其中"), opening + 1):
            return None
        candidates = [f for f in earlier if f.end - f.sentence_start <= opening]
        if candidates and candidates[-1].kind in ("level", "count"):
            # 城镇职工参保人数91.70万人（含在职人员67.71万人…）: the bracket breaks down the figure just before it.
            last = candidates[-1]
            return last if last.dimension == unit.dimension and last.kind == kind else None
    else:
        if "其中" not in sentence:
            return None
        masked = _mask_parentheses(sentence[: raw.start])
        position = masked.rfind("其中")
        if position < 0 or "；" in masked[position : raw.start]:
            return None
        candidates = [f for f in earlier if f.end - f.sentence_start <= position]
        if not candidates and position <= 2:
            candidates = list(state.previous_sentence_figures)
    for figure in reversed(candidates):
        if figure.kind in ("level", "count") and figure.whole is None:
            return figure if figure.dimension == unit.dimension and figure.kind == kind else None
    return None


def _clause_scope_context(sentence: str, position: int) -> str:
    """Scope words said earlier in the sentence for what follows (在规模以上工业中, 分城乡看)."""
    if "中" not in sentence[:position]:
        return ""
    match = _WITHIN.search(sentence, 0, position)
    return match.group(0) if match else ""


_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _subject_verbs() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, longest_first(terms()["organisation_subject_verbs"]))))


@lru_cache(maxsize=1)
def _subject_endings() -> tuple[str, ...]:
    return tuple(terms()["organisation_subject_endings"])


_SUBJECT_OPENING = re.compile(rf"(?:(?:截至|截止)?{_YEAR}年(?:\d{{1,2}}月)?[底末]?[，,]?)?")


def organisation_subject(text: str, home_names: frozenset[str]) -> str | None:
    """The body a sentence or paragraph reports on: 平顶山市农业农村局35个政务服务事项… → 市农业农村局.

    The volume's place followed by the name of a bureau, committee, company …
    is that body, and its figures (its 35 services, its members) are its own,
    not the place's.  The place's leading bodies (市委, 市政府) speak for the
    whole place and are not reported.
    """
    return _organisation_subject(text[:48], home_names)


@lru_cache(maxsize=8192)
def _organisation_subject(text: str, home_names: frozenset[str]) -> str | None:
    opening = _home_opening(home_names).match(_SPACES.sub("", text) if " " in text else text)
    if opening is None:
        return None
    prefix = opening.group("home")
    rest = opening.string[opening.end() : opening.end() + 16]
    stop = len(rest)
    for pattern in (_NOT_HAN, _subject_verbs()):
        found = pattern.search(rest)
        if found:
            stop = min(stop, found.start())
    endings = _subject_endings()
    candidates = [rest[:end] for end in range(1, stop + 1) if rest[:end].endswith(endings)]
    if not candidates:
        return None
    chosen = candidates[0]
    for candidate in candidates[1:]:
        if len(candidate) - len(chosen) > 4:
            break
        chosen = candidate
    if chosen in terms()["organisation_subject_leading_bodies"]:
        return None
    shorts = [name[-1] for name in home_names if name]
    short = prefix[-1] if prefix[-1] in "市县区州旗盟" else (shorts[0] if shorts else "")
    return short + chosen


@lru_cache(maxsize=64)
def _home_opening(home_names: frozenset[str]) -> re.Pattern[str]:
    """A sentence's opening (2023年，) and the volume's place (平顶山市, 平顶山, 市)."""
    names = {
        *home_names,
        *(name[:-1] for name in home_names if len(name) > 2),
        *(name[-1] for name in home_names if name),
    }
    alternatives = "|".join(map(re.escape, longest_first(sorted(names))))
    return re.compile(rf"{_SUBJECT_OPENING.pattern}(?P<home>{alternatives})" if alternatives else r"(?!)")


def _topic_scope(sentence: str, context: TextContext) -> str:
    """The scope a sentence's opening clause names as its topic, when that clause holds no figure.

    全市河流水质评价状况为良好，Ⅰ～Ⅲ类…83.3%: the figures are the rivers'.  The
    clause must open with the scope word (after the place): 推进乡村文化振兴，…
    names an aim, not the population measured.
    """
    start = 0
    for _ in range(3):
        mark = _CLAUSES.search(sentence, start)
        clause = sentence[start : mark.start() if mark else len(sentence)].strip()
        period = _PERIOD.match(clause)
        rest = clause[period.end() :] if period else clause
        if rest:
            if _DIGITS.search(rest):
                return ""
            _, rest = _leading_entity(rest, context)
            opening = leading_term("scope").match(rest)
            return mapping("scope")[opening.group(0)] if opening else ""
        if mark is None:
            return ""
        start = mark.end()
    return ""


def _sentence_entity(prefix: str, context: TextContext) -> str | None:
    """A place or 全省/全国 that opens a clause of the sentence before the figure."""
    first = _CLAUSES.split(prefix, maxsplit=1)[0]
    if _PERIOD.fullmatch(first.strip()) and "，" in prefix:
        first = _CLAUSES.split(prefix, maxsplit=2)[1]
    first = _PERIOD.sub("", first, count=1)
    entity, _ = _leading_entity(first.strip(), context)
    return entity


def _kind(unit: Unit, label: _Label) -> str:
    if unit.dimension == "rank":
        return "rank"
    if unit.dimension == "percentage_points":
        return "growth"
    if label.qualifier:
        return "growth"
    if unit.dimension in ("percent", "permille", "ratio"):
        return "share"
    if unit.kind == "count":
        return "count"
    return "level"
