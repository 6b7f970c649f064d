"""StyleCheck: the project's Vale styles over the target documents, one engine run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kbtools.checks.base import LintContext, LintOptions
from kbtools.checks.style import StyleCheck, run_style
from kbtools.document import load_document
from kbtools.errors import ConfigError
from kbtools.findings import Severity
from kbtools.project import Project

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "style" / "project"
SCAFFOLD = REPO / "kbtools" / "templates" / "scaffold"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """The fixture project plus the house style that `kb init` ships."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copy(SCAFFOLD / ".vale.ini", root / ".vale.ini")
    shutil.copytree(SCAFFOLD / "styles", root / "styles")
    return root


def make_context(root: Path, style: str = "builtin") -> LintContext:
    project = Project.load(start=root)
    documents = {}
    for path in project.markdown_files():
        docs_rel = project.docs_rel(path)
        assert docs_rel is not None
        documents[docs_rel] = load_document(
            path, project.rel(path), project.config.toc, docs_path=docs_rel
        )
    return LintContext(
        project=project,
        documents=documents,
        targets=set(documents),
        options=LintOptions(style=style),
    )


def summary(findings: list) -> list[str]:
    return sorted(f"{f.path}:{f.line}:{f.column}:{f.rule}:{f.severity.value}" for f in findings)


def test_builtin_engine_reports_house_style_findings(project_dir: Path) -> None:
    ctx = make_context(project_dir)
    findings = list(StyleCheck().check_project(ctx))
    assert summary(findings) == [
        "docs/index.md:5:4:style.House.Headings:warning",
        "docs/index.md:7:1:style.House.Avoid:warning",
        "docs/index.md:7:65:style.House.Products:warning",
        "docs/kb/KB-0001-login-loop.md:10:19:style.House.FirstPerson:warning",
        "docs/kb/KB-0001-login-loop.md:10:1:style.House.SentenceLength:warning",
        "docs/kb/KB-0001-login-loop.md:10:32:style.House.SignIn:warning",
        "docs/kb/KB-0001-login-loop.md:21:7:style.House.Avoid:warning",
    ]
    products = next(f for f in findings if f.rule == "style.House.Products")
    assert products.message == (
        "Use 'Kubernetes' instead of 'kubernetes': write product names the way their makers do."
    )
    assert products.match == "kubernetes"
    assert products.end_column == 65 + len("kubernetes")
    assert ctx.notes == ["style: built-in Vale engine (--style builtin)"]


def test_only_target_documents_are_linted(project_dir: Path) -> None:
    ctx = make_context(project_dir)
    ctx.targets = {"guide/clean.md"}
    assert list(StyleCheck().check_project(ctx)) == []


def test_missing_vale_ini_skips_style_with_a_note(project_dir: Path) -> None:
    (project_dir / ".vale.ini").unlink()
    ctx = make_context(project_dir)
    assert list(StyleCheck().check_project(ctx)) == []
    assert ctx.notes and ctx.notes[0].startswith("style: skipped (no .vale.ini")


def test_style_off_runs_nothing(project_dir: Path) -> None:
    ctx = make_context(project_dir, style="off")
    assert list(StyleCheck().check_project(ctx)) == []
    assert ctx.notes == []


def test_auto_without_vale_uses_builtin_and_says_so(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(project_dir / "no-bin"))
    ctx = make_context(project_dir, style="auto")
    findings = list(StyleCheck().check_project(ctx))
    assert findings
    assert ctx.notes == ["style: built-in Vale engine (vale not on PATH)"]


def test_vale_requested_but_missing_is_a_config_error(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(project_dir / "no-bin"))
    ctx = make_context(project_dir, style="vale")
    with pytest.raises(ConfigError, match="vale not on PATH"):
        list(StyleCheck().check_project(ctx))


def test_broken_rule_file_is_one_config_error(project_dir: Path) -> None:
    (project_dir / "styles" / "House" / "Broken.yml").write_text(
        "extends: existence\nmessage: 'x'\ntokens: ['(unclosed']\n", encoding="utf-8"
    )
    ctx = make_context(project_dir)
    with pytest.raises(ConfigError) as caught:
        list(StyleCheck().check_project(ctx))
    message = str(caught.value)
    assert "Broken.yml" in message and "\n" not in message


def test_skipped_rule_types_are_reported_once(project_dir: Path) -> None:
    (project_dir / "styles" / "House" / "Nouns.yml").write_text(
        "extends: sequence\nmessage: 'x'\ntokens:\n  - tag: NN\n", encoding="utf-8"
    )
    run = run_style(project_dir, project_dir / ".vale.ini", [("docs/a.md", "Text.\n")], "builtin")
    assert run.notes[-1] == "style: built-in engine skipped 1 rule: House.Nouns (sequence)"


def test_severity_comes_from_the_style(project_dir: Path) -> None:
    dense = "Organizational interoperability considerations necessitate documentation. "
    docs = [("docs/a.md", "# Page\n\n" + dense * 5 + "\n")]
    run = run_style(project_dir, project_dir / ".vale.ini", docs, "builtin")
    levels = {f.rule: f.severity for f in run.findings}
    assert levels["style.House.Readability"] is Severity.SUGGESTION
    readability = next(f for f in run.findings if f.rule == "style.House.Readability")
    assert (readability.line, readability.column) == (1, 1)
    assert readability.help.startswith("https://en.wikipedia.org/")


def test_kb_lint_exits_2_on_a_broken_style(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kbtools.cli import main

    (project_dir / "styles" / "House" / "Broken.yml").write_text(
        "extends: existence\nmessage: 'x'\ntokens: ['(unclosed']\n", encoding="utf-8"
    )
    code = main(["lint", "-f", str(project_dir / "mkdocs.yml"), "--style", "builtin"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Broken.yml" in err and err.count("\n") == 1


def test_kb_lint_prints_the_engine_note(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kbtools.cli import main

    code = main(["lint", "-f", str(project_dir / "mkdocs.yml"), "--style", "builtin"])
    out = capsys.readouterr()
    assert code == 1
    assert "style: built-in Vale engine (--style builtin)" in out.out + out.err
    assert "style.House.SignIn" in out.out


def test_repository_style_is_the_scaffold_style() -> None:
    scaffold = sorted(p.relative_to(SCAFFOLD) for p in SCAFFOLD.rglob("*") if p.is_file())
    styles = [p for p in scaffold if p.parts[0] == "styles" or p.name == ".vale.ini"]
    assert Path(".vale.ini") in styles and len(styles) >= 8
    for rel in styles:
        assert (REPO / rel).read_bytes() == (SCAFFOLD / rel).read_bytes(), rel


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Install it on kubernetes.", "style.House.Products"),
        ("Open the github settings.", "style.House.Products"),
        ("Simply restart the service.", "style.House.Avoid"),
        ("It is easy to restart.", "style.House.Avoid"),
        ("Login to the admin area.", "style.House.SignIn"),
        ("You can login with SSO.", "style.House.SignIn"),
        ("We restarted the service for our users.", "style.House.FirstPerson"),
        ("word " * 31 + "end.", "style.House.SentenceLength"),
    ],
)
def test_each_house_rule_fires(project_dir: Path, text: str, rule: str) -> None:
    run = run_style(
        project_dir,
        project_dir / ".vale.ini",
        [("docs/kb/a.md", f"# Title\n\n{text}\n")],
        "builtin",
    )
    assert rule in {f.rule for f in run.findings}


@pytest.mark.parametrize(
    "text",
    [
        "Install it on Kubernetes with Docker Compose and PostgreSQL.",
        "Edit `docker-compose.yml` and open https://github.com/example/repo for details.",
        "Sign in to the admin area from the login page.",
        "You restart the service; the product keeps your settings.",
        "Read the US region notes.",
    ],
)
def test_house_rules_stay_quiet_on_good_text(project_dir: Path, text: str) -> None:
    run = run_style(
        project_dir,
        project_dir / ".vale.ini",
        [("docs/kb/a.md", f"# Title\n\n{text}\n")],
        "builtin",
    )
    assert run.findings == []


def test_headings_allow_acronyms_and_product_names(project_dir: Path) -> None:
    text = "# Configure SSO with GitHub\n\n## Set up the API token\n\n## Troubleshooting Tips\n"
    run = run_style(project_dir, project_dir / ".vale.ini", [("docs/a.md", text)], "builtin")
    assert [(f.rule, f.line) for f in run.findings] == [("style.House.Headings", 5)]


def test_spelling_without_dictionary_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbtools.valecompat.rules import spelling

    monkeypatch.setattr(spelling, "DICTIONARY_DIRS", (tmp_path / "none",))
    (tmp_path / ".vale.ini").write_text("[*.md]\nBasedOnStyles = Vale\n", encoding="utf-8")
    run = run_style(tmp_path, tmp_path / ".vale.ini", [("a.md", "Teh word.\n")], "builtin")
    assert run.findings == []
    assert run.notes[-1].startswith("style: built-in engine skipped 1 rule: Vale.Spelling")
    assert "dictionary not found" in run.notes[-1]


def test_spelling_with_the_system_dictionary(tmp_path: Path) -> None:
    from kbtools.valecompat.rules.spelling import DictionaryMissing, default_dictionary

    try:
        default_dictionary()
    except DictionaryMissing:
        pytest.skip("no en_US Hunspell dictionary on this machine")
    (tmp_path / ".vale.ini").write_text("[*.md]\nBasedOnStyles = Vale\n", encoding="utf-8")
    text = "The recieve step works.\n"
    run = run_style(tmp_path, tmp_path / ".vale.ini", [("a.md", text)], "builtin")
    assert [(f.rule, f.column, f.message) for f in run.findings] == [
        ("style.Vale.Spelling", 5, "Did you really mean 'recieve'?")
    ]


def _fixture_docs_times(root: Path, copies: int) -> list[tuple[str, str]]:
    """The fixture's pages, each repeated under other names (enough to share over workers)."""
    pages = sorted((root / "docs").rglob("*.md"))
    return [
        (f"docs/copy{n}/{page.relative_to(root / 'docs').as_posix()}", page.read_text())
        for n in range(copies)
        for page in pages
    ]


def test_builtin_engine_over_worker_processes_gives_the_same_findings(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbtools import parallel
    from kbtools.checks import style

    documents = _fixture_docs_times(project_dir, 12)
    assert len(documents) >= style.PARALLEL_THRESHOLD
    config = project_dir / ".vale.ini"
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    serial = run_style(project_dir, config, documents, "builtin").findings
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    forked = run_style(project_dir, config, documents, "builtin").findings
    assert len(serial) > 12
    assert sorted(forked, key=lambda f: f.sort_key()) == sorted(serial, key=lambda f: f.sort_key())


def test_a_failing_style_worker_leaves_its_share_to_this_process(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbtools import parallel

    documents = _fixture_docs_times(project_dir, 12)
    config = project_dir / ".vale.ini"
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    serial = run_style(project_dir, config, documents, "builtin").findings

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("worker crashed")

    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel.pickle, "dumps", broken)  # only workers pickle
    forked = run_style(project_dir, config, documents, "builtin").findings
    assert sorted(forked, key=lambda f: f.sort_key()) == sorted(serial, key=lambda f: f.sort_key())
