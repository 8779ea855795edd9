"""PDF input: PDFs made during the test in the layouts books are printed in, read page by page.

The PDFs are written with fpdf2 and WenQuanYi Zen Hei (``fonts-wqy-zenhei``,
installed by ``.ci/run``).  Without the font these tests are skipped, unless
FANGZHI_REQUIRE_CJK_FONT=1 (as in CI) makes that a failure.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import fangzhi
from conftest import GAZETTE_PATH, YEARBOOK_PATH
from fangzhi.cli import main
from fangzhi.errors import InputError
from fangzhi.extract import extract_facts
from fangzhi.model import Document, EntryAttributes, Node, NodeKind, ParagraphAttributes
from fangzhi.parse import YEARBOOK, parse_source
from fangzhi.text.source import read_source
from pdf_documents import Page, font_available, sample_pages, split_columns, write_pdf

if not font_available():
    if os.environ.get("FANGZHI_REQUIRE_CJK_FONT") == "1":
        pytest.fail("WenQuanYi Zen Hei is missing, and FANGZHI_REQUIRE_CJK_FONT=1 requires the PDF tests to run")
    pytest.skip("WenQuanYi Zen Hei (fonts-wqy-zenhei) is not installed", allow_module_level=True)

LAST_SAMPLE_PAGE = 69  # chapters 1-5 of the sample yearbook: 特载, 专文, 大事记, 市情概览, 中共平顶山市委


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample yearbook's front matter and printed pages 1-69 as a PDF, one printed page per PDF page."""
    pages, outline, title = sample_pages(read_source(YEARBOOK_PATH), 1, LAST_SAMPLE_PAGE)
    return write_pdf(tmp_path_factory.mktemp("pdf") / "yearbook-1-69.pdf", pages, title, outline)


@pytest.fixture(scope="module")
def sample_pdf_document(sample_pdf: Path) -> Document:
    # Detection needs a whole yearbook (200 entries or the word 年鉴 near the start); this is an excerpt.
    return parse_source(read_source(sample_pdf), kind=YEARBOOK)


def _in_front_matter(node: Node, ancestors: tuple[Node, ...]) -> bool:
    return node.kind == NodeKind.FRONT_MATTER or any(a.kind == NodeKind.FRONT_MATTER for a in ancestors)


def _rows(document: Document, last_page: int) -> list[tuple]:
    """Every node of the body up to ``last_page``, as it reads."""
    rows = []
    for node, ancestors in document.walk():
        if node.page is None or node.page > last_page or _in_front_matter(node, ancestors):
            continue
        rows.append(
            (
                node.kind,
                node.title,
                node.page,
                node.page_end,
                _contributors(node),
                node.text,
            )
        )
    return rows


def _contributors(node: Node) -> tuple[str, ...]:
    attributes = node.attributes
    if isinstance(attributes, (EntryAttributes, ParagraphAttributes)):
        return tuple(attributes.contributors or [])
    return ()


def _front_matter(document: Document) -> Counter[str]:
    return Counter(node.kind for node, ancestors in document.walk() if _in_front_matter(node, ancestors))


def test_sample_yearbook_pdf_reads_as_its_text(sample_pdf_document: Document, yearbook: Document) -> None:
    pdf_rows = _rows(sample_pdf_document, LAST_SAMPLE_PAGE)
    text_rows = _rows(yearbook, LAST_SAMPLE_PAGE)
    assert pdf_rows == text_rows
    assert Counter(row[0] for row in pdf_rows) == {
        "event": 193,
        "entry": 115,
        "caption": 20,
        "section": 18,
        "month": 12,
        "chapter": 5,
        "article": 4,
        "chronicle": 1,
    }
    # The colour pages (front matter) split into the same pages, captions and paragraphs; their merged
    # two-column lines read in another order on two pages, so only their kinds are compared.
    assert _front_matter(sample_pdf_document) == _front_matter(yearbook)
    assert _front_matter(yearbook) == {"caption": 14, "paragraph": 8, "front_matter": 1, "editorial_notes": 1}
    entries = [row for row in pdf_rows if row[0] == NodeKind.ENTRY]
    assert len(entries) == 115
    assert sum(1 for row in entries if row[4]) == 115
    assert [row[1] for row in pdf_rows if row[0] == NodeKind.CHAPTER] == [
        "特载",
        "专文",
        "大事记",
        "市情概览",
        "中国共产党平顶山市委员会",
    ]
    assert sample_pdf_document.volume.title == yearbook.volume.title == "平顶山年鉴 2024"
    assert sample_pdf_document.volume.attributes["pages"] == list(range(1, LAST_SAMPLE_PAGE + 1))


def test_sample_yearbook_pdf_pages_come_from_the_footers(sample_pdf_document: Document) -> None:
    pages = sample_pdf_document.source.pages
    assert len(pages) == 9 + LAST_SAMPLE_PAGE
    assert [page.number for page in pages[:9]] == [None] * 9
    assert [page.number for page in pages[9:]] == list(range(1, LAST_SAMPLE_PAGE + 1))
    assert pages[9].index == 10 and pages[9].furniture == ("1",)
    # An excerpt: only the editorial notes' counts for the whole book disagree, no page is in doubt.
    assert {warning.code for warning in sample_pdf_document.warnings} == {"declared_count_differs"}


def test_sample_yearbook_pdf_events_match_the_text(sample_pdf_document: Document, yearbook: Document) -> None:
    def events(document: Document) -> list[tuple]:
        return [
            (fact.data["date"], fact.page, fact.data["text"], tuple(p["name"] for p in fact.data["people"]))
            for fact in extract_facts(document)
            if fact.kind == "event"
        ]

    from_pdf = events(sample_pdf_document)
    assert len(from_pdf) == 193
    assert from_pdf == events(yearbook)


# ---------------------------------------------------------------- a small yearbook of invented text

ENTRY_TITLES = [
    "概况",
    "人口",
    "气候",
    "水资源",
    "土地资源",
    "矿产资源",
    "交通区位",
    "行政区划",
    "城乡建设",
    "生态环境",
    "文化旅游",
    "社会事业",
]


def _entry(title: str, writer: str, sentences: int = 3) -> list[str]:
    body = f"【{title}】 2023年，某某县{title}工作稳步推进，" + "全年完成各项目标任务，群众满意度持续提升。" * sentences
    lines = [body[index : index + 15] for index in range(0, len(body), 15)]
    return [*lines, f"（{writer}）"]


def _small_yearbook(path: Path) -> Path:
    """A cover, then two chapters of 【】 entries; printed pages 101-104 sit on PDF pages 2-5.

    Page 102 runs the 人口 entry over from page 101; page 103 sets its chapter
    title across two columns written row by row; every page but the cover
    carries a running header and a footer page number.
    """
    first = ["综 述", *_entry("概况", "张 三"), *_entry("人口", "李 四", 8)]
    page_101, page_102 = first[:15], first[15:]
    for title in ENTRY_TITLES[2:6]:
        page_102 += _entry(title, "王 五", 1)
    left: list[str] = []
    for title in ENTRY_TITLES[6:9]:
        left += _entry(title, "赵 六", 1)
    right: list[str] = []
    for title in ENTRY_TITLES[9:]:
        right += _entry(title, "钱 七", 1)
    # The entry at the foot of the left column goes on at the top of the right one.
    right = left[-3:] + right
    left = left[:-3]
    page_104 = []
    for number in range(1, 11):
        page_104 += _entry(f"重点项目{number}", "孙 八", 0)
    pages = [
        Page(lines=["某某县年鉴", "2023"]),
        Page(lines=page_101, header="某某县年鉴 2023", footer="·101·"),
        Page(lines=page_102, header="某某县年鉴 2023", footer="·102·"),
        Page(columns=[left, right], heading="经 济", header="某某县年鉴 2023", footer="·103·"),
        Page(lines=page_104, header="某某县年鉴 2023", footer="·104·"),
    ]
    return write_pdf(path, pages, "某某县年鉴2023", [("自然地理", 1), ("经济", 3)])


@pytest.fixture(scope="module")
def small_yearbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_yearbook(tmp_path_factory.mktemp("pdf") / "mouxian-2023.pdf")


def test_pages_come_from_the_footers_not_the_page_index(small_yearbook: Path) -> None:
    source = read_source(small_yearbook)
    assert [(page.index, page.number) for page in source.pages] == [(1, None), (2, 101), (3, 102), (4, 103), (5, 104)]
    assert source.pages[1].furniture == ("某某县年鉴 2023", "·101·")
    text = source.lines[source.pages[1].first_line - 1 : source.pages[-1].last_line]
    assert not any("某某县年鉴 2023" in line or "101" in line for line in text)
    assert source.lines[-2:] == ("\t某某县年鉴2023-1-自然地理（101-102）", "\t某某县年鉴2023-2-经济（103-104）")


def test_entry_across_a_page_break(small_yearbook: Path) -> None:
    document = parse_source(read_source(small_yearbook))
    assert document.volume.kind == "yearbook"
    assert document.volume.title == "某某县年鉴 2023"
    entries = {node.title: node for node in document.nodes(NodeKind.ENTRY)}
    assert len(entries) == 22
    population = entries["人口"]
    assert (population.page, population.page_end) == (101, 102)
    assert population.text == "2023年，某某县人口工作稳步推进，" + "全年完成各项目标任务，群众满意度持续提升。" * 8
    assert population.attributes.contributors == ["李四"]
    assert (entries["概况"].page, entries["概况"].page_end) == (101, 101)
    assert entries["概况"].attributes.contributors == ["张三"]
    sections = document.nodes(NodeKind.SECTION)
    assert [(section.title, section.page) for section in sections] == [("综述", 101)]


def test_two_column_page_reads_left_column_then_right(small_yearbook: Path) -> None:
    source = read_source(small_yearbook)
    page = source.pages[3]
    lines = [line for line in source.lines[page.first_line - 1 : page.last_line] if line]
    assert lines[0] == "经 济"
    starts = [line[1 : line.index("】")] for line in lines if line.startswith("【")]
    assert starts == ENTRY_TITLES[6:]
    document = parse_source(source)
    entries = {node.title: node for node in document.nodes(NodeKind.ENTRY)}
    assert [node.title for node in document.nodes(NodeKind.ENTRY) if node.page == 103] == ENTRY_TITLES[6:]
    across = entries["城乡建设"]
    assert across.text == "2023年，某某县城乡建设工作稳步推进，全年完成各项目标任务，群众满意度持续提升。"
    assert across.attributes.contributors == ["赵六"]
    assert entries["生态环境"].attributes.contributors == ["钱七"]


def test_columns_written_row_by_row_are_read_column_by_column(tmp_path: Path) -> None:
    rows = [f"左栏第{n}行，栏宽排满的正文文字" for n in range(1, 9)]
    right = [f"右栏第{n}行，栏宽排满的正文文字" for n in range(1, 9)]
    path = write_pdf(tmp_path / "columns.pdf", [Page(columns=[rows, right], heading="通栏标题")])
    source = read_source(path)
    assert [line for line in source.lines if line] == ["通栏标题", *rows, *right]


def test_page_labels_number_the_pages_when_no_number_is_printed(tmp_path: Path) -> None:
    pages = [Page(lines=[f"第{n}页的正文。"], label=str(n)) for n in (7, 8, 9)]
    source = read_source(write_pdf(tmp_path / "labels.pdf", pages))
    assert [(page.index, page.number, page.label) for page in source.pages] == [
        (1, 7, "7"),
        (2, 8, "8"),
        (3, 9, "9"),
    ]
    assert source.lines == ("第7页的正文。", "第8页的正文。", "第9页的正文。")


def test_split_columns_cuts_at_empty_rows() -> None:
    assert split_columns(["a", "", "b", "c", "", "d", "", "e"], 3) == [["a"], ["b", "c"], ["d", "", "e"]]


# ---------------------------------------------------------------- a gazette with 文号


def _gazette_pages(gazette: Document) -> list[Page]:
    """The sample gazette on the pages its 目录 gives: each document starts on its page, the rest shared out."""
    source = gazette.source
    starts = {node.line_start: node.page for node in gazette.nodes(NodeKind.DOCUMENT) if node.page}
    chronicle = next(node for node in gazette.nodes() if node.kind == NodeKind.CHRONICLE)
    starts[chronicle.line_start] = chronicle.page
    marks = sorted(starts.items())
    blocks = [(1, marks[0][0] - 1, 1, marks[0][1] - 1)]
    for position, (line, page) in enumerate(marks):
        following = marks[position + 1] if position + 1 < len(marks) else (len(source) + 1, page + 2)
        blocks.append((line, following[0] - 1, page, following[1] - 1))
    pages = []
    for first_line, last_line, first_page, last_page in blocks:
        rows = [line.strip() for line in source.span(first_line, last_line)]
        count = last_page - first_page + 1
        for offset, column in enumerate(_share(rows, count)):
            number = first_page + offset
            pages.append(Page(lines=column, footer=f"- {number} -" if number > 1 else None))
    return pages


def _share(rows: list[str], count: int) -> list[list[str]]:
    """``rows`` on ``count`` pages, cut at empty rows."""
    size = len(rows) // count
    parts, rest = [], rows
    for _ in range(count - 1):
        cut = next((i for i in range(size, len(rest)) if not rest[i]), len(rest))
        parts.append(rest[:cut])
        rest = rest[cut + 1 :]
    parts.append(rest)
    return parts


def test_gazette_pdf_documents_and_pages(tmp_path: Path, gazette: Document) -> None:
    path = write_pdf(tmp_path / "gazette.pdf", _gazette_pages(gazette), "平顶山市人民政府公报")
    db = tmp_path / "kb.db"
    with fangzhi.open(db) as kb:
        result = kb.ingest(path)
        assert result.volume.kind == "gazette"
        documents = kb.export("documents")
        rows = [(row["doc_no"], row["title"]) for row in documents]
        nodes = list(kb.nodes(kind=NodeKind.DOCUMENT))
        appointments = kb.facts(kind="appointment")
    text_documents = gazette.nodes(NodeKind.DOCUMENT)
    assert rows == [(node.attributes.doc_no, node.title) for node in text_documents]
    assert [row[0] for row in rows] == [
        "平政任〔2023〕4号",
        "平政〔2023〕30号",
        "平政〔2023〕31号",
        "平政办〔2023〕20号",
        "平政办〔2023〕23号",
    ]
    assert [(node.page, node.page_end) for node in nodes] == [(3, 3), (4, 6), (7, 9), (10, 18), (19, 21)]
    assert len(appointments) == 46
    assert {fact.page for fact in appointments} == {3}


# ---------------------------------------------------------------- what cannot be read


def test_scanned_pdf_says_ocr_is_needed(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [Page(image_only=True), Page(image_only=True)])
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {path}: the PDF has no text layer (2 pages of images, a scan?): "
        "run OCR on it first (for example ocrmypdf) and ingest the result"
    )
    with fangzhi.open(tmp_path / "kb.db") as kb:
        assert kb.volumes() == []


def test_broken_pdf_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not a PDF body\n")
    with pytest.raises(InputError) as error:
        read_source(path)
    assert str(error.value).startswith(f"{path}: cannot be read as a PDF (")
    assert "\n" not in str(error.value)


def test_ingest_cli_reads_a_pdf(tmp_path: Path, small_yearbook: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(small_yearbook), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0, result.output
    assert "ingested mouxian-2023 (yearbook, 某某县年鉴 2023)" in result.output
    with fangzhi.open(tmp_path / "kb.db") as kb:
        volume = kb.volume("mouxian-2023")
        assert volume.source_file == str(small_yearbook)
        assert volume.attributes["pages"] == [101, 102, 103, 104]
        assert [row["page"] for row in kb.export("chapters")] == [101, 103]


def test_gazette_text_is_unchanged_by_the_pdf_hook(gazette: Document) -> None:
    # Text sources have no page records: their pages are still inferred (the gazette's from its 目录).
    assert read_source(GAZETTE_PATH).pages == ()
    assert [node.page for node in gazette.nodes(NodeKind.DOCUMENT)] == [3, 4, 7, 10, 19]
