"""Score the units of an index for a query: error-line signatures first, then words.

For each query line and each document line sharing a rare word with it (weights are IDF
squared, as in a cosine):

    line score = (shared / query line) ** q  *  (shared / document line) ** d
                 * strength(shared)  *  kind weight  *  query line weight

`strength` keeps a two-word match of common words ("connection refused") from counting as
much as a whole message: it reaches 1 when the shared words weigh as much as
`strength_words` words no unit holds. A unit's error score is its best line score plus a
bonus for the best line matching another query line; its text score is BM25 over the unit's
words (headings count more), divided by the most the query could score.

The text score is the base and the error score a boost on it (`text_weight` 1,
`error_weight` 0.2): weighting the error match higher put the answer in the top 3 for 87%
of the set it was tuned on but for 55% of pastes written later (benchmarks/RESULTS.md), so
the weights are chosen by cross-validation over both labelled sets
(benchmarks/triage_weights.py). They live in
`rules.json` (`ranking`), which a port of this module in another language reads too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from kbtools.match import rules as rules_module
from kbtools.match.index import Index
from kbtools.match.kinds import LINE_KINDS, is_command
from kbtools.match.words import LEVEL_WORDS, error_sequence, message, text_words

_CHAIN_MIN_WORDS = 2
_QUESTION_RE = re.compile(r"\?\s*$|^(?:how|why|what|can|when|where|which|is|does|do)\b", re.I)


@dataclass(frozen=True)
class QueryLine:
    """A line of the query compared as an error line, with how much it counts."""

    text: str
    words: tuple[str, ...]
    """The compared words in line order, each once."""
    weight: float
    error: bool = True
    """False for a line that does not look like an error (a single shared word is weak)."""
    root: tuple[str, ...] = ()
    """The words of the last link of a wrapped message, when the line has several links."""


@dataclass(frozen=True)
class LineMatch:
    """A query line, the document line it matched, and the shared words (stems)."""

    query: str
    line: str
    line_number: int
    kind: str
    terms: tuple[str, ...]
    score: float


@dataclass
class Scored:
    """One unit's score and the evidence behind it."""

    unit: int
    score: float
    error: float = 0.0
    text: float = 0.0
    evidence: list[LineMatch] = field(default_factory=list)
    text_terms: tuple[str, ...] = ()
    confidence: float = 0.0
    """The score without the page prior (relative to the best page, so no evidence of
    its own): what the threshold compares."""


@dataclass(frozen=True)
class Facts:
    """What the query says about the environment (tie-breakers)."""

    versions: tuple[str, ...] = ()
    deployment: tuple[str, ...] = ()


def query_lines(lines: Sequence[str], is_error: Sequence[bool]) -> list[QueryLine]:
    """The lines of a query worth comparing, each wrapped message also cut at its chain points.

    Stack frames are dropped; a line repeated (equal once masked) counts once.
    """
    rules = rules_module.load()
    ranking = rules.ranking
    weights = ranking["query_line"]
    frame_patterns = rules.patterns("frame")
    chain = rules.pattern("chain")
    seen: set[frozenset[str]] = set()
    result: list[QueryLine] = []
    for raw, error in zip(lines, is_error, strict=True):
        text = " ".join(message(raw).split())
        if not text or any(p.search(text) for p in frame_patterns):
            continue
        if is_command(text):
            weight = weights["command"]
        else:
            weight = weights["error"] if error else weights["other"]
        candidates = [(text, weight)]
        for match in chain.finditer(text):
            rest = text[match.end() :]
            candidates.append((rest, weight * weights["suffix"]))
        # The last link of a wrapped error is its root cause: a documented line that
        # explains the wrapper but not the root is another error.
        root: tuple[str, ...] = ()
        for candidate, _ in reversed(candidates):
            root = error_sequence(candidate, names=True)
            if len(root) >= _CHAIN_MIN_WORDS:
                break
        for candidate, candidate_weight in candidates:
            words = error_sequence(candidate, names=True)
            if len(words) < _CHAIN_MIN_WORDS and candidate is not text:
                continue
            if not words or frozenset(words) in seen:
                continue
            seen.add(frozenset(words))
            line_root = root if set(root) <= set(words) and len(root) < len(words) else ()
            result.append(QueryLine(candidate, words, candidate_weight, error, line_root))
        if len(result) >= ranking["max_query_lines"]:
            break
    return result


def query_words(lines: Sequence[str]) -> list[str]:
    """The prose words of a query: its lines' messages (`message`), every word, log levels out.

    Nothing is masked (`words.text_words`): a pasted host, path or number is a word no page
    holds, or one a page names (`argocd-repo-server`, `413`).
    """
    result: list[str] = []
    for line in lines:
        result.extend(w for w in text_words(message(line)) if w not in LEVEL_WORDS)
    return result


def rank(
    index: Index,
    lines: Sequence[QueryLine],
    words: Sequence[str],
    facts: Facts = Facts(),
) -> list[Scored]:
    """Every unit with any evidence, best first."""
    ranking = rules_module.load().ranking
    errors = _error_scores(index, lines, ranking)
    texts, text_terms = _text_scores(index, words, ranking)
    titles = _title_scores(index, words, ranking)
    results: list[Scored] = []
    error_weight, text_weight = ranking["error_weight"], ranking["text_weight"]
    title_weight = ranking["title_weight"]
    error_power = ranking["error_power"]
    # The page around a section: words spread over its sections still say it is the page.
    pages: dict[str, float] = {}
    for unit, value in texts.items():
        path = index.units[unit][0]
        pages[path] = pages.get(path, 0.0) + value
    page_top = max(pages.values(), default=0.0) or 1.0
    page_weight = ranking["page_weight"]
    scale = ranking["score_scale"]
    for unit in set(errors) | set(texts):
        matches = errors.get(unit, [])
        error = 0.0
        if matches:
            error = matches[0].score
            if len(matches) > 1:
                error += ranking["second_line_bonus"] * matches[1].score
        text = texts.get(unit, 0.0)
        title = titles.get(unit, 0.0)
        confidence = (
            error_weight * min(error, 1.0) ** error_power
            + text_weight * text
            + title_weight * title
        )
        confidence += _agreement(index, unit, facts, ranking)
        if _QUESTION_RE.search(index.units[unit][2]):
            # A heading that asks the reader's question (FAQ entries): the shape of an answer.
            confidence += ranking["question_bonus"]
        score = confidence + page_weight * pages.get(index.units[unit][0], 0.0) / page_top
        # On a 0-1 scale: a whole documented message with its words and title is near 1.
        score, confidence = score / scale, confidence / scale
        results.append(
            Scored(
                unit,
                score,
                error,
                text,
                matches[:2],
                tuple(text_terms.get(unit, ())),
                confidence,
            )
        )
    results.sort(key=lambda s: (-s.score, index.units[s.unit][0], s.unit))
    return results


def _error_scores(
    index: Index, lines: Sequence[QueryLine], ranking: dict[str, Any]
) -> dict[int, list[LineMatch]]:
    """Per unit, its best line match per query line, best first."""
    kind_weight = [ranking["line_kind"][kind] for kind in LINE_KINDS]
    q_power, d_power = ranking["query_coverage_power"], ranking["doc_coverage_power"]
    unseen = index.unseen * ranking["unseen_query_weight"]
    reference = ranking["strength_words"] * index.unseen**2
    strength_power = ranking["strength_power"]
    single_word = ranking["single_word"]
    order_weight = ranking["order_weight"]
    root_power = ranking["root_power"]
    line_floor = ranking["line_floor"]
    # One shared word is weak evidence, unless the query line is about little more than
    # that word and few units hold it (`OOMKilled`).
    rare_single = (ranking["rare_single_word"] * index.unseen) ** 2
    cap = max(1, int(ranking["candidate_share"] * index.unit_count))
    per_unit: dict[int, dict[int, LineMatch]] = {}
    term_ids, idf = index.term_ids, index.idf
    for query_number, query in enumerate(lines):
        weights: dict[int, float] = {}
        query_norm = 0.0
        rare: list[tuple[float, int]] = []
        for word in query.words:
            number = term_ids.get(word)
            if number is None:
                query_norm += unseen**2
                continue
            weight = idf[number] ** 2
            weights[number] = weight
            query_norm += weight
            rare.append((-weight, number))
        if not weights:
            continue
        rare.sort()
        root = {term_ids[w] for w in query.root if w in term_ids}
        root_norm = sum(weights[w] for w in root) + unseen**2 * sum(
            1 for w in query.root if w not in term_ids
        )
        sequence = [term_ids.get(w, -1) for w in query.words]
        pairs = set(pairwise(sequence))
        candidates: set[int] = set()
        for position, (_, number) in enumerate(rare):
            postings = index.line_postings(number)
            # Words most units hold only find candidates when nothing rarer does.
            if position and len(postings) > cap * 4:
                break
            candidates.update(postings)
        for line in candidates:
            line_words = index.line_words(line)
            shared_terms = [w for w in line_words if w in weights]
            shared = sum(weights[w] for w in shared_terms)
            norm = index.line_norm[line]
            if not shared or not norm:
                continue
            strength = min(1.0, shared / reference) ** strength_power
            if len(shared_terms) < 2 and not (len(query.words) <= 2 and shared >= rare_single):
                strength *= single_word
            score = (
                (shared / query_norm) ** q_power
                * (shared / norm) ** d_power
                * strength
                * kind_weight[index.line_kind[line]]
                * query.weight
            )
            unit = index.line_unit[line]
            best = per_unit.setdefault(unit, {})
            previous = best.get(query_number)
            # Word order and the root cause only lower a score: skip what cannot count.
            if score < line_floor or (previous is not None and score <= previous.score):
                continue
            if len(shared_terms) > 1:
                score *= _order(pairs, line_words, order_weight)
            if root_norm:
                covered = sum(weights[w] for w in shared_terms if w in root)
                score *= (covered / root_norm) ** root_power
            if previous is None or score > previous.score:
                best[query_number] = LineMatch(
                    query.text,
                    index.line_text(line),
                    index.line_number[line],
                    LINE_KINDS[index.line_kind[line]],
                    tuple(index.terms[w] for w in shared_terms),
                    score,
                )
    result: dict[int, list[LineMatch]] = {}
    for unit, by_query in per_unit.items():
        if not by_query:
            continue
        matches = sorted(by_query.values(), key=lambda m: -m.score)
        # A second query line only adds evidence when it matched another document line.
        distinct = [matches[0]] + [m for m in matches[1:] if m.line != matches[0].line]
        result[unit] = distinct
    return result


def _order(pairs: set[tuple[int, int]], words: Sequence[int], weight: float) -> float:
    """1 when the shared words come in the same order, down to `1 - weight` when none do.

    Counted on adjacent pairs of compared words: "password authentication failed for user"
    against a settings comment that holds "user" and "password" far apart.
    """
    line_pairs = list(pairwise(words))
    if not pairs or not line_pairs:
        return 1.0
    same = sum(1 for pair in line_pairs if pair in pairs)
    share = min(1.0, same / min(len(pairs), len(line_pairs)))
    return 1 - weight + weight * share


def _text_scores(
    index: Index, words: Sequence[str], ranking: dict[str, Any]
) -> tuple[dict[int, float], dict[int, list[str]]]:
    """BM25 of each unit over the query words, as a share of the most the query can score."""
    k1, b = ranking["bm25_k1"], ranking["bm25_b"]
    unseen = index.unseen * ranking["unseen_query_weight"]
    average = index.average_length
    lengths = index.unit_length
    scores: dict[int, float] = {}
    terms: dict[int, list[str]] = {}
    most = 0.0
    for word in dict.fromkeys(words[: ranking["max_query_words"]]):
        number = index.term_ids.get(word)
        if number is None:
            most += unseen * (k1 + 1)
            continue
        weight = index.idf[number]
        most += weight * (k1 + 1)
        postings = index.unit_postings(number)
        for position in range(0, len(postings), 2):
            unit, tf = postings[position], postings[position + 1]
            if not tf:
                continue
            norm = k1 * (1 - b + b * lengths[unit] / average)
            scores[unit] = scores.get(unit, 0.0) + weight * tf * (k1 + 1) / (tf + norm)
            terms.setdefault(unit, []).append(word)
    if not most:
        return {}, {}
    # A query of two words cannot be well covered by chance alone: its share is scaled by
    # how much it says (the weight of `text_strength_words` words no unit holds).
    strength = min(1.0, most / ((k1 + 1) * index.unseen * ranking["text_strength_words"]))
    return {unit: strength * min(1.0, s / most) for unit, s in scores.items()}, terms


def _title_scores(index: Index, words: Sequence[str], ranking: dict[str, Any]) -> dict[int, float]:
    """How much of each unit's own title the query says, and how much that is.

    "How to rotate Redis secret?" for a paste about the `argocd-redis` secret: the share of
    the title's weight the query holds, times a strength that reaches 1 when the shared
    words weigh `title_strength_words` words no unit holds.
    """
    shared: dict[int, float] = {}
    for word in dict.fromkeys(words[: ranking["max_query_words"]]):
        number = index.term_ids.get(word)
        if number is None:
            continue
        weight = index.idf[number]
        for unit in index.title_postings(number):
            shared[unit] = shared.get(unit, 0.0) + weight
    reference = ranking["title_strength_words"] * index.unseen
    power = ranking["title_power"]
    result: dict[int, float] = {}
    for unit, value in shared.items():
        norm = index.title_norm[unit]
        if norm:
            result[unit] = (value / norm) ** power * min(1.0, value / reference)
    return result


def _agreement(index: Index, unit: int, facts: Facts, ranking: dict[str, Any]) -> float:
    """A small bonus when the unit names the query's version or deployment (ties)."""
    row = index.units[unit]
    bonus = 0.0
    versions, deployment = row[7], row[8]
    if facts.versions and versions and _versions_agree(facts.versions, versions):
        bonus += ranking["version_bonus"]
    if facts.deployment and deployment and set(facts.deployment) & set(deployment):
        bonus += ranking["deployment_bonus"]
    return bonus


def _versions_agree(query: Sequence[str], documented: Sequence[str]) -> bool:
    """True when a query version equals a documented one, or shares its minor release."""
    minors = {".".join(v.split(".")[:2]) for v in documented}
    return any(v in documented or ".".join(v.split(".")[:2]) in minors for v in query)


def round_score(value: float) -> float:
    """Scores as reported: three decimals, at most 1."""
    return round(min(1.0, max(0.0, value)), 3) if not math.isnan(value) else 0.0
