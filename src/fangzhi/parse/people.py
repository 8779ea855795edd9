"""Person profiles (人物简介), as in a 荣誉 or 人物 chapter.

Each profile opens with the person's name, sex and a comma (``曹某某，男，``)
and is one entry titled with the name; short award headings above a group of
profiles (``“全国五一劳动奖章”``) are kept on each profile of the group.
"""

from __future__ import annotations

import re

from fangzhi.model import EntryAttributes, Node, NodeKind
from fangzhi.parse.body_text import BodyText, Container

PROFILE = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,5})，[男女]，")
# Award headings end like these (全国五一劳动奖章, 全国劳动模范称号, 河南省, …市).
_AWARD_ENDINGS = ("奖章", "称号", "奖", "省", "市")


def is_profile(text: str) -> bool:
    return PROFILE.match(text) is not None


def read_profiles(body: BodyText, chapter: Node, lines: list[int]) -> None:
    entry: Node | None = None
    entry_body: list[int] = []
    award: list[str] = []
    in_heading = False
    loose: list[int] = []
    containers: list[Container] = []

    def close() -> None:
        nonlocal entry, entry_body
        if entry is not None:
            entry.text = body.paragraphs_text(entry_body)
            entry.line_end = entry_body[-1] if entry_body else entry.line_start
            body.place(entry)
            containers.append((entry.line_start, entry.line_end, entry))
        entry, entry_body = None, []

    for position, number in enumerate(lines):
        text = body.squeezed(number)
        profile = PROFILE.match(text)
        if profile:
            close()
            entry = chapter.add(
                Node(
                    kind=NodeKind.ENTRY,
                    title=profile["name"],
                    line_start=number,
                    line_end=number,
                    attributes=EntryAttributes(marker="profile", profile=True, award="".join(award) or None),
                )
            )
            in_heading = False
            entry_body = [number]
            continue
        if _opens_award_group(body, lines, position, entry_body):
            close()
            award = [*award, text] if in_heading else [text]
            in_heading = True
            continue
        if entry is None:
            loose.append(number)
        else:
            entry_body.append(number)
    close()
    if loose:
        chapter.children.insert(
            0,
            body.place(
                Node(
                    kind=NodeKind.PARAGRAPH,
                    title=None,
                    line_start=loose[0],
                    line_end=loose[-1],
                    text=body.paragraphs_text(loose),
                )
            ),
        )
    body.attach_furniture(containers, chapter, chapter.line_start, chapter.line_end)


def _opens_award_group(body: BodyText, lines: list[int], position: int, entry_body: list[int]) -> bool:
    """An award heading: short heading lines after a finished profile, leading straight to the next profile.

    A profile's own wrapped lines can look like headings (``源化学地质系统“大国工匠”“第``),
    so the heading must follow a line that ends a sentence and its run of
    heading-like lines must end at a profile.
    """
    if entry_body and not _ENDS_SENTENCE.search(body.squeezed(entry_body[-1])):
        return False
    for number in lines[position:]:
        text = body.squeezed(number)
        if is_profile(text):
            return number != lines[position]
        if not _is_award_heading(text):
            return False
    return False


_ENDS_SENTENCE = re.compile(r"[。！？”）)]$")


def _is_award_heading(text: str) -> bool:
    return len(text) <= 24 and not re.search(r"[，。；：]", text) and ("“" in text or text.endswith(_AWARD_ENDINGS))
