"""Targets and commitments: every dated promise in plans and reports, with who owns it.

Where promises are read:

- plans (documents whose title or enclosed title names a 方案, 规划, 计划, 意见,
  预案, 办法, 要点…): every paragraph and section; documents that report
  results (统计公报, 任免, 名单, 大事记) promise nothing and are skipped;
- a yearbook's appendix reports (政府工作报告, 规划纲要…).

A quantified clause is a target when a deadline governs it: a deadline phrase
earlier in its sentence (``到2023年年底，…``, ``力争到2025年…``, ``2026年年底以前，…``)
or, in a report, a heading that names a year to plan for
(``二、2024年总体要求和预期目标``, not ``一、2023年工作回顾``).  It needs a
comparison (达到, 不低于, 不超过, 超过, 增长…) or a bound (以上, 以下, 左右), or, for a
bare quantity, a verb that promises it (新建5G基站1400个).  A dated clause with no
quantity becomes a qualitative ``commitment``.

Owners come from the clause's 责任单位 (the section's ``responsible_units``),
else from the sentence's subject when it names bodies, else from the issuing
body (the document's issuer, a report's byline); ``owner_basis`` says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fangzhi.extract.plans import PlanText, plans, text_blocks
from fangzhi.model import (
    ArticleAttributes,
    Document,
    DocumentAttributes,
    DocumentSectionAttributes,
    Fact,
    Node,
    NodeKind,
)
from fangzhi.parse.pages import PageMap, pages_of
from fangzhi.rules import commitments, grammar, words
from fangzhi.rules.grammar import plain
from fangzhi.rules.owners import actors

EXTRACTOR = "targets.v1"

_SENTENCE = re.compile(r"[^。！？!?\n]+")
_REPORT_TITLE = re.compile(r"报告|规划|纲要|计划|方案")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_ISSUING_BODY = re.compile(r"^[\u4e00-\u9fff]{2,20}?(?:人民政府|政府|委员会|管委会)")
_COMMITMENT_LIMIT = 120
# A bare year (2023年) is a date, not a quantity of years.
_YEAR_VALUE = range(1900, 2101)


@dataclass(kw_only=True)
class Source(PlanText):
    """A text that may hold promises, with what every promise in it inherits."""

    sections: list[Node]
    volume: str
    reference_year: int | None
    owner: str | None
    doc_no: str | None
    title: str | None
    report: bool


def extract_targets(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    pages: PageMap | None = None
    for source in _sources(document):
        for fact in _targets(source):
            if document.volume.kind == "yearbook":
                pages = pages or pages_of(document)
                fact.page = pages.page_of_line(fact.line_start) or fact.page
                fact.data["page"] = fact.page
            facts.append(fact)
    return facts


def _sources(document: Document) -> Iterator[Source]:
    if document.volume.kind == "yearbook":
        for node, _ in document.walk():
            if node.kind != NodeKind.APPENDIX or not _REPORT_TITLE.search(node.title or ""):
                continue
            byline_lines = ArticleAttributes.of(node).byline
            dated = _DATE.search(" ".join(byline_lines))
            owner = next((_issuing_body(part) for part in byline_lines if _issuing_body(part)), None)
            yield Source.of(
                node,
                document,
                volume=document.volume.id,
                sections=[],
                reference_year=int(dated.group(1)) if dated else None,
                owner=owner,
                doc_no=None,
                title=node.title,
                report=True,
            )
        return
    vocabulary = words.vocabulary()
    for plan in plans(document):
        attributes = DocumentAttributes.of_any(plan)
        date = attributes.date or ""
        reference_year = int(date[:4]) if date[:4].isdigit() else document.volume.year
        title = attributes.attachment_title or plan.title or document.volume.title
        report = any(word in title for word in vocabulary["report_title_words"])
        if not report and not any(word in title for word in vocabulary["plan_title_words"]):
            continue
        owner = attributes.issuer
        if report:
            opening = _opening_lines(document, plan)
            owner = owner or next((_issuing_body(line) for line in opening if _issuing_body(line)), None)
            dated = next((_DATE.search(line) for line in opening if _DATE.search(line)), None)
            if not date and dated:
                reference_year = int(dated.group(1))
        for node, sections in text_blocks(plan):
            yield Source.of(
                node,
                document,
                volume=document.volume.id,
                sections=sections,
                reference_year=reference_year,
                owner=owner,
                doc_no=attributes.doc_no,
                title=title,
                report=report,
            )


def _opening_lines(document: Document, plan: Node, count: int = 8) -> list[str]:
    """The first non-blank raw lines of a document: where a report prints its byline (date, speaker)."""
    lines: list[str] = []
    for number in range(plan.line_start, plan.line_end + 1):
        text = document.source.line(number).strip().lstrip("—-－ ")
        if text:
            lines.append(text)
        if len(lines) >= count:
            break
    return lines


def _issuing_body(text: str) -> str | None:
    match = _ISSUING_BODY.match(text.strip())
    return match.group(0) if match else None


def _planning_year(heading: str) -> int | None:
    """The year a heading plans for (``2024年重点工作安排``), or None for a review (``2023年工作回顾``)."""
    vocabulary = words.vocabulary()
    head = heading[:30]
    year = _YEAR.search(head)
    if not year or any(word in head for word in vocabulary["target_review_words"]):
        return None
    if not any(word in head for word in vocabulary["target_planning_words"]):
        return None
    return int(year.group(1))


def _context_years(source: Source) -> list[tuple[int, int | None]]:
    """(offset, year planned for) from each heading on: the enclosing section titles, then in-text headings."""
    years = [_planning_year(section.title or "") for section in source.sections]
    contexts: list[tuple[int, int | None]] = [(0, next((year for year in reversed(years) if year), None))]
    if not source.report:
        return contexts
    text = source.normalized.text
    offset = 0
    for paragraph in text.split("\n"):
        if _HEADING.match(paragraph):
            contexts.append((offset, _planning_year(_HEADING.sub("", paragraph))))
        offset += len(paragraph) + 1
    return contexts


def _owners(source: Source, sentence: str) -> tuple[list[str], str | None]:
    for section in reversed(source.sections):
        units = DocumentSectionAttributes.of(section).responsible_units
        if units:
            return list(units), "责任单位"
    named = actors(sentence)
    if named:
        return named, "subject"
    if source.owner:
        return [source.owner], "issuer"
    return [], None


def _targets(source: Source) -> list[Fact]:
    text = source.normalized.text
    contexts = _context_years(source)
    facts: list[Fact] = []
    for match in _SENTENCE.finditer(text):
        start, sentence = match.start(), match.group(0)
        if not sentence.strip():
            continue
        context_year = next((year for offset, year in reversed(contexts) if offset <= start), None)
        dated = [
            deadline
            for deadline in commitments.deadlines(sentence)
            if source.reference_year is None or deadline.year >= source.reference_year
        ]
        if grammar.funding_rates(sentence):
            continue  # a funding standard is a rule (rules.v1), not a target
        undated = not dated and context_year is None
        if undated and (source.report or "分别" in sentence or not commitments.has_promise(sentence)):
            continue
        owners, basis = _owners(source, sentence)
        found, spans = _quantified(source, start, sentence, dated, context_year, owners, basis)
        facts.extend(found)
        facts.extend(_qualitative(source, start, sentence, dated, spans, owners, basis))
    return facts


def _quantified(
    source: Source,
    offset: int,
    sentence: str,
    dated: list[commitments.Deadline],
    context_year: int | None,
    owners: list[str],
    basis: str | None,
) -> tuple[list[Fact], list[int]]:
    """Targets with a value, and where each starts in the sentence."""
    facts = []
    starts = []
    previous_end = 0
    previous_scope: str | None = None
    for quantity in commitments.quantities(sentence):
        if quantity.unit == "年" and int(quantity.value) in _YEAR_VALUE:
            continue
        if any(deadline.start <= quantity.start < deadline.end for deadline in dated):
            continue
        deadline = next((earlier for earlier in reversed(dated) if earlier.end <= quantity.start), None)
        following = sentence[quantity.end : quantity.end + 1]
        if following in ("时", "的", "之"):
            continue
        floor = commitments.clause_start(sentence, quantity.start)
        continued = previous_end > floor
        floor = max(floor, previous_end, deadline.end if deadline and deadline.end > floor else floor)
        before = commitments.strip_connectors(sentence[floor : quantity.start])
        if commitments.is_duration_lead(before):
            continue
        bounded = bool(quantity.comparison or quantity.suffix)
        if deadline is None and context_year is None and not quantity.unit:
            continue
        if not bounded and not (quantity.unit and (deadline or context_year) and commitments.has_target_verb(before)):
            continue
        previous_end = quantity.end
        scope, indicator = commitments.split_scope(before)
        if scope is None and continued:
            scope = previous_scope
        previous_scope = scope
        trailing = commitments.trailing_object(sentence, quantity.end)
        if not (indicator + trailing).strip(" 、"):
            continue
        at = floor + max(sentence.find(indicator, floor, quantity.start) - floor, 0) if indicator else quantity.start
        printed = source.printed(offset + at, offset + at + len(indicator)) + trailing
        indicator = (indicator + trailing).strip(" 、")
        data = {
            "indicator": commitments.matching_key(indicator),
            "indicator_as_printed": printed.strip(" 、，,") or indicator,
            **_value_fields(quantity),
            **_deadline_fields(deadline, context_year),
            "scope": scope,
        }
        facts.append(_fact(source, offset + floor, offset + quantity.end, data, owners, basis, offset, sentence))
        starts.append(floor)
    return facts, starts


def _value_fields(quantity: commitments.Quantity) -> dict[str, Any]:
    """What a target promises: the value, its bounds and unit, and the comparison as printed (不低于…以上)."""
    comparison = quantity.comparison or quantity.suffix
    if quantity.comparison and quantity.suffix:
        comparison = f"{quantity.comparison}…{quantity.suffix}"
    return {
        "kind": quantity.kind,
        "comparison": comparison,
        "operator": quantity.operator or ">=",
        "target_value": plain(quantity.value),
        "target_value_upper": plain(quantity.upper) if quantity.upper is not None else None,
        "unit": quantity.unit,
        "value_as_printed": quantity.as_printed,
    }


def _qualitative(
    source: Source,
    offset: int,
    sentence: str,
    dated: list[commitments.Deadline],
    quantified: list[int],
    owners: list[str],
    basis: str | None,
) -> list[Fact]:
    """Dated clauses without a quantity: ``2023年年底，市、县两级医疗应急中心成立运行``."""
    facts = []
    for index, deadline in enumerate(dated):
        end = dated[index + 1].start if index + 1 < len(dated) else len(sentence)
        position = deadline.end
        for segment in re.split(r"(?<=[;；])", sentence[deadline.end : end]):
            start, stop = position, position + len(segment)
            position = stop
            body = segment.strip(" ,，;；:：")
            if len(body) < 4 or any(start <= found < stop for found in quantified):
                continue
            lead = len(segment) - len(segment.lstrip(" ,，;；:："))
            printed = source.printed(offset + start + lead, offset + start + lead + len(body))
            facts.append(
                _fact(
                    source,
                    offset + start + lead,
                    offset + start + lead + len(body),
                    {
                        "indicator": commitments.matching_key(body[:_COMMITMENT_LIMIT]),
                        "indicator_as_printed": printed[:_COMMITMENT_LIMIT],
                        "kind": "commitment",
                        "comparison": None,
                        "operator": None,
                        "target_value": None,
                        "target_value_upper": None,
                        "unit": None,
                        "value_as_printed": None,
                        **_deadline_fields(deadline, None),
                        "scope": commitments.split_scope(body)[0],
                    },
                    owners,
                    basis,
                    sentence_start=offset,
                    sentence=sentence,
                )
            )
    return facts


def _deadline_fields(deadline: commitments.Deadline | None, context_year: int | None) -> dict[str, Any]:
    if deadline is None and context_year is None:
        return {"deadline": None, "deadline_as_printed": None, "deadline_year": None, "deadline_basis": None}
    if deadline is not None:
        return {
            "deadline": deadline.iso,
            "deadline_as_printed": deadline.as_printed,
            "deadline_year": deadline.year,
            "deadline_basis": "stated",
        }
    return {
        "deadline": f"{context_year}-12-31",
        "deadline_as_printed": f"{context_year}年",
        "deadline_year": context_year,
        "deadline_basis": "heading",
    }


def _fact(
    source: Source,
    start: int,
    end: int,
    data: dict[str, Any],
    owners: list[str],
    basis: str | None,
    sentence_start: int,
    sentence: str,
) -> Fact:
    line_start, line_end = source.line(start), source.line(max(start, end - 1))
    node = source.node
    return Fact(
        kind="target",
        volume=source.volume,
        node_id=node.id,
        line_start=line_start,
        line_end=max(line_end, line_start),
        page=node.page,
        data={
            **data,
            "owners": owners,
            "owner_basis": basis,
            "document": source.doc_no,
            "document_title": source.title,
            "text": source.printed(sentence_start, sentence_start + len(sentence)).strip(),
            "page": node.page,
            "line": line_start,
        },
        extractor=EXTRACTOR,
    )
