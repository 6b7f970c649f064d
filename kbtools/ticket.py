"""Ticket: the normalized write-up every input format is parsed into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

CANONICAL_SECTIONS = (
    "Problem",
    "Error messages",
    "Environment",
    "Troubleshooting",
    "Cause",
    "Resolution",
    "Steps",
    "Goal",
    "Question",
    "Answer",
    "Workaround",
    "Affected versions",
    "Status",
    "Additional information",
)
"""Every section name a source may fill (the union of schema.SECTIONS)."""


@dataclass
class Ticket:
    """A resolved ticket's write-up, independent of the format it came in.

    `sections` maps canonical section names to Markdown text (not yet redacted);
    `fields` holds labelled values such as `version`, `deployment` or `customer`.
    People and organizations are collected so the redactor can replace them.
    """

    source_format: str
    title: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    error_lines: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    type_hint: str | None = None
    created: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    raw: str = field(default="", repr=False)
    """The source text as given (only for finding names to redact, never for output)."""
    texts: str = field(default="", repr=False)
    """The human-written text of a structured source (Zendesk comment bodies), for the same."""

    def section(self, name: str) -> str:
        """The text of a section, or "" when the source did not fill it."""
        return self.sections.get(name, "").strip()

    def add_section(self, name: str, text: str) -> None:
        """Append text to a section (sources may meet the same section twice)."""
        text = text.strip("\n")
        if not text.strip():
            return
        existing = self.sections.get(name, "").rstrip()
        self.sections[name] = f"{existing}\n\n{text}" if existing else text

    def add_unique(self, attribute: str, *values: str) -> None:
        """Add values to one of the list attributes, keeping order and skipping repeats."""
        target: list[str] = getattr(self, attribute)
        for value in values:
            value = value.strip()
            if value and value not in target:
                target.append(value)

    def all_text(self) -> str:
        """Title, sections and error lines as one text (for extraction, not for output)."""
        parts = [self.title, *self.sections.values(), *self.error_lines]
        return "\n".join(p for p in parts if p)
