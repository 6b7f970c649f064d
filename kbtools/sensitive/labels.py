"""Build a RedactionContext from labelled fields in a write-up (`Customer:`, `Requester:`)."""

from __future__ import annotations

import re

from kbtools.sensitive.model import RedactionContext

_LABEL_RE = re.compile(
    r"^[ \t>*_\-]*(?:\*\*|__)?(?P<label>requester|requested by|reporter|reported by|submitted by|"
    r"opened by|customer contact|contact|contact name|customer|customer name|organization|"
    r"organisation|org|company|account|client|end user|user|from|cc)(?:\*\*|__)?[ \t]*:"
    r"(?:\*\*|__)?[ \t]*(?P<value>[^\n]+)$",
    re.IGNORECASE | re.MULTILINE,
)
_ORG_LABELS = {
    "customer",
    "customer name",
    "organization",
    "organisation",
    "org",
    "company",
    "account",
    "client",
}
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@(?P<domain>[A-Za-z0-9.\-]+\.[A-Za-z]{2,24})")
# Mail providers whose domain says nothing about the customer.
FREEMAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.ru",
        "yandex.ru",
        "qq.com",
        "163.com",
        "fastmail.com",
        "hey.com",
        "zoho.com",
    ]
)
_NAME_RE = re.compile(r"^[A-Z][\w'’.\-]*(?:[ \t]+[A-Z][\w'’.\-]*){0,3}$")


def context_from_text(text: str, base: RedactionContext | None = None) -> RedactionContext:
    """People and organizations named in labelled fields of `text`, merged into `base`."""
    found = RedactionContext()
    for match in _LABEL_RE.finditer(text):
        label = match.group("label").lower()
        value = match.group("value").strip().strip("*_`").strip()
        for email in _EMAIL_RE.finditer(value):
            domain = email.group("domain").lower()
            if domain not in FREEMAIL:
                found.organizations.append(domain)
        rest = _EMAIL_RE.sub("", value)
        # "Jane Doe, +1 512 ...", "Jane Doe (CTO)", "Acme Corp / EMEA": the name comes first.
        name = re.split(r"[<>()\[\]\",;|/]|\s[-–—]\s|\s\+?\d", rest, maxsplit=1)[0]
        name = re.sub(r"\s+", " ", name).strip(" -:")
        if not name:
            continue
        if label in _ORG_LABELS:
            found.organizations.append(name)
        elif _NAME_RE.match(name):
            found.people.append(name)
    return (base or RedactionContext()).merged(found)


def context_from_fields(
    people: list[str] | None = None,
    organizations: list[str] | None = None,
    emails: list[str] | None = None,
    internal_domains: list[str] | None = None,
) -> RedactionContext:
    """A context from structured fields (e.g. a Zendesk requester): email domains count as orgs."""
    orgs = list(organizations or [])
    for email in emails or []:
        domain = email.rpartition("@")[2].lower().strip()
        if domain and domain not in FREEMAIL:
            orgs.append(domain)
    return RedactionContext().merged(
        RedactionContext(list(people or []), orgs, list(internal_domains or []))
    )
