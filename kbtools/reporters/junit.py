"""JUnit XML for CI systems that show test reports: one testcase per linted file.

A file with findings at or above --fail-on is a failed testcase; lower findings are listed
in its system-out, so the report stays green when the run passes.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from kbtools.findings import Finding
from kbtools.lint.runner import LintResult
from kbtools.reporters.base import ReportOptions
from kbtools.wording import plural


def render(result: LintResult, options: ReportOptions) -> str:
    """The run as a <testsuites> document."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for item in result.findings:
        by_file[item.path].append(item)
    files = sorted(set(result.files) | set(by_file))
    rank = options.fail_on.rank
    failing = {p for p, items in by_file.items() if any(f.severity.rank >= rank for f in items)}
    counts = {"tests": str(len(files)), "failures": str(len(failing))}
    suites = ET.Element("testsuites", {"name": "kb lint", **counts})
    suite_attrs = {"name": "kb lint", "errors": "0", "skipped": "0", **counts}
    suite = ET.SubElement(suites, "testsuite", {**suite_attrs, "time": f"{result.duration:.3f}"})
    for path in files:
        case = ET.SubElement(suite, "testcase", classname="kb.lint", name=path, file=path)
        items = by_file.get(path, [])
        blocking = [f for f in items if f.severity.rank >= rank]
        if blocking:
            first = blocking[0]
            failure = ET.SubElement(
                case,
                "failure",
                type=first.rule,
                message=f"{plural(len(blocking), 'finding')}; first: {first.line}:{first.column} {first.message}",
            )
            failure.text = "\n".join(_line(f) for f in blocking)
        rest = [f for f in items if f.severity.rank < rank]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in rest)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _line(item: Finding) -> str:
    return f"{item.path}:{item.line}:{item.column}: {item.severity.value}: {item.message} [{item.rule}]"
