"""What a volume's editorial notes (编辑说明) declare against what was parsed.

A yearbook says how many 类目, 分目 and 条目 it has and how many tables and
pictures it prints (全书共设40个类目、244个分目、1525个条目，文中收录表格7个，
图片126幅).  A count that differs from the parsed structure is either an
error in the notes or a place where the parser read the book differently;
either way the editor should look.  Pictures are compared with captions,
which are not always one to one, so that finding is less certain.
"""

from __future__ import annotations

import re

from fangzhi.model import NodeKind
from fangzhi.services.checks import Finding, FindingKind, Location
from fangzhi.services.checks.places import Places
from fangzhi.store.base import Store

# Parsed counts below this share of the declared ones mean the text is not the whole book.
EXCERPT_SHARE = 0.5
# name, how the notes write it, the node kind counted, how sure a mismatch is a real problem
_DECLARED = (
    ("类目", re.compile(r"(\d+)\s*个类目|类目\s*(\d+)\s*个"), NodeKind.CHAPTER, 0.7),
    ("分目", re.compile(r"(\d+)\s*个分目|分目\s*(\d+)\s*个"), NodeKind.SECTION, 0.55),
    ("条目", re.compile(r"(\d+)\s*个条目|条目\s*(\d+)\s*[个条]"), NodeKind.ENTRY, 0.6),
    ("表格", re.compile(r"表格\s*(\d+)\s*[个张幅]|(\d+)\s*[个张]表格"), NodeKind.TABLE, 0.6),
    ("图片", re.compile(r"(?:图片|照片|图)\s*(\d+)\s*[幅张帧]|(\d+)\s*[幅张]\s*(?:图片|照片)"), NodeKind.CAPTION, 0.5),
)


def declared_counts(store: Store, places: Places) -> list[Finding]:
    findings = []
    for volume in store.volumes():
        notes = list(store.nodes(volume=volume.id, kind=NodeKind.EDITORIAL_NOTES))
        if not notes:
            continue
        counted = store.count_nodes(volume.id)
        for note in notes:
            for name, pattern, kind, confidence in _DECLARED:
                match = pattern.search(note.text)
                if not match:
                    continue
                declared = int(next(group for group in match.groups() if group))
                parsed = counted.get(kind, 0)
                if parsed == declared or parsed < declared * EXCERPT_SHARE:
                    # Far fewer than declared is an excerpt or a layout not understood, not an error in the notes.
                    continue
                line = _line_of(store, note.volume, note.line_start, note.line_end, match.group(0))
                findings.append(
                    Finding(
                        kind=FindingKind.DECLARED_COUNT,
                        severity="warning",
                        confidence=confidence,
                        message=(
                            f"{note.title or '编辑说明'}称全书有{name}{declared}{_measure(match.group(0))}，正文中识别出{parsed}{_measure(match.group(0))}"
                            f"（{_counted_as(kind)}），请核对编辑说明或正文。"
                        ),
                        locations=[Location(volume.id, note.id, note.page, line, match.group(0), str(declared))],
                        details={"item": name, "declared": declared, "parsed": parsed},
                    )
                )
    return findings


def _measure(words: str) -> str:
    found = re.search(r"[个张幅帧条]", words)
    return found.group(0) if found else "个"


def _counted_as(kind: str) -> str:
    return {
        NodeKind.CHAPTER: "按类目计",
        NodeKind.SECTION: "按分目标题计",
        NodeKind.ENTRY: "按【】条目和人物条目计",
        NodeKind.TABLE: "按重建的表格计",
        NodeKind.CAPTION: "按图片说明计",
    }.get(kind, kind)


def _line_of(store: Store, volume: str, start: int, end: int, words: str) -> int:
    """The line the declared count is printed on (the words may wrap over two lines)."""
    lines = [re.sub(r"\s", "", line) for line in store.source_lines(volume, start, end)]
    compact = re.sub(r"\s", "", words)
    number = re.search(r"\d+", compact)
    for wanted in (compact, number.group(0) if number else compact):
        for offset, line in enumerate(lines):
            following = lines[offset + 1] if offset + 1 < len(lines) else ""
            if wanted in line or (wanted in line + following and wanted[:2] in line[-len(wanted) :]):
                return start + offset
    return start
