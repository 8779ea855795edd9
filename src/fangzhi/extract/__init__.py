"""Extractors: small components that turn a document into facts.

Each :class:`Extractor` names itself with a version (``appointments.v1``); the
name is stored on every fact it produces.  The runner names the component
that broke when one fails, and places a fact's warnings that name no line on
the fact's first line: every warning says where to look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from fangzhi.model import Document, Fact


@dataclass(frozen=True)
class Extractor:
    name: str
    volume_kinds: tuple[str, ...]
    run: Callable[[Document], list[Fact]]


def registered_extractors() -> list[Extractor]:
    """Every extractor, in the order they run."""
    extractors: list[Extractor] = []
    from fangzhi.extract.appointments import extract_appointments
    from fangzhi.extract.lists import extract_list_items
    from fangzhi.extract.references import extract_references
    from fangzhi.extract.repeals import extract_repeals

    documents = ("gazette", "document")
    extractors += [
        Extractor("appointments.v1", documents, extract_appointments),
        Extractor("lists.v1", documents, extract_list_items),
        Extractor("references.v1", ("yearbook", "gazette", "document"), extract_references),
        Extractor("repeals.v1", documents, extract_repeals),
    ]
    from fangzhi.extract.events import extract_events

    extractors.append(Extractor("events.v1", ("yearbook", "gazette", "chronicle", "document"), extract_events))
    from fangzhi.extract.rules import extract_rules

    extractors.append(Extractor("rules.v1", documents, extract_rules))
    from fangzhi.extract.targets import extract_targets

    extractors.append(Extractor("targets.v1", ("yearbook", "gazette", "document"), extract_targets))
    from fangzhi.extract.indicators import extract_indicators

    extractors.append(Extractor("indicators.v1", ("yearbook", "gazette", "document"), extract_indicators))
    return extractors


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
