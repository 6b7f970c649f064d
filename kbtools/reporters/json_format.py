"""JSON output, a versioned contract (documented in docs/guide/lint.md):

{"version": 1, "tool": {...}, "summary": {...}, "notes": [...], "findings": [...]}
"""

from __future__ import annotations

import json
from typing import Any

from kbtools.findings import Finding, Severity
from kbtools.lint.runner import LintResult
from kbtools.reporters.base import ReportOptions

FORMAT_VERSION = 1


def render(result: LintResult, options: ReportOptions) -> str:
    """Render the whole run as one JSON object."""
    payload = {
        "version": FORMAT_VERSION,
        "tool": {"name": "kbtools", "version": options.tool_version},
        "summary": {
            "files": len(result.files),
            "findings": len(result.findings),
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "suggestions": result.count(Severity.SUGGESTION),
            "suppressed": result.suppressed,
            "failed": result.fails(options.fail_on),
            "duration_seconds": round(result.duration, 3),
        },
        "notes": result.notes,
        "findings": [finding_dict(f) for f in result.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON-ready mapping."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "help": finding.help,
        "suggestion": finding.suggestion,
        "fingerprint": finding.fingerprint(),
    }
