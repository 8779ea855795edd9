"""Results computed from a store, kept while its volumes stay the same.

The subject index, the registers, the check report's findings, the targets
register with its statuses, the ask vocabulary: they take up to seconds to
compute and are read again and again by a web server, but they must never be
stale: each store keeps its results keyed by the set of its volumes (ids,
source hashes, and the kind and year they were read as, which ``--kind`` and
``--year`` change), and any ingest or deletion starts afresh.  Results are
shared by every caller: they are never changed after they are built.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from fangzhi.store.base import Store

T = TypeVar("T")

Fingerprint = tuple[tuple[str, str, str, str], ...]

# Per store: the volumes the results were computed from, and the results by name.
_cache: weakref.WeakKeyDictionary[Any, tuple[Fingerprint, dict[str, Any]]] = weakref.WeakKeyDictionary()
_lock = threading.RLock()


def _fingerprint(store: Store) -> Fingerprint:
    return tuple((volume.id, volume.source_sha256, volume.kind, str(volume.year)) for volume in store.volumes())


def computed(store: Store, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for this store, computed once while its volumes are unchanged."""
    with _lock:
        fingerprint = _fingerprint(store)
        cached = _cache.get(store)
        if cached is None or cached[0] != fingerprint:
            cached = _cache[store] = (fingerprint, {})
        results = cached[1]
        if name not in results:
            results[name] = build()
        return results[name]


def computed_names(store: Store) -> list[str]:
    """The names of the results kept for ``store`` now (what a page will not compute again)."""
    with _lock:
        cached = _cache.get(store)
        if cached is None or cached[0] != _fingerprint(store):
            return []
        return sorted(cached[1])
