"""--changed-since: git repos in temp dirs; rename, delete, heading change, bad ref."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kbtools.checks.base import LintOptions
from kbtools.checks.links import LinksCheck
from kbtools.errors import InputError
from kbtools.lint.changed import changed_targets
from kbtools.lint.runner import run_lint
from kbtools.project import Project

FILES = {
    "mkdocs.yml": "site_name: t\n",
    "docs/index.md": "# Home\n\n[guide](guide.md)\n",
    "docs/guide.md": "# Guide\n\n## Install\n\n## Configure\n\n![shot](img/shot.png)\n",
    "docs/faq.md": "# FAQ\n\nSee [install](guide.md#install).\n",
    "docs/other.md": "# Other\n\nSee [configure](guide.md#configure) and [faq](faq.md).\n",
    "docs/alone.md": "# Alone\n\nNo links here.\n",
    "docs/img/shot.png": "png",
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    return tmp_path


def targets(root: Path, ref: str = "main") -> set[str]:
    project = Project.load(str(root / "mkdocs.yml"))
    found: set[str] = set()

    def narrow(ctx):  # type: ignore[no-untyped-def]
        found.update(changed_targets(ctx.project, ref, ctx.documents))
        return found & ctx.targets

    run_lint(project, checks=[LinksCheck()], target_filter=narrow)
    return found


def test_nothing_changed(repo: Path) -> None:
    assert targets(repo) == set()


def test_edited_and_new_files_are_targets(repo: Path) -> None:
    (repo / "docs/alone.md").write_text("# Alone\n\nEdited.\n", encoding="utf-8")
    (repo / "docs/new.md").write_text("# New\n", encoding="utf-8")
    assert targets(repo) == {"alone.md", "new.md"}


def test_deleted_page_pulls_in_pages_linking_to_it(repo: Path) -> None:
    git(repo, "rm", "-q", "docs/faq.md")
    assert targets(repo) == {"other.md"}


def test_renamed_page_pulls_in_pages_linking_to_the_old_name(repo: Path) -> None:
    git(repo, "mv", "docs/guide.md", "docs/manual.md")
    assert targets(repo) == {"manual.md", "index.md", "faq.md", "other.md"}


def test_removed_heading_pulls_in_only_pages_linking_to_it(repo: Path) -> None:
    text = FILES["docs/guide.md"].replace("## Install", "## Installation")
    (repo / "docs/guide.md").write_text(text, encoding="utf-8")
    assert targets(repo) == {"guide.md", "faq.md"}
    # And the run reports the now-broken anchor in the unchanged page.
    project = Project.load(str(repo / "mkdocs.yml"))
    result = run_lint(
        project,
        checks=[LinksCheck()],
        target_filter=lambda ctx: changed_targets(ctx.project, "main", ctx.documents),
    )
    assert [(f.rule, f.path, f.line, f.suggestion) for f in result.findings] == [
        ("links.anchor", "docs/faq.md", 3, "guide.md#installation")
    ]
    assert result.files == ["docs/faq.md", "docs/guide.md"]


def test_deleted_image_pulls_in_its_page(repo: Path) -> None:
    git(repo, "rm", "-q", "docs/img/shot.png")
    assert targets(repo) == {"guide.md"}


def test_committed_changes_count_from_the_merge_base(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "docs/alone.md").write_text("# Alone\n\nOn the branch.\n", encoding="utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "x")
    git(repo, "checkout", "-q", "main")
    (repo / "docs/other.md").write_text("# Other\n\nMain moved on.\n", encoding="utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "y")
    git(repo, "checkout", "-q", "topic")
    assert targets(repo) == {"alone.md"}


def test_config_change_lints_everything(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text("site_name: t2\n", encoding="utf-8")
    assert targets(repo) == {"index.md", "guide.md", "faq.md", "other.md", "alone.md"}


def test_bad_ref_and_no_repository_are_input_errors(repo: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="not a commit"):
        targets(repo, "no-such-branch")
    plain = tmp_path_factory.mktemp("plain")
    (plain / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (plain / "docs").mkdir()
    (plain / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a git repository"):
        targets(plain)


def test_cli_changed_since(repo: Path) -> None:
    text = FILES["docs/guide.md"].replace("## Configure", "## Configuration")
    (repo / "docs/guide.md").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kbtools",
            "lint",
            "--changed-since",
            "main",
            "--style",
            "off",
            "--format",
            "github",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "file=docs/other.md,line=3,col=5" in result.stdout
    assert "docs/faq.md" not in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "kbtools", "lint", "--changed-since", "nope"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "not a commit" in bad.stderr


def test_unreadable_changed_file_is_a_finding(repo: Path) -> None:
    (repo / "docs/bad.md").write_bytes(b"# Bad\n\x00\x01")
    project = Project.load(str(repo / "mkdocs.yml"))
    result = run_lint(
        project,
        checks=[LinksCheck()],
        target_filter=lambda ctx: changed_targets(ctx.project, "main", ctx.documents),
    )
    assert [(f.rule, f.path) for f in result.findings] == [("file.read", "docs/bad.md")]


def test_nav_findings_only_when_the_change_broke_the_nav(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text(
        "site_name: t\nnav:\n  - index.md\n  - guide.md\n  - faq.md\n  - alone.md\n  - other.md\n  - gone-long-ago.md\n",
        encoding="utf-8",
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "nav")
    (repo / "docs/alone.md").write_text("# Alone\n\n[faq](faq.md)\n", encoding="utf-8")
    project = Project.load(str(repo / "mkdocs.yml"))

    def run() -> list[tuple[str, str]]:
        options = LintOptions(changed_since="main")
        result = run_lint(
            project,
            options=options,
            checks=[LinksCheck()],
            target_filter=lambda ctx: changed_targets(ctx.project, "main", ctx.documents),
        )
        return [(f.rule, f.match) for f in result.findings]

    assert run() == []  # the old broken entry is not this change's doing
    git(repo, "rm", "-q", "docs/faq.md")
    assert sorted(run()) == [
        ("links.broken", "faq.md"),  # alone.md
        ("links.broken", "faq.md"),  # other.md
        ("links.nav", "faq.md"),
    ]


def test_unpublishing_a_page_pulls_in_pages_linking_to_it(repo: Path) -> None:
    front = "---\nvisibility: internal\nstatus: published\n---\n"
    (repo / "docs/faq.md").write_text(front + FILES["docs/faq.md"], encoding="utf-8")
    assert targets(repo) == {"faq.md", "other.md"}
    project = Project.load(str(repo / "mkdocs.yml"))
    result = run_lint(
        project,
        checks=[LinksCheck()],
        target_filter=lambda ctx: changed_targets(ctx.project, "main", ctx.documents),
    )
    assert [(f.rule, f.path) for f in result.findings] == [("links.unpublished", "docs/other.md")]


def test_removing_the_last_link_to_a_page_makes_it_an_orphan(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text(
        "site_name: t\nnav:\n  - index.md\n  - guide.md\n  - other.md\n", encoding="utf-8"
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "nav")
    # faq.md is not in the nav; other.md holds the only link to it.
    (repo / "docs/other.md").write_text("# Other\n\nNo more links.\n", encoding="utf-8")
    assert targets(repo) == {"other.md", "faq.md"}
    project = Project.load(str(repo / "mkdocs.yml"))
    result = run_lint(
        project,
        checks=[LinksCheck()],
        target_filter=lambda ctx: changed_targets(ctx.project, "main", ctx.documents),
    )
    assert [(f.rule, f.path) for f in result.findings] == [("links.orphan", "docs/faq.md")]


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    site = tmp_path / "handbook"
    for name, text in FILES.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "other.txt").write_text("not docs\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "b")
    git(tmp_path, "mv", "handbook/docs/faq.md", "handbook/docs/questions.md")
    (tmp_path / "other.txt").write_text("changed\n", encoding="utf-8")
    assert targets(site) == {"questions.md", "other.md"}
