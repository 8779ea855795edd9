"""One person written two ways: names after the same post that differ in one character.

A name is read after a post (市政协主席黄庚倜出席): a known surname and two
given characters, or one when the next character is one that follows names
(出, 主, 带, 等 …).  Three-character names after the same post with the same
surname whose given names differ in one character (黄庚倜, 黄庚侗, 黄庚佃) or
have their two characters swapped (房国卫, 房卫国) are one person written two
ways; the most frequent form is taken as the right one.  Two forms printed
in one sentence (副市长刘文海、…、刘文祥) are two people.  Traditional and
simplified forms of the same name are not reported.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from fangzhi.services.checks import Finding, FindingKind, Location
from fangzhi.services.checks.places import Places
from fangzhi.store.base import Store
from fangzhi.text.align import LineAligner
from fangzhi.text.names import surname_of
from fangzhi.text.normalize import fold_for_search

_NOT_IN_NAMES = set("于的在和了是对为与及等关")
_POST_CONTEXT = re.compile(r"[\u4e00-\u9fff]{0,6}$")
_TEXT_KINDS = ("entry", "article", "appendix", "paragraph", "event", "document_section", "caption")


@lru_cache(maxsize=1)
def _posts() -> dict[str, Any]:
    return json.loads(resources.files("fangzhi.data").joinpath("person_posts.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    posts = sorted(_posts()["posts"], key=len, reverse=True)
    return re.compile(rf"(?P<post>{'|'.join(map(re.escape, posts))})(?P<name>[\u4e00-\u9fff]{{2,3}})")


@dataclass
class _Mention:
    name: str
    post: str
    title: str
    volume: str
    node: str
    offset: int
    text: str
    page: int | None
    line_start: int
    line_end: int


def _mentions(store: Store) -> list[_Mention]:
    after = set(_posts()["after_name"])
    found: list[_Mention] = []
    for node in store.nodes():
        if node.kind not in _TEXT_KINDS or not node.text:
            continue
        for match in _pattern().finditer(node.text):
            name = match["name"]
            if any(character in _NOT_IN_NAMES for character in name):
                continue
            surname = surname_of(name)
            if surname is None or len(surname) != 1:
                continue
            if len(name) == 3 and name[2] in after:
                name = name[:2]
            following = node.text[match.start("name") + len(name) : match.start("name") + len(name) + 1]
            if len(name) != 3 or (following and following not in after and following not in "，。、；：）”"):
                continue
            context = _POST_CONTEXT.search(node.text, max(0, match.start() - 6), match.start())
            found.append(
                _Mention(
                    name,
                    match["post"],
                    (context.group(0) if context else "") + match["post"],
                    node.volume,
                    node.id,
                    match.start("name"),
                    node.text,
                    node.page,
                    node.line_start,
                    node.line_end,
                )
            )
    return found


def name_variants(store: Store, places: Places) -> list[Finding]:
    groups: dict[tuple[str, str], list[_Mention]] = defaultdict(list)
    for mention in _mentions(store):
        groups[(mention.post, mention.name[0])].append(mention)
    candidates: list[tuple[str, str, list[_Mention], str, list[_Mention]]] = []
    for (post, _surname), mentions in groups.items():
        forms: dict[str, list[_Mention]] = defaultdict(list)
        for mention in mentions:
            forms[mention.name].append(mention)
        if len(forms) < 2:
            continue
        ranked = sorted(forms.items(), key=lambda item: (-len(item[1]), item[0]))
        taken: set[str] = set()
        for index, (main, main_mentions) in enumerate(ranked):
            if main in taken:
                continue
            for variant, variant_mentions in ranked[index + 1 :]:
                if variant in taken or not _one_slip(main, variant):
                    continue
                if fold_for_search(variant) == fold_for_search(main):
                    continue
                taken.add(variant)
                candidates.append((post, main, main_mentions, variant, variant_mentions))
    together = _printed_together(store, {(main, variant) for _, main, _, variant, _ in candidates})
    return [
        _finding(store, places, post, main, main_mentions, variant, variant_mentions)
        for post, main, main_mentions, variant, variant_mentions in candidates
        if (main, variant) not in together
    ]


def _one_slip(first: str, second: str) -> bool:
    """Same surname; given names one character apart, or the same two characters swapped."""
    if len(first) != 3 or len(second) != 3 or first[0] != second[0]:
        return False
    if first[1:] == second[2:0:-1]:
        return True
    return (first[1] == second[1]) != (first[2] == second[2])


_SENTENCE = re.compile(r"[^。；！？]+")


def _printed_together(store: Store, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Pairs of names printed in one sentence somewhere: two people, not one written two ways."""
    found: set[tuple[str, str]] = set()
    if not pairs:
        return found
    for node in store.nodes():
        if node.kind not in _TEXT_KINDS or not node.text:
            continue
        for main, variant in pairs - found:
            if (
                main in node.text
                and variant in node.text
                and any(main in part and variant in part for part in _SENTENCE.findall(node.text))
            ):
                found.add((main, variant))
    return found


def _finding(
    store: Store,
    places: Places,
    post: str,
    main: str,
    main_mentions: list[_Mention],
    variant: str,
    variant_mentions: list[_Mention],
) -> Finding:
    confidence = 0.8 if len(main_mentions) >= 2 * len(variant_mentions) else 0.7
    locations = [_location(store, m) for m in variant_mentions] + [_location(store, m) for m in main_mentions[:3]]
    title = _common_title(main_mentions + variant_mentions, post)
    message = (
        f"{title}{main}（{_where(main_mentions, places)}）在{_where(variant_mentions, places)}写作“{variant}”，"
        f"{'名字两字颠倒' if main[1:] == variant[2:0:-1] else '只差一个字'}，疑为同一人名的不同写法，请核定。"
    )
    return Finding(
        kind=FindingKind.NAME_VARIANT,
        severity="error" if confidence >= 0.75 else "warning",
        confidence=confidence,
        message=message,
        locations=locations,
        details={
            "post": title,
            "name": main,
            "variant": variant,
            "counts": [len(main_mentions), len(variant_mentions)],
        },
    )


def _common_title(mentions: list[_Mention], post: str) -> str:
    """The longest printed title that every mention's title ends with (市政协主席 rather than 主席)."""
    titles = [mention.title for mention in mentions]
    best = post
    for length in range(len(post) + 1, 9):
        endings = {title[-length:] for title in titles if len(title) >= length}
        if len(endings) == 1 and all(len(title) >= length for title in titles):
            best = endings.pop()
        else:
            break
    return best


def _where(mentions: list[_Mention], places: Places) -> str:
    volumes: dict[str, int] = defaultdict(int)
    for mention in mentions:
        volumes[places.volume_name(mention.volume)] += 1
    return "、".join(f"{volume}{count}处" for volume, count in volumes.items())


def _location(store: Store, mention: _Mention) -> Location:
    lines = store.source_lines(mention.volume, mention.line_start, mention.line_end)
    aligner = LineAligner(mention.text, list(enumerate(lines, start=mention.line_start)))
    line = aligner.line_at(mention.offset, mention.line_start)
    start = max(0, mention.text.rfind("。", 0, mention.offset) + 1)
    end = mention.text.find("。", mention.offset)
    sentence = mention.text[start : end + 1 if end >= 0 else len(mention.text)].strip()
    return Location(mention.volume, mention.node, mention.page, line, sentence[:160], mention.name)
