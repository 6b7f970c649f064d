"""Errors that end a command, each with the exit code the CLI contract gives it."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every command (see docs/development/architecture.md)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    DUPLICATE = 3


class KbError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback."""

    exit_code: ExitCode = ExitCode.USAGE


class ConfigError(KbError):
    """mkdocs.yml or the `kb` plugin options are missing, unreadable or invalid."""


class InputError(KbError):
    """A file or argument given by the user cannot be used."""


class DuplicateError(KbError):
    """`kb new` found an existing article that already covers the write-up."""

    exit_code = ExitCode.DUPLICATE
