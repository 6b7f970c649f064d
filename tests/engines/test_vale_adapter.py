"""The `vale` subprocess adapter: JSON parsing, error mapping, one run for all files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kbtools.checks.style import run_style
from kbtools.engines.vale import parse_output, run_vale, usable_vale, vale_error
from kbtools.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]

# Vale's documented `--output=JSON` shape (SPEC §1.4), Go escapes included.
VALE_JSON = """{
  "docs/a.md": [
    {
      "Action": {"Name": "replace", "Params": ["Kubernetes"]},
      "Span": [5, 14],
      "Check": "House.Products",
      "Description": "",
      "Link": "https://example.com/products",
      "Message": "Use 'Kubernetes' instead of 'kubernetes' \\u003cnow\\u003e \\u0026 here.",
      "Severity": "warning",
      "Match": "kubernetes",
      "Line": 3
    },
    {
      "Action": {"Name": "", "Params": null},
      "Span": [1, 1],
      "Check": "House.Readability",
      "Description": "",
      "Link": "",
      "Message": "Reading grade level is 15.20.",
      "Severity": "suggestion",
      "Match": "",
      "Line": 1
    }
  ]
}
"""


def test_parse_documented_json_shape() -> None:
    first, second = parse_output(VALE_JSON)
    assert (first.path, first.line, first.start, first.end) == ("docs/a.md", 3, 5, 14)
    assert first.check == "House.Products"
    assert first.message == "Use 'Kubernetes' instead of 'kubernetes' <now> & here."
    assert first.replacements == ("Kubernetes",)
    assert first.link == "https://example.com/products"
    assert (second.severity, second.line, second.start, second.replacements) == (
        "suggestion",
        1,
        1,
        (),
    )


def test_parse_empty_output() -> None:
    assert parse_output("{}\n") == []
    assert parse_output("") == []


def test_parse_garbage_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unreadable JSON"):
        parse_output("E100 something went wrong")


def test_error_json_becomes_one_line(tmp_path: Path) -> None:
    stderr = json.dumps(
        {
            "Line": 3,
            "Path": "styles/House/X.yml",
            "Text": "bad\nregex",
            "Code": "E201",
            "Span": [1, 2],
        }
    )
    message = vale_error(stderr, tmp_path / ".vale.ini")
    assert message == f"vale ({tmp_path / '.vale.ini'}): E201: bad regex (styles/House/X.yml:3)"


def test_error_text_with_colours_is_cleaned(tmp_path: Path) -> None:
    stderr = "\x1b[31mE100\x1b[0m [loadStyles] Runtime error\n\nstyle 'Nope' does not exist\n"
    message = vale_error(stderr, tmp_path / ".vale.ini")
    assert message.endswith("E100 [loadStyles] Runtime error style 'Nope' does not exist")


def _fake_vale(bin_dir: Path, body: str) -> None:
    """A stand-in `vale` script on PATH (records its arguments, prints canned output)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "vale"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_one_run_over_all_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    log = tmp_path / "calls.log"
    payload = tmp_path / "out.json"
    payload.write_text(VALE_JSON, encoding="utf-8")
    _fake_vale(
        bin_dir,
        'if [ "$1" = "--version" ]; then echo "vale version 3.7.1"; exit 0; fi\n'
        f'echo "$@" >> "{log}"\ncat "{payload}"\nexit 1\n',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "docs").mkdir()
    for name in ("a.md", "b.md"):
        (tmp_path / "docs" / name).write_text("text\n", encoding="utf-8")
    (tmp_path / ".vale.ini").write_text("MinAlertLevel = suggestion\n", encoding="utf-8")
    run = run_style(
        tmp_path, tmp_path / ".vale.ini", [("docs/a.md", ""), ("docs/b.md", "")], "auto"
    )
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 1
    assert calls[0].endswith("docs/a.md docs/b.md")
    assert "--output=JSON" in calls[0] and "--no-global" in calls[0]
    assert run.notes == ["style: vale 3.7.1"]
    assert [f.rule for f in run.findings] == ["style.House.Products", "style.House.Readability"]


def test_vale_failure_exit_2_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    _fake_vale(
        bin_dir,
        'if [ "$1" = "--version" ]; then echo "vale version 3.7.1"; exit 0; fi\n'
        'echo \'{"Code": "E100", "Text": "[loadStyles] style Nope does not exist"}\' >&2\nexit 2\n',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    binary, _ = usable_vale()
    assert binary is not None
    (tmp_path / "a.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="E100: \\[loadStyles\\] style Nope does not exist"):
        run_vale(binary, tmp_path / ".vale.ini", ["a.md"], tmp_path)


def test_old_vale_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    _fake_vale(bin_dir, 'echo "vale version 2.29.0"\n')
    monkeypatch.setenv("PATH", str(bin_dir))
    binary, why = usable_vale()
    assert binary is None
    assert why == "vale 2.29.0 is older than 3.0.0"


def test_missing_file_is_not_passed_to_vale(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such file: docs/gone\.md"):
        run_vale("vale", tmp_path / ".vale.ini", ["docs/gone.md"], tmp_path)
