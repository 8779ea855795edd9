"""Where something is, in the words an editor uses: 彩页, 统计公报第362页, 公报第803行."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from fangzhi.model import NodeKind
from fangzhi.store.base import Store, StoredNode

_PART_KINDS = (NodeKind.APPENDIX, NodeKind.ARTICLE, NodeKind.DOCUMENT)
_OVERVIEW_TITLES = {"概况", "综述", "基本情况", "总体情况", "发展概况", "经济概况"}


class Placed(Protocol):
    volume: str
    node: str
    page: int | None
    line: int


class Places:
    """Short descriptions of node positions, read from the store once per node."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._nodes: dict[str, StoredNode] = {}
        self._volumes = {volume.id: volume for volume in store.volumes()}

    def load(self, node_ids: Iterable[str]) -> None:
        wanted = [node_id for node_id in set(node_ids) if node_id and node_id not in self._nodes]
        if wanted:
            self._nodes.update(self.store.nodes_by_id(wanted))

    def part(self, node_id: str) -> str:
        """The chapter, appendix document or gazette document a node belongs to."""
        node = self._nodes.get(node_id)
        if node is None:
            self.load([node_id])
            node = self._nodes.get(node_id)
        if node is None:
            return ""
        if node.kind == NodeKind.FRONT_MATTER or any(step["kind"] == NodeKind.FRONT_MATTER for step in node.path):
            return "卷首彩页"
        for step in reversed(node.path):
            if step["kind"] in _PART_KINDS and step.get("title"):
                return _short(step["title"])
        if node.kind in _PART_KINDS and node.title:
            return _short(node.title)
        chapter = node.ancestor_title(NodeKind.CHAPTER) or (node.title if node.kind == NodeKind.CHAPTER else None)
        if chapter:
            return f"“{chapter}”"
        return ""

    def is_summary(self, node_id: str) -> bool:
        """Whether a node speaks for the whole place: a communiqué, report, article, the colour pages, an overview."""
        node = self._nodes.get(node_id)
        if node is None:
            return False
        if node.kind in (NodeKind.APPENDIX, NodeKind.ARTICLE) or self.part(node_id) == "卷首彩页":
            return True
        titles = [node.title or ""] + [step.get("title") or "" for step in node.path[-2:]]
        return any(title.replace(" ", "") in _OVERVIEW_TITLES for title in titles)

    def is_volume_summary(self, node_id: str) -> bool:
        """Whether a node speaks for the whole volume: the colour pages, a communiqué or report, a leading article."""
        node = self._nodes.get(node_id)
        if node is None:
            return False
        if node.kind in (NodeKind.APPENDIX, NodeKind.ARTICLE) or self.part(node_id) == "卷首彩页":
            return True
        return node.kind == NodeKind.TABLE and any(step["kind"] == NodeKind.APPENDIX for step in node.path)

    def volume_name(self, volume_id: str) -> str:
        volume = self._volumes.get(volume_id)
        if volume is None:
            return volume_id
        if volume.kind == "gazette":
            return "公报"
        if volume.kind == "yearbook":
            return "年鉴"
        return volume.title[:12]

    def describe(self, figure: Placed) -> str:
        where = f"第{figure.page}页" if figure.page else f"第{figure.line}行"
        part = self.part(figure.node)
        prefix = self.volume_name(figure.volume) if len(self._volumes) > 1 else ""
        if part == "卷首彩页":
            return f"{prefix}卷首彩页（第{figure.line}行）"
        return f"{prefix}{part}{where}" if part else f"{prefix}{where}"

    def describe_all(self, figures: list[Placed]) -> str:
        described: list[str] = []
        for figure in figures:
            text = self.describe(figure)
            if text not in described:
                described.append(text)
        if len(described) > 3:
            return "、".join(described[:3]) + f"等{len(described)}处"
        return "、".join(described)


def _short(title: str) -> str:
    title = title.replace(" ", "")
    if "统计公报" in title:
        return "统计公报"
    if "政府工作报告" in title:
        return "政府工作报告"
    return f"《{title[:18]}…》" if len(title) > 18 else f"《{title}》"
