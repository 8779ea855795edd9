"""Ingest of many files at once, spread over dask.distributed workers.

The heavy part of ingest is reading, parsing and extracting (seconds per
yearbook, in Python); storing is one short transaction.  So each file is one
task: a worker parses it and stores it into the knowledge base itself, in
its own transaction, and returns only a small :class:`FileOutcome`.  A file
that fails is reported and the others land; a file whose volume is already
stored from the same bytes (same SHA-256) is skipped, so re-running an
interrupted ingest only does what is left.

Workers come from a :class:`~dask.distributed.LocalCluster` (one process per
worker, so parsing runs on every core) or from a running scheduler
(``tcp://host:8786``) whose workers can reach the files and the database.
Each worker process opens the knowledge base once and loads jieba's
dictionary once, for all the files it is given.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fangzhi.errors import FangzhiError, KnowledgeBaseError, NotFoundError
from fangzhi.text.source import DEFAULT_INPUT_LIMITS, InputLimits

Progress = Callable[[str], None]

INGESTED = "ingested"
REPLACED = "replaced"
UNCHANGED = "unchanged"
FAILED = "failed"


@dataclass
class FileOutcome:
    """What became of one file."""

    path: str
    status: str
    volume_id: str | None = None
    title: str | None = None
    kind: str | None = None
    nodes: int = 0
    facts: int = 0
    warnings: int = 0
    seconds: float = 0.0
    error: str | None = None
    worker: str | None = None
    warning_messages: list[str] = field(default_factory=list)
    replaced_source: str | None = None
    coverage: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BatchReport:
    """Every file's outcome, in the order the files were given, and the time the batch took."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == FAILED]

    @property
    def stored(self) -> int:
        return self.count(INGESTED) + self.count(REPLACED)

    def rate(self) -> float:
        """Volumes stored per second."""
        return self.stored / self.seconds if self.seconds else 0.0


def source_sha256(path: str | Path) -> str:
    """The fingerprint a stored volume keeps of its source file (SHA-256 of the bytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as opened:
        for block in iter(lambda: opened.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


SOURCE_SUFFIXES = (".txt", ".pdf")


def text_files(paths: Sequence[str | Path]) -> list[str]:
    """The files to ingest: each file given, and every text or PDF file under each folder given, sorted."""
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                str(child)
                for child in sorted(path.rglob("*"))
                if child.is_file() and child.suffix.lower() in SOURCE_SUFFIXES
            )
        else:
            found.append(str(path))
    return found


_OPEN: dict[str, Any] = {}
_OPEN_LOCK = threading.Lock()


def _knowledge_base(location: str) -> Any:
    """The knowledge base a worker process writes to, opened once per process."""
    from fangzhi.knowledge_base import open_knowledge_base

    with _OPEN_LOCK:
        if location not in _OPEN:
            _OPEN[location] = open_knowledge_base(location)
        return _OPEN[location]


def ingest_one(
    location: str,
    path: str,
    volume_id: str | None = None,
    force: bool = False,
    strict: bool = False,
    limits: InputLimits = DEFAULT_INPUT_LIMITS,
    kind: str | None = None,
    year: int | None = None,
) -> FileOutcome:
    """Parse one file and store it in its own transaction (the task each worker runs); never raises."""
    from fangzhi.parse import volume_id_for

    started = time.perf_counter()
    worker = f"{os.getpid()}"
    wanted = volume_id or volume_id_for(path)
    try:
        kb = _knowledge_base(location)
        if not force:
            try:
                stored = kb.store.volume(wanted)
            except NotFoundError:
                stored = None
            if stored is not None and stored.source_sha256 == source_sha256(path):
                return FileOutcome(
                    path,
                    UNCHANGED,
                    wanted,
                    stored.title,
                    stored.kind,
                    seconds=time.perf_counter() - started,
                    worker=worker,
                )
        result = kb.ingest(path, volume_id=volume_id, strict=strict, limits=limits, kind=kind, year=year)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the others; it is reported
        message = str(error) if isinstance(error, FangzhiError) else f"{type(error).__name__}: {error}"
        if not message.startswith(path):
            message = f"{path}: {message}"
        warnings = [str(warning) for warning in getattr(error, "warnings", [])]
        return FileOutcome(
            path,
            FAILED,
            wanted,
            error=message,
            seconds=time.perf_counter() - started,
            worker=worker,
            warning_messages=warnings,
        )
    return FileOutcome(
        path,
        REPLACED if result.replaced else INGESTED,
        result.volume.id,
        result.volume.title,
        result.volume.kind,
        nodes=result.nodes,
        facts=result.facts,
        warnings=len(result.warnings),
        seconds=time.perf_counter() - started,
        worker=worker,
        warning_messages=[str(warning) for warning in result.warnings],
        replaced_source=result.replaced_source,
        coverage=result.coverage.to_dict() if result.coverage is not None else None,
    )


def ingest_distributed(
    location: str,
    paths: Sequence[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    processes: bool = True,
    force: bool = False,
    volume_id: str | None = None,
    strict: bool = False,
    limits: InputLimits = DEFAULT_INPUT_LIMITS,
    kind: str | None = None,
    year: int | None = None,
    progress: Progress | None = None,
    on_outcome: Callable[[FileOutcome], None] | None = None,
) -> BatchReport:
    """Ingest every file on dask workers: a local cluster of ``workers`` (one per core by default) or ``scheduler``'s.

    ``processes=False`` runs the local workers as threads of this process
    (quicker to start, but parsing then shares one core).  Each finished file
    is passed to ``on_outcome`` and summed up in ``progress``: stored,
    unchanged and failed so far, and the rate.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise KnowledgeBaseError(
            "distributed ingest needs dask: pip install 'fangzhi[distributed]' (dask[distributed])"
        ) from None
    from fangzhi.knowledge_base import volume_ids_for
    from fangzhi.store.postgres import is_postgres_url

    report_progress = progress or (lambda message: None)
    if volume_id and len(paths) > 1:
        raise FangzhiError("--volume-id needs exactly one file")
    volume_ids_for(paths, volume_id)
    if scheduler and not is_postgres_url(location):
        raise KnowledgeBaseError(
            f"{location}: workers of a remote scheduler cannot share an SQLite file; "
            "give --db postgresql://… (or leave out --scheduler to use local workers)"
        )
    _knowledge_base(location)  # create and migrate once, here, before workers race to do it
    report = BatchReport()
    started = time.perf_counter()
    cluster = None
    if scheduler:
        report_progress(f"connecting to the dask scheduler at {scheduler}")
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as error:
            raise KnowledgeBaseError(f"cannot reach the dask scheduler at {scheduler} ({error})") from None
    else:
        count = workers or os.cpu_count() or 1
        report_progress(f"starting {count} local dask worker{'s' if count > 1 else ''}")
        cluster = LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        )
        client = Client(cluster)
    try:
        report.workers = len(client.scheduler_info().get("workers", {}))
        futures = {
            client.submit(
                ingest_one, location, path, volume_id, force, pure=False, key=f"ingest-{number}-{Path(path).name}"
            ): number
            for number, path in enumerate(paths)
        }
        outcomes: dict[int, FileOutcome] = {}
        for future in as_completed(futures):
            number = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 - a worker that died on this file (KilledWorker) fails only it
                outcome = FileOutcome(
                    paths[number], FAILED, error=f"{paths[number]}: the worker running it failed ({error})"
                )
            outcomes[number] = outcome
            if on_outcome:
                on_outcome(outcome)
            report.outcomes = [outcomes[index] for index in sorted(outcomes)]
            report.seconds = time.perf_counter() - started
            report_progress(_progress_line(report, len(paths)))
        report.outcomes = [outcomes[index] for index in range(len(paths))]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    report.seconds = time.perf_counter() - started
    return report


def _progress_line(report: BatchReport, total: int) -> str:
    done = len(report.outcomes)
    left = total - done
    rate = done / report.seconds if report.seconds else 0.0
    eta = f", about {left / rate:.0f} s left" if rate and left else ""
    return (
        f"[{done}/{total}] {report.stored} stored, {report.count(UNCHANGED)} unchanged, "
        f"{report.count(FAILED)} failed; {rate * 60:.1f} volumes/min{eta}"
    )
