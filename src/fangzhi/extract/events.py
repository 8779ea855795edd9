"""Events: one fact per chronicle (大事记) item, with the officials it names.

The parser has already resolved every date (:mod:`fangzhi.parse.chronicle`);
this extractor turns EVENT nodes into ``event`` facts and adds *people
mentions*: a title as printed (``市长``, ``市委常委、副市长``, ``市领导``)
directly followed by one or more names (``陈天富``; ``王治安、赵军``).  Titles
come from a small general lexicon of offices, never from names; a name is
2–3 characters starting with a known surname, cut where jieba's segmentation
ends it (``李明俊主持`` → 李明俊), so nothing here knows any one person.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from fangzhi.model import Document, EventAttributes, Fact, NodeKind
from fangzhi.text.names import surname_of

EXTRACTOR = "events.v1"

# Bodies an office belongs to, in the order they prefix a title: 市政府党组书记, 市人大常委会副主任.
_ORG = r"(?:(?:[省市县区]|自治区)(?:委|政府|人大常委会|人大|政协|纪委监委|纪委|监委)|政法委|党组|党工委|党委|工委)"
# Offices; 副 and 常务副 are part of the title as printed.
_OFFICE = (
    r"(?:常务副|副)?(?:书记|市长|省长|县长|区长|州长|主任|主席|常委|部长|厅长|局长|秘书长|院长|检察长|"
    r"组长|会长|理事长|董事长|总经理|校长)|[省市县区]领导"
)
_TITLE = rf"{_ORG}*(?:{_OFFICE})"
_TITLE_CHAIN = re.compile(rf"{_TITLE}(?:、{_TITLE})*")
_TITLE_START = re.compile(_TITLE)
_SEGMENT_END = re.compile(r"[，。；：、,;:（）()“”\s《》]")
_NAME_CHARS = re.compile(r"^[\u4e00-\u9fff]{2,3}$")


@lru_cache(maxsize=1)
def _posseg() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def _name_at(text: str, position: int) -> str | None:
    """The 2–3 character personal name starting at ``position``, if one does."""
    end = _SEGMENT_END.search(text, position)
    segment = text[position : end.start() if end else len(text)]
    if not segment or surname_of(segment) is None:
        return None
    words = [(pair.word, pair.flag) for pair in _posseg().cut(segment[:8])]
    first, flag = words[0]
    if len(first) >= 2 and not flag.startswith("n"):
        return None  # 关于, 到会: a word that only looks like surname + name
    if _NAME_CHARS.match(segment):
        return segment
    if 2 <= len(first) <= 3 and flag.startswith("nr"):
        return first
    if len(first) == 1 and len(words) > 1 and 1 <= len(words[1][0]) <= 2 and not words[1][1].startswith(("v", "p")):
        return first + words[1][0]
    return None


def people_mentions(text: str) -> list[dict[str, str]]:
    """Every ``{"name", "title"}`` an event's text names, in order, without repeats."""
    found: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for match in _TITLE_CHAIN.finditer(text):
        title = match.group(0)
        position = match.end()
        while True:
            name = _name_at(text, position)
            if name is None:
                break
            if (name, title) not in seen:
                seen.add((name, title))
                found.append({"name": name, "title": title})
            position += len(name)
            # 王治安、赵军: a list shares one title until the next title begins.
            if text[position : position + 1] != "、" or _TITLE_START.match(text, position + 1):
                break
            position += 1
    return found


def extract_events(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    for node, _ in document.walk():
        if node.kind != NodeKind.EVENT:
            continue
        attributes = EventAttributes.of(node)
        facts.append(
            Fact(
                kind="event",
                volume=document.volume.id,
                node_id=node.id,
                line_start=node.line_start,
                line_end=node.line_end,
                page=node.page,
                data={
                    "date": attributes.date,
                    "date_end": attributes.date_end,
                    "date_as_printed": attributes.date_as_printed,
                    "precision": attributes.precision,
                    "text": node.text,
                    "page": node.page,
                    "line_start": node.line_start,
                    "line_end": node.line_end,
                    "people": people_mentions(node.text),
                },
                extractor=EXTRACTOR,
                warnings=list(attributes.warnings),
            )
        )
    return facts
