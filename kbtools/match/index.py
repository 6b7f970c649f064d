"""The section index: every unit of the site's pages, their lines and words, as plain data.

`Index.data` holds only lists, strings, ints and floats (term ids instead of words), so the
same structure is written to the cache with `marshal` and, for the site, as compact JSON.
Weights are learnt from the indexed pages: a word's IDF counts the units that hold it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kbtools.match import rules
from kbtools.match.sections import LINE_KINDS, Unit
from kbtools.match.weights import idf

FORMAT = 1
HEADING_TF = 3
"""A heading word counts as this many body words (titles say what a section is about)."""

UNIT_FIELDS = (
    "path",
    "anchor",
    "title",
    "page_title",
    "kind",
    "id",
    "url",
    "versions",
    "deployment",
)


@dataclass(frozen=True)
class UnitInfo:
    """What a match reports about its unit."""

    path: str
    anchor: str | None
    title: str
    page_title: str
    kind: str
    id: str | None
    url: str
    versions: tuple[str, ...]
    deployment: tuple[str, ...]


class Index:
    """Units, lines and postings; built from units or loaded from `data`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.terms: list[str] = data["terms"]
        self.term_ids = {term: number for number, term in enumerate(self.terms)}
        self.idf: list[float] = data["idf"]
        self.units: list[list[Any]] = data["units"]
        self.unit_count = len(self.units)
        self.unseen = idf(self.unit_count, 0)
        self.line_unit: list[int] = data["line_unit"]
        self.line_kind: list[int] = data["line_kind"]
        self.line_number: list[int] = data["line_number"]
        self.line_text: list[str] = data["line_text"]
        self.line_words: list[list[int]] = data["line_words"]
        self.line_norm: list[float] = data["line_norm"]
        self.line_postings: list[list[int]] = data["line_postings"]
        self.unit_postings: list[list[int]] = data["unit_postings"]
        self.unit_length: list[int] = data["unit_length"]
        self.average_length: float = data["average_length"] or 1.0

    def unit(self, number: int) -> UnitInfo:
        """The reported fields of one unit."""
        path, anchor, title, page_title, kind, kb_id, url, versions, deployment = self.units[number]
        return UnitInfo(
            path, anchor, title, page_title, kind, kb_id, url, tuple(versions), tuple(deployment)
        )

    def weight(self, term: str) -> float:
        """IDF of a word (the unseen weight for a word no unit holds)."""
        number = self.term_ids.get(term)
        return self.unseen if number is None else self.idf[number]


def build(units: Iterable[tuple[Unit, str]]) -> Index:
    """An index over units, each with its published URL (site-relative or absolute)."""
    terms: dict[str, int] = {}

    def term_id(word: str) -> int:
        number = terms.get(word)
        if number is None:
            number = terms[word] = len(terms)
        return number

    unit_rows: list[list[Any]] = []
    line_unit: list[int] = []
    line_kind: list[int] = []
    line_number: list[int] = []
    line_text: list[str] = []
    line_words: list[list[int]] = []
    frequencies: list[Counter[int]] = []
    kinds = {kind: number for number, kind in enumerate(LINE_KINDS)}
    for number, (unit, url) in enumerate(units):
        unit_rows.append(
            [
                unit.path,
                unit.anchor,
                unit.title,
                unit.page_title,
                unit.kind,
                unit.id,
                url,
                list(unit.versions),
                list(unit.deployment),
            ]
        )
        tf: Counter[int] = Counter(term_id(w) for w in unit.body_words)
        for word in unit.heading_words:
            tf[term_id(word)] += HEADING_TF
        for line in unit.lines:
            ids = [term_id(w) for w in line.words]
            for term in ids:
                tf.setdefault(term, 0)
            line_unit.append(number)
            line_kind.append(kinds[line.kind])
            line_number.append(line.number)
            line_text.append(line.text)
            line_words.append(ids)
        frequencies.append(tf)
    count = len(unit_rows)
    df = [0] * len(terms)
    unit_postings: list[list[int]] = [[] for _ in terms]
    unit_length: list[int] = []
    for number, tf in enumerate(frequencies):
        unit_length.append(sum(tf.values()))
        for term, n in tf.items():
            df[term] += 1
            unit_postings[term].extend((number, n))
    boilerplate = rules.load().data["boilerplate"]
    dull = {terms[w] for w in boilerplate["words"] if w in terms}
    factor = float(boilerplate["factor"])
    weights = [round(idf(count, n) * (factor if t in dull else 1.0), 4) for t, n in enumerate(df)]
    line_postings: list[list[int]] = [[] for _ in terms]
    line_norm: list[float] = []
    for number, ids in enumerate(line_words):
        line_norm.append(round(sum(weights[w] ** 2 for w in ids), 4))
        for term in ids:
            line_postings[term].append(number)
    data = {
        "format": FORMAT,
        "terms": list(terms),
        "idf": weights,
        "units": unit_rows,
        "line_unit": line_unit,
        "line_kind": line_kind,
        "line_number": line_number,
        "line_text": line_text,
        "line_words": line_words,
        "line_norm": line_norm,
        "line_postings": line_postings,
        "unit_postings": unit_postings,
        "unit_length": unit_length,
        "average_length": (sum(unit_length) / count) if count else 1.0,
    }
    return Index(data)


def describe(index: Index) -> dict[str, int]:
    """Sizes of an index (for benchmarks and `--debug` style output)."""
    return {
        "units": index.unit_count,
        "lines": len(index.line_text),
        "terms": len(index.terms),
    }
