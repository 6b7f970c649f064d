"""Human output: findings grouped by file, coloured on a terminal, then a summary line.

docs/kb/search/index-stuck.md
  12:5     error      link target 'setup.md' does not exist  links.broken

1 error, 0 warnings, 0 suggestions in 1 of 40 files (0.31 s)
"""

from __future__ import annotations

from itertools import groupby

from kbtools.findings import Finding, Severity
from kbtools.lint.runner import LintResult
from kbtools.reporters.base import ReportOptions
from kbtools.wording import plural

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.SUGGESTION: "36"}


def render(result: LintResult, options: ReportOptions) -> str:
    """Render findings for a person reading a terminal or a CI log."""

    def paint(code: str, value: str) -> str:
        return f"\x1b[{code}m{value}\x1b[0m" if options.color else value

    lines: list[str] = []
    for path, group in groupby(result.findings, key=lambda f: f.path):
        lines.append(paint("1;4", path))
        for item in group:
            where = f"{item.line}:{item.column}"
            severity = paint(_COLORS[item.severity], f"{item.severity.value:<10}")
            lines.append(f"  {where:<8} {severity} {full_message(item)}  {paint('2', item.rule)}")
        lines.append("")
    for note in result.notes:
        lines.append(paint("2", f"note: {note}"))
    marker = "31" if result.count(Severity.ERROR) else "32"
    lines.append(paint(marker, summary_line(result)))
    return "\n".join(lines) + "\n"


def full_message(item: Finding) -> str:
    """The message with the suggested fix appended when the message does not carry it."""
    if item.suggestion and item.suggestion not in item.message:
        return f"{item.message} (suggestion: {item.suggestion})"
    return item.message


def summary_line(result: LintResult) -> str:
    """`3 errors, 1 warning, 0 suggestions in 2 of 40 files (0.31 s)`; clean: `... in 40 files`."""
    counts = [
        plural(result.count(Severity.ERROR), "error"),
        plural(result.count(Severity.WARNING), "warning"),
        plural(result.count(Severity.SUGGESTION), "suggestion"),
    ]
    with_findings = {f.path for f in result.findings}
    # A path given on the command line that does not exist is still a file of this run.
    total = len(with_findings | set(result.files))
    # "in 0 of 40 files" reads like nothing was checked: a clean run names the files checked.
    where = (
        f"{len(with_findings)} of {plural(total, 'file')}"
        if with_findings
        else plural(total, "file")
    )
    text = f"{', '.join(counts)} in {where} ({result.duration:.2f} s)"
    if result.suppressed:
        text += f"; {plural(result.suppressed, 'finding')} suppressed by pragmas"
    return text
