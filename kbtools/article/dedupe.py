"""Search before you create: score a new write-up against every existing article.

Two signals, both weighted by how rare their words are in this KB (TF-IDF):

- text: title, problem and cause words (stemmed, shorthand expanded, digit-bearing words
  dropped), as the share of the shorter text that the other covers;
- errors: the words of each error line with its variable parts masked (timestamps, ids,
  IPs, numbers, URLs, paths, placeholders, log levels, `key=value` context), best line pair.

`combine` lets the same whole error message weigh heavily and a shared root error alone
weigh little. Weights and the default threshold (0.45) were tuned on the labelled set in
tests/fixtures/dedupe; `benchmarks/dedupe_quality.py` prints its scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kbtools.article.store import StoredArticle, read_articles
from kbtools.match.weights import ErrorIndex, Vectorizer
from kbtools.match.words import error_words, tokens

SHORT_FLOOR = 0.35
ERROR_WEIGHT = 0.6
"""How much of the gap left by the text an identical error message closes (see combine)."""
ERROR_POWER = 3.0
"""Error similarity is cubed: one shared root error ("no space left on device") is weak
evidence, the same whole message (variable parts masked) is strong."""
_META_LINE_RE = re.compile(r"^(id|title|summary):[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_SECTION_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FENCE_BLOCK_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})[^\n]*\n(.*?)^\s{0,3}\1\s*$", re.S | re.M)

try:  # libyaml makes reading 2,000 front matters ~10x faster
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Candidate:
    """An existing article that may already cover the write-up."""

    id: str
    path: str
    score: float
    title: str = ""
    parts: tuple[float, float | None] = field(default=(0.0, None), compare=False)
    """Text and error similarity behind the score (for tuning; not shown to users)."""


@dataclass
class Entry:
    """The comparable parts of one article."""

    id: str
    path: Path
    title: str
    problem: str
    errors: list[str] = field(default_factory=list)


def entry_from_text(path: Path, front_matter: str, body: str) -> Entry | None:
    """Title, problem and error lines of an article file (None without an id or title)."""
    meta = _quick_meta(front_matter)
    if not meta.get("title"):
        return None
    sections = split_sections(body)
    problem = " ".join(
        filter(
            None,
            [
                str(meta.get("summary") or ""),
                sections.get("problem", ""),
                sections.get("question", ""),
                sections.get("cause", ""),
            ],
        )
    )
    errors = [
        line
        for block in _FENCE_BLOCK_RE.finditer(sections.get("error messages", ""))
        for line in block.group(2).splitlines()
        if line.strip()
    ]
    return Entry(str(meta.get("id") or ""), path, str(meta["title"]), problem, errors)


def _quick_meta(front_matter: str) -> dict[str, str]:
    """`id`, `title` and `summary` without a full YAML parse (top-level one-line scalars)."""
    meta: dict[str, str] = {}
    for key, raw in _META_LINE_RE.findall(front_matter):
        value = raw
        if (
            not raw
            or raw[:1] in (">", "|", "&", "!")
            or (raw[:1] in ("'", '"') and (len(raw) < 2 or raw[-1] != raw[0]))
        ):
            # A block scalar or a value over several lines: parse this file's YAML properly.
            return _full_meta(front_matter)
        if raw[:1] in ("'", '"'):
            try:
                loaded = yaml.load(raw, Loader=_Loader)
            except yaml.YAMLError:
                loaded = raw.strip("'\"")
            value = str(loaded)
        elif " #" in raw:
            value = raw.split(" #", 1)[0].rstrip()
        meta.setdefault(key, value)
    return meta


def _full_meta(front_matter: str) -> dict[str, str]:
    try:
        data = yaml.load(front_matter, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(data[k]) for k in ("id", "title", "summary") if data.get(k) is not None}


def split_sections(body: str) -> dict[str, str]:
    """H2 sections of a body by lower-case name."""
    result: dict[str, str] = {}
    matches = list(_SECTION_RE.finditer(body))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        result[match.group(1).strip().lower()] = body[match.end() : end]
    return result


def load_entries(
    articles_dir: Path, stored_articles: Iterable[StoredArticle] | None = None
) -> list[Entry]:
    """Every article under the KB folder that has a title (from `stored_articles` if given)."""
    entries: list[Entry] = []
    folder = articles_dir.resolve()
    if stored_articles is None:
        stored_articles = read_articles(articles_dir)
    for stored in stored_articles:
        if folder not in stored.path.resolve().parents:
            continue
        entry = entry_from_text(stored.path, stored.front_matter, stored.body)
        if entry is not None:
            entries.append(entry)
    return entries


def _overlap(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
    """Shared weight over the weight of the shorter text (not less than SHORT_FLOOR of the longer).

    A write-up and the article it duplicates rarely have the same length: a chat thread or a
    terse note against a full article. Cosine punishes the longer text's extra detail; this
    measures how much of the shorter one the other covers. The floor keeps a two-word note
    from matching every article that contains those two words.
    """
    (va, na), (vb, nb) = a, b
    if not na or not nb:
        return 0.0
    if len(va) > len(vb):
        va, vb = vb, va
    dot = sum(v * vb.get(k, 0.0) for k, v in va.items())
    return min(1.0, dot / max(min(na, nb), SHORT_FLOOR * max(na, nb)))


def find_duplicates(
    entries: Sequence[Entry], title: str, problem: str, errors: Sequence[str], threshold: float
) -> list[Candidate]:
    """Articles scoring at or above `threshold`, best first."""
    return [c for c in score_all(entries, title, problem, errors) if c.score >= threshold]


def score_all(
    entries: Sequence[Entry], title: str, problem: str, errors: Sequence[str]
) -> list[Candidate]:
    """Every article with its similarity score (0-1), best first."""
    if not entries:
        return []
    title_words = [tokens(e.title) for e in entries]
    problem_words = [tokens(e.problem) for e in entries]
    new_problem_words = tokens(f"{title} {problem}")
    vectorizer = Vectorizer(
        [new_problem_words, *(t + p for t, p in zip(title_words, problem_words, strict=True))]
    )
    new_text = vectorizer.vector(new_problem_words)
    new_errors = [w for w in (error_words(line) for line in errors) if w]
    old_errors = [[w for w in (error_words(line) for line in e.errors) if w] for e in entries]
    index = ErrorIndex([new_errors, *old_errors])
    results: list[Candidate] = []
    for entry, t_words, p_words, e_words in zip(
        entries, title_words, problem_words, old_errors, strict=True
    ):
        text = _overlap(new_text, vectorizer.vector(t_words + p_words))
        error = index.similarity(new_errors, e_words) if new_errors and e_words else None
        score = text if error is None else combine(text, error)
        parts = (round(text, 3), None if error is None else round(error, 3))
        results.append(
            Candidate(entry.id, entry.path.as_posix(), round(score, 3), entry.title, parts)
        )
    results.sort(key=lambda c: (-c.score, c.id))
    return results


def combine(text: float, error: float) -> float:
    """One score from the text similarity and the best error-line similarity.

    The error evidence fills part of what the text leaves: the same whole error message
    lifts a 0.3 text match to 0.72, a half-shared one (0.5) barely moves it.
    Tuned on tests/fixtures/dedupe (benchmarks/dedupe_quality.py).
    """
    return text + ERROR_WEIGHT * (1 - text) * math.pow(error, ERROR_POWER)
