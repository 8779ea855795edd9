"""Jinja2 templates and the filters they use to print fangzhi's records in Chinese."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from fangzhi import __version__
from fangzhi.services.low_coverage import coverage_share, low_coverage_message
from fangzhi.text.dates import date_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

# How many characters beyond its title a first paragraph may have and still be only its heading
# (numbering such as ``1.1``, or a 文号 after a document title).
HEADING_SLACK = 16

KIND_LABELS = {
    "yearbook": "年鉴",
    "gazette": "公报",
    "volume": "卷",
    "chapter": "类目",
    "section": "分目",
    "entry": "条目",
    "article": "文章",
    "appendix": "附录",
    "chronicle": "大事记",
    "year": "年",
    "month": "月",
    "event": "大事",
    "caption": "图片说明",
    "table": "表格",
    "paragraph": "段落",
    "editorial_notes": "编辑说明",
    "front_matter": "前页",
    "index": "索引",
    "contents": "目录",
    "document": "文件",
    "document_section": "章节",
    "attachment": "附件",
    "list": "名单",
    "list_group": "分组",
    "list_item": "名单条目",
    "appointment": "任免",
    "reference": "引用文件",
    "repeal": "废止",
    "indicator": "数据",
}

ACTION_LABELS = {"appoint": "任命", "remove": "免去", "resign": "辞职"}

# Registers: how a person, organisation or place is named in a text, and division levels.
ROLE_LABELS = {
    "appointed": "任命",
    "removed": "免去",
    "resigned": "辞去",
    "event": "大事记",
    "official": "职务",
    "contributor": "撰稿",
    "award": "荣誉",
    "photographer": "摄影",
    "listed": "名单",
    "named": "提及",
    "appointment": "任免",
    "title": "条目",
    "author": "撰稿",
    "credit": "供图",
    "issuer": "发文",
    "pairing": "简称",
}
LEVEL_LABELS = {
    "province": "省级",
    "prefecture": "地级",
    "county": "县级",
    "zone": "功能区",
    "township": "乡级",
    "village": "村级",
}


@cache
def static_url(name: str) -> str:
    """The URL of a static file, named by its content so that browsers may cache it."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


FIGURE = re.compile(r"^[-+−]?\d[\d,，]*(\.\d+)?\s*[%％‰]?$")


def low_coverage_share(coverage: Any) -> float | None:
    """The coverage share of a volume whose text was barely understood, to flag it; None otherwise."""
    return coverage_share(coverage) if low_coverage_message(coverage) else None


def is_figure(value: Any) -> bool:
    """A table cell that is a number (``1,234``, ``-3.5``, ``18.4%``), set right-aligned so digits line up."""
    return isinstance(value, (int, float)) or (isinstance(value, str) and bool(FIGURE.match(value.strip())))


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


def page_label(page: int | None, page_end: int | None = None) -> str:
    """``第 238 页`` or ``第 238–239 页``; empty when the printed page is unknown."""
    if page is None:
        return ""
    if page_end is not None and page_end > page:
        return f"第 {page}–{page_end} 页"
    return f"第 {page} 页"


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def heading_and_body(node: Any) -> tuple[str | None, list[str]]:
    """Split off a first paragraph that only repeats the node's title (a numbered heading, a title with its 文号).

    The heading is kept as printed (``1.总则``) so the reader sees the book's
    numbering; nodes whose text does not start with their title keep the title.
    """
    title = " ".join(str(getattr(node, "title", None) or "").split())
    body = paragraphs(getattr(node, "text", ""))
    if title and body and title in body[0] and len(body[0]) <= len(title) + HEADING_SLACK:
        return body[0], body[1:]
    return title or None, body


def node_heading(node: Any) -> str:
    """A title to show for any node: its own, an event's date, or the start of its text."""
    title = getattr(node, "title", None)
    if title:
        return " ".join(str(title).split())
    attributes = getattr(node, "attributes", None) or {}
    if getattr(node, "kind", None) == "event" and attributes.get("date"):
        heading = date_label(attributes["date"])
        if attributes.get("date_end") and attributes["date_end"] != attributes["date"]:
            heading += "—" + date_label(attributes["date_end"])
        return heading
    text = " ".join((getattr(node, "text", "") or "").split())
    return text[:30] + ("…" if len(text) > 30 else "") if text else kind_label(getattr(node, "kind", None))


@dataclasses.dataclass
class Group:
    grouper: Any
    list: list[Any]


def group_in_order(rows: list[Any], key: str) -> list[Group]:
    """Group rows by ``key`` in the order the groups first appear (Jinja's ``groupby`` sorts them)."""
    groups: dict[Any, Group] = {}
    for row in rows:
        value = row.get(key) if isinstance(row, dict) else getattr(row, key)
        groups.setdefault(value, Group(value, [])).list.append(row)
    return list(groups.values())


def marked(text: str | None, spans: list[Any] | None) -> Markup:
    """Escape ``text`` and wrap each ``[start, end)`` span in ``<mark>``."""
    text = text or ""
    pieces: list[str] = []
    position = 0
    for start, end in sorted((int(span[0]), int(span[1])) for span in spans or []):
        if start < position or end <= start:
            continue
        pieces.append(str(escape(text[position:start])))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


FACET_LABELS = {"volume": "卷册", "kind": "类别", "chapter": "类目", "year": "年份"}


def facet_label(name: str) -> str:
    return FACET_LABELS.get(name, name)


def facet_value(name: str, value: Any, volumes: dict[str, str] | None = None) -> str:
    """A facet value as a reader knows it: a kind's Chinese name, a volume's title."""
    if name == "kind":
        return kind_label(str(value))
    if name == "volume" and volumes:
        return volumes.get(str(value), str(value))
    return str(value)


def search_url(query: str, filters: dict[str, Any], **changes: Any) -> str:
    """The search page URL for ``query`` with ``filters`` changed; a change to ``None`` drops a filter."""
    parameters: dict[str, Any] = {"q": query, **filters}
    if "offset" not in changes:
        parameters.pop("offset", None)
    parameters.update(changes)
    return "/search?" + urlencode({key: value for key, value in parameters.items() if value not in (None, "", 0)})


def timeline_url(month: str | None, person: str | None) -> str:
    parameters = {key: value for key, value in (("month", month), ("person", person)) if value}
    return "/timeline" + ("?" + urlencode(parameters) if parameters else "")


def month_label(month: str | None) -> str:
    """``2023-11`` as ``2023年11月``."""
    if not month:
        return "日期不详"
    year, _, number = month.partition("-")
    return f"{year}年{int(number)}月" if number.isdigit() else month


def event_fields(event: Any) -> dict[str, Any]:
    """An event, as a fact or a record, flattened to one dict with a ``month`` key for grouping."""
    if dataclasses.is_dataclass(event) and not isinstance(event, type):
        row = {field.name: getattr(event, field.name) for field in dataclasses.fields(event)}
    elif hasattr(event, "to_dict"):
        row = dict(event.to_dict())
    else:
        row = dict(event)
    data = row.pop("data", None)
    if isinstance(data, dict):
        row = {**row, **{key: value for key, value in data.items() if value is not None or key not in row}}
    day = str(row.get("date") or "")
    row["month"] = day[:7] if re.match(r"^\d{4}-\d{2}", day) else ""
    return row


def event_date(event: dict[str, Any]) -> str:
    """An event's date at the precision it was printed with: a day, a range, a month or a year."""
    day = event.get("date")
    if not day:
        return event.get("date_as_printed") or "日期不详"
    precision = event.get("precision", "day")
    if precision == "year":
        return date_label(day[:4])
    if precision == "month":
        return date_label(day[:7])
    label = date_label(day)
    end = event.get("date_end")
    if end and end != day:
        if end[:7] == day[:7]:
            label += f"—{int(end[8:10])}日"
        else:
            label += "—" + (date_label(end)[5:] if end[:4] == day[:4] else date_label(end))
    return label


FIELD_LABELS = {
    "name": "姓名",
    "action": "任免",
    "post": "职务",
    "probation": "试用期",
    "doc_no": "文号",
    "date": "日期",
    "group": "分组",
    "list_title": "名单",
    "title": "标题",
    "text": "内容",
    "page": "页码",
    "issuer": "发文机关",
    "document": "文件",
    "line_start": "起始行",
    "line_end": "结束行",
    "line": "原文行",
    "person": "姓名",
    "organization": "单位",
    "probation_one_year": "试用期一年",
    "acting": "代理",
    "concurrent": "兼任",
    "precision": "精度",
}
HIDDEN_COLUMNS = {"id", "volume", "node_id", "line_start", "line_end", "group_as_printed"}


def columns(rows: list[dict[str, Any]]) -> list[str]:
    """The columns of export rows worth showing a reader, in their export order."""
    seen: dict[str, None] = {}
    for row in rows[:50]:
        for key in row:
            if key not in HIDDEN_COLUMNS:
                seen[key] = None
    return list(seen)


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or value == "":
        return ""
    if key == "action":
        return ACTION_LABELS.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters["kind_label"] = kind_label
templates.env.filters["paragraphs"] = paragraphs
templates.env.filters["heading_and_body"] = heading_and_body
templates.env.filters["heading"] = node_heading
templates.env.filters["date_label"] = date_label
templates.env.globals["page_label"] = page_label
templates.env.globals["action_label"] = lambda action: ACTION_LABELS.get(action, action)
templates.env.globals["version"] = __version__
templates.env.globals["static_url"] = static_url
templates.env.globals["low_coverage_share"] = low_coverage_share
templates.env.tests["figure"] = is_figure
templates.env.filters["marked"] = marked
templates.env.filters["group_in_order"] = group_in_order
templates.env.filters["event_fields"] = event_fields
templates.env.filters["role_label"] = lambda role: ROLE_LABELS.get(role, role)
templates.env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
templates.env.globals["level_label"] = lambda level: LEVEL_LABELS.get(level, level)
templates.env.globals.update(
    facet_label=facet_label,
    facet_value=facet_value,
    search_url=search_url,
    timeline_url=timeline_url,
    month_label=month_label,
    event_date=event_date,
    columns=columns,
    field_label=field_label,
    cell=cell,
)
