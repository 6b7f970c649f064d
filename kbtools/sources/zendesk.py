"""Zendesk ticket exports: `{"ticket": {...}, "comments": [...]}` as the Zendesk API returns them.

Internal notes (`"public": false`) are dropped before anything else looks at the comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from kbtools import extract
from kbtools.sensitive.names import people_in_text, signature_start
from kbtools.sources.common import (
    FIELD_LABELS,
    apply_field,
    normalize_label,
    paragraphs,
    split_person,
)
from kbtools.sources.html import has_markup, html_to_text
from kbtools.sources.options import SourceOptions
from kbtools.sources.text import Block, classify
from kbtools.ticket import Ticket
from kbtools.wording import plural

NAME = "zendesk"


class ZendeskError(ValueError):
    """The JSON is not a usable Zendesk ticket export."""


def accepts(text: str, name: str) -> bool:
    """True for a JSON object with a `ticket` mapping."""
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return False
    try:
        data = json.loads(stripped)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("ticket"), dict)


def parse(text: str, options: SourceOptions | None = None) -> Ticket:
    """Subject, description and public comments of one ticket; users and orgs feed redaction."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ZendeskError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("ticket"), dict):
        raise ZendeskError('expected a JSON object with a "ticket" object')
    raw: dict[str, Any] = data["ticket"]
    options = options or SourceOptions()
    ticket = Ticket(source_format=NAME)
    ticket.title = _str(raw.get("subject") or raw.get("raw_subject"))
    if raw.get("id") is not None:
        ticket.add_unique("tickets", _str(raw["id"]))
    users = _by_id(data.get("users"))
    organizations = _by_id(data.get("organizations"))
    _people(ticket, raw, users, organizations)
    _custom_fields(ticket, raw, data.get("ticket_fields"), options.zendesk_fields)
    ticket.add_unique("tags", *(_str(t) for t in raw.get("tags") or [] if isinstance(t, str)))

    requester = raw.get("requester_id")
    comments = [c for c in data.get("comments") or [] if isinstance(c, dict)]
    private = [c for c in comments if c.get("public") is False]
    if private:
        ticket.warnings.append(f"dropped {plural(len(private), 'internal note')} (public: false)")
    public = [c for c in comments if c.get("public") is not False]

    description = _text(_str(raw.get("description")))
    if public and _repeats(_body(public[0]), description):
        # The requester's first comment is the description (often with a signature added).
        description = _body(public[0])
        public = public[1:]
    bodies = [description]
    blocks = [Block(p, "requester", True) for p in _message(description)]
    for comment in public:
        author = comment.get("author_id")
        user = users.get(_str(author)) or {}
        from_requester = author is not None and author == requester
        role = _str(user.get("role"))
        agent = role in ("agent", "admin") or options.is_agent(
            _str(user.get("name")), _str(user.get("email"))
        )
        customer = not agent and (from_requester or role == "end-user")
        speaker = "requester" if customer else f"agent-{_str(author)}"
        body = _body(comment)
        bodies.append(body)
        for paragraph in _message(body):
            blocks.append(Block(paragraph, speaker, customer))
    ticket.texts = "\n\n".join([ticket.title, *bodies])
    ticket.add_unique("people", *people_in_text(ticket.texts))
    classify(blocks, ticket)
    return ticket


def _message(body: str) -> list[str]:
    """The paragraphs of one comment, its sign-off and signature block dropped."""
    lines = body.split("\n")
    start = signature_start(lines)
    if start is not None:
        lines = lines[:start]
    return paragraphs("\n".join(lines))


def _repeats(comment: str, description: str) -> bool:
    """True when a comment is the description again (maybe with a signature or a footer)."""
    a, b = _words(comment), _words(description)
    if not a or not b:
        return False
    return a == b or a.startswith(b) or b.startswith(a)


def _words(text: str) -> str:
    lines = text.split("\n")
    start = signature_start(lines)
    if start is not None:
        lines = lines[:start]
    return " ".join(re.sub(r"[*_`>]", " ", "\n".join(lines)).split()).lower()


def _people(
    ticket: Ticket,
    raw: dict[str, Any],
    users: dict[str, dict[str, Any]],
    organizations: dict[str, dict[str, Any]],
) -> None:
    for user in users.values():
        name, emails = split_person(_str(user.get("name")))
        if name:
            ticket.add_unique("people", name)
        ticket.add_unique("emails", *emails, _str(user.get("email")))
    requester = raw.get("requester")
    if isinstance(requester, dict):
        ticket.add_unique("people", _str(requester.get("name")))
        ticket.add_unique("emails", _str(requester.get("email")))
    via_from = ((raw.get("via") or {}).get("source") or {}).get("from") or {}
    if isinstance(via_from, dict):
        ticket.add_unique("people", _str(via_from.get("name")))
        ticket.add_unique("emails", _str(via_from.get("address")))
    org = organizations.get(_str(raw.get("organization_id")))
    for entry in [org] if org else list(organizations.values()):
        ticket.add_unique("organizations", _str(entry.get("name")))
        for domain in entry.get("domain_names") or []:
            ticket.add_unique("organizations", _str(domain))
    if isinstance(raw.get("organization"), dict):
        ticket.add_unique("organizations", _str(raw["organization"].get("name")))
    for collaborator in raw.get("collaborators") or []:
        if isinstance(collaborator, dict):
            ticket.add_unique("people", _str(collaborator.get("name")))
            ticket.add_unique("emails", _str(collaborator.get("email")))


def _custom_fields(
    ticket: Ticket, raw: dict[str, Any], definitions: Any, mapping: Mapping[str, str]
) -> None:
    titles = {
        _str(d.get("id")): _str(d.get("title")) for d in definitions or [] if isinstance(d, dict)
    }
    seen: set[str] = set()
    for entry in [*(raw.get("custom_fields") or []), *(raw.get("fields") or [])]:
        if not isinstance(entry, dict) or entry.get("value") in (None, "", []):
            continue
        if _str(entry.get("id")) in seen:
            continue  # `fields` repeats `custom_fields` in API exports
        seen.add(_str(entry.get("id")))
        value = entry["value"]
        text = ", ".join(map(_str, value)) if isinstance(value, list) else _str(value)
        text = text.replace("_", " ") if re.fullmatch(r"[a-z0-9_]+", text) else text
        label = titles.get(_str(entry.get("id")), "")
        field = mapping.get(_str(entry.get("id")))
        if field == "title":
            ticket.title = ticket.title or text
            continue
        if field is None:
            field = FIELD_LABELS.get(normalize_label(label)) if label else None
        if field and field != "title":
            if field not in ticket.fields or field in ("ticket", "person", "customer", "tags"):
                apply_field(ticket, field, text)
            continue
        # Without field definitions, recognise values by shape.
        if "version" not in ticket.fields and re.fullmatch(r"v?\d+\.\d+(?:\.\d+)?", text.strip()):
            ticket.fields["version"] = text.strip()
        elif "deployment" not in ticket.fields and any(
            p.search(text.replace("_", " ")) for _, p in extract.DEPLOYMENT_KEYWORDS
        ):
            ticket.fields["deployment"] = text.replace("_", " ")


def _body(comment: dict[str, Any]) -> str:
    body = comment.get("body") or comment.get("plain_body")
    if isinstance(body, str) and body.strip():
        return _text(body.replace("\r\n", "\n"))
    return html_to_text(_str(comment.get("html_body")))


def _text(body: str) -> str:
    """A body as text: some exports put HTML in `body` and `description` too."""
    return html_to_text(body) if has_markup(body) else body


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {_str(i.get("id")): i for i in items if isinstance(i, dict)}


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()
