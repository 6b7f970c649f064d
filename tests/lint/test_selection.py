"""Rule selection decides which checks run at all: a check whose rules are all off is skipped."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from kbtools.checks import REGISTRY, default_checks
from kbtools.checks.base import Check, LintContext, finding
from kbtools.document import Document
from kbtools.findings import Finding, Severity
from kbtools.lint.runner import run_lint
from kbtools.lint.selection import Selection
from kbtools.project import Project
from kbtools.rules import RuleInfo
from tests.helpers import MINIMAL_CONFIG, write_project

ONE = RuleInfo("probe.one", Severity.ERROR, "first")
TWO = RuleInfo("probe.two", Severity.WARNING, "second")


class Probe(Check):
    """Reports one finding per rule per document and counts its calls."""

    name = "probe"
    rules = (ONE, TWO)

    def __init__(self) -> None:
        self.calls = 0

    def check_document(self, doc: Document, ctx: LintContext) -> Iterable[Finding]:
        self.calls += 1
        return [finding(ONE, doc.rel_path, 1, 1, "one"), finding(TWO, doc.rel_path, 1, 1, "two")]


def test_silences_by_rule_ids_and_by_prefix() -> None:
    selection = Selection({"probe": "off", "probe.two": "warning", "style": "off"})
    assert not selection.silences("probe", ["probe.one", "probe.two"])
    assert selection.silences("probe", ["probe.one"])
    assert selection.silences("style")  # no declared rules: the prefix decides
    assert not Selection({"style": "off", "style.House.Avoid": "error"}).silences("style")
    assert Selection({"*": "off"}).silences("links")
    assert not Selection({}).silences("links")
    assert not Selection({"links.broken": "off"}).silences("links")


@pytest.fixture(autouse=True)
def _probe_rules_are_known(monkeypatch: pytest.MonkeyPatch) -> None:
    # mkdocs.yml may only name known rules; the probe check's rules are known to this run.
    monkeypatch.setattr("kbtools.rulesdoc.known_rules", lambda: [ONE, TWO])


def _run(tmp_path: Path, rules: str) -> tuple[Probe, list[str]]:
    config = MINIMAL_CONFIG.replace(
        "      product_areas: [install, search, auth]\n",
        f"      product_areas: [install, search, auth]\n      lint:\n        rules: {rules}\n",
    )
    write_project(tmp_path, {"docs/index.md": "# Home\n"}, config)
    probe = Probe()
    result = run_lint(Project.load(start=tmp_path), checks=[probe])
    return probe, [f.rule for f in result.findings]


def test_a_check_whose_rules_are_all_off_does_not_run(tmp_path: Path) -> None:
    probe, found = _run(tmp_path, '{probe: "off"}')
    assert probe.calls == 0
    assert found == []


def test_a_check_with_one_rule_left_on_runs(tmp_path: Path) -> None:
    probe, found = _run(tmp_path, '{probe: "off", probe.two: error}')
    assert probe.calls == 1
    assert found == ["probe.two"]


def test_default_checks_skip_by_prefix_and_rule_ids_start_with_the_prefix() -> None:
    checks = default_checks(skip=lambda prefix: prefix in ("secrets", "links.external"))
    assert [c.name for c in checks] == ["frontmatter", "structure", "links", "style", "site"]
    prefixes = {name: prefix for name, prefix, _, _ in REGISTRY}
    for check in default_checks():
        prefix = prefixes[check.name]
        assert all(rule.id.startswith(prefix + ".") for rule in check.rules), check.name


def test_links_off_also_silences_the_external_check() -> None:
    external = next(c for c in default_checks() if c.name == "external")
    assert Selection({"links": "off"}).silences("", [r.id for r in external.rules])
    assert Selection({"links": "off"}).silences("links.external")
    assert not Selection({"links": "off", "links.external": "warning"}).silences("links.external")
