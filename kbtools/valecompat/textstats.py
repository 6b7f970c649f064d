"""Sentence segmentation, word tokens and document statistics (Punkt/prose approximations)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "no",
        "fig",
        "al",
        "approx",
        "dept",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
        "cf",
        "viz",
        "ca",
    ]
)
_BOUNDARY = re.compile(r"[.?!…]+[\"'”’)\]]*(?=\s+|$)")
_WORD = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")
_TOKEN = re.compile(r"\S+")
_LEAD = "([{\"'“‘<*_`"
_TRAIL = ".,;:!?)]}\"'”’>*_`…"


def split_sentences(text: str) -> list[str]:
    """Sentences of a block: split after . ? ! when the next word does not continue it."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        before = text[start : match.start()]
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        rest = text[end:].lstrip()
        if not rest:
            continue
        token = last_word.lower().strip(_LEAD)
        if match.group(0).startswith(".") and (
            token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or "." in token
        ):
            continue
        if rest[0].islower():
            continue
        sentences.append(text[start:end])
        start = end
    if text[start:].strip():
        sentences.append(text[start:])
    return sentences


def word_tokens(text: str) -> list[str]:
    """Words as prose's tokenizer yields them: whitespace split, edge punctuation removed."""
    words: list[str] = []
    for raw in _TOKEN.findall(text):
        word = raw.lstrip(_LEAD).rstrip(_TRAIL)
        if not any(c.isalnum() for c in word):
            continue
        for suffix in ("'s", "’s", "n't", "n’t", "'re", "'ve", "'ll", "'d", "'m"):
            if word.lower().endswith(suffix) and len(word) > len(suffix):
                word = word[: -len(suffix)]
                break
        words.append(word)
    return words


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables of an English word (vowel-group heuristic, like twine's counter)."""
    word = word.lower().strip(".,;:!?\"'()")
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    groups = re.findall(r"[aeiouy]{1,2}", word)
    return max(1, len(groups))


@dataclass(frozen=True)
class Stats:
    """Counts a metric formula can use."""

    words: float
    sentences: float
    paragraphs: float
    characters: float
    syllables: float
    long_words: float
    polysyllabic_words: float
    complex_words: float


def summarize(text: str) -> Stats:
    """Document statistics of the summary text (paragraphs separated by blank lines)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text)]
    sentence_count = 0
    words: list[str] = []
    for paragraph in paragraphs:
        if paragraph.strip():
            sentence_count += len(split_sentences(paragraph.strip()))
        words.extend(_WORD.findall(paragraph))
    words = [w for w in words if any(c.isalnum() for c in w)]
    syl = [syllables(w) for w in words]
    poly = [w for w, s in zip(words, syl, strict=True) if s > 2]
    complex_words = [
        w
        for w in poly
        if not w[:1].isupper() and not re.search(r"(?:es|ed|ing)$", w) and "-" not in w
    ]
    return Stats(
        words=float(len(words)),
        sentences=float(sentence_count),
        paragraphs=float(len(paragraphs)),
        characters=float(sum(len(w) for w in words)),
        syllables=float(sum(syl)),
        long_words=float(sum(1 for w in words if len(w.encode()) > 6)),
        polysyllabic_words=float(len(poly)),
        complex_words=float(len(complex_words)),
    )
