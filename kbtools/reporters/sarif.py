"""SARIF 2.1.0, as GitHub code scanning accepts it (upload with github/codeql-action/upload-sarif)."""

from __future__ import annotations

import json
from typing import Any

from kbtools.findings import Severity
from kbtools.lint.runner import LintResult
from kbtools.reporters.base import ReportOptions
from kbtools.reporters.text import full_message
from kbtools.rules import DOCS_URL, RuleInfo

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}


def render(result: LintResult, options: ReportOptions) -> str:
    """The run as one SARIF log with one run."""
    rule_ids = sorted({f.rule for f in result.findings} | set(result.registry.ids()))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [
        {
            "ruleId": item.rule,
            "ruleIndex": index[item.rule],
            "level": _LEVELS[item.severity],
            "message": {"text": full_message(item)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": item.path, "uriBaseId": "%SRCROOT%"},
                        "region": _region(item.line, item.column, item.end_line, item.end_column),
                    }
                }
            ],
            "partialFingerprints": {"kbFingerprint/v1": item.fingerprint()},
        }
        for item in result.findings
    ]
    driver = {
        "name": "kbtools",
        "version": options.tool_version or "0",
        "informationUri": DOCS_URL,
        "rules": [_rule(rule_id, result.registry.get(rule_id)) for rule_id in rule_ids],
    }
    root = {
        "%SRCROOT%": {"description": {"text": "The repository root (the folder of mkdocs.yml)."}}
    }
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "originalUriBaseIds": root, "results": results}],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(rule_id: str, info: RuleInfo | None) -> dict[str, Any]:
    summary = info.summary if info else f"Rule {rule_id} (from an external style)."
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": rule_id.replace(".", "/"),
        "shortDescription": {"text": summary},
        "helpUri": info.url if info else DOCS_URL,
        "help": {"text": (info.help or summary) if info else summary},
    }
    if info is not None:
        rule["defaultConfiguration"] = {"level": _LEVELS[info.severity]}
    return rule


def _region(line: int, column: int, end_line: int | None, end_column: int | None) -> dict[str, int]:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line is not None:
        region["endLine"] = max(end_line, region["startLine"])
    if end_column is not None:
        region["endColumn"] = max(end_column, 1)
    return region
