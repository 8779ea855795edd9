"""Reading the clauses of alert plans and funding standards.

Every function takes text already folded with NFKC (full-width ``＞`` is
``>``, ``（`` is ``(``, ``Ⅲ`` is ``III``), see
:func:`fangzhi.text.located.normalize_with_offsets`, and returns what it read
with the span it read it from, so callers can cite the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from fangzhi.rules import words
from fangzhi.rules.conditions import AllOf, AnyOf, Condition, Threshold, Unread
from fangzhi.text.dates import read_number
from fangzhi.text.plural import counted

NUMBER = r"\d+(?:\.\d+)?"
CHINESE_NUMBER = r"[零〇一二两三四五六七八九十百]+"
_LATIN_OR_DIGIT = r"A-Za-z0-9"


def to_number(text: str) -> float | None:
    """An Arabic or Chinese numeral as a number (``48``, ``2.5``, ``三``, ``两``, ``十二``)."""
    text = text.strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        value = read_number(text)
        return None if value is None else float(value)


def plain(value: float) -> float | int:
    """``48.0`` as ``48`` for output; fractional values stay as they are."""
    return int(value) if float(value).is_integer() else value


# --- levels -------------------------------------------------------------------------------------------


def _numeral() -> str:
    return rf"(?<![{_LATIN_OR_DIGIT}])(?:{words.response_levels().pattern})(?![A-Za-z])"


@dataclass(frozen=True)
class LevelMention:
    """An alert level named in a text: 黄色预警, Ⅲ级(黄色)预警, 三级预警(黄色), 黄色预警(Ⅲ级)."""

    start: int
    end: int
    level: str
    numeral: str | None


@cache
def _level_pattern() -> re.Pattern[str]:
    numeral = _numeral()
    color = words.alert_levels().pattern
    return re.compile(
        rf"(?:(?P<n1>{numeral})\s*级\s*\(\s*)?(?P<c1>{color})\s*(?:\)\s*)?"
        rf"(?:\(\s*(?P<n2>{numeral})\s*级\s*\)\s*)?预警(?:\s*\(\s*(?P<n3>{numeral})\s*级\s*\))?"
        rf"|(?P<n4>{numeral})\s*级\s*预警\s*\(\s*(?P<c2>{color})\s*(?:预警)?\s*\)"
    )


def level_mentions(text: str) -> list[LevelMention]:
    found = []
    for match in _level_pattern().finditer(text):
        color = match.group("c1") or match.group("c2")
        numeral = next((match.group(name) for name in ("n1", "n2", "n3", "n4") if match.group(name)), None)
        found.append(
            LevelMention(
                start=match.start(),
                end=match.end(),
                level=words.alert_levels().key(color) or color,
                numeral=words.response_levels().key(numeral) if numeral else None,
            )
        )
    return found


def response_mentions(text: str, require_response_word: bool = True) -> list[tuple[int, int, str]]:
    """Response levels named in a text: ``Ⅲ级应急响应``, ``III级响应`` (or any ``Ⅲ级`` when not required)."""
    tail = r"\s*级\s*(?:\([^()]{1,6}\))?\s*(?:应急)?\s*响应" if require_response_word else r"\s*级"
    pattern = re.compile(rf"(?P<numeral>{_numeral()}){tail}")
    return [
        (match.start(), match.end(), words.response_levels().key(match.group("numeral")) or "")
        for match in pattern.finditer(text)
    ]


def level_order(text: str) -> list[str] | None:
    """The order a plan gives its levels in (``由低到高分为黄色、橙色和红色预警三级``), lowest first."""
    match = re.search(r"由(?P<from>低|高)(?:到|至)(?:高|低)(?:依次)?(?:分为|划分为|为)(?P<list>[^。;；]{2,60})", text)
    if not match:
        return None
    colors = re.findall(words.alert_levels().pattern, match.group("list"))
    if len(colors) < 2:
        return None
    keys = [words.alert_levels().key(color) or color for color in colors]
    return keys if match.group("from") == "低" else list(reversed(keys))


# --- conditions ---------------------------------------------------------------------------------------

_UNLESS = re.compile(
    r"[,，;；]?\s*(?:且|并且|同时|但)?\s*(?:尚)?(?:未|不|没有)(?:达到|满足|符合|触发)(?:更|较)?高(?:一)?级(?:别)?的?(?:预警)?(?:启动)?(?:条件|标准)?(?:时)?"
)
_OR = re.compile(r"[;；,，]?\s*(?:或者|或)\s*")
_AND = re.compile(r"[;；,，]?\s*(?:并且|且|同时)\s*")
# Words that contain 或 or 且 without joining two conditions.
_MASKED = ("大于或等于", "小于或等于", "或以上", "或以下")
_DURATION_UNITS = r"个小时|小时|个工作日|天|日|h"
_DURATION = re.compile(
    rf"(?:将)?(?:持续|连续|维持|累计)\s*(?P<n>{NUMBER}|{CHINESE_NUMBER})\s*(?P<unit>{_DURATION_UNITS})"
    rf"(?:\s*\(\s*(?P<n2>{NUMBER}|{CHINESE_NUMBER})\s*(?P<unit2>{_DURATION_UNITS})\s*\))?"
    r"\s*(?P<suffix>及以上|或以上|以上|及以下|以下|以内)?"
)
_AHEAD = re.compile(rf"未来\s*(?P<n>{NUMBER}|{CHINESE_NUMBER})\s*(?P<unit>{_DURATION_UNITS})(?:内)?")
_RANGE = re.compile(rf"(?:在)?\s*(?P<low>{NUMBER})\s*(?:-|~|～|—|–|至|到)\s*(?P<high>{NUMBER})(?:\s*之间)?")


@cache
def _operator_pattern() -> re.Pattern[str]:
    comparisons = words.alternation(list(words.comparison_words()))
    suffixes = words.alternation(list(words.suffix_words()))
    return re.compile(
        rf"(?P<op>{comparisons})\s*(?P<value>{NUMBER})(?:\s*(?P<suffix>{suffixes}))?"
        rf"|(?P<value2>{NUMBER})\s*(?P<suffix2>{suffixes})"
    )


@dataclass
class ConditionReading:
    """A condition as read, with whether the "unless a higher level is met" clause was there."""

    condition: Condition
    unless_higher: bool
    unless_as_printed: str | None = None
    problems: list[str] = field(default_factory=list)


def has_comparison(text: str) -> bool:
    """Does the text hold an indicator compared with a number (``日AQI>200``, ``AQI日均值达到500``)?"""
    indicator = words.alternation(list(words.alert_indicators()))
    return bool(re.search(indicator, text)) and bool(_operator_pattern().search(text) or _RANGE.search(text))


def parse_condition(text: str, default_indicator: str | None = None) -> ConditionReading:
    """Read ``预测日AQI>200或日AQI>150持续48小时以上，且未达到高级别预警条件时`` into a condition tree.

    或 binds looser than 且, as plans write them: ``A且B；或C`` is (A and B) or C.
    """
    unless = _UNLESS.search(text)
    body = text
    if unless:
        body = text[: unless.start()] + text[unless.end() :]
    body = body.strip(" :：,，。;；、")
    for index, word in enumerate(_MASKED):
        body = body.replace(word, f"\x00{index}\x00")
    alternatives = []
    problems: list[str] = []
    indicator = default_indicator
    for alternative in _OR.split(body):
        conjuncts = []
        for part in _AND.split(alternative):
            for index, word in enumerate(_MASKED):
                part = part.replace(f"\x00{index}\x00", word)
            part = part.strip(" :：,，。;；、")
            if not part:
                continue
            threshold, problem = parse_threshold(part, indicator)
            if isinstance(threshold, Threshold):
                indicator = threshold.indicator
            if problem:
                problems.append(problem)
            conjuncts.append(threshold)
        if conjuncts:
            alternatives.append(conjuncts[0] if len(conjuncts) == 1 else AllOf(conjuncts))
    if not alternatives:
        condition: Condition = Unread(text)
        problems.append(f"no condition found in {text!r}")
    elif len(alternatives) == 1:
        condition = alternatives[0]
    else:
        condition = AnyOf(alternatives)
    return ConditionReading(condition, bool(unless), unless.group(0).strip(" ,，;；") if unless else None, problems)


def parse_duration(text: str) -> tuple[float | None, str | None, str | None, tuple[int, int] | None]:
    """(hours, operator, as printed, span) of the first duration in a text, or Nones."""
    match = _DURATION.search(text)
    if match is None:
        match = _AHEAD.search(text)
        if match is None:
            return None, None, None, None
    amount = to_number(match.group("n"))
    if amount is None:
        return None, None, match.group(0), match.span()
    hours = amount * words.duration_units().get(match.group("unit"), 1)
    groups = match.groupdict()
    operator = ">="
    suffix = groups.get("suffix")
    if suffix and words.suffix_words().get(suffix) == "<=":
        operator = "<="
    return hours, operator, match.group(0), match.span()


def parse_threshold(text: str, default_indicator: str | None = None) -> tuple[Condition, str | None]:
    """One comparison with its optional duration, or :class:`Unread` with the reason."""
    indicators = words.alert_indicators()
    indicator_match = re.search(words.alternation(list(indicators)), text)
    indicator = indicators[indicator_match.group(0)] if indicator_match else default_indicator
    if indicator is None:
        return Unread(text), f"no indicator named in {text!r}"
    spans: list[tuple[int, int]] = [indicator_match.span()] if indicator_match else []
    comparison = _operator_pattern().search(text)
    ranged = _RANGE.search(text)
    if ranged and (comparison is None or ranged.start() < comparison.start()):
        operator, value, upper = "between", float(ranged.group("low")), float(ranged.group("high"))
        spans.append(ranged.span())
        after = ranged.end()
    elif comparison:
        if comparison.group("op"):
            operator = words.comparison_words()[comparison.group("op")]
            value = float(comparison.group("value"))
            if comparison.group("suffix") and operator in (">", "<"):
                operator = words.suffix_words()[comparison.group("suffix")]
        else:
            operator = words.suffix_words()[comparison.group("suffix2")]
            value = float(comparison.group("value2"))
        if operator not in (">", ">=", "<", "<="):
            return Unread(text), f"comparison {comparison.group(0)!r} is not exact"
        upper = None
        spans.append(comparison.span())
        after = comparison.end()
    else:
        return Unread(text), f"no comparison found in {text!r}"
    hours, duration_operator, duration_printed, duration_span = parse_duration(text[after:])
    if duration_span is None:
        hours, duration_operator, duration_printed, duration_span = parse_duration(text[:after])
        if duration_span:
            spans.append(duration_span)
    else:
        spans.append((after + duration_span[0], after + duration_span[1]))
    if duration_printed and hours is None:
        return Unread(text), f"duration {duration_printed!r} not understood"
    if duration_operator == "<=":
        return Unread(text), f"an upper bound on a duration ({duration_printed}) is not supported"
    threshold = Threshold(
        indicator=indicator,
        operator=operator,
        value=value,
        upper=upper,
        hours=hours if hours is not None else 24,
        duration_as_printed=duration_printed,
        as_printed=text,
    )
    leftover = _leftover(text, spans)
    problem = f"words not read in {text!r}: {leftover}" if leftover else None
    return threshold, problem


def _leftover(text: str, spans: list[tuple[int, int]]) -> str:
    kept = "".join(char for index, char in enumerate(text) if not any(start <= index < end for start, end in spans))
    for filler in words.condition_fillers():
        kept = kept.replace(filler, "")
    return re.sub(r"[\s\W_\d]+", "", kept)


def clean_condition_text(text: str) -> str:
    """The condition part of a level clause, without lead-in words (当, 预测 … 时, 启动)."""
    text = text.strip(" :：,，。;；、")
    text = re.sub(r"^(?:标准|条件|分级标准|启动条件)\s*[:：]?", "", text)
    text = re.sub(r"(?:[,，]?\s*(?:应当|应|即|则|可)?(?:启动|发布)(?:相应)?(?:的)?)$", "", text)
    text = re.sub(r"^(?:[,，]?(?:当|如|若|凡))", "", text)
    text = re.sub(r"(?:之)?时$", "", text.strip(" :：,，。;；、"))
    return text.strip(" :：,，。;；、")


def averaging_hours(text: str) -> float | None:
    """The averaging window of the index (``按照连续24小时（可以跨自然日）均值计算``)."""
    match = re.search(rf"连续\s*(?P<n>{NUMBER})\s*小时[^。;；]{{0,20}}?均值", text)
    return float(match.group("n")) if match else None


def forecast_basis(text: str) -> str | None:
    """Which end of a forecast range decides the level (``按照空气质量预报结果上限确定预警级别``)."""
    match = re.search(r"预报(?:结果)?(?:的)?(?P<end>上限|下限|中值|均值)", text)
    if not match:
        return None
    return {"上限": "upper", "下限": "lower"}.get(match.group("end"), "middle")


# --- emission cuts ------------------------------------------------------------------------------------


@dataclass
class CutReading:
    """Emission cuts of one sentence: per level key (colour or response numeral), per pollutant."""

    cuts: list[tuple[str, str, float, str, tuple[int, int]]] = field(default_factory=list)
    problem: str | None = None


def emission_cuts(sentence: str) -> CutReading:
    """Read ``二氧化硫、氮氧化物…在Ⅲ级、Ⅱ级、Ⅰ级预警级别减排比例分别达到10%、20%和30%以上``."""
    reading = CutReading()
    percents = list(re.finditer(rf"(?P<value>{NUMBER})\s*%", sentence))
    if not percents or "减排" not in sentence:
        return reading
    levels: list[tuple[int, str]] = [(mention.start, mention.level) for mention in level_mentions(sentence)]
    covered = [(mention.start, mention.end) for mention in level_mentions(sentence)]
    for start, _end, numeral in response_mentions(sentence, require_response_word=False):
        if not any(low <= start < high for low, high in covered):
            levels.append((start, numeral))
    bare_colors = re.finditer(words.alert_levels().pattern, sentence)
    for match in bare_colors:
        if not any(low <= match.start() < high for low, high in covered):
            levels.append((match.start(), words.alert_levels().key(match.group(0)) or match.group(0)))
    levels.sort()
    pollutants = words.pollutants()
    named = []
    for match in re.finditer(pollutants.pattern, sentence):
        key = pollutants.key(match.group(0))
        if key and key not in named:
            named.append(key)
    if not named:
        reading.problem = "no pollutant named"
        return reading
    tail = sentence[percents[-1].end() : percents[-1].end() + 4]
    printed_operator = "以上" if tail.startswith(("以上", "及以上")) else ("不低于" if "不低于" in sentence else "")
    operator = ">=" if printed_operator or "达到" in sentence else "="
    level_keys = [key for _, key in levels]
    values = [float(match.group("value")) for match in percents]
    if len(level_keys) == len(values) and (len(values) == 1 or "分别" in sentence):
        pairs = list(zip(level_keys, values, percents, strict=True))
    elif len(level_keys) == 1 and len(values) == len(named) and "分别" in sentence:
        for pollutant, value, match in zip(named, values, percents, strict=True):
            reading.cuts.append((level_keys[0], pollutant, value, operator, match.span()))
        return reading
    else:
        reading.problem = f"{counted(len(level_keys), 'level')} and {counted(len(values), 'percentage')} do not pair up"
        return reading
    for level, value, match in pairs:
        for pollutant in named:
            reading.cuts.append((level, pollutant, value, operator, match.span()))
    return reading


# --- funding standards --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    category: str
    as_printed: str
    amount: float
    unit: str
    yuan: float
    per_year: bool
    span: tuple[int, int]


def funding_rates(sentence: str) -> list[Rate]:
    """Per-kilometre rates: ``县道每年每公里10000元``, ``乡道每公里每年0.5万元``, ``村道不低于每公里3000元/年``."""
    classes = words.road_classes()
    money = words.alternation(list(words.money_units()))
    pattern = re.compile(
        rf"(?P<category>{classes.pattern})(?:养护)?(?:资金|经费)?(?:按照?)?(?:不低于|不少于)?"
        rf"(?P<pre>(?:每年|年均)?每(?:公里|千米)(?:每年|年均)?)\s*(?:不低于|不少于)?\s*"
        rf"(?P<amount>{NUMBER})\s*(?P<unit>{money})(?P<post>\s*/\s*(?:公里|千米)?\s*[·.]?\s*年|/年)?"
    )
    rates = []
    for match in pattern.finditer(sentence):
        unit = match.group("unit")
        amount = float(match.group("amount"))
        yuan = float(Decimal(match.group("amount")) * words.money_units()[unit])
        per_year = "年" in match.group("pre") or bool(match.group("post"))
        rates.append(
            Rate(
                category=classes.key(match.group("category")) or match.group("category"),
                as_printed=match.group(0),
                amount=amount,
                unit=unit,
                yuan=yuan,
                per_year=per_year,
                span=match.span(),
            )
        )
    return rates


@dataclass(frozen=True)
class Split:
    levels: list[str]
    labels: list[str]
    ratio: list[float]
    as_printed: str
    span: tuple[int, int]


def funding_split(sentence: str) -> Split | None:
    """A cost split between levels of government: ``省、市、县三级按照2：2：6的比例配套``."""
    government = words.government_levels()
    level = rf"(?:{government.pattern})"
    pattern = re.compile(
        rf"(?P<levels>{level}(?:\s*[、,，和及与]\s*{level})+)\s*(?:{CHINESE_NUMBER}|\d)?\s*级?(?:财政|政府)?"
        rf"[^。;；\d]{{0,12}}?(?P<ratio>{NUMBER}(?:\s*:\s*{NUMBER})+)\s*的?\s*比例"
    )
    match = pattern.search(sentence)
    if not match:
        return None
    labels = [part.strip() for part in re.split(r"[、,，和及与]", match.group("levels")) if part.strip()]
    ratio = [float(part) for part in re.split(r"\s*:\s*", match.group("ratio"))]
    return Split(
        levels=[government.key(label) or label for label in labels],
        labels=labels,
        ratio=ratio,
        as_printed=match.group(0),
        span=match.span(),
    )


@cache
def _minimum_words() -> str:
    return words.alternation(words.vocabulary()["minimum_words"])


def minimum_word(sentence: str) -> str | None:
    """The word that makes a standard a floor (不得低于, 不低于, 不少于), if the sentence has one."""
    match = re.search(_minimum_words(), sentence)
    return match.group(0) if match else None


def without_minimum_word(text: str) -> str:
    """A standard's subject without the floor word it ends with (…养护资金不低于 → …养护资金)."""
    return re.sub(f"(?:{_minimum_words()})$", "", text)
