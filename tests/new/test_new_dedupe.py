"""The duplicate check on a labelled set: every true duplicate caught, no false one.

tests/fixtures/dedupe/kb is a small KB (13 articles over 7 product areas);
tests/fixtures/dedupe/writeups holds write-ups in every input format, and labels.json says
which article, if any, each one duplicates. Negatives share words or error text with some
article on purpose. `python benchmarks/dedupe_quality.py` prints the scores.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kbtools.article import dedupe
from tests.new.support import KbProject

SET = Path(__file__).resolve().parents[1] / "fixtures" / "dedupe"
LABELS = {k: v for k, v in json.loads((SET / "labels.json").read_text()).items() if k != "_about"}
AREAS = "install, upgrades, auth, search, storage, networking, observability, code-hosts"


@pytest.fixture
def labelled_kb(project: KbProject) -> KbProject:
    shutil.copytree(SET / "kb", project.kb, dirs_exist_ok=True)
    project.write(
        "mkdocs.yml",
        f"site_name: Labelled\ndocs_dir: docs\nplugins:\n  - kb:\n      product_areas: [{AREAS}]\n",
    )
    return project


def test_the_labelled_set_has_both_kinds() -> None:
    duplicates = [name for name, label in LABELS.items() if label["duplicate"]]
    assert len(duplicates) >= 10 and len(LABELS) - len(duplicates) >= 8
    assert {Path(name).suffix for name in LABELS} == {".md", ".txt", ".json"}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_labelled_write_up(labelled_kb: KbProject, run_new, name: str) -> None:
    expected = LABELS[name]["duplicate"]
    result = run_new(str(SET / "writeups" / name), "--dry-run", "--json")
    found = [d["id"] for d in json.loads(result.out)["duplicates"]]
    if expected:
        assert result.code == 3, f"{name}: missed duplicate of {expected}: {result.err}"
        assert found == [expected]
    else:
        assert result.code == 0, f"{name}: false duplicate {found}"
        assert found == []


def test_a_shared_root_error_alone_is_weak_and_a_whole_message_strong() -> None:
    assert dedupe.combine(0.3, 1.0) >= 0.7
    assert dedupe.combine(0.3, 0.5) < 0.36
    assert dedupe.combine(0.0, 0.0) == 0.0
