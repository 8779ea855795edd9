"""Layout profiles: how a yearbook text marks its pages, chapters and entries.

Yearbook texts come in a few layouts: the text of an e-book PDF (pages
marked by a leading space, stray ``··N`` footers, the PDF's bookmark list at
the end), the text of a printed book (footers such as ``- 12 -``, ``·12·`` or
``第12页``, a 目录 at the front), or plain text with no furniture at all.
Entries are titled ``【…】``, ``[…]``, ``■…``/``◆…`` or by a short line of
their own.

The rules are data (``data/yearbook_layouts.json``): families of styles
(footers, page marks, running headers, bookmark lists, 目录, entry markers)
and profiles that name the families a layout uses.  :func:`detect_layout`
measures every style on the text, picks the profile the evidence supports
best and keeps only the styles that were seen, so the passes of
:mod:`fangzhi.parse.yearbook` read what the text shows and nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

TITLE_LINE = "title_line"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Rule:
    """One style of one family: a name, its pattern and an example as printed."""

    name: str
    pattern: re.Pattern[str]
    example: str = ""
    max_length: int | None = None
    anywhere: bool = False

    def matches(self, line: str) -> re.Match[str] | None:
        if self.max_length is not None and len(line.strip()) > self.max_length:
            return None
        return self.pattern.search(line)


@dataclass(frozen=True)
class EntryMarker:
    """How entry titles are marked: a pattern with a ``title`` group, or a title line of its own."""

    name: str
    label: str
    pattern: re.Pattern[str] | None
    closing: str = ""
    max_length: int = 40

    def match(self, text: str) -> re.Match[str] | None:
        """The marked title at the start of ``text``; a title names something, so it has Chinese in it."""
        if self.pattern is None:
            return None
        match = self.pattern.match(text)
        return match if match and _CJK.search(match["title"]) else None


@dataclass(frozen=True)
class ContentsRule:
    headings: tuple[str, ...]
    item: re.Pattern[str]


@dataclass(frozen=True)
class ChapterName:
    """A chapter name of the generic vocabulary, and what such a chapter usually holds."""

    match: str
    text: str
    reader: str

    def fits(self, title: str) -> bool:
        if self.match == "name":
            return title == self.text
        if self.match == "suffix":
            return title.endswith(self.text) and len(title) <= len(self.text) + 12
        return re.search(self.text, title) is not None


@dataclass(frozen=True)
class LayoutProfile:
    """The rules one yearbook layout uses, and the evidence found for each when detected."""

    name: str
    description: str
    page_marks: tuple[Rule, ...]
    footers: tuple[Rule, ...]
    running_headers: tuple[Rule, ...]
    bookmarks: tuple[Rule, ...]
    chapter_sources: tuple[str, ...]
    entry_markers: tuple[EntryMarker, ...]
    contents: ContentsRule
    overview_headings: tuple[str, ...]
    notes_headings: tuple[str, ...]
    banner_text_ratio: float
    evidence: dict[str, int] = field(default_factory=dict, compare=False)

    def describe(self) -> dict[str, object]:
        """What was detected, for the volume's attributes and the user."""
        return {
            "profile": self.name,
            "page_marks": [rule.name for rule in self.page_marks],
            "footers": [rule.name for rule in self.footers],
            "chapter_sources": list(self.chapter_sources),
            "entry_markers": [marker.label for marker in self.entry_markers],
            "evidence": {key: value for key, value in self.evidence.items() if value},
        }


@lru_cache(maxsize=1)
def _data() -> dict:  # type: ignore[type-arg]
    text = resources.files("fangzhi.data").joinpath("yearbook_layouts.json").read_text(encoding="utf-8")
    return json.loads(text)


def _rules(family: str) -> dict[str, Rule]:
    return {
        name: Rule(
            name,
            re.compile(spec["pattern"]),
            spec.get("example", ""),
            spec.get("max_length"),
            spec.get("anywhere", False),
        )
        for name, spec in _data()[family].items()
    }


@lru_cache(maxsize=1)
def entry_markers() -> dict[str, EntryMarker]:
    markers: dict[str, EntryMarker] = {}
    for name, spec in _data()["entry_markers"].items():
        pattern = re.compile(spec["pattern"]) if "pattern" in spec else None
        markers[name] = EntryMarker(name, spec["label"], pattern, spec.get("closing", ""), spec.get("max_length", 40))
    return markers


@lru_cache(maxsize=1)
def profiles() -> tuple[LayoutProfile, ...]:
    """Every profile of the data file, with all of its rules (before detection narrows them)."""
    data = _data()
    families = {family: _rules(family) for family in ("footers", "page_marks", "running_headers", "bookmarks")}
    contents = ContentsRule(tuple(data["contents"]["headings"]), re.compile(data["contents"]["item"]))
    markers = entry_markers()
    found = []
    for spec in data["profiles"]:
        found.append(
            LayoutProfile(
                name=spec["name"],
                description=spec["description"],
                page_marks=tuple(families["page_marks"][name] for name in spec["page_marks"]),
                footers=tuple(families["footers"][name] for name in spec["footers"]),
                running_headers=tuple(families["running_headers"][name] for name in spec["running_headers"]),
                bookmarks=tuple(families["bookmarks"].values()) if "bookmarks" in spec["chapters"] else (),
                chapter_sources=tuple(spec["chapters"]),
                entry_markers=tuple(markers[name] for name in spec["entry_markers"]),
                contents=contents,
                overview_headings=tuple(data["overview_headings"]),
                notes_headings=tuple(data["editorial_notes_headings"]),
                banner_text_ratio=float(data["banner_text_ratio"]),
            )
        )
    return tuple(found)


@lru_cache(maxsize=1)
def chapter_names() -> tuple[ChapterName, ...]:
    """The generic chapter vocabulary of Chinese yearbooks (``data/yearbook_chapters.tsv``)."""
    text = resources.files("fangzhi.data").joinpath("yearbook_chapters.tsv").read_text(encoding="utf-8")
    names = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match, name, reader = line.split("\t")
        names.append(ChapterName(match, name, reader))
    return tuple(names)


@lru_cache(maxsize=1)
def _chapter_index() -> tuple[dict[str, ChapterName], tuple[ChapterName, ...]]:
    names = {name.text: name for name in chapter_names() if name.match == "name"}
    others = tuple(name for name in chapter_names() if name.match != "name")
    return names, others


def known_chapter_name(title: str) -> ChapterName | None:
    """The vocabulary entry a title line fits, if any (letter-spacing ignored)."""
    title = squeeze_spaces(title)
    names, others = _chapter_index()
    if title in names:
        return names[title]
    if len(title) > _LONGEST_CHAPTER_NAME:
        return None
    for name in others:
        if name.fits(title):
            return name
    return None


_LONGEST_CHAPTER_NAME = 24
# Footers and page-number lines are short; longer lines are not tried against their patterns.
_SHORT_LINE = 16


# ---------------------------------------------------------------- detection


def _count_page_marks(lines: tuple[str, ...], rule: Rule) -> int:
    """Page marks that stand apart: a run of marked lines in a row is an indented list, not pages."""
    count = 0
    previous_marked = False
    for line in lines:
        if not line.strip():
            continue
        marked = bool(rule.matches(line))
        if marked and not previous_marked:
            count += 1
        previous_marked = marked
    return count


def trailing_lines(source: SourceText, count: int = 400) -> list[str]:
    """The last ``count`` non-blank lines, where a PDF's bookmark list would be."""
    found: list[str] = []
    for line in reversed(source.lines):
        if line.strip():
            found.append(line)
            if len(found) == count:
                break
    return found[::-1]


def measure(source: SourceText) -> dict[str, int]:
    """How many lines show each style of each family: the evidence detection weighs."""
    data = _data()
    lines = source.lines
    evidence: dict[str, int] = {}
    short = [line for line in lines if line.strip() and len(line.strip()) <= _SHORT_LINE]
    for name, rule in _rules("footers").items():
        evidence[f"footers.{name}"] = sum(1 for line in short if rule.matches(line))
    for name, rule in _rules("page_marks").items():
        evidence[f"page_marks.{name}"] = _count_page_marks(lines, rule)
    tail = trailing_lines(source)
    for name, rule in _rules("bookmarks").items():
        evidence[f"bookmarks.{name}"] = sum(1 for line in tail if rule.matches(line))
    contents_headings = set(data["contents"]["headings"])
    evidence["contents"] = sum(1 for line in lines[:3000] if squeeze_spaces(line) in contents_headings)
    marked = [text for text in (line.strip() for line in lines) if text and not text[0].isalnum()]
    for name, marker in entry_markers().items():
        if marker.pattern is not None:
            evidence[f"entry_markers.{name}"] = sum(1 for text in marked if marker.match(text))
    return evidence


def _score(profile: LayoutProfile, evidence: dict[str, int]) -> float:
    """Lines of page furniture the profile explains, less half a point per rule it expects but misses."""
    score = 0.0
    for family, rules in (("page_marks", profile.page_marks), ("footers", profile.footers)):
        for rule in rules:
            found = evidence.get(f"{family}.{rule.name}", 0)
            score += found if found else -0.5
    for rule in profile.bookmarks:
        found = evidence.get(f"bookmarks.{rule.name}", 0)
        score += 1000 if found >= 2 else -0.5
    return score


def detect_layout(source: SourceText) -> LayoutProfile:
    """The profile whose rules the text shows most, narrowed to the styles actually seen."""
    evidence = measure(source)
    best = max(profiles(), key=lambda profile: _score(profile, evidence))
    return narrow(best, evidence)


def narrow(profile: LayoutProfile, evidence: dict[str, int]) -> LayoutProfile:
    """Keep the styles with evidence; entry markers: the marked styles seen, else title lines."""
    marked = {
        marker.name: evidence.get(f"entry_markers.{marker.name}", 0)
        for marker in profile.entry_markers
        if marker.pattern
    }
    best = max(marked.values(), default=0)
    markers = tuple(
        marker
        for marker in profile.entry_markers
        if marker.pattern and best and marked[marker.name] >= max(1, best // 10)
    )
    if not markers:
        markers = tuple(marker for marker in profile.entry_markers if marker.name == TITLE_LINE)
    return replace(
        profile,
        page_marks=tuple(rule for rule in profile.page_marks if evidence.get(f"page_marks.{rule.name}", 0) >= 2),
        footers=tuple(rule for rule in profile.footers if evidence.get(f"footers.{rule.name}", 0)),
        bookmarks=tuple(rule for rule in profile.bookmarks if evidence.get(f"bookmarks.{rule.name}", 0) >= 2),
        entry_markers=markers,
        evidence=evidence,
    )


def declared_count_words() -> dict[str, list[str]]:
    """The words an 编辑说明 counts its parts in (类目, 分目, 条目, 表格, 图片), by what fangzhi calls them."""
    return dict(_data()["declared_counts"])
