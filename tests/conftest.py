"""Shared fixtures: the bundled sample corpus (copies of the seed texts) and knowledge bases built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

import fangzhi
from fangzhi.model import Document
from fangzhi.parse import parse_source
from fangzhi.text.source import read_source

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"
YEARBOOK_PATH = SAMPLE / "pingdingshan-yearbook-2024.txt"
GAZETTE_PATH = SAMPLE / "pingdingshan-gazette-2024-01.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Copies of ../shared/extra/gov-docs (public government documents; sources in its MANIFEST.md).
GOV_DOCS = FIXTURES / "gov-docs"


@pytest.fixture(scope="session")
def yearbook() -> Document:
    return parse_source(read_source(YEARBOOK_PATH))


@pytest.fixture(scope="session")
def gazette() -> Document:
    return parse_source(read_source(GAZETTE_PATH))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base file holding both sample volumes; tests must not change it."""
    path = tmp_path_factory.mktemp("kb") / "sample.db"
    with fangzhi.open(path) as kb:
        kb.ingest(YEARBOOK_PATH)
        kb.ingest(GAZETTE_PATH)
    return path


@pytest.fixture()
def sample_kb(sample_db: Path):  # type: ignore[no-untyped-def]
    kb = fangzhi.open(sample_db, create=False)
    yield kb
    kb.close()
