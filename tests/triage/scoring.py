"""The triage labelled set (tests/fixtures/triage) and how a ranking is scored on it.

Shared by tests/triage/test_triage_set.py and benchmarks/triage_quality.py, so the test
and the benchmark count hits the same way. A ranking is any function from a `Case` to a
`Ranked` (the top results as (path, anchor) pairs, best first, and whether it abstained).

Counting rules:
- A result matches an expectation when the paths are equal and the expected anchor is
  null (the whole page counts) or equal to the result's anchor. Page level (`page=True`)
  compares paths only.
- An abstained ranking shows nothing: its results do not count, whatever it listed.
- top-1 / top-3: share of covered cases with a match at rank 1 / within ranks 1-3.
- MRR: mean over covered cases of 1/rank of the first match within the top 5 (0 if none).
- abstention: share of uncovered cases where the ranking abstained (or returned nothing).
- wrong abstention: share of covered cases where it abstained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SET = Path(__file__).resolve().parents[1] / "fixtures" / "triage"
CASES = SET / "cases.yml"  # the tuning set: the ranking was tuned on it
HELDOUT = SET / "heldout.yml"  # written blind; since 2026-12-03 weights are cross-validated on it
# Written blind after cases.yml and heldout.yml were tuned on; score it once per model change,
# never tune on it (README.md).
BLIND = SET / "blind.yml"
MRR_DEPTH = 5
KINDS = frozenset(
    {
        "log-line",
        "json-log",
        "fragment",
        "stack-trace",
        "rpc-chain",
        "customer-name",
        "zendesk",
        "chat",
    }
)


@dataclass(frozen=True)
class Expected:
    """One acceptable answer: a page, and a section of it (None: anywhere on the page)."""

    path: str
    anchor: str | None


@dataclass(frozen=True)
class Case:
    """One pasted text and what should come out of triage for it."""

    id: str
    corpus: str
    kind: str
    text: str
    expect: tuple[Expected, ...]
    public: bool
    config_file: Path

    @property
    def covered(self) -> bool:
        """True when the docs answer it (some page is expected)."""
        return bool(self.expect)


@dataclass(frozen=True)
class Ranked:
    """What a ranking returned for one case: (path, anchor) pairs best first."""

    results: tuple[tuple[str, str | None], ...]
    abstained: bool = False


Ranking = Callable[[Case], Ranked]


@dataclass
class Scores:
    """The figures of one ranking over a list of cases."""

    covered: int = 0
    uncovered: int = 0
    top1: int = 0
    top3: int = 0
    reciprocal_ranks: float = 0.0
    abstained_uncovered: int = 0
    abstained_covered: int = 0
    misses: list[str] = field(default_factory=list)  # covered case ids not in the top 3
    false_answers: list[str] = field(default_factory=list)  # uncovered ids not abstained

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.covered if self.covered else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.covered if self.covered else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.covered if self.covered else 0.0

    @property
    def abstention_rate(self) -> float:
        return self.abstained_uncovered / self.uncovered if self.uncovered else 0.0

    @property
    def wrong_abstention_rate(self) -> float:
        return self.abstained_covered / self.covered if self.covered else 0.0

    def summary(self) -> str:
        """One line a person reads in a test failure or a terminal."""
        return (
            f"covered {self.covered}: top-1 {self.top1_rate:.1%}, top-3 {self.top3_rate:.1%}, "
            f"MRR {self.mrr:.3f}, wrongly abstained {self.wrong_abstention_rate:.1%}; "
            f"uncovered {self.uncovered}: abstained {self.abstention_rate:.1%}"
        )


def load_cases(path: Path = CASES) -> list[Case]:
    """Every case of one set file, texts read (a `file:` case reads its file next to it)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    corpora = {name: (path.parent / rel).resolve() for name, rel in data["corpora"].items()}
    cases = []
    for raw in data["cases"]:
        cases.append(_case(raw, path.parent, corpora))
    return cases


def _case(raw: dict[str, Any], folder: Path, corpora: dict[str, Path]) -> Case:
    text = (folder / raw["file"]).read_text(encoding="utf-8") if "file" in raw else raw["text"]
    expect = tuple(Expected(str(e["path"]), e.get("anchor") or None) for e in raw["expect"] or ())
    return Case(
        id=str(raw["id"]),
        corpus=str(raw["corpus"]),
        kind=str(raw["kind"]),
        text=text,
        expect=expect,
        public=bool(raw.get("public", False)),
        config_file=corpora[raw["corpus"]],
    )


def is_match(result: tuple[str, str | None], expected: Expected, *, page: bool = False) -> bool:
    """True when one result answers one expectation (see the module docstring)."""
    path, anchor = result
    if path != expected.path:
        return False
    return page or expected.anchor is None or (anchor or None) == expected.anchor


def first_hit(ranked: Ranked, case: Case, *, page: bool = False) -> int | None:
    """1-based rank of the first result that answers the case, or None."""
    if ranked.abstained:
        return None
    for rank, result in enumerate(ranked.results, start=1):
        if any(is_match(result, e, page=page) for e in case.expect):
            return rank
    return None


def score(cases: Iterable[Case], rank: Ranking, *, page: bool = False) -> Scores:
    """Run the ranking on every case and count."""
    scores = Scores()
    for case in cases:
        score_one(scores, case, rank(case), page=page)
    return scores


def score_one(scores: Scores, case: Case, ranked: Ranked, *, page: bool = False) -> None:
    """Add one case's outcome to `scores`."""
    if not case.covered:
        scores.uncovered += 1
        if ranked.abstained or not ranked.results:
            scores.abstained_uncovered += 1
        else:
            scores.false_answers.append(case.id)
        return
    scores.covered += 1
    if ranked.abstained:
        scores.abstained_covered += 1
    hit = first_hit(ranked, case, page=page)
    if hit == 1:
        scores.top1 += 1
    if hit is not None and hit <= 3:
        scores.top3 += 1
    else:
        scores.misses.append(case.id)
    if hit is not None and hit <= MRR_DEPTH:
        scores.reciprocal_ranks += 1.0 / hit


def from_payload(payload: dict[str, Any]) -> Ranked:
    """A `kb triage --json` payload (issue 11) as a Ranked."""
    results = tuple(
        (str(m["path"]), (m.get("anchor") or None)) for m in payload.get("matches") or ()
    )
    return Ranked(results=results, abstained=bool(payload.get("abstained")))


def triage_ranking(audience: str = "internal", top: int = MRR_DEPTH) -> Ranking | None:
    """`kbtools.triage.triage_text` as a Ranking, or None while it does not exist."""
    try:
        from kbtools import triage
    except ImportError:
        return None
    triage_text = getattr(triage, "triage_text", None)
    if triage_text is None:
        return None

    def rank(case: Case) -> Ranked:
        payload = triage_text(case.text, case.config_file, audience=audience, top=top)
        return from_payload(payload)

    return rank


def select(
    cases: Sequence[Case], *, corpus: str | None = None, public: bool | None = None
) -> list[Case]:
    """The cases of one corpus and/or audience (public=True: what a customer could paste)."""
    return [
        c
        for c in cases
        if (corpus is None or c.corpus == corpus) and (public is None or c.public == public)
    ]
