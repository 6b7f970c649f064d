"""Running git for the commands that read history (`--changed-since`, `kb report`).

One runner, so every caller gets the same text handling (UTF-8, undecodable bytes
replaced, paths unquoted) and the same two failures: git cannot run, or git said no.
Callers turn `GitError` into their own message (`--changed-since: ...`, the report's
"history unavailable").
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git could not run, or exited non-zero; the message is git's last stderr line."""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `cwd`, output captured as text; raises GitError only if git cannot run."""
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git is not available: {exc.strerror or exc}") from None


def succeeds(cwd: Path, *args: str) -> bool:
    """True when `git ARGS` exits 0."""
    return run(cwd, *args).returncode == 0


def output(cwd: Path, *args: str) -> str:
    """The standard output of `git ARGS`; GitError with git's reason when it fails."""
    result = run(cwd, *args)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} failed")
    return result.stdout
