"""Errors that end a command, each with the exit code the CLI contract gives it.

This module is the one error path of the CLI: `kb` turns every expected failure into one
`kb: error: ...` line and the exit code of its class, and the table of exit codes below is
the one `kb --help` and docs/guide/exit-codes.md show.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every command (see docs/guide/exit-codes.md)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    DUPLICATE = 3
    INTERRUPTED = 130  # 128 + SIGINT, as shells and CI runners expect


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.FINDINGS: "findings at or above --fail-on (kb lint), or a failed build (kb build)",
    ExitCode.USAGE: "usage, configuration or input error; nothing was written",
    ExitCode.DUPLICATE: "kb new refused: a likely duplicate exists; nothing was written",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); nothing half-written is left behind",
}
"""What each exit code means: the one table of the CLI contract."""


def exit_code_table() -> list[tuple[int, str]]:
    """(code, meaning) rows in code order, for `kb --help` and the docs test."""
    return [(int(code), EXIT_CODE_MEANINGS[code]) for code in ExitCode]


class KbError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback.

    `hint` says what to do about it; the CLI prints it on the same line, and `--json`
    output carries it as its own field.
    """

    exit_code: ExitCode = ExitCode.USAGE
    kind: str = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details: dict[str, object] = {}
        """Machine-readable facts a `--json` error object carries beside the message."""

    def line(self) -> str:
        """The message and the hint as one line (no `kb: error:` prefix)."""
        return f"{self.message}; {self.hint}" if self.hint else self.message


class ConfigError(KbError):
    """mkdocs.yml or the `kb` plugin options are missing, unreadable or invalid."""

    kind = "config"


class InputError(KbError):
    """A file or argument given by the user cannot be used."""

    kind = "input"


class DuplicateError(KbError):
    """`kb new` found an existing article that already covers the write-up."""

    exit_code = ExitCode.DUPLICATE
    kind = "duplicate"
