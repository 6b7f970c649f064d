"""How `kb triage`'s ranking weights are chosen: cross-validation over two labelled sets.

    python benchmarks/triage_weights.py [--thresholds]

For every case of tests/fixtures/triage/cases.yml (A) and heldout.yml (B), the parts
kbtools.match.rank adds up are computed for every unit with evidence (error-line score, a
second query line, the text score, the title score, the page prior, a question heading,
version and deployment agreement). A unit's score is a weighted sum of them; at most two
units of one page are kept (triage/search.py). Weights are fitted by coordinate ascent over
a grid (objective: top-3 + top-1/2 + MRR/2 over the covered cases, no abstention) on one
fold and measured on the other: A -> B, B -> A, and even/odd halves of A + B. The row
`rules.json` is the model as shipped, measured the same way. `--thresholds` adds, for the
shipped rules, what each threshold costs on both sets (the real `kb triage` search, with
abstention). blind.yml is never read here: it is the set nobody chooses weights on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kbtools.match import rank as rank_module  # noqa: E402
from kbtools.match import rules as rules_module  # noqa: E402
from kbtools.match.cache import load_index  # noqa: E402
from kbtools.match.index import Index  # noqa: E402
from kbtools.project import Project  # noqa: E402
from kbtools.triage.query import parse_query  # noqa: E402
from kbtools.triage.search import search  # noqa: E402
from tests.triage.scoring import CASES, HELDOUT, Case, Ranked, is_match, load_cases, score  # noqa: E402

FEATURES = ("error", "second", "text", "title", "page", "question", "agreement")
GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0)
PER_PAGE = 2
CANDIDATES = 300
Weights = dict[str, float]


@dataclass
class Row:
    """One case: its units' features, their pages, and which units answer it."""

    case: Case
    features: dict[int, tuple[float, ...]]
    pages: dict[int, str]
    hits: set[int]


def rows(cases: Sequence[Case]) -> list[Row]:
    """The features of every unit with evidence, for every case."""
    ranking = rules_module.load().ranking
    indexes: dict[Path, Index] = {}
    result = []
    for case in cases:
        if case.config_file not in indexes:
            project = Project.load(str(case.config_file))
            indexes[case.config_file] = load_index(project, "internal").index
        index = indexes[case.config_file]
        query = parse_query(case.text)
        errors = rank_module._error_scores(index, query.lines, ranking)
        texts, _ = rank_module._text_scores(index, query.words, ranking)
        titles = rank_module._title_scores(index, query.words, ranking)
        facts = rank_module.Facts(tuple(query.versions), tuple(query.deployment))
        page_sums: dict[str, float] = {}
        for unit, value in texts.items():
            page_sums[index.units[unit][0]] = page_sums.get(index.units[unit][0], 0.0) + value
        page_top = max(page_sums.values(), default=0.0) or 1.0
        features: dict[int, tuple[float, ...]] = {}
        pages: dict[int, str] = {}
        hits: set[int] = set()
        # The best CANDIDATES by error plus text score: the rest never reach a top 5.
        candidates = sorted(
            set(errors) | set(texts),
            key=lambda u: -(errors[u][0].score if u in errors else 0.0) - texts.get(u, 0.0),
        )[:CANDIDATES]
        for unit in candidates:
            row = index.units[unit]
            matches = errors.get(unit, [])
            features[unit] = (
                min(matches[0].score, 1.0) if matches else 0.0,
                matches[1].score if len(matches) > 1 else 0.0,
                texts.get(unit, 0.0),
                titles.get(unit, 0.0),
                page_sums.get(row[0], 0.0) / page_top,
                1.0 if rank_module._QUESTION_RE.search(row[2]) else 0.0,
                rank_module._agreement(index, unit, facts, ranking),
            )
            pages[unit] = row[0]
            if any(is_match((row[0], row[1]), e) for e in case.expect):
                hits.add(unit)
        result.append(Row(case, features, pages, hits))
    return result


def first_hit(row: Row, weights: Weights) -> int | None:
    """0-based rank of the first unit that answers the case, within the top 5."""
    vector = [weights.get(name, 0.0) for name in FEATURES]
    scored = sorted(
        row.features,
        key=lambda u: -sum(w * f for w, f in zip(vector, row.features[u], strict=True)),
    )
    seen: dict[str, int] = {}
    position = 0
    for unit in scored:
        page = row.pages[unit]
        if seen.get(page, 0) >= PER_PAGE:
            continue
        seen[page] = seen.get(page, 0) + 1
        if unit in row.hits:
            return position
        position += 1
        if position >= 5:
            return None
    return None


def measure(data: Sequence[Row], weights: Weights) -> tuple[float, float, float]:
    """Top-1, top-3 and MRR@5 over the covered cases."""
    covered = [row for row in data if row.case.covered]
    positions = [first_hit(row, weights) for row in covered]
    top1 = sum(1 for p in positions if p == 0) / len(covered)
    top3 = sum(1 for p in positions if p is not None and p < 3) / len(covered)
    mrr = sum(1 / (p + 1) for p in positions if p is not None) / len(covered)
    return top1, top3, mrr


def objective(data: Sequence[Row], weights: Weights) -> float:
    top1, top3, mrr = measure(data, weights)
    return top3 + 0.5 * top1 + 0.5 * mrr


def fit(data: Sequence[Row], rounds: int = 3) -> Weights:
    """Coordinate ascent from text 1 (the scale), each other weight over GRID."""
    weights: Weights = {"text": 1.0}
    best = objective(data, weights)
    for _ in range(rounds):
        changed = False
        for name in FEATURES:
            if name == "text":
                continue
            for value in GRID:
                trial = {**weights, name: value}
                result = objective(data, trial)
                if result > best + 1e-9:
                    best, weights, changed = result, trial, True
        if not changed:
            break
    return weights


def shipped() -> Weights:
    """The weights of rules.json in this script's terms."""
    ranking = rules_module.load().ranking
    error = ranking["error_weight"]
    return {
        "error": error,
        "second": error * ranking["second_line_bonus"],
        "text": ranking["text_weight"],
        "title": ranking["title_weight"],
        "page": ranking["page_weight"],
        "question": ranking["question_bonus"],
        "agreement": 1.0,
    }


def percent(values: tuple[float, float, float]) -> str:
    top1, top3, mrr = values
    return f"{top1:.1%} / {top3:.1%} / {mrr:.3f}"


def describe(weights: Weights) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in weights.items() if v)


def thresholds(values: Sequence[float]) -> None:
    """What each threshold costs with the shipped rules (the real search, abstaining)."""
    ranking = rules_module.load().ranking
    saved = ranking["threshold"]
    sets = {"cases.yml": load_cases(CASES), "heldout.yml": load_cases(HELDOUT)}
    projects: dict[Path, Project] = {}
    print("\n| threshold | set | top-3 | uncovered abstained | covered wrongly abstained |")
    print("| --- | --- | --- | --- | --- |")
    try:
        for value in values:
            ranking["threshold"] = value
            for name, cases in sets.items():

                def ranked(case: Case) -> Ranked:
                    project = projects.setdefault(
                        case.config_file, Project.load(str(case.config_file))
                    )
                    found = search(project, case.text, top=5)
                    return Ranked(tuple((m.path, m.anchor) for m in found.matches), found.abstained)

                s = score(cases, ranked)
                print(
                    f"| {value:.2f} | {name} | {s.top3_rate:.1%} | {s.abstention_rate:.1%} | "
                    f"{s.wrong_abstention_rate:.1%} |"
                )
    finally:
        ranking["threshold"] = saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--thresholds", action="store_true", help="also the threshold costs")
    args = parser.parse_args(argv)
    a, b = rows(load_cases(CASES)), rows(load_cases(HELDOUT))
    both = a + b
    folds = {
        "A -> B": (a, b),
        "B -> A": (b, a),
        "even -> odd": (both[0::2], both[1::2]),
        "odd -> even": (both[1::2], both[0::2]),
    }
    print("A = cases.yml, B = heldout.yml; top-1 / top-3 / MRR@5 over covered cases, no abstention")
    print("\n| fit on -> tested on | weights (text = 1) | train | test |")
    print("| --- | --- | --- | --- |")
    for name, (train, test) in folds.items():
        weights = fit(train)
        print(
            f"| {name} | {describe(weights)} | {percent(measure(train, weights))} | "
            f"{percent(measure(test, weights))} |"
        )
    weights = fit(both)
    print(f"| A + B (all) | {describe(weights)} | {percent(measure(both, weights))} | |")
    rules = shipped()
    print(
        f"| rules.json | {describe(rules)} | A {percent(measure(a, rules))} | "
        f"B {percent(measure(b, rules))} |"
    )
    if args.thresholds:
        thresholds([0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.17, 0.20])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
