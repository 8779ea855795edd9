"""Passage retrieval: the sentences of the corpus most likely to answer, each with its exact lines and page.

Candidates come from the full-text index (BM25 over the question's words:
first the nodes holding all of them, then those holding any; docs/ask.md
says why dense embeddings are not used yet).  A candidate node is cut into
sentences from its raw lines, so that every sentence knows the lines it
was printed on and, through the volume's page map, its page.  A sentence
is scored by how much of the question it holds: the weight (IDF) of the
question's words it contains, words found only in its heading or entry
counting half.  Sentences about another place or another year than the
question's are dropped: a nearest passage is not an answer.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from fangzhi.model import NodeKind
from fangzhi.search import search
from fangzhi.search.best_match import reranked
from fangzhi.search.query import Query, Term, without_common_terms
from fangzhi.search.statistics import document_frequencies
from fangzhi.search.tokens import fold_characters, search_tokens
from fangzhi.services.ask.answer import AnswerCitation
from fangzhi.services.ask.question import Question
from fangzhi.services.ask.spans import keyword_runs
from fangzhi.services.ask.vocabulary import Vocabulary
from fangzhi.services.printed_pages import printed_pages
from fangzhi.store.base import Store, StoredNode
from fangzhi.text.normalize import fold_for_search, squeeze_spaces
from fangzhi.text.words import SOFT_MATCH, contains, question_vocabulary, soft_share, variants

CANDIDATE_NODES = 40
# How many nodes holding any of the question's words are ranked again by their best passage.
ANY_WORD_POOL = 100
# How many nodes printing two of the question's words together are added.
PAIRED = 10
CONTEXT_WEIGHT = 0.75
# Of a sentence's score, this share rewards the question's words standing together (政协第十届…委员会主席).
PROXIMITY = 0.1
# A place named only after the figure (…250天，叶县、鲁山县…) is not what the figure is about.
PLACE_AFTER = 0.6
MAX_SENTENCE = 160
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_SKIPPED_KINDS = {NodeKind.VOLUME, NodeKind.CHAPTER, NodeKind.SECTION, NodeKind.MONTH, NodeKind.CONTENTS}


@dataclass
class Sentence:
    """One sentence of a node as printed (layout spaces removed), with the raw lines it spans."""

    node: StoredNode
    text: str
    folded: str
    line_start: int
    line_end: int
    page: int | None
    context: str
    lead: str
    score: float = 0.0
    # The whole sentence a long one was cut from at a comma (an enumeration may run on past the cut).
    whole: str = ""
    matched: list[str] = field(default_factory=list)


def word_weights(store: Store, words: list[str]) -> dict[str, float]:
    """IDF of each word over the indexed nodes: rare words weigh more."""
    if not words:
        return {}
    total, counts = document_frequencies(store, words)
    return {word: math.log(1 + (total + 1) / (counts.get(word, 0) + 1)) for word in words}


def _word_pairs(words: list[str]) -> list[Term]:
    """Each two neighbouring words of a question as one phrase, in both orders."""
    pairs: list[Term] = []
    for first, second in zip(words, words[1:], strict=False):
        for phrase in (first + second, second + first):
            tokens = tuple(search_tokens(fold_for_search(phrase)))
            if tokens and all(tokens != known.tokens for known in pairs):
                pairs.append(Term(phrase, tokens))
    return pairs


def candidate_nodes(store: Store, question: Question, limit: int = CANDIDATE_NODES) -> list[StoredNode]:
    """The nodes the full-text index ranks highest: first those holding every word, then those holding any."""
    terms: list[Term] = []
    groups: list[tuple[Term, ...]] = []
    for word in [*question.words, *([question.entity] if question.entity else [])]:
        group = []
        for variant in variants(word):
            tokens = tuple(search_tokens(fold_for_search(variant)))
            if tokens and all(tokens != known.tokens for known in terms):
                term = Term(variant, tokens)
                terms.append(term)
                group.append(term)
        if group:
            groups.append(tuple(group))
    if not terms:
        return []
    ids: list[str] = []
    if len(groups) > 1:
        every = Query(source=question.text, groups=tuple(groups))
        ids = [hit.id for hit in search(store, every, limit=limit // 2, best_match=False).hits]
        # Two of the question's words printed together, in either order (设立平顶山市 for 平顶山市是哪一年设立的):
        # where a common word makes the nodes holding every word too many for BM25 to find the one.
        together = _word_pairs(question.words)
        if together:
            query = Query(source=question.text, groups=(tuple(together),))
            ids += [hit.id for hit in search(store, query, limit=PAIRED, best_match=False).hits if hit.id not in ids]
    # Any word may match: BM25 adds up each word's score, so a short node holding one rare word outranks the
    # passage holding most of them; a larger pool is ranked again by the best passage's share of the words.
    frequencies = document_frequencies(store, [term.text for term in terms])
    any_word = without_common_terms(Query(source=question.text, groups=(tuple(terms),)), frequencies)
    pool = search(store, any_word, limit=ANY_WORD_POOL, best_match=False).hits
    for hit in reranked(store, pool, any_word, frequencies)[: limit // 2]:
        if hit.id not in ids:
            ids.append(hit.id)
    nodes = store.nodes_by_id(ids)
    return [nodes[node_id] for node_id in ids if node_id in nodes and nodes[node_id].kind not in _SKIPPED_KINDS]


_SENTENCES: OrderedDict[tuple[str, str, int, int], list[Sentence]] = OrderedDict()
_CACHE_SIZE = 2000


def sentences_of(store: Store, node: StoredNode) -> list[Sentence]:
    """A node cut into sentences from its raw lines, each knowing its line range and page."""
    pages = printed_pages(store, node.volume)
    key = (node.volume, node.id, node.line_start, node.line_end)
    if key in _SENTENCES:
        _SENTENCES.move_to_end(key)
        return _SENTENCES[key]
    lines = store.source_lines(node.volume, node.line_start, node.line_end)
    text_parts: list[str] = []
    owners: list[int] = []
    for offset, raw in enumerate(lines):
        squeezed = squeeze_spaces(raw)
        if not squeezed:
            continue
        if text_parts and _starts_block(squeezed) and not _SENTENCE_END.match(text_parts[-1][-1:]):
            text_parts.append("\n")
            owners.append(node.line_start + offset)
        text_parts.append(squeezed)
        owners.extend([node.line_start + offset] * len(squeezed))
    text = "".join(text_parts)
    path = " ".join(step.get("title") or "" for step in node.path)
    context = fold_characters(squeeze_spaces(f"{path} {node.title or ''}"))
    found: list[Sentence] = []
    for piece_start, piece_end, sentence_end in _pieces(text):
        piece = text[piece_start:piece_end].strip()
        if len(piece) < 2:
            continue
        first = piece_start + (len(text[piece_start:piece_end]) - len(text[piece_start:piece_end].lstrip()))
        last = first + len(piece) - 1
        found.append(
            Sentence(
                node=node,
                text=piece,
                folded=fold_characters(piece),
                line_start=owners[first],
                line_end=owners[last],
                page=pages.page_of(owners[first], node.page),
                context=context,
                lead="",
                whole=text[piece_start:sentence_end].strip(),
            )
        )
    lead = found[0].folded[:40] if found else ""
    for sentence in found:
        sentence.lead = lead
    _SENTENCES[key] = found
    while len(_SENTENCES) > _CACHE_SIZE:
        _SENTENCES.popitem(last=False)
    return found


_BLOCK_START = re.compile(
    r"^(?:【|第[一二三四五六七八九十百\d]+[条章节部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])"
)


def _starts_block(line: str) -> bool:
    """A line opening an entry, an article, a numbered part (（一）), not one that wraps on with （鸡）、…."""
    return _BLOCK_START.match(line) is not None


def _pieces(text: str) -> list[tuple[int, int, int]]:
    """Sentence boundaries: after 。！？； and at block breaks, long runs cut again at commas.

    Each piece is (start, end, end of the whole sentence it was cut from).
    """
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"[。！？!?]|\n", text):
        pieces.append((start, match.end()))
        start = match.end()
    if start < len(text):
        pieces.append((start, len(text)))
    cut: list[tuple[int, int, int]] = []
    for begin, end in pieces:
        while end - begin > MAX_SENTENCE:
            semicolon = text.rfind("；", begin + MAX_SENTENCE // 3, begin + MAX_SENTENCE)
            comma = text.rfind("，", begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
            pause = text.rfind("、", begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
            mark = semicolon if semicolon > begin else comma if comma > begin else pause
            split = mark + 1 if mark > begin else begin + MAX_SENTENCE
            cut.append((begin, split, end))
            begin = split
        cut.append((begin, end, end))
    return cut


def coverage(sentence: Sentence, words: list[str], weights: dict[str, float]) -> tuple[float, list[str]]:
    """The share of the question's weight a sentence holds; words only in its headings or lead count half."""
    total = sum(weights.get(word, 1.0) for word in words)
    if not total:
        return 0.0, []
    got = 0.0
    matched = []
    for word in words:
        weight = weights.get(word, 1.0)
        if contains(sentence.folded, word):
            got += weight
            matched.append(word)
        elif contains(sentence.context, word) or contains(sentence.lead, word):
            got += weight * CONTEXT_WEIGHT
        elif _in_pair(word, sentence.folded):
            got += weight * SOFT_MATCH
        elif len(word) >= 3:
            got += weight * soft_share(word, sentence.folded)
    return got / total, matched


def _in_pair(word: str, text: str) -> bool:
    """Whether a text prints a word standing for it and another (农村 in 城乡低保标准)."""
    return any(
        compound in text and any(word in member for member in members)
        for compound, members in question_vocabulary()["paired_compounds"].items()
    )


def fits_place(sentence: Sentence, question: Question, vocabulary: Vocabulary) -> bool:
    """Whether a sentence is about the question's place: the one asked for, or the corpus's own when none is."""
    where = f"{sentence.context} {sentence.lead} {sentence.folded}"
    if question.entity:
        stem = vocabulary.place_stem(question.entity)
        return question.entity in where or stem in where
    if question.kind not in ("number", "how_many", "yes_no"):
        return True
    others = [place for place in vocabulary.places if not vocabulary.is_home(place)]
    heading = f"{sentence.context} {sentence.lead[:12]}"
    return not any(place in heading for place in others)


def _proximity(sentence: Sentence, words: list[str], weights: dict[str, float]) -> float:
    runs = keyword_runs(sentence.folded, words, weights)
    total = sum(weights.get(word, 1.0) for word in words)
    return runs[0][2] / total if runs and total else 0.0


def _placement(sentence: Sentence, question: Question, vocabulary: Vocabulary) -> float:
    """1 when the question's place heads the sentence, its entry or its section; less when it comes only later."""
    if not question.entity:
        return 1.0
    names = (question.entity, vocabulary.place_stem(question.entity))
    if any(name in sentence.context or name in sentence.lead for name in names):
        return 1.0
    positions = [sentence.folded.find(name) for name in names if name in sentence.folded]
    first_word = min(
        (sentence.folded.find(word) for word in question.words if word in sentence.folded and word not in names),
        default=-1,
    )
    if positions and (first_word < 0 or min(positions) <= first_word):
        return 1.0
    return PLACE_AFTER


def fits_period(sentence: Sentence, question: Question, covered_years: set[str]) -> bool:
    """Whether a sentence is about the question's year: printed in it, or implied by the entry or the volume."""
    if not question.period:
        return True
    years = set(_YEAR.findall(sentence.folded))
    if question.period in years:
        return True
    if years:
        return False
    lead_years = set(_YEAR.findall(sentence.lead))
    if lead_years and any(word in sentence.folded for word in _NEXT_YEAR):
        return question.period in {str(int(year) + 1) for year in lead_years}  # 明年…预期目标, said in 2023
    if lead_years:
        return question.period in lead_years
    asks_target = any(word in question.text for word in question_vocabulary()["forecast_words"])
    if covered_years and asks_target and question.kind in ("number", "how_many"):
        # a target is set for the year after the one reported on (明年经济增长预期目标定为6.5%); whether it was met
        # (2024年实现了…目标吗) that year's volume tells
        return question.period in covered_years | {str(int(max(covered_years)) + 1)}
    return question.period in covered_years


_NEXT_YEAR = ("明年", "来年")
_ORDINAL = re.compile(r"第([一二三四五六七八九十百零〇\d]+)([届次期批])")


def fits_ordinal(sentence: Sentence, question: Question) -> bool:
    """Whether a sentence is about the session asked (第二届…大赛): not one printing another of its kind (第一届)."""
    for number, classifier in _ORDINAL.findall(question.text):
        printed = {found for found, kind in _ORDINAL.findall(sentence.folded) if kind == classifier}
        if printed and number not in printed:
            return False
    return True


def covered_years(store: Store, volume_id: str) -> set[str]:
    """The years a volume reports on: a yearbook of 2024 the year 2023, a gazette its own year and the one before."""
    volume = store.volume(volume_id)
    if not volume.year:
        return set()
    if volume.kind == "yearbook":
        return {str(volume.year - 1)}
    return {str(volume.year - 1), str(volume.year)}


def ranked_sentences(
    store: Store, question: Question, vocabulary: Vocabulary, weights: dict[str, float]
) -> list[Sentence]:
    """Sentences of the candidate nodes that fit the question's place and year, best covered first."""
    nodes = candidate_nodes(store, question)
    words = question.words
    years: dict[str, set[str]] = {}
    seen: set[tuple[str, int, str]] = set()
    found: list[Sentence] = []
    for node in nodes:
        if node.volume not in years:
            years[node.volume] = covered_years(store, node.volume)
        for sentence in sentences_of(store, node):
            key = (sentence.node.volume, sentence.line_start, sentence.folded)
            if key in seen or not any(contains(sentence.folded, word) for word in words):
                continue
            seen.add(key)
            if (
                not fits_place(sentence, question, vocabulary)
                or not fits_period(sentence, question, years[node.volume])
                or not fits_ordinal(sentence, question)
            ):
                continue
            sentence.score, sentence.matched = coverage(sentence, words, weights)
            sentence.score *= _placement(sentence, question, vocabulary) * (
                1 - PROXIMITY + PROXIMITY * _proximity(sentence, words, weights)
            )
            found.append(sentence)
    found.sort(key=lambda sentence: -sentence.score)
    return found


def citation_of(sentence: Sentence, volume_title: str | None = None) -> AnswerCitation:
    node = sentence.node
    return AnswerCitation(
        volume=node.volume,
        node=node.id,
        title=titled_ancestor(node)[1],
        page=sentence.page,
        line_start=sentence.line_start,
        line_end=sentence.line_end,
        quote=sentence.text,
        volume_title=volume_title,
    )


def titled_ancestor(node: StoredNode) -> tuple[str, str | None]:
    """(id, title) of what a quote from ``node`` is cited under: the node itself if titled, else its nearest titled ancestor."""
    if node.title:
        return node.id, node.title
    for step in reversed(node.path):
        if step.get("title"):
            return step["id"], step["title"]
    return node.id, None
