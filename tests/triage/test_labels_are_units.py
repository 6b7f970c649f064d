"""Every expected anchor of the triage sets is a unit `kb triage` can answer with.

A label naming an H4 (which stays inside its H3 unit) could never be hit, however good the
ranking: such a case must name the enclosing H3 (README of tests/fixtures/triage).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from kbtools.match.cache import load_index
from kbtools.project import Project
from tests.triage.scoring import BLIND, CASES, HELDOUT, Case, Expected, load_cases

UPGRADE_NOTES = "docs/operator-manual/upgrading/3.2-3.3.md"


@cache
def _units(config_file: Path) -> frozenset[tuple[str, str | None]]:
    index = load_index(Project.load(str(config_file)), "internal").index
    return frozenset((row[0], row[1]) for row in index.units)


def _not_units(cases: Iterable[Case]) -> list[str]:
    """The expectations of `cases` that name no unit, as `id: path#anchor`."""
    wrong: list[str] = []
    for case in cases:
        units = _units(case.config_file)
        paths = {unit_path for unit_path, _ in units}
        for expected in case.expect:
            if expected.anchor is None and expected.path in paths:
                continue
            if (expected.path, expected.anchor) not in units:
                wrong.append(f"{case.id}: {expected.path}#{expected.anchor}")
    return wrong


@pytest.mark.parametrize("path", [CASES, HELDOUT, BLIND], ids=lambda p: p.name)
def test_expected_anchors_are_units(path: Path) -> None:
    wrong = _not_units(load_cases(path))
    assert not wrong, "expected sections that are no unit (name the enclosing H3):\n" + "\n".join(
        wrong
    )


def test_a_made_up_h4_label_is_caught() -> None:
    case = next(c for c in load_cases(CASES) if c.id == "argo-client-side-apply-migration")
    h3 = Expected(UPGRADE_NOTES, "applicationset-crd-exceeds-the-size-limit-for-client-side-apply")
    h4 = Expected(UPGRADE_NOTES, "users-who-previously-upgraded-to-330-or-331")
    assert not _not_units([dataclasses.replace(case, expect=(h3,))])
    assert _not_units([dataclasses.replace(case, expect=(h4,))]) == [
        f"{case.id}: {UPGRADE_NOTES}#{h4.anchor}"
    ]
