"""One line to adopt: the GitHub Action's script and the pre-commit hooks, run for real.

The action's logic lives in scripts/action_lint.py so it runs here with the inputs as
environment variables, exactly as action.yml passes them. The pre-commit test runs
`pre-commit try-repo` on this repository in a temporary git repository: pre-commit builds
its own environment (`language: python` installs this repository from its path; the
dependencies come from the package index), so it is slow.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.httpserver import LocalServer, http_server

__all__ = ["http_server"]

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "action_lint.py"


def make_kb(root: Path, *, broken: bool = True, external: str = "") -> Path:
    """A small KB repository: one good page, and one with a broken link when `broken`."""
    (root / "docs").mkdir(parents=True)
    options = "\n      lint:\n        external:\n          allow_private: true" if external else ""
    (root / "mkdocs.yml").write_text(
        "site_name: Acme KB\nsite_url: https://docs.acme.test/\nplugins:\n  - kb:"
        + (options or " {}")
        + "\n",
        encoding="utf-8",
    )
    (root / "docs" / "index.md").write_text("# Home\n\nSee [setup](setup.md).\n", encoding="utf-8")
    target = "missing.md" if broken else "index.md"
    (root / "docs" / "setup.md").write_text(
        f"# Setup\n\nBack [home]({target}).\n"
        + (f"\nStatus: [page]({external}).\n" if external else ""),
        encoding="utf-8",
    )
    return root


def run_action(cwd: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INPUT_")}
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_action_yml_is_a_composite_action_running_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"args", "changed-since", "format", "sarif"} <= set(action["inputs"])
    assert action["inputs"]["format"]["default"] == "github"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install, lint = steps[1]["run"], steps[2]
    assert '"$GITHUB_ACTION_PATH"' in install  # kbtools at the action's own ref
    assert "scripts/action_lint.py" in lint["run"]
    assert set(lint["env"]) == {"INPUT_ARGS", "INPUT_CHANGED_SINCE", "INPUT_FORMAT", "INPUT_SARIF"}
    assert steps[3]["uses"].startswith("github/codeql-action/upload-sarif@")


def test_action_annotates_findings_and_fails(tmp_path: Path) -> None:
    result = run_action(make_kb(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "::error file=docs/setup.md,line=3" in result.stdout
    assert "links." in result.stdout
    assert "kb-lint action: kb lint --format github" in result.stderr


def test_action_passes_on_a_clean_tree(tmp_path: Path) -> None:
    result = run_action(make_kb(tmp_path, broken=False), format="text")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_action_args_and_sarif(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    result = run_action(root, args="docs/index.md --fail-on warning", sarif="true")
    assert result.returncode == 0, result.stdout + result.stderr  # index.md itself is fine
    report = json.loads((root / "kb.sarif").read_text(encoding="utf-8"))
    assert report["version"] == "2.1.0"
    result = run_action(root, sarif="reports/kb.sarif")
    assert result.returncode == 1
    assert (root / "reports" / "kb.sarif").is_file()


def test_action_changed_since(tmp_path: Path) -> None:
    root = make_kb(tmp_path, broken=False)
    git = ["git", "-c", "user.email=ci@acme.test", "-c", "user.name=CI"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    (root / "docs" / "index.md").write_text("# Home\n\nSee [gone](gone.md).\n", encoding="utf-8")
    result = run_action(root, **{"changed_since": "main", "format": "json"})
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert {f["path"] for f in report["findings"]} == {"docs/index.md"}


@pytest.mark.parametrize(
    ("inputs", "message"),
    [({"format": "xml"}, "format: expected one of"), ({"args": "'unclosed"}, "args:")],
)
def test_action_bad_inputs_are_usage_errors(
    tmp_path: Path, inputs: dict[str, str], message: str
) -> None:
    result = run_action(make_kb(tmp_path), **inputs)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_action_config_error_is_exit_2(tmp_path: Path) -> None:
    result = run_action(tmp_path)  # no mkdocs.yml
    assert result.returncode == 2
    assert "kb: error:" in result.stderr and "Traceback" not in result.stderr


def test_pre_commit_hooks_file() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"kb-lint", "kb-lint-links"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["entry"].startswith("kb lint")
    assert "--external" in hooks["kb-lint-links"]["entry"]


def snapshot(target: Path) -> Path:
    """This working tree (tracked and new files, not ignored ones) as a one-commit git repo:
    try-repo then tests exactly what is on disk, committed or not."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    git = ["git", "-c", "user.email=ci@acme.test", "-c", "user.name=CI"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-qm", "snapshot"], cwd=target, check=True)
    return target


@pytest.mark.slow
def test_pre_commit_try_repo(tmp_path: Path, http_server: LocalServer) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    if not (ROOT / ".git").exists():
        pytest.skip("this checkout is not a git repository")
    source = snapshot(tmp_path / "kbtools")
    gone = http_server.route("/gone", status=410)
    repo = make_kb(tmp_path / "kb", external=gone)
    git = ["git", "-c", "user.email=ci@acme.test", "-c", "user.name=CI"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(source), *args, "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    # One run of both hooks (each try-repo builds pre-commit's environment afresh, ~40 s).
    run = try_repo()
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    lint_part, _, links_part = out.partition("kb lint --external")
    assert "docs/setup.md\n  3:6 " in lint_part and "links.broken" in lint_part
    assert "links.external.broken" not in lint_part  # kb-lint stays offline
    assert "links.external.broken" in links_part and "410" in links_part
    assert http_server.count("/gone") == 1
