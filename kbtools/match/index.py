"""The section index: every unit of the site's pages, their lines and words, as plain data.

`Index.data` holds only strings, numbers and flat number sequences (term ids instead of
words, lists of lists flattened with offsets), so the same structure goes to the cache with
`marshal` (`packed()`: sequences as machine-array bytes, loaded without parsing) and, for
the site, to compact JSON (`plain()`). Weights are learnt from the indexed pages: a word's
IDF counts the units that hold it.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kbtools.match import rules
from kbtools.match.kinds import LINE_KINDS
from kbtools.match.weights import idf

if TYPE_CHECKING:
    from kbtools.match.sections import Unit

FORMAT = 5
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


PACKED = {
    "line_unit": "i",
    "line_kind": "b",
    "line_number": "i",
    "line_norm": "d",
    "line_terms": "i",
    "line_text_offsets": "i",
    "line_offsets": "i",
    "line_postings": "i",
    "line_posting_offsets": "i",
    "unit_postings": "i",
    "unit_posting_offsets": "i",
    "unit_length": "i",
    "title_postings": "i",
    "title_posting_offsets": "i",
    "title_norm": "d",
    "idf": "d",
}
"""Number sequences of `data`, kept as machine arrays (bytes in the cache: loads in a copy).

A list of lists is flattened into one sequence plus offsets: `line_terms[line_offsets[n]:
line_offsets[n + 1]]` are the term ids of line n, in line order."""


class Index:
    """Units, lines and postings; built from units or loaded from `data`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        arrays = {name: _array(code, data[name]) for name, code in PACKED.items()}
        self.terms: list[str] = data["terms"]
        self.term_ids = {term: number for number, term in enumerate(self.terms)}
        self.idf = arrays["idf"]
        self.units: list[list[Any]] = data["units"]
        self.unit_count = len(self.units)
        self.unseen = idf(self.unit_count, 0)
        self.line_unit = arrays["line_unit"]
        self.line_kind = arrays["line_kind"]
        self.line_number = arrays["line_number"]
        self.line_norm = arrays["line_norm"]
        # One string, sliced on demand: 100k small strings cost more to load than to keep.
        self._line_text: str = data["line_text"]
        self._line_text_offsets = arrays["line_text_offsets"]
        self.line_count = len(self.line_unit)
        self._line_terms = arrays["line_terms"]
        self._line_offsets = arrays["line_offsets"]
        self._line_postings = arrays["line_postings"]
        self._line_posting_offsets = arrays["line_posting_offsets"]
        self._unit_postings = arrays["unit_postings"]
        self._unit_posting_offsets = arrays["unit_posting_offsets"]
        self.unit_length = arrays["unit_length"]
        self._title_postings = arrays["title_postings"]
        self._title_posting_offsets = arrays["title_posting_offsets"]
        self.title_norm = arrays["title_norm"]
        self.average_length: float = data["average_length"] or 1.0

    def line_text(self, line: int) -> str:
        """The text of one line as the page shows it (whitespace joined)."""
        offsets = self._line_text_offsets
        return self._line_text[offsets[line] : offsets[line + 1] - 1]

    def line_words(self, line: int) -> array[int]:
        """Term ids of one line, in line order."""
        offsets = self._line_offsets
        return self._line_terms[offsets[line] : offsets[line + 1]]

    def line_postings(self, term: int) -> array[int]:
        """Lines that hold a term."""
        offsets = self._line_posting_offsets
        return self._line_postings[offsets[term] : offsets[term + 1]]

    def unit_postings(self, term: int) -> array[int]:
        """Units that hold a term and how often, as pairs: unit, count, unit, count, ..."""
        offsets = self._unit_posting_offsets
        return self._unit_postings[offsets[term] : offsets[term + 1]]

    def title_postings(self, term: int) -> array[int]:
        """Units whose own title holds a term."""
        offsets = self._title_posting_offsets
        return self._title_postings[offsets[term] : offsets[term + 1]]

    def packed(self) -> dict[str, Any]:
        """`data` with the number sequences as bytes (what the cache stores)."""
        result = dict(self.data)
        for name, code in PACKED.items():
            value = result[name]
            result[name] = value if isinstance(value, bytes) else array(code, value).tobytes()
        return result

    def plain(self) -> dict[str, Any]:
        """`data` with every sequence as a list (JSON for the site's search script)."""
        result = dict(self.data)
        for name, code in PACKED.items():
            result[name] = _array(code, result[name]).tolist()
        return result

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


def _array(code: str, value: bytes | list[Any] | array[Any]) -> array[Any]:
    if isinstance(value, array):
        return value
    if isinstance(value, bytes):
        result = array(code)
        result.frombytes(value)
        return result
    return array(code, value)


def _text_offsets(texts: list[str]) -> list[int]:
    offsets = [0]
    for text in texts:
        offsets.append(offsets[-1] + len(text) + 1)
    return offsets


def _flatten(rows: list[list[int]]) -> tuple[list[int], list[int]]:
    flat: list[int] = []
    offsets = [0]
    for row in rows:
        flat.extend(row)
        offsets.append(len(flat))
    return flat, offsets


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
    titles: list[list[int]] = []
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
        titles.append(list(dict.fromkeys(term_id(w) for w in unit.title_words)))
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
    title_postings: list[list[int]] = [[] for _ in terms]
    title_norm: list[float] = []
    for number, ids in enumerate(titles):
        title_norm.append(round(sum(weights[w] for w in ids), 4))
        for term in ids:
            title_postings[term].append(number)
    title_posting_list, title_posting_offsets = _flatten(title_postings)
    line_terms, line_offsets = _flatten(line_words)
    line_posting_list, line_posting_offsets = _flatten(line_postings)
    unit_posting_list, unit_posting_offsets = _flatten(unit_postings)
    data = {
        "format": FORMAT,
        "terms": list(terms),
        "idf": weights,
        "units": unit_rows,
        "line_unit": line_unit,
        "line_kind": line_kind,
        "line_number": line_number,
        # One string: newlines never occur inside a line (sections.py joins whitespace).
        "line_text": "".join(text + "\n" for text in line_text),
        "line_text_offsets": _text_offsets(line_text),
        "line_terms": line_terms,
        "line_offsets": line_offsets,
        "line_norm": line_norm,
        "line_postings": line_posting_list,
        "line_posting_offsets": line_posting_offsets,
        "unit_postings": unit_posting_list,
        "unit_posting_offsets": unit_posting_offsets,
        "unit_length": unit_length,
        "title_postings": title_posting_list,
        "title_posting_offsets": title_posting_offsets,
        "title_norm": title_norm,
        "average_length": (sum(unit_length) / count) if count else 1.0,
    }
    return Index(data)


def describe(index: Index) -> dict[str, int]:
    """Sizes of an index (for benchmarks and `--debug` style output)."""
    return {
        "units": index.unit_count,
        "lines": index.line_count,
        "terms": len(index.terms),
    }
