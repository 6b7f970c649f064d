"""`kb lint` end to end in-process: exit codes, every format, baselines, pragmas, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from tests.helpers import VALID_ARTICLE, run_kb, write_project

SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
BROKEN_ARTICLE = VALID_ARTICLE.replace("visibility: public\n", "visibility: everyone\n")


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return write_project(
        tmp_path,
        {
            "docs/index.md": "# Home\n\nWelcome.\n",
            "docs/kb/search/empty-index.md": VALID_ARTICLE,
            "docs/kb/search/broken.md": BROKEN_ARTICLE.replace("KB-0001", "KB-0002"),
        },
    )


def lint_json(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run_kb(["lint", "--format", "json", "--style", "off", *args], root)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_clean_project_exits_0(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/index.md": "# Home\n", "docs/kb/search/a.md": VALID_ARTICLE})
    result = run_kb(["lint", "--style", "off"], tmp_path)
    assert result.code == 0, result.out
    assert "0 errors" in result.out


def test_broken_front_matter_exits_1_with_finding_at_the_right_line(kb: Path) -> None:
    result = run_kb(["lint", "--style", "off"], kb)
    assert result.code == 1
    assert "docs/kb/search/broken.md" in result.out
    data = lint_json(kb)
    [item] = [f for f in data["findings"] if f["rule"] == "frontmatter.enum"]
    assert item["path"] == "docs/kb/search/broken.md"
    assert item["line"] == 7  # the `visibility:` line
    assert "everyone" in item["message"]
    assert data["summary"]["errors"] == 1


def test_github_format_annotates_and_escapes(kb: Path) -> None:
    result = run_kb(["lint", "--format", "github", "--style", "off"], kb)
    assert result.code == 1
    annotation = next(line for line in result.out.splitlines() if line.startswith("::error"))
    assert annotation.startswith(
        "::error file=docs/kb/search/broken.md,line=7,col=1,title=frontmatter.enum::"
    )
    from kbtools.reporters.github import escape_data, escape_property

    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_sarif_is_valid_2_1_0(kb: Path) -> None:
    result = run_kb(["lint", "--format", "sarif", "--style", "off"], kb)
    log = json.loads(result.out)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "frontmatter.enum" in rule_ids
    [res] = run["results"]
    assert res["ruleId"] == "frontmatter.enum"
    assert rule_ids[res["ruleIndex"]] == "frontmatter.enum"
    assert res["level"] == "error"
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/kb/search/broken.md"
    assert location["region"]["startLine"] == 7


def test_junit_has_one_testcase_per_file(kb: Path) -> None:
    result = run_kb(["lint", "--format", "junit", "--style", "off"], kb)
    root = ET.fromstring(result.out)
    cases = root.findall(".//testcase")
    assert sorted(c.get("name") for c in cases) == [
        "docs/index.md",
        "docs/kb/search/broken.md",
        "docs/kb/search/empty-index.md",
    ]
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == ["docs/kb/search/broken.md"]
    assert root.get("failures") == "1"


def test_text_format_groups_by_file_with_summary(kb: Path) -> None:
    out = run_kb(["lint", "--style", "off", "--no-color"], kb).out
    lines = out.splitlines()
    assert lines[0] == "docs/kb/search/broken.md"
    assert lines[1].split()[:2] == ["7:1", "error"]
    assert lines[-1].startswith("1 error, 0 warnings, 0 suggestions in 1 of 3 files")
    assert "\x1b[" not in out
    assert "\x1b[31m" in run_kb(["lint", "--style", "off", "--color"], kb).out


def test_output_file_is_written_and_stdout_stays_empty(kb: Path) -> None:
    result = run_kb(["lint", "--style", "off", "--format", "json", "-o", "out/report.json"], kb)
    assert result.code == 1
    assert result.out == ""
    assert json.loads((kb / "out" / "report.json").read_text())["version"] == 1
    assert not [p for p in (kb / "out").iterdir() if p.name.endswith(".tmp")]


def test_fail_on_warning(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/index.md": "# A\n\n### Skipped a level\n"})
    assert run_kb(["lint", "--style", "off"], tmp_path).code == 0
    assert run_kb(["lint", "--style", "off", "--fail-on", "warning"], tmp_path).code == 1


def test_rule_selection_by_prefix_from_config(kb: Path) -> None:
    config = (
        (kb / "mkdocs.yml")
        .read_text()
        .replace(
            "product_areas: [install, search, auth]",
            "product_areas: [install, search, auth]\n      lint: {rules: {frontmatter: warning}}",
        )
    )
    (kb / "mkdocs.yml").write_text(config)
    data = lint_json(kb)
    assert [f["severity"] for f in data["findings"]] == ["warning"]
    (kb / "mkdocs.yml").write_text(
        config.replace("frontmatter: warning", "frontmatter.enum: 'off'")
    )
    assert lint_json(kb)["findings"] == []


def test_inline_pragmas_suppress_centrally(tmp_path: Path) -> None:
    page = (
        "# A\n\n<!-- kb-lint disable-next-line structure.heading-increment -->\n### One\n\n"
        "#### Fine\n\n# Second title\n"
    )
    write_project(tmp_path, {"docs/index.md": page})
    data = lint_json(tmp_path)
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("structure.title", 8)]
    assert data["summary"]["suppressed"] == 1


def test_pragmas_shown_as_examples_in_code_do_nothing(tmp_path: Path) -> None:
    """A guide page that documents the pragma syntax must not switch rules off by doing so."""
    page = (
        "# A\n\nWrite `<!-- kb-lint disable-file -->` to turn every rule off.\n\n"
        "```markdown\n<!-- kb-lint disable structure -->\n```\n\n### Skipped level\n"
    )
    write_project(tmp_path, {"docs/index.md": page})
    data = lint_json(tmp_path)
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [
        ("structure.heading-increment", 9)
    ]
    assert data["summary"]["suppressed"] == 0


def test_baseline_keeps_old_findings_quiet_when_lines_move(kb: Path) -> None:
    assert run_kb(["lint", "--style", "off", "--write-baseline", "kb-baseline.json"], kb).code == 0
    assert run_kb(["lint", "--style", "off", "--baseline", "kb-baseline.json"], kb).code == 0
    broken = kb / "docs/kb/search/broken.md"
    broken.write_text(
        broken.read_text().replace(
            "tags: [search, upgrade]\n", "tags: [search, upgrade]\n# moved\n"
        )
    )
    assert run_kb(["lint", "--style", "off", "--baseline", "kb-baseline.json"], kb).code == 0
    broken.write_text(broken.read_text().replace("status: published", "status: done"))
    result = run_kb(["lint", "--style", "off", "--baseline", "kb-baseline.json"], kb)
    assert result.code == 1
    assert "'status' is 'done'" in result.out
    assert "everyone" not in result.out


def test_bad_baseline_file_is_exit_2(kb: Path) -> None:
    (kb / "b.json").write_text("[1, 2]")
    result = run_kb(["lint", "--style", "off", "--baseline", "b.json"], kb)
    assert result.code == 2
    assert "not a kb baseline file" in result.err


def test_unknown_format_is_usage_error(kb: Path) -> None:
    result = run_kb(["lint", "--format", "xml"], kb)
    assert result.code == 2


def test_duplicate_ids_across_the_kb(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/kb/search/a.md": VALID_ARTICLE, "docs/kb/search/b.md": VALID_ARTICLE},
    )
    data = lint_json(tmp_path)
    dupes = [f for f in data["findings"] if f["rule"] == "frontmatter.duplicate-id"]
    assert [f["path"] for f in dupes] == ["docs/kb/search/a.md", "docs/kb/search/b.md"]


class TestBadInputKeepsTheRunGoing:
    """Each bad file becomes a finding; the good file next to it is still linted."""

    @pytest.fixture
    def project(self, tmp_path: Path) -> Path:
        root = write_project(
            tmp_path,
            {
                "docs/index.md": "# Home\n\n### skipped level\n",
                "docs/kb/search/good.md": VALID_ARTICLE,
                "docs/not-mapping.md": "---\n- a\n- b\n---\ntext\n",
                "docs/tabs.md": "---\ntitle: a\n\tb: c\n---\n",
                "docs/dupkeys.md": "---\ntitle: a\ntitle: b\n---\n",
                "docs/unterminated.md": "---\ntitle: a\n\n# Heading\n",
                "docs/empty.md": "",
            },
        )
        (root / "docs" / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
        (root / "docs" / "latin1.md").write_bytes(b"# Caf\xe9\n")
        loop = root / "docs" / "loop"
        loop.mkdir()
        (loop / "again").symlink_to("..")
        return root

    def test_every_bad_file_is_a_finding(self, project: Path) -> None:
        data = lint_json(project)
        by_path = {(f["path"], f["rule"]) for f in data["findings"]}
        assert ("docs/not-mapping.md", "frontmatter.syntax") in by_path
        assert ("docs/tabs.md", "frontmatter.syntax") in by_path
        assert ("docs/dupkeys.md", "frontmatter.syntax") in by_path
        assert ("docs/unterminated.md", "frontmatter.syntax") in by_path
        assert ("docs/binary.md", "file.read") in by_path
        assert ("docs/latin1.md", "file.encoding") in by_path
        assert ("docs/loop/again", "file.symlink-loop") in by_path
        assert ("docs/index.md", "structure.heading-increment") in by_path
        assert not any(p == "docs/empty.md" for p, _ in by_path)
        assert not any(p == "docs/kb/search/good.md" for p, _ in by_path)
        assert data["summary"]["files"] == 9

    def test_path_outside_the_project_is_a_finding(
        self, project: Path, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        outside = tmp_path_factory.mktemp("elsewhere") / "x.md"
        outside.write_text("# x\n")
        data = lint_json(project, str(outside), "docs/index.md")
        rules = {(f["rule"], f["path"].endswith("x.md")) for f in data["findings"]}
        assert ("file.outside", True) in rules
        assert data["summary"]["files"] == 1


def test_missing_docs_dir_is_a_config_error(tmp_path: Path) -> None:
    write_project(tmp_path, {})
    result = run_kb(["lint"], tmp_path)
    assert result.code == 2
    assert "docs_dir 'docs' does not exist" in result.err


def test_duplicate_ids_without_parsing_every_page(tmp_path: Path) -> None:
    """A --changed-since run finds the shared id but parses only the articles that share it."""
    from kbtools.checks.base import LintContext
    from kbtools.checks.frontmatter import FrontmatterCheck
    from kbtools.lint.documents import DocumentStore
    from kbtools.project import Project

    other = VALID_ARTICLE.replace("id: KB-0001", "id: KB-0002")
    write_project(
        tmp_path,
        {
            "docs/kb/search/a.md": VALID_ARTICLE,
            "docs/kb/search/b.md": VALID_ARTICLE,
            "docs/kb/search/c.md": other,
            "docs/index.md": "# Home\n",
        },
    )
    project = Project.load(start=tmp_path)
    files = {project.docs_rel(p) or "": p for p in project.markdown_files()}
    store = DocumentStore(project, files)
    ctx = LintContext(project=project, documents=store, targets={"kb/search/b.md"})
    found = list(FrontmatterCheck().check_project(ctx))
    assert [(f.rule, f.path) for f in found] == [
        ("frontmatter.duplicate-id", "docs/kb/search/b.md")
    ]
    assert "docs/kb/search/a.md" in found[0].message
    assert sorted(d.docs_path or "" for d in store.loaded()) == ["kb/search/a.md", "kb/search/b.md"]
