"""Local yearbooks (地方年鉴)."""

from __future__ import annotations

from fangzhi.model import Document
from fangzhi.parse.official_document import parse_official_document
from fangzhi.text.source import SourceText


def parse_yearbook(source: SourceText, volume_id: str) -> Document:
    document = parse_official_document(source, volume_id)
    document.volume.kind = "yearbook"
    return document
