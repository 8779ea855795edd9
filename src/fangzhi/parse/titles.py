"""A volume's title: what its parser found, else the text's own title line, else the file name.

A title must read as a title.  The first sentence of a text, a lone ``|``
left from a web page's table, a table row, a URL or a breadcrumb is not one;
a volume titled like that is worse than one titled with its file name.
"""

from __future__ import annotations

import re
from pathlib import Path

from fangzhi.model import Document
from fangzhi.text.normalize import squeeze_spaces

_SEARCH_LINES = 30
_MAX_TITLE = 120
_MAX_TITLE_LINE = 60
# Sentence punctuation; an ASCII full stop only after Chinese text (damaged 。), not in 2.0 or U.S.
_SENTENCE = re.compile(r"[。；;！？!?，,：:]|[\u4e00-\u9fff）)]\.")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Lines copied from web pages and legal databases that are not titles.
_NOT_A_TITLE = re.compile(
    r"^(?:Original URL|URL|Source|来源|原文链接|原文地址|发布时间|发布日期|索引号|【法宝引证码】)|https?://|www\.|>|›|»"
)
_DATE_START = re.compile(r"^(?:\d{1,4}|[一二三四五六七八九十〇]{1,4})\s*[年月日]")
_LABEL = re.compile(r"^【[^】]{1,20}】")
# A row of a Markdown (or plain-text) table: cells between pipes.
_TABLE_ROW = re.compile(r"^\||\|$|\S\s*\|\s*\S.*\|")
# The marks of a Markdown heading (``## 某镇大事记``): the heading is the text after them.
_HEADING_MARKS = re.compile(r"^#{1,6}\s*")
# Words a title line of each kind of volume usually has in it.
KIND_WORDS = {"yearbook": ("年鉴",), "gazette": ("公报",), "chronicle": ("大事", "要事", "纪事")}
_DATE_ONLY = re.compile(r"^[（(]?\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?[）)]?$")


def is_title(text: str | None) -> bool:
    """Could this be a volume's title: short, with Chinese text, no sentence in it, no web furniture."""
    if not text:
        return False
    text = squeeze_spaces(text)
    return (
        2 <= len(text) <= _MAX_TITLE
        and bool(_CJK.search(text))
        and not _SENTENCE.search(text)
        and not _NOT_A_TITLE.search(text)
        and not _DATE_ONLY.match(text)
        and not is_table_row(text)
    )


def is_table_row(line: str) -> bool:
    """A row of a Markdown or plain-text table (cells between pipes): never a title, whatever its cells say."""
    return bool(_TABLE_ROW.search(line.strip()))


def title_line(document: Document) -> str | None:
    """The text's own title line: near the top, reading as a title; one naming the volume's kind comes first.

    A leading ``【…】`` group label is dropped; a line opening with a date is
    an event or a heading, not a title, unless it names the kind
    (``2020年1月大事要览``).
    """
    kind_words = KIND_WORDS.get(document.volume.kind, ())
    candidates: list[str] = []
    seen = 0
    lines = document.source.lines
    furniture = {n for item in document.furniture for n in range(item.line_start, item.line_end + 1)}
    for index, line in enumerate(lines):
        if not line.strip() or index + 1 in furniture:
            continue
        seen += 1
        if seen > _SEARCH_LINES:
            break
        text = _LABEL.sub("", _HEADING_MARKS.sub("", squeeze_spaces(line)))
        named = any(word in text for word in kind_words)
        if not is_title(text) or len(text) > _MAX_TITLE_LINE or text.startswith(("（", "(", "[")):
            continue
        if _inside_a_paragraph(
            text, lines[index - 1] if index else "", lines[index + 1] if index + 1 < len(lines) else ""
        ):
            continue
        if _DATE_START.match(text) and not named:
            continue
        if named:
            return text
        candidates.append(text)
    return candidates[0] if candidates else None


def _inside_a_paragraph(text: str, above: str, below: str) -> bool:
    """A line of a wrapped paragraph that happens to hold no punctuation is no title.

    It goes on from the line above (as long, not ending a sentence) or into
    the line below (no longer, with the sentence's punctuation).
    """
    above, below = squeeze_spaces(above), squeeze_spaces(below)
    goes_on = bool(above) and len(above) >= len(text) and not re.search(r"[。；！？：:;!?]$", above)
    runs_into = bool(below) and len(below) <= len(text) and bool(_SENTENCE.search(below))
    return goes_on or runs_into


def volume_title(document: Document) -> str:
    """The parser's title if it reads as one (and is not just the volume id), else the title line, else the file name.

    A text that was not understood is named by its file: no line of it is taken for a title.
    """
    if document.volume.attributes.get("not_understood"):
        return Path(document.source.path).stem or document.volume.id
    title = document.volume.title
    if title and title != document.volume.id and is_title(title):
        return title.strip()
    return title_line(document) or Path(document.source.path).stem or document.volume.id
