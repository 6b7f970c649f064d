"""Fixtures for `kb new` tests: a small KB project and an in-process CLI runner."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.new.support import EPOCH, MKDOCS_YML, KbProject, Result


@pytest.fixture
def project(tmp_path: Path) -> KbProject:
    root = tmp_path / "site"
    kb = KbProject(root)
    kb.write("mkdocs.yml", MKDOCS_YML)
    kb.write("docs/index.md", "# Home\n")
    kb.write("docs/kb/index.md", "# Knowledge base\n")
    return kb


@pytest.fixture
def run_new(
    project: KbProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., Result]]:
    from kbtools.cli import main

    monkeypatch.chdir(project.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def run(*args: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        code = main(["new", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield run
