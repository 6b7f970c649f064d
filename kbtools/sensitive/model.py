"""The data of the safety layer: what a detection is, the kinds, and the redaction context."""

from __future__ import annotations

from dataclasses import dataclass, field

SECRET = "secret"
PERSONAL = "personal"


@dataclass(frozen=True)
class Detection:
    """One secret or piece of personal data found in a text, as character offsets.

    `value` is the offending text itself: use it to redact, never print it. `key` groups
    detections that stand for the same thing (one person named by full and first name), so a
    Redactor gives them one placeholder.
    """

    kind: str
    category: str
    start: int
    end: int
    value: str = field(repr=False)
    key: str = field(default="", repr=False, compare=False)

    @property
    def identity(self) -> str:
        """What decides the placeholder number: `key` when set, else the value."""
        return self.key or self.value


@dataclass(frozen=True)
class KindInfo:
    """Static facts about one kind of detection."""

    kind: str
    category: str
    title: str
    placeholder: str = ""
    """Placeholder stem for personal data (`email` gives `[email-1]`); secrets use
    `[redacted:KIND]` and `customer` is never numbered."""

    @property
    def numbered(self) -> bool:
        """True when each distinct value gets its own numbered placeholder."""
        return self.category == PERSONAL and self.kind != "customer"


def _secret(kind: str, title: str) -> KindInfo:
    return KindInfo(kind, SECRET, title)


def _personal(kind: str, title: str, placeholder: str) -> KindInfo:
    return KindInfo(kind, PERSONAL, title, placeholder)


KINDS: dict[str, KindInfo] = {
    info.kind: info
    for info in (
        _secret("private-key", "private key"),
        _secret("github-token", "GitHub token"),
        _secret("gitlab-token", "GitLab token"),
        _secret("slack-token", "Slack token"),
        _secret("slack-webhook", "Slack webhook URL"),
        _secret("stripe-key", "Stripe-style API key"),
        _secret("google-api-key", "Google API key"),
        _secret("aws-access-key", "AWS access key id"),
        _secret("aws-secret-key", "AWS secret access key"),
        _secret("sourcegraph-token", "Sourcegraph access token"),
        _secret("npm-token", "npm token"),
        _secret("pypi-token", "PyPI token"),
        _secret("docker-token", "Docker Hub token"),
        _secret("sendgrid-key", "SendGrid API key"),
        _secret("openai-key", "OpenAI-style API key"),
        _secret("jwt", "JSON Web Token"),
        _secret("url-credentials", "credentials in a URL"),
        _secret("auth-header", "credential in an Authorization header"),
        _secret("assigned-secret", "value assigned to a secret-like name"),
        _secret("high-entropy", "high-entropy string"),
        _personal("email", "email address", "email"),
        _personal("phone", "phone number", "phone"),
        _personal("ipv4", "IPv4 address", "ip"),
        _personal("ipv6", "IPv6 address", "ip"),
        _personal("hostname", "internal host name", "host"),
        _personal("person", "person's name", "person"),
        _personal("customer", "customer organization name", "customer"),
    )
}


def category_of(kind: str) -> str:
    """The category (`secret` or `personal`) of a kind."""
    return KINDS[kind].category


@dataclass
class RedactionContext:
    """What a source tells about the people and organizations in it.

    `people` are names from labelled fields (requester, customer contact); `organizations`
    are customer organization names or their email/web domains (`Acme Corp`, `acme.com`);
    `internal_domains` are host name suffixes that are internal (`corp.example.net`).
    """

    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    internal_domains: list[str] = field(default_factory=list)

    def merged(self, other: RedactionContext | None) -> RedactionContext:
        """A new context holding the entries of both (order kept, duplicates dropped)."""
        if other is None:
            return RedactionContext(
                list(self.people), list(self.organizations), list(self.internal_domains)
            )
        return RedactionContext(
            _unique([*self.people, *other.people]),
            _unique([*self.organizations, *other.organizations]),
            _unique([*self.internal_domains, *other.internal_domains]),
        )


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        folded = item.strip().casefold()
        if folded and folded not in seen:
            seen.add(folded)
            out.append(item.strip())
    return out
