"""TEI P5 export: the sample volumes as TEI documents, walked element by element."""

from __future__ import annotations

from importlib import resources

import pytest
from click.testing import CliRunner
from lxml import etree

from fangzhi.cli import main
from fangzhi.knowledge_base import KnowledgeBase

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
YEARBOOK = "pingdingshan-yearbook-2024"
GAZETTE = "pingdingshan-gazette-2024-01"


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    with resources.as_file(resources.files("fangzhi.data").joinpath("tei_fangzhi.rng")) as path:
        return etree.RelaxNG(etree.parse(str(path)))


@pytest.fixture(scope="module")
def yearbook_tei(sample_db) -> etree._Element:  # type: ignore[no-untyped-def]
    import fangzhi

    with fangzhi.open(sample_db, create=False) as kb:
        return etree.fromstring(kb.export_tei(YEARBOOK).encode("utf-8"))


def test_yearbook_tei_holds_every_chapter_entry_and_page(
    yearbook_tei: etree._Element, sample_kb: KnowledgeBase, schema: etree.RelaxNG
) -> None:
    assert schema.validate(yearbook_tei), schema.error_log
    chapters = yearbook_tei.findall(".//t:body/t:div[@type='chapter']", NS)
    assert len(chapters) == 40
    assert [chapter.findtext("t:head", namespaces=NS) for chapter in chapters][:3] == ["特载", "专文", "大事记"]
    assert len(yearbook_tei.findall(".//t:div[@type='entry']", NS)) == 1525
    assert len(yearbook_tei.findall(".//t:div[@type='section']", NS)) == 251
    pages = [int(pb.get("n")) for pb in yearbook_tei.iterfind(".//t:pb", NS)]
    assert pages == sample_kb.volume(YEARBOOK).attributes["pages"]
    assert len(pages) == 371 and pages[-1] == 388
    # Most pages start inside a paragraph, where the page's first line is.
    assert sum(1 for pb in yearbook_tei.iterfind(".//t:pb", NS) if pb.getparent().tag == f"{{{NS['t']}}}p") == 281
    page_32 = yearbook_tei.find(".//t:pb[@n='32']", NS)
    entry = page_32.getparent().getparent()
    assert (entry.get("type"), entry.findtext("t:head", namespaces=NS)) == ("entry", "气候")
    assert page_32.get("source") == f"{YEARBOOK}.txt#line=5615,5616"


def test_every_element_from_the_text_keeps_its_lines(yearbook_tei: etree._Element, sample_kb: KnowledgeBase) -> None:
    without_source = {div.get("type") for div in yearbook_tei.iterfind(".//t:text//t:div", NS) if not div.get("source")}
    assert without_source == {"people", "places", "events"}  # the registers in the back matter
    entry = yearbook_tei.find(".//t:div[@type='entry']", NS)
    node = sample_kb.node(f"{YEARBOOK}:{entry.get(XML_ID)[1:]}")
    assert entry.get("source") == f"{YEARBOOK}.txt#line={node.line_start - 1},{node.line_end}"
    assert entry.findtext("t:head", namespaces=NS) == node.title == "区域位置"
    byline = entry.find("t:byline", NS)
    assert [child.text for child in byline] == ["年鉴编辑部"]
    assert byline[0].tag == f"{{{NS['t']}}}orgName"


def test_places_are_marked_and_listed_with_their_division_codes(yearbook_tei: etree._Element) -> None:
    places = {place.get(XML_ID): place for place in yearbook_tei.iterfind(".//t:back//t:listPlace/t:place", NS)}
    assert len(places) == 220
    entry = next(
        div
        for div in yearbook_tei.iterfind(".//t:div[@type='entry']", NS)
        if div.findtext("t:head", namespaces=NS) == "区域位置"
    )
    marked = []
    for name in entry.findall("t:p/t:placeName", NS)[:3]:
        place = places[name.get("ref")[1:]]
        code = place.findtext("t:idno[@type='division_code']", namespaces=NS)
        marked.append((name.text, place.findtext("t:placeName", namespaces=NS), place.get("type"), code))
    assert marked == [
        ("平顶山市", "平顶山市", "prefecture", "410400"),
        ("河南省", "河南省", "province", "410000"),
        ("平顶山", "平顶山市", "prefecture", "410400"),
    ]


def test_header_records_the_book_and_its_source(yearbook_tei: etree._Element, sample_kb: KnowledgeBase) -> None:
    volume = sample_kb.volume(YEARBOOK)
    bibl = yearbook_tei.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl", NS)
    assert bibl.findtext("t:title", namespaces=NS) == "平顶山年鉴 2024"
    assert bibl.find("t:date", NS).get("when") == "2024"
    assert bibl.findtext("t:idno[@type='sha256']", namespaces=NS) == volume.source_sha256
    assert bibl.findtext("t:idno[@type='file']", namespaces=NS) == f"{YEARBOOK}.txt"


def test_events_are_dated_and_listed(yearbook_tei: etree._Element) -> None:
    events = yearbook_tei.findall(".//t:back//t:listEvent/t:event", NS)
    assert len(events) == 193
    first = events[0]
    assert (first.get("when"), first.findtext("t:desc", namespaces=NS)) == (
        "2023-01-01",
        "《平顶山市汝瓷文化保护条例》开始施行。",
    )
    divs = {div.get(XML_ID): div for div in yearbook_tei.iterfind(".//t:div", NS)}
    target = divs[first.get("corresp")[1:]]
    assert target.get("type") == "event"
    date = target.find("t:p/t:date", NS)
    assert (date.get("when"), date.text) == ("2023-01-01", "1日")
    people = yearbook_tei.findall(".//t:back//t:listPerson/t:person", NS)
    assert len(people) == 217
    ids = {person.get(XML_ID) for person in people}
    assert all(name.get("ref")[1:] in ids for name in yearbook_tei.iterfind(".//t:text//t:persName[@ref]", NS))


def test_gazette_tei_documents_names_and_pages(sample_kb: KnowledgeBase, schema: etree.RelaxNG) -> None:
    tei = etree.fromstring(sample_kb.export_tei(GAZETTE).encode("utf-8"))
    assert schema.validate(tei), schema.error_log
    documents = tei.findall(".//t:div[@type='document']", NS)
    assert [document.get("n") for document in documents] == [
        "平政任〔2023〕4号",
        "平政〔2023〕30号",
        "平政〔2023〕31号",
        "平政办〔2023〕20号",
        "平政办〔2023〕23号",
    ]
    assert documents[0].find("t:dateline/t:date", NS).get("when") == "2023-12-23"
    # Pages come from the 目录: a break before the first node of each page.
    assert [pb.get("n") for pb in tei.iterfind(".//t:pb", NS)] == ["3", "4", "7", "10", "19", "22"]
    appointee = documents[0].find(".//t:persName", NS)
    assert appointee.text == "戴冲"
    assert tei.find(".//t:listPerson/t:person", NS).findtext("t:persName", namespaces=NS) == "戴冲"
    assert len(tei.findall(".//t:listPerson/t:person", NS)) == 112
    assert len(tei.findall(".//t:listEvent/t:event", NS)) == 80
    companies = tei.findall(".//t:list/t:item/t:orgName", NS)
    assert len(companies) == 137


def test_export_command_writes_tei(sample_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "gazette.xml"
    result = CliRunner().invoke(
        main, ["export", "--db", str(sample_db), "--kind", "tei", "--volume", GAZETTE, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert etree.parse(str(out)).getroot().tag == f"{{{NS['t']}}}TEI"
    missing = CliRunner().invoke(main, ["export", "--db", str(sample_db), "--kind", "tei"])
    assert missing.exit_code == 2
    assert "--kind tei needs --volume ID" in missing.output
