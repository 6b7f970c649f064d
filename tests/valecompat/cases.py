"""Run Vale's compatibility cases (shared/vale-compat/cases) through the built-in engine."""

from __future__ import annotations

import configparser
import shlex
from dataclasses import dataclass
from pathlib import Path

from kbtools.valecompat.cli import Result, run

REPO = Path(__file__).resolve().parents[2]
CASES_DIR = REPO.parent / "shared" / "vale-compat" / "cases"


@dataclass
class Case:
    """One case folder."""

    name: str
    path: Path
    cwd: Path
    args: list[str]
    stdin: str | None
    match: str
    exit: str
    expected: list[str]
    stderr_contains: str


def load_cases() -> list[Case]:
    """Every case under CASES_DIR, sorted by name."""
    cases = []
    for folder in sorted(p for p in CASES_DIR.iterdir() if (p / "case.ini").is_file()):
        ini = configparser.ConfigParser(interpolation=None)
        ini.read(folder / "case.ini", encoding="utf-8")
        section = ini["case"]
        words = shlex.split(section.get("command", ""))
        stdin_name = section.get("stdin", "").strip()
        if "<" in words:
            at = words.index("<")
            stdin_name = stdin_name or words[at + 1]
            words = words[:at]
        cwd = folder / section.get("cwd", "work").strip()
        stdin = (cwd / stdin_name).read_text(encoding="utf-8") if stdin_name else None
        expected_file = folder / "expected.txt"
        expected = (
            expected_file.read_text(encoding="utf-8").splitlines()
            if expected_file.is_file()
            else []
        )
        stderr_file = folder / "expected_stderr_contains.txt"
        cases.append(
            Case(
                name=folder.name,
                path=folder,
                cwd=cwd,
                args=words[1:],
                stdin=stdin,
                match=section.get("match", "exact").strip(),
                exit=section.get("exit", "").strip(),
                expected=[line for line in expected if line.strip()],
                stderr_contains=stderr_file.read_text(encoding="utf-8").strip()
                if stderr_file.is_file()
                else "",
            )
        )
    return cases


def run_case(case: Case) -> Result:
    """Run the case's command through the built-in engine."""
    return run(case.args, case.cwd, case.stdin)


def failure(case: Case, result: Result) -> str:
    """Why the case fails, or "" when it passes."""
    got = [line for line in result.stdout.splitlines() if line.strip()]
    if case.match == "stderr-contains":
        if result.exit_code != 2:
            return f"expected exit 2 with an error, got exit {result.exit_code}"
        return ""
    if result.exit_code == 2:
        return "engine error: " + result.stderr.strip()
    if case.match == "contains":
        missing = [line for line in case.expected if line not in got]
        return f"missing {missing}" if missing else ""
    if got != case.expected:
        extra = [line for line in got if line not in case.expected]
        missing = [line for line in case.expected if line not in got]
        return f"missing {missing}; unexpected {extra}"
    if case.exit and int(case.exit) != result.exit_code:
        return f"exit {result.exit_code}, expected {case.exit}"
    return ""
