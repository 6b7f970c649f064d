"""Input formats of kb new: one module each with accepts() and parse().

`--format auto` asks each format in `FORMATS` order; specific formats come before the
generic plain-text fallback.
"""

from __future__ import annotations

import json
import re
from types import ModuleType

from kbtools.sources import cleanup, email, markdown, text, zendesk
from kbtools.sources.options import SourceOptions
from kbtools.ticket import Ticket

FORMATS: dict[str, ModuleType] = {
    "zendesk": zendesk,
    "email": email,
    "markdown": markdown,
    "text": text,
}
FORMAT_NAMES = ("auto", *FORMATS)


class SourceError(ValueError):
    """The input cannot be read in the requested format."""


def detect(content: str, name: str = "") -> str:
    """The first format that accepts this content (`text` always does)."""
    for format_name, module in FORMATS.items():
        if module.accepts(content, name):
            return format_name
    return "text"


def parse(
    content: str, name: str = "", format_name: str = "auto", options: SourceOptions | None = None
) -> Ticket:
    """Parse content in the given format (`auto` sniffs it)."""
    if not content.strip():
        raise SourceError("the write-up is empty")
    if format_name == "auto" and _looks_like_json(content, name):
        try:
            json.loads(content)
        except ValueError as exc:
            # A JSON export that does not parse is unusable, not a plain-text write-up.
            raise SourceError(f"not valid JSON: {exc}") from None
    chosen = detect(content, name) if format_name == "auto" else format_name
    module = FORMATS.get(chosen)
    if module is None:
        raise SourceError(f"unknown format {format_name!r} (choose from {', '.join(FORMAT_NAMES)})")
    try:
        ticket: Ticket = module.parse(content, options or SourceOptions())
    except ValueError as exc:
        raise SourceError(f"not a {chosen} ticket: {exc}") from None
    cleanup.tidy(ticket)
    _mentions(ticket)
    ticket.raw = content
    return ticket


def _looks_like_json(content: str, name: str) -> bool:
    # A pasted JSON log line (`{"level":"error",...}` then prose) is a text write-up.
    return name.lower().endswith(".json") or bool(
        re.match(r'\{\s*"(?:ticket|comments|users|organizations)"\s*:', content.lstrip())
    )


_TICKET_RE = re.compile(
    r"\b(?:ticket|zendesk|case|zd)\s*(?:id|number|no\.?)?\s*#?\s*(\d{3,})\b", re.I
)
_CUSTOMER_RE = re.compile(r"\b[Cc]ustomer\s*\((?P<org>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})\s*[,)]")


def _mentions(ticket: Ticket) -> None:
    """Ticket ids and customer names mentioned in prose ("Customer (Initech, ticket 51230)")."""
    text = ticket.all_text()
    ticket.add_unique("tickets", *_TICKET_RE.findall(text))
    for match in _CUSTOMER_RE.finditer(text):
        ticket.add_unique("organizations", match.group("org"))
