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


def test_error_words_mask_variable_parts() -> None:
    one = (
        't=2024-03-04T09:12:44Z lvl=eror msg="failed to fetch" repo=github.com/acme/fw '
        'err="write /data/repos/github.com/acme/fw/.git/objects/pack/tmp_pack_5Zk1: '
        'no space left on device"'
    )
    two = (
        't=2024-05-13T07:02:19Z lvl=eror msg="failed to fetch" repo=github.com/globex/billing '
        'err="write /data/repos/github.com/globex/billing/.git/objects/pack/tmp_pack_Qm81: '
        'no space left on device"'
    )
    assert dedupe.error_words(one) == dedupe.error_words(two)
    assert dedupe.error_words(one) == {"fail", "fetch", "writ", "spac", "left", "devic"}
    json_line = '{"SeverityText":"FATAL","Timestamp":171343,"Body":"dirty database: schema"}'
    assert dedupe.error_words(json_line) == {"dirty", "databas", "schema"}
    ips = "dial tcp 10.0.4.17:5432: connect: connection refused id=8a2f0c9e-1b7d"
    assert dedupe.error_words(ips) == dedupe.error_words(
        "dial tcp 172.16.9.3:6379: connect: connection refused id=77"
    )
    assert dedupe.error_words('Get "https://ghe.acme.internal/api/v3/x": x509: expired') == {
        "get",
        "x509",
        "expir",
    }


def test_short_forms_compare_equal() -> None:
    assert dedupe.tokens("repos on k8s") == dedupe.tokens("repositories on Kubernetes")
    assert dedupe.tokens("upgrade upgraded upgrading") == ["upgrad"] * 3


def test_a_shared_root_error_alone_is_weak_and_a_whole_message_strong() -> None:
    assert dedupe.combine(0.3, 1.0) >= 0.7
    assert dedupe.combine(0.3, 0.5) < 0.36
    assert dedupe.combine(0.0, 0.0) == 0.0
