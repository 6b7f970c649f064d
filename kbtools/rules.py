"""The registry of rule ids: what each rule checks, its default severity and help."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kbtools.findings import Severity

DOCS_URL = "https://example.github.io/kbtools/reference/rules/"


@dataclass(frozen=True)
class RuleInfo:
    """Static facts about one rule id (dotted, e.g. `links.anchor`)."""

    id: str
    severity: Severity
    summary: str
    help: str = ""

    @property
    def url(self) -> str:
        """Where the rule is documented."""
        return DOCS_URL + "#" + self.id.replace(".", "")


class RuleRegistry:
    """Rule ids known to this run; rules from external styles are registered as they appear."""

    def __init__(self, rules: Iterable[RuleInfo] = ()) -> None:
        self._rules: dict[str, RuleInfo] = {}
        for rule in rules:
            self.add(rule)

    def add(self, rule: RuleInfo) -> None:
        """Register a rule; registering the same id twice with other facts is a bug."""
        known = self._rules.get(rule.id)
        if known is not None and known != rule:
            raise ValueError(f"rule {rule.id!r} registered twice with different facts")
        self._rules[rule.id] = rule

    def get(self, rule_id: str) -> RuleInfo | None:
        """The rule with this id, if registered."""
        return self._rules.get(rule_id)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def all(self) -> list[RuleInfo]:
        """All registered rules, sorted by id."""
        return sorted(self._rules.values(), key=lambda r: r.id)

    def ids(self) -> list[str]:
        """All registered ids, sorted."""
        return sorted(self._rules)


def matches(rule_id: str, selector: str) -> bool:
    """True when `selector` names this rule or one of its dotted prefixes (`links` ~ `links.x`)."""
    return rule_id == selector or rule_id.startswith(selector + ".")


def specificity(selector: str) -> int:
    """How specific a selector is: its number of dotted parts (`*` is 0)."""
    return 0 if selector in ("*", "") else selector.count(".") + 1
