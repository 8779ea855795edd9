"""Evidence of where a chapter (类目) starts, read from the text itself.

Each kind of evidence gives candidates, named by ``found_by``:

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
  title banner;
* ``running_header``: a running header naming a chapter other than the one
  its page seems to be in.

Weak candidates (``section``: any section start) are used only to place a
listed chapter that no stronger evidence shows.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from fangzhi.parse.articles import title_blocks
from fangzhi.parse.body_text import BodyText
from fangzhi.parse.chronicle import event_markers
from fangzhi.parse.cohesion import Cohesion
from fangzhi.parse.entries import HEADING_CHARS, entry_start, heading_like, uses_title_lines
from fangzhi.parse.furniture import TextFurniture
from fangzhi.parse.layouts import known_chapter_name
from fangzhi.parse.line_roles import ATTRIBUTION, CONTENT, SENTENCE_END, TABLE
from fangzhi.parse.people import is_profile
from fangzhi.parse.subject_index import is_reference
from fangzhi.text.dates import match_date_token

MONTH_HEADING = re.compile(r"^(?:\d{1,2}|十[一二]|[一二三四五六七八九十])月份?$")
_TITLE_MAX = 24
_WRAPPED_TITLE_WIDTH = 7
_MIN_TRAILING_LINES = 20
_TRAILING_PROFILES = 3
_LATE_TITLE_SEARCH = 150
_MIN_PAGES_FOR_FILL = 3

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


class ChapterEvidence:
    """The body lines of a text and the candidates for chapter starts they show."""

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
        self._cohesion: Cohesion | None = None

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
        return self._join_headed(merge_candidates(found))

    def _join_headed(self, candidates: list[Candidate]) -> list[Candidate]:
        """A candidate right below another, with only heading lines between, starts the same chapter."""
        joined: list[Candidate] = []
        for candidate in candidates:
            if joined:
                first = bisect.bisect_left(self.lines, joined[-1].line)
                last = bisect.bisect_left(self.lines, candidate.line)
                if all(self.title_like(i) for i in range(first, last)):
                    joined[-1] = merge_candidates(
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
            opening = not found and not any(self.lines[i] in self.entry_lines for i in range(index))
            if self.block_start(index) and self.is_chapter_title(
                index, unique, following, known is not None, opening or self.after_chronicle(index)
            ):
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

    def is_chapter_title(
        self, index: int, run: list[int], following: int | None, known: bool, no_enclosing_chapter: bool = False
    ) -> bool:
        """Whether a heading run starts a chapter.

        A known chapter name followed directly by an entry is usually a
        section (分目) named like a chapter, unless there is no chapter it
        could belong to: it opens the text, or it follows a chronicle's
        events (a 大事记 has no sections).
        """
        headings = len(run)
        if following is not None and self.lines[following] in self.entry_lines and headings <= 1:
            return known and no_enclosing_chapter
        if known:
            return True
        if len(run) >= 2 and self.texts[run[1]] in self.overviews:
            return True
        if not self.first_text_on_page(index) or following is None:
            return False
        opens_entries = self.lines[following] in self.entry_lines
        wrapped = len(run) == 2 and len(self.texts[run[0]]) >= _WRAPPED_TITLE_WIDTH
        return headings >= 2 and opens_entries and not wrapped

    def after_chronicle(self, index: int) -> bool:
        """Whether the line before is a chronicle's event (led by a date or an event mark such as △)."""
        if index == 0:
            return False
        previous = self.texts[index - 1]
        return previous[:1] in event_markers() or match_date_token(previous) is not None

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

    def cohesion(self) -> Cohesion:
        if self._cohesion is None:
            self._cohesion = Cohesion(self.texts)
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

    def named_by_headers(self, candidates: list[Candidate]) -> list[Candidate]:
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


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
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
