"""Appointments and removals (任免) from personnel notices.

A 任免通知 lists ``NAMES为POST（试用期一年）；`` clauses after 任命： and
``NAMESPOST职务；`` clauses after 免去：.  The removal clauses have no
delimiter between the names and the post, so the post's start is found by
the place names organisations begin with: the issuer's own city, the
provinces, and the first characters of the posts named in the appointment
clauses of the same notice.  Organisation and title are split where an
organisation suffix (局, 中心, 学院, 公司, …) is followed by a position title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fangzhi.model import Document, Fact, Node, NodeKind
from fangzhi.text.normalize import squeeze_spaces

EXTRACTOR = "appointments.v1"

_APPOINT = re.compile(r"(?:决定)?(?:任命|聘任|聘用)[：:]")
_REMOVE = re.compile(r"(?:决定)?(?:免去|解聘)[：:]")
_PROBATION = re.compile(r"[（(]试用期(?P<term>[^）)]{1,6})[）)]")
_PROVINCES = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
    "中国",
    "中共",
    "国家",
    "全国",
]
_ORG_SUFFIX = re.compile(
    r"(人民政府|政府|办公室|办公厅|委员会|管委会|中心|局|厅|处|科|委|院|学院|大学|中学|小学|学校|公司|集团|支队|大队|"
    r"站|所|馆|社|台|行|会|团|部|室|队|场|园|区)[）)]?"
)
_TITLE_END = re.compile(
    r"(长|主任|总监|书记|主席|经理|董事|委员|秘书|专员|巡视员|调研员|师|督学|编辑|主编|政委|干事|监事|参事|行长|馆员)"
    r"([（(][^（()）]{1,10}[）)])?$"
)
_PLACE = re.compile(r"^(?P<place>.{2,8}?[省市州县区盟旗])")
_NAME_LENGTHS = (2, 3, 4)


@dataclass
class Clause:
    text: str
    line_start: int
    line_end: int
    terminated: bool = True


def split_post(post: str) -> str:
    """The organisation part of a post (平顶山市项目建设推进中心主任 → 平顶山市项目建设推进中心)."""
    best = None
    for match in _ORG_SUFFIX.finditer(post):
        rest = post[match.end() :]
        core = re.sub(r"^[（(][^（()）]*[）)]", "", rest)
        bare = re.sub(r"[（(][^（()）]*[）)]$", "", core)
        if len(bare) >= 2 and _TITLE_END.search(core) and not _ORG_SUFFIX.fullmatch(core):
            best = match.end()
    if best is None:
        return post
    return post[:best]


def organization_of(post: str) -> str:
    """Organisations of a post; a post naming two (…局副局长，…中心主任) gives both, joined with ，."""
    parts = [part for part in re.split(r"[，,](?![^（(]*[）)])", post) if part]
    return "，".join(split_post(part) for part in parts)


def _clauses(document: Node, source_lines: tuple[str, ...], marker: re.Pattern[str]) -> list[Clause]:
    """The ；-separated clauses after a 任命：/免去： marker, up to the clause ending in 。."""
    numbers = [n for n in range(document.line_start, document.line_end + 1) if source_lines[n - 1].strip()]
    text = ""
    line_of: list[int] = []
    for number in numbers:
        squeezed = squeeze_spaces(source_lines[number - 1])
        text += squeezed
        line_of.extend([number] * len(squeezed))
    clauses: list[Clause] = []
    for match in marker.finditer(text):
        position = match.end()
        while position < len(text):
            end = position
            depth = 0
            while end < len(text):
                char = text[end]
                if char in "（(":
                    depth += 1
                elif char in "）)":
                    depth -= 1
                elif depth <= 0 and char in "；;。":
                    break
                end += 1
            clause = text[position:end].strip()
            if clause and not _APPOINT.match(clause) and not _REMOVE.match(clause):
                last_line = line_of[min(end, len(text)) - 1]
                clauses.append(Clause(clause, line_of[position], last_line, terminated=end < len(text)))
            if end >= len(text) or text[end] == "。":
                break
            position = end + 1
            if _APPOINT.match(text, position) or _REMOVE.match(text, position):
                break
    return clauses


def _names(text: str) -> list[str]:
    return [name for name in re.split(r"[、，,]", text) if name]


def _place_prefixes(document: Node, appointment_posts: list[str]) -> list[str]:
    prefixes = set(_PROVINCES)
    issuer = document.attributes.get("issuer") or ""
    place = _PLACE.match(issuer)
    if place:
        prefixes.add(place.group("place"))
        prefixes.add(place.group("place")[:-1])
    for post in appointment_posts:
        prefixes.add(post[:2])
    return sorted((prefix for prefix in prefixes if len(prefix) >= 2), key=len, reverse=True)


def _split_removal(clause: str, prefixes: list[str]) -> tuple[list[str], str] | None:
    """Names and post of ``王献星、井献志平顶山市第一中学副校长``: the post starts at a place name."""
    head, _, last = clause.rpartition("、")
    for length in _NAME_LENGTHS:
        if len(last) <= length:
            break
        rest = last[length:]
        if any(rest.startswith(prefix) for prefix in prefixes):
            names = _names(head) + [last[:length]] if head else [last[:length]]
            return names, rest
    return None


def _split_appointment(clause: str, prefixes: list[str]) -> tuple[str, str]:
    """Names and post of ``金铮、席会平为河南质量工程职业学院副院长``; a 为 inside a name is skipped."""
    positions = [match.start() for match in re.finditer("为", clause)]
    for position in positions:
        if any(clause.startswith(prefix, position + 1) for prefix in prefixes):
            return clause[:position], clause[position + 1 :]
    if not positions:
        return "", ""
    return clause[: positions[0]], clause[positions[0] + 1 :]


def _fact(document: Node, volume: str, clause: Clause, person: str, action: str, post: str) -> Fact:
    probation = _PROBATION.search(post)
    clean = _PROBATION.sub("", post).strip()
    clean = re.sub(r"职务$", "", clean)
    warnings: list[str] = []
    if not clause.terminated:
        warnings.append(f"line {clause.line_end}: the clause {clause.text!r} has no closing punctuation; cut off?")
    if probation and probation.group("term") != "一年":
        warnings.append(f"probation of {probation.group('term')}, not one year: {clause.text}")
    return Fact(
        kind="appointment",
        volume=volume,
        node_id=document.id,
        line_start=clause.line_start,
        line_end=clause.line_end,
        page=document.page,
        data={
            "person": person,
            "action": action,
            "post": clean,
            "organization": organization_of(clean),
            "probation_one_year": bool(probation and probation.group("term") == "一年"),
            "doc_no": document.attributes.get("doc_no"),
            "date": document.attributes.get("date"),
            "line": clause.line_start,
        },
        extractor=EXTRACTOR,
        warnings=warnings,
    )


def extract_appointments(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    lines = document.source.lines
    for node in document.nodes(NodeKind.DOCUMENT):
        appointments = _clauses(node, lines, _APPOINT)
        removals = _clauses(node, lines, _REMOVE)
        if not appointments and not removals:
            continue
        posts: list[str] = []
        known = _place_prefixes(node, [])
        for clause in appointments:
            names, post = _split_appointment(clause.text, known)
            if not names or not post:
                facts.append(_unreadable(node, document.volume.id, clause, "appoint"))
                continue
            posts.append(post)
            for person in _names(names):
                facts.append(_fact(node, document.volume.id, clause, person, "appoint", post))
        prefixes = _place_prefixes(node, posts)
        for clause in removals:
            split = _split_removal(clause.text, prefixes)
            if split is None:
                facts.append(_unreadable(node, document.volume.id, clause, "remove"))
                continue
            names, post = split
            for person in names:
                facts.append(_fact(node, document.volume.id, clause, person, "remove", post))
    return facts


def _unreadable(node: Node, volume: str, clause: Clause, action: str) -> Fact:
    """A clause whose names and post cannot be told apart: kept whole, with a warning."""
    fact = _fact(node, volume, clause, "", action, clause.text)
    fact.warnings.append(f"line {clause.line_start}: cannot tell the names from the post in {clause.text!r}")
    return fact
