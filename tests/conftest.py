"""Shared fixtures: the bundled sample corpus (copies of the seed texts) and knowledge bases built from it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
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


# PostgreSQL: a real server (scripts/postgres-server, started by .ci/run) named by FANGZHI_TEST_POSTGRES.
POSTGRES_VARIABLE = "FANGZHI_TEST_POSTGRES"
REQUIRE_POSTGRES_VARIABLE = "FANGZHI_REQUIRE_POSTGRES"


def postgres_unavailable(reason: str) -> None:
    """Skip with the reason, or fail when CI requires the PostgreSQL tests to run."""
    if os.environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_POSTGRES_VARIABLE}=1 requires the PostgreSQL tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of the test server's maintenance database, after checking that it answers."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        postgres_unavailable(
            f'no PostgreSQL server: start one with `eval "$(scripts/postgres-server start)"`, which sets {POSTGRES_VARIABLE}'
        )
    try:
        import psycopg
    except ImportError:
        postgres_unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        postgres_unavailable(f"cannot connect to the PostgreSQL server at {url}: {str(error).strip()}")
    return url


class PostgresDatabases:
    """Creates empty databases on the test server and drops them at the end of the session."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.created: list[str] = []

    def create(self) -> str:
        import psycopg

        name = f"fangzhi_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.server.rsplit("/", 1)[0] + "/" + name

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_databases(postgres_server: str) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_server)
    yield databases
    databases.drop_all()


@pytest.fixture()
def postgres_url(postgres_databases: PostgresDatabases) -> str:
    """An empty database of its own for one test."""
    return postgres_databases.create()


@pytest.fixture(scope="session")
def sample_postgres(postgres_databases: PostgresDatabases) -> str:
    """A PostgreSQL knowledge base holding both sample volumes, ingested in the order of ``sample_db``; read only."""
    url = postgres_databases.create()
    with fangzhi.open(url) as kb:
        kb.ingest(YEARBOOK_PATH)
        kb.ingest(GAZETTE_PATH)
    return url
