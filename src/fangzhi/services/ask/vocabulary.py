"""The corpus's own words, read from the store: people, places, posts, document titles, indicator names.

Questions name things the way the books print them, so the vocabulary that
reads a question comes from the knowledge base itself, never from code: the
people of appointments and chronicle events, the places that head list
groups and sections, the organisations of appointments, the titles and 文号
of documents, the titles of entries, the names of indicators.  It is read
once per store and read again only when the set of volumes changes
(:mod:`fangzhi.services.computed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fangzhi.model import NodeKind, Volume
from fangzhi.services.computed import computed
from fangzhi.store.base import Store
from fangzhi.text.names import surname_of
from fangzhi.text.normalize import fold_for_search, squeeze_spaces
from fangzhi.text.words import add_words, question_vocabulary

_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(省|市|县|区|镇|乡)$")
_VOLUME_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:市|县|区)?(?:人民政府|年鉴|政府|公报|志|市志|县志)")
_TITLE_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{3,12}$")


@dataclass
class Vocabulary:
    """Words of the corpus that a question may use, folded for matching."""

    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    home_places: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    indicators: set[str] = field(default_factory=set)
    doc_numbers: set[str] = field(default_factory=set)

    def known_doc_number(self, normalized: str) -> str:
        """A 文号 read from a question, cut to the one the corpus knows (哪个文件废止了平政〔2007〕67号 → 平政〔2007〕67号)."""
        for start in range(len(normalized)):
            if normalized[start:] in self.doc_numbers:
                return normalized[start:]
        return normalized

    def is_home(self, place: str) -> bool:
        """Whether a place is the one the volumes are about (平顶山, 平顶山市), so it restricts nothing."""
        folded = fold_for_search(place)
        if folded in question_vocabulary()["whole_place_words"]:
            # Indicator facts name the place a volume is about as a whole: 全市, 全县 (indicators.v1).
            return True
        return any(folded == home or folded.rstrip("市") == home for home in self.home_places)

    @property
    def home_names(self) -> set[str]:
        """The volumes' own place as a question may write it, with and without 市."""
        return self.home_places | {place + "市" for place in self.home_places}

    def place_stem(self, place: str) -> str:
        """A place without its suffix when the stem is still distinctive (叶县 stays, 汝州市 → 汝州)."""
        folded = fold_for_search(place)
        if len(folded) >= 3 and folded[-1] in "市县区省":
            return folded[:-1]
        return folded


def vocabulary(store: Store) -> Vocabulary:
    """The store's vocabulary, taught to the question tokenizer; kept while the volumes stay the same."""
    return computed(store, "ask.vocabulary", lambda: _read(store, store.volumes()))


def _read(store: Store, volumes: list[Volume]) -> Vocabulary:
    found = Vocabulary()
    words: set[str] = set()
    for volume in volumes:
        match = _VOLUME_PLACE.match(squeeze_spaces(volume.title).replace(" ", ""))
        if match:
            found.home_places.add(fold_for_search(match.group(1)))
    for fact in store.facts(kind="appointment"):
        data = fact.data
        if data.get("person"):
            found.people.add(fold_for_search(data["person"]))
        for key in ("organization", "post"):
            if data.get(key):
                found.organisations.add(fold_for_search(data[key]))
    for fact in store.facts():
        for key in ("doc_no", "repealed_doc_no", "by_doc_no"):
            if fact.data.get(key):
                found.doc_numbers.add(fact.data[key])
    for node in store.nodes(kind=NodeKind.DOCUMENT):
        if node.attributes.get("doc_no"):
            found.doc_numbers.add(node.attributes["doc_no"])
    for fact in store.facts(kind="event"):
        for mention in fact.data.get("people", []):
            if mention.get("name"):
                found.people.add(fold_for_search(mention["name"]))
    for fact in store.facts(kind="list_item"):
        group = fact.data.get("group")
        if group and _PLACE.match(fold_for_search(group)):
            found.places.add(fold_for_search(group))
    for fact in store.facts(kind="indicator"):
        for key in ("indicator", "indicator_as_printed"):
            if fact.data.get(key):
                found.indicators.add(fold_for_search(str(fact.data[key])))
    for kind in (NodeKind.SECTION, NodeKind.ENTRY):
        for node in store.nodes(kind=kind):
            title = fold_for_search(squeeze_spaces(node.title or "")).replace(" ", "")
            if not title:
                continue
            if kind == NodeKind.SECTION and _PLACE.match(title):
                found.places.add(title)
            elif _TITLE_WORD.match(title):
                words.add(title)
    for home in list(found.home_places):
        found.places.add(home + "市")
    found.people = {person for person in found.people if _looks_like_person(person)}
    add_words(sorted(words | found.indicators), weak=True)
    strong = found.people | found.places | found.home_places
    strong |= {organisation for organisation in found.organisations if len(organisation) <= 16}
    add_words(sorted(strong))
    add_words(question_vocabulary()["home_words"])
    return found


def _looks_like_person(name: str) -> bool:
    """A name of two to four Han characters opening with a surname (events also mention 平顶山命名… as a name)."""
    return 2 <= len(name) <= 4 and surname_of(name) is not None and re.fullmatch(r"[\u4e00-\u9fff]+", name) is not None
