"""Flagging a volume whose text was barely understood.

Ingest records how much of a volume's text it read as structure (its
``coverage``, with a ``share`` between 0 and 1, in the volume's attributes
and in ``stats``).  A damaged file, one cut short, or a layout fangzhi does
not know still ingests, with few nodes; a share below :data:`LOW_COVERAGE`
is said in ``ingest`` (a warning, so ``--strict`` refuses it), in ``stats``
and on the web UI's volume list, so that nobody relies on it unawares.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOW_COVERAGE = 0.5
# Warnings that already say a volume was not understood; low coverage is not said again beside them.
NOT_UNDERSTOOD = frozenset({"low_coverage", "text_not_understood"})


def coverage_share(coverage: Any) -> float | None:
    """The share of a coverage record (an object or its dict), or None when there is none."""
    if coverage is None:
        return None
    share = coverage.get("share") if isinstance(coverage, Mapping) else getattr(coverage, "share", None)
    return float(share) if isinstance(share, (int, float)) and not isinstance(share, bool) else None


def low_coverage_message(coverage: Any) -> str | None:
    """A sentence for a coverage below :data:`LOW_COVERAGE`, else None."""
    share = coverage_share(coverage)
    if share is None or share >= LOW_COVERAGE:
        return None
    return (
        f"only {share:.0%} of the text was read as structure (less than {LOW_COVERAGE:.0%}): the file may be "
        "damaged, cut short or of a layout fangzhi does not know; check it before relying on it"
    )
