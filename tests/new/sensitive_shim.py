"""A stand-in for kbtools.sensitive's Redactor until the real one is on this branch.

`install()` does nothing when the real API exists, so tests run against the real layer
as soon as it lands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import kbtools.sensitive as sensitive


@dataclass
class RedactionContext:
    """Names and organizations the source told us about."""

    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    internal_domains: list[str] = field(default_factory=list)


class Redactor:
    """Typed placeholders for emails, phones, tokens, people and customers."""

    def __init__(self, context: RedactionContext) -> None:
        self.context = context
        self.counts: dict[str, int] = {}
        self._numbers: dict[tuple[str, str], int] = {}

    def _placeholder(self, kind: str, value: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if kind == "customer":
            return "<customer>"
        key = (kind, value.lower())
        if key not in self._numbers:
            self._numbers[key] = 1 + sum(1 for k in self._numbers if k[0] == kind)
        return f"<{kind}-{self._numbers[key]}>"

    def redact(self, text: str, *, in_code: bool = False) -> str:
        text = re.sub(
            r"\bgh[pousr]_[A-Za-z0-9]{36}\b", lambda m: self._secret("github-token"), text
        )
        text = re.sub(
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", lambda m: self._placeholder("email", m.group(0)), text
        )
        text = re.sub(r"\+\d[\d ()-]{8,}\d", lambda m: self._placeholder("phone", m.group(0)), text)
        names: list[tuple[str, str]] = []
        for person in self.context.people:
            names.append((person, person))
            names.extend((part, person) for part in re.split(r"[\s.]+", person) if len(part) > 2)
        for name, full in sorted(names, key=lambda n: -len(n[0])):
            text = re.sub(
                rf"(?<![\w<-]){re.escape(name)}(?![\w>])",
                lambda m, full=full: self._placeholder("person", full),
                text,
                flags=re.IGNORECASE,
            )
        for org in sorted(self.context.organizations, key=len, reverse=True):
            text = re.sub(
                rf"(?<![\w<-]){re.escape(org)}(?![\w>])",
                lambda m: self._placeholder("customer", m.group(0)),
                text,
                flags=re.IGNORECASE,
            )
        return text

    def _secret(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"<redacted:{kind}>"


def install() -> None:
    """Provide RedactionContext/Redactor on kbtools.sensitive when it lacks them."""
    if not hasattr(sensitive, "Redactor"):
        sensitive.RedactionContext = RedactionContext  # type: ignore[attr-defined]
        sensitive.Redactor = Redactor  # type: ignore[attr-defined]
