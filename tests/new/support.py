"""Helpers for `kb new` tests: fixture texts, a temporary KB project, golden files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tickets"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "new"
UPDATE_GOLDEN = os.environ.get("KB_UPDATE_GOLDEN") == "1"
EPOCH = "1717200000"  # 2024-06-01: fixed date for golden output

MKDOCS_YML = """\
site_name: Demo KB
docs_dir: docs
nav:
  - Home: index.md
  # Knowledge base: kb new adds articles here
  - KB:
    - kb/index.md
plugins:
  - search
  - kb:
      articles_dir: kb
      product_areas: [install, upgrades, auth, search, storage, networking, observability]
"""


def github_token() -> str:
    """A token-shaped value assembled at run time (never committed literally)."""
    return "gh" + "p_" + "R4nd0mLook1ngT0k3n" + "x" * 10 + "Q7w9Z1k2"


def fixture_text(name: str) -> str:
    """A ticket fixture with its token placeholders filled in."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text.replace("{{GITHUB_TOKEN}}", github_token())


@dataclass
class Result:
    """What one `kb new` run did."""

    code: int
    out: str
    err: str


@dataclass
class KbProject:
    """A temporary KB repository."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def kb(self) -> Path:
        return self.docs / "kb"

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def source(self, fixture: str) -> Path:
        """Copy a ticket fixture (tokens filled in) next to the project."""
        path = self.root.parent / "input" / fixture
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fixture_text(fixture), encoding="utf-8")
        return path

    def articles(self) -> list[Path]:
        return sorted(p for p in self.kb.rglob("*.md") if p.name != "index.md")


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/new/<name>; KB_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path} was missing and has been written; check it in")
    assert actual == path.read_text(encoding="utf-8"), f"differs from golden {path}"
