"""Decoding and normalising source text (issue 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fangzhi.errors import InputError
from fangzhi.text import fold_for_search, join_lines, squeeze_spaces
from fangzhi.text.source import decode_source, read_source

TEXT = "平顶山市郏县\n【概况】 2023年，全市\n"
GOV_DOCS = Path(__file__).parent / "fixtures" / "gov-docs"


def test_utf8_and_bom() -> None:
    assert decode_source(TEXT.encode("utf-8"), "a.txt").lines == ("平顶山市郏县", "【概况】 2023年，全市")
    assert decode_source(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "a.txt").encoding == "utf-8"


def test_gb18030_detected() -> None:
    source = decode_source(TEXT.encode("gb18030"), "b.txt")
    assert source.encoding == "gb18030"
    assert source.lines[0] == "平顶山市郏县"


def test_gb18030_document_indented_with_ideographic_spaces() -> None:
    """Full-width (U+3000) and en-space indentation is text, not a sign of a wrong decoding."""
    text = (GOV_DOCS / "aba_2021_gov_data_management.txt").read_text(encoding="utf-8")
    assert text.count("\u3000") == 275
    source = decode_source(text.encode("gb18030"), "aba.txt")
    assert source.encoding == "gb18030"
    assert source.lines[2] == "阿坝州人民政府办公室关于印发《阿坝州政务数据资源管理暂行办法》的通知"
    assert len(source.lines) == 112


def test_crlf_lines_are_kept_raw() -> None:
    source = decode_source("特 载\r\n\r\n综 述\r\n".encode(), "c.txt")
    assert source.lines == ("特 载", "", "综 述")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file holds only blank lines, no text"),
        (b"\x00\x01\x02PK\x03\x04" * 100, "the file is binary, neither text nor a PDF"),
        (
            bytes(range(0x80, 0x100)) * 20,
            "cannot decode the text as UTF-8 or GB18030; convert it to UTF-8 and try again",
        ),
    ],
)
def test_bad_input_is_one_clear_error(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_source(data, "bad.txt")
    assert str(caught.value) == f"bad.txt: {problem}"


def test_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt")


def test_letter_spacing_removed_latin_kept() -> None:
    assert squeeze_spaces(" 特 载") == "特载"
    assert squeeze_spaces("同 日 鲁 山 县 环 湖 路") == "同日鲁山县环湖路"
    assert squeeze_spaces("总产量 44.6亿斤，增长 5.0%") == "总产量44.6亿斤，增长5.0%"
    assert squeeze_spaces("PINGDINGSHAN YEARBOOK平顶山年鉴") == "PINGDINGSHAN YEARBOOK平顶山年鉴"


def test_wrapped_lines_join_numbers_and_units() -> None:
    assert join_lines(["全市常住人口 2.3", "万人，增长", "3.8％"]) == "全市常住人口2.3万人，增长3.8％"
    assert join_lines(["Constantinos", "Soutis 教授"]) == "Constantinos Soutis 教授"


def test_variants_fold_for_matching_only() -> None:
    assert fold_for_search("郟县人員（1）３") == "郏县人员(1)3"


def test_utf16_with_bom() -> None:
    source = decode_source(TEXT.encode("utf-16"), "d.txt")
    assert (source.encoding, source.lines[0]) == ("utf-16", "平顶山市郏县")
