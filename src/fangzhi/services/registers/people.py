"""The register of people: officials, appointees, contributors, award winners and people in events.

Who is found, and how:

- appointments and removals (``appointment`` facts): the post and its
  organisation, from the date of the notice;
- people in chronicle events (``event`` facts' ``people``): the title as
  written before the name (市委副书记、市长李明俊), from the event's date;
- the same title-before-name pattern in every other text (entries, articles,
  gazette paragraphs), as written, without a date;
- writers of entries (``contributors``), 荣誉 profiles (entries that are a
  person's profile), photographers (``王尧 摄``), list members who are people;
- then every further place the text prints a known name of three or more
  characters (two-character names are too often part of other words).

A name the dictionary knows as an ordinary word (单位 after 会长) is not a
person.  Spellings of one person are linked when they differ in one
character, or by two swapped characters of the given name, and hold the same
post (市政协主席 黄庚倜 / 黄庚侗, 副市长 房国卫 / 房卫国); the most frequent
spelling names the person.  Two officials whose names differ like that but
who share no post are only flagged (``possible_variants``), since two people
may well have such names; writers and others without a post are not compared.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from fangzhi.extract.events import people_mentions
from fangzhi.model import Fact, NodeKind
from fangzhi.services.registers.corpus import Corpus, Mention, NameScanner, TextNode
from fangzhi.services.registers.organizations import OrganizationRegister, looks_like_organization, organization_parts
from fangzhi.services.registers.words import dictionary_tag, is_common_word
from fangzhi.text.names import surname_of
from fangzhi.text.normalize import fold_for_search
from fangzhi.text.pinyin import sort_key

ENDING_ACTIONS = {"remove", "resign", "dismiss"}
MIN_NAME_IN_TEXT = 3
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_TITLE_PARTS = re.compile(r"[、，,]")
_GENERIC_POST = re.compile(r"领导$")


@dataclass
class Post:
    post: str
    organization: str | None
    since: str | None
    source: str
    action: str | None = None
    node_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"post": self.post, "organization": self.organization, "from": self.since, "source": self.source}


@dataclass
class Person:
    id: str
    name: str
    variants: list[str] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    possible_variants: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The export row: id, name, variants, posts, mentions."""
        return {
            "id": self.id,
            "name": self.name,
            "variants": self.variants,
            "posts": [post.to_dict() for post in self.posts],
            "mentions": len(self.mentions),
        }


def is_personal_name(name: str) -> bool:
    """Two to four Han characters, a known surname first, and not a dictionary word."""
    return bool(_NAME.match(name)) and surname_of(name) is not None and not is_common_word(name)


def _could_be_name(name: str) -> bool:
    """A name found only by a pattern (title before name): no ordinary word, nor surname + verb (全覆盖)."""
    if not is_personal_name(name):
        return False
    given = name[len(surname_of(name) or "") :]
    return len(given) < 2 or not (dictionary_tag(given) or "").startswith("v")


@dataclass
class _Record:
    name: str
    mention: Mention
    posts: list[Post] = field(default_factory=list)
    trusted: bool = True
    """Names a parser or extractor split out (appointees, writers, profiles) are taken as printed."""

    def acceptable(self) -> bool:
        return _could_be_name(self.name) if not self.trusted else bool(_NAME.match(self.name))


def build_people(corpus: Corpus, facts: dict[str, list[Fact]], organizations: OrganizationRegister) -> list[Person]:
    records: list[_Record] = []
    records += _appointments(corpus, facts.get("appointment", []), organizations)
    event_nodes = {fact.node_id for fact in facts.get("event", [])}
    records += _events(corpus, facts.get("event", []), organizations)
    records += _titles_in_text(corpus, event_nodes, organizations)
    records += _structural(corpus, facts.get("list_item", []))
    records = [record for record in records if record.acceptable()]
    records += _names_in_text(corpus, records)
    return _group(records)


def _titled_posts(title: str, mention: Mention, organizations: OrganizationRegister, since: str | None) -> list[Post]:
    posts = []
    for part in _TITLE_PARTS.split(title):
        if part:
            organization = organizations.resolve_prefix(part, mention.volume)
            posts.append(
                Post(part, organization.name if organization else None, since, mention.source, node_id=mention.node_id)
            )
    return posts


def _appointments(corpus: Corpus, facts: list[Fact], organizations: OrganizationRegister) -> list[_Record]:
    records = []
    for fact in facts:
        data = fact.data
        name = data.get("person") or ""
        if not name:
            continue
        action = data.get("action")
        mention = corpus.cited(fact.node_id, fact.line_start, _role(action), name, date=data.get("date"))
        mention.title = data.get("post")
        organization_names = organization_parts(data.get("organization"))
        resolved = [organizations.resolve(part, fact.volume) for part in organization_names]
        organization = (
            "，".join(o.name if o else part for o, part in zip(resolved, organization_names, strict=True)) or None
        )
        post = Post(
            post=data.get("post") or "",
            organization=organization,
            since=None if action in ENDING_ACTIONS else data.get("date"),
            source=_fact_source(mention, data.get("doc_no")),
            action=action,
            node_id=fact.node_id,
        )
        records.append(_Record(name, mention, [post]))
    return records


def _role(action: str | None) -> str:
    return {"appoint": "appointed", "remove": "removed", "resign": "resigned"}.get(action or "", action or "appointed")


def _fact_source(mention: Mention, doc_no: str | None) -> str:
    return f"{mention.source} {doc_no}" if doc_no else mention.source


def _events(corpus: Corpus, facts: list[Fact], organizations: OrganizationRegister) -> list[_Record]:
    records = []
    text_nodes = {text_node.node.id: text_node for text_node in corpus.nodes}
    for fact in facts:
        text_node = text_nodes.get(fact.node_id)
        if text_node is None:
            continue
        date = fact.data.get("date")
        for person in fact.data.get("people", []):
            mention = _locate(corpus, text_node, person["title"], person["name"], "event", date)
            posts = _titled_posts(person["title"], mention, organizations, date)
            records.append(_Record(person["name"], mention, posts, trusted=False))
    return records


def _locate(corpus: Corpus, text_node: TextNode, title: str, name: str, role: str, date: str | None) -> Mention:
    position = text_node.text.find(title + name)
    start = position + len(title) if position >= 0 else text_node.text.find(name)
    start = max(start, 0)
    return corpus.mention(text_node, start, start + len(name), role, title=title, date=date)


def _titles_in_text(corpus: Corpus, skipped: set[str], organizations: OrganizationRegister) -> list[_Record]:
    records = []
    for text_node in corpus.nodes:
        if text_node.node.id in skipped or text_node.node.kind == NodeKind.EVENT:
            continue
        for person in people_mentions(text_node.text):
            mention = _locate(corpus, text_node, person["title"], person["name"], "official", None)
            posts = _titled_posts(person["title"], mention, organizations, None)
            records.append(_Record(person["name"], mention, posts, trusted=False))
    return records


def _structural(corpus: Corpus, list_items: list[Fact]) -> list[_Record]:
    records = []
    for node in corpus.by_id.values():
        if node.kind == NodeKind.ENTRY:
            for name in node.attributes.get("contributors", []):
                if not looks_like_organization(name):
                    mention = Mention(node.volume, node.id, node.page, node.line_start, "contributor", name)
                    mention.title = node.title
                    records.append(_Record(name, mention))
            if node.attributes.get("profile") and node.title:
                mention = Mention(node.volume, node.id, node.page, node.line_start, "award", node.title)
                mention.title = node.title
                mention.after = node.text[: len(node.title) + 40]
                records.append(_Record(node.title, mention))
        elif node.kind == NodeKind.CAPTION:
            credit = node.attributes.get("credit") or ""
            if credit.endswith("摄"):
                name = credit.removesuffix("摄").strip()
                mention = Mention(node.volume, node.id, node.page, node.line_start, "photographer", name)
                mention.after = node.text[:60]
                records.append(_Record(name, mention))
    for fact in list_items:
        name = fact.data.get("name") or ""
        if name and not looks_like_organization(name):
            mention = corpus.cited(fact.node_id, fact.line_start, "listed", name, title=fact.data.get("list_title"))
            records.append(_Record(name, mention, trusted=False))
    return records


def _names_in_text(corpus: Corpus, records: list[_Record]) -> list[_Record]:
    """Every further place a known name of three or more characters is printed."""
    names = {fold_for_search(record.name): record.name for record in records if len(record.name) >= MIN_NAME_IN_TEXT}
    cited = {(record.mention.node_id, fold_for_search(record.name)) for record in records}
    cited_lines = {(record.mention.volume, record.mention.line, fold_for_search(record.name)) for record in records}
    scanner = NameScanner(names)
    found = []
    for text_node in corpus.nodes:
        seen_here: set[str] = set()
        for start, end, name in scanner.finditer(text_node.folded):
            key = fold_for_search(name)
            if (text_node.node.id, key) in cited or key in seen_here:
                continue
            seen_here.add(key)
            mention = corpus.mention(text_node, start, end, "named")
            if (mention.volume, mention.line, key) not in cited_lines:
                found.append(_Record(name, mention))
    return found


def _group(records: list[_Record]) -> list[Person]:
    by_name: dict[str, list[_Record]] = defaultdict(list)
    for record in records:
        by_name[fold_for_search(record.name)].append(record)
    posts_of = {
        name: {post.post for record in group for post in record.posts if not _GENERIC_POST.search(post.post)}
        for name, group in by_name.items()
    }
    parent = {name: name for name in by_name}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    flagged: dict[str, set[str]] = defaultdict(set)
    by_surname: dict[tuple[str, int], list[str]] = defaultdict(list)
    for name in by_name:
        if len(name) >= MIN_NAME_IN_TEXT:
            by_surname[(name[0], len(name))].append(name)
    for names in by_surname.values():
        for index, first in enumerate(names):
            for second in names[index + 1 :]:
                if not _one_slip_apart(first, second):
                    continue
                if posts_of[first] & posts_of[second]:
                    parent[root(first)] = root(second)
                elif posts_of[first] and posts_of[second]:
                    flagged[first].add(second)
                    flagged[second].add(first)
    groups: dict[str, list[str]] = defaultdict(list)
    for name in by_name:
        groups[root(name)].append(name)
    people = []
    for names in groups.values():
        people.append(_person(names, by_name, flagged))
    people.sort(key=lambda person: sort_key(person.name, personal_name=True))
    return people


def _one_slip_apart(first: str, second: str) -> bool:
    """One character different, or two neighbouring characters of the given name swapped."""
    differences = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    if len(differences) == 1:
        return differences[0] > 0
    if len(differences) == 2:
        i, j = differences
        return j == i + 1 and i > 0 and first[i] == second[j] and first[j] == second[i]
    return False


def _person(names: list[str], by_name: dict[str, list[_Record]], flagged: dict[str, set[str]]) -> Person:
    records = [record for name in names for record in by_name[name]]
    spellings = Counter(record.name for record in records)
    name = max(spellings, key=lambda spelling: (spellings[spelling], -records.index(_first(records, spelling))))
    person = Person(id=name, name=name)
    person.variants = sorted(
        (spelling for spelling in spellings if spelling != name), key=lambda spelling: -spellings[spelling]
    )
    person.possible_variants = sorted(
        {other for spelling in names for other in flagged.get(spelling, ()) if other not in names}
    )
    seen_posts: dict[tuple[str, str | None], Post] = {}
    for record in records:
        person.mentions.append(record.mention)
        if record.mention.role not in person.roles:
            person.roles.append(record.mention.role)
        for post in record.posts:
            key = (post.post, post.organization)
            known = seen_posts.get(key)
            earlier = known is not None and post.since and (known.since is None or post.since < known.since)
            if known is None or earlier:
                seen_posts[key] = post
    person.posts = sorted(seen_posts.values(), key=lambda post: (post.since is None, post.since or "", post.post))
    return person


def _first(records: list[_Record], spelling: str) -> _Record:
    return next(record for record in records if record.name == spelling)
