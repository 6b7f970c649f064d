"""Can `kb triage` tell a paste the docs cover from one they do not? Signals, measured across sets.

    python benchmarks/triage_abstention.py

Issue 11 asks `kb triage` to abstain on at least 80% of the texts the docs do not cover
while abstaining on at most 5% of the covered ones. For every case of
tests/fixtures/triage/cases.yml and heldout.yml this computes, from the real search
(`kbtools.triage.search`, no threshold), the signals an abstention rule could use:

- `best`: the best unit's score (what the threshold cuts today); `gap` and `ratio`: against
  the second unit;
- `line`: whether the best unit's evidence quotes a document line (not only shared words);
- `unseen`: the share of the paste's words, weighted by IDF, that no page holds;
- `phrase`: the rarest pair of consecutive paste words that a line of the best three units
  also holds (IDF of the pair over units), a sign the page speaks of this very error.

It prints each signal's AUC on each set: the chance that a covered case has the higher
value than an uncovered one (0.5 is no signal; below 0.5 the signal is higher for uncovered
cases). Then it fits a logistic regression on one set and applies it to the other (cases ->
heldout and heldout -> cases). The cut keeps at most 5% of the training set's covered cases abstained. blind.yml is never
read here.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kbtools.match.cache import load_index  # noqa: E402
from kbtools.match.index import Index  # noqa: E402
from kbtools.match.words import text_words  # noqa: E402
from kbtools.project import Project  # noqa: E402
from kbtools.triage.search import search  # noqa: E402
from tests.triage.scoring import CASES, HELDOUT, load_cases  # noqa: E402

SIGNALS = ("best", "gap", "ratio", "line", "unseen", "phrase")
WRONG_SHARE = 0.05


@dataclass(frozen=True)
class Row:
    set: str
    case: str
    covered: bool
    signals: dict[str, float]


class Phrases:
    """Per unit, the pairs of consecutive words of its lines, and each pair's unit count."""

    def __init__(self, index: Index) -> None:
        self.by_unit: dict[tuple[str, str | None], set[tuple[str, str]]] = defaultdict(set)
        for line in range(index.line_count):
            row = index.units[index.line_unit[line]]
            self.by_unit[(row[0], row[1])] |= _pairs(text_words(index.line_text(line)))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for pairs in self.by_unit.values():
            for pair in pairs:
                counts[pair] += 1
        self.counts = counts
        self.units = index.unit_count

    def rarest(self, query: set[tuple[str, str]], unit: tuple[str, str | None]) -> float:
        shared = query & self.by_unit.get(unit, set())
        return max((math.log(self.units / self.counts[p]) for p in shared), default=0.0)


def _pairs(words: Sequence[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in pairwise(words) if a != b}


def rows() -> list[Row]:
    result: list[Row] = []
    projects: dict[str, tuple[Project, Index, Phrases]] = {}
    for name, path in (("cases", CASES), ("heldout", HELDOUT)):
        for case in load_cases(path):
            key = str(case.config_file)
            if key not in projects:
                project = Project.load(key)
                index = load_index(project, "internal").index
                projects[key] = (project, index, Phrases(index))
            project, index, phrases = projects[key]
            found = search(project, case.text, min_score=0.0, top=3)
            scores = [m.score for m in found.matches] + [0.0, 0.0]
            words = list(dict.fromkeys(found.query.words))
            weights = [index.weight(w) for w in words]
            unseen = sum(
                w for word, w in zip(words, weights, strict=True) if word not in index.term_ids
            )
            query_pairs = set()
            for line in case.text.splitlines():
                query_pairs |= _pairs(text_words(line))
            top = [(m.path, m.anchor) for m in found.matches[:3]]
            best = found.matches[0] if found.matches else None
            signals = {
                "best": scores[0],
                "gap": scores[0] - scores[1],
                "ratio": scores[1] / scores[0] if scores[0] else 1.0,
                "line": float(any(e.kind != "words" for e in best.evidence)) if best else 0.0,
                "unseen": unseen / sum(weights) if weights else 0.0,
                "phrase": max((phrases.rarest(query_pairs, unit) for unit in top), default=0.0),
            }
            result.append(Row(name, case.id, case.covered, signals))
    return result


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Probability that a covered case scores above an uncovered one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def standardize(train: list[Row], test: list[Row]) -> tuple[list[list[float]], list[list[float]]]:
    mean = {s: sum(r.signals[s] for r in train) / len(train) for s in SIGNALS}
    spread = {
        s: (sum((r.signals[s] - mean[s]) ** 2 for r in train) / len(train)) ** 0.5 or 1.0
        for s in SIGNALS
    }

    def scaled(row: Row) -> list[float]:
        return [(row.signals[s] - mean[s]) / spread[s] for s in SIGNALS]

    return [scaled(r) for r in train], [scaled(r) for r in test]


def fit(x: list[list[float]], y: list[bool], steps: int = 2000, rate: float = 0.1) -> list[float]:
    """Logistic regression, classes weighted equally, light L2: weights then the bias."""
    weights = [0.0] * (len(x[0]) + 1)
    positives = sum(y)
    balance = [len(y) / (2 * positives) if t else len(y) / (2 * (len(y) - positives)) for t in y]
    for _ in range(steps):
        gradient = [w / len(y) for w in weights[:-1]] + [0.0]
        for features, target, weight in zip(x, y, balance, strict=True):
            z = weights[-1] + sum(w * f for w, f in zip(weights, features, strict=False))
            error = (1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - target) * weight
            for j, f in enumerate(features):
                gradient[j] += error * f / len(y)
            gradient[-1] += error / len(y)
        weights = [w - rate * g for w, g in zip(weights, gradient, strict=True)]
    return weights


def value(weights: list[float], features: list[float]) -> float:
    return weights[-1] + sum(w * f for w, f in zip(weights, features, strict=False))


def main() -> int:
    every = rows()
    print("| signal | AUC cases.yml | AUC heldout.yml |")
    print("| --- | --- | --- |")
    for signal in SIGNALS:
        cells = []
        for name in ("cases", "heldout"):
            covered = [r.signals[signal] for r in every if r.set == name and r.covered]
            uncovered = [r.signals[signal] for r in every if r.set == name and not r.covered]
            cells.append(f"{auc(covered, uncovered):.2f}")
        print(f"| {signal} | {' | '.join(cells)} |")
    print()
    print(
        "| fitted on -> applied to | AUC on the fitting set | AUC on the other set | "
        "uncovered abstained | covered wrongly abstained |"
    )
    print("| --- | --- | --- | --- | --- |")
    for train_name, test_name in (("cases", "heldout"), ("heldout", "cases")):
        train = [r for r in every if r.set == train_name]
        test = [r for r in every if r.set == test_name]
        x_train, x_test = standardize(train, test)
        weights = fit(x_train, [r.covered for r in train])
        fitted = [value(weights, x) for x in x_train]
        applied = [value(weights, x) for x in x_test]
        covered_train = sorted(v for v, r in zip(fitted, train, strict=True) if r.covered)
        cut = covered_train[int(WRONG_SHARE * len(covered_train))]
        covered = [v for v, r in zip(applied, test, strict=True) if r.covered]
        uncovered = [v for v, r in zip(applied, test, strict=True) if not r.covered]
        train_auc = auc(
            covered_train, [v for v, r in zip(fitted, train, strict=True) if not r.covered]
        )
        print(
            f"| {train_name} -> {test_name} | {train_auc:.2f} | {auc(covered, uncovered):.2f} | "
            f"{100 * sum(v < cut for v in uncovered) / len(uncovered):.0f}% | "
            f"{100 * sum(v < cut for v in covered) / len(covered):.0f}% |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
