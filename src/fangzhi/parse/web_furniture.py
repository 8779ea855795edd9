"""Text furniture: what websites, legal databases and converters put around a text.

A page saved from a government portal starts with the site's name, a
breadcrumb (``首页 > 重要发布 > …``), the page title and a metadata block
(``来源：本网 发布时间：2022-03-29 17:52 浏览次数：``, or a database's
索引号 / 发文机构 / 发文字号 / 发文日期), and ends with ``扫一扫在手机打开当前页``.
Converters add ``Original URL:`` lines, table pipes, page anchors, image
placeholders (``图片1.png``) and Markdown (``#`` headings, ``**`` emphasis).

None of this is the text, but some of it says something about the text: a
发文字号 field is the document's 文号, a 发文日期 its date, the line above a
metadata block the page's title.  :func:`read_furniture` returns which lines
are furniture and what they say; :func:`reading_view` gives parsers the source
with furniture blanked and Markdown and HTML markup taken out, keeping every
line number, so provenance still points at the raw line.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from fangzhi.text.dates import find_dates
from fangzhi.text.normalize import squeeze_spaces
from fangzhi.text.source import SourceText

BREADCRUMB = "breadcrumb"
METADATA = "metadata"
URL = "url"
TABLE_RULE = "table_rule"
PAGE_ANCHOR = "page_anchor"
IMAGE = "image"
SHARE = "share"
SITE = "site"
PUNCTUATION = "punctuation"
RUNNING_HEADER = "running_header"

_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_MARKDOWN_ANCHOR = re.compile(r"\{#[^}]*\}")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|(?=\S))")
_MARKDOWN_QUOTE = re.compile(r"^\s*>\s+")
_MARKDOWN_BULLET = re.compile(r"^\s*[-*+]\s+")
_EMPHASIS = re.compile(r"(?<![*_])(?:\*\*|__)(?![*_])")
_BRACKETED_KEY = re.compile(r"^\s*【(?P<key>[^】]{2,8})】\s*(?P<value>\S.*)$")
_TABLE_RULE = re.compile(r"^[\s|:+\-—=]*$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# The rest of a URL that a PDF or a narrow column broke over several lines.
_URL_TAIL = re.compile(r"^[A-Za-z0-9/._~%?#=&+:;@!$'*,-]+$")
_IMAGE_NAME = re.compile(r"^[^\s。，]{0,40}\.(?:png|jpe?g|gif|bmp|webp|tiff?)$", re.IGNORECASE)
_IMAGE_MARK = re.compile(r"^(?:\[(?:图片|图像|image|img)\d*\]|图片\d{0,3}|image\d{0,3})$", re.IGNORECASE)
_PAGE_MARK = re.compile(
    r"^(?:[-—=\s]*(?:第\s*(?P<cn>\d{1,4})\s*页|p(?:age)?\.?\s*(?P<en>\d{1,4}))[-—=\s]*"
    r"|[-—–－=·•]{1,3}\s*(?P<bare>\d{1,4})\s*[-—–－=·•]{1,3})$",
    re.IGNORECASE,
)
_ANCHOR_ID = re.compile(r"""(?:id|name)\s*=\s*["']?[^"'\s>]*?(?P<page>\d{1,4})["']?""")
_PAPER_PAGE = re.compile(r"^第[A-Z]?\d{1,3}版[:：]")
# A date and time alone on a line: a page's publication stamp (2018-12-26 00:00, 03.02.2015  11:18).
_TIME_STAMP = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_LETTER_OR_DIGIT = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
_SENTENCE_TAIL = re.compile(r"^[%％‰。，,；;：:！!？?、）)”’」』》…]+$")
_BREADCRUMB_SEPARATOR = re.compile(r"\s*(?:>|＞|»|›|→|&gt;)\s*")
_SENTENCE = re.compile(r"[。；！？]")


@dataclass(frozen=True)
class FurnitureLine:
    """One line of furniture: what kind it is and what it says (field name → value)."""

    line: int
    role: str
    text: str
    fields: tuple[tuple[str, str], ...] = ()


@dataclass
class TextFurniture:
    """The furniture of one text: its lines and what they say, first value of each field kept."""

    lines: dict[int, FurnitureLine] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    breadcrumb: list[str] = field(default_factory=list)
    page_title: str | None = None
    page_title_line: int | None = None
    page_of_line: dict[int, int] = field(default_factory=dict)

    def is_furniture(self, number: int) -> bool:
        return number in self.lines

    @property
    def doc_no(self) -> str | None:
        return self.fields.get("doc_no") or None

    @property
    def date(self) -> str | None:
        """The document's date from a 成文日期/发文日期 field, as an ISO date."""
        found = find_dates(self.fields.get("date", ""))
        return found[0].iso if found else None

    @property
    def published(self) -> str | None:
        """When the page was published (发布时间), as an ISO date; not the document's own date."""
        found = find_dates(self.fields.get("published", ""))
        return found[0].iso if found else None

    @property
    def title(self) -> str | None:
        """The title the furniture gives: a 标题 field, else the page title, else the breadcrumb's last step."""
        return self.fields.get("title") or self.page_title or (self.breadcrumb[-1] if self.breadcrumb else None)

    def summary(self) -> dict[str, object]:
        """What the furniture says, for a volume's attributes."""
        said: dict[str, object] = {key: value for key, value in self.fields.items() if value}
        if self.breadcrumb:
            said["breadcrumb"] = list(self.breadcrumb)
        if self.page_title:
            said["page_title"] = self.page_title
        return said


@lru_cache(maxsize=1)
def _words() -> dict[str, object]:
    text = resources.files("fangzhi.data").joinpath("web_furniture.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _metadata_pattern() -> re.Pattern[str]:
    keys = sorted(_words()["metadata_keys"], key=len, reverse=True)  # type: ignore[arg-type]
    alternatives = "|".join(re.escape(key) for key in keys)
    return re.compile(rf"(?:^|(?<=\s)|(?<=】)|(?<=\]))(?P<key>{alternatives})\s*[:：]")


def clean_line(raw: str) -> str:
    """A line without its Markdown and HTML markup: headings, emphasis, links, images, anchors, table pipes.

    Ordinary text comes back unchanged, so a yearbook or gazette line reads
    the same through here.
    """
    if not any(mark in raw for mark in "#*_<>[]{}|&"):
        return raw
    text = html.unescape(_HTML_TAG.sub("", raw)) if ("<" in raw or "&" in raw) else raw
    text = _MARKDOWN_IMAGE.sub("", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_ANCHOR.sub("", text)
    text = _MARKDOWN_HEADING.sub("", text)
    text = _MARKDOWN_QUOTE.sub("", text)
    text = _MARKDOWN_BULLET.sub("", text)
    text = _EMPHASIS.sub("", text)
    stripped = text.strip()
    if stripped.startswith(("|", "｜")) and len(re.findall(r"[|｜]", stripped)) >= 2:
        cells = [cell.strip() for cell in re.split(r"[|｜]", stripped)]
        text = "  ".join(cell for cell in cells if cell)
    return text.replace("\u00a0", " ").rstrip()


def _metadata_fields(text: str) -> tuple[tuple[str, str], ...] | None:
    """The ``key: value`` fields a line consists of, or None when it is not a metadata line."""
    keys: dict[str, str] = _words()["metadata_keys"]  # type: ignore[assignment]
    bracketed = _BRACKETED_KEY.match(text)
    if bracketed and bracketed.group("key") in keys:
        return ((keys[bracketed.group("key")], bracketed.group("value").strip()),)
    matches = list(_metadata_pattern().finditer(text))
    if not matches or text[: matches[0].start()].strip(" 【】[]|"):
        return None
    fields: list[tuple[str, str]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip()
        value = re.sub(
            r"(?:【\s*[大中小\s]*】|\[\s*[大中小\s]*\]|【\s*打印\s*】|【\s*关闭\s*】|\s打印|\s关闭)+\s*$", "", value
        )
        fields.append((keys[match.group("key")], value.strip(" 【】[]")))
    return tuple(fields)


def _is_weak(text: str, fields: tuple[tuple[str, str], ...]) -> bool:
    weak = set(_words()["weak_keys"])  # type: ignore[arg-type]
    keys = _metadata_pattern().findall(text)
    return len(fields) == 1 and keys and keys[0] in weak


def line_furniture(raw: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """(role, fields) when a line is furniture whatever its place in the text, else None.

    Weak metadata (a lone ``时间：…`` or ``来源：…``) is furniture only at the
    head or tail of a text; :func:`read_furniture` decides that.
    """
    stripped = _MARKDOWN_HEADING.sub("", raw).strip()
    if not stripped:
        return None
    squeezed = squeeze_spaces(stripped)
    if _TABLE_RULE.match(stripped):
        return TABLE_RULE, ()
    if _URL_ONLY.match(stripped):
        return URL, (("url", stripped),)
    page = _PAGE_MARK.match(squeezed)
    if page:
        return PAGE_ANCHOR, (("page", page.group("cn") or page.group("en") or page.group("bare")),)
    without_tags = _HTML_TAG.sub("", stripped)
    if without_tags != stripped and not without_tags.strip():
        anchor = _ANCHOR_ID.search(stripped)
        return (PAGE_ANCHOR, (("page", anchor.group("page")),)) if anchor else (PAGE_ANCHOR, ())
    if _MARKDOWN_ANCHOR.fullmatch(stripped) or re.fullmatch(r"\[\]\([^)]*\)", stripped):
        return PAGE_ANCHOR, ()
    if _MARKDOWN_IMAGE.fullmatch(stripped) or _IMAGE_NAME.match(squeezed) or _IMAGE_MARK.match(squeezed):
        return IMAGE, (("image", stripped),)
    if not _LETTER_OR_DIGIT.search(stripped):
        # ``%。`` or a lone ``。``: the end of the sentence above, wrapped onto a line of its own, is text.
        return None if _SENTENCE_TAIL.match(stripped) else (PUNCTUATION, ())
    words = _words()
    if squeezed in words["phrases"] or stripped in words["phrases"]:  # type: ignore[operator]
        return SHARE, ()
    if any(squeezed.startswith(start) for start in words["phrase_starts"]):  # type: ignore[union-attr]
        return SHARE, ()
    if _only_phrases(stripped):
        return SHARE, ()
    if _TIME_STAMP.match(stripped):
        return METADATA, (("published", stripped),)
    if _PAPER_PAGE.match(squeezed):
        return SITE, (("paper_page", squeezed),)
    crumbs = _breadcrumb(stripped)
    if crumbs:
        return BREADCRUMB, tuple(("breadcrumb", crumb) for crumb in crumbs)
    fields = _metadata_fields(stripped)
    if fields:
        return (URL if all(key == "url" for key, _ in fields) else METADATA), fields
    return None


@lru_cache(maxsize=1)
def _phrase_pattern() -> re.Pattern[str]:
    words = _words()
    phrases = sorted({*words["phrases"], *words["page_navigation"]}, key=len, reverse=True)  # type: ignore[misc]
    return re.compile("|".join(re.escape(phrase) for phrase in phrases))


def _only_phrases(text: str) -> bool:
    """A line of page furniture words only, with brackets, separators and page numbers between them.

    ``【打印本页】【关闭窗口】`` and ``上一页 1 2 3 下一页`` are a page's buttons, not text.
    """
    found = _phrase_pattern().findall(text)
    rest = _phrase_pattern().sub("", text)
    return bool(found) and not re.sub(r"[\s【】\[\]|｜/·•\d]", "", rest)


def _breadcrumb(text: str) -> list[str] | None:
    leads: list[str] = _words()["breadcrumb_leads"]  # type: ignore[assignment]
    body = text
    for lead in leads:
        match = re.match(rf"^\s*{re.escape(lead)}\s*[:：]?\s*", body)
        if match:
            body = body[match.end() :]
            break
    parts = [part.strip() for part in _BREADCRUMB_SEPARATOR.split(body)]
    if text.lstrip().startswith((">", "＞")) and parts and not parts[0]:
        parts = parts[1:]
    if len(parts) < 2 or not all(parts) or any(len(part) > 20 or _SENTENCE.search(part) for part in parts):
        return None
    if body == text and not text.lstrip().startswith((">", "＞")) and len(parts) < 3 and parts[0] != "首页":
        return None
    return parts


def _is_long_prose(text: str) -> bool:
    squeezed = squeeze_spaces(text)
    return len(squeezed) >= 20 and bool(re.search(r"[。，,；;]", squeezed))


def _heading_like(text: str) -> bool:
    squeezed = squeeze_spaces(clean_line(text))
    return 0 < len(squeezed) <= 80 and not _SENTENCE.search(squeezed) and not squeezed.endswith(("，", ","))


def read_furniture(source: SourceText, numbers: list[int] | range | None = None) -> TextFurniture:
    """Which of the given lines (all by default) are furniture, and what the furniture says."""
    numbers = list(numbers) if numbers is not None else list(range(1, len(source) + 1))
    furniture = TextFurniture()
    content = [n for n in numbers if source.line(n).strip()]
    first_prose = next((n for n in content if _is_long_prose(source.line(n))), None)
    last_prose = next((n for n in reversed(content) if _is_long_prose(source.line(n))), None)
    for number in content:
        raw = source.line(number)
        found = line_furniture(raw)
        if found is None:
            continue
        role, fields = found
        in_head_or_tail = (first_prose is None or number < first_prose) or (
            last_prose is not None and number > last_prose
        )
        if role == METADATA and _is_weak(raw, fields) and not in_head_or_tail:
            continue
        if role == SHARE and len(squeeze_spaces(raw)) > 12 and not in_head_or_tail:
            continue
        furniture.lines[number] = FurnitureLine(number, role, squeeze_spaces(raw), fields)
    _read_url_tails(source, content, furniture)
    _read_metadata_tails(source, content, furniture)
    _read_running_headers(source, content, furniture)
    _read_head(source, content, furniture)
    for line in sorted(furniture.lines.values(), key=lambda item: item.line):
        for key, value in line.fields:
            if key == "breadcrumb":
                furniture.breadcrumb.append(value)
            elif value and key not in furniture.fields:
                furniture.fields[key] = value
    page: int | None = None
    for number in numbers:
        line = furniture.lines.get(number)
        if line is not None and line.role == PAGE_ANCHOR:
            value = dict(line.fields).get("page")
            page = int(value) if value else page
        elif page is not None:
            furniture.page_of_line[number] = page
    return furniture


def _read_url_tails(source: SourceText, content: list[int], furniture: TextFurniture) -> None:
    """Lines right under a URL that go on with URL characters only are the rest of that URL, not text."""
    head: int | None = None
    for number in content:
        line = furniture.lines.get(number)
        if line is not None:
            head = number if "url" in dict(line.fields) else None
            continue
        if head is None or (number - 1) not in furniture.lines or not _URL_TAIL.match(source.line(number).strip()):
            head = None
            continue
        fields = dict(furniture.lines[head].fields)
        fields["url"] += source.line(number).strip()
        furniture.lines[head] = replace(furniture.lines[head], fields=tuple(fields.items()))
        furniture.lines[number] = FurnitureLine(number, URL, squeeze_spaces(source.line(number)))


def _read_metadata_tails(source: SourceText, content: list[int], furniture: TextFurniture) -> None:
    """A metadata line broken in two: the next line ends the last value and goes on with more fields.

    ``来源:中国共产`` / ``党威海市环翠区委员会党史研究中心 浏览次数:``: the second
    line starts with the rest of the source and then names another field.
    """
    for number in content:
        above = furniture.lines.get(number - 1)
        if above is None or above.role != METADATA or not above.fields or number in furniture.lines:
            continue
        text = source.line(number).strip()
        matches = list(_metadata_pattern().finditer(text))
        if not matches or _SENTENCE.search(text[: matches[0].start()]) or matches[0].start() > 40:
            continue
        rest = _metadata_fields(text[matches[0].start() :])
        if rest is None:
            continue
        key, value = above.fields[-1]
        joined = (*above.fields[:-1], (key, value + text[: matches[0].start()].strip()))
        furniture.lines[number - 1] = replace(above, fields=joined)
        furniture.lines[number] = FurnitureLine(number, METADATA, squeeze_spaces(text), rest)


def _read_running_headers(source: SourceText, content: list[int], furniture: TextFurniture) -> None:
    """A short line printed again and again beside the page numbers is the page's running header.

    So is a publication's name beside a page number, even once.

    A PDF's text puts each page's number and header between the last line of
    one page and the first of the next, often mid-sentence; read as text, the
    header would end up inside a sentence, a name or a post.
    """
    position = {number: index for index, number in enumerate(content)}
    beside: dict[str, list[int]] = {}
    for number, line in furniture.lines.items():
        if line.role != PAGE_ANCHOR or number not in position:
            continue
        index = position[number]
        for neighbour in content[max(index - 1, 0) : index + 2]:
            text = squeeze_spaces(source.line(neighbour))
            if neighbour not in furniture.lines and len(text) <= 40 and not _SENTENCE.search(text):
                beside.setdefault(text, []).append(neighbour)
    # A publication's name (…公报, …年鉴) beside a page number is its header even where the excerpt shows one page break.
    names = tuple(_words()["running_header_ends"])  # type: ignore[arg-type]
    for text, numbers in beside.items():
        if len(set(numbers)) < 2 and not (len(text) <= 20 and text.endswith(names)):
            continue
        for number in content:
            if number not in furniture.lines and squeeze_spaces(source.line(number)) == text:
                furniture.lines[number] = FurnitureLine(number, RUNNING_HEADER, text)


def _read_head(source: SourceText, content: list[int], furniture: TextFurniture) -> None:
    """The page title (the heading just above the first metadata block) and the site lines above it."""
    metadata = next((n for n in content if n in furniture.lines and furniture.lines[n].role == METADATA), None)
    if metadata is None:
        return
    before = [n for n in content if n < metadata and n not in furniture.lines]
    if not before:
        return
    title_lines = [before[-1]]
    if not _heading_like(source.line(title_lines[0])):
        return
    # A title wrapped over lines: each line above, right above, at least as long as the one under it.
    while len(title_lines) < 4 and len(before) > len(title_lines):
        upper = before[-len(title_lines) - 1]
        upper_text = squeeze_spaces(clean_line(source.line(upper)))
        below_text = squeeze_spaces(clean_line(source.line(title_lines[0])))
        if upper != title_lines[0] - 1 or not _heading_like(upper_text) or len(upper_text) < len(below_text):
            break
        title_lines.insert(0, upper)
    furniture.page_title = "".join(squeeze_spaces(clean_line(source.line(n))) for n in title_lines)
    furniture.page_title_line = title_lines[0]
    for number in before[: -len(title_lines)]:
        text = squeeze_spaces(source.line(number))
        if len(text) <= 30 and not _SENTENCE.search(text):
            furniture.lines[number] = FurnitureLine(number, SITE, text)


def reading_view(source: SourceText, furniture: TextFurniture) -> SourceText:
    """The source as parsers should read it: furniture blanked, markup taken out, line numbers kept."""
    lines = tuple("" if number in furniture.lines else clean_line(raw) for number, raw in enumerate(source.lines, 1))
    if lines == source.lines:
        return source
    return SourceText(path=source.path, lines=lines, encoding=source.encoding, sha256=source.sha256)
