"""Parsing: source text to a document tree.  Pure functions, no I/O."""

from __future__ import annotations

import re
from pathlib import Path

from fangzhi.model import Document
from fangzhi.text.source import SourceText

YEARBOOK = "yearbook"
GAZETTE = "gazette"
DOCUMENT = "document"
CHRONICLE = "chronicle"
# A text most of whose paragraphs are date-led is a chronicle (see parse.chronicle.chronicle_evidence).
CHRONICLE_SHARE = 0.4

_ENTRY_TITLE = re.compile(r"^\s?【[^】]{1,40}(】|$)")


def detect_kind(source: SourceText) -> str:
    """Tell a yearbook, a gazette issue and any other document apart from their text.

    A yearbook has many 【…】 entry titles and calls itself 年鉴; a gazette
    calls itself 公报 in its masthead and has a 目录.  Anything else is a
    standalone document.
    """
    head = "".join(line.replace(" ", "") for line in source.lines[:80])
    entry_titles = sum(1 for line in source.lines if _ENTRY_TITLE.match(line))
    if entry_titles >= 20 and ("年鉴" in head or "YEARBOOK" in head.upper() or entry_titles >= 200):
        return YEARBOOK
    if "公报" in head and "目录" in head:
        return GAZETTE
    from fangzhi.parse.chronicle import chronicle_evidence

    if chronicle_evidence(source) >= CHRONICLE_SHARE:
        return CHRONICLE
    return DOCUMENT


def volume_id_for(path: str) -> str:
    """A volume's default id: the file name without its extension."""
    stem = Path(path).stem.strip()
    return re.sub(r"[^\w\-.]+", "-", stem).strip("-") or "volume"


def parse_source(
    source: SourceText, volume_id: str | None = None, kind: str | None = None, year: int | None = None
) -> Document:
    """Parse one source into a document, choosing the parser by its kind.

    ``year`` is used where the text itself names none (a chronicle's dates).
    """
    kind = kind or detect_kind(source)
    volume_id = volume_id or volume_id_for(source.path)
    if kind == YEARBOOK:
        from fangzhi.parse.yearbook import parse_yearbook

        document = parse_yearbook(source, volume_id)
    elif kind == GAZETTE:
        from fangzhi.parse.gazette import parse_gazette

        document = parse_gazette(source, volume_id)
    elif kind == CHRONICLE:
        from fangzhi.parse.chronicle import parse_chronicle_volume

        document = parse_chronicle_volume(source, volume_id, year)
    else:
        from fangzhi.parse.official_document import parse_official_document

        document = parse_official_document(source, volume_id)
    document.assign_ids()
    return document
