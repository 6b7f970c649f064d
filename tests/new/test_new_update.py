"""`kb new SOURCE --update KB-0042`: reuse is review, and the edit touches nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from tests.new.support import KbProject, check_golden, fixture_text

EXISTING = Path(__file__).resolve().parents[1] / "fixtures" / "new" / "existing-article.md"


def _setup(project: KbProject) -> Path:
    return project.write("docs/kb/storage/gitserver-disk-full.md", EXISTING.read_text())


def test_update_merges_ticket_versions_errors_and_bumps_updated(
    project: KbProject, run_new
) -> None:
    article = _setup(project)
    before = article.read_text()
    nav_before = (project.root / "mkdocs.yml").read_text()
    result = run_new(str(project.source("gitserver-disk-full.md")), "--update", "KB-0042")
    assert result.code == 0, result.err
    after = article.read_text()
    check_golden("existing-article.updated.md", after)
    assert result.out.startswith("--- a/docs/kb/storage/gitserver-disk-full.md\n")
    assert "1 ticket," in result.err
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert removed == ["updated: 2024-02-03"]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added[:2] == ["- '48213'", "updated: 2024-06-01"]
    # Versions 5.2.4 is already listed; the three new log lines join the existing block.
    assert len(added) == 5
    assert all("lvl=" in line for line in added[2:])
    assert project.articles() == [article]
    assert (project.root / "mkdocs.yml").read_text() == nav_before


def test_update_twice_adds_nothing_new(project: KbProject, run_new) -> None:
    article = _setup(project)
    source = str(project.source("gitserver-disk-full.md"))
    run_new(source, "--update", "KB-0042")
    once = article.read_text()
    result = run_new(source, "--update", "KB-0042", "--json")
    payload = json.loads(result.out)
    assert (
        payload["id"] == "KB-0042" and payload["path"] == "docs/kb/storage/gitserver-disk-full.md"
    )
    assert payload["diff"] == ""
    assert article.read_text() == once


def test_update_dry_run_writes_nothing(project: KbProject, run_new) -> None:
    article = _setup(project)
    before = article.read_text()
    result = run_new(
        str(project.source("gitserver-disk-full.md")), "--update", "KB-0042", "--dry-run"
    )
    assert result.code == 0 and "+updated: 2024-06-01" in result.out
    assert article.read_text() == before


def test_update_unknown_id_exits_2(project: KbProject, run_new) -> None:
    _setup(project)
    result = run_new(str(project.source("chat-thread.txt")), "--update", "KB-9999")
    assert result.code == 2 and "no article with this id" in result.err
    assert run_new(str(project.source("chat-thread.txt")), "--update", "../x").code == 2


def test_update_adds_error_section_when_missing(project: KbProject, run_new) -> None:
    text = EXISTING.read_text()
    start = text.index("## Error messages")
    article = project.write(
        "docs/kb/storage/no-errors.md", text[:start] + text[text.index("## Environment") :]
    )
    result = run_new(str(project.source("chat-thread.txt")), "--update", "KB-0042")
    assert result.code == 0, result.err
    body = article.read_text()
    assert body.index("## Problem") < body.index("## Error messages") < body.index("## Environment")
    assert "ERROR zoekt-webserver: search failed" in body
    assert "maria" not in body.lower()


def test_redaction_applies_to_merged_lines(project: KbProject, run_new) -> None:
    article = _setup(project)
    run_new(str(project.source("gitserver-disk-full.md")), "--update", "KB-0042")
    assert "acme-robotics" not in article.read_text()
    assert fixture_text("gitserver-disk-full.md")  # fixture still readable
