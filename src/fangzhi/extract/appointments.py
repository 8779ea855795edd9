"""Appointments, removals and resignations (任免), in the forms government texts print them.

A government 任免通知 lists ``NAMES为POST（试用期一年）；`` clauses after
任命： and ``NAMESPOST职务；`` clauses after 免去：.  The removal clauses have
no delimiter between the names and the post, so the post's start is found by
the place names organisations begin with: the issuer's own city, the
provinces, and the first characters of the posts named in the appointment
clauses of the same notice.  Organisation and title are split where an
organisation suffix (局, 中心, 学院, 公司, …) is followed by a position title.

A people's congress standing committee decides in sentences instead, and
news reports repeat them: ``决定任命A为…，B为…``, ``免去A的…职务，B的…职务；…``,
``接受A辞去…职务、B辞去…职务的请求`` (action ``resign``),
``A代理…市长职务``, ``推选…副主任A代理主任职务``, ``任命A为…副市长，并决定为代理市长``
(``acting``), ``兼`` (``concurrent``).  Name annotations (``（女）``,
``（回族）``) become ``person_attributes``; the same decision reported twice in
one text is one record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from fangzhi.data import read_json
from fangzhi.model import Document, DocumentAttributes, Fact, Node, NodeKind, ParseWarning
from fangzhi.text.names import surname_of
from fangzhi.text.normalize import squeeze_spaces

EXTRACTOR = "appointments.v1"

_APPOINT = re.compile(r"(?:决定)?(?:任命|聘任|聘用)[：:]")
_REMOVE = re.compile(r"(?:决定)?(?:免去|解聘)[：:]")
_PROBATION = re.compile(r"[（(]试用期(?P<term>[^）)]{1,6})[）)]")
_PROBATION_NOTE = re.compile(r"^试用期[^，；]{1,6}$")
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
# ASCII punctuation that damaged text carries instead of the full-width marks (same length, so positions hold).
_PUNCTUATION = str.maketrans(",;:()", "，；：（）")
# An ASCII full stop after Chinese text ends a sentence; one between digits is a decimal point.
_ASCII_FULL_STOP = re.compile(r"(?<=[\u4e00-\u9fff）)”])\.(?![0-9A-Za-z])")
_ANNOTATION = re.compile(r"[（(](?P<note>[^（()）]{1,16})[）)]")
_INLINE_TRIGGER = re.compile(
    r"(?P<appoint>(?:决定)?(?:任命|聘任|聘用)了?)(?![：:])"
    r"|(?P<remove>(?:决定)?(?:免去|解聘|撤销)了?)(?![：:])"
    r"|(?P<resign>接受|同意)了?[：:]?"
    r"|(?P<decide>决定)[：:]?(?!任命|免去|接受|聘任|解聘)(?=[\u4e00-\u9fff·]{2,8}?(?:同志)?(?:（[^（）]{1,12}）)?为)"
)
_OUTSIDE_BRACKETS_SPLIT = re.compile(r"[、，](?![^（(]*[）)])")
_NOT_NAMES = ("任命", "免去", "接受", "决定", "同意", "推选", "辞去", "会议")
_SENTENCE_END = "。！？"
# 张三同志任某某局局长 (not 担任, 任命, 任免, 任期 or 任职).
_TAKES_POST = re.compile(
    r"(?:^|(?<=[：；，。\s]))(?P<name>[\u4e00-\u9fff·]{2,8}?(?:（[^（）]{1,12}）)?(?P<comrade>同志)?(?:（[^（）]{1,12}）)?)"
    r"任(?![命免期职务用])(?P<post>[^；。，！？]{2,60})(?=[；。，]|$)"
)
_DECISION_LEAD = re.compile(r"^(?:并|又|另)?(?:会议)?(?:决定|推选|同意|经研究)?[：:]?")
_CLAUSE_DELIMITERS = "，。；：、！？"


@lru_cache(maxsize=1)
def _words() -> dict[str, list[str]]:
    return read_json("appointments.json")


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
    return "，".join(_organizations_of_part(part) for part in parts)


def _organizations_of_part(post: str) -> str:
    """``泉州市人民政府副市长、市公安局局长`` names two organisations; ``…公司董事、副总经理`` one."""
    pieces = [piece for piece in re.split(r"、(?![^（(]*[）)])", post) if piece]
    if len(pieces) > 1 and all(_TITLE_END.search(piece) and split_post(piece) != piece for piece in pieces):
        return "，".join(split_post(piece) for piece in pieces)
    return split_post(post)


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
    prefixes = set(_words()["place_prefixes"])
    issuer = DocumentAttributes.of_any(document).issuer or ""
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


@dataclass
class _Record:
    """One person's appointment, removal or resignation as read, before it becomes a fact."""

    person: str
    action: str
    post: str
    line_start: int
    line_end: int
    terminated: bool = True
    text: str = ""
    acting: bool = False
    concurrent: bool = False
    attributes: dict[str, object] | None = None


def read_person(token: str) -> tuple[str, dict[str, object]]:
    """A name as printed (``张三（女）``, ``李四同志``, ``马五（女，回族）``) → (name, its attributes)."""
    attributes: dict[str, object] = {}
    notes = [match.group("note") for match in _ANNOTATION.finditer(token)]
    name = _ANNOTATION.sub("", token).strip()
    name = re.sub(r"同志$", "", name)
    for note in notes:
        for part in re.split(r"[，,、\s]", note):
            if part in ("女", "男"):
                attributes["gender"] = part
            elif part.endswith("族") and 2 <= len(part) <= 6:
                attributes["ethnicity"] = part
            elif part in _words()["secondment"]:
                attributes["secondment"] = True
    return name, attributes


def _is_name(token: str) -> bool:
    name, _ = read_person(token)
    if name.startswith(_NOT_NAMES):
        return False
    if "·" in name:
        return 3 <= len(name) <= 16
    return 2 <= len(name) <= 4 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", name)) and surname_of(name) is not None


def _names_if_valid(text: str) -> list[str] | None:
    """The names a text lists (``A、B（女）``), or None when any of them is not a name."""
    names = [name for name in _OUTSIDE_BRACKETS_SPLIT.split(text) if name]
    return names if names and all(_is_name(name) for name in names) else None


def _strip_post(post: str) -> str:
    post = post.strip().rstrip("。；，")
    post = re.sub(r"(?:的)?职务(?:的请求)?$", "", post)
    return post.strip()


def _split_post_annotations(post: str) -> tuple[str, dict[str, object]]:
    """A post's own notes: （挂职） is a secondment, kept as an attribute, not as part of the post."""
    attributes: dict[str, object] = {}
    for match in list(_ANNOTATION.finditer(post)):
        if match.group("note") in _words()["secondment"]:
            attributes["secondment"] = True
            post = post.replace(match.group(0), "")
    return post, attributes


def _bare_title(title: str) -> bool:
    return re.sub(r"^(?:常务)?副", "", title) in _words()["bare_titles"]


def acting_post(current: str | None, title: str) -> str:
    """The post an acting appointment names: 代理市长 under 宣城市人民政府副市长 is 宣城市人民政府市长."""
    title = _strip_post(title.replace("代理", ""))
    if not _bare_title(title) or not current:
        return title
    organization = split_post(current)
    if organization == current:
        organization = re.sub(r"(?:常务)?副?" + re.escape(title) + "$", "", current)
        if organization == current:
            return title
    return organization + title


def split_removal_item(item: str, prefixes: Sequence[str]) -> tuple[list[str], str] | None:
    """Names and post of ``A的POST职务``, or of ``A、BPOST职务`` where the post starts at a place name."""
    for match in re.finditer("的", item):
        names = _names_if_valid(item[: match.start()])
        if names:
            return names, item[match.end() :]
    for cut in range(2, min(len(item), 40)):
        rest = item[cut:]
        if any(rest.startswith(prefix) for prefix in prefixes):
            names = _names_if_valid(item[:cut])
            if names:
                return names, rest
    return None


class _Inline:
    """Reads the decision sentences of one stretch of text (a document's body, a news report)."""

    def __init__(self, text: str, line_of: Sequence[int], prefixes: list[str]) -> None:
        self.text = _ASCII_FULL_STOP.sub("。", text.translate(_PUNCTUATION))
        self.line_of = line_of
        self.prefixes = prefixes
        self.records: list[_Record] = []

    def read(self) -> list[_Record]:
        triggers = [*_INLINE_TRIGGER.finditer(self.text), *_TAKES_POST.finditer(self.text)]
        for match in sorted(triggers, key=lambda found: found.start()):
            if "post" in match.groupdict():
                self._takes_post(match)
                continue
            end = self._sentence_end(match.end())
            if match.group("appoint") or match.group("decide"):
                self._appointments(match.end(), end)
            elif match.group("remove"):
                self._removals(match.end(), end)
            else:
                self._resignations(match.end(), end)
        self._acting()
        return self.records

    def _takes_post(self, match: re.Match[str]) -> None:
        """``张三同志任某某局局长；``: a notice's 任 clause (a 免去其…职务 may follow it)."""
        token, post = match.group("name"), match.group("post")
        if not _is_name(token) or not (match.group("comrade") or _TITLE_END.search(_strip_post(post))):
            return
        self._add([token], "appoint", post, match.start("name"), match.end())

    def _sentence_end(self, position: int) -> int:
        ends = [self.text.find(mark, position) for mark in _SENTENCE_END]
        found = [end for end in ends if end >= 0]
        return min(found) if found else len(self.text)

    def _items(self, start: int, end: int) -> Iterator[tuple[str, int, int]]:
        """Items separated by ， and ； (not inside brackets), with their positions."""
        depth = 0
        item_start = start
        for position in range(start, end + 1):
            char = self.text[position] if position < end else "；"
            if char in "（(":
                depth += 1
            elif char in "）)":
                depth -= 1
            elif depth <= 0 and char in "，；":
                if position > item_start:
                    yield self.text[item_start:position], item_start, position
                item_start = position + 1

    def _add(self, names: list[str], action: str, post: str, start: int, end: int, **flags: bool) -> None:
        post, post_attributes = _split_post_annotations(_strip_post(post))
        if not post:
            return
        terminated = end < len(self.text)
        for token in names:
            person, attributes = read_person(token)
            attributes.update(post_attributes)
            self.records.append(
                _Record(
                    person,
                    action,
                    post,
                    self.line_of[start],
                    self.line_of[max(start, min(end, len(self.text)) - 1)],
                    terminated,
                    self.text[start:end],
                    flags.get("acting", False),
                    flags.get("concurrent", False),
                    attributes,
                )
            )

    def _split_at_wei(self, item: str) -> tuple[list[str], str] | None:
        """Names and post of ``A、B为POST``; a 为 inside a name (邓为) is skipped by checking the names."""
        candidates = []
        for match in re.finditer("为", item):
            names = _names_if_valid(item[: match.start()])
            if names and match.end() < len(item):
                candidates.append((names, item[match.end() :]))
        for names, post in candidates:
            if any(post.startswith(prefix) for prefix in self.prefixes):
                return names, post
        return candidates[0] if candidates else None

    def _appointments(self, start: int, end: int) -> None:
        last: tuple[list[str], str] | None = None
        last_records = len(self.records)
        for item, item_start, item_end in self._items(start, end):
            item = item.strip()
            if last and _PROBATION_NOTE.match(item):
                for record in self.records[last_records:]:
                    record.post += f"（{item}）"
                continue
            last_records = len(self.records)
            concurrent = re.match(r"^(?:并)?兼(?:任)?", item)
            if last and concurrent:
                self._add(last[0], "appoint", item[concurrent.end() :], item_start, item_end, concurrent=True)
                continue
            acting = re.match(r"^(?:并)?(?:决定)?(?:为)?代理", item)
            if last and acting:
                post = acting_post(last[1], item[acting.end() :])
                self._add(last[0], "appoint", post, item_start, item_end, acting=True)
                continue
            split = self._split_at_wei(item)
            if split is None:
                break
            names, post = split
            parts = post.split("、")
            main = "、".join(part for part in parts if not part.startswith("代理"))
            main, _, also = main.partition("兼")
            if "代理" in main:
                self._add(names, "appoint", acting_post(None, main), item_start, item_end, acting=True)
            elif main:
                self._add(names, "appoint", main, item_start, item_end)
            if also:
                self._add(names, "appoint", also, item_start, item_end, concurrent=True)
            for part in parts:
                if part.startswith("代理"):
                    self._add(names, "appoint", acting_post(main, part), item_start, item_end, acting=True)
            last = (names, main)

    def _removals(self, start: int, end: int) -> None:
        last: _Record | None = None
        for item, item_start, item_end in self._items(start, end):
            item = item.strip()
            if _INLINE_TRIGGER.search(item):
                break
            if item.startswith("其") and self.records:
                self._add([self.records[-1].person], "remove", item[1:].lstrip("的"), item_start, item_end)
                continue
            split = self._split_removal_item(item)
            if split is None:
                if last is not None and item.endswith("职务") and not self._split_at_wei(item):
                    for record in self.records:
                        if record.line_start == last.line_start and record.text == last.text:
                            record.post = f"{record.post}，{_strip_post(item)}"
                    continue
                break
            names, post = split
            before = len(self.records)
            self._add(names, "remove", post, item_start, item_end)
            last = self.records[-1] if len(self.records) > before else last

    def _split_removal_item(self, item: str) -> tuple[list[str], str] | None:
        return split_removal_item(item, self.prefixes)

    def _resignations(self, start: int, end: int) -> None:
        segment_end = end
        request = self.text.find("的请求", start, end)
        if request >= 0:
            segment_end = request
        position = start
        for match in re.finditer("辞去", self.text[start:segment_end]):
            at = start + match.start()
            head = self.text[position:at]
            head = re.split(r"[、，；：]", head)[-1]
            if not _is_name(head):
                position = at + 2
                continue
            post_end = self._post_end(at + 2, segment_end)
            self._add([head], "resign", self.text[at + 2 : post_end], at - len(head), post_end)
            position = post_end

    def _post_end(self, start: int, end: int) -> int:
        """Where a post that starts at ``start`` ends: after its 职务, else at the next item delimiter."""
        duty = self.text.find("职务", start, end)
        stop = min([p for p in (self.text.find(mark, start, end) for mark in "、，；") if p >= 0] or [end])
        return duty + 2 if 0 <= duty < stop or (duty >= 0 and stop == end) else stop

    def _acting(self) -> None:
        """``A代理…职务`` and ``…副主任A代理主任职务``: acting appointments without 任命."""
        for match in re.finditer("代理", self.text):
            start = max(self.text.rfind(mark, 0, match.start()) for mark in _CLAUSE_DELIMITERS) + 1
            before = _DECISION_LEAD.sub("", self.text[start : match.start()])
            if not before or "为" in before:
                continue
            person = self._name_after_title(before)
            if person is None:
                continue
            token, current = person
            end = self._post_end(match.end(), self._sentence_end(match.end()))
            title = self.text[match.end() : end]
            if not title or len(title) > 40 or not _TITLE_END.search(_strip_post(title)):
                continue
            post = acting_post(current, title)
            self._add([token], "appoint", post, start, end, acting=True)

    @staticmethod
    def _name_after_title(text: str) -> tuple[str, str | None] | None:
        """(name, the post before it) of ``宣城市人民政府副市长孔晓宏`` or a bare ``张鸿福同志``."""
        if _is_name(text):
            return text, None
        core = _ANNOTATION.sub("", text)
        core = re.sub(r"同志$", "", core)
        for length in (3, 2, 4):
            name, title = core[-length:], core[:-length]
            if title and _is_name(name) and _TITLE_END.search(title):
                return text[len(title) :], title
        return None


def _fact(node: Node, volume: str, record: _Record, clause_text: str) -> Fact:
    probation = _PROBATION.search(record.post)
    clean = _PROBATION.sub("", record.post).strip()
    clean = re.sub(r"职务$", "", clean)
    warnings: list[ParseWarning] = []
    if not record.terminated:
        warnings.append(
            ParseWarning(
                "appointment_cut_off",
                f"the clause {clause_text!r} has no closing punctuation; cut off?",
                record.line_end,
            )
        )
    if probation and probation.group("term") != "一年":
        warnings.append(
            ParseWarning(
                "appointment_probation",
                f"probation of {probation.group('term')}, not one year: {clause_text}",
                record.line_start,
            )
        )
    person, attributes = read_person(record.person)
    attributes.update(record.attributes or {})
    data: dict[str, object] = {
        "person": person,
        "action": record.action,
        "post": clean,
        "organization": organization_of(clean),
        "probation_one_year": bool(probation and probation.group("term") == "一年"),
        "doc_no": DocumentAttributes.of_any(node).doc_no,
        "date": DocumentAttributes.of_any(node).date,
        "line": record.line_start,
        "acting": record.acting,
        "concurrent": record.concurrent,
        "person_attributes": {key: value for key, value in attributes.items() if key != "secondment"},
    }
    if attributes.get("secondment"):
        data["secondment"] = True
    return Fact(
        kind="appointment",
        volume=volume,
        node_id=node.id,
        line_start=record.line_start,
        line_end=record.line_end,
        page=node.page,
        data=data,
        extractor=EXTRACTOR,
        warnings=warnings,
    )


def _list_records(node: Node, lines: tuple[str, ...]) -> list[tuple[_Record, Clause]]:
    """The 任命：/免去： lists of a government notice."""
    found: list[tuple[_Record, Clause]] = []
    appointments = _clauses(node, lines, _APPOINT)
    removals = _clauses(node, lines, _REMOVE)
    posts: list[str] = []
    known = _place_prefixes(node, [])
    for clause in appointments:
        names, post = _split_appointment(clause.text, known)
        if not names or not post:
            found.append((_unreadable(clause, "appoint"), clause))
            continue
        posts.append(post)
        for person in _names(names):
            found.append(
                (_Record(person, "appoint", post, clause.line_start, clause.line_end, clause.terminated), clause)
            )
    prefixes = _place_prefixes(node, posts)
    for clause in removals:
        split = split_removal_item(clause.text, prefixes) or _split_removal(clause.text, prefixes)
        if split is None:
            found.append((_unreadable(clause, "remove"), clause))
            continue
        names, post = split  # type: ignore[assignment]
        for person in names:
            found.append(
                (_Record(person, "remove", post, clause.line_start, clause.line_end, clause.terminated), clause)
            )
    return found


def _unreadable(clause: Clause, action: str) -> _Record:
    """A clause whose names and post cannot be told apart: kept whole, with a warning."""
    return _Record("", action, clause.text, clause.line_start, clause.line_end, clause.terminated, clause.text)


def _joined(lines: tuple[str, ...], numbers: Sequence[int]) -> tuple[str, list[int]]:
    text = ""
    line_of: list[int] = []
    for number in numbers:
        squeezed = squeeze_spaces(lines[number - 1])
        text += squeezed
        line_of.extend([number] * len(squeezed))
    return text, line_of


def _body_lines(node: Node) -> list[int]:
    """The lines of a document's text below its title (paragraphs, sections, lists, attachments)."""
    numbers: set[int] = set()
    for child in node.children:
        numbers.update(range(child.line_start, child.line_end + 1))
    return sorted(numbers)


def _text_places(text: str) -> list[str]:
    """Places a text names before an organ (泉州市人民政府, 遂宁市人大常委会): where its posts may start."""
    places = set(
        re.findall(
            r"([\u4e00-\u9fff]{2,4}?[省市县区州盟旗])(?=人民政府|人大|政协|委员会|中级|人民法院|人民检察院|公安局)",
            text,
        )
    )
    return [place for place in places if len(place) >= 2] + [place[:-1] for place in places if len(place) >= 3]


def _inline_records(node: Node, lines: tuple[str, ...], numbers: Sequence[int]) -> list[_Record]:
    text, line_of = _joined(lines, [n for n in numbers if lines[n - 1].strip()])
    if not text:
        return []
    prefixes = sorted(
        {*_place_prefixes(node, []), *_text_places(text), "市", "县", "区", "省", "州", "镇", "乡"},
        key=len,
        reverse=True,
    )
    return _Inline(text, line_of, prefixes).read()


def _scopes(document: Document) -> list[tuple[Node, list[int], bool]]:
    """Where 任免 are read: each document (its whole lines for lists, its body for sentences), or a report's paragraphs."""
    documents = [
        node for node in document.nodes(NodeKind.DOCUMENT) if DocumentAttributes.of(node).repeat_of_line is None
    ]
    if documents:
        return [(node, _body_lines(node), True) for node in documents]
    paragraphs = [
        node
        for node in document.root.children
        if node.kind == NodeKind.PARAGRAPH and re.search(r"[。；，,;]", node.text)
    ]
    if not paragraphs:
        return []
    numbers = sorted({n for node in paragraphs for n in range(node.line_start, node.line_end + 1)})
    return [(document.root, numbers, False)]


def _node_at(document: Document, line: int, default: Node) -> Node:
    for node in document.root.children:
        if node.kind == NodeKind.PARAGRAPH and node.line_start <= line <= node.line_end:
            return node
    return default


def extract_appointments(document: Document) -> list[Fact]:
    facts: list[Fact] = []
    # Page numbers and running headers that a PDF puts mid-sentence are not part of any name or post.
    furniture = {n for item in document.furniture for n in range(item.line_start, item.line_end + 1)}
    lines = tuple("" if number in furniture else line for number, line in enumerate(document.source.lines, 1))
    for node, body, is_document in _scopes(document):
        seen: set[tuple[str, str, str, bool]] = set()
        found = _list_records(node, lines) if is_document else []
        inline = [(record, None) for record in _inline_records(node, lines, body)]
        for record, clause in sorted([*found, *inline], key=lambda pair: pair[0].line_start):
            key = (record.person, record.action, _PROBATION.sub("", record.post), record.acting)
            if record.person and key in seen:
                continue
            seen.add(key)
            target = node if is_document else _node_at(document, record.line_start, node)
            fact = _fact(target, document.volume.id, record, clause.text if clause else record.text)
            if not record.person:
                fact.warnings.append(
                    ParseWarning(
                        "appointment_names_unclear",
                        f"cannot tell the names from the post in {record.text!r}",
                        record.line_start,
                    )
                )
            facts.append(fact)
    return facts
