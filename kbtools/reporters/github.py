"""GitHub Actions workflow commands: annotations on the pull request's diff.

::error file=docs/a.md,line=3,col=5,title=links.anchor::anchor '#x' not found
"""

from __future__ import annotations

from kbtools.findings import Severity
from kbtools.lint.runner import LintResult
from kbtools.reporters.base import ReportOptions
from kbtools.reporters.text import full_message, summary_line

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow command message (`%`, CR, LF), as the Actions runner expects."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property value (also `:` and `,`)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult, options: ReportOptions) -> str:
    """One annotation per finding, then the summary as a plain log line."""
    lines = []
    for item in result.findings:
        props = ",".join(
            f"{key}={escape_property(str(value))}"
            for key, value in (
                ("file", item.path),
                ("line", item.line),
                ("col", item.column),
                ("title", item.rule),
            )
        )
        lines.append(f"::{_COMMANDS[item.severity]} {props}::{escape_data(full_message(item))}")
    lines.extend(f"kb: note: {note}" for note in result.notes)
    lines.append(f"kb: {summary_line(result)}")
    return "\n".join(lines) + "\n"
