"""The register of organisations: full names, the abbreviations texts use for them, documents and posts.

Where the names come from:

- the text's own pairings, ``平顶山市关心下一代工作委员会（以下简称“市关工委”）``;
- the curated table ``data/organization_abbreviations.tsv`` of how government
  and party bodies are shortened (市发改委 = {place}发展和改革委员会), expanded
  for the place each volume is about (its title names it) and the counties
  inside it;
- appointments (the organisation of each post), the issuers of documents,
  entry and section titles that are organisations' names (they end like one:
  …委员会, …公司, …学院; ``data/organization_suffixes.tsv``), institutional
  authors of entries and photo credits (``市科技局 供图``).

Every full name and abbreviation is then looked for in every text of the
volume; an abbreviation counts only for the volume whose place it stands
for.  ``市委`` followed by 员 or 会 is part of a longer name (…市委员会, 民盟市委会)
and not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from fangzhi.data import read_table
from fangzhi.model import NodeKind, Volume
from fangzhi.services.registers.corpus import Corpus, Mention, NameScanner
from fangzhi.services.registers.divisions import COUNTY, PREFECTURE, PROVINCE, Division, division_table
from fangzhi.text.normalize import fold_for_search
from fangzhi.text.pinyin import sort_key

_PAIRING = re.compile(r"[（(](?:以下)?简称[：:]?[“\"]?(?P<short>[^（()）“”\"，。]{2,20}?)[”\"]?[）)]")
_DELIMITERS = "，。；：、“”‘’《》（）()!！？?\n "
_LEADING_WORDS = re.compile(r"^(?:与|和|及|对|由|在|经|将|把|为|是|同|向|从|联合|会同|指导|推动|依托)+")
_SUFFIX_EXCEPTIONS = ("员", "会")
PLACE_TOKEN = "{place}"


@dataclass
class Organization:
    id: str
    name: str
    abbreviations: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    known_from: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The export row: id, name, abbreviations, mentions."""
        return {
            "id": self.id,
            "name": self.name,
            "abbreviations": self.abbreviations,
            "mentions": len(self.mentions),
        }

    def learn(self, how: str) -> None:
        if how not in self.known_from:
            self.known_from.append(how)


@lru_cache(maxsize=1)
def abbreviation_patterns() -> tuple[tuple[str, str], ...]:
    return tuple((short, full) for short, full in read_table("organization_abbreviations.tsv"))


@lru_cache(maxsize=1)
def organization_suffixes() -> tuple[tuple[str, int], ...]:
    rows = [(ending, int(length)) for ending, length in read_table("organization_suffixes.tsv")]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


def looks_like_organization(name: str) -> bool:
    """A name ending like an organisation's (…委员会, …公司, …局) and long enough for the ending."""
    if not name or not re.fullmatch(r"[\u4e00-\u9fff（）()·]+", name):
        return False
    core = re.sub(r"[（(][^（）()]*[）)]$", "", name)  # 人才交流中心（人才市场管理办公室）
    return any(core.endswith(ending) and len(core) >= length for ending, length in organization_suffixes())


def organization_parts(organization: str | None) -> list[str]:
    """The organisations an appointment's ``organization`` names (two posts: …局，…中心), without post words.

    Extractors join the organisations of a double post with ，; some texts join
    the posts with 、 so the field may read 泉州市人民政府副市长、市公安局.  Only the
    parts that read as an organisation's name are kept.
    """
    parts = [part.strip() for part in re.split(r"[，,、]", organization or "")]
    return [part for part in parts if part and looks_like_organization(part)]


def _place_forms(home: Division | None) -> list[tuple[str, str]]:
    """(as written in an abbreviation, full place name) for the place a volume is about and the places in it."""
    table = division_table()
    if home is None:
        return []
    forms: list[tuple[str, str]] = []

    def add(division: Division, level_character: bool) -> None:
        forms.append((division.name, division.name))
        if division.short_name:
            forms.append((division.short_name, division.name))
        if level_character:
            forms.append((division.name[-1], division.name))

    add(home, True)
    for ancestor in table.ancestors(home):
        if ancestor.level == PROVINCE:
            add(ancestor, True)
    if home.level == PREFECTURE:
        for county in table.children.get(home.code, []):
            if county.level == COUNTY:
                forms.append((county.name, county.name))
                if county.short_name and not county.name.endswith("区"):
                    forms.append((county.short_name, county.name))
    return forms


def table_abbreviations(home: Division | None) -> dict[str, str]:
    """Abbreviation → full name from the curated table, for a volume about ``home``."""
    found: dict[str, str] = {}
    for written, full_place in _place_forms(home):
        for short, full in abbreviation_patterns():
            expanded = full.replace(PLACE_TOKEN, full_place)
            found.setdefault(short.replace(PLACE_TOKEN, written), expanded)
            if full.startswith(PLACE_TOKEN):
                found.setdefault(full.replace(PLACE_TOKEN, written), expanded)
    return found


def paired_full_name(before: str, short: str) -> str | None:
    """The full name a ``（简称…）`` pairing follows, read back from the text before it; None if not an organisation."""
    before = before.rstrip()
    if before.endswith("”"):
        quoted = before[: before.rfind("”")]
        start = quoted.rfind("“")
        candidate = quoted[start + 1 :] if start >= 0 else ""
    else:
        cut = max(before.rfind(char) for char in _DELIMITERS)
        if cut >= 0 and before[cut] == "》":
            return None
        candidate = before[cut + 1 :]
    candidate = _LEADING_WORDS.sub("", candidate)
    if not looks_like_organization(candidate) or candidate == short:
        return None
    if sum(char in candidate for char in short) * 2 < len(short):
        return None
    return candidate


class _Builder:
    def __init__(self) -> None:
        self.organizations: dict[str, Organization] = {}

    def get(self, name: str, how: str) -> Organization:
        key = fold_for_search(name)
        organization = self.organizations.get(key)
        if organization is None:
            organization = Organization(id=name, name=name)
            self.organizations[key] = organization
        organization.learn(how)
        return organization


@dataclass
class OrganizationRegister:
    organizations: list[Organization]
    by_id: dict[str, Organization]
    names_by_volume: dict[str, dict[str, str]]

    def resolve(self, name: str, volume: str | None = None) -> Organization | None:
        """The organisation a name or abbreviation stands for (in a volume, when abbreviations depend on it)."""
        key = fold_for_search(name)
        tables = list(self.names_by_volume.values())
        if volume is not None:
            tables.insert(0, self.names_by_volume.get(volume, {}))
        for names in tables:
            found = self.by_id.get(names.get(key, ""))
            if found is not None:
                return found
        return None

    def resolve_prefix(self, text: str, volume: str | None = None) -> Organization | None:
        """The organisation the longest known name at the start of ``text`` stands for (市政协主席 → 市政协)."""
        for end in range(len(text), 1, -1):
            found = self.resolve(text[:end], volume)
            if found is not None:
                return found
        return None


def build_organizations(corpus: Corpus, appointments: list[Any]) -> OrganizationRegister:
    builder = _Builder()
    names_by_volume: dict[str, dict[str, str]] = {}
    structural: dict[str, list[tuple[Organization, Mention]]] = {}
    for volume in corpus.volumes:
        names: dict[str, Organization] = {}
        for short, full in table_abbreviations(corpus.home(volume)).items():
            names[fold_for_search(short)] = builder.get(full, "table")
        for text_node in corpus.nodes:
            if text_node.node.volume != volume.id:
                continue
            for match in _PAIRING.finditer(text_node.text):
                short = match.group("short").strip('“”"')
                full = paired_full_name(text_node.text[max(0, match.start() - 60) : match.start()], short)
                if full:
                    organization = builder.get(full, "pairing")
                    names[fold_for_search(short)] = organization
                    names[fold_for_search(full)] = organization
                    if short not in organization.abbreviations:
                        organization.abbreviations.append(short)
        structural[volume.id] = _structural_names(corpus, volume, builder, names)
        names_by_volume[volume.id] = {name: organization.name for name, organization in names.items()}
    for fact in appointments:
        for part in organization_parts(fact.data.get("organization")):
            if fact.data.get("person"):
                known = names_by_volume.get(fact.volume, {}).get(fold_for_search(part))
                organization = builder.get(known or part, "appointment")
                names_by_volume.setdefault(fact.volume, {})[fold_for_search(part)] = organization.name
                mention = corpus.cited(fact.node_id, fact.line_start, "appointment", part, title=fact.data.get("post"))
                organization.mentions.append(mention)
    by_name = {organization.name: organization for organization in builder.organizations.values()}
    _scan_mentions(corpus, names_by_volume, by_name)
    for found in structural.values():
        for organization, mention in found:
            organization.mentions.append(mention)
    _documents(corpus, builder)
    kept = [
        organization
        for organization in builder.organizations.values()
        if organization.mentions or set(organization.known_from) - {"table"}
    ]
    kept.sort(key=lambda organization: sort_key(organization.name))
    register = OrganizationRegister(kept, {organization.id: organization for organization in kept}, names_by_volume)
    return register


def _structural_names(
    corpus: Corpus, volume: Volume, builder: _Builder, names: dict[str, Organization]
) -> list[tuple[Organization, Mention]]:
    """Organisations a volume names in its structure: titles, institutional authors, credits, issuers."""
    found: list[tuple[Organization, Mention]] = []
    places = division_table().by_name
    for node in corpus.by_id.values():
        if node.volume != volume.id:
            continue
        candidates: list[tuple[str, str]] = []
        if node.kind in (NodeKind.ENTRY, NodeKind.SECTION) and node.title and looks_like_organization(node.title):
            candidates.append((node.title, "title"))
        for contributor in node.attributes.get("contributors", []) if node.kind == NodeKind.ENTRY else []:
            if looks_like_organization(contributor):
                candidates.append((contributor, "author"))
        credit = node.attributes.get("credit") if node.kind == NodeKind.CAPTION else None
        if credit and credit.endswith("供图"):
            who = credit.removesuffix("供图").strip()
            if who not in places:
                candidates.append((who, "credit"))
        if node.kind == NodeKind.DOCUMENT and node.attributes.get("issuer"):
            candidates.append((node.attributes["issuer"], "issuer"))
        for name, how in candidates:
            known = names.get(fold_for_search(name))
            organization = known if known is not None else builder.get(name, how)
            organization.learn(how)
            names.setdefault(fold_for_search(name), organization)
            if name != organization.name and name not in organization.abbreviations:
                organization.abbreviations.append(name)
            found.append(
                (
                    organization,
                    Mention(
                        volume=node.volume,
                        node_id=node.id,
                        page=node.page,
                        line=node.line_start,
                        role=how,
                        as_written=name,
                        title=node.title,
                    ),
                )
            )
    return found


def _scan_mentions(
    corpus: Corpus, names_by_volume: dict[str, dict[str, str]], by_name: dict[str, Organization]
) -> None:
    for volume, names in names_by_volume.items():
        scanner = NameScanner(names)
        for text_node in corpus.nodes:
            if text_node.node.volume != volume:
                continue
            folded = text_node.folded
            for start, end, name in scanner.finditer(folded):
                organization = by_name.get(name)
                if organization is None:
                    continue
                written = text_node.text[start:end]
                if fold_for_search(written) != fold_for_search(organization.name):
                    if written.endswith("委") and folded[end : end + 1] in _SUFFIX_EXCEPTIONS:
                        continue
                    if written not in organization.abbreviations:
                        organization.abbreviations.append(written)
                organization.mentions.append(corpus.mention(text_node, start, end, "named"))


def _documents(corpus: Corpus, builder: _Builder) -> None:
    for node in corpus.by_id.values():
        issuer = node.attributes.get("issuer") if node.kind == NodeKind.DOCUMENT else None
        if not issuer:
            continue
        organization = builder.organizations.get(fold_for_search(issuer))
        if organization is not None:
            organization.documents.append(
                {
                    "doc_no": node.attributes.get("doc_no"),
                    "title": node.title,
                    "date": node.attributes.get("date"),
                    "node_id": node.id,
                }
            )
