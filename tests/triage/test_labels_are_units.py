"""Every expected anchor of the triage sets is a unit `kb triage` can answer with.

A label naming an H4 (which stays inside its H3 unit) could never be hit, however good the
ranking: such a case must name the enclosing H3 (README of tests/fixtures/triage).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from kbtools.match.cache import load_index
from kbtools.project import Project
from tests.triage.scoring import SET, Case, load_cases

SETS = sorted(p for p in (SET / "cases.yml", SET / "heldout.yml") if p.exists())


@cache
def _units(config_file: Path) -> frozenset[tuple[str, str | None]]:
    index = load_index(Project.load(str(config_file)), "internal").index
    return frozenset((row[0], row[1]) for row in index.units)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_expected_anchors_are_units(path: Path) -> None:
    wrong: list[str] = []
    for case in load_cases(path):
        units = _units(case.config_file)
        paths = {unit_path for unit_path, _ in units}
        for expected in case.expect:
            if expected.anchor is None and expected.path in paths:
                continue
            if (expected.path, expected.anchor) not in units:
                wrong.append(f"{case.id}: {expected.path}#{expected.anchor}")
    assert not wrong, "expected sections that are no unit (name the enclosing H3):\n" + "\n".join(
        wrong
    )


def test_a_made_up_h4_label_is_caught() -> None:
    case: Case = next(c for c in load_cases(SET / "cases.yml") if c.corpus == "argo-cd")
    units = _units(case.config_file)
    assert (
        "docs/operator-manual/upgrading/3.2-3.3.md",
        "applicationset-crd-exceeds-the-size-limit-for-client-side-apply",
    ) in units
    assert (
        "docs/operator-manual/upgrading/3.2-3.3.md",
        "users-who-previously-upgraded-to-330-or-331",
    ) not in units
