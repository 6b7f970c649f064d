"""SecretsCheck: secrets.* findings with kind, position and severity, never the value."""

from __future__ import annotations

import random
from pathlib import Path

from kbtools.checks.base import LintContext
from kbtools.checks.secrets import SecretsCheck
from kbtools.document import parse_document
from kbtools.findings import Severity
from kbtools.project import Project

_RNG = random.Random(11)
TOKEN = (
    "gh"
    + "p_"
    + "".join(_RNG.choice("abcdefghijkmnopqrstuvwxyzABCDEFGH0123456789") for _ in range(36))
)


def _run(tmp_path: Path, text: str) -> list:  # type: ignore[type-arg]
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - kb\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text(text)
    project = Project.load(start=tmp_path)
    doc = parse_document(text, page, "page.md", project.config.toc)
    ctx = LintContext(project=project, documents={"page.md": doc}, targets={"page.md"})
    return list(SecretsCheck().check_document(doc, ctx))


def test_public_page_secret_and_personal_are_errors(tmp_path: Path) -> None:
    findings = _run(tmp_path, f"# Page\n\nUse `{TOKEN}`.\nMail jane@acme.io\n")
    assert [(f.rule, f.line, f.column, f.severity) for f in findings] == [
        ("secrets.github-token", 3, 6, Severity.ERROR),
        ("secrets.email", 4, 6, Severity.ERROR),
    ]
    for f in findings:
        assert TOKEN not in f.message + f.match and "jane@acme.io" not in f.message + f.match


def test_internal_page_personal_is_warning(tmp_path: Path) -> None:
    text = f"---\nvisibility: internal\nstatus: published\n---\n{TOKEN}\njane@acme.io\n"
    findings = _run(tmp_path, text)
    assert [(f.rule, f.severity) for f in findings] == [
        ("secrets.github-token", Severity.ERROR),
        ("secrets.email", Severity.WARNING),
    ]


def test_rules_one_per_kind() -> None:
    ids = {rule.id for rule in SecretsCheck.rules}
    assert {"secrets.github-token", "secrets.email", "secrets.private-key", "secrets.ipv4"} <= ids
