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
    assert dict(findings[0].extra) == {"kind": "github-token", "category": "secret"}


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


def test_no_finding_carries_the_value(tmp_path: Path) -> None:
    from tests.sensitive.planted import TOKENS

    values = [v for k, v in TOKENS.items() if k not in ("HIGH_ENTROPY", "BEARER")]
    values += ["peter.gibbons@initech.com", "73.158.64.21", "+1 512 867 5309"]
    text = "# Leaks\n\n" + "\n\n".join(f"- `{v}`" if "\n" not in v else v for v in values) + "\n"
    findings = _run(tmp_path, text)
    assert len(findings) == len(values)
    for f in findings:
        assert f.match.startswith("sha256:") and len(f.match) == 23
        for value in values:
            assert value not in f.message and value not in f.match
            assert value.split("\n")[0] not in f.message + f.help


def test_same_value_same_fingerprint_other_value_other(tmp_path: Path) -> None:
    findings = _run(tmp_path, "a jane@acme.io\n\nb jane@acme.io\n\nc bob@acme.io\n")
    assert findings[0].match == findings[1].match != findings[2].match


def test_private_addresses_are_not_reported_on_pages(tmp_path: Path) -> None:
    assert _run(tmp_path, "# Net\n\nProxy at http://10.20.0.5:3128 and 192.168.1.20\n") == []
