"""Long pieces without entry titles: articles (特载, 专文) and appendix documents (附录).

A chapter of long pieces is split at their title blocks.  A title block is
a few short unpunctuated lines that either wrap onto each other (two lines
with no blank between, or two lines closing a page) or come with a byline:
a date in parentheses, or a dash line with a date.  Titles printed after
their text (at the end of the page, or below the first articles of a
regulation) still open the article at the start of the page, or at the
第一条 before them.
"""

from __future__ import annotations

import re

from fangzhi.model import ArticleAttributes, Node, ParseWarning
from fangzhi.parse.body_text import BodyText, Container
from fangzhi.parse.line_roles import CONTENT, SENTENCE_END
from fangzhi.parse.tables import is_number
from fangzhi.text.normalize import join_lines

_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十百]+[章条节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])"
)
_BYLINE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_PARAGRAPH_OPENER = re.compile(
    r"^(——|一是|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章条])"
)
_FIRST_ARTICLE = re.compile(r"^第[一1]条|^第[一1]章")
# A byline names a speaker by a post before the name, or an issuing body by its ending.
_SPEAKER = re.compile(r"(市长|书记|主任|主席|部长|局长|省长|县长|区长)[\u4e00-\u9fff]{2,4}$")
_ORGANISATION = re.compile(r"(局|厅|委员会|人民政府|办公室|调查队|研究院|研究室)$")
_MAX_TITLE_LINES = 3
_MAX_BYLINE_LINES = 6


def read_articles(body: BodyText, chapter: Node, lines: list[int], kind: str, warnings: list[ParseWarning]) -> None:
    starts: list[tuple[int, list[int], list[int]]] = []
    for title_lines, byline_lines in title_blocks(body, lines):
        starts.append((_article_start(body, lines, title_lines[0], byline_lines), title_lines, byline_lines))
    if not starts or starts[0][0] != lines[0]:
        starts.insert(0, (lines[0], [], []))
    starts.sort(key=lambda item: item[0])
    containers: list[Container] = []
    for position, (start, title_lines, byline_lines) in enumerate(starts):
        end_limit = starts[position + 1][0] - 1 if position + 1 < len(starts) else chapter.line_end
        own = [n for n in lines if start <= n <= end_limit]
        if not own:
            continue
        text_lines = [n for n in own if n not in title_lines and n not in byline_lines]
        title = join_lines(body.source.line(n) for n in title_lines) if title_lines else None
        article = Node(
            kind=kind,
            title=title,
            line_start=own[0],
            line_end=own[-1],
            level=2,
            text=body.paragraphs_text(text_lines),
            attributes=ArticleAttributes(byline=[body.squeezed(n) for n in byline_lines]),
        )
        if not title:
            warnings.append(
                ParseWarning("article_without_title", f"a piece in {chapter.title or 'a chapter'} has no title", own[0])
            )
        chapter.add(body.place(article))
        containers.append((article.line_start, end_limit, article))
    body.attach_furniture(containers, chapter, chapter.line_start, chapter.line_end)


def title_blocks(body: BodyText, lines: list[int]) -> list[tuple[list[int], list[int]]]:
    """Title blocks among ``lines``: each a list of title lines and a list of byline lines."""
    pages = body.pages
    texts = [body.squeezed(n) for n in lines]
    blocks: list[tuple[list[int], list[int]]] = []
    index = 0
    while index < len(lines):
        if not _title_like(texts[index]) or _is_organisation(texts[index]):
            index += 1
            continue
        title = [index]
        while (
            index + len(title) < len(lines)
            and len(title) < _MAX_TITLE_LINES
            and _title_like(texts[index + len(title)])
            and not _is_organisation(texts[index + len(title)])
            and not pages.is_page_start(lines[index + len(title)])
        ):
            title.append(index + len(title))
        byline: list[int] = []
        before = index - 1
        if before >= 0 and _is_byline(texts[before]) and lines[index] - lines[before] <= 4:
            byline.append(before)
        after = index + len(title)
        while after < len(lines) and len(byline) < _MAX_BYLINE_LINES:
            text = texts[after]
            if (
                _is_byline(text)
                or _is_organisation(text)
                or (after == index + len(title) and _is_speaker(text))
                or (
                    byline
                    and _is_speaker(text)
                    and (texts[byline[-1]].startswith("——") or _is_byline(texts[byline[-1]]))
                )
            ):
                byline.append(after)
                after += 1
            elif text.startswith("（") and _BYLINE_DATE.search(text) and "）" not in text:
                byline.append(after)
                after += 1
                while after < len(lines) and not texts[after - 1].endswith("）") and len(byline) < _MAX_BYLINE_LINES:
                    byline.append(after)
                    after += 1
            else:
                break
        adjacent = len(title) >= 2 and lines[title[1]] == lines[title[0]] + 1
        closes_page = (
            len(title) >= 2
            and (after >= len(lines) or pages.is_page_start(lines[after]))
            and (before < 0 or SENTENCE_END.search(texts[before]) or pages.is_page_start(lines[index]))
            and (after >= len(lines) or _PARAGRAPH_OPENER.match(texts[after]))
        )
        has_byline = any(
            _is_byline(texts[i]) or texts[i].startswith("（") or _is_organisation(texts[i]) for i in byline
        )
        if adjacent or closes_page or has_byline:
            blocks.append(([lines[i] for i in title], [lines[i] for i in byline]))
            index = max(after, index + len(title))
        else:
            index += len(title)
    return blocks


def _article_start(body: BodyText, lines: list[int], first_title_line: int, byline: list[int]) -> int:
    pages = body.pages
    first = min([first_title_line, *byline])
    position = lines.index(first)
    inline = not byline and lines[position + 1] == first + 1 if position + 1 < len(lines) else False
    if inline and position > 0 and SENTENCE_END.search(body.squeezed(lines[position - 1])):
        return first
    page = pages.page_of_line(first)
    if page is None:
        return first
    earlier_same_page = [n for n in lines[:position] if pages.page_of_line(n) == page]
    if not earlier_same_page:
        return first
    if pages.is_page_start(first) or all(body.roles.role(n) != CONTENT for n in earlier_same_page):
        return first
    for number in reversed(earlier_same_page):
        if _FIRST_ARTICLE.match(body.squeezed(number)):
            return number
    return earlier_same_page[0]


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


def _is_speaker(text: str) -> bool:
    """A byline naming who spoke or wrote: a bare name, or a post and a name."""
    if re.search(r"[，。；：！？\d]", text):
        return False
    return 2 <= len(text) <= 4 or bool(_SPEAKER.search(text))


def _is_organisation(text: str) -> bool:
    """A line naming an issuing body, as in a byline under a title."""
    return len(text) <= 16 and not re.search(r"[，。；：、！？]", text) and bool(_ORGANISATION.search(text))
