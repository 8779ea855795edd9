"""Parsing: source text to a document tree.  Pure functions, no I/O.

:func:`parse_source` detects what a text is (:mod:`~fangzhi.parse.kinds`),
hands it to the parser of that kind (a text that is none of them is kept as
untitled paragraphs and reported as not understood), and then, whatever the kind, makes
sure the result can be trusted: the volume has a real title, no source line
is lost, and the volume records its coverage (:mod:`~fangzhi.parse.coverage`)
and its warnings (every one a :class:`~fangzhi.model.ParseWarning`).
"""

from __future__ import annotations

import re
from pathlib import Path

from fangzhi.errors import InputError
from fangzhi.model import Document, Furniture, Node, NodeKind, ParseWarning, Volume
from fangzhi.parse.coverage import (
    account_for_every_line,
    measure_coverage,
    recognises_structure,
    untitled_paragraphs,
)
from fangzhi.parse.kinds import (
    CHRONICLE,
    DOCUMENT,
    GAZETTE,
    KINDS,
    YEARBOOK,
    KindEvidence,
    detect_kind,
    measure_kind,
)
from fangzhi.parse.repeats import find_repeated_copy, without_copy
from fangzhi.parse.titles import volume_title
from fangzhi.text.source import SourceText

__all__ = [
    "CHRONICLE",
    "DOCUMENT",
    "GAZETTE",
    "KINDS",
    "YEARBOOK",
    "detect_kind",
    "measure_kind",
    "parse_source",
    "volume_id_for",
]


def volume_id_for(path: str) -> str:
    """A volume's default id: the file name without its extension."""
    stem = Path(path).stem.strip()
    return re.sub(r"[^\w\-.]+", "-", stem).strip("-") or "volume"


def parse_source(
    source: SourceText, volume_id: str | None = None, kind: str | None = None, year: int | None = None
) -> Document:
    """Parse one source into a document, choosing the parser by its kind.

    ``kind`` (one of :data:`KINDS`) and ``year`` override what the text
    shows, for when detection or the year is wrong.  ``year`` is the
    volume's year as its title gives it: a yearbook's edition year (its
    records, and its 大事记, are of the year before), a gazette issue's or a
    chronicle's year.
    """
    if kind is not None and kind not in KINDS:
        raise InputError(source.path, f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")
    copy = find_repeated_copy(source)
    text = without_copy(source, copy) if copy else source
    evidence = measure_kind(text) if kind is None else None
    detected = kind or (evidence.kind if evidence else DOCUMENT)
    volume_id = volume_id or volume_id_for(source.path)
    if evidence is not None and not evidence.understood:
        document = _not_understood(text, volume_id, evidence)
    elif detected == YEARBOOK:
        from fangzhi.parse.yearbook import parse_yearbook

        document = parse_yearbook(text, volume_id, year)
    elif detected == GAZETTE:
        from fangzhi.parse.gazette import parse_gazette

        document = parse_gazette(text, volume_id)
    elif detected == CHRONICLE:
        from fangzhi.parse.chronicle import parse_chronicle_volume

        document = parse_chronicle_volume(text, volume_id, year)
    else:
        from fangzhi.parse.official_document import parse_official_document

        document = parse_official_document(text, volume_id)
    if kind is None and detected != DOCUMENT and not recognises_structure(document):
        document = _read_as_document(text, volume_id, detected)
    document.source = source
    if source.pages:
        _pages_from_the_pdf(document)
    if copy is not None:
        document.furniture.append(Furniture("repeated_copy", copy.line_start, copy.line_end))
        document.warnings.append(
            ParseWarning(
                "text_repeated",
                f"lines {copy.line_start}–{copy.line_end} repeat the text from line {copy.original_start} on "
                "(the file holds it twice?); they are kept as source lines but not read again",
                copy.line_start,
            )
        )
    if year is not None:
        document.volume.year = year
    document.volume.attributes["kind_detected"] = kind is None
    return _checked(document)


def _read_as_document(source: SourceText, volume_id: str, detected: str) -> Document:
    """A text that looked like a ``detected`` (it names itself one, say) but holds nothing of its structure."""
    from fangzhi.parse.official_document import parse_official_document

    document = parse_official_document(source, volume_id)
    document.warnings.insert(
        0,
        ParseWarning(
            "kind_not_found",
            f"the text looked like a {detected}, but nothing of a {detected}'s structure was found in it: "
            "it is read as a document",
        ),
    )
    return document


def _not_understood(source: SourceText, volume_id: str, evidence: KindEvidence) -> Document:
    """A text that is none of the kinds (too little of it is Chinese): kept as it stands, and said so.

    No parser is let loose on it, so a word it quotes (年鉴, 大事记, a 文号)
    cannot make it a yearbook, a chronicle or a document with a title.
    """
    root = Node(kind=NodeKind.VOLUME, title=None, line_start=1, line_end=max(len(source), 1))
    for paragraph in untitled_paragraphs(source):
        root.add(paragraph)
    volume = Volume.of_source(volume_id, DOCUMENT, source, volume_id, attributes={"not_understood": True})
    share = evidence.evidence["chinese_letter_share"]
    warning = ParseWarning(
        "text_not_understood",
        f"the text was not understood: only {share:.0%} of its letters are Chinese characters, and fangzhi reads "
        "Chinese yearbooks, gazettes, chronicles and official documents; its lines are kept as untitled paragraphs",
    )
    return Document(volume=volume, source=source, root=root, warnings=[warning])


def _pages_from_the_pdf(document: Document) -> None:
    """A PDF's printed pages on every node and on the volume, whatever the parser inferred."""
    from fangzhi.parse.pages import fill_pages, printed_pages

    page_map = printed_pages(document.source)
    fill_pages(document.root, page_map)
    document.volume.attributes["pages"] = page_map.pages
    document.volume.attributes["page_starts"] = [
        [start, number] for start, number in zip(page_map.starts, page_map.numbers, strict=True)
    ]
    known = {str(warning) for warning in document.warnings}
    document.warnings.extend(warning for warning in page_map.warnings if str(warning) not in known)


def _checked(document: Document) -> Document:
    """What every parsed volume gets: a real title, every line accounted for, coverage, its warnings recorded."""
    volume = document.volume
    for line in volume.attributes.get("furniture_lines", []):
        document.furniture.append(Furniture("web", line, line))
    volume.title = volume_title(document)
    document.root.title = document.root.title or volume.title
    account_for_every_line(document)
    document.assign_ids()
    coverage = measure_coverage(document)
    volume.attributes["coverage"] = coverage
    volume.attributes["warnings"] = list(document.warnings)
    return document
