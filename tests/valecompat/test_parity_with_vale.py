"""Both engines agree: the real `vale` binary and the built-in engine (needs vale on PATH)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kbtools.checks.style import run_style
from tests.valecompat.cases import CASES_DIR, Case, load_cases, run_case
from tests.valecompat.test_compat_cases import KNOWN_FAILURES

pytestmark = [
    pytest.mark.vale,
    pytest.mark.skipif(shutil.which("vale") is None, reason="vale binary not on PATH"),
]
REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "style" / "project"
SCAFFOLD = REPO / "kbtools" / "templates" / "scaffold"


def _cases() -> list[Case]:
    return load_cases() if CASES_DIR.is_dir() else []


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_same_output_as_vale_on_compat_case(case: Case) -> None:
    if case.name in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[case.name])
    env = {k: v for k, v in os.environ.items() if k not in ("VALE_CONFIG_PATH", "VALE_STYLES_PATH")}
    real = subprocess.run(
        ["vale", *case.args],
        cwd=case.cwd,
        input=case.stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    ours = run_case(case)
    assert ours.exit_code == real.returncode
    if real.returncode != 2:
        assert ours.stdout.splitlines() == real.stdout.splitlines()


def test_same_findings_as_vale_on_house_style(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copy(SCAFFOLD / ".vale.ini", root / ".vale.ini")
    shutil.copytree(SCAFFOLD / "styles", root / "styles")
    docs = sorted(
        (p.relative_to(root).as_posix(), p.read_text(encoding="utf-8"))
        for p in (root / "docs").rglob("*.md")
    )
    real = run_style(root, root / ".vale.ini", docs, "vale")
    ours = run_style(root, root / ".vale.ini", docs, "builtin")
    assert real.engine == "vale" and ours.engine == "builtin"
    assert sorted(real.findings, key=lambda f: f.sort_key()) == sorted(
        ours.findings, key=lambda f: f.sort_key()
    )
