"""A national-size corpus, simulated: realistic variants of real volumes, to measure scale without more books.

Each variant is a template volume (one of the sample texts) as another
city's book of another year: the place's name (and its pinyin) replaced by
one of ``data/simulated_places.tsv``, every year from 1990 on shifted by the
same number of years, figures with a unit (亿元, %, 吨, 个 …) scaled, the
people the extractors find renamed, and neighbouring one-page entries of a
yearbook swapped or now and then left out.  The layout — pages, headings,
entry titles, dates — is kept, so a variant parses like the template and
costs what a real book of that size costs; its words and numbers differ, so
search statistics are not those of one book copied.

Everything the simulator changes it finds by parsing the template (the
place from the volume title, people from the extracted facts, entries from
the document tree); nothing about any one book is written here.  Variant
``n`` of a seed is always the same text, so a corpus can be generated in
parts, in parallel, or again.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fangzhi.model import Document, Node, NodeKind

YEARS_BACK = 10
SWAP_CHANCE = 0.3
DROP_CHANCE = 0.05
FIGURE_SCALE = (0.8, 1.25)
FIGURE_NOISE = 0.03

_UNITS = "亿|万|%|％|元|吨|公里|千米|平方|公顷|亩|户|家|个|项|所|座|辆|台|件|人次|人|名"
_FIGURE = re.compile(rf"(?<![\d.．])(\d{{1,9}})(?:([.．])(\d{{1,4}}))?(?=(?:{_UNITS}))")
_YEAR = re.compile(rf"(?<![\d.．])(199\d|20[0-3]\d)(?![\d.．]|(?:{_UNITS}))")
_PLACE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4}?)(?:市|县|区|州|盟)?(?:人民政府)?(?:公报|年鉴)")
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")

Progress = Callable[[str], None]


@lru_cache(maxsize=1)
def simulated_places() -> tuple[str, ...]:
    text = resources.files("fangzhi.data").joinpath("simulated_places.tsv").read_text(encoding="utf-8")
    return tuple(line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def _given_name_characters() -> str:
    text = resources.files("fangzhi.data").joinpath("simulated_given_names.txt").read_text(encoding="utf-8")
    return "".join(line.strip() for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def _common_surnames() -> tuple[str, ...]:
    from fangzhi.text.names import surname_readings

    return tuple(surname for surname in surname_readings() if len(surname) == 1)[:100]


@dataclass(frozen=True)
class Template:
    """A real volume read once: its lines and what a variant may change in them."""

    path: Path
    kind: str
    year: int | None
    place: str | None
    lines: tuple[str, ...]
    names: tuple[str, ...]
    neighbours: tuple[tuple[int, int, int, int], ...]

    @classmethod
    def read(cls, path: str | Path) -> Template:
        from fangzhi.knowledge_base import build_document

        document, facts = build_document(path)
        found = _PLACE.match(document.volume.title or "")
        names: set[str] = set()
        for fact in facts:
            if fact.kind == "appointment":
                names.add(str(fact.data.get("person") or ""))
            for person in fact.data.get("people") or []:
                names.add(str(person.get("name") or ""))
        return cls(
            path=Path(path),
            kind=document.volume.kind,
            year=document.volume.year,
            place=found.group(1) if found else None,
            lines=document.source.lines,
            names=tuple(sorted((name for name in names if _NAME.match(name)), key=lambda name: (-len(name), name))),
            neighbours=tuple(_one_page_neighbours(document)),
        )


def _one_page_neighbours(document: Document) -> Iterator[tuple[int, int, int, int]]:
    """Pairs of sibling entries, one after the other on the same printed page, as 0-based line spans."""
    previous: dict[str | None, Node] = {}
    for node, ancestors in document.walk():
        if node.kind != NodeKind.ENTRY:
            continue
        parent = ancestors[-1].id if ancestors else None
        before = previous.get(parent)
        previous[parent] = node
        if before is None or node.page is None or before.page is None:
            continue
        same_page = before.page == before.page_end == node.page == node.page_end
        between = document.source.lines[before.line_end : node.line_start - 1]
        if same_page and not any(line.strip() for line in between):
            yield before.line_start - 1, before.line_end, node.line_start - 1, node.line_end


@dataclass(frozen=True)
class Variant:
    name: str
    text: str
    place: str
    year: int | None


def _plan(template: Template, number: int, seed: int) -> tuple[random.Random, str, int, str]:
    """The variant's random source, place, year shift and file name (drawn first, so the name is cheap)."""
    chance = random.Random(f"{seed}:{template.path.name}:{number}")
    places = [place for place in simulated_places() if place != template.place]
    place = places[chance.randrange(len(places))]
    shift = -chance.randint(0, YEARS_BACK)
    year = template.year + shift if template.year else None
    return chance, place, shift, f"{_slug(place)}-{template.kind}-{year or 'undated'}-{number:05d}.txt"


def variant_name(template: Template, number: int, seed: int = 0) -> str:
    return _plan(template, number, seed)[3]


def make_variant(template: Template, number: int, seed: int = 0) -> Variant:
    """Variant ``number`` of a template: the same for the same seed, whatever else is generated."""
    chance, place, shift, name = _plan(template, number, seed)
    lines = _rearranged(template, chance)
    text = "\n".join(lines)
    if template.place:
        text = text.replace(template.place, place)
        text = _replace_pinyin(text, template.place, place)
    if template.names:
        renamed = {name: _new_name(chance, len(name)) for name in template.names}
        pattern = re.compile("|".join(re.escape(name) for name in template.names))
        text = pattern.sub(lambda match: renamed[match.group(0)], text)
    scale = chance.uniform(*FIGURE_SCALE)
    text = _FIGURE.sub(lambda match: _scaled(match, scale, chance), text)
    if shift:
        text = _YEAR.sub(lambda match: str(int(match.group(1)) + shift), text)
    year = template.year + shift if template.year else None
    return Variant(name=name, text=text + "\n", place=place, year=year)


def _rearranged(template: Template, chance: random.Random) -> list[str]:
    """The template's lines with some one-page neighbours swapped and a few entries left out."""
    lines = list(template.lines)
    edits: list[tuple[int, int, list[str]]] = []
    used = -1
    for first_start, first_end, second_start, second_end in template.neighbours:
        if first_start <= used:
            continue
        roll = chance.random()
        if roll < SWAP_CHANCE:
            between = lines[first_end:second_start]
            block = lines[second_start:second_end] + between + lines[first_start:first_end]
            edits.append((first_start, second_end, block))
            used = second_end
        elif roll < SWAP_CHANCE + DROP_CHANCE:
            edits.append((first_start, first_end, []))
            used = first_end
    for start, end, block in reversed(edits):
        lines[start:end] = block
    return lines


def _replace_pinyin(text: str, old: str, new: str) -> str:
    from pypinyin import lazy_pinyin

    before, after = "".join(lazy_pinyin(old)), "".join(lazy_pinyin(new))
    for form in (str.upper, str.capitalize):
        text = text.replace(form(before), form(after))
    return text


def _new_name(chance: random.Random, length: int) -> str:
    surnames, given = _common_surnames(), _given_name_characters()
    return surnames[chance.randrange(len(surnames))] + "".join(
        given[chance.randrange(len(given))] for _ in range(length - 1)
    )


def _scaled(match: re.Match[str], scale: float, chance: random.Random) -> str:
    whole, point, decimals = match.group(1), match.group(2), match.group(3)
    if len(whole) > 1 and whole.startswith("0"):
        return match.group(0)
    value = float(f"{whole}.{decimals}" if decimals else whole)
    value *= scale * chance.uniform(1 - FIGURE_NOISE, 1 + FIGURE_NOISE)
    if decimals:
        return f"{value:.{len(decimals)}f}".replace(".", point)
    return str(max(1, round(value)))


def _slug(place: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(place)).lower()


def corrupt_file_bytes(number: int) -> bytes:
    """Bytes no decoder accepts as text (a word processor's file saved with a .txt name, say)."""
    chance = random.Random(f"corrupt:{number}")
    return b"PK\x03\x04\x14\x00\x06\x00" + bytes(chance.randrange(256) for _ in range(4096))


def simulate_corpus(
    directory: str | Path,
    templates: Sequence[str | Path],
    copies: int,
    *,
    seed: int = 0,
    corrupt: int = 0,
    start: int = 0,
    progress: Progress | None = None,
) -> list[Path]:
    """Write ``copies`` variants of every template (and ``corrupt`` unreadable files) into ``directory``.

    Variant numbers run from ``start``; a file already there is left as it
    is, so an interrupted run resumes where it stopped.  Returns every path,
    existing or new, in order.
    """
    report = progress or (lambda message: None)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    read = [Template.read(path) for path in templates]
    written: list[Path] = []
    for copy in range(start, start + copies):
        for index, template in enumerate(read):
            number = copy * len(read) + index
            target = folder / variant_name(template, number, seed)
            if not target.exists():
                target.write_text(make_variant(template, number, seed).text, encoding="utf-8")
            written.append(target)
        if (copy + 1 - start) % 10 == 0:
            report(f"{copy + 1 - start}/{copies} copies written")
    for number in range(corrupt):
        target = folder / f"corrupt-{number:03d}.txt"
        target.write_bytes(corrupt_file_bytes(number))
        written.append(target)
    return written
