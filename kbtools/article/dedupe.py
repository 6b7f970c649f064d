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

SHORT_FLOOR = 0.35
ERROR_WEIGHT = 0.6
"""How much of the gap left by the text an identical error message closes (see combine)."""
ERROR_POWER = 3.0
"""Error similarity is cubed: one shared root error ("no space left on device") is weak
evidence, the same whole message (variable parts masked) is strong."""
_WORD_RE = re.compile(r"<[a-z]+>|[a-z0-9][a-z0-9_.-]*[a-z0-9]|[a-z0-9]")
_STOPWORDS_TEXT = """
    a an and are as at be been but by can could did do does for from had has have how i if
    in into is it its not of on or our that the their them then there these they this to
    was we were what when where which while who why will with would you your after before
    all any also because no so than too very up out over under again just only"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_DIGIT_RE = re.compile(r"\d")
_NAME_WITH_DIGITS_RE = re.compile(r"[a-z]{1,6}\d{1,3}")
"""Words such as x509, oauth2, s3, sha256: names, not variable values, so they are kept."""
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


SHORT_FORMS = {
    "repo": "repository",
    "repos": "repository",
    "k8s": "kubernetes",
    "db": "database",
    "dbs": "database",
    "config": "configuration",
    "configs": "configuration",
    "conf": "configuration",
    "cert": "certificate",
    "certs": "certificate",
    "env": "environment",
    "perms": "permission",
    "mem": "memory",
    "auth": "authentication",
    "login": "log-in",
    "logins": "log-in",
    "signin": "sign-in",
}
"""Support shorthand and the word it stands for, so "repos" and "repositories" compare equal."""


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words; words holding digits (ids, times, IPs) are masked.

    Dropping digit-bearing words is the cheap equivalent of `extract.mask` for prose, and
    keeps scoring 2,000 articles well under a second.
    """
    return [t for t in map(_token, _WORD_RE.findall(text.lower())) if t]


@functools.lru_cache(maxsize=65536)
def _token(word: str) -> str:
    """The compared form of one word, or "" for a stop word or a variable value (cached)."""
    word = SHORT_FORMS.get(word, word)
    if word in STOPWORDS:
        return ""
    if _DIGIT_RE.search(word) and not _NAME_WITH_DIGITS_RE.fullmatch(word):
        return ""
    return _stem(word)


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light suffix strip so "searches", "searching" and "search" compare equal.

    A final "e" goes too, so "upgrade", "upgraded" and "upgrading" all become "upgrad".
    Short forms are expanded first ("repos" -> "repository").
    """
    word = SHORT_FORMS.get(word, word)
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e") and not word.endswith(("ee", "ie")):
        word = word[:-1]
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
        # Smoothed IDF (never zero), so a KB of one article still compares sensibly.
        self.idf = {word: 1 + math.log((count + 1) / (n + 1)) for word, n in frequency.items()}
        self.unseen = 1 + math.log(count + 1)

    def vector(self, words: Sequence[str]) -> tuple[dict[str, float], float]:
        """Word weights (not normalized) and their sum of squares."""
        idf, unseen = self.idf, self.unseen
        vector = {
            word: (idf.get(word, unseen) if n == 1 else (1 + math.log(n)) * idf.get(word, unseen))
            for word, n in Counter(words).items()
        }
        return vector, sum(v * v for v in vector.values())


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


_LEVEL_WORDS = frozenset(
    [
        "error",
        "eror",
        "err",
        "warn",
        "warning",
        "info",
        "debug",
        "dbug",
        "fatal",
        "panic",
        "crit",
        "critical",
        "severe",
        "level",
        "lvl",
        "msg",
        "message",
        "body",
        "severitytext",
        "timestamp",
        "ts",
        "caller",
        "component",
        "t",
    ]
)
"""Log-format words: present in every log line, so they say nothing about the error."""
_MESSAGE_KEYS = frozenset({"msg", "message", "err", "error", "body", "reason", "detail"})
"""logfmt/JSON keys whose values are the error text; other `key=value` pairs are context."""
_KV_RE = re.compile(r"""\b([A-Za-z_][\w.\-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)""")
_JSON_KV_RE = re.compile(r'"([A-Za-z_]\w*)"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}]*)')
_VARIABLE_RE = re.compile(
    r"[a-z][a-z0-9+.\-]*://\S*"  # URLs: hosts, paths and ids vary per customer
    r"|<[a-z][a-z0-9:-]*>"  # redaction placeholders: <customer>, <host-1>, <ip-2>
    r"|(?<![\w.])/[\w.\-/<>:@]+"  # file paths
    r"|[\w.:/@\-]*\d[\w.:/@\-]*",  # anything holding a digit: times, ids, IPs, sizes
    re.IGNORECASE,
)


def _mask_variable(match: re.Match[str]) -> str:
    word = match.group(0).strip(".:/@-")
    return f" {word} " if _NAME_WITH_DIGITS_RE.fullmatch(word) else " "


def error_words(line: str) -> frozenset[str]:
    """The words of an error message with its variable parts masked.

    Timestamps, ids, IPs, numbers, URLs, paths and redaction placeholders go; so do log
    levels and `key=value` context (`repo=`, `shard=`) while message values (`msg=`, `err=`,
    JSON `"Body"`) stay. Two reports of one error, from two customers, keep the same words.
    """

    def keep(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        return f" {match.group(2)} " if key in _MESSAGE_KEYS else " "

    text = _JSON_KV_RE.sub(keep, line) if line.lstrip().startswith("{") else line
    text = _KV_RE.sub(keep, text)
    text = _VARIABLE_RE.sub(_mask_variable, text.lower())
    return frozenset(
        _stem(w)
        for w in _WORD_RE.findall(text)
        if w not in STOPWORDS and w not in _LEVEL_WORDS and len(w) > 1
    )


class _ErrorIndex:
    """Inverse document frequency of error words over the KB's error lines."""

    def __init__(self, line_sets: Iterable[Iterable[frozenset[str]]]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for lines in line_sets:
            words: set[str] = set()
            for line in lines:
                words |= line
            frequency.update(words)
            count += 1
        self.count = count
        self.frequency = frequency

    def weight(self, word: str) -> float:
        return 1 + math.log((self.count + 1) / (self.frequency.get(word, 0) + 1))

    def similarity(self, new: Sequence[frozenset[str]], old: Sequence[frozenset[str]]) -> float:
        """The best IDF-weighted cosine between one new and one old error line."""
        best = 0.0
        for a in new:
            if not a:
                continue
            norm_a = math.sqrt(sum(self.weight(w) ** 2 for w in a))
            for b in old:
                shared = a & b
                if not shared:
                    continue
                norm_b = math.sqrt(sum(self.weight(w) ** 2 for w in b))
                dot = sum(self.weight(w) ** 2 for w in shared)
                best = max(best, dot / (norm_a * norm_b))
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
    new_problem_words = tokens(f"{title} {problem}")
    vectorizer = _Vectorizer(
        [new_problem_words, *(t + p for t, p in zip(title_words, problem_words, strict=True))]
    )
    new_text = vectorizer.vector(new_problem_words)
    new_errors = [w for w in (error_words(line) for line in errors) if w]
    old_errors = [[w for w in (error_words(line) for line in e.errors) if w] for e in entries]
    index = _ErrorIndex([new_errors, *old_errors])
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
