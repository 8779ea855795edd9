"""Chapters (类目): where each one starts, from the best evidence the text keeps.

A bookmark list or a 目录 names the chapters and gives their first pages;
with page marks on every page that settles where each starts.  Without a
list, or without page marks, a chapter start shows in the text itself, and
each kind of evidence is a candidate (``found_by``):

* ``title``: a title line at a block start (a page start, after an
  attribution or a closed sentence) that is a chapter name of the generic
  vocabulary (``data/yearbook_chapters.tsv``), is followed by an overview
  section (综述), or, at a page start, by a section and its first entry;
* ``late_title``: a chapter name standing alone at the end of a page, printed
  after the page's text; the chapter starts at that page;
* ``overview``: a 综述 (overview) section opening a page, or following an
  attribution when pages are unknown;
* ``chronicle``, ``people``, ``index``: the first of a run of month
  headings, person profiles or index references: the text changes kind;
* ``after_people``, ``after_entries``: the first page of long unmarked text
  after the last profile or entry;
* ``banner``: a section opening a page that holds clearly less text than a
  full page with as many photos, because a chapter's first page carries its
  title banner.

With a list but no page marks, the listed chapters are aligned with these
candidates: by name first, then in order, then by the position their pages
predict.  Running headers name chapters that print no title line.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from fangzhi.model import ListedChapter, ParseWarning
from fangzhi.parse.articles import title_blocks
from fangzhi.parse.body_text import BodyText
from fangzhi.parse.entries import HEADING_CHARS, entry_start, heading_like, uses_title_lines
from fangzhi.parse.furniture import TextFurniture
from fangzhi.parse.layouts import known_chapter_name
from fangzhi.parse.line_roles import ATTRIBUTION, CONTENT, SENTENCE_END, TABLE
from fangzhi.parse.people import is_profile
from fangzhi.parse.subject_index import is_reference
from fangzhi.text.normalize import squeeze_spaces

MONTH_HEADING = re.compile(r"^(?:\d{1,2}|十[一二]|[一二三四五六七八九十])月份?$")
_TITLE_MAX = 24
_WRAPPED_TITLE_WIDTH = 7
_MIN_TRAILING_LINES = 20
_TRAILING_PROFILES = 3
_LATE_TITLE_SEARCH = 150
_MIN_PAGES_FOR_FILL = 3
# A chapter's first page loses about a third to its title banner, its last page about half to white space.
_FIRST_PAGE_WEIGHT = 0.67
_LAST_PAGE_WEIGHT = 0.5
# Without page marks a chapter start is sought within this many pages of where its page falls, and chosen
# there by how much the vocabulary changes (over windows of this many text lines).
_NEAR_PAGES = 2.0
_COHESION_WINDOW = 150
_COHESION_WEIGHT = 10.0

STRENGTH = {
    "title": 6,
    "late_title": 5,
    "chronicle": 4,
    "people": 4,
    "index": 4,
    "overview": 3,
    "after_people": 3,
    "after_entries": 3,
    "banner": 2,
    "running_header": 2,
    "section": 1,
}


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


@dataclass(frozen=True)
class Candidate:
    line: int
    found_by: str
    title: str | None = None
    title_lines: tuple[int, ...] = ()
    reader: str | None = None

    @property
    def strength(self) -> int:
        return STRENGTH[self.found_by]


@dataclass
class ChapterPlan:
    spans: list[ChapterSpan]
    warnings: list[ParseWarning] = field(default_factory=list)


def find_chapters(body: BodyText, furniture: TextFurniture, start: int, end: int) -> ChapterPlan:
    """Chapter spans of lines ``start``..``end`` (the body after the front matter)."""
    finder = _Finder(body, furniture, start, end)
    listed, source_name = _listed(furniture)
    warnings: list[ParseWarning] = []
    if listed and body.pages.complete and body.pages.starts:
        spans = finder.from_listed_pages(listed, source_name)
    elif listed:
        spans = finder.align(listed, source_name)
    else:
        spans = finder.from_evidence()
    spans = finder.finish(spans)
    if listed and len([s for s in spans if s.reader != "index"]) < len([c for c in listed if not _is_index(c)]):
        located = {span.listed.name for span in spans if span.listed}
        missing = [chapter.name for chapter in listed if chapter.name not in located and not _is_index(chapter)]
        warnings.append(
            ParseWarning(
                "chapters_not_located",
                f"{len(missing)} listed chapters were not found in the text: {'、'.join(missing[:5])}",
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


class _Finder:
    def __init__(self, body: BodyText, furniture: TextFurniture, start: int, end: int) -> None:
        self.body = body
        self.furniture = furniture
        self.start = start
        self.end = end
        self.pages = body.pages
        self.paged = body.pages.complete and bool(body.pages.starts)
        self.lines = body.text_lines(start, end)
        self.texts = [body.squeezed(n) for n in self.lines]
        self.index_of = {n: i for i, n in enumerate(self.lines)}
        self.entry_lines = (
            {n for i, n in enumerate(self.lines) if entry_start(body, self.lines, i) is not None}
            if uses_title_lines(body.markers)
            else {n for n in self.lines if body.marked_entry(n) is not None}
        )
        self.overviews = set(body.profile.overview_headings)
        self._cohesion: _Cohesion | None = None

    # -- helpers ---------------------------------------------------------

    def page_start(self, line: int) -> int:
        """The first line of the page a line is on (the line itself when pages are unknown)."""
        if not self.paged:
            return line
        index = bisect.bisect_right(self.pages.starts, line) - 1
        return self.pages.starts[index] if index >= 0 else line

    def first_text_on_page(self, index: int) -> bool:
        if not self.paged:
            return False
        line = self.lines[index]
        page_start = self.page_start(line)
        if page_start == line or (index == 0 and page_start <= line):
            return True
        return index > 0 and self.lines[index - 1] < page_start <= line

    def closed_before(self, index: int) -> bool:
        """The text before a line is finished: nothing before it, an attribution, or a closed sentence."""
        if index == 0:
            return True
        previous = self.lines[index - 1]
        return self.body.roles.role(previous) == ATTRIBUTION or bool(SENTENCE_END.search(self.texts[index - 1]))

    def block_start(self, index: int) -> bool:
        return self.closed_before(index)

    def title_like(self, index: int) -> bool:
        text = self.texts[index]
        return (
            2 <= len(text) <= _TITLE_MAX
            and self.body.roles.role(self.lines[index]) == CONTENT
            and self.lines[index] not in self.entry_lines
            and bool(HEADING_CHARS.match(text))
        )

    def run_at(self, index: int) -> list[int]:
        """Heading lines from ``index`` on, a repeated line (a title printed twice) counted once."""
        run = [index]
        while index + len(run) < len(self.lines) and len(run) < 4 and self.title_like(index + len(run)):
            run.append(index + len(run))
        return run

    # -- candidates ------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        found: list[Candidate] = []
        found += self.title_candidates()
        found += self.overview_candidates()
        found += self.kind_candidates()
        if self.paged:
            found += self.banner_candidates({self.page_start(c.line) for c in found})
        return self._join_headed(_merge(found))

    def _join_headed(self, candidates: list[Candidate]) -> list[Candidate]:
        """A candidate right below another, with only heading lines between, starts the same chapter."""
        joined: list[Candidate] = []
        for candidate in candidates:
            if joined:
                first = bisect.bisect_left(self.lines, joined[-1].line)
                last = bisect.bisect_left(self.lines, candidate.line)
                if all(self.title_like(i) for i in range(first, last)):
                    joined[-1] = _merge(
                        [joined[-1], Candidate(joined[-1].line, candidate.found_by, reader=candidate.reader)]
                    )[0]
                    continue
            joined.append(candidate)
        return joined

    def title_candidates(self) -> list[Candidate]:
        found = []
        skip_until = -1
        for index in range(len(self.lines)):
            if index <= skip_until or not self.title_like(index):
                continue
            run = self.run_at(index)
            unique = [i for position, i in enumerate(run) if position == 0 or self.texts[i] != self.texts[run[0]]]
            repeats = tuple(self.lines[i] for i in run if self.texts[i] == self.texts[index])
            following = run[-1] + 1 if run[-1] + 1 < len(self.lines) else None
            title = self.texts[index]
            known = known_chapter_name(title)
            if self.block_start(index) and self.is_chapter_title(index, unique, following, known is not None):
                line = self.page_start(self.lines[index]) if self.first_text_on_page(index) else self.lines[index]
                found.append(Candidate(line, "title", title, repeats, known.reader if known else None))
                skip_until = index + len(repeats) - 1
            elif (
                known is not None
                and known.match == "name"
                and self.is_late_title(index, run)
                and title not in {candidate.title for candidate in found if candidate is not None}
            ):
                found.append(self.late_title(index, known.reader))
        return [candidate for candidate in found if candidate is not None]

    def is_chapter_title(self, index: int, run: list[int], following: int | None, known: bool) -> bool:
        headings = len(run)
        if following is not None and self.lines[following] in self.entry_lines and headings <= 1:
            return False
        if known:
            return True
        if len(run) >= 2 and self.texts[run[1]] in self.overviews:
            return True
        if not self.first_text_on_page(index) or following is None:
            return False
        opens_entries = self.lines[following] in self.entry_lines
        wrapped = len(run) == 2 and len(self.texts[run[0]]) >= _WRAPPED_TITLE_WIDTH
        return headings >= 2 and opens_entries and not wrapped

    def is_late_title(self, index: int, run: list[int]) -> bool:
        if len(run) != 1 or index == 0 or self.closed_before(index):
            return False
        following = index + 1
        return following >= len(self.lines) or (
            not self.title_like(following) and self.lines[following] not in self.entry_lines
        )

    def late_title(self, index: int, reader: str | None) -> Candidate | None:
        line = self.lines[index]
        if self.paged:
            return Candidate(self.page_start(line), "late_title", self.texts[index], (line,), reader)
        window = self.lines[max(index - _LATE_TITLE_SEARCH, 0) : index]
        blocks = title_blocks(self.body, window)
        if not blocks:
            return None
        return Candidate(blocks[-1][0][0], "late_title", self.texts[index], (line,), reader)

    def overview_candidates(self) -> list[Candidate]:
        found = []
        for index, text in enumerate(self.texts):
            if text not in self.overviews or self.body.roles.role(self.lines[index]) != CONTENT:
                continue
            if index > 0 and self.title_like(index - 1) and not self.first_text_on_page(index):
                continue
            if not self.closed_before(index):
                continue
            if self.paged and self.first_text_on_page(index):
                found.append(Candidate(self.page_start(self.lines[index]), "overview"))
            elif not self.paged and index > 0 and self.body.roles.role(self.lines[index - 1]) == ATTRIBUTION:
                found.append(Candidate(self.lines[index], "overview"))
        return found

    def kind_candidates(self) -> list[Candidate]:
        """Where the text turns into a chronicle, profiles or an index, and where long plain text follows."""
        found: list[Candidate] = []
        runs = {
            "chronicle": [i for i, text in enumerate(self.texts) if MONTH_HEADING.match(text)],
            "people": [i for i, text in enumerate(self.texts) if is_profile(text)],
            "index": [i for i, n in enumerate(self.lines) if is_reference(self.body.source.line(n))],
        }
        entry_indexes = [i for i, n in enumerate(self.lines) if n in self.entry_lines]
        for kind, indexes in runs.items():
            for run in self._runs(indexes, entry_indexes):
                first = run[0]
                while first > 0 and kind == "people" and self.title_like(first - 1) and not self.block_start(first):
                    first -= 1
                if kind == "people":
                    first = self._award_start(first)
                line = self.lines[first]
                found.append(Candidate(self.page_start(line) if self.paged else line, kind, reader=kind))
                if kind == "people":
                    found += self._trailing_text(run[-1], "after_people")
        if entry_indexes:
            last = entry_indexes[-1]
            closing = next(
                (i for i in range(last, len(self.lines)) if self.body.roles.role(self.lines[i]) == ATTRIBUTION), None
            )
            if closing is not None:
                found += self._trailing_text(closing, "after_entries")
        return found

    def _award_start(self, index: int) -> int:
        while index > 0 and self.title_like(index - 1) and not is_profile(self.texts[index - 1]):
            previous = index - 1
            if previous > 0 and not SENTENCE_END.search(self.texts[previous - 1]) and not self.block_start(previous):
                break
            index = previous
        return index

    def _runs(self, indexes: list[int], entry_indexes: list[int]) -> list[list[int]]:
        """Runs of two or more marks with no entry between them."""
        runs: list[list[int]] = []
        for index in indexes:
            if runs and bisect.bisect_left(entry_indexes, index) == bisect.bisect_right(entry_indexes, runs[-1][-1]):
                runs[-1].append(index)
            else:
                runs.append([index])
        return [run for run in runs if len(run) >= 2]

    def _trailing_text(self, last: int, found_by: str) -> list[Candidate]:
        """Long unmarked text after the last mark of a kind starts a chapter at the next page.

        Without pages, after profiles only: the chapter starts where the
        vocabulary changes most, a few profiles' length after the last one.
        """
        if not self.paged:
            return self._text_after_profiles(found_by) if found_by == "after_people" else []
        marks = self.entry_lines | {n for n in self.lines if is_profile(self.body.squeezed(n))}
        for index in range(last + 1, len(self.lines)):
            if self.lines[index] in marks:
                return []
            if self.first_text_on_page(index) and SENTENCE_END.search(self.texts[index - 1]):
                rest = self.lines[index:]
                if len(rest) >= _MIN_TRAILING_LINES and not marks.intersection(rest):
                    return [Candidate(self.page_start(self.lines[index]), found_by)]
                return []
        return []

    def _text_after_profiles(self, found_by: str) -> list[Candidate]:
        profiles = [i for i, text in enumerate(self.texts) if is_profile(text)]
        lengths = [b - a for a, b in zip(profiles, profiles[1:], strict=False)]
        if not lengths:
            return []
        typical = int(statistics.median(lengths))
        if len(self.lines) - profiles[-1] < _TRAILING_PROFILES * typical * 2:
            return []
        window = range(profiles[-1] + typical // 2, profiles[-1] + _TRAILING_PROFILES * typical)
        starts = [i for i in window if self.closed_before(i) and i < len(self.lines)]
        if not starts:
            return []
        cohesion = self.cohesion()
        best = min(starts, key=cohesion.at)
        return [Candidate(self.lines[best], found_by)]

    def cohesion(self) -> _Cohesion:
        if self._cohesion is None:
            self._cohesion = _Cohesion(self.texts)
        return self._cohesion

    def banner_candidates(self, taken: set[int]) -> list[Candidate]:
        """Sections opening a page that holds clearly less text than a full page with as many photos."""
        fill = self._page_fill()
        found = []
        for index, line in enumerate(self.lines):
            if not self.first_text_on_page(index) or not self.title_like(index) or not self.closed_before(index):
                continue
            page_start = self.page_start(line)
            if page_start in taken:
                continue
            run = self.run_at(index)
            following = run[-1] + 1
            if following >= len(self.lines) or self.lines[following] not in self.entry_lines or len(run) > 2:
                continue
            ratio = fill.get(self.pages.page_of_line(line))
            if ratio is not None and ratio <= self.body.profile.banner_text_ratio:
                found.append(Candidate(page_start, "banner"))
        return found

    def _page_fill(self) -> dict[int | None, float]:
        """Each page's body text as a share of the median page with the same number of photos."""
        chars: Counter[int | None] = Counter()
        photos: Counter[int | None] = Counter()
        tables: set[int | None] = set()
        roles = self.body.roles
        for line in range(self.start, self.end + 1):
            role = roles.role(line)
            if role in (CONTENT, ATTRIBUTION):
                chars[self.pages.page_of_line(line)] += len(self.body.squeezed(line))
            elif role == TABLE:
                tables.add(self.pages.page_of_line(line))
        for caption in roles.captions.values():
            photos[self.pages.page_of_line(caption.line_end)] += 1
        by_photos: dict[int, list[int]] = defaultdict(list)
        for page, count in chars.items():
            if page is not None and page not in tables:
                by_photos[photos[page]].append(count)
        medians = {k: statistics.median(v) for k, v in by_photos.items() if len(v) >= _MIN_PAGES_FOR_FILL}
        if not medians:
            return {}
        most = max(medians)
        return {
            page: count / medians[min(photos[page], most)]
            for page, count in chars.items()
            if page not in tables and min(photos[page], most) in medians and medians[min(photos[page], most)]
        }

    def _named_by_headers(self, candidates: list[Candidate]) -> list[Candidate]:
        """A running header naming a chapter other than the one its page is in: that chapter starts before it.

        It starts at the last section start before the header and after the
        chapter the header is in began.
        """
        found: list[Candidate] = []
        starts = sorted(candidates, key=lambda c: c.line)
        weak = sorted(c.line for c in self.weak_candidates())
        for line, text in sorted(self.furniture.headers.items()):
            if not heading_like(text) or known_chapter_name(text) is None:
                continue
            index = bisect.bisect_right([c.line for c in starts], line) - 1
            if index < 0 or starts[index].title in (None, text):
                continue
            if any(c.title == text for c in starts[: index + 1]):
                continue
            between = [w for w in weak if starts[index].line < w < line]
            if between:
                candidate = Candidate(between[-1], "running_header", text, reader=known_chapter_name(text).reader)  # type: ignore[union-attr]
                found.append(candidate)
                starts = sorted([*starts, candidate], key=lambda c: c.line)
        return found

    def weak_candidates(self) -> list[Candidate]:
        """Any section start: a heading after an attribution (or a page start) opening entries."""
        found = []
        for index, line in enumerate(self.lines):
            if not self.title_like(index) or not (
                index == 0
                or self.first_text_on_page(index)
                or self.body.roles.role(self.lines[index - 1]) == ATTRIBUTION
            ):
                continue
            run = self.run_at(index)
            following = run[-1] + 1
            if following < len(self.lines) and self.lines[following] in self.entry_lines:
                found.append(Candidate(self.page_start(line) if self.first_text_on_page(index) else line, "section"))
        return found + self._sentence_starts_after_profiles()

    def _sentence_starts_after_profiles(self) -> list[Candidate]:
        """After the last profile, any line opening a sentence may open the next chapter."""
        profiles = [i for i, text in enumerate(self.texts) if is_profile(text)]
        if len(profiles) < 2:
            return []
        lengths = [b - a for a, b in zip(profiles, profiles[1:], strict=False)]
        reach = profiles[-1] + 3 * int(statistics.median(lengths)) + 1
        return [
            Candidate(self.lines[index], "section")
            for index in range(profiles[-1] + 1, min(reach, len(self.lines)))
            if self.closed_before(index) and self.lines[index] not in self.entry_lines
        ]

    # -- chapters from candidates ----------------------------------------

    def from_evidence(self) -> list[ChapterSpan]:
        candidates = self.candidates()
        candidates += self._named_by_headers(candidates)
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
            for candidate in self.candidates():
                if candidate.title and _names_match(chapter.name, candidate.title) and candidate.line not in taken:
                    spans.append(self._listed_span(chapter, candidate.line, source_name))
                    taken.add(candidate.line)
                    break
        return spans

    def align(self, listed: list[ListedChapter], source_name: str) -> list[ChapterSpan]:
        """Listed chapters without page marks: located by name, then in order, then by predicted position."""
        candidates = [c for c in self.candidates() if c.found_by != "section"]
        located: dict[int, int] = {}
        cursor = 0
        for position, chapter in enumerate(listed):
            for offset, candidate in enumerate(candidates[cursor:]):
                if candidate.title and _names_match(chapter.name, candidate.title):
                    located[position] = candidate.line
                    cursor += offset + 1
                    break
        weak = [c for c in self.weak_candidates() if c.line not in located.values()]
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
        positions = _PagePositions(self, listed, located)
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
        lines = self.lines[bisect.bisect_left(self.lines, span.start) : bisect.bisect_right(self.lines, span.end)]
        name = squeeze_spaces(span.title)
        printed = None
        titles = set(span.title_lines)
        for position, number in enumerate(lines):
            text = self.texts[self.index_of[number]]
            if text in (name, printed):
                titles.add(number)
                continue
            if span.listed is None or position > len(titles):
                continue
            following = lines[position + 1] if position + 1 < len(lines) else None
            opens_entry = following is not None and following in self.entry_lines
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

    def __init__(self, finder: _Finder, listed: list[ListedChapter], located: dict[int, int]) -> None:
        self.finder = finder
        self.listed = listed
        self.offsets: list[int] = []
        total = 0
        for text in finder.texts:
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
        for footer_line, page in finder.furniture.footers.items():
            points.setdefault(page + 1, self.offset(footer_line))
        self.points = sorted(points.items())
        self.cohesion = finder.cohesion()
        pages = [c.last_page or c.first_page for c in listed if (c.last_page or c.first_page)]
        first = min((c.first_page for c in listed if c.first_page), default=1)
        self.page_chars = total / max(max(pages, default=1) - first + 1, 1)

    def offset(self, line: int) -> int:
        index = bisect.bisect_left(self.finder.lines, line)
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
            return weak_cost + _COHESION_WEIGHT * self.cohesion.at(self.finder.index_of[line])

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


class _Cohesion:
    """How alike the text just before and just after a line is (TextTiling's lexical cohesion).

    Character bigrams weighted by inverse document frequency, compared by
    cosine: a chapter boundary changes the vocabulary more than a section
    boundary inside one chapter does.
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        chunks = [
            self._bigrams(texts[start : start + _COHESION_WINDOW]) for start in range(0, len(texts), _COHESION_WINDOW)
        ]
        frequency: Counter[str] = Counter()
        for chunk in chunks:
            frequency.update(chunk.keys())
        self.idf = {gram: math.log(len(chunks) / (1 + count)) for gram, count in frequency.items()}
        self.cache: dict[int, float] = {}

    @staticmethod
    def _bigrams(texts: Sequence[str]) -> Counter[str]:
        joined = "".join(re.sub(r"[^\u4e00-\u9fff]", "", text) for text in texts)
        return Counter(joined[i : i + 2] for i in range(len(joined) - 1))

    def _weighted(self, texts: Sequence[str]) -> dict[str, float]:
        return {gram: count * self.idf.get(gram, 0.0) for gram, count in self._bigrams(texts).items()}

    def at(self, index: int) -> float:
        if index not in self.cache:
            self.cache[index] = self._at(index)
        return self.cache[index]

    def _at(self, index: int) -> float:
        before = self._weighted(self.texts[max(index - _COHESION_WINDOW, 0) : index])
        after = self._weighted(self.texts[index : index + _COHESION_WINDOW])
        dot = sum(value * after.get(gram, 0.0) for gram, value in before.items())
        norm = math.sqrt(sum(v * v for v in before.values())) * math.sqrt(sum(v * v for v in after.values()))
        return dot / norm if norm else 1.0


def _merge(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per start line: the strongest, keeping a title any of them found."""
    by_line: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_line[candidate.line].append(candidate)
    merged = []
    for line in sorted(by_line):
        group = sorted(by_line[line], key=lambda c: -c.strength)
        best = group[0]
        titled = next((c for c in group if c.title), None)
        reader = next((c.reader for c in group if c.reader), None)
        merged.append(
            Candidate(
                line,
                best.found_by,
                titled.title if titled else None,
                titled.title_lines if titled else (),
                reader,
            )
        )
    return merged
