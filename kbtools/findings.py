"""The finding: one problem at one place, produced by checks and consumed by reporters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum


class Severity(Enum):
    """How bad a finding is; ordered error > warning > suggestion."""

    ERROR = "error"
    WARNING = "warning"
    SUGGESTION = "suggestion"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for suggestion."""
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read a severity name; `info` and `note` are accepted as suggestion."""
        name = value.strip().lower()
        if name in ("info", "note"):
            return cls.SUGGESTION
        return cls(name)


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.SUGGESTION: 0}


@dataclass(frozen=True)
class Finding:
    """One problem. Positions are 1-based; `path` is POSIX and relative to the project root.

    `match` is the offending text (a URL, a word, a key); it feeds the fingerprint so that a
    baseline entry keeps matching when lines above the finding move.
    """

    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    match: str = ""
    end_line: int | None = None
    end_column: int | None = None
    help: str = ""
    suggestion: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Deterministic order: file, line, column, rule, message."""
        return (self.path, self.line, self.column, self.rule, self.message)

    def fingerprint(self) -> str:
        """Stable id for baselines: rule, path and offending text (or message), never the line."""
        basis = "\x1f".join((self.rule, self.path, self.match or self.message))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]

    def with_severity(self, severity: Severity) -> Finding:
        """A copy with another severity (used by rule selection)."""
        return Finding(
            rule=self.rule,
            severity=severity,
            path=self.path,
            line=self.line,
            column=self.column,
            message=self.message,
            match=self.match,
            end_line=self.end_line,
            end_column=self.end_column,
            help=self.help,
            suggestion=self.suggestion,
            extra=self.extra,
        )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in reporting order, duplicates removed."""
    return sorted(set(findings), key=Finding.sort_key)
