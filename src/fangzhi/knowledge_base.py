"""The knowledge base: the library's front door.

The CLI, the HTTP API and the web pages all make one call into this class and
format what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fangzhi.errors import InputError, QueryError, StrictIngestError
from fangzhi.extract import extract_facts, fact_kinds
from fangzhi.model import Coverage, Document, Fact, ParseWarning, Volume
from fangzhi.model.attributes import ATTRIBUTE_TYPES
from fangzhi.parse import parse_source, volume_id_for
from fangzhi.parse.coverage import lines_read_as_facts, measure_coverage
from fangzhi.services import alert as alert_service
from fangzhi.services import exports, reading, registers, subject_index, timeline
from fangzhi.services import funding as funding_service
from fangzhi.services import rules as rule_service
from fangzhi.services import targets as target_service
from fangzhi.services.citation import Citation, CitationFile, cite_node, cite_node_as
from fangzhi.services.low_coverage import NOT_UNDERSTOOD, low_coverage_message
from fangzhi.store.base import Store, StoredNode
from fangzhi.store.sqlite import DEFAULT_LOCK_TIMEOUT
from fangzhi.text.source import DEFAULT_INPUT_LIMITS, InputLimits, read_source

if TYPE_CHECKING:
    from datetime import date

    from fangzhi.search import SearchLimits, SearchResult
    from fangzhi.services.ask import Answer
    from fangzhi.services.check import CheckReport
    from fangzhi.services.datasette import DatasetteExport

Progress = Callable[[str], None]


@dataclass
class IngestResult:
    """What one ingest stored, and what it understood of the text (``coverage``, ``warnings``)."""

    volume: Volume
    nodes: int
    facts: int
    warnings: list[ParseWarning] = field(default_factory=list)
    replaced: bool = False
    replaced_source: str | None = None
    coverage: Coverage | None = None


_VOLUME_ID_CHARACTER = re.compile(r"[\w.\-]")
MAX_VOLUME_ID = 200


def check_volume_id(volume_id: str, path: str) -> None:
    """Refuse a volume id that cannot be part of a URL path or a node id (``/``, ``?``, ``#``, ``:``, controls)."""
    problem = None
    if not volume_id:
        problem = "is empty"
    elif len(volume_id) > MAX_VOLUME_ID:
        problem = f"is longer than {MAX_VOLUME_ID} characters"
    elif volume_id in (".", ".."):
        problem = "cannot be part of a URL"
    else:
        bad = next((char for char in volume_id if not _VOLUME_ID_CHARACTER.match(char)), None)
        if bad is not None:
            problem = f"contains {bad!r}"
    if problem:
        raise InputError(path, f"volume id {volume_id!r} {problem}; use letters, digits, '-', '_' and '.' only")


def volume_ids_for(paths: Sequence[str], volume_id: str | None = None) -> dict[str, str]:
    """The volume id each file will be stored under.

    Two different files that would get the same id (``a/x.txt`` and
    ``b/x.txt``) are an error naming both, before anything is read: the
    second would silently replace the first.
    """
    found: dict[str, str] = {}
    owners: dict[str, str] = {}
    for path in paths:
        wanted = volume_id or volume_id_for(path)
        if wanted in owners and Path(owners[wanted]).resolve() != Path(path).resolve():
            raise InputError(
                path,
                f"would be stored as volume {wanted!r}, like {owners[wanted]}; "
                "ingest one of them on its own with --volume-id",
            )
        owners.setdefault(wanted, path)
        found[path] = wanted
    return found


def build_document(
    path: str | Path,
    volume_id: str | None = None,
    limits: InputLimits = DEFAULT_INPUT_LIMITS,
    kind: str | None = None,
    year: int | None = None,
) -> tuple[Document, list[Fact]]:
    """Read, parse and extract one source file without touching any store.

    ``kind`` and ``year`` override what the text shows (see :func:`fangzhi.parse.parse_source`).
    Parsing records the volume's coverage and warnings; once the facts are
    read, both are completed here, so what ``ingest`` says is what the volume
    keeps (``stats``, the web volume page).
    """
    source = read_source(path, limits)
    document = parse_source(source, volume_id, kind=kind, year=year)
    cleaning = source.cleaning_note()
    if cleaning is not None:
        document.warnings.insert(0, ParseWarning("control_characters", cleaning[0], cleaning[1]))
    facts = extract_facts(document)
    document.volume.attributes["coverage"] = measure_coverage(document, lines_read_as_facts(facts))
    document.volume.attributes["warnings"] = volume_warnings(document, facts)
    return document, facts


def volume_warnings(document: Document, facts: Sequence[Fact]) -> list[ParseWarning]:
    """Everything to say about how a volume was read, each once: the parser's warnings, the facts', low coverage."""
    warnings = list(dict.fromkeys([*document.warnings, *(warning for fact in facts for warning in fact.warnings)]))
    low = low_coverage_message(document.volume.attributes.get("coverage"))
    if low is not None and not any(warning.code in NOT_UNDERSTOOD for warning in warnings):
        warnings.append(ParseWarning("low_coverage", low))
    return warnings


class KnowledgeBase:
    """Volumes, their node trees and facts, behind a store.

    The knowledge base only composes: each method hands its store to one
    service (reading, timeline, exports, search), and services never import
    this class, so they run the same on any :class:`~fangzhi.store.base.Store`.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.search_limits: SearchLimits | None = None

    def ingest(
        self,
        path: str | Path,
        volume_id: str | None = None,
        progress: Progress | None = None,
        *,
        strict: bool = False,
        limits: InputLimits = DEFAULT_INPUT_LIMITS,
        kind: str | None = None,
        year: int | None = None,
    ) -> IngestResult:
        """Parse a file and store it as one volume, replacing an earlier copy atomically.

        With ``strict``, a file read with warnings is not stored
        (:class:`~fangzhi.errors.StrictIngestError` carries the warnings).
        ``kind`` (yearbook, gazette, document, chronicle) and ``year`` override
        what the text shows, for when detection or the year is wrong.
        """
        report = progress or (lambda message: None)
        if volume_id is not None:
            check_volume_id(volume_id, str(path))
        report(f"reading and parsing {path}")
        document, facts = build_document(path, volume_id, limits, kind=kind, year=year)
        check_volume_id(document.volume.id, str(path))
        warnings = list(document.volume.attributes["warnings"])
        if strict and warnings:
            raise StrictIngestError(str(path), warnings)
        earlier = next(iter(self.store.volumes([document.volume.id])), None)
        report(f"storing {document.volume.id}")
        self.store.replace_volume(document, facts)
        moved = earlier is not None and earlier.source_file != document.volume.source_file
        coverage = document.volume.attributes.get("coverage")
        return IngestResult(
            volume=document.volume,
            nodes=sum(1 for _ in document.walk()),
            facts=len(facts),
            warnings=warnings,
            replaced=earlier is not None,
            replaced_source=earlier.source_file if moved and earlier else None,
            coverage=coverage if isinstance(coverage, Coverage) else None,
        )

    def volumes(self) -> list[Volume]:
        return self.store.volumes()

    def volume(self, volume_id: str) -> Volume:
        return self.store.volume(volume_id)

    def node(self, node_id: str) -> StoredNode:
        return self.store.node(node_id)

    def children(self, node_id: str) -> list[StoredNode]:
        return list(self.store.nodes(parent=node_id))

    def nodes(self, volume: str | None = None, kind: str | None = None) -> Iterator[StoredNode]:
        self._check_filters(volume=volume, node_kind=kind)
        return self.store.nodes(volume=volume, kind=kind)

    def _check_filters(
        self, volume: str | None = None, node_kind: str | None = None, fact_kind: str | None = None
    ) -> None:
        """An unknown volume or kind is an error that says so, not an empty answer."""
        if volume is not None:
            self.store.volume(volume)
        if node_kind is not None and node_kind not in ATTRIBUTE_TYPES:
            raise QueryError(f"no node kind {node_kind!r}; choose one of: {', '.join(sorted(ATTRIBUTE_TYPES))}")
        if fact_kind is not None and fact_kind not in fact_kinds():
            raise QueryError(f"no fact kind {fact_kind!r}; choose one of: {', '.join(fact_kinds())}")

    def top_nodes(self, volume_id: str) -> list[StoredNode]:
        """The nodes directly under a volume (a yearbook's chapters, a gazette's documents)."""
        self.store.volume(volume_id)
        return list(self.store.nodes(volume=volume_id, top_level=True))

    def neighbours(self, node_id: str) -> tuple[StoredNode | None, StoredNode | None]:
        """The previous and next node of the same kind under the same parent, for reading on."""
        return reading.neighbours(self.store, self.node(node_id))

    def read(self, node_id: str) -> reading.Reading:
        """A node as it reads in the book: text, blocks inside it, facts, neighbours and citation."""
        return reading.read_node(self.store, node_id)

    def cite(self, node_id: str) -> Citation:
        """A GB/T 7714 style citation of a node, with its printed page."""
        node = self.node(node_id)
        return cite_node(node, self.volume(node.volume))

    def cite_as(self, node_id: str, format: str) -> CitationFile:
        """A node's citation as GB/T 7714 text, CSL-JSON, RIS or BibTeX, for reference managers."""
        node = self.node(node_id)
        return cite_node_as(node, self.volume(node.volume), format)

    def facts(self, kind: str | None = None, volume: str | None = None, node_id: str | None = None) -> list[Fact]:
        self._check_filters(volume=volume, fact_kind=kind)
        return list(self.store.facts(kind=kind, volume=volume, node_id=node_id))

    def source_lines(self, volume_id: str, start: int, end: int) -> list[str]:
        return self.store.source_lines(volume_id, start, end)

    def search(self, query: str, limit: int = 10, offset: int = 0, **filters: Any) -> SearchResult:
        """Full-text search over every volume; filters: volume, kind, chapter, year, page_from, page_to."""
        from fangzhi.search import search

        self._check_filters(volume=filters.get("volume"), node_kind=filters.get("kind"))
        return search(self.store, query, limit=limit, offset=offset, limits=self.search_limits, **filters)

    def ask(self, question: str) -> Answer:
        """Answer a question in Chinese from the facts and text of every volume, with the page it is printed on."""
        from fangzhi.services.ask import ask

        return ask(self.store, question)

    def timeline(
        self, date_from: str | date | None = None, date_to: str | date | None = None, person: str | None = None
    ) -> list[timeline.TimelineEvent]:
        """Chronicle events of every volume in date order, the same event in two sources linked."""
        return timeline.timeline(self.store, date_from=date_from, date_to=date_to, person=person)

    def check(self, volume: str | None = None, min_confidence: float | None = None) -> CheckReport:
        """The editor's consistency report: figures, names and dates that disagree, most confident first."""
        from fangzhi.services import check

        if min_confidence is None:
            return check.check(self.store, volume=volume)
        return check.check(self.store, volume=volume, min_confidence=min_confidence)

    def rule_sets(self, type: str | None = None) -> list[rule_service.RuleSetSummary]:
        """Rule sets read from the documents (alert plans, funding standards), with their documents."""
        return rule_service.rule_sets(self.store, type=type)

    def rule_set(self, rule_set_id: str) -> Fact:
        """One rule set in full, every element cited."""
        return rule_service.rule_set(self.store, rule_set_id)

    def alert(self, forecast: str | Sequence[float | str], plan: str | None = None) -> alert_service.AlertResult:
        """The alert level, response, cuts, measures and units a daily AQI forecast triggers, cited."""
        return alert_service.alert(self.store, forecast, plan=plan)

    def funding(self, lengths: Mapping[str, float | None], plan: str | None = None) -> funding_service.FundingResult:
        """The minimum annual funding for road lengths in km by class, and each level's share, cited."""
        return funding_service.funding(self.store, lengths, plan=plan)

    def targets(
        self,
        owner: str | None = None,
        status: str | None = None,
        deadline_from: str | None = None,
        deadline_to: str | None = None,
        volume: str | None = None,
    ) -> list[target_service.Target]:
        """The targets register by deadline, each with its owners and met / not_met / unknown."""
        return target_service.targets(
            self.store, owner=owner, status=status, deadline_from=deadline_from, deadline_to=deadline_to, volume=volume
        )

    def target_owners(self) -> list[tuple[str, int]]:
        """Every body that owns a target, with how many it owns."""
        return target_service.owners(self.store)

    def stats(self, limit: int | None = None, offset: int = 0, volume: str | None = None) -> list[dict[str, Any]]:
        """Counts of nodes and facts per volume (a page of volumes, in id order, with ``limit``; one with ``volume``)."""
        if volume is not None:
            return [exports.volume_stats(self.store, self.store.volume(volume))]
        return exports.statistics(self.store, limit, offset)

    def count_volumes(self) -> int:
        return self.store.count_volumes()

    def volume_titles(self, volume_ids: Iterable[str]) -> dict[str, str]:
        """The titles of these volumes, to name them on a page (only those asked for are read)."""
        return {volume.id: volume.title for volume in self.store.volumes(list(volume_ids))}

    def export(self, kind: str) -> Iterator[dict[str, Any]]:
        return exports.export_rows(self.store, kind)

    def export_tei(self, volume_id: str) -> str:
        """One volume as a TEI P5 XML document."""
        from fangzhi.services.tei import volume_tei

        return volume_tei(self.store, volume_id)

    def export_datasette(self, path: str | Path, progress: Progress | None = None) -> DatasetteExport:
        """Every export kind as one SQLite file, with a metadata.json beside it, for Datasette."""
        from fangzhi.services.datasette import write_datasette

        return write_datasette(self.store, path, progress=progress)

    def index(self, volume_id: str) -> subject_index.SubjectIndex:
        """The subject index (主题索引) of a volume: headings sorted by pinyin, with their pages."""
        return subject_index.subject_index(self.store, volume_id)

    def people(self) -> list[registers.Person]:
        """Everyone the volumes name, with posts, name variants and cited mentions."""
        return registers.people(self.store)

    def person(self, person_id: str) -> registers.Person:
        return registers.person(self.store, person_id)

    def organizations(self) -> list[registers.Organization]:
        """Organisations with their abbreviations, documents, posts and cited mentions."""
        return registers.organizations(self.store)

    def organization(self, organization_id: str) -> registers.Organization:
        return registers.organization(self.store, organization_id)

    def places(self) -> list[registers.Place]:
        """Places named, normalised, with division codes and cited mentions."""
        return registers.places(self.store)

    def place(self, place_id: str) -> registers.Place:
        return registers.place(self.store, place_id)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_knowledge_base(
    location: str | Path,
    create: bool = True,
    read_only: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    pool_size: int | None = None,
) -> KnowledgeBase:
    """Open (or create) the knowledge base at ``location``: an SQLite file, or a ``postgresql://`` database URL.

    ``read_only`` opens an existing, up-to-date knowledge base without ever
    writing to it (what every reading command and the web server do); one
    that is not a knowledge base is refused.  An SQLite writer waits up to
    ``lock_timeout`` seconds for another writer to finish; a PostgreSQL
    store keeps ``pool_size`` connections for concurrent readers.
    """
    from fangzhi.store import open_store

    return KnowledgeBase(
        open_store(location, create=create, read_only=read_only, lock_timeout=lock_timeout, pool_size=pool_size)
    )
