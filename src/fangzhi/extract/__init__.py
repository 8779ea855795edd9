"""Extractors: small components that turn a document into facts.

Each :class:`Extractor` names itself with a version (``appointments.v1``); the
name is stored on every fact it produces.  The runner names the component
that broke when one fails, and places a fact's warnings that name no line on
the fact's first line: every warning says where to look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from fangzhi.extract.appointments import extract_appointments
from fangzhi.extract.events import extract_events
from fangzhi.extract.indicators import extract_indicators
from fangzhi.extract.lists import extract_list_items
from fangzhi.extract.references import extract_references
from fangzhi.extract.repeals import extract_repeals
from fangzhi.extract.rules import extract_rules
from fangzhi.extract.targets import extract_targets
from fangzhi.model import Document, Fact


@dataclass(frozen=True)
class Extractor:
    """A named, versioned component: which volumes it reads and which kind of fact it sets."""

    name: str
    volume_kinds: tuple[str, ...]
    fact_kind: str
    run: Callable[[Document], list[Fact]]


_DOCUMENTS = ("gazette", "document")
_ALL_BUT_CHRONICLES = ("yearbook", "gazette", "document")


def registered_extractors() -> list[Extractor]:
    """Every extractor, in the order they run."""
    return [
        Extractor("appointments.v1", _DOCUMENTS, "appointment", extract_appointments),
        Extractor("lists.v1", _DOCUMENTS, "list_item", extract_list_items),
        Extractor("references.v1", _ALL_BUT_CHRONICLES, "reference", extract_references),
        Extractor("repeals.v1", _DOCUMENTS, "repeal", extract_repeals),
        Extractor("events.v1", ("yearbook", "gazette", "chronicle", "document"), "event", extract_events),
        Extractor("rules.v1", _DOCUMENTS, "rule_set", extract_rules),
        Extractor("targets.v1", _ALL_BUT_CHRONICLES, "target", extract_targets),
        Extractor("indicators.v1", _ALL_BUT_CHRONICLES, "indicator", extract_indicators),
    ]


def fact_kinds() -> list[str]:
    """Every kind of fact the extractors set."""
    return sorted({extractor.fact_kind for extractor in registered_extractors()})


def extract_facts(document: Document) -> list[Fact]:
    """Every extractor's facts; none from a text that was not understood (what they read there is noise)."""
    if document.volume.attributes.get("not_understood"):
        return []
    facts: list[Fact] = []
    for extractor in registered_extractors():
        if document.volume.kind not in extractor.volume_kinds:
            continue
        try:
            found = extractor.run(document)
        except Exception as error:  # noqa: BLE001 - re-raised with the component's name
            raise RuntimeError(f"extractor {extractor.name} failed on {document.volume.id}: {error}") from error
        for fact in found:
            fact.extractor = fact.extractor or extractor.name
            fact.warnings = [replace(warning, line=warning.line or fact.line_start) for warning in fact.warnings]
        facts.extend(found)
    counters: dict[str, int] = {}
    for fact in facts:
        counters[fact.kind] = counters.get(fact.kind, 0) + 1
        fact.id = f"{document.volume.id}:{fact.kind}:{counters[fact.kind]}"
    return facts
