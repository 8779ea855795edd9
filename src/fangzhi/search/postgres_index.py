"""The search index kept inside the PostgreSQL knowledge base, ranking exactly as SQLite's FTS5 does.

Why this design (measured in ``benchmarks/postgres_search_design.py``, see
``docs/scale.md``): a node's title and text are stored as their search
tokens (one per CJK character, Latin words and numbers whole, folded as in
:mod:`fangzhi.search.tokens`), space-separated with a space at each end.  A
GIN index over an expression of those streams holds every token and every
pair of neighbouring tokens (``平_顶``) as a lexeme, so:

- a one- or two-character word is one lexeme: the index answers it exactly,
  without reading a row;
- a longer word is the AND of its pairs, and only the rows the index yields
  are checked for the whole phrase (``strpos`` on the stream);
- OR and NOT are tsquery operators.

``pg_trgm`` cannot answer the one- and two-character words Chinese queries
mostly are, and ``tsvector`` positions (at most 256 per lexeme and 16,383
per document) lose matches in long nodes, so neither gives the same hits as
SQLite.

Ranking is FTS5's ``bm25()`` computed in SQL with the same formula, the
same statistics (rows, tokens per row, rows per phrase) and the same order
of floating-point operations, so both engines give the same scores and the
same order.  Rows are keyed as in SQLite (facet group × 2³² + ordinal), with
group ids from a sequence, so ties and the ranking windows fall the same way.
"""

from __future__ import annotations

import contextvars
import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fangzhi.model import Document
from fangzhi.search.documents import BODY_WEIGHT, LONG_TEXT, TITLE_WEIGHT, chapter_of, indexed_text
from fangzhi.search.index import GROUP_SHIFT, CountJob, Counts, Restriction, SearchGroup, Window
from fangzhi.search.query import Query, Term
from fangzhi.search.sqlite_index import counts_of_rows
from fangzhi.search.tokens import CJK_CHAR, CJK_RANGES, search_tokens
from fangzhi.store import records
from fangzhi.text import fold_for_search

K1 = 1.2
B = 0.75
PAIR = "_"

LEXEMES_FUNCTION = """
CREATE FUNCTION fangzhi_lexemes(title text, body text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
DECLARE
    lexemes text[] := '{}';
    stream text;
    part text;
    token text;
    previous text;
BEGIN
    FOREACH stream IN ARRAY ARRAY[title, body] LOOP
        previous := NULL;
        FOREACH part IN ARRAY string_to_array(btrim(stream), ' ') LOOP
            FOREACH token IN ARRAY CASE WHEN part ~ '^[CJK_CLASS]' THEN string_to_array(part, NULL) ELSE ARRAY[part] END
            LOOP
                lexemes := lexemes || token;
                IF previous IS NOT NULL THEN
                    lexemes := lexemes || (previous || '_' || token);
                END IF;
                previous := token;
            END LOOP;
        END LOOP;
    END LOOP;
    RETURN array_to_tsvector(lexemes);
END
$$
""".replace("CJK_CLASS", CJK_RANGES)


def token_stream(text: str) -> tuple[str, int]:
    """The search tokens of a text as stored, and how many there are.

    CJK characters are each a token, so a run of them needs no separator;
    a Latin word or number is set off by spaces, and the stream begins and
    ends with one (``" 生产总值 gdp 2023 增长 "``).  A phrase then matches
    where :func:`phrase_needle` is a substring.  Empty text is ``""``.
    """
    folded = fold_for_search(text)
    stream = _CJK_BESIDE_WORD.sub(" ", _SEPARATORS.sub(" ", folded))
    stream = _BETWEEN_CJK.sub("", stream).strip()
    if not stream:
        return "", 0
    if not stream.isascii():
        stream = _OTHER_WORD.sub(lambda match: _case_folded(match.group(0)), stream)
    stream = stream.lower()
    count = len(stream) - len(_CJK_RUN_CHARACTER.sub("", stream)) + len(_WORD.findall(stream))
    return " " + stream + " ", count


_SEPARATORS = re.compile(r"[\W_]+")
_CJK_BESIDE_WORD = re.compile(f"(?<=[{CJK_RANGES}])(?=[^\\W_{CJK_RANGES}])|(?<=[^\\W_{CJK_RANGES}])(?=[{CJK_RANGES}])")
_BETWEEN_CJK = re.compile(f"(?<=[{CJK_RANGES}]) (?=[{CJK_RANGES}])")
_CJK_RUN_CHARACTER = re.compile(f"[{CJK_RANGES}]")
_WORD = re.compile(f"[^\\s{CJK_RANGES}]+")
_OTHER_WORD = re.compile(f"[^\\s{CJK_RANGES}]*[^\\x00-\\x7f\\s{CJK_RANGES}][^\\s{CJK_RANGES}]*")


def _is_cjk(token: str) -> bool:
    return len(token) == 1 and CJK_CHAR.match(token) is not None


def _joined(tokens: Sequence[str]) -> str:
    pieces: list[str] = []
    previous_cjk = False
    for token in tokens:
        cjk = _is_cjk(token)
        if pieces and not (cjk and previous_cjk):
            pieces.append(" ")
        pieces.append(token)
        previous_cjk = cjk
    return "".join(pieces)


def term_tokens(term: Term) -> list[str]:
    return [_case_folded(token) for token in term.tokens]


def _case_folded(token: str) -> str:
    """As FTS5's unicode61 tokenizer sees a token: lower case, Latin diacritics removed."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFD", token.lower())
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if unicodedata.category(char) != "Mn"))


class PostgresSearchIndex:
    """Keeps the search tables in step with the stored volumes, and answers the search engine's questions."""

    name = "search"
    migrations: list[tuple[str, str]] = [
        (
            "search_0001_token_pairs",
            LEXEMES_FUNCTION
            + """;
            CREATE SEQUENCE search_group_ids;
            CREATE TABLE search_groups (
                id bigint PRIMARY KEY,
                volume integer NOT NULL REFERENCES volumes(key) ON DELETE CASCADE,
                kind text NOT NULL,
                chapter text,
                year integer,
                long boolean NOT NULL
            );
            CREATE INDEX search_groups_volume ON search_groups (volume);
            CREATE TABLE search_nodes (
                key bigint PRIMARY KEY,
                volume integer NOT NULL REFERENCES volumes(key) ON DELETE CASCADE,
                page integer,
                page_end integer,
                title_tokens integer NOT NULL,
                body_tokens integer NOT NULL,
                title text NOT NULL,
                body text NOT NULL
            );
            CREATE INDEX search_nodes_volume ON search_nodes (volume);
            CREATE INDEX search_nodes_lexemes ON search_nodes USING gin (fangzhi_lexemes(title, body));
            CREATE INDEX search_nodes_title_lexemes ON search_nodes USING gin (fangzhi_lexemes(title, ''))
                WHERE title_tokens > 0;
            CREATE TABLE search_totals (
                volume integer PRIMARY KEY REFERENCES volumes(key) ON DELETE CASCADE,
                rows integer NOT NULL,
                tokens bigint NOT NULL,
                title_rows integer NOT NULL,
                title_tokens bigint NOT NULL
            );
            DO $$
            BEGIN
                IF 'lz4' = ANY (SELECT unnest(enumvals) FROM pg_settings WHERE name = 'default_toast_compression') THEN
                    ALTER TABLE search_nodes ALTER COLUMN body SET COMPRESSION lz4;
                END IF;
            END
            $$
            """,
        ),
    ]

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._groups: tuple[tuple[int, int], dict[int, SearchGroup]] | None = None
        self._frequencies: dict[tuple[bool, tuple[str, ...]], int] = {}
        self._counter: ThreadPoolExecutor | None = None
        self._free = threading.Semaphore(2)

    # writing (inside the store's transaction) ------------------------------

    def index(self, connection: Any, volume_key: int, document: Document) -> None:
        nodes = records.stored_nodes(document)
        year = document.volume.year
        groups: dict[tuple[str, str | None, bool], int] = {}
        rows: list[tuple[Any, ...]] = []
        totals = [0, 0, 0, 0]
        for node in nodes:
            body = indexed_text(node)
            title = node.title or ""
            if not body.strip() and not title.strip():
                continue
            key = (node.kind, chapter_of(node), len(body) > LONG_TEXT)
            if key not in groups:
                groups[key] = len(groups)
            title_stream, title_count = token_stream(title)
            body_stream, body_count = token_stream(body)
            rows.append(
                (
                    groups[key],
                    node.ordinal,
                    node.page,
                    node.page_end or node.page,
                    title_count,
                    body_count,
                    title_stream,
                    body_stream,
                )
            )
            totals[0] += 1
            totals[1] += title_count + body_count
            if _has_title_row(title):
                totals[2] += 1
                totals[3] += title_count
        if not rows:
            return
        numbers = [
            row[0]
            for row in connection.execute(
                "SELECT nextval('search_group_ids') FROM generate_series(1, %s)", (len(groups),)
            ).fetchall()
        ]
        ids = sorted(numbers)
        with connection.cursor() as cursor:
            with cursor.copy("COPY search_groups (id, volume, kind, chapter, year, long) FROM STDIN") as copy:
                for (kind, chapter, long), local in groups.items():
                    copy.write_row((ids[local], volume_key, kind, chapter, year, long))
            with cursor.copy(
                "COPY search_nodes (key, volume, page, page_end, title_tokens, body_tokens, title, body) FROM STDIN"
            ) as copy:
                for local, ordinal, page, page_end, title_count, body_count, title_stream, body_stream in rows:
                    copy.write_row(
                        (
                            (ids[local] << GROUP_SHIFT) + ordinal,
                            volume_key,
                            page,
                            page_end,
                            title_count,
                            body_count,
                            title_stream,
                            body_stream,
                        )
                    )
        connection.execute("INSERT INTO search_totals VALUES (%s, %s, %s, %s, %s)", (volume_key, *totals))

    # reading ----------------------------------------------------------------

    def _version(self, connection: Any) -> tuple[int, int]:
        """Changes with every committed ingest or deletion: keys only grow, and a deletion lowers the count."""
        row = connection.execute("SELECT count(*), coalesce(max(key), 0) FROM volumes").fetchone()
        return int(row[0]), int(row[1])

    def groups(self) -> dict[int, SearchGroup]:
        with self.store.connection() as connection:
            version = self._version(connection)
            with self._lock:
                if self._groups is not None and self._groups[0] == version:
                    return self._groups[1]
            rows = connection.execute(
                "SELECT g.id, v.id, g.kind, g.chapter, g.year, g.long"
                " FROM search_groups g JOIN volumes v ON v.key = g.volume"
            ).fetchall()
        groups = {row[0]: SearchGroup(row[1], row[2], row[3], row[4], row[5]) for row in rows}
        with self._lock:
            self._groups = (version, groups)
            self._frequencies.clear()
        return groups

    def _known_groups(self) -> dict[int, SearchGroup]:
        """The groups as last read (the engine reads them at the start of every search)."""
        with self._lock:
            cached = self._groups
        return cached[1] if cached is not None else self.groups()

    def unindexed(self) -> bool:
        row = self.store._one("SELECT EXISTS (SELECT 1 FROM volumes) AND NOT EXISTS (SELECT 1 FROM search_groups)")
        return bool(row and row[0])

    def _restriction(self, restriction: Restriction) -> tuple[str, list[Any]]:
        clauses, parameters = [], []
        if restriction.groups is not None:
            clauses.append(f"(key >> {GROUP_SHIFT}) = ANY(%s)")
            parameters.append(list(restriction.groups))
        if restriction.page_from is not None:
            clauses.append("page_end >= %s")
            parameters.append(restriction.page_from)
        if restriction.page_to is not None:
            clauses.append("page <= %s")
            parameters.append(restriction.page_to)
        return "".join(f" AND {clause}" for clause in clauses), parameters

    def count(self, query: Query, restriction: Restriction) -> Counts:
        match = compile_match(query)
        clauses, parameters = self._restriction(restriction)
        with self.store.connection() as connection:
            rows = connection.execute(
                f"""
                WITH per_group AS MATERIALIZED (
                    SELECT key >> {GROUP_SHIFT} AS id, count(*) AS matched
                    FROM search_nodes WHERE {match.condition}{clauses} GROUP BY 1
                ),
                counted AS MATERIALIZED (
                    SELECT v.id AS volume, g.kind, g.chapter, g.year, g.long, per_group.matched
                    FROM per_group JOIN search_groups g ON g.id = per_group.id JOIN volumes v ON v.key = g.volume
                )
                SELECT 'volume', volume, sum(matched) FROM counted GROUP BY volume
                UNION ALL SELECT 'kind', kind, sum(matched) FROM counted GROUP BY kind
                UNION ALL SELECT 'chapter', chapter, sum(matched) FROM counted WHERE chapter IS NOT NULL GROUP BY chapter
                UNION ALL SELECT 'year', year::text, sum(matched) FROM counted WHERE year IS NOT NULL GROUP BY year
                UNION ALL SELECT 'long', CASE WHEN long THEN '1' ELSE '0' END, sum(matched) FROM counted GROUP BY long
                """,
                [*match.parameters, *parameters],
            ).fetchall()
        counts = counts_of_rows(rows)
        if restriction == Restriction() and not query.excluded and len(query.terms) == 1:
            # the rows holding the phrase anywhere: what bm25() needs as its document frequency
            key = (False, tuple(term_tokens(query.terms[0])))
            with self._lock:
                self._frequencies[key] = counts.total
        return counts

    def count_in_background(self, query: Query, restriction: Restriction) -> CountJob | None:
        """Count on another pooled connection (another server process) while this thread ranks."""
        with self._lock:
            if self._counter is None:
                self._counter = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fangzhi-pg-facets")
                self._free = threading.Semaphore(2)
        if not self._free.acquire(blocking=False):
            return None
        job = self._counter.submit(contextvars.copy_context().run, self.count, query, restriction)
        job.add_done_callback(lambda _: self._free.release())
        return job

    def newest(self, query: Query, restriction: Restriction, offset: int) -> int | None:
        match = compile_match(query)
        clauses, parameters = self._restriction(restriction)
        row = self.store._one(
            # key + 0: ordered by the primary key, the planner would test the match row by row instead of using GIN
            f"SELECT key FROM search_nodes WHERE {match.condition}{clauses} ORDER BY key + 0 DESC LIMIT 1 OFFSET %s",
            [*match.parameters, *parameters, offset],
        )
        return row[0] if row else None

    def _statistics(self, connection: Any, phrases: list[list[str]], titles: bool) -> tuple[list[float], float]:
        """Each phrase's IDF and the average row length, as FTS5 computes them for bm25()."""
        rows, tokens = connection.execute(
            "SELECT coalesce(sum(title_rows), 0), coalesce(sum(title_tokens), 0) FROM search_totals"
            if titles
            else "SELECT coalesce(sum(rows), 0), coalesce(sum(tokens), 0) FROM search_totals"
        ).fetchone()
        rows, tokens = int(rows), int(tokens)
        weights = []
        for tokens_of_phrase in phrases:
            hits = self._rows_with(connection, tokens_of_phrase, titles)
            idf = math.log((rows - hits + 0.5) / (hits + 0.5))
            weights.append(idf if idf > 0.0 else 1e-6)
        return weights, (tokens / rows if rows else 0.0)

    def _rows_with(self, connection: Any, tokens: Sequence[str], titles: bool) -> int:
        """How many rows hold the phrase (in their titles), remembered until the knowledge base changes."""
        key = (titles, tuple(tokens))
        with self._lock:
            known = self._frequencies.get(key)
        if known is not None:
            return known
        match = compile_match(Query(source="", groups=((Term("", tuple(tokens)),),)), titles)
        hits = int(
            connection.execute(
                f"SELECT count(*) FROM search_nodes WHERE {match.condition}", match.parameters
            ).fetchone()[0]
        )
        with self._lock:
            if len(self._frequencies) > 10_000:
                self._frequencies.clear()
            self._frequencies[key] = hits
        return hits

    def rank(
        self,
        query: Query,
        restriction: Restriction,
        windows: Sequence[Window],
        wanted: int,
        seen: set[int],
        titles: bool = False,
    ) -> list[tuple[int, float]]:
        match = compile_match(query, titles)
        clauses, restricting = self._restriction(restriction)
        where = f"{match.condition}{clauses}"
        parameters = [*match.parameters, *restricting]
        long_groups = [number for number, group in self._known_groups().items() if group.long]
        conditions: list[str] = []
        condition_values: list[Any] = []
        needed: dict[int, int] = {}
        for number, window in enumerate(windows):
            condition, extra = "", []
            if window.long is not None:
                condition = f"{'' if window.long else 'NOT '}((key >> {GROUP_SHIFT}) = ANY(%s))"
                extra = [long_groups]
            if window.matching is None or window.matching > window.size:
                needed[number] = window.size
            conditions.append(condition)
            condition_values.append(extra)
        with self.store.connection() as connection:
            found_cuts: list[int | None] = [None] * len(windows)
            if needed:
                # every window's cut from one (parallel) reading of the matches: the n-th newest of its part
                split = any(window.long is not None for window in windows)
                part = f"((key >> {GROUP_SHIFT}) = ANY(%s))" if split else "true"
                wanted_parts = " OR ".join("(part = %s AND n = %s)" for _ in needed)
                part_values: list[Any] = []
                for number, size in needed.items():
                    part_values += [windows[number].long is not False if split else True, size]
                for part_of, key in connection.execute(
                    f"SELECT part, key FROM (SELECT key, {part} AS part,"
                    f" row_number() OVER (PARTITION BY {part} ORDER BY key DESC) AS n"
                    f" FROM search_nodes WHERE {where}) AS numbered WHERE {wanted_parts}",
                    [*([long_groups] if split else []), *([long_groups] if split else []), *parameters, *part_values],
                ).fetchall():
                    for number in needed:
                        if (windows[number].long is not False if split else True) == part_of:
                            found_cuts[number] = key
            cut_any = any(cut is not None for cut in found_cuts)
            bounds: list[int] = [cut if cut is not None else 0 for cut in found_cuts]
            inside = (
                "("
                + " OR ".join(f"({condition + ' AND ' if condition else ''}key >= %s)" for condition in conditions)
                + ")"
            )
            inside_values = [
                value for extra, bound in zip(condition_values, bounds, strict=True) for value in (*extra, bound)
            ]
            weights, average = self._statistics(connection, match.phrases, titles)
            frequencies, score, counting = bm25_sql(match.phrases, weights, average, titles)
            # key >= the lowest bound lets the planner read only the windows' part of the table
            found = connection.execute(
                f"SELECT key, {score} AS score FROM search_nodes CROSS JOIN LATERAL ({frequencies}) AS frequency"
                f" WHERE {where} AND key >= %s AND {inside} ORDER BY score, key LIMIT %s",
                [*counting, *parameters, min(bounds), *inside_values, wanted + len(seen)],
            ).fetchall()
            rows = [(key, score) for key, score in found if key not in seen][:wanted]
            if cut_any and len(rows) < wanted:
                older = connection.execute(
                    f"SELECT key, 0.0::float8 FROM search_nodes WHERE {where} AND NOT {inside}"
                    " ORDER BY key + 0 DESC LIMIT %s",
                    [*parameters, *inside_values, wanted + len(seen)],
                ).fetchall()
                rows += [(key, score) for key, score in older if key not in seen][: wanted - len(rows)]
        return rows

    def node_ids(self, keys: Sequence[int]) -> dict[int, str]:
        if not keys:
            return {}
        rows = self.store._rows(
            "SELECT s.key, v.id FROM search_nodes s JOIN volumes v ON v.key = s.volume WHERE s.key = ANY(%s)",
            (list(keys),),
        )
        mask = (1 << GROUP_SHIFT) - 1
        return {key: records.node_id(volume_id, key & mask) for key, volume_id in rows}

    def document_frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        counts: dict[str, int] = {}
        with self.store.connection() as connection:
            total = int(connection.execute("SELECT coalesce(sum(rows), 0) FROM search_totals").fetchone()[0])
            for word in words:
                tokens = tuple(search_tokens(fold_for_search(word)))
                if not tokens:
                    counts[word] = 0
                    continue
                match = compile_match(Query(source=word, groups=((Term(word, tokens),),)))
                counts[word] = connection.execute(
                    f"SELECT count(*) FROM search_nodes WHERE {match.condition}", match.parameters
                ).fetchone()[0]
        return total, counts


def _has_title_row(title: str) -> bool:
    """Whether SQLite's title table gets a row for this title (any text left once folded and spaced)."""
    from fangzhi.search.tokens import index_form

    return bool(index_form(title))


# --- query compilation -------------------------------------------------------


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def phrase_tsquery(tokens: Sequence[str]) -> str:
    """The lexemes a phrase needs: its token for one, its neighbour pairs for more (exact up to two tokens)."""
    if len(tokens) == 1:
        return _quote(tokens[0])
    return "(" + " & ".join(_quote(a + PAIR + b) for a, b in zip(tokens, tokens[1:], strict=False)) + ")"


def phrase_needle(tokens: Sequence[str]) -> str:
    """What a stream holds where the phrase occurs: a space sets off a Latin token at either end."""
    before = "" if _is_cjk(tokens[0]) else " "
    after = "" if _is_cjk(tokens[-1]) else " "
    return before + _joined(tokens) + after


def occurrences_sql(column: str, tokens: Sequence[str]) -> tuple[str, list[str]]:
    """SQL counting the phrase's occurrences in a stream column, overlapping ones included (as FTS5 counts them).

    A needle that cannot overlap itself is counted by the bytes ``replace``
    removes; one that can (哈哈, or a Latin word, which ends and starts with
    a space) by a lookahead regular expression.
    """
    needle = phrase_needle(tokens)
    if any(needle[:size] == needle[-size:] for size in range(1, len(needle))):
        return f"regexp_count({column}, %s)", ["(?=" + needle + ")"]
    return f"((octet_length({column}) - octet_length(replace({column}, %s, ''))) / %s)", [
        needle,
        len(needle.encode("utf-8")),
    ]


@dataclass(frozen=True)
class CompiledMatch:
    """A query as SQL over ``search_nodes``: a tsquery the GIN index answers and, when needed, an exact check."""

    condition: str
    parameters: list[Any]
    phrases: list[list[str]]


def compile_match(query: Query, titles: bool = False) -> CompiledMatch:
    """The WHERE condition matching the query in titles and texts (or in titles only), as FTS5 MATCH does.

    A phrase of one or two tokens is one lexeme and needs no check; a longer
    one is the AND of its pairs, and the rows they find are checked for the
    whole phrase with ``strpos`` (the whole query then, so that OR and NOT
    stay exact).  ``phrases`` are the positive phrases in MATCH order, as
    bm25() weighs them.
    """
    lexemes = "fangzhi_lexemes(title, '')" if titles else "fangzhi_lexemes(title, body)"
    columns = ("title",) if titles else ("title", "body")
    any_long = any(len(term.tokens) > 2 for term in (*query.terms, *query.excluded))

    def contains(tokens: list[str]) -> tuple[str, list[str]]:
        return "(" + " OR ".join(f"strpos({column}, %s) > 0" for column in columns) + ")", [
            phrase_needle(tokens)
        ] * len(columns)

    groups: list[str] = []
    checks: list[str] = []
    parameters: list[Any] = []
    for group in query.groups:
        pieces, tests = [], []
        for term in group:
            tokens = term_tokens(term)
            pieces.append(phrase_tsquery(tokens))
            test, values = contains(tokens)
            tests.append(test)
            parameters += values
        groups.append("(" + " | ".join(pieces) + ")")
        checks.append("(" + " OR ".join(tests) + ")")
    tsquery = " & ".join(groups)
    excluded = [term_tokens(term) for term in query.excluded]
    if excluded:
        tsquery = f"({tsquery}) & !(" + " | ".join(phrase_tsquery(tokens) for tokens in excluded) + ")"
    if titles:
        condition, values = f"title_tokens > 0 AND {lexemes} @@ %s::tsquery", [tsquery]
    else:
        condition, values = f"{lexemes} @@ %s::tsquery", [tsquery]
    if any_long:
        for tokens in excluded:
            test, excluded_values = contains(tokens)
            checks.append(f"NOT {test}")
            parameters += excluded_values
        condition += " AND " + " AND ".join(checks)
        values += parameters
    phrases = [term_tokens(term) for group in query.groups for term in group]
    return CompiledMatch(condition, values, phrases)


def bm25_sql(phrases: list[list[str]], idf: list[float], average: float, titles: bool) -> tuple[str, str, list[Any]]:
    """FTS5's ``bm25()`` (negated, as FTS5 returns it) over one row of ``search_nodes``, operation for operation.

    Returns a lateral subquery counting each phrase's occurrences (``f0`` …),
    the score expression over them, and the subquery's parameters.  Weights
    are written as float literals (``repr`` round-trips a double exactly).
    """
    length = "title_tokens::float8" if titles else "(title_tokens + body_tokens)::float8"
    counts: list[str] = []
    parameters: list[Any] = []
    terms: list[str] = []
    for number, (tokens, weight) in enumerate(zip(phrases, idf, strict=True)):
        in_title, title_values = occurrences_sql("title", tokens)
        if titles:
            counts.append(f"{in_title}::float8 AS f{number}")
            parameters += title_values
        else:
            in_body, body_values = occurrences_sql("body", tokens)
            counts.append(f"({TITLE_WEIGHT!r}::float8 * {in_title} + {BODY_WEIGHT!r}::float8 * {in_body}) AS f{number}")
            parameters += [*title_values, *body_values]
        f = f"frequency.f{number}"
        terms.append(
            f"{weight!r}::float8 * (({f} * ({K1!r}::float8 + 1.0::float8)) /"
            f" ({f} + {K1!r}::float8 * ((1::float8 - {B!r}::float8) + ({B!r}::float8 * {length}) / {average!r}::float8)))"
        )
    # OFFSET 0 keeps the planner from inlining the counts into the score, which would count twice
    subquery = "SELECT " + (", ".join(counts) if counts else "0 AS nothing") + " OFFSET 0"
    score = "(-1.0::float8 * (0.0::float8" + "".join(f" + {term}" for term in terms) + "))"
    return subquery, score, parameters
