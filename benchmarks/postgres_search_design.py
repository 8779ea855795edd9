"""How to search Chinese inside PostgreSQL: the designs weighed for the PostgreSQL store, measured on one database.

    python benchmarks/postgres_search_design.py postgresql://…/DB [--repeat 3] [--write-docs]

DB is a fangzhi knowledge base (e.g. the scale benchmark's 50× corpus).  For
each query of the search benchmark, every design finds the set of matching
nodes (a ``count(*)``), timed after one warm-up pass:

- **pairs** (chosen): GIN over every token and every pair of neighbouring
  tokens (``fangzhi_lexemes``), with a ``strpos`` check for phrases of three
  or more tokens; exact for everything FTS5 matches;
- **unigrams**: GIN over the tokens alone, every phrase of two or more
  tokens checked with ``strpos`` on the rows holding all its characters;
- **pg_trgm**: a trigram GIN index (``gin_trgm_ops``) on the token streams,
  queried with ``LIKE '%…%'``; under the C locale pg_trgm sees no CJK at all,
  and under C.UTF-8 a one- or two-character word has no trigram to look up;
- **LIKE scan** (baseline): ``title LIKE '%…%' OR text LIKE '%…%'`` over the
  stored node text, as the SQLite benchmark's baseline.

tsvector phrase search (``<->``) is not built: it keeps at most 256
positions per lexeme and none past 16,383, and the script counts the indexed
nodes where that would lose matches.  The temporary indexes are dropped at
the end.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_benchmark import QUERIES  # noqa: E402

from fangzhi.search.postgres_index import compile_match, phrase_needle, term_tokens  # noqa: E402
from fangzhi.search.query import Query, parse_query  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs" / "scale.md"
START, END = "<!-- postgres-search-design:start -->", "<!-- postgres-search-design:end -->"

UNIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION unigrams_of(title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
    SELECT ts_delete(pairs, ARRAY(SELECT lexeme FROM unnest(pairs) WHERE strpos(lexeme, '_') > 0))
    FROM (SELECT fangzhi_lexemes(title, body) AS pairs) AS computed
$$
"""


def unigram_condition(query: Query) -> tuple[str, list[str]]:
    """Every token present (GIN), then each phrase checked in the streams."""
    groups, parameters, needles = [], [], []
    for group in query.groups:
        pieces, tests = [], []
        for term in group:
            tokens = term_tokens(term)
            pieces.append("(" + " & ".join(f"'{token}'" for token in dict.fromkeys(tokens)) + ")")
            tests.append("(strpos(title, %s) > 0 OR strpos(body, %s) > 0)")
            needles += [phrase_needle(tokens)] * 2
        groups.append("(" + " | ".join(pieces) + ")")
        parameters.append("(" + " OR ".join(tests) + ")")
    tsquery = " & ".join(groups)
    condition = "unigrams_of(title, body) @@ %s::tsquery AND " + " AND ".join(parameters)
    for term in query.excluded:
        condition += " AND NOT (strpos(title, %s) > 0 OR strpos(body, %s) > 0)"
        needles += [phrase_needle(term_tokens(term))] * 2
    return condition, [tsquery, *needles]


def like_condition(query: Query, columns: tuple[str, str]) -> tuple[str, list[str]]:
    title, body = columns
    clauses, parameters = [], []
    for group in query.groups:
        alternatives = []
        for term in group:
            alternatives.append(f"({title} LIKE %s OR {body} LIKE %s)")
            parameters += [f"%{term.text}%"] * 2
        clauses.append("(" + " OR ".join(alternatives) + ")")
    for term in query.excluded:
        clauses.append(f"NOT ({title} LIKE %s OR {body} LIKE %s)")
        parameters += [f"%{term.text}%"] * 2
    return " AND ".join(clauses), parameters


def trigram_condition(query: Query) -> tuple[str, list[str]]:
    clauses, parameters = [], []
    for group in query.groups:
        alternatives = []
        for term in group:
            alternatives.append("(title LIKE %s OR body LIKE %s)")
            parameters += ["%" + phrase_needle(term_tokens(term)) + "%"] * 2
        clauses.append("(" + " OR ".join(alternatives) + ")")
    for term in query.excluded:
        clauses.append("NOT (title LIKE %s OR body LIKE %s)")
        parameters += ["%" + phrase_needle(term_tokens(term)) + "%"] * 2
    return " AND ".join(clauses), parameters


def timed(connection: psycopg.Connection, sql: str, parameters: list[str], repeat: int) -> tuple[float, int]:
    count = connection.execute(sql, parameters).fetchone()[0]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        connection.execute(sql, parameters).fetchone()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--like-repeat", type=int, default=1)
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()
    connection = psycopg.connect(options.url, autocommit=True)
    connection.execute("SET work_mem = '64MB'")
    connection.execute("SET jit = off")
    rows = connection.execute("SELECT count(*) FROM search_nodes").fetchone()[0]
    text_mb = connection.execute("SELECT sum(octet_length(text)) / 1e6 FROM nodes").fetchone()[0]
    sizes = {
        "pairs": connection.execute("SELECT pg_relation_size('search_nodes_lexemes')").fetchone()[0],
        "streams": connection.execute("SELECT pg_table_size('search_nodes')").fetchone()[0],
    }
    builds: dict[str, float] = {}
    connection.execute(UNIGRAMS_FUNCTION)
    started = time.perf_counter()
    connection.execute("CREATE INDEX design_unigrams ON search_nodes USING gin (unigrams_of(title, body))")
    builds["unigrams"] = time.perf_counter() - started
    sizes["unigrams"] = connection.execute("SELECT pg_relation_size('design_unigrams')").fetchone()[0]
    connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    started = time.perf_counter()
    connection.execute("CREATE INDEX design_trigrams ON search_nodes USING gin (title gin_trgm_ops, body gin_trgm_ops)")
    builds["pg_trgm"] = time.perf_counter() - started
    sizes["pg_trgm"] = connection.execute("SELECT pg_relation_size('design_trigrams')").fetchone()[0]
    connection.execute("ANALYZE search_nodes")
    lost = connection.execute(
        "SELECT count(*) FILTER (WHERE title_tokens + body_tokens > 16383) FROM search_nodes"
    ).fetchone()[0]
    results: dict[str, list[float]] = {"pairs": [], "unigrams": [], "pg_trgm": [], "LIKE scan": []}
    wrong: dict[str, list[str]] = {name: [] for name in results}
    try:
        for text in QUERIES:
            query = parse_query(text)
            match = compile_match(query)
            exact, expected = timed(
                connection,
                f"SELECT count(*) FROM search_nodes WHERE {match.condition}",
                match.parameters,
                options.repeat,
            )
            results["pairs"].append(exact)
            condition, parameters = unigram_condition(query)
            elapsed, count = timed(
                connection, f"SELECT count(*) FROM search_nodes WHERE {condition}", parameters, options.repeat
            )
            results["unigrams"].append(elapsed)
            if count != expected:
                wrong["unigrams"].append(text)
            condition, parameters = trigram_condition(query)
            elapsed, count = timed(
                connection, f"SELECT count(*) FROM search_nodes WHERE {condition}", parameters, options.repeat
            )
            results["pg_trgm"].append(elapsed)
            if count != expected:
                wrong["pg_trgm"].append(text)
            condition, parameters = like_condition(query, ("coalesce(title, '')", "text"))
            elapsed, _ = timed(
                connection, f"SELECT count(*) FROM nodes WHERE {condition}", parameters, options.like_repeat
            )
            results["LIKE scan"].append(elapsed)
    finally:
        connection.execute("DROP INDEX IF EXISTS design_unigrams")
        connection.execute("DROP INDEX IF EXISTS design_trigrams")
        connection.execute("DROP FUNCTION IF EXISTS unigrams_of(text, text)")
    version = connection.execute("SHOW server_version").fetchone()[0]
    collation = connection.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone()[
        0
    ]
    lines = [
        START,
        "### Measured: Chinese search designs inside PostgreSQL",
        "",
        f"Generated by `python benchmarks/postgres_search_design.py URL --repeat {options.repeat}` on a knowledge base of "
        f"{rows:,} indexed nodes ({text_mb:.0f} MB of node text), PostgreSQL {version.split()[0]}, "
        f"database locale {collation}; the {len(QUERIES)} queries of the search benchmark, each finding every "
        "matching node (`count(*)`), median of the repeats.",
        "",
        "| design | index size | p50 (ms) | p95 (ms) | max (ms) | queries with other counts than FTS5's |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, values in results.items():
        size = sizes.get(name)
        shown = f"{size / 1e6:.0f} MB" if size else "–"
        mismatched = ", ".join(f"`{text}`" for text in wrong[name]) or "none"
        if name == "LIKE scan":
            mismatched = "(folding differs: baseline)"
        lines.append(
            f"| {name} | {shown} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} | "
            f"{max(values):.1f} | {mismatched} |"
        )
    lines += [
        "",
        f"Token streams (the searchable copy of titles and text): {sizes['streams'] / 1e6:.0f} MB. "
        f"Index builds: unigrams {builds['unigrams']:.0f} s, pg_trgm {builds['pg_trgm']:.0f} s. "
        f"Nodes past tsvector's 16,383 positions: {lost}.",
        END,
    ]
    output = "\n".join(lines)
    print(output)
    if options.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: output, text, flags=re.S)
        DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
