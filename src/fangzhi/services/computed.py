"""Results computed from a store (the subject index, the registers), kept while its volumes stay the same.

They take seconds to compute and are read again and again by a web server,
but they must never be stale: each store keeps its results keyed by the set of
its volumes (ids and source hashes), and any ingest or deletion starts afresh.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from fangzhi.store.base import Store

T = TypeVar("T")

Fingerprint = tuple[tuple[str, str], ...]

# Per store: the volumes the results were computed from, and the results by name.
_cache: weakref.WeakKeyDictionary[Any, tuple[Fingerprint, dict[str, Any]]] = weakref.WeakKeyDictionary()
_lock = threading.RLock()


def _fingerprint(store: Store) -> Fingerprint:
    return tuple((volume.id, volume.source_sha256) for volume in store.volumes())


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
