"""Goldens on a real docs tree: what `Document` extracts and what the links check reports.

The tree is a part of the Argo CD docs (tests/fixtures/argo-cd-subset, Apache-2.0). The
goldens were written before the parse learned to skip inline runs that cannot hold a link,
raw HTML or a code span, so a speed change that alters any fact or finding fails here.
`KB_UPDATE_GOLDEN=1 pytest tests/test_argo_subset.py` rewrites them (review the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from kbtools.checks.links import LinksCheck
from kbtools.document import Document, load_document, markdown_source
from kbtools.lint import documents
from kbtools.lint.runner import run_lint
from kbtools.project import Project

TREE = Path(__file__).parent / "fixtures" / "argo-cd-subset"
GOLDEN = Path(__file__).parent / "golden" / "argo-cd-subset"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"


def _ranges(numbers: set[int]) -> list[list[int]]:
    """Sorted line numbers as [first, last] runs (keeps the golden readable)."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return runs


def _facts(doc: Document) -> dict[str, Any]:
    return {
        "links": [
            [link.kind, link.target, link.line, link.column, link.text, link.reference]
            for link in doc.links
        ],
        "headings": [[h.level, h.text, h.anchor, h.line, h.column] for h in doc.headings],
        "anchors": sorted(doc.anchors),
        "code_lines": _ranges(doc.code_lines),
        "code_spans": [list(span) for span in doc.code_spans],
        "comments": [[c.text, c.line, c.end_line] for c in doc.comments],
        "body_line": doc.body_line,
    }


def _compare(name: str, actual: Any) -> None:
    path = GOLDEN / name
    text = json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load(str(TREE / "mkdocs.yml"))


def _pages(project: Project) -> list[tuple[str, Path]]:
    return [(p.relative_to(project.docs_dir).as_posix(), p) for p in project.markdown_files()]


def test_document_facts_match_the_golden(project: Project) -> None:
    pages = _pages(project)
    assert len(pages) == 51
    facts = {
        key: _facts(load_document(path, project.rel(path), project.config.toc, docs_path=key))
        for key, path in pages
    }
    assert sum(len(f["links"]) for f in facts.values()) > 500
    assert sum(len(f["code_spans"]) for f in facts.values()) > 500
    _compare("documents.json", facts)


def test_tokens_are_markdown_it_tokens_of_the_whole_page(project: Project) -> None:
    """Inline runs skipped by the parse still get their children when `tokens` is read."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for key, path in _pages(project):
        doc = load_document(path, project.rel(path), project.config.toc, docs_path=key)
        body = "\n" * doc.front_matter_lines + doc.text.split("\n", doc.front_matter_lines)[-1]
        source, _, _ = markdown_source(body)
        expected = [token.as_dict() for token in md.parse(source)]
        assert [token.as_dict() for token in doc.tokens] == expected, key


@pytest.mark.parametrize("parallel", [False, True])
def test_links_findings_match_the_golden(
    project: Project, parallel: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "PARALLEL_THRESHOLD", 2 if parallel else 10**9)
    result = run_lint(project, checks=[LinksCheck()])
    found = [[f.rule, f.path, f.line, f.column, f.match, f.message] for f in result.findings]
    rules = {f[0] for f in found}
    assert {"links.broken", "links.anchor", "links.image", "links.orphan"} <= rules
    _compare("links-findings.json", found)
