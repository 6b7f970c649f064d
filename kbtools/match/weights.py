"""How rare a word is: inverse document frequency learnt from the pages themselves.

Rare words (`x509`, `comparisonerror`, `42p01`) weigh more than words every page has
(`fail`, `connect`), so one shared rare word says more than three common ones.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence


def idf(count: int, frequency: int) -> float:
    """Smoothed IDF (never zero), so a collection of one page still compares sensibly."""
    return 1 + math.log((count + 1) / (frequency + 1))


class Vectorizer:
    """TF-IDF weights of prose words over a collection."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for words in documents:
            frequency.update(set(words))
            count += 1
        self.count = count
        self.idf = {word: idf(count, n) for word, n in frequency.items()}
        self.unseen = idf(count, 0)

    def vector(self, words: Sequence[str]) -> tuple[dict[str, float], float]:
        """Word weights (not normalized) and their sum of squares."""
        weights, unseen = self.idf, self.unseen
        vector = {
            word: (
                weights.get(word, unseen)
                if n == 1
                else (1 + math.log(n)) * weights.get(word, unseen)
            )
            for word, n in Counter(words).items()
        }
        return vector, sum(v * v for v in vector.values())


class ErrorIndex:
    """Inverse document frequency of error words over the error lines of each document."""

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
        """The IDF of one error word."""
        return idf(self.count, self.frequency.get(word, 0))

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
