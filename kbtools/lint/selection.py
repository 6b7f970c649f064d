"""Rule selection: which rules run and at what severity, by id or dotted prefix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kbtools.findings import Finding, Severity
from kbtools.rules import matches, specificity


class Selection:
    """Severity overrides from `plugins.kb.lint.rules`; the most specific selector wins.

    `{"links": "warning", "links.anchor": "error", "style": "off"}` makes every `links.*`
    rule a warning except `links.anchor`, and turns off every `style.*` rule.
    """

    def __init__(self, rules: Mapping[str, str] | None = None) -> None:
        self._rules = sorted(
            ((selector, value.lower()) for selector, value in (rules or {}).items()),
            key=lambda item: specificity(item[0]),
            reverse=True,
        )

    def override(self, rule_id: str) -> str | None:
        """The configured value for a rule (`off` or a severity name), or None."""
        for selector, value in self._rules:
            if selector in ("*", "") or matches(rule_id, selector):
                return value
        return None

    def silences(self, prefix: str, rule_ids: Iterable[str] = ()) -> bool:
        """True when every rule in `rule_ids`, or every rule under `prefix`, is off.

        The runner does not run a check whose rules are all off: its findings would be
        dropped anyway.
        """
        ids = list(rule_ids)
        if ids:
            return all(self.override(rule_id) == "off" for rule_id in ids)
        if not prefix or self.override(prefix) != "off":
            return False
        return not any(
            value != "off" and selector != prefix and matches(selector, prefix)
            for selector, value in self._rules
        )

    def apply(self, finding: Finding) -> Finding | None:
        """The finding with its configured severity, or None when its rule is off."""
        value = self.override(finding.rule)
        if value is None:
            return finding
        if value == "off":
            return None
        severity = Severity.parse(value)
        return finding if severity is finding.severity else finding.with_severity(severity)
