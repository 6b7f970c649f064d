"""The triage labelled set (issue 11): its sanity, and `kb triage`'s quality on it.

The sanity tests always run, over the three set files: the tuning set (cases.yml), the
held-out set (heldout.yml) and the blind set (blind.yml) are big and varied enough, share no
case, and every expectation names a page that exists and a heading id that page really has,
as the site computes it (kbtools' own Document headings with each corpus' toc settings). The
quality tests run on the tuning set only: the held-out and blind sets have no target here,
they are scored by benchmarks/triage_quality.py (README.md in the set's folder).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from kbtools import config
from kbtools.document import Document, load_document
from tests.triage.scoring import (
    BLIND,
    HELDOUT,
    KINDS,
    Case,
    Expected,
    Ranked,
    Scores,
    load_cases,
    score,
    score_one,
    select,
    triage_ranking,
)

CASES = load_cases()  # cases.yml, the tuning set
HELDOUT_CASES = load_cases(HELDOUT)
BLIND_CASES = load_cases(BLIND)  # written blind after the other two were tuned on
SETS = {"cases": CASES, "heldout": HELDOUT_CASES, "blind": BLIND_CASES}
EVERY_CASE = [case for cases in SETS.values() for case in cases]
TICKETS = Path(__file__).resolve().parents[1] / "fixtures" / "tickets"


@cache
def _site(config_file: Path) -> config.SiteConfigFile:
    return config.load(config_file)


@cache
def _document(config_file: Path, path: str) -> Document:
    site = _site(config_file)
    rel = (site.root / path).resolve().relative_to(site.docs_dir).as_posix()
    return load_document(site.docs_dir / rel, rel, site.toc)


def _ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


def test_the_set_is_big_and_varied() -> None:
    covered = [c for c in CASES if c.covered]
    uncovered = [c for c in CASES if not c.covered]
    assert len(covered) >= 62 and len(uncovered) >= 13
    by_corpus = Counter(c.corpus for c in covered)
    assert by_corpus["demo"] >= 18 and by_corpus["argo-cd"] >= 42
    assert {c.corpus for c in uncovered} == {"demo", "argo-cd"}
    kinds = Counter(c.kind for c in CASES)
    assert set(kinds) == KINDS, kinds
    assert all(n >= 3 for n in kinds.values()), kinds


def test_the_heldout_set_is_big_and_varied() -> None:
    """Issue 11's held-out set: >= 45 covered and >= 12 uncovered, every kind but zendesk."""
    covered = [c for c in HELDOUT_CASES if c.covered]
    uncovered = [c for c in HELDOUT_CASES if not c.covered]
    assert len(covered) >= 45 and len(uncovered) >= 12
    by_corpus = Counter(c.corpus for c in covered)
    assert by_corpus["demo"] >= 12 and by_corpus["argo-cd"] >= 30, by_corpus
    assert {c.corpus for c in uncovered} == {"demo", "argo-cd"}
    kinds = Counter(c.kind for c in HELDOUT_CASES)
    assert set(kinds) <= KINDS and KINDS - {"zendesk"} <= set(kinds), kinds
    assert all(n >= 3 for n in kinds.values()), kinds
    assert len(select(HELDOUT_CASES, public=True)) >= 45


def test_the_blind_set_is_big_and_varied() -> None:
    """The blind set: >= 55 covered and >= 15 uncovered, about 40% demo, every kind."""
    covered = [c for c in BLIND_CASES if c.covered]
    uncovered = [c for c in BLIND_CASES if not c.covered]
    assert len(covered) >= 55 and len(uncovered) >= 15
    by_corpus = Counter(c.corpus for c in BLIND_CASES)
    assert 0.3 <= by_corpus["demo"] / len(BLIND_CASES) <= 0.5, by_corpus
    assert {c.corpus for c in uncovered} == {"demo", "argo-cd"}
    kinds = Counter(c.kind for c in BLIND_CASES)
    assert set(kinds) == KINDS, kinds
    assert all(n >= 3 for n in kinds.values()), kinds
    assert 2 <= kinds["zendesk"] <= 4, kinds
    assert all(c.id.startswith("bl-") for c in BLIND_CASES)


def test_the_blind_set_mostly_reaches_sections_the_others_do_not_expect() -> None:
    """At least half its covered cases expect a section neither tuned-on set expects."""
    seen = {(e.path, e.anchor) for c in CASES + HELDOUT_CASES for e in c.expect}
    whole_pages = {path for path, anchor in seen if anchor is None}
    covered = [c for c in BLIND_CASES if c.covered]
    reaching = [
        c
        for c in covered
        if any((e.path, e.anchor) not in seen and e.path not in whole_pages for e in c.expect)
    ]
    assert 2 * len(reaching) >= len(covered), (len(reaching), len(covered))


@pytest.mark.parametrize("cases", SETS.values(), ids=SETS.keys())
def test_ids_and_pastes_are_unique(cases: list[Case]) -> None:
    assert len(set(_ids(cases))) == len(cases), "case ids must be unique"
    assert len({c.text for c in cases}) == len(cases), "two cases paste the same text"


def test_the_sets_share_no_case_and_the_same_corpora() -> None:
    """No case is in two sets (held-out or blind vs tuning): no shared id, no shared paste."""
    sets = list(SETS.values())
    for i, one in enumerate(sets):
        for other in sets[i + 1 :]:
            assert not set(_ids(one)) & set(_ids(other))
            assert not {c.text for c in one} & {c.text for c in other}
    corpora = {
        name: {c.config_file for c in EVERY_CASE if c.corpus == name}
        for name in ("demo", "argo-cd")
    }
    assert all(len(files) == 1 for files in corpora.values()), corpora


@pytest.mark.parametrize("cases", SETS.values(), ids=SETS.keys())
def test_zendesk_cases_have_the_format_kb_new_reads(cases: list[Case]) -> None:
    reference = json.loads((TICKETS / "zendesk-proxy.json").read_text(encoding="utf-8"))
    zendesk = [c for c in cases if c.kind == "zendesk"]
    for case in zendesk:
        data = json.loads(case.text)
        assert set(data) == set(reference), case.id
        assert set(data["ticket"]) == set(reference["ticket"]), case.id
        for comment in data["comments"]:
            assert set(comment) == set(reference["comments"][0]), case.id


@pytest.mark.parametrize("case", [c for c in EVERY_CASE if c.covered], ids=lambda c: c.id)
def test_every_expectation_is_a_real_page_and_heading(case: Case) -> None:
    site = _site(case.config_file)
    for expected in case.expect:
        target = site.root / expected.path
        assert target.is_file(), f"{case.id}: {expected.path} does not exist"
        assert target.resolve().is_relative_to(site.docs_dir), f"{expected.path} is outside docs"
        if expected.anchor is not None:
            anchors = {h.anchor for h in _document(case.config_file, expected.path).headings}
            assert expected.anchor in anchors, (
                f"{case.id}: #{expected.anchor} is not a heading id of {expected.path}"
            )


@pytest.mark.parametrize(
    "case",
    [c for c in EVERY_CASE if c.public and c.corpus == "demo" and c.covered],
    ids=lambda c: c.id,
)
def test_public_demo_cases_expect_public_published_articles(case: Case) -> None:
    for expected in case.expect:
        meta = _document(case.config_file, expected.path).meta
        if "visibility" in meta:
            assert meta["visibility"] == "public" and meta["status"] == "published", case.id


@pytest.mark.parametrize("cases", SETS.values(), ids=SETS.keys())
def test_internal_only_answers_are_not_marked_public(cases: list[Case]) -> None:
    for case in select(cases, corpus="demo"):
        for expected in case.expect:
            meta = _document(case.config_file, expected.path).meta
            if meta.get("visibility") == "internal" or meta.get("status") in ("draft", "archived"):
                assert not case.public, f"{case.id} expects a non-public article"


@pytest.mark.parametrize("cases", SETS.values(), ids=SETS.keys())
def test_no_case_expects_an_archived_article(cases: list[Case]) -> None:
    """Archived articles are in no audience (not even internal): they cannot be an answer."""
    for case in select(cases, corpus="demo"):
        for expected in case.expect:
            meta = _document(case.config_file, expected.path).meta
            assert meta.get("status") != "archived", f"{case.id} expects an archived article"


def test_the_scoring_counts_as_documented() -> None:
    covered = Case("c", "demo", "fragment", "x", (Expected("docs/a.md", "b"),), True, Path())
    page_only = Case("p", "demo", "fragment", "y", (Expected("docs/a.md", None),), True, Path())
    uncovered = Case("u", "demo", "fragment", "z", (), True, Path())
    scores = Scores()
    score_one(scores, covered, Ranked((("docs/x.md", None), ("docs/a.md", "b"))))
    score_one(scores, page_only, Ranked((("docs/a.md", "other"),)))
    score_one(scores, uncovered, Ranked((("docs/a.md", None),)))
    assert (scores.top1, scores.top3, scores.reciprocal_ranks) == (1, 2, 1.5)
    assert scores.false_answers == ["u"] and scores.abstention_rate == 0.0
    # The right section is not enough when the anchor differs, and abstaining hides results.
    again = Scores()
    score_one(again, covered, Ranked((("docs/a.md", "c"),)))
    score_one(again, page_only, Ranked((("docs/a.md", None),), abstained=True))
    score_one(again, uncovered, Ranked((), abstained=True))
    assert (again.top3, again.abstained_covered, again.abstained_uncovered) == (0, 1, 1)
    assert score([covered], lambda c: Ranked((("docs/a.md", "b"),)), page=True).top1 == 1


@pytest.mark.xfail(
    strict=True,
    reason="kb triage measures top-3 91.1%, wrong abstention 0.0%, but abstains on 10% of the "
    "uncovered texts (benchmarks/RESULTS.md): under issue 11's 80%; remove this mark when it passes",
)
def test_triage_meets_issue_11_targets() -> None:
    pytest.importorskip("kbtools.triage")
    rank = triage_ranking(audience="internal")
    if rank is None:
        pytest.skip("kbtools.triage.triage_text does not exist yet")
    scores = score(CASES, rank)
    detail = f"{scores.summary()}\nnot in top 3: {scores.misses}\nanswered: {scores.false_answers}"
    assert scores.top3_rate >= 0.90, detail
    assert scores.abstention_rate >= 0.80, detail
    assert scores.wrong_abstention_rate <= 0.05, detail


def test_triage_keeps_its_measured_figures() -> None:
    """A floor under what kb triage measures today on both sets (RESULTS.md).

    The held-out set's floor guards generalisation: a change that buys a tuning-set case by
    losing unseen ones fails here. It is a floor, not a target to tune on.
    """
    rank = triage_ranking(audience="internal")
    assert rank is not None
    for cases, floors in (
        (CASES, (0.90, 0.82, 0.10, 0.02)),
        (HELDOUT_CASES, (0.77, 0.67, 0.0, 0.02)),
    ):
        scores = score(cases, rank)
        detail = f"{scores.summary()}\nnot in top 3: {scores.misses}"
        top3, top1, abstention, wrong = floors
        assert scores.top3_rate >= top3, detail
        assert scores.top1_rate >= top1, detail
        assert scores.abstention_rate >= abstention, detail
        assert scores.wrong_abstention_rate <= wrong, detail
