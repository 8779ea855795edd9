"""Telling a yearbook, a gazette issue, a chronicle and any other document apart, by evidence.

Each kind has a few kinds of evidence in its text (a yearbook calls itself
年鉴, has an 编辑说明 about its 类目 and 条目 and titles its entries; a gazette
has a 公报 masthead, an issue number and a 目录; a chronicle is mostly
date-led paragraphs; a document has a 关于…的通知 title and a 文号).  The
weights are data (``data/kind_evidence.json``): every kind gets a score and
the best one wins, so no single count decides.

Every kind is a Chinese text: one whose letters are mostly not Chinese
characters (an English README, a JSON file) is none of them, whatever words
it quotes, and is reported as not understood (:attr:`KindEvidence.understood`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from fangzhi.parse.layouts import entry_markers, known_chapter_name, profiles, trailing_lines
from fangzhi.parse.web_furniture import RUNNING_HEADER, read_furniture
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

YEARBOOK = "yearbook"
GAZETTE = "gazette"
DOCUMENT = "document"
CHRONICLE = "chronicle"
KINDS = (YEARBOOK, GAZETTE, CHRONICLE, DOCUMENT)

_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,6}[〔（(\[]\s*\d{4}\s*[〕）)\]]\s*\d+\s*号")
_ISSUE_NUMBER = re.compile(
    r"第\s*\d{1,3}\s*[号期]\s*[（(]\s*总第\s*\d{1,5}\s*[号期]\s*[）)]|\d{4}\s*年\s*第\s*\d{1,3}\s*[号期]"
)
_DOCUMENT_TITLE = re.compile(r"关于.{2,60}的(通知|决定|意见|通报|批复|公告|通告|报告|办法|规定|决议|函)$")
_YEARBOOK_NOTES_WORDS = re.compile(r"年鉴|类目|分目|条目")
_PROSE = re.compile(r"[\u4e00-\u9fff]{4}")
_CHRONICLE_SAMPLE = 1000
_CHRONICLE_WORDS = re.compile("大事记|大事要览|要事记|纪事")
_SENTENCE_END = ("。", "！", "？")
_MONTH_HEADING = re.compile(r"^[（(]?(?:\d{4}年)?(?:\d{1,2}|十[一二]|[一二三四五六七八九十])\s*月份?[）)]?$")


_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class KindEvidence:
    """What was measured, each kind's score, and the kind chosen."""

    evidence: dict[str, float]
    scores: dict[str, float]

    @property
    def understood(self) -> bool:
        """Whether the text is Chinese enough to be read as any kind at all."""
        return self.evidence["chinese_letter_share"] >= _weights()["min_chinese_letter_share"]

    @property
    def kind(self) -> str:
        if not self.understood:
            return DOCUMENT
        return max(KINDS, key=lambda kind: (self.scores[kind], kind == DOCUMENT))


def chinese_letter_share(source: SourceText) -> float:
    """Chinese characters among the letters of the text (Chinese characters and Latin letters)."""
    chinese = latin = 0
    for line in source.lines:
        chinese += len(_HAN.findall(line))
        latin += len(_LATIN.findall(line))
    return round(chinese / (chinese + latin), 4) if chinese + latin else 0.0


@lru_cache(maxsize=1)
def _weights() -> dict:  # type: ignore[type-arg]
    return json.loads(resources.files("fangzhi.data").joinpath("kind_evidence.json").read_text(encoding="utf-8"))


def measure_kind(source: SourceText) -> KindEvidence:
    data = _weights()
    lines = [line for line in source.lines if line.strip()]
    squeezed = [squeeze_spaces(line) for line in lines]
    head = squeezed[: data["head_lines"]]
    # A publication's running header between pages (…公报) says where the text was printed, not what it is.
    running = {line.text for line in read_furniture(source).lines.values() if line.role == RUNNING_HEADER}
    masthead_area = head[:3] + [text for text in head[3:] if text not in running]
    head_text = "".join(head)
    evidence: dict[str, float] = {
        "baseline": 1,
        "chinese_letter_share": chinese_letter_share(source),
        "calls_itself_yearbook": float("年鉴" in head_text or "YEARBOOK" in head_text.upper()),
        "yearbook_editorial_notes": float(_yearbook_notes(squeezed)),
        "bookmark_list": float(_bookmark_lines(source) >= 2),
        "entry_titles": float(_entry_titles(lines)),
        "chapter_title_lines": float(sum(1 for text in squeezed if len(text) <= 12 and _chapter_title(text))),
        "calls_itself_gazette": float(
            any(
                text.endswith("公报")
                and len(text) <= 30
                and not any(word in text for word in data["not_gazette_titles"])
                for text in masthead_area
            )
        ),
        "issue_number": float(any(_ISSUE_NUMBER.search(text) for text in head)),
        "contents": float(any(text in ("目录", "目次") for text in head)),
        "document_numbers": float(sum(1 for text in squeezed if _DOCUMENT_NUMBER.search(text))),
        "chronicle_title": float(any(_CHRONICLE_WORDS.search(text) and len(text) <= 30 for text in _title_area(head))),
        "month_headings": float(sum(1 for text in squeezed if _MONTH_HEADING.match(text))),
        "dated_paragraph_share": _chronicle_share(source),
        "document_title": float(any(_DOCUMENT_TITLE.search(text) for text in head[:30])),
    }
    evidence["has_entry_titles"] = float(evidence["entry_titles"] > 0)
    evidence["has_document_number"] = float(evidence["document_numbers"] > 0)
    scores = {}
    for kind in KINDS:
        score = 0.0
        for name, rule in data["kinds"][kind].items():
            value = evidence[name]
            if "cap" in rule:
                value = min(value, rule["cap"])
            score += rule["weight"] * value
        scores[kind] = round(score, 3)
    return KindEvidence(evidence, scores)


def _title_area(head: list[str]) -> list[str]:
    """The lines a title can be among: the first few, before any sentence ends (a 大事记 heading after prose is a section)."""
    found: list[str] = []
    for text in head[: _weights()["title_lines"]]:
        found.append(text)
        if text.endswith(_SENTENCE_END):
            break
    return found[:-1] if found and found[-1].endswith(_SENTENCE_END) else found


def detect_kind(source: SourceText) -> str:
    return measure_kind(source).kind


def _yearbook_notes(squeezed: list[str]) -> bool:
    headings = set(profiles()[0].notes_headings)
    for index, text in enumerate(squeezed[:5000]):
        if text in headings:
            nearby = "".join(squeezed[max(index - 40, 0) : index + 40])
            if _YEARBOOK_NOTES_WORDS.search(nearby):
                return True
    return False


def _bookmark_lines(source: SourceText) -> int:
    rules = [rule for profile in profiles() for rule in profile.bookmarks]
    return sum(1 for line in trailing_lines(source) if any(rule.matches(line) for rule in rules))


def _entry_titles(lines: list[str]) -> int:
    """Lines opening an entry in a marked style, with prose after the title (not a database field like 【法宝引证码】)."""
    count = 0
    markers = [marker for marker in entry_markers().values() if marker.pattern is not None]
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped[0].isalnum():
            continue
        for marker in markers:
            match = marker.match(stripped)
            if match is None:
                continue
            rest = match["rest"] or (lines[index + 1] if index + 1 < len(lines) else "")
            if _PROSE.search(rest):
                count += 1
            break
    return count


def _chapter_title(text: str) -> bool:
    name = known_chapter_name(text)
    return name is not None and name.match == "name" and len(text) <= 12


def _chronicle_share(source: SourceText) -> float:
    """The share of paragraphs that open with a date (:func:`fangzhi.parse.chronicle.chronicle_evidence`).

    Measured on the first lines only: a chronicle is one from its start, and
    a whole book need not be read to tell.
    """
    from fangzhi.parse.chronicle import chronicle_evidence

    numbers = [n for n in range(1, len(source) + 1) if source.line(n).strip()][:_CHRONICLE_SAMPLE]
    return chronicle_evidence(source, numbers)
