"""Attribution lines (撰稿人) and photo credits.

Yearbooks close each block of entries with its writers in parentheses,
``（李 盾）`` or ``（王 蕾 朱晓辉）``.  Two-character names are padded with a
space to the width of three-character names, so single characters must be
paired back into names, and a run that cannot be paired unambiguously is kept
whole rather than guessed.
"""

from __future__ import annotations

import re

from fangzhi.text.names import surname_of

CREDIT = re.compile(r"[（(]\s*(?P<who>[^（）()]{1,40}?)\s*[/／\s]?\s*(?P<verb>供图|摄)\s*[）)][\d\s]*$")
_ATTRIBUTION = re.compile(r"^[（(](?P<body>[^（）()]+)[）)]$")
_NOT_A_NAME = re.compile(r"[\d%％‰=＝、，。；：:]|^[万亿千百]?[元吨个人户家项件次名所座]$")


def parse_credit(line: str) -> tuple[str, str] | None:
    """Split ``…（市科技局 供图）`` into the text before the credit and the credit itself."""
    match = CREDIT.search(line.strip())
    if not match:
        return None
    who = re.sub(r"[\s\u3000/／]+", "", match["who"])
    return line.strip()[: match.start()].rstrip(), f"{who} {match['verb']}"


def attribution_body(text: str) -> str | None:
    """The inside of a whole-line attribution, or None if the line is something else."""
    match = _ATTRIBUTION.match(text.strip())
    if not match:
        return None
    body = match["body"].strip()
    if CREDIT.search(text.strip()) or _NOT_A_NAME.search(body.replace(" ", "")):
        return None
    if not re.fullmatch(r"[\u4e00-\u9fff·\s\u3000]+", body):
        return None
    return body


def split_contributors(body: str) -> list[str]:
    """Names from an attribution body, pairing the padded two-character names.

    Tokens of two or more characters are names as they stand.  Runs of single
    characters are usually padded two-character names, but some lines space
    out every character; a run is therefore cut into two- and three-character
    names so that as many names as possible start with a known surname,
    preferring two-character names on a tie.  A run that cannot be cut at all
    stays one token rather than being guessed.
    """
    tokens = [token for token in re.split(r"[\s\u3000]+", body.strip()) if token]
    names: list[str] = []
    singles: list[str] = []

    def flush() -> None:
        if singles:
            names.extend(_segment_single_characters("".join(singles)))
            singles.clear()

    for token in tokens:
        if len(token) == 1:
            singles.append(token)
        else:
            flush()
            names.append(token)
    flush()
    return names


def _segment_single_characters(run: str) -> list[str]:
    best: dict[int, tuple[int, int, list[str]]] = {0: (0, 0, [])}
    for end in range(1, len(run) + 1):
        for size in (2, 3):
            start = end - size
            if start < 0 or start not in best:
                continue
            name = run[start:end]
            surnames, twos, parts = best[start]
            candidate = (surnames + (surname_of(name) is not None), twos + (size == 2), parts + [name])
            if end not in best or candidate[:2] > best[end][:2]:
                best[end] = candidate
    return best[len(run)][2] if len(run) in best else [run]
