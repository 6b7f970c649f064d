"""A KB in a git repository with a dated history: tickets added over months, a rename,
reviews that lapse, an old draft, an article on unsupported versions, an archived one."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

TODAY = dt.date(2026, 11, 30)
EPOCH = str(int(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC).timestamp()))

MKDOCS = """\
site_name: Report test KB
theme:
  name: material
markdown_extensions:
  - tables
plugins:
  - search
  - kb:
      product_areas: [search, storage, auth, upgrades, networking]
      report:
        oldest_supported: "5.2"
"""

SECTIONS = {
    "troubleshooting": ("Problem", "Error messages", "Environment", "Cause", "Resolution"),
    "known-issue": ("Problem", "Affected versions", "Workaround", "Status"),
}


def article(
    id: str,
    title: str,
    area: str,
    tickets: list[str],
    *,
    type: str = "troubleshooting",
    status: str = "published",
    created: str = "2026-01-01",
    updated: str | None = None,
    review_by: str = "2027-06-01",
    affected: tuple[str, ...] = ("5.3",),
    sections: tuple[str, ...] | None = None,
    todo: bool = False,
) -> str:
    """A KB article that passes `kb lint` unless asked otherwise."""
    lines = [
        "---",
        f"id: {id}",
        f"title: {title}",
        f"summary: {title}, and how to fix it.",
        f"type: {type}",
        f"product_area: {area}",
        "visibility: public",
        f"status: {status}",
        "versions:",
        f"  affected: [{', '.join(repr(v) for v in affected)}]",
        f"tickets: [{', '.join(tickets)}]",
        f"created: {created}",
    ]
    if updated:
        lines.append(f"updated: {updated}")
    lines += [f"review_by: {review_by}", "---", ""]
    for section in sections if sections is not None else SECTIONS[type]:
        lines += [f"## {section}", ""]
        if section == "Error messages":
            lines += ["```text", f"error: {title.lower()}", "```"]
        elif section == "Resolution" and todo:
            lines.append("TODO: write down the fix once support confirms it.")
        else:
            lines.append(f"The {section.lower()} of this case, written for the reader.")
        lines.append("")
    return "\n".join(lines)


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T10:00:00+00:00"
    return subprocess.run(
        ["git", "-c", "user.name=Support", "-c", "user.email=support@example.com", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


class Repo:
    """Writes files and commits them with a given date."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.kb = root / "docs" / "kb"

    def write(self, name: str, text: str) -> None:
        path = self.kb / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, when: str, message: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message, when=when)


def build_history(root: Path) -> Repo:
    """The dated history every report test asserts on (see the module docstring)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "docs" / "kb").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Report test KB\n\nThe handbook.\n")
    repo = Repo(root)

    legacy: dict[str, Any] = dict(
        type="known-issue", created="2025-05-01", updated="2025-06-01", affected=("4.5", "5.0")
    )
    repo.write(
        "legacy-upgrade.md",
        article("KB-0004", "Upgrade from 4.5 stalls", "upgrades", ["ZD-50", "ZD-51"], **legacy),
    )
    repo.commit("2025-11-20", "Import the legacy upgrade article")

    clone: dict[str, Any] = dict(created="2025-12-01", review_by="2026-06-01")
    repo.write(
        "clone-eof.md",
        article("KB-0002", "Clone fails with early EOF", "storage", ["ZD-1", "ZD-2"], **clone),
    )
    repo.commit("2025-12-01", "Add clone EOF article")
    repo.write(
        "clone-eof.md",
        article(
            "KB-0002", "Clone fails with early EOF", "storage", ["ZD-1", "ZD-2", "ZD-3"], **clone
        ),
    )
    repo.commit("2026-01-15", "KB-0002: ZD-3")
    repo.write(
        "clone-eof.md",
        article(
            "KB-0002",
            "Clone fails with early EOF",
            "storage",
            ["ZD-1", "ZD-2", "ZD-3", "ZD-4"],
            **clone,
        ),
    )
    repo.commit("2026-02-20", "KB-0002: ZD-4")

    search: dict[str, Any] = dict(created="2026-03-02")
    title = "Search times out on large repositories"
    repo.write("search-timeout.md", article("KB-0001", title, "search", ["ZD-100"], **search))
    repo.commit("2026-03-02", "Add search timeout article")
    repo.write(
        "search-timeout.md", article("KB-0001", title, "search", ["ZD-100", "ZD-101"], **search)
    )
    repo.commit("2026-05-10", "KB-0001: ZD-101")
    repo.write(
        "search-timeout.md",
        article("KB-0001", title, "search", ["ZD-100", "ZD-101", "ZD-102"], **search),
    )
    repo.commit("2026-05-20", "KB-0001: ZD-102")
    git(root, "mv", "docs/kb/search-timeout.md", "docs/kb/search-timeout-large-repos.md")
    repo.commit("2026-08-15", "Rename the search timeout article")

    draft = article(
        "KB-0003",
        "SAML login loops",
        "auth",
        ["ZD-200"],
        status="draft",
        created="2026-09-01",
        todo=True,
    )
    repo.write("old-draft.md", draft + "See [the SSO setup](sso-setup.md) first.\n")
    repo.write(
        "archived.md",
        article(
            "KB-0006",
            "Old proxy setting",
            "networking",
            ["ZD-7", "ZD-8", "ZD-9"],
            status="archived",
        ),
    )
    repo.commit("2026-09-01", "Add a draft and an archived article")

    five = ["ZD-100", "ZD-101", "ZD-102", "ZD-103", "ZD-104"]
    repo.write("search-timeout-large-repos.md", article("KB-0001", title, "search", five, **search))
    repo.commit("2026-11-10", "KB-0001: ZD-103, ZD-104")

    repo.write(
        "no-errors.md",
        article(
            "KB-0005",
            "Indexing is slow",
            "search",
            ["ZD-300"],
            created="2026-11-20",
            sections=("Problem", "Environment", "Cause"),
        ),
    )
    repo.commit("2026-11-20", "Add indexing article")
    return repo


@pytest.fixture
def history_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository above, with SOURCE_DATE_EPOCH at TODAY and cwd at its root."""
    root = build_history(tmp_path / "kb-repo").root
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(root)
    return root
