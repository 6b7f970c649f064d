"""Search before you create: score a new write-up against every existing article.

Title, problem and error messages are compared after masking variable parts (timestamps,
ids, IPs, numbers), as TF-IDF cosine similarities over the whole KB, so words every
article uses count little and a shared error message counts a lot.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kbtools.article.store import StoredArticle, read_articles

WEIGHTS = {"title": 0.3, "problem": 0.3, "errors": 0.4}
_WORD_RE = re.compile(r"<[a-z]+>|[a-z0-9][a-z0-9_.-]*[a-z0-9]|[a-z0-9]")
_STOPWORDS_TEXT = """
    a an and are as at be been but by can could did do does for from had has have how i if
    in into is it its not of on or our that the their them then there these they this to
    was we were what when where which while who why will with would you your after before
    all any also because no so than too very up out over under again just only"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_DIGIT_RE = re.compile(r"\d")
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


@dataclass
class Entry:
    """The comparable parts of one article."""

    id: str
    path: Path
    title: str
    problem: str
    errors: list[str] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words; words holding digits (ids, times, IPs) are masked.

    Dropping digit-bearing words is the cheap equivalent of `extract.mask` for prose, and
    keeps scoring 2,000 articles well under a second.
    """
    return [
        _stem(w)
        for w in _WORD_RE.findall(text.lower())
        if w not in STOPWORDS and not _DIGIT_RE.search(w)
    ]


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light suffix strip so "searches", "searching" and "search" compare equal."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith(("ies",)):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2] if not word.endswith("eed") else word
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


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


class _Vectorizer:
    """TF-IDF weights learnt from the KB itself."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for words in documents:
            frequency.update(set(words))
            count += 1
        self.count = count
        self.frequency = frequency

    def vector(self, words: Sequence[str]) -> dict[str, float]:
        counts = Counter(words)
        vector = {
            # Smoothed IDF (never zero), so a KB of one article still compares sensibly.
            word: (1 + math.log(n))
            * (1 + math.log((self.count + 1) / (self.frequency.get(word, 0) + 1)))
            for word, n in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {word: v / norm for word, v in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


_DIGIT_WORD_RE = re.compile(r"[\w.:/-]*\d[\w.:/-]*")


def signature(line: str) -> str:
    """An error line with every digit-bearing word (times, ids, IPs, sizes) removed.

    One regular expression instead of the full `extract.mask` table: 2,000 articles are
    compared within the time budget, and two reports of one error still compare equal.
    """
    return " ".join(_DIGIT_WORD_RE.sub(" ", line.lower()).split())


_CLAUSE_SPLIT_RE = re.compile(r""": |\b(?:err|error|msg)=|["'\\]""")
CLAUSE_SCORE = 0.9
"""Similarity when two error lines end in the same root error ("no space left on device")."""


def root_clauses(line: str) -> frozenset[str]:
    """The innermost error texts of a log line: what is left after the last `: ` or `err=`.

    Go-style errors wrap causes as `op: op: cause`; two reports of one failure from
    different services or formats share the cause even when the prefixes differ.
    """
    parts = [" ".join(tokens(p)) for p in _CLAUSE_SPLIT_RE.split(line.lower())]
    return frozenset(p for p in parts[-3:] if len(p.split()) >= 3)


@dataclass(frozen=True)
class _ErrorSet:
    signatures: frozenset[str]
    clauses: frozenset[str]
    word_sets: tuple[frozenset[str], ...]


def _error_set(lines: Sequence[str]) -> _ErrorSet:
    return _ErrorSet(
        frozenset(signature(line) for line in lines),
        frozenset(c for line in lines for c in root_clauses(line)),
        tuple(frozenset(tokens(line)) for line in lines),
    )


def _error_similarity(new: _ErrorSet, old: list[str]) -> float:
    """1.0 when one error line is shared (variable parts aside); else the best word overlap."""
    if not new.signatures or not old:
        return 0.0
    old_set = _error_set(old)
    if new.signatures & old_set.signatures:
        return 1.0
    best = CLAUSE_SCORE if new.clauses & old_set.clauses else 0.0
    for words in new.word_sets:
        for other in old_set.word_sets:
            union = words | other
            if union:
                best = max(best, len(words & other) / len(union))
    return best


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
    new_title_words = tokens(title)
    new_problem_words = tokens(f"{title} {problem}")
    vectorizer = _Vectorizer(
        [new_problem_words, *(t + p for t, p in zip(title_words, problem_words, strict=True))]
    )
    new_title = vectorizer.vector(new_title_words)
    new_problem = vectorizer.vector(new_problem_words)
    new_errors = _error_set(list(errors))
    results: list[Candidate] = []
    for entry, t_words, p_words in zip(entries, title_words, problem_words, strict=True):
        scores = {
            "title": _cosine(new_title, vectorizer.vector(t_words)),
            "problem": _cosine(new_problem, vectorizer.vector(t_words + p_words)),
        }
        weights = dict(WEIGHTS)
        if new_errors.signatures and entry.errors:
            scores["errors"] = _error_similarity(new_errors, entry.errors)
        else:
            del weights["errors"]
        total = sum(weights.values())
        score = sum(scores[k] * w for k, w in weights.items()) / total
        results.append(Candidate(entry.id, entry.path.as_posix(), round(score, 3), entry.title))
    results.sort(key=lambda c: (-c.score, c.id))
    return results
