"""Dates that disagree across sources, and an issue dated unlike its contents.

- A chronicle event that names a document, by its 文号 or by its title in
  《》, should carry the document's own date; a different day is a finding.
- The same event recorded in two volumes' chronicles (the timeline links
  them by text) on different days is a finding.
- A gazette issue dated long after everything it prints, or before it, is
  a finding: the date was probably mistyped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from fangzhi.model import NodeKind
from fangzhi.services.checks import Finding, FindingKind, Location
from fangzhi.services.checks.places import Places
from fangzhi.services.timeline import same_event_score
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.normalize import fold_for_search

SAME_EVENT_SCORE = 90.0
ISSUE_LAG_DAYS = 183
_QUOTED = re.compile(r"《([^》]{6,80})》")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _chinese(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _title_key(title: str) -> str:
    return re.sub(r"[\s《》“”\"]", "", fold_for_search(title))


def documents_and_events(store: Store, places: Places) -> list[Finding]:
    documents = [node for node in store.nodes(kind=NodeKind.DOCUMENT) if _date(node.attributes.get("date"))]
    by_number = {node.attributes.get("doc_no"): node for node in documents if node.attributes.get("doc_no")}
    by_title: dict[str, StoredNode] = {}
    for node in documents:
        for title in (node.title, node.attributes.get("attachment_title")):
            if title:
                by_title[_title_key(title)] = node
    references: dict[str, list[str]] = defaultdict(list)
    for fact in store.facts(kind="reference"):
        references[fact.node_id].append(fact.data.get("doc_no"))
    findings = []
    for fact in store.facts(kind="event"):
        day = _date(fact.data.get("date"))
        if day is None or fact.data.get("date_end"):
            continue
        linked: list[tuple[StoredNode, str]] = []
        for number in references.get(fact.node_id, []):
            if number in by_number:
                linked.append((by_number[number], "文号"))
        for title in _QUOTED.findall(fact.data.get("text") or ""):
            node = by_title.get(_title_key(title))
            if node is not None and all(node.id != found.id for found, _ in linked):
                linked.append((node, "标题"))
        for document, how in linked:
            if document.volume == fact.volume:
                continue
            own = _date(document.attributes.get("date"))
            if own is None or own == day:
                continue
            findings.append(_document_date_finding(fact, day, document, own, how, places))
    return findings


def _document_date_finding(fact, day: dt.date, document: StoredNode, own: dt.date, how: str, places: Places) -> Finding:  # type: ignore[no-untyped-def]
    number = document.attributes.get("doc_no") or ""
    title = document.attributes.get("attachment_title") or document.title or ""
    event = Location(
        fact.volume, fact.node_id, fact.page, fact.line_start, (fact.data.get("text") or "")[:160], _chinese(day)
    )
    source = Location(
        document.volume,
        document.id,
        document.page,
        document.line_start,
        f"{document.title}（{number}）{document.attributes.get('date_as_printed') or ''}",
        _chinese(own),
    )
    return Finding(
        kind=FindingKind.DATE_MISMATCH,
        severity="error",
        confidence=0.75 if how == "文号" else 0.65,
        message=(
            f"{places.volume_name(fact.volume)}大事记（第{fact.line_start}行）将《{title}》{('（' + number + '）') if number else ''}"
            f"记在{_chinese(day)}，而{places.volume_name(document.volume)}所载该文件的成文日期为{_chinese(own)}。"
        ),
        locations=[event, source],
        details={"event_date": day.isoformat(), "document_date": own.isoformat(), "linked_by": how},
    )


def same_events(store: Store, places: Places) -> list[Finding]:
    """One event in two volumes' chronicles on different days."""
    events = [
        fact for fact in store.facts(kind="event") if _date(fact.data.get("date")) and not fact.data.get("date_end")
    ]
    by_volume: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for fact in events:
        by_volume[fact.volume].append(fact)
    volumes = sorted(by_volume)
    findings = []
    for index, first_volume in enumerate(volumes):
        for second_volume in volumes[index + 1 :]:
            for first in by_volume[first_volume]:
                first_day = _date(first.data["date"])
                for second in by_volume[second_volume]:
                    second_day = _date(second.data["date"])
                    if first_day is None or second_day is None or first_day == second_day:
                        continue
                    if abs((first_day - second_day).days) > 31:
                        continue
                    score = same_event_score(first.data.get("text") or "", second.data.get("text") or "")
                    if score < SAME_EVENT_SCORE:
                        continue
                    findings.append(
                        Finding(
                            kind=FindingKind.DATE_MISMATCH,
                            severity="warning",
                            confidence=0.6,
                            message=(
                                f"同一事件在{places.volume_name(first.volume)}大事记记为{_chinese(first_day)}，"
                                f"在{places.volume_name(second.volume)}大事记记为{_chinese(second_day)}。"
                            ),
                            locations=[_event_location(first), _event_location(second)],
                            details={"dates": [first_day.isoformat(), second_day.isoformat()], "score": score},
                        )
                    )
    return findings


def _event_location(fact) -> Location:  # type: ignore[no-untyped-def]
    return Location(
        fact.volume,
        fact.node_id,
        fact.page,
        fact.line_start,
        (fact.data.get("text") or "")[:160],
        fact.data.get("date"),
    )


def issue_dates(store: Store, places: Places) -> list[Finding]:
    """A gazette issue whose printed date does not fit the dates of what it prints."""
    findings = []
    for volume in store.volumes():
        issued = _date(volume.attributes.get("date"))
        if volume.kind != "gazette" or issued is None:
            continue
        content: list[dt.date] = []
        for node in store.nodes(volume=volume.id, kind=NodeKind.DOCUMENT):
            day = _date(node.attributes.get("date"))
            if day:
                content.append(day)
        for fact in store.facts(kind="event", volume=volume.id):
            day = _date(fact.data.get("date"))
            if day:
                content.append(day)
        if not content:
            continue
        latest = max(content)
        lag = (issued - latest).days
        if 0 <= lag <= ISSUE_LAG_DAYS:
            continue
        number = volume.attributes.get("issue_number")
        running = volume.attributes.get("running_number")
        label = f"第{number}号" + (f"（总第{running}号）" if running else "") if number else "本期"
        if label.split("（")[0] in volume.title:
            label = f"（总第{running}号）" if running else ""
        if lag > 0:
            problem = f"晚于所收文件和大事记的最后日期{_chinese(latest)}达{lag}天"
        else:
            problem = f"早于所收内容的最后日期{_chinese(latest)}"
        findings.append(
            Finding(
                kind=FindingKind.ISSUE_DATE,
                severity="warning",
                confidence=0.7,
                message=(
                    f"{volume.title}{label}的出版日期印为{volume.attributes.get('date_as_printed') or issued.isoformat()}，"
                    f"{problem}，与内容不符，疑为日期印错。"
                ),
                locations=[_cover_location(store, volume.id, volume.attributes.get("date_as_printed"))],
                details={"issue_date": issued.isoformat(), "latest_content": latest.isoformat()},
            )
        )
    return findings


def _cover_location(store: Store, volume_id: str, printed: str | None) -> Location:
    lines = store.source_lines(volume_id, 1, 200)
    for number, line in enumerate(lines, start=1):
        if printed and printed in line.replace(" ", ""):
            return Location(volume_id, None, None, number, line.strip(), printed)
    return Location(volume_id, None, None, 1, lines[0].strip() if lines else "", printed)
