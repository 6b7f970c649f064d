"""A pasted ticket, log excerpt or error message turned into what triage matches on.

The text goes through the parsers of `kb new` (`sources/`: a Zendesk export, a Markdown or
plain write-up) and the facts it recovers (`extract.py`: versions, deployment, services,
error lines); the lines are then prepared for the matcher (`match.rank.query_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kbtools import extract, sources
from kbtools.errors import InputError
from kbtools.match.rank import QueryLine, query_lines, query_words

MAX_LINES = 2000
"""Lines of a paste that are read (a whole log file is mostly repeats)."""


@dataclass
class Query:
    """What a pasted text says: its error lines, words and environment."""

    format: str
    error_lines: list[str]
    lines: list[QueryLine]
    words: list[str]
    versions: list[str] = field(default_factory=list)
    deployment: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The `query` object of `kb triage --json`."""
        return {
            "format": self.format,
            "error_lines": self.error_lines,
            "versions": self.versions,
            "deployment": self.deployment,
            "services": self.services,
        }


def parse_query(text: str, name: str = "") -> Query:
    """Parse pasted text; InputError when nothing in it can be matched."""
    if not text.strip():
        raise InputError("the text is empty: paste a log excerpt, an error message or a ticket")
    try:
        ticket = sources.parse(text, name)
    except sources.SourceError as exc:
        raise InputError(str(exc)) from None
    # A plain paste is matched as given; a structured ticket by what its parser kept
    # (a Zendesk export's JSON keys and internal notes say nothing about the problem).
    body = text if ticket.source_format == "text" else ticket.all_text()
    raw_lines = body.split("\n")[:MAX_LINES]
    is_error = [extract.is_error_line(line) for line in raw_lines]
    error_lines = extract.unique_error_lines(
        [line.strip() for line, error in zip(raw_lines, is_error, strict=True) if error]
        + [line.strip() for line in ticket.error_lines]
    )
    lines = query_lines(raw_lines, is_error)
    words = query_words(raw_lines)
    if not lines and not any(not word.isdigit() for word in words):
        raise InputError("nothing to match in the text (no words, only numbers and punctuation)")
    return Query(
        format=ticket.source_format,
        error_lines=error_lines,
        lines=lines,
        words=words,
        versions=extract.versions(ticket),
        deployment=extract.deployments(ticket),
        services=extract.services(ticket),
    )
