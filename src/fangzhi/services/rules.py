"""Rule sets in the knowledge base: listing them and choosing the one a question is about.

Rule sets are ``rule_set`` facts (:mod:`fangzhi.extract.rules`).  A plan is
chosen by its 文号 (printed any way: 平政办（2023）20号 finds 平政办〔2023〕20号),
by the rule set's id, or, when none is named, as the only plan of its type
that no other document in the knowledge base repeals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fangzhi.errors import NotFoundError, QueryError
from fangzhi.extract.rules import ALERT, FUNDING
from fangzhi.model import Fact, ParseWarning
from fangzhi.parse.doc_number import normalize_doc_number
from fangzhi.services.reading import repeals_by_document
from fangzhi.store.base import Store

TYPE_LABELS = {ALERT: "重污染天气预警", FUNDING: "养护资金标准"}


@dataclass
class RuleSetSummary:
    """One rule set and the document it was read from."""

    id: str
    type: str
    volume: str
    node: str
    doc_no: str | None
    plan_title: str | None
    document_title: str | None
    issuer: str | None
    date: str | None
    line: int | None
    summary: str
    repealed_by: str | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "type_label": TYPE_LABELS.get(self.type, self.type),
            "volume": self.volume,
            "node": self.node,
            "doc_no": self.doc_no,
            "plan_title": self.plan_title,
            "document_title": self.document_title,
            "issuer": self.issuer,
            "date": self.date,
            "line": self.line,
            "summary": self.summary,
            "repealed_by": self.repealed_by,
            "warnings": self.warnings,
        }


def warning_dicts(fact: Fact) -> list[dict[str, Any]]:
    return [
        warning.to_dict()
        if isinstance(warning, ParseWarning)
        else {"code": None, "message": str(warning), "line": None}
        for warning in fact.warnings
    ]


def plan_fields(fact: Fact) -> dict[str, Any]:
    data = fact.data
    return {
        "rule_set": fact.id,
        "volume": fact.volume,
        "node": fact.node_id,
        "doc_no": data.get("doc_no"),
        "title": data.get("plan_title"),
        "issuer": data.get("issuer"),
        "date": data.get("date"),
    }


def _summary(fact: Fact) -> str:
    data = fact.data
    if data.get("type") == ALERT:
        levels = "、".join(f"{level['label']}→{level.get('response_level') or '?'}" for level in data.get("levels", []))
        return f"{len(data.get('levels', []))} 级预警（{levels}），{len(data.get('units', []))} 个责任单位"
    if data.get("type") == FUNDING:
        rates = "、".join(f"{rate['label']}{rate['yuan_per_km_year']}元/公里·年" for rate in data.get("rates", []))
        split = data.get("split") or {}
        ratio = ":".join(str(part) for part in split.get("ratio", []))
        shares = f"，{'、'.join(split.get('labels', []))} {ratio}" if ratio else ""
        return rates + shares
    return ""


def _repealed(store: Store) -> dict[str, str]:
    """The 文号 of the document that repeals each repealed one (the last record wins)."""
    return {doc_no: facts[-1].data.get("by_doc_no") or "" for doc_no, facts in repeals_by_document(store).items()}


def rule_sets(store: Store, type: str | None = None) -> list[RuleSetSummary]:
    """Every rule set, with its document and whether a later document repeals it."""
    repealed = _repealed(store)
    found = []
    for fact in store.facts(kind="rule_set"):
        data = fact.data
        if type is not None and data.get("type") != type:
            continue
        found.append(
            RuleSetSummary(
                id=fact.id,
                type=data.get("type", ""),
                volume=fact.volume,
                node=fact.node_id,
                doc_no=data.get("doc_no"),
                plan_title=data.get("plan_title"),
                document_title=data.get("document_title"),
                issuer=data.get("issuer"),
                date=data.get("date"),
                line=data.get("line"),
                summary=_summary(fact),
                repealed_by=repealed.get(data.get("doc_no") or ""),
                warnings=warning_dicts(fact),
            )
        )
    return found


def choose_rule_set(store: Store, type: str, plan: str | None = None) -> Fact:
    """The rule set of ``type`` named by ``plan`` (文号, rule set id or words of its title), or the one plan in force."""
    facts = [fact for fact in store.facts(kind="rule_set") if fact.data.get("type") == type]
    label = TYPE_LABELS.get(type, type)
    if not facts:
        raise NotFoundError(f"no {label} rules in the knowledge base; ingest a document that states them first")
    if plan:
        wanted = normalize_doc_number(plan) or plan.strip()
        for fact in facts:
            if fact.id == plan.strip() or fact.data.get("doc_no") == wanted or fact.node_id == plan.strip():
                return fact
        titled = [fact for fact in facts if plan.strip() in (fact.data.get("plan_title") or "")]
        if len(titled) == 1:
            return titled[0]
        available = ", ".join(fact.data.get("doc_no") or fact.id for fact in facts)
        raise NotFoundError(f"no {label} rules from {plan!r}; the knowledge base has: {available}")
    repealed = _repealed(store)
    in_force = [fact for fact in facts if (fact.data.get("doc_no") or "") not in repealed] or facts
    if len(in_force) == 1:
        return in_force[0]
    issuers = {fact.data.get("issuer") for fact in in_force}
    if len(issuers) == 1:
        return max(in_force, key=lambda fact: fact.data.get("date") or "")
    available = ", ".join(fact.data.get("doc_no") or fact.id for fact in in_force)
    raise QueryError(f"{len(in_force)} documents state {label} rules; choose one with --plan: {available}")


def rule_set(store: Store, rule_set_id: str) -> Fact:
    """One rule set in full: every level, cut, measure, unit and clause, with their citations."""
    for fact in store.facts(kind="rule_set"):
        if fact.id == rule_set_id:
            return fact
    raise NotFoundError(f"no rule set with id {rule_set_id!r}; list them with `fangzhi rules`")
