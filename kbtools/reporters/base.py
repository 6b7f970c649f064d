"""What every reporter gets besides the findings."""

from __future__ import annotations

from dataclasses import dataclass

from kbtools.findings import Severity


@dataclass(frozen=True)
class ReportOptions:
    """Rendering options: colour (text only) and the severity that fails the run."""

    color: bool = False
    fail_on: Severity = Severity.ERROR
    tool_version: str = ""
