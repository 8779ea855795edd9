"""Time budgets: how long a read may run before the store stops it.

A budget belongs to the work being done (one web request, one search), not to
a connection, so it lives in a context variable: it follows the request into
the worker thread that runs it and into any thread started with
:func:`contextvars.copy_context`.  A store registers a way to stop its
connections (``sqlite3.Connection.interrupt``, a PostgreSQL cancel) with the
current budget each time it hands one out; when the deadline passes, one
watchdog thread calls them, and the statement running at that moment fails.
The store then raises :class:`~fangzhi.errors.TimeBudgetError`.

Stopping from outside, instead of a progress handler that SQLite calls every
few thousand instructions, keeps queries from taking the GIL back while they
run, so several searches really do run in parallel.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from fangzhi.errors import TimeBudgetError


class Budget:
    """A deadline and the callbacks that stop the work still running at it."""

    def __init__(self, seconds: float, label: str, advice: str) -> None:
        self.seconds = seconds
        self.label = label
        self.advice = advice
        self.deadline = time.monotonic() + seconds
        self._stoppers: dict[int, Callable[[], None]] = {}
        self._lock = threading.Lock()
        self._expired = False
        self._closed = False

    def stop_with(self, key: object, stop: Callable[[], None]) -> None:
        """Call ``stop`` when the deadline passes (once per ``key``, e.g. per connection)."""
        with self._lock:
            if self._closed:
                return
            if not self._expired:
                self._stoppers.setdefault(id(key), stop)
                return
        stop()

    def expired(self) -> bool:
        return self._expired or time.monotonic() >= self.deadline

    def error(self) -> TimeBudgetError:
        return TimeBudgetError(f"{self.label} took longer than {self.seconds:g} s and was stopped; {self.advice}")

    def _expire(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._expired = True
            for stop in self._stoppers.values():
                stop()

    def _close(self) -> None:
        with self._lock:
            self._closed = True
            self._stoppers.clear()


class _Watchdog:
    """One daemon thread that expires budgets at their deadlines."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Budget]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, budget: Budget) -> None:
        with self._wake:
            heapq.heappush(self._heap, (budget.deadline, next(self._order), budget))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="fangzhi-budget-watchdog", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._heap:
                    self._wake.wait()
                deadline, _, budget = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
            budget._expire()


_WATCHDOG = _Watchdog()
_CURRENT: ContextVar[Budget | None] = ContextVar("fangzhi_time_budget", default=None)


def current() -> Budget | None:
    """The budget of the work running in this context, if any."""
    return _CURRENT.get()


@contextmanager
def time_budget(seconds: float | None, label: str = "the request", advice: str = "ask for less") -> Iterator[None]:
    """Bound the reads made inside the block to ``seconds`` (``None``: no bound of its own).

    Budgets nest; the tighter one wins, so a search inside a web request
    stops at whichever deadline comes first.
    """
    outer = _CURRENT.get()
    if seconds is None or (outer is not None and outer.deadline <= time.monotonic() + seconds):
        yield
        return
    budget = Budget(seconds, label, advice)
    token = _CURRENT.set(budget)
    _WATCHDOG.watch(budget)
    try:
        yield
    finally:
        _CURRENT.reset(token)
        budget._close()


def check() -> None:
    """Raise :class:`TimeBudgetError` if the current budget has run out (for long loops outside the store)."""
    budget = _CURRENT.get()
    if budget is not None and budget.expired():
        raise budget.error()


def expired_error() -> TimeBudgetError | None:
    """The error to raise for a read that failed because the current budget ran out, else None."""
    budget = _CURRENT.get()
    return budget.error() if budget is not None and budget.expired() else None
