"""Parsing a large tree in worker processes gives the same run as parsing in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools import parallel
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


def test_large_trees_really_use_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(
        tmp_path, {f"docs/p{i}.md": f"# P{i}\n" for i in range(documents.PARALLEL_THRESHOLD)}
    )
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    project = Project.load(start=tmp_path)
    store = documents.DocumentStore(project, {p.name: p for p in project.markdown_files()})
    store.load_all()
    loaded = store.loaded()
    assert len(loaded) == documents.PARALLEL_THRESHOLD
    # This process parses one share (documents keep their tokens); the worker parses the
    # other and sends documents back without tokens.
    from_worker = [doc for doc in loaded if doc.tokens == []]
    assert 0 < len(from_worker) < len(loaded)
    assert all(doc.headings for doc in loaded)


def test_a_failing_worker_leaves_its_share_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, {f"docs/p{i}.md": f"# P{i}\n" for i in range(80)})
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)

    def broken(*args: object) -> object:
        raise RuntimeError("worker crashed")

    monkeypatch.setattr(documents, "_parse_share", broken)
    project = Project.load(start=tmp_path)
    store = documents.DocumentStore(project, {p.name: p for p in project.markdown_files()})
    store.load_all()
    assert sorted(store) == sorted(f"p{i}.md" for i in range(80))
    assert all(doc.tokens for doc in store.loaded())  # every one parsed here


def test_shares_are_balanced_by_size() -> None:
    sizes = {"a": 100, "b": 60, "c": 50, "d": 10}
    assert parallel.split_by_size(list(sizes), sizes, 2) == [["a", "d"], ["b", "c"]]
