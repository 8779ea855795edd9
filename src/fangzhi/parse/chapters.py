"""Chapters (类目): where each one starts, from the best evidence the text keeps.

A bookmark list or a 目录 names the chapters and gives their first pages;
with page marks on every page that settles where each starts.  Without a
list the chapters are the candidates the text itself shows
(:mod:`fangzhi.parse.chapter_evidence`).  With a list but no page marks, the
listed chapters are aligned with those candidates: by name first, then in
order, then where their pages fall in the text, choosing among the section
starts there the one where the vocabulary changes most
(:mod:`fangzhi.parse.cohesion`).  Running headers name chapters that print
no title line.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from fangzhi.model import ListedChapter, ParseWarning
from fangzhi.parse.body_text import BodyText
from fangzhi.parse.chapter_evidence import MONTH_HEADING, Candidate, ChapterEvidence
from fangzhi.parse.entries import HEADING_CHARS, heading_like
from fangzhi.parse.furniture import TextFurniture
from fangzhi.parse.layouts import known_chapter_name
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.plural import agree, counted

__all__ = ["MONTH_HEADING", "ChapterPlan", "ChapterSpan", "find_chapters"]

# A chapter's first page loses about a third to its title banner, its last page about half to white space.
# Without page marks a chapter start is sought within this many pages of where its page falls, and chosen
# there by how much the vocabulary changes.
_FIRST_PAGE_WEIGHT = 0.67
_LAST_PAGE_WEIGHT = 0.5
_NEAR_PAGES = 2.0
_COHESION_WEIGHT = 10.0


@dataclass
class ChapterSpan:
    """A chapter's lines and how it was found; ``reader`` is what the vocabulary says such a chapter holds."""

    start: int
    end: int
    title: str | None
    number: int | None
    found_by: str
    title_lines: tuple[int, ...] = ()
    printed_title: str | None = None
    listed: ListedChapter | None = None
    reader: str | None = None


@dataclass
class ChapterPlan:
    spans: list[ChapterSpan]
    warnings: list[ParseWarning] = field(default_factory=list)


def find_chapters(body: BodyText, furniture: TextFurniture, start: int, end: int) -> ChapterPlan:
    """Chapter spans of lines ``start``..``end`` (the body after the front matter)."""
    chapters = _Chapters(body, furniture, start, end)
    listed, source_name = _listed(furniture)
    warnings: list[ParseWarning] = []
    if listed and body.pages.complete and body.pages.starts:
        spans = chapters.from_listed_pages(listed, source_name)
    elif listed:
        spans = chapters.align(listed, source_name)
    else:
        spans = chapters.from_evidence()
    spans = chapters.finish(spans)
    if listed and len([s for s in spans if s.reader != "index"]) < len([c for c in listed if not _is_index(c)]):
        located = {span.listed.name for span in spans if span.listed}
        missing = [chapter.name for chapter in listed if chapter.name not in located and not _is_index(chapter)]
        warnings.append(
            ParseWarning(
                "chapters_not_located",
                f"{counted(len(missing), 'listed chapter')} {agree(len(missing), 'was', 'were')} not found in the text: "
                f"{'、'.join(missing[:5])}",
            )
        )
    return ChapterPlan(spans, warnings)


def _listed(furniture: TextFurniture) -> tuple[list[ListedChapter], str]:
    if furniture.bookmarks is not None:
        return list(furniture.bookmarks.chapters), "bookmarks"
    if furniture.contents is not None:
        return list(furniture.contents.chapters), "contents"
    return [], ""


def _is_index(chapter: ListedChapter) -> bool:
    name = known_chapter_name(chapter.name)
    return name is not None and name.reader == "index"


def _names_match(name: str, title: str) -> bool:
    name, title = squeeze_spaces(name), squeeze_spaces(title)
    if name == title:
        return True
    shorter, longer = sorted((name, title), key=len)
    return len(shorter) >= 2 and longer.startswith(shorter)


class _Chapters:
    """Chapter spans of the body lines ``start``..``end``, from a list or from the text's evidence."""

    def __init__(self, body: BodyText, furniture: TextFurniture, start: int, end: int) -> None:
        self.body = body
        self.furniture = furniture
        self.start = start
        self.end = end
        self.pages = body.pages
        self.evidence = ChapterEvidence(body, furniture, start, end)

    def from_evidence(self) -> list[ChapterSpan]:
        candidates = self.evidence.candidates()
        candidates += self.evidence.named_by_headers(candidates)
        spans = []
        for candidate in sorted(candidates, key=lambda c: c.line):
            spans.append(
                ChapterSpan(
                    candidate.line,
                    self.end,
                    candidate.title,
                    None,
                    candidate.found_by,
                    candidate.title_lines,
                    reader=candidate.reader,
                )
            )
        return spans

    def from_listed_pages(self, listed: list[ListedChapter], source_name: str) -> list[ChapterSpan]:
        spans = []
        missing = []
        for chapter in listed:
            start = None
            for page_start, number in zip(self.pages.starts, self.pages.numbers, strict=True):
                last = max(chapter.last_page or chapter.first_page or 0, chapter.first_page or 0)
                if chapter.first_page is not None and chapter.first_page <= number <= last and page_start >= self.start:
                    start = page_start
                    break
            if start is None:
                missing.append(chapter)
                continue
            spans.append(self._listed_span(chapter, start, source_name))
        if missing:
            spans = self._fill_missing(spans, missing, source_name)
        return spans

    def _listed_span(self, chapter: ListedChapter, start: int, found_by: str) -> ChapterSpan:
        known = known_chapter_name(chapter.name)
        return ChapterSpan(
            start,
            self.end,
            chapter.name,
            chapter.number,
            found_by,
            listed=chapter,
            reader=known.reader if known else None,
        )

    def _fill_missing(
        self, spans: list[ChapterSpan], missing: list[ListedChapter], source_name: str
    ) -> list[ChapterSpan]:
        taken = {span.start for span in spans}
        for chapter in missing:
            for candidate in self.evidence.candidates():
                if candidate.title and _names_match(chapter.name, candidate.title) and candidate.line not in taken:
                    spans.append(self._listed_span(chapter, candidate.line, source_name))
                    taken.add(candidate.line)
                    break
        return spans

    def align(self, listed: list[ListedChapter], source_name: str) -> list[ChapterSpan]:
        """Listed chapters without page marks: located by name, then in order, then by predicted position."""
        candidates = [c for c in self.evidence.candidates() if c.found_by != "section"]
        located: dict[int, int] = {}
        cursor = 0
        for position, chapter in enumerate(listed):
            for offset, candidate in enumerate(candidates[cursor:]):
                if candidate.title and _names_match(chapter.name, candidate.title):
                    located[position] = candidate.line
                    cursor += offset + 1
                    break
        weak = [c for c in self.evidence.weak_candidates() if c.line not in located.values()]
        starts = self._fill_gaps(listed, located, candidates, weak)
        spans = []
        for position, chapter in enumerate(listed):
            if position in starts:
                span = self._listed_span(chapter, starts[position], source_name)
                span.found_by = f"{source_name}+{'title' if position in located else 'position'}"
                spans.append(span)
        return spans

    def _fill_gaps(
        self,
        listed: list[ListedChapter],
        located: dict[int, int],
        candidates: list[Candidate],
        weak: list[Candidate],
    ) -> dict[int, int]:
        starts = dict(located)
        anchors = sorted(located.items())
        bounds = [(-1, self.start - 1), *anchors, (len(listed), self.end + 1)]
        positions = _PagePositions(self.evidence, listed, located)
        for (left, left_line), (right, right_line) in zip(bounds, bounds[1:], strict=False):
            wanted = list(range(left + 1, right))
            if not wanted:
                continue
            strong = [c.line for c in candidates if left_line < c.line < right_line]
            pool_weak = [c.line for c in weak if left_line < c.line < right_line]
            starts.update(positions.choose(wanted, strong, pool_weak))
        return starts

    # -- finishing -------------------------------------------------------

    def finish(self, spans: list[ChapterSpan]) -> list[ChapterSpan]:
        spans = sorted((s for s in spans if self.start <= s.start <= self.end), key=lambda s: s.start)
        unique: list[ChapterSpan] = []
        for span in spans:
            if unique and unique[-1].start == span.start:
                continue
            unique.append(span)
        for this, following in zip(unique, unique[1:], strict=False):
            this.end = following.start - 1
        if unique:
            unique[-1].end = self.end
        for number, span in enumerate(unique, start=1):
            if span.number is None and span.listed is None:
                span.number = number
            self._title_lines(span)
        self._name_from_headers(unique)
        return unique

    def _title_lines(self, span: ChapterSpan) -> None:
        """The title's lines in the chapter (printed once or twice), and its printed form when a list names it."""
        if not span.title:
            return
        lines = self.evidence.lines[
            bisect.bisect_left(self.evidence.lines, span.start) : bisect.bisect_right(self.evidence.lines, span.end)
        ]
        name = squeeze_spaces(span.title)
        printed = None
        titles = set(span.title_lines)
        for position, number in enumerate(lines):
            text = self.evidence.texts[self.evidence.index_of[number]]
            if text in (name, printed):
                titles.add(number)
                continue
            if span.listed is None or position > len(titles):
                continue
            following = lines[position + 1] if position + 1 < len(lines) else None
            opens_entry = following is not None and following in self.evidence.entry_lines
            if (
                printed is None
                and not opens_entry
                and 2 <= len(text) <= 12
                and HEADING_CHARS.match(text)
                and (text.startswith(name) or name.startswith(text))
            ):
                printed = text
                titles.add(number)
        span.title_lines = tuple(sorted(titles))
        if printed and printed != name:
            span.printed_title = printed

    def _name_from_headers(self, spans: Sequence[ChapterSpan]) -> None:
        """A chapter with no title line takes its name from a running header on one of its pages."""
        for line, text in sorted(self.furniture.headers.items()):
            if not heading_like(text) or known_chapter_name(text) is None and len(text) < 2:
                continue
            for span in spans:
                if span.start <= line <= span.end and span.title is None:
                    span.title = text
                    span.found_by += "+running_header"
                    known = known_chapter_name(text)
                    span.reader = span.reader or (known.reader if known else None)


class _PagePositions:
    """Where a listed chapter's first page falls in the text, from the chapter starts found and the footers.

    Positions are counted in characters of body text.  Between two known
    page starts the text is shared out page by page, a chapter's first page
    (under its title banner) and its last page (left part blank) counting
    for less than a full one.
    """

    def __init__(self, evidence: ChapterEvidence, listed: list[ListedChapter], located: dict[int, int]) -> None:
        self.evidence = evidence
        self.listed = listed
        self.offsets: list[int] = []
        total = 0
        for text in evidence.texts:
            self.offsets.append(total)
            total += len(text)
        self.total = total
        first_pages = {c.first_page for c in listed if c.first_page is not None}
        last_pages = {c.last_page for c in listed if c.last_page is not None}
        self.weights = {page: _FIRST_PAGE_WEIGHT for page in first_pages}
        for page in last_pages:
            self.weights[page] = self.weights.get(page, 1.0) * _LAST_PAGE_WEIGHT
        points: dict[int, float] = {}
        for position, line in located.items():
            if listed[position].first_page is not None:
                points[listed[position].first_page] = self.offset(line)  # type: ignore[index]
        for footer_line, page in evidence.furniture.footers.items():
            points.setdefault(page + 1, self.offset(footer_line))
        self.points = sorted(points.items())
        self.cohesion = evidence.cohesion()
        pages = [c.last_page or c.first_page for c in listed if (c.last_page or c.first_page)]
        first = min((c.first_page for c in listed if c.first_page), default=1)
        self.page_chars = total / max(max(pages, default=1) - first + 1, 1)

    def offset(self, line: int) -> int:
        index = bisect.bisect_left(self.evidence.lines, line)
        return self.offsets[index] if index < len(self.offsets) else self.total

    def _weight(self, first: int, last: int) -> float:
        return sum(self.weights.get(page, 1.0) for page in range(first, last))

    def expected(self, page: int | None) -> float | None:
        if page is None or not self.points:
            return None
        index = bisect.bisect_right([p for p, _ in self.points], page)
        if index == 0 or index == len(self.points):
            return None
        (left_page, left), (right_page, right) = self.points[index - 1], self.points[index]
        total = self._weight(left_page, right_page)
        return left + (right - left) * self._weight(left_page, page) / total if total else left

    def choose(self, wanted: list[int], strong: list[int], weak: list[int]) -> dict[int, int]:
        """Give wanted chapters lines of the pool in order, near where their pages fall, strong evidence first.

        An alignment: each wanted chapter takes a pool line after the previous
        one's; the cost is the distance in pages from where its page falls,
        half a page more for a weak candidate, a page for each strong
        candidate left unused, five for a chapter left without a start.
        """
        pool = sorted(set(strong) | set(weak))
        strong_set = set(strong)
        expected = [self.expected(self.listed[position].first_page) for position in wanted]
        unassigned, skip_strong, weak_cost = 5.0, 1.0, 0.5

        def cost(i: int, j: int) -> float:
            line = pool[j]
            if expected[i] is None:
                return 0.0 if line in strong_set else weak_cost
            distance = abs(self.offset(line) - expected[i]) / max(self.page_chars, 1.0)
            if line in strong_set:
                return distance
            if distance > _NEAR_PAGES:
                return float("inf")
            return weak_cost + _COHESION_WEIGHT * self.cohesion.at(self.evidence.index_of[line])

        infinity = float("inf")
        rows, columns = len(wanted), len(pool)
        best = [[infinity] * (columns + 1) for _ in range(rows + 1)]
        step: dict[tuple[int, int], tuple[int, int, bool]] = {}
        best[0][0] = 0.0
        for i in range(rows + 1):
            for j in range(columns + 1):
                here = best[i][j]
                if here == infinity:
                    continue
                if j < columns:
                    skipped = here + (skip_strong if pool[j] in strong_set else 0.0)
                    if skipped < best[i][j + 1]:
                        best[i][j + 1], step[(i, j + 1)] = skipped, (i, j, False)
                if i < rows:
                    left_out = here + unassigned
                    if left_out < best[i + 1][j]:
                        best[i + 1][j], step[(i + 1, j)] = left_out, (i, j, False)
                if i < rows and j < columns:
                    taken = here + cost(i, j)
                    if taken < best[i + 1][j + 1]:
                        best[i + 1][j + 1], step[(i + 1, j + 1)] = taken, (i, j, True)
        chosen: dict[int, int] = {}
        i, j = rows, columns
        while (i, j) in step:
            previous_i, previous_j, assigned = step[(i, j)]
            if assigned:
                chosen[wanted[previous_i]] = pool[previous_j]
            i, j = previous_i, previous_j
        return chosen
