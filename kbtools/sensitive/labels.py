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
# Shared services: an address there says who runs the service, not who the customer is.
PLATFORMS = frozenset(
    [
        "github.com",
        "gitlab.com",
        "bitbucket.org",
        "google.com",
        "microsoft.com",
        "amazonaws.com",
        "amazon.com",
        "slack.com",
        "zendesk.com",
        "atlassian.com",
        "atlassian.net",
        "users.noreply.github.com",
    ]
)
# Local parts of role accounts, which name no person and often belong to a vendor.
ROLE_ACCOUNTS = frozenset(
    [
        "git",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "support",
        "help",
        "info",
        "admin",
        "root",
        "postmaster",
        "notifications",
        "security",
        "sales",
        "billing",
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
    internal = [d.lower().lstrip(".") for d in (base.internal_domains if base else [])]
    for email in _EMAIL_RE.finditer(text):
        _from_email(email, text, internal, found)
    return (base or RedactionContext()).merged(found)


def _from_email(
    email: re.Match[str], text: str, internal: list[str], found: RedactionContext
) -> None:
    """An address anywhere in the text names its organization, and often its owner.

    `michael.bolton@initech.com` in a pasted chat makes `initech.com` an organization and,
    when "Michael Bolton" also appears in the text, a person. Free-mail providers, the
    team's own domains (`new.internal_domains`) and documentation domains name nobody.
    """
    domain = email.group("domain").lower()
    local = email.group(0).split("@", 1)[0]
    if (
        local.lower() in ROLE_ACCOUNTS
        or text[email.end() : email.end() + 1] == ":"  # git@github.com:org/repo is SSH
        or domain in FREEMAIL
        or domain in PLATFORMS
        or domain.split(".")[-2:] in (["example", "com"], ["example", "org"], ["example", "net"])
        or any(domain == d or domain.endswith("." + d) for d in internal)
    ):
        return
    found.organizations.append(domain)
    parts = [p for p in re.split(r"[._\-]+", local) if p.isalpha() and len(p) >= 2]
    if len(parts) >= 2:
        name_re = r"\b" + r"\s+".join(re.escape(p) for p in parts) + r"\b"
        match = re.search(name_re, text, re.IGNORECASE)
        if match and _NAME_RE.match(match.group(0)):
            found.people.append(match.group(0))


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
