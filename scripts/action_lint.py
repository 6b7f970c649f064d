"""The logic of the kbtools GitHub Action (action.yml): run `kb lint` from the inputs.

Inputs come as environment variables, as the composite action passes them:
`INPUT_ARGS` (extra arguments, shell-quoted), `INPUT_CHANGED_SINCE` (a git ref),
`INPUT_FORMAT` (default `github`: annotations on the pull request) and `INPUT_SARIF`
(a file name, or `true` for `kb.sarif`: also write SARIF for code scanning). The exit
status is kb lint's (0 clean, 1 findings, 2 usage or config error). Only the standard
library: it runs before anything but kbtools is installed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

FORMATS = ("text", "json", "sarif", "github", "junit")


def lint_argv(env: dict[str, str]) -> tuple[list[str], str]:
    """(the kb lint arguments, the SARIF file or "") from the action's inputs."""
    output_format = env.get("INPUT_FORMAT", "").strip() or "github"
    if output_format not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {output_format!r}")
    argv = ["lint", "--format", output_format]
    changed = env.get("INPUT_CHANGED_SINCE", "").strip()
    if changed:
        argv += ["--changed-since", changed]
    try:
        argv += shlex.split(env.get("INPUT_ARGS", ""))
    except ValueError as exc:
        raise ValueError(f"args: {exc}") from None
    sarif = env.get("INPUT_SARIF", "").strip()
    if sarif.lower() in ("", "false", "no", "0"):
        sarif = ""
    elif sarif.lower() in ("true", "yes", "1"):
        sarif = "kb.sarif"
    return argv, sarif


def main() -> int:
    """Run kb lint (twice with SARIF: the report for code scanning, then the annotations)."""
    try:
        argv, sarif = lint_argv(dict(os.environ))
    except ValueError as exc:
        sys.stderr.write(f"kb-lint action: error: {exc}\n")
        return 2
    kb = [sys.executable, "-m", "kbtools"]
    if sarif:
        index = argv.index("--format")
        sarif_argv = argv[:index] + argv[index + 2 :] + ["--format", "sarif", "--output", sarif]
        _say(f"kb {shlex.join(sarif_argv)}")
        code = subprocess.call([*kb, *sarif_argv])
        if code == 2:
            return code  # a usage or config error: the second run would say the same
    _say(f"kb {shlex.join(argv)}")
    return subprocess.call([*kb, *argv])


def _say(line: str) -> None:
    sys.stderr.write(f"kb-lint action: {line}\n")
    sys.stderr.flush()  # before the child's output, in the log


if __name__ == "__main__":
    sys.exit(main())
