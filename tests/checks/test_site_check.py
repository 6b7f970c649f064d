"""`site.engine-bypass`: a zensical.toml or a workflow running an engine directly, on a KB
that has pages the public site must not hold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kbtools.cli import main
from tests.site.conftest import FIXTURE

WORKFLOW = """name: docs
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: pip install zensical
      # - run: mkdocs build   (a comment is not a command)
      - run: zensical build --clean
      - run: python -m mkdocs gh-deploy --force
      - run: kb build --audience public
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    (target / ".git").mkdir()  # the repository root: workflows are looked up to here
    return target


def bypass(project: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    main(["lint", "-f", str(project / "mkdocs.yml"), "--format", "json", "--style", "off"])
    report = json.loads(capsys.readouterr().out)
    return [f for f in report["findings"] if f["rule"] == "site.engine-bypass"]


def test_zensical_toml_and_workflow_engine_runs_are_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "zensical.toml").write_text('[project]\nsite_name = "KB"\n', encoding="utf-8")
    workflows = project / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "docs.yml").write_text(WORKFLOW, encoding="utf-8")
    found = bypass(project, capsys)
    where = sorted((f["path"], f["line"]) for f in found)
    assert where == [
        (".github/workflows/docs.yml", 9),
        (".github/workflows/docs.yml", 10),
        ("zensical.toml", 1),
    ]
    assert all(f["severity"] == "warning" for f in found)
    messages = {f["line"]: f["message"] for f in found}
    assert "kb build --engine zensical" in messages[9]
    assert "kb build --engine mkdocs" in messages[10]


def test_a_kb_with_only_public_articles_is_not_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (project / "docs/kb").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "visibility: internal" in text or "status: draft" in text or "status: archived" in text:
            path.unlink()
    (project / "zensical.toml").write_text("", encoding="utf-8")
    assert bypass(project, capsys) == []


def test_the_scaffolded_workflow_is_not_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kb"
    assert main(["init", str(target)]) == 0
    article = next((target / "docs/kb").rglob("*.md"))
    if article.name == "index.md":
        article = next(p for p in (target / "docs/kb").rglob("*.md") if p.name != "index.md")
    text = article.read_text(encoding="utf-8").replace("visibility: public", "visibility: internal")
    article.write_text(text, encoding="utf-8")
    assert "kb build" in (target / ".github/workflows/docs.yml").read_text(encoding="utf-8")
    assert bypass(target, capsys) == []
    (target / "zensical.toml").write_text("", encoding="utf-8")
    assert len(bypass(target, capsys)) == 1


def test_workflows_of_the_repository_holding_a_docs_subfolder_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    project = repo / "support-docs"
    shutil.copytree(FIXTURE, project)
    (repo / ".git").mkdir()
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "pages.yaml").write_text(
        "jobs:\n  b:\n    steps:\n      - run: cd support-docs && properdocs build\n",
        encoding="utf-8",
    )
    found = bypass(project, capsys)
    assert [(f["path"], f["line"]) for f in found] == [("../.github/workflows/pages.yaml", 4)]
    assert "kb build --engine properdocs" in str(found[0]["message"])
