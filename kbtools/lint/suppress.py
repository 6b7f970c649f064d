"""Inline pragmas in HTML comments, applied centrally (checks never look at them).

    <!-- kb-lint disable links.anchor style -->   ... until enable or end of file
    <!-- kb-lint enable links.anchor -->
    <!-- kb-lint disable-next-line links -->
    <!-- kb-lint disable-file secrets.email -->

No rule list means every rule. Selectors are rule ids or dotted prefixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kbtools.document import Document
from kbtools.findings import Finding
from kbtools.rules import matches

PRAGMA_RE = re.compile(
    r"^kb-lint\s+(disable-next-line|disable-line|disable-file|disable|enable)\b\s*(.*)$", re.DOTALL
)
ALL = "*"


@dataclass
class Suppressions:
    """Which rules are off on which lines of one document."""

    file_wide: set[str] = field(default_factory=set)
    lines: dict[int, set[str]] = field(default_factory=dict)
    ranges: list[tuple[int, int, str]] = field(default_factory=list)

    def suppresses(self, finding: Finding) -> bool:
        """True when a pragma turns this finding's rule off at its line."""
        selectors = set(self.file_wide) | self.lines.get(finding.line, set())
        selectors.update(sel for start, end, sel in self.ranges if start <= finding.line <= end)
        return any(sel == ALL or matches(finding.rule, sel) for sel in selectors)


def parse_pragmas(doc: Document) -> Suppressions:
    """Read every `kb-lint` pragma of a document (not those shown as examples in code)."""
    result = Suppressions()
    open_ranges: dict[str, int] = {}
    last_line = max(len(doc.lines), 1)
    for comment in doc.comments:
        match = PRAGMA_RE.match(comment.text)
        if not match or doc.is_code(comment.line, comment.column):
            continue
        action = match.group(1)
        selectors = [s for s in re.split(r"[\s,]+", match.group(2).strip()) if s] or [ALL]
        for selector in selectors:
            if action == "disable-file":
                result.file_wide.add(selector)
            elif action == "disable-next-line":
                result.lines.setdefault(comment.end_line + 1, set()).add(selector)
            elif action == "disable-line":
                result.lines.setdefault(comment.line, set()).add(selector)
            elif action == "disable":
                open_ranges.setdefault(selector, comment.line)
            elif action == "enable":
                closing = list(open_ranges) if selector == ALL else [selector]
                for name in closing:
                    start = open_ranges.pop(name, None)
                    if start is not None:
                        result.ranges.append((start, comment.line, name))
    for selector, start in open_ranges.items():
        result.ranges.append((start, last_line, selector))
    return result
