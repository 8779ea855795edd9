"""Local yearbooks (地方年鉴): chapters, sections, entries, articles, captions and tables.

The text a PDF gives of a yearbook is ordered only within a page: running
headers sit at page starts, photo captions and large titles at page ends, and
tables are dropped in where their page ends.  So parsing goes in passes:

1. recover printed pages (:mod:`fangzhi.parse.pages`) and chapter page ranges
   (:mod:`fangzhi.parse.bookmarks`);
2. give every line a role (header, caption, credit, attribution, table cell,
   chapter title, content), taking page furniture out of the text stream;
3. walk each chapter's content lines, choosing a reader by what the chapter
   holds: 【】 entries, a dated chronicle, person profiles, or long articles.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence

from fangzhi.model import Document, Node, NodeKind, Volume
from fangzhi.parse.bookmarks import Bookmark, find_bookmark_list
from fangzhi.parse.contributors import attribution_body, split_contributors
from fangzhi.parse.page_layout import (
    ATTRIBUTION,
    CONTENT,
    ENTRY_START,
    HEADING_CHARS,
    SENTENCE_END,
    ChapterSpan,
    Layout,
    classify_lines,
)
from fangzhi.parse.pages import PageMap, recover_pages
from fangzhi.parse.tables import is_number
from fangzhi.text.normalize import join_lines, squeeze_spaces
from fangzhi.text.source import SourceText

_MONTH_HEADING = re.compile(r"^\d{1,2}月$")
_PROFILE = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,5})，[男女]，")
_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十百]+[章条节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])"
)
_BYLINE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_PARAGRAPH_OPENER = re.compile(
    r"^(——|一是|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章条])"
)
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})年")


def parse_yearbook(source: SourceText, volume_id: str) -> Document:
    bookmark_list = find_bookmark_list(source)
    body_end = bookmark_list.line_start - 1 if bookmark_list else len(source)
    pages = recover_pages(source, body_end)
    warnings = list(pages.warnings)
    bookmarks = list(bookmark_list.bookmarks) if bookmark_list else []
    if not bookmarks:
        warnings.append("no bookmark list with chapter page ranges: chapters are not recovered")
    spans = _chapter_spans(bookmarks, pages, body_end)
    year, title = _volume_title(source, bookmarks)
    layout = classify_lines(source, pages, spans, body_end, bookmark_list.line_start if bookmark_list else None)
    page_starts = [[start, number] for start, number in zip(pages.starts, pages.numbers, strict=True)]
    attributes = {"pages": pages.pages, "page_starts": page_starts, "encoding": source.encoding}
    volume = Volume.of_source(volume_id, "yearbook", source, title, year, attributes)
    root = Node(kind=NodeKind.VOLUME, title=title, line_start=1, line_end=max(len(source), 1))
    reader = _Reader(source, pages, layout, warnings)
    first_body_line = spans[0].start if spans else (pages.starts[0] if pages.starts else 1)
    if first_body_line > 1:
        root.add(reader.front_matter(1, first_body_line - 1))
    recorded_year = _recorded_year(source, first_body_line, body_end) or (year - 1 if year else None)
    for span in spans:
        if span.bookmark is not None and "索引" in span.title:
            root.add(reader.index(span))
        else:
            root.add(reader.chapter(span, recorded_year))
    if bookmark_list:
        root.add(
            Node(
                kind=NodeKind.CONTENTS,
                title="书签",
                line_start=bookmark_list.line_start,
                line_end=bookmark_list.line_end,
                text="\n".join(b.name for b in bookmarks),
                attributes={"bookmarks": [vars(b) for b in bookmarks]},
            )
        )
    return Document(volume=volume, source=source, root=root, warnings=warnings)


def _volume_title(source: SourceText, bookmarks: list[Bookmark]) -> tuple[int | None, str]:
    names: Counter[str] = Counter()
    for number in range(len(source), max(len(source) - 200, 0), -1):
        match = re.match(r"^\t(\d{4})(\S+?年鉴)-", source.line(number))
        if match:
            names[f"{match.group(2)} {match.group(1)}"] += 1
    if names:
        title = names.most_common(1)[0][0]
        return int(title[-4:]), title
    for line in source.lines[:2000]:
        match = re.search(r"([\u4e00-\u9fff]{2,10}年鉴)\s*[（(]?(\d{4})", squeeze_spaces(line))
        if match:
            return int(match.group(2)), f"{match.group(1)} {match.group(2)}"
    return None, "年鉴"


def _recorded_year(source: SourceText, start: int, end: int) -> int | None:
    """The year a yearbook records: the year its body names most often."""
    years: Counter[int] = Counter()
    for number in range(start, min(end, start + 20000) + 1):
        years.update(int(year) for year in _YEAR.findall(source.line(number)))
    return years.most_common(1)[0][0] if years else None


def _chapter_spans(bookmarks: list[Bookmark], pages: PageMap, body_end: int) -> list[ChapterSpan]:
    spans: list[ChapterSpan] = []
    for bookmark in bookmarks:
        start = None
        for page_start, number in zip(pages.starts, pages.numbers, strict=True):
            if bookmark.first_page <= number <= max(bookmark.last_page, bookmark.first_page):
                start = page_start
                break
        if start is None:
            continue
        spans.append(ChapterSpan(bookmark, bookmark.name, bookmark.number, start, body_end))
    spans.sort(key=lambda span: span.start)
    for this, following in zip(spans, spans[1:], strict=False):
        this.end = following.start - 1
    return spans


# ---------------------------------------------------------------- reading


class _Reader:
    def __init__(self, source: SourceText, pages: PageMap, layout: Layout, warnings: list[str]) -> None:
        self.source = source
        self.pages = pages
        self.layout = layout
        self.warnings = warnings

    def text_of(self, line: int) -> str:
        return self.layout.text.get(line, self.source.line(line))

    def place(self, node: Node) -> Node:
        node.page = self.pages.page_of_line(node.line_start)
        node.page_end = self.pages.page_of_line(node.line_end)
        return node

    def paragraphs_text(self, lines: Sequence[int]) -> str:
        """Join wrapped lines, starting a new paragraph after a short line that ends a sentence."""
        texts = [squeeze_spaces(self.text_of(n)) for n in lines]
        texts = [t for t in texts if t]
        if not texts:
            return ""
        width = statistics.median_high([len(t) for t in texts]) if len(texts) > 2 else max(len(t) for t in texts)
        paragraphs: list[list[str]] = [[]]
        for text in texts:
            paragraphs[-1].append(text)
            if re.search(r"[。！？：”]$", text) and len(text) < width - 1:
                paragraphs.append([])
        return "\n".join(join_lines(p) for p in paragraphs if p)

    def furniture(self, start: int, end: int) -> list[Node]:
        """Caption and table nodes whose first line lies in the range."""
        nodes = []
        for line in range(start, end + 1):
            if line in self.layout.captions:
                first, last, text, credit = self.layout.captions[line]
                nodes.append(
                    self.place(
                        Node(
                            kind=NodeKind.CAPTION,
                            title=None,
                            line_start=first,
                            line_end=last,
                            text=text,
                            attributes={"credit": credit},
                        )
                    )
                )
            if line in self.layout.tables:
                first, last, node = self.layout.tables[line]
                nodes.append(self.place(node))
        return nodes

    def content_lines(self, start: int, end: int) -> list[int]:
        return [
            n
            for n in range(start, end + 1)
            if self.layout.roles[n] in (CONTENT, ATTRIBUTION) and self.text_of(n).strip()
        ]

    # -- front matter and index

    def front_matter(self, start: int, end: int) -> Node:
        node = self.place(Node(kind=NodeKind.FRONT_MATTER, title="卷首", line_start=start, line_end=end))
        notes_title = None
        for line in range(start, end + 1):
            if squeeze_spaces(self.source.line(line)) in ("编辑说明", "凡例"):
                notes_title = line
        page_starts = [s for s in _front_page_starts(self.source, start, end)]
        notes_start = max((s for s in page_starts if notes_title and s <= notes_title), default=None)
        for index, page_start in enumerate(page_starts):
            page_end = page_starts[index + 1] - 1 if index + 1 < len(page_starts) else end
            lines = [n for n in self.content_lines(page_start, page_end) if n != notes_title]
            if page_start == notes_start:
                notes = Node(
                    kind=NodeKind.EDITORIAL_NOTES,
                    title=squeeze_spaces(self.source.line(notes_title)) if notes_title else "编辑说明",
                    line_start=page_start,
                    line_end=page_end,
                    text=self.paragraphs_text(lines),
                )
                node.add(notes)
                continue
            node.children.extend(self.furniture(page_start, page_end))
            if lines:
                node.add(
                    Node(
                        kind=NodeKind.PARAGRAPH,
                        title=None,
                        line_start=lines[0],
                        line_end=lines[-1],
                        text="\n".join(squeeze_spaces(self.source.line(n)) for n in lines),
                    )
                )
        return node

    def index(self, span: ChapterSpan) -> Node:
        node = self.place(Node(kind=NodeKind.INDEX, title=span.title, line_start=span.start, line_end=span.end))
        references = []
        for line in self.content_lines(span.start, span.end):
            match = re.match(r"^(.*?)\s*…+\s*[（(]([\d、，,]+)[）)]$", self.source.line(line).strip())
            if match:
                pages = [int(p) for p in re.split(r"[、，,]", match.group(2)) if p]
                references.append({"topic": squeeze_spaces(match.group(1)), "pages": pages, "line": line})
        node.attributes["references"] = references
        node.text = "\n".join(f"{r['topic']} {'、'.join(map(str, r['pages']))}" for r in references)
        return node

    # -- chapters

    def chapter(self, span: ChapterSpan, recorded_year: int | None) -> Node:
        chapter = self.place(
            Node(
                kind=NodeKind.CHAPTER,
                title=span.title,
                line_start=span.start,
                line_end=span.end,
                level=1,
                attributes={"number": span.number},
            )
        )
        if span.bookmark:
            chapter.page, chapter.page_end = span.bookmark.first_page, span.bookmark.last_page
        if span.printed_title and span.printed_title != span.title:
            chapter.attributes["printed_title"] = span.printed_title
        lines = self.content_lines(span.start, span.end)
        texts = [squeeze_spaces(self.text_of(n)) for n in lines]
        if sum(1 for t in texts if ENTRY_START.match(t)) >= 3:
            self.read_entries(chapter, lines)
        elif sum(1 for t in texts if _MONTH_HEADING.match(t)) >= 3:
            self.read_chronicle(chapter, lines, recorded_year)
        elif sum(1 for t in texts if _PROFILE.match(t)) >= 3:
            self.read_profiles(chapter, lines)
        else:
            kind = NodeKind.APPENDIX if "附录" in span.title else NodeKind.ARTICLE
            self.read_articles(chapter, lines, kind)
        return chapter

    def _attach_furniture(self, containers: list[tuple[int, int, Node]], fallback: Node, start: int, end: int) -> None:
        """Put each caption and table under the deepest container whose lines surround it."""
        for item in self.furniture(start, end):
            owner = fallback
            for first, last, container in containers:
                if first <= item.line_start <= last:
                    owner = container
            owner.add(item)

    # -- entries (【】)

    def read_entries(self, chapter: Node, lines: list[int]) -> None:
        texts = {n: squeeze_spaces(self.text_of(n)) for n in lines}
        headings = self._find_headings(lines, texts)
        section2: Node | None = None
        section3: Node | None = None
        entry: Node | None = None
        entry_lines: list[int] = []
        loose_lines: list[int] = []
        pending: list[Node] = []
        containers: list[tuple[int, int, Node]] = []

        def container() -> Node:
            return section3 or section2 or chapter

        def close_entry() -> None:
            nonlocal entry, entry_lines
            if entry is not None:
                body_lines = entry_lines
                entry.text = self.paragraphs_text(body_lines) if body_lines else entry.text
                self.place(entry)
                containers.append((entry.line_start, entry.line_end, entry))
            entry, entry_lines = None, []

        def close_loose() -> None:
            nonlocal loose_lines
            if loose_lines:
                paragraph = Node(
                    kind=NodeKind.PARAGRAPH,
                    title=None,
                    line_start=loose_lines[0],
                    line_end=loose_lines[-1],
                    text=self.paragraphs_text(loose_lines),
                    attributes={"contributors": []},
                )
                container().add(self.place(paragraph))
                pending.append(paragraph)
            loose_lines = []

        index = 0
        while index < len(lines):
            number = lines[index]
            text = texts[number]
            role = self.layout.roles[number]
            if role == ATTRIBUTION:
                close_entry()
                close_loose()
                body = attribution_body(self.text_of(number)) or ""
                names = split_contributors(body)
                for waiting in pending:
                    waiting.attributes["contributors"] = names
                    waiting.attributes["attribution_line"] = number
                if not pending:
                    self.warnings.append(f"line {number}: attribution {text} follows no entry")
                pending = []
                index += 1
                continue
            if number in headings:
                close_entry()
                close_loose()
                title, level, used = headings[number]
                node = Node(kind=NodeKind.SECTION, title=title, line_start=number, line_end=used[-1], level=level)
                self.place(node)
                if level == 3 and section2 is not None:
                    section2.add(node)
                    section3 = node
                    containers.append((node.line_start, chapter.line_end, node))
                else:
                    chapter.add(node)
                    section2, section3 = node, None
                    containers.append((node.line_start, chapter.line_end, node))
                index += len(used)
                continue
            if ENTRY_START.match(text):
                close_entry()
                close_loose()
                title_lines = [number]
                title_text = text
                while "】" not in title_text and len(title_lines) < 3 and index + len(title_lines) < len(lines):
                    following = lines[index + len(title_lines)]
                    title_lines.append(following)
                    title_text += texts[following]
                title, _, rest = title_text[1:].partition("】")
                entry = Node(
                    kind=NodeKind.ENTRY, title=join_lines([title]), line_start=number, line_end=title_lines[-1]
                )
                entry.attributes["contributors"] = []
                if rest.strip():
                    self.layout.text[title_lines[-1]] = rest.strip()
                    entry_lines = [title_lines[-1]]
                container().add(entry)
                pending.append(entry)
                index += len(title_lines)
                continue
            if entry is not None:
                entry_lines.append(number)
                entry.line_end = number
            else:
                loose_lines.append(number)
            index += 1
        close_entry()
        close_loose()
        for waiting in pending:
            self.warnings.append(f"line {waiting.line_start}: {waiting.kind} {waiting.title or ''} has no attribution")
        self._attach_furniture(containers, chapter, chapter.line_start, chapter.line_end)

    def _find_headings(self, lines: list[int], texts: dict[int, str]) -> dict[int, tuple[str, int, list[int]]]:
        """Section headings: short unpunctuated lines that open a block of entries.

        A heading is followed by a 【】 entry, or follows an attribution and is
        followed by prose.  Two heading lines in a row are one wrapped heading
        when the first fills a line, otherwise a section and its first
        subsection; later headings in the same style as that subsection
        (·X·, or sharing its first or last two characters) are its siblings.
        """
        candidates = {n for n in lines if self._heading_like(texts[n], n)}
        headings: dict[int, tuple[str, int, list[int]]] = {}
        child_style: str | None = None
        index = 0
        while index < len(lines):
            number = lines[index]
            if number not in candidates:
                index += 1
                continue
            run = [number]
            while index + len(run) < len(lines) and lines[index + len(run)] in candidates:
                run.append(lines[index + len(run)])
            if len(run) > 3:
                index += len(run)
                continue
            if index > 0 and len(run) > 1 and self.layout.roles[lines[index - 1]] == CONTENT:
                index += 1
                continue
            following = lines[index + len(run)] if index + len(run) < len(lines) else None
            previous = lines[index - 1] if index > 0 else None
            opens_entry = following is not None and ENTRY_START.match(texts[following])
            after_attribution = previous is not None and self.layout.roles[previous] == ATTRIBUTION
            follows_prose = (
                following is not None and self.layout.roles[following] == CONTENT and following not in candidates
            )
            if not (opens_entry or (after_attribution and follows_prose and len(run) == 1)):
                index += 1
                continue
            groups: list[list[int]] = []
            position = 0
            while position < len(run):
                first = run[position]
                if (
                    position + 1 < len(run)
                    and len(texts[first]) >= 7
                    and not _is_unit_heading(texts[run[position + 1]])
                ):
                    groups.append([first, run[position + 1]])
                    position += 2
                else:
                    groups.append([first])
                    position += 1
            for position, group in enumerate(groups):
                title = "".join(texts[n] for n in group)
                if position == 0 and len(groups) == 1 and child_style and _same_style(title, child_style):
                    level = 3
                elif position == 0:
                    level = 2
                    child_style = None
                else:
                    level = 3
                    child_style = title
                headings[group[0]] = (title, level, group)
            index += len(run)
        return headings

    def _heading_like(self, text: str, line: int) -> bool:
        if self.layout.roles[line] != CONTENT or not 2 <= len(text) <= 20:
            return False
        if ENTRY_START.match(text) or text.startswith("（"):
            return False
        return bool(HEADING_CHARS.match(text) or _is_unit_heading(text))

    # -- chronicle

    def read_chronicle(self, chapter: Node, lines: list[int], recorded_year: int | None) -> None:
        try:
            from fangzhi.parse.chronicle import parse_chronicle
        except ImportError:
            parse_chronicle = None  # type: ignore[assignment]
        if parse_chronicle is not None and recorded_year:
            chronicle = parse_chronicle(self.source, lines, recorded_year, self.pages.page_of_line)
            chronicle.title = chronicle.title or chapter.title
            self.place(chronicle)
            chapter.add(chronicle)
        else:
            chapter.add(
                self.place(
                    Node(
                        kind=NodeKind.CHRONICLE,
                        title=chapter.title,
                        line_start=lines[0],
                        line_end=lines[-1],
                        text=self.paragraphs_text(lines),
                    )
                )
            )
        self._attach_furniture([], chapter, chapter.line_start, chapter.line_end)

    # -- person profiles

    def read_profiles(self, chapter: Node, lines: list[int]) -> None:
        entry: Node | None = None
        body: list[int] = []
        award: list[str] = []
        loose: list[int] = []
        containers: list[tuple[int, int, Node]] = []

        def close() -> None:
            nonlocal entry, body
            if entry is not None:
                entry.text = self.paragraphs_text(body)
                entry.line_end = body[-1] if body else entry.line_start
                self.place(entry)
                containers.append((entry.line_start, entry.line_end, entry))
            entry, body = None, []

        for position, number in enumerate(lines):
            text = squeeze_spaces(self.text_of(number))
            profile = _PROFILE.match(text)
            if profile:
                close()
                entry = chapter.add(
                    Node(
                        kind=NodeKind.ENTRY,
                        title=profile["name"],
                        line_start=number,
                        line_end=number,
                        attributes={"contributors": [], "profile": True},
                    )
                )
                if award:
                    entry.attributes["award"] = "".join(award)
                    award = []
                body = [number]
                continue
            following = lines[position + 1] if position + 1 < len(lines) else None
            if (
                _is_award_heading(text)
                and following is not None
                and (
                    _PROFILE.match(squeeze_spaces(self.text_of(following)))
                    or _is_award_heading(squeeze_spaces(self.text_of(following)))
                )
            ):
                close()
                award.append(text)
                continue
            if entry is None:
                loose.append(number)
            else:
                body.append(number)
        close()
        if loose:
            chapter.children.insert(
                0,
                self.place(
                    Node(
                        kind=NodeKind.PARAGRAPH,
                        title=None,
                        line_start=loose[0],
                        line_end=loose[-1],
                        text=self.paragraphs_text(loose),
                    )
                ),
            )
        self._attach_furniture(containers, chapter, chapter.line_start, chapter.line_end)

    # -- articles and appendix documents

    def read_articles(self, chapter: Node, lines: list[int], kind: str) -> None:
        """Split a chapter of long pieces at their title blocks.

        A title block is a few short unpunctuated lines that either wrap onto
        each other (two lines with no blank between, or two lines closing a
        page) or come with a byline: a date in parentheses, or a dash line
        with a date.  Titles printed after their text (at the end of the
        page, or below the first articles of a regulation) still open the
        article at the start of the page, or at the 第一条 before them.
        """
        blocks = self._title_blocks(lines)
        starts: list[tuple[int, list[int], list[int]]] = []
        for title_lines, byline_lines in blocks:
            first = title_lines[0]
            start = self._article_start(lines, first, byline_lines)
            starts.append((start, title_lines, byline_lines))
        if not starts or starts[0][0] != lines[0]:
            if not starts:
                starts = [(lines[0], [], [])]
            else:
                starts.insert(0, (lines[0], [], []))
        starts.sort(key=lambda item: item[0])
        containers: list[tuple[int, int, Node]] = []
        for position, (start, title_lines, byline_lines) in enumerate(starts):
            end_limit = starts[position + 1][0] - 1 if position + 1 < len(starts) else chapter.line_end
            own = [n for n in lines if start <= n <= end_limit]
            if not own:
                continue
            body = [n for n in own if n not in title_lines and n not in byline_lines]
            title = join_lines(self.source.line(n) for n in title_lines) if title_lines else None
            article = Node(kind=kind, title=title, line_start=own[0], line_end=own[-1], level=2)
            article.text = self.paragraphs_text(body)
            if byline_lines:
                article.attributes["byline"] = [squeeze_spaces(self.source.line(n)) for n in byline_lines]
            if not title:
                self.warnings.append(f"line {own[0]}: a piece in {chapter.title} has no title")
            self.place(article)
            chapter.add(article)
            containers.append((article.line_start, end_limit, article))
        self._attach_furniture(containers, chapter, chapter.line_start, chapter.line_end)

    def _title_blocks(self, lines: list[int]) -> list[tuple[list[int], list[int]]]:
        texts = [squeeze_spaces(self.text_of(n)) for n in lines]
        blocks: list[tuple[list[int], list[int]]] = []
        index = 0
        while index < len(lines):
            if not _title_like(texts[index]) or _is_organisation(texts[index]):
                index += 1
                continue
            title = [index]
            while (
                index + len(title) < len(lines)
                and len(title) < 3
                and _title_like(texts[index + len(title)])
                and not _is_organisation(texts[index + len(title)])
                and not self.pages.is_page_start(lines[index + len(title)])
            ):
                title.append(index + len(title))
            byline: list[int] = []
            before = index - 1
            if before >= 0 and _is_byline(texts[before]) and lines[index] - lines[before] <= 4:
                byline.append(before)
            after = index + len(title)
            while after < len(lines) and len(byline) < 6:
                text = texts[after]
                if (
                    _is_byline(text)
                    or _is_organisation(text)
                    or (after == index + len(title) and _is_speaker(text))
                    or (byline and texts[byline[-1]].startswith("——") and _is_speaker(text))
                ):
                    byline.append(after)
                    after += 1
                elif text.startswith("（") and _BYLINE_DATE.search(text) and "）" not in text:
                    byline.append(after)
                    after += 1
                    while after < len(lines) and not texts[after - 1].endswith("）") and len(byline) < 6:
                        byline.append(after)
                        after += 1
                else:
                    break
            number_lines = [lines[i] for i in title]
            adjacent = len(title) >= 2 and lines[title[1]] == lines[title[0]] + 1
            closes_page = (
                len(title) >= 2
                and (after >= len(lines) or self.pages.is_page_start(lines[after]))
                and (before < 0 or SENTENCE_END.search(texts[before]) or self.pages.is_page_start(lines[index]))
                and (after >= len(lines) or _PARAGRAPH_OPENER.match(texts[after]))
            )
            has_byline = any(_is_byline(texts[i]) or texts[i].startswith("（") for i in byline)
            if adjacent or closes_page or has_byline:
                blocks.append((number_lines, [lines[i] for i in byline]))
                index = max(after, index + len(title))
            else:
                index += len(title)
        return blocks

    def _article_start(self, lines: list[int], first_title_line: int, byline: list[int]) -> int:
        first = min([first_title_line, *byline])
        position = lines.index(first)
        inline = not byline and lines[position + 1] == first + 1 if position + 1 < len(lines) else False
        if inline and position > 0 and SENTENCE_END.search(squeeze_spaces(self.text_of(lines[position - 1]))):
            return first
        page_start = self.pages.page_of_line(first)
        earlier_same_page = [n for n in lines[:position] if self.pages.page_of_line(n) == page_start]
        if not earlier_same_page:
            return first
        if self.pages.is_page_start(first) or all(self.layout.roles[n] != CONTENT for n in earlier_same_page):
            return first
        for number in reversed(earlier_same_page):
            if re.match(r"^第[一1]条|^第[一1]章", squeeze_spaces(self.text_of(number))):
                return number
        return earlier_same_page[0]


def _front_page_starts(source: SourceText, start: int, end: int) -> list[int]:
    starts = [start]
    for number in range(start + 1, end + 1):
        if re.match(r"^ \S", source.line(number)):
            starts.append(number)
    return starts


def _is_unit_heading(text: str) -> bool:
    return bool(re.fullmatch(r"·[\u4e00-\u9fff]{2,12}·", text))


def _same_style(title: str, child: str) -> bool:
    if _is_unit_heading(title) and _is_unit_heading(child):
        return True
    return title[:2] == child[:2] or title[-2:] == child[-2:]


def _title_like(text: str) -> bool:
    return (
        4 <= len(text) <= 30
        and not re.search(r"[，。；：、！？]", text)
        and not _NUMBERED.match(text)
        and not text.startswith(("（", "——", "【", "·"))
        and not is_number(text)
    )


def _is_byline(text: str) -> bool:
    if text.startswith("（") and text.endswith("）") and _BYLINE_DATE.search(text):
        return True
    return text.startswith("——") and bool(_BYLINE_DATE.search(text)) and "。" not in text


def _is_person_or_body(text: str) -> bool:
    return 2 <= len(text) <= 24 and not re.search(r"[，。；：！？]", text)


def _is_speaker(text: str) -> bool:
    """A byline naming who spoke or wrote: a bare name, or a post and a name."""
    if re.search(r"[，。；：！？\d]", text):
        return False
    return 2 <= len(text) <= 4 or bool(
        re.search(r"(市长|书记|主任|主席|部长|局长|省长|县长|区长)[\u4e00-\u9fff]{2,4}$", text)
    )


def _is_organisation(text: str) -> bool:
    """A line naming an issuing body, as in a byline under a title."""
    return len(text) <= 16 and bool(re.search(r"(局|厅|委员会|人民政府|办公室|调查队|研究院|研究室)$", text))


def _is_award_heading(text: str) -> bool:
    return (
        len(text) <= 24
        and not re.search(r"[，。；：]", text)
        and ("“" in text or text.endswith(("奖章", "称号", "奖", "省", "市")))
    )
