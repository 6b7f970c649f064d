"""Parsing a large tree in worker processes gives the same run as parsing in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.checks.base import LintOptions
from kbtools.lint import documents
from kbtools.lint.runner import run_lint
from kbtools.project import Project
from tests.helpers import VALID_ARTICLE, write_project


def test_pool_and_in_process_parsing_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        f"docs/page{i}.md": f"# Page {i}\n\nSee [next](page{i + 1}.md#page-{i + 1}) and [bad](page{i}.md#nope).\n"
        for i in range(80)
    }
    files["docs/kb/search/a.md"] = VALID_ARTICLE.replace("visibility: public", "visibility: x")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.md").write_bytes(b"\xff\xfe bad")
    write_project(tmp_path, files)
    options = LintOptions(style="off")

    parallel = run_lint(Project.load(start=tmp_path), options=options)
    monkeypatch.setattr(documents, "PARALLEL_THRESHOLD", 10**9)
    sequential = run_lint(Project.load(start=tmp_path), options=options)

    assert len(parallel.files) == 82
    assert parallel.findings == sequential.findings
    rules = {f.rule for f in parallel.findings}
    assert {"links.anchor", "links.broken", "frontmatter.enum", "file.encoding"} <= rules


def test_large_trees_really_use_worker_processes(tmp_path: Path) -> None:
    write_project(
        tmp_path, {f"docs/p{i}.md": f"# P{i}\n" for i in range(documents.PARALLEL_THRESHOLD)}
    )
    project = Project.load(start=tmp_path)
    store = documents.DocumentStore(project, {p.name: p for p in project.markdown_files()})
    store.load_all()
    loaded = store.loaded()
    assert len(loaded) == documents.PARALLEL_THRESHOLD
    # Worker-parsed documents come back without tokens; in-process ones keep them.
    assert all(doc.tokens == [] for doc in loaded)
    assert all(doc.headings for doc in loaded)
