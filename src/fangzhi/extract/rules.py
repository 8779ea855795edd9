"""Rule sets read out of plans: heavy-pollution alert plans and funding standards.

An alert plan (重污染天气应急预案) follows a national layout: level clauses
(``黄色预警：预测日AQI>200或…``), a response level for each alert level, the
emission cuts per level, measures per response level with the units that
carry them out, a list of units and their duties, and clauses for issuing,
adjusting and lifting an alert.  Each is found by its shape anywhere in the
document and read with :mod:`fangzhi.rules.grammar`; what was read is stored
as one ``rule_set`` fact with every element cited to its node, section and
line.  What could not be interpreted is kept as printed and reported as a
:class:`~fangzhi.model.ParseWarning`.

A funding standard (``县道每年每公里10000元…省、市、县三级按照2：2：6的比例配套``)
becomes a ``rule_set`` of type ``maintenance_funding``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fangzhi.extract.plans import PlanText, plans, text_blocks
from fangzhi.model import Document, DocumentAttributes, DocumentSectionAttributes, Fact, Node, NodeKind, ParseWarning
from fangzhi.rules import grammar, words
from fangzhi.rules.conditions import thresholds, unread_parts
from fangzhi.rules.owners import NUMBER_PREFIX, actors, match_units, owner_suffixes
from fangzhi.text.located import normalize_with_offsets
from fangzhi.text.plural import counted

EXTRACTOR = "rules.v1"
ALERT = "heavy_pollution_alert"
FUNDING = "maintenance_funding"

_SENTENCE_END = re.compile(r"[。;；]")
# A level heading with nothing after it but its number (``（一）黄色预警``): the condition follows.
_HEADING_SLACK = 8


@dataclass(kw_only=True)
class Unit(PlanText):
    """A paragraph or a section's own text, with the section it sits in (``sections``: ids, outermost first)."""

    section: Node | None
    sections: tuple[str, ...] = ()

    def cite(self, start: int = 0, end: int | None = None) -> dict[str, Any]:
        end = len(self.normalized.text) if end is None else end
        return {
            "node": self.node.id,
            "section": DocumentSectionAttributes.of(self.section).number if self.section else None,
            "section_title": self.section.title if self.section else None,
            "line": self.line(start),
            "text": self.printed(start, end).strip(),
        }

    def sentences(self) -> Iterator[tuple[int, int, str]]:
        """(start, end, text) of each sentence of the normalised text."""
        text = self.normalized.text
        start = 0
        for match in _SENTENCE_END.finditer(text + "。"):
            end = match.start()
            if text[start:end].strip():
                yield start, end, text[start:end]
            start = match.end()


def extract_rules(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    for plan in plans(document):
        units = list(_units(document, plan))
        alert = _alert_rule_set(document, plan, units)
        if alert is not None:
            facts.append(alert)
        facts.extend(_funding_rule_sets(document, plan, units))
    return facts


def _units(document: Document, plan: Node) -> Iterator[Unit]:
    for node, sections in text_blocks(plan):
        yield Unit.of(
            node,
            document,
            section=sections[-1] if sections else None,
            sections=tuple(section.id for section in sections),
        )


def _document_fields(plan: Node) -> dict[str, Any]:
    attributes = DocumentAttributes.of_any(plan)
    return {
        "doc_no": attributes.doc_no,
        "document_title": plan.title,
        "plan_title": attributes.attachment_title or plan.title,
        "issuer": attributes.issuer,
        "date": attributes.date,
    }


def _warning(code: str, message: str, line: int | None) -> ParseWarning:
    return ParseWarning(code=code, message=message, line=line)


# --- alert plans --------------------------------------------------------------------------------------


def _alert_rule_set(document: Document, plan: Node, units: list[Unit]) -> Fact | None:
    warnings: list[ParseWarning] = []
    levels = _level_clauses(units, warnings)
    if not levels:
        return None
    order, order_citation = _level_order(units)
    rank = {key: index for index, key in enumerate(order)}
    for level in levels:
        if level["level"] not in rank:
            rank[level["level"]] = len(rank)
    levels.sort(key=lambda level: rank[level["level"]])
    for level in levels:
        level["rank"] = rank[level["level"]] + 1
    _response_levels(units, levels, warnings)
    by_numeral = {level["response_level"]: level["level"] for level in levels if level.get("response_level")}
    cuts, cut_notes = _emission_cuts(units, by_numeral, warnings)
    procedures = _procedures(units)
    duties = _duties(units)
    measures = _measures(units, by_numeral, duties)
    averaging = _first(units, grammar.averaging_hours)
    basis = _first(units, grammar.forecast_basis)
    indicators = sorted({threshold.indicator for level in levels for threshold in thresholds(level["condition_tree"])})
    for level in levels:
        level.pop("condition_tree")
        if not cuts.get(level["level"]):
            warnings.append(
                _warning("rule_no_emission_cuts", f"no emission cuts found for {level['label']}预警", level["line"])
            )
    data = {
        "type": ALERT,
        **_document_fields(plan),
        "indicator": indicators[0] if len(indicators) == 1 else indicators,
        "averaging_hours": averaging,
        "forecast_basis": basis,
        "level_order": {"levels": [key for key in sorted(rank, key=rank.get)], "citation": order_citation},
        "levels": levels,
        "emission_cuts": cuts,
        "emission_cut_notes": cut_notes,
        "measures": measures,
        "units": duties,
        **procedures,
    }
    first = min(level["line"] for level in levels)
    return Fact(
        kind="rule_set",
        volume=document.volume.id,
        node_id=plan.id,
        line_start=max(plan.line_start, 1),
        line_end=max(plan.line_end, plan.line_start, 1),
        page=plan.page,
        data={**data, "line": first},
        extractor=EXTRACTOR,
        warnings=list(warnings),
    )


def _level_clauses(units: list[Unit], warnings: list[ParseWarning]) -> list[dict[str, Any]]:
    """Every level clause (``黄色预警：…``), read into a condition; the first clause of a level wins."""
    found: dict[str, dict[str, Any]] = {}
    pending: tuple[Unit, grammar.LevelMention] | None = None
    for unit in units:
        text = unit.normalized.text
        mentions = grammar.level_mentions(text)
        if not grammar.has_comparison(text):
            pending = None
            if len(mentions) == 1 and _is_bare_heading(text, mentions[0]):
                pending = (unit, mentions[0])
            continue
        segments: list[tuple[grammar.LevelMention, int, int, Unit]] = []
        if not mentions and pending is not None:
            segments.append((pending[1], 0, len(text), unit))
        elif mentions:
            first_comparison = _first_comparison(text)
            condition_first = first_comparison is not None and first_comparison < mentions[0].start
            for index, mention in enumerate(mentions):
                if condition_first:
                    start = mentions[index - 1].end if index else 0
                    segments.append((mention, start, mention.start, unit))
                else:
                    end = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
                    segments.append((mention, mention.end, end, unit))
        pending = None
        for mention, start, end, owner in segments:
            segment = owner.normalized.text[start:end]
            if not grammar.has_comparison(segment):
                continue
            reading = grammar.parse_condition(grammar.clean_condition_text(segment))
            line = owner.line(start)
            label = words.alert_levels().labels.get(mention.level, mention.level)
            for problem in reading.problems:
                warnings.append(_warning("rule_condition_unclear", f"{label}预警: {problem}", line))
            if mention.level in found:
                if found[mention.level]["condition"] != reading.condition.to_dict():
                    warnings.append(
                        _warning(
                            "rule_level_repeated",
                            f"{label}预警 is defined again with another condition; the first definition is used",
                            line,
                        )
                    )
                continue
            citation = owner.cite(min(start, mention.start), end)
            found[mention.level] = {
                "level": mention.level,
                "label": label,
                "heading_numeral": mention.numeral,
                "condition": reading.condition.to_dict(),
                "condition_tree": reading.condition,
                "unless_higher": reading.unless_higher,
                "unless_as_printed": reading.unless_as_printed,
                "unread": unread_parts(reading.condition),
                "as_printed": citation["text"],
                "citation": citation,
                "line": line,
            }
    return list(found.values())


def _is_bare_heading(text: str, mention: grammar.LevelMention) -> bool:
    rest = NUMBER_PREFIX.sub("", text[: mention.start]) + text[mention.end :]
    return len(rest.strip(" :：,，。")) <= _HEADING_SLACK and "响应" not in rest


def _first_comparison(text: str) -> int | None:
    positions = [match.start() for match in re.finditer(words.alternation(list(words.alert_indicators())), text)]
    return positions[0] if positions else None


def _level_order(units: list[Unit]) -> tuple[list[str], dict[str, Any] | None]:
    for unit in units:
        order = grammar.level_order(unit.normalized.text)
        if order:
            return order, unit.cite()
    return list(words.alert_levels().order), None


def _response_levels(units: list[Unit], levels: list[dict[str, Any]], warnings: list[ParseWarning]) -> None:
    """Which response level each alert level starts (``当发布黄色预警时，启动Ⅲ级应急响应``)."""
    by_level = {level["level"]: level for level in levels}
    for unit in units:
        for start, end, sentence in unit.sentences():
            if "响应" not in sentence or grammar.has_comparison(sentence):
                continue
            pairs = _level_response_pairs(sentence)
            for level_key, numeral in pairs:
                level = by_level.get(level_key)
                if level is None or level.get("response_level"):
                    continue
                level["response_level"] = numeral
                level["response_citation"] = unit.cite(start, end)
    for level in levels:
        if level.get("response_level"):
            continue
        if level.get("heading_numeral"):
            level["response_level"] = level["heading_numeral"]
            level["response_citation"] = level["citation"]
            continue
        level["response_level"] = None
        level["response_citation"] = None
        warnings.append(
            _warning("rule_no_response_level", f"no response level found for {level['label']}预警", level["line"])
        )


def _level_response_pairs(sentence: str) -> list[tuple[str, str]]:
    """(alert level, response level) pairs of one sentence: one of each, or lists joined by 分别."""
    mentions = grammar.level_mentions(sentence)
    if "分别" not in sentence:
        responses = grammar.response_mentions(sentence)
        if len(mentions) == 1 and len(responses) == 1:
            return [(mentions[0].level, responses[0][2])]
        if len(mentions) >= 2 and len(mentions) == len(responses):
            pairs = list(zip(mentions, responses, strict=True))
            if all(_adjacent((mention.start, mention.end), response[:2]) for mention, response in pairs):
                return [(mention.level, response[2]) for mention, response in pairs]
        return []
    covered = [(mention.start, mention.end) for mention in mentions]
    colours = [(mention.start, mention.level) for mention in mentions]
    for match in re.finditer(words.alert_levels().pattern, sentence):
        if not any(low <= match.start() < high for low, high in covered):
            colours.append((match.start(), words.alert_levels().key(match.group(0)) or match.group(0)))
    numerals = grammar.response_mentions(sentence, require_response_word=False)
    colours.sort()
    if len(colours) < 2 or len(colours) != len(numerals):
        return []
    return [(colour, numeral) for (_, colour), (_, _, numeral) in zip(colours, numerals, strict=True)]


def _adjacent(first: tuple[int, int], second: tuple[int, int], gap: int = 4) -> bool:
    """Are two spans next to each other (``Ⅲ级应急响应（黄色预警）``), at most a bracket or two apart?"""
    return 0 <= second[0] - first[1] <= gap or 0 <= first[0] - second[1] <= gap


def _emission_cuts(
    units: list[Unit], by_numeral: dict[str, str], warnings: list[ParseWarning]
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Cuts per alert level: ``{"yellow": {"cuts": [{pollutant, percent, operator}], "citations": [...]}}``."""
    cuts: dict[str, dict[str, Any]] = {}
    notes: list[dict[str, Any]] = []
    colours = set(words.alert_levels().order)
    for unit in units:
        if "减排" not in unit.normalized.text:
            continue
        unit_had_cuts = False
        for start, end, sentence in unit.sentences():
            if "%" not in sentence:
                if unit_had_cuts and "比例" in sentence:
                    notes.append(unit.cite(start, end))
                continue
            reading = grammar.emission_cuts(sentence)
            if reading.problem:
                if "比例" in sentence:
                    warnings.append(_warning("rule_cut_unclear", f"emission cuts: {reading.problem}", unit.line(start)))
                continue
            citation = unit.cite(start, end)
            for level_key, pollutant, percent, operator, _span in reading.cuts:
                level = level_key if level_key in colours else by_numeral.get(level_key)
                if level is None:
                    problem = _warning(
                        "rule_cut_unclear",
                        f"emission cut for response level {level_key} matches no alert level",
                        unit.line(start),
                    )
                    if problem not in warnings:
                        warnings.append(problem)
                    continue
                unit_had_cuts = True
                entry = cuts.setdefault(level, {"cuts": [], "citations": []})
                if any(cut["pollutant"] == pollutant for cut in entry["cuts"]):
                    continue
                entry["cuts"].append({"pollutant": pollutant, "percent": grammar.plain(percent), "operator": operator})
                if citation not in entry["citations"]:
                    entry["citations"].append(citation)
    return cuts, notes


_PROCEDURE_TITLES = (
    ("termination", re.compile(r"终止")),
    ("lifting", re.compile(r"解除")),
    ("adjustment", re.compile(r"调整|升级|降级|降低|启动")),
    ("release", re.compile(r"发布")),
)
_ACTION = re.compile(r"应当|(?<![相适])应(?![急对])|(?<!立)即|(?<![规原否])则")
_TIME = re.compile(
    rf"(?P<lead>提前)?\s*(?P<ahead>未来)?\s*(?P<n>{grammar.NUMBER})\s*(?P<unit>个小时|小时|天|日)\s*(?P<suffix>以上|及以上|以内|内)?"
)


def _procedures(units: list[Unit]) -> dict[str, list[dict[str, Any]]]:
    """Clauses for issuing (release), adjusting, lifting and ending an alert.

    The section title (预警发布, 预警级别调整与解除, 响应终止) says which kinds a
    section holds; within it, the verb after 应当/即 decides between them.
    """
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _ in _PROCEDURE_TITLES}
    for unit in units:
        title = grammar_text(unit.section.title or "") if unit.section else ""
        if not title or not re.search(r"预警|响应", title):
            continue
        section_kinds = [kind for kind, pattern in _PROCEDURE_TITLES if pattern.search(title)]
        if not section_kinds or len(title) > 20:
            continue
        for start, end, sentence in unit.sentences():
            if unit.section is unit.node and start == 0 and len(sentence) <= len(title) + _HEADING_SLACK:
                continue
            action = _ACTION.split(sentence)[-1]
            said = [kind for kind, pattern in _PROCEDURE_TITLES if pattern.search(action)]
            kind = next((name for name in said if name in section_kinds), section_kinds[0])
            durations = []
            for match in _TIME.finditer(sentence):
                hours = float(match.group("n")) * words.duration_units().get(match.group("unit"), 1)
                durations.append({"hours": grammar.plain(hours), "as_printed": match.group(0).strip()})
            found[kind].append({**unit.cite(start, end), "durations": durations})
    return found


def _first(units: list[Unit], reader: Any) -> dict[str, Any] | None:
    for unit in units:
        for start, end, sentence in unit.sentences():
            value = reader(sentence)
            if value is not None:
                return {"value": grammar.plain(value) if isinstance(value, float) else value, **unit.cite(start, end)}
    return None


# --- units, duties and measures -------------------------------------------------------------------------

_DUTY = re.compile(r"^(?P<unit>[^，。；:：]{2,30}?)\s*[:：]?\s*(?:负责|牵头负责|主要负责)")


def _duties(units: list[Unit]) -> list[dict[str, Any]]:
    """Units and their duties: a run of numbered items ``N.UNIT负责…`` (usually the 附件)."""
    runs: list[list[Unit]] = []
    current: list[Unit] = []
    for unit in units:
        if unit.node.kind != NodeKind.DOCUMENT_SECTION:
            if current and unit.section is current[-1].node:
                continue
            if len(current) >= 3:
                runs.append(current)
            current = []
            continue
        body = NUMBER_PREFIX.sub("", unit.normalized.text, count=1)
        match = _DUTY.match(body)
        if match and match.group("unit").endswith(owner_suffixes()):
            current.append(unit)
        else:
            if len(current) >= 3:
                runs.append(current)
            current = []
    if len(current) >= 3:
        runs.append(current)
    duties = []
    for run in runs:
        for unit in run:
            body = NUMBER_PREFIX.sub("", unit.text, count=1).strip()
            match = _DUTY.match(body)
            if match is None:
                continue
            rest = [other.text for other in units if other.section is unit.node and other is not unit]
            duties.append(
                {
                    "unit": match.group("unit").strip(),
                    "duties": "".join([body[match.start(0) :]] + rest),
                    "citation": {**unit.cite(), "text": body},
                }
            )
    return duties


_MEASURE_TITLE = re.compile(r"响应|措施")
_BUILDS_ON = re.compile(
    r"在(?:落实)?(?P<scope>[^,，。]{0,6}?)(?P<numeral>IV|III|II|I|[一二三四])\s*级(?:应急)?响应(?:措施)?的?基础上"
)


def _measures(units: list[Unit], by_numeral: dict[str, str], duties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Measure sections per response level (``4.2.2 III级响应措施``, ``市级II级响应``) and who carries each out."""
    groups: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    category: str | None = None
    numerals = {value: key for key, value in by_numeral.items()}
    for unit in units:
        section = unit.section
        heading = _measure_heading(section, by_numeral, numerals) if section is unit.node else None
        if heading is not None:
            numeral, scope = heading
            current = {
                "response_level": numeral,
                "level": by_numeral.get(numeral),
                "scope": scope,
                "title": section.title,
                "builds_on": None,
                "citation": unit.cite(),
                "items": [],
            }
            groups.append(current)
            category = None
            rest = NUMBER_PREFIX.sub("", unit.normalized.text, count=1)
            if len(rest) <= len(section.title or "") + _HEADING_SLACK:
                continue
        if current is None:
            continue
        if not _within(unit, current):
            current = None
            continue
        text = unit.normalized.text
        builds = _BUILDS_ON.search(text)
        if builds and current["builds_on"] is None:
            current["builds_on"] = words.response_levels().key(builds.group("numeral"))
            current["builds_on_citation"] = unit.cite(builds.start(), builds.end())
            if len(text) <= builds.end() - builds.start() + _HEADING_SLACK:
                continue
        if unit.node.kind == NodeKind.DOCUMENT_SECTION and section is not None and section.title:
            category = section.title if _MEASURE_TITLE.search(section.title) else category
        first_sentence = next(unit.sentences(), None)
        if first_sentence and len(first_sentence[2]) <= 12 and first_sentence[2].endswith("措施"):
            category = NUMBER_PREFIX.sub("", first_sentence[2])
        current["items"].append(_measure_item(unit, category, duties))
    return groups


def _measure_item(unit: Unit, category: str | None, duties: list[dict[str, Any]]) -> dict[str, Any]:
    """One measure: who its sentences make responsible, and the listed units those bodies stand for."""
    named = list(dict.fromkeys(actor for _, _, sentence in unit.sentences() for actor in actors(sentence)))
    listed = list(dict.fromkeys(name for actor in named for name in match_units(actor, duties)))
    citation = unit.cite()
    return {"category": category, "text": citation["text"], "actors": named, "units": listed, "citation": citation}


def _measure_heading(
    section: Node | None, by_numeral: dict[str, str], numerals: dict[str, str]
) -> tuple[str, str] | None:
    """(response level, scope such as 市级) when a section heads the measures of one level."""
    if section is None or not section.title:
        return None
    title = grammar_text(section.title)
    if re.search(r"启动|发布|当|分级", title) or not _MEASURE_TITLE.search(title) or len(title) > 20:
        return None
    responses = grammar.response_mentions(title, require_response_word=False)
    mentions = grammar.level_mentions(title)
    if len(responses) == 1 and not mentions:
        start, _, numeral = responses[0]
        return numeral, title[:start].strip()
    if len(mentions) == 1 and numerals.get(mentions[0].level):
        return numerals[mentions[0].level], title[: mentions[0].start].strip()
    return None


def grammar_text(text: str) -> str:
    return normalize_with_offsets(text).text


def _within(unit: Unit, group: dict[str, Any]) -> bool:
    """Is a unit still inside the section that opened a measure group?"""
    return group["citation"]["node"] in unit.sections


# --- funding standards ----------------------------------------------------------------------------------


def _funding_rule_sets(document: Document, plan: Node, units: list[Unit]) -> list[Fact]:
    """One rule set per sentence that prints per-kilometre rates."""
    facts = []
    for unit in units:
        for start, end, sentence in unit.sentences():
            rates = grammar.funding_rates(sentence)
            if rates:
                facts.append(_funding_rule_set(document, plan, unit, (start, end, sentence), rates))
    return facts


def _funding_split(unit: Unit, start: int, end: int, sentence: str) -> tuple[grammar.Split | None, dict[str, Any]]:
    """The split between levels of government, with its citation: in the rates' sentence, else elsewhere in the unit."""
    split = grammar.funding_split(sentence)
    if split is not None:
        return split, unit.cite(start, end)
    for other_start, other_end, other in unit.sentences():
        split = grammar.funding_split(other)
        if split is not None:
            return split, unit.cite(other_start, other_end)
    return None, unit.cite(start, end)


def _funding_warnings(split: grammar.Split | None, rates: list[grammar.Rate], line: int) -> list[ParseWarning]:
    warnings = []
    if split is None:
        warnings.append(_warning("funding_no_split", "no split between levels of government found", line))
    elif len(split.levels) != len(split.ratio):
        message = f"{counted(len(split.levels), 'level')} of government but {counted(len(split.ratio), 'ratio part')}"
        warnings.append(_warning("funding_split_mismatch", message, line))
    for rate in rates:
        if not rate.per_year:
            warnings.append(_warning("funding_period_unclear", f"{rate.as_printed}: no period (每年) stated", line))
    return warnings


def _funding_rule_set(
    document: Document, plan: Node, unit: Unit, sentence: tuple[int, int, str], rates: list[grammar.Rate]
) -> Fact:
    start, end, text = sentence
    split, split_citation = _funding_split(unit, start, end, text)
    line = unit.line(start)
    subject = unit.printed(start, start + rates[0].span[0])
    subject = re.split(r"[,，]", subject)[-1] if subject else ""
    minimum = grammar.minimum_word(text)
    data = {
        "type": FUNDING,
        **_document_fields(plan),
        "subject": grammar.without_minimum_word(subject).strip(),
        "minimum": bool(minimum),
        "minimum_as_printed": minimum,
        "rates": [
            {
                "category": rate.category,
                "label": words.road_classes().labels.get(rate.category, rate.category),
                "yuan_per_km_year": grammar.plain(rate.yuan),
                "as_printed": unit.printed(start + rate.span[0], start + rate.span[1]),
                "per_year": rate.per_year,
            }
            for rate in rates
        ],
        "split": None
        if split is None
        else {
            "levels": split.levels,
            "labels": split.labels,
            "ratio": [grammar.plain(part) for part in split.ratio],
            "as_printed": split.as_printed,
            "citation": split_citation,
        },
        "citation": unit.cite(start, end),
        "line": line,
    }
    return Fact(
        kind="rule_set",
        volume=document.volume.id,
        node_id=unit.node.id,
        line_start=unit.node.line_start,
        line_end=unit.node.line_end,
        page=unit.node.page,
        data=data,
        extractor=EXTRACTOR,
        warnings=_funding_warnings(split, rates, line),
    )
