"""The subject index (索引) at the back of a yearbook: topics and the pages they are on."""

from __future__ import annotations

import re

from fangzhi.model import IndexAttributes, IndexReference, Node, NodeKind
from fangzhi.parse.body_text import BodyText
from fangzhi.text.normalize import squeeze_spaces

REFERENCE = re.compile(r"^(?P<topic>.*?)\s*…+\s*[（(](?P<pages>[\d、，,]+)[）)]$")


def is_reference(raw: str) -> bool:
    return REFERENCE.match(raw.strip()) is not None


def read_index(body: BodyText, title: str | None, start: int, end: int) -> Node:
    node = body.place(Node(kind=NodeKind.INDEX, title=title, line_start=start, line_end=end))
    references = []
    for line in body.text_lines(start, end):
        match = REFERENCE.match(body.source.line(line).strip())
        if match:
            pages = [int(page) for page in re.split(r"[、，,]", match["pages"]) if page]
            references.append(IndexReference(topic=squeeze_spaces(match["topic"]), pages=pages, line=line))
    node.attributes = IndexAttributes(references=references)
    node.text = "\n".join(f"{r.topic} {'、'.join(map(str, r.pages))}" for r in references)
    return node
