"""The KB article schema: types, front matter fields and sections, in one place.

Everything that writes or checks an article (`kb new`, the `frontmatter.*` and
`structure.*` checks, the site plugin) reads these tables; change the schema here only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

ID_PATTERN = re.compile(r"^KB-\d{4,}$")

ARTICLE_TYPES = ("troubleshooting", "how-to", "known-issue", "faq")
VISIBILITIES = ("public", "internal")
STATUSES = ("draft", "published", "archived")
KNOWN_DEPLOYMENTS = (
    "kubernetes",
    "helm",
    "kustomize",
    "docker-compose",
    "docker-single-container",
    "aws-ami",
    "machine-image",
    "bare-metal",
    "cloud",
)

SECTIONS: dict[str, tuple[str, ...]] = {
    "troubleshooting": (
        "Problem",
        "Error messages",
        "Environment",
        "Troubleshooting",
        "Cause",
        "Resolution",
        "Additional information",
    ),
    "how-to": ("Goal", "Environment", "Steps", "Additional information"),
    "known-issue": ("Problem", "Affected versions", "Workaround", "Status"),
    "faq": ("Question", "Answer"),
}
"""H2 sections of each type, in order."""

OPTIONAL_SECTIONS: dict[str, frozenset[str]] = {
    "troubleshooting": frozenset({"Error messages", "Troubleshooting", "Additional information"}),
    "how-to": frozenset({"Additional information"}),
    "known-issue": frozenset(),
    "faq": frozenset(),
}
"""Sections an article may leave out; the others are required."""

PRIVATE_FIELDS = ("tickets", "owner")
"""Front matter never rendered on the public site."""


@dataclass(frozen=True)
class Field:
    """One front matter key: its kind, whether it is required, and allowed values."""

    name: str
    kind: str  # "str", "id", "date", "list", "enum", "versions"
    required: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""


FIELDS: tuple[Field, ...] = (
    Field("id", "id", True, description="KB-0042: unique, never reused"),
    Field("title", "str", True, description="the symptom in the customer's words"),
    Field("summary", "str", True, description="one or two sentences for search results"),
    Field("type", "enum", True, ARTICLE_TYPES),
    Field("product_area", "str", True, description="one of the configured product areas"),
    Field("visibility", "enum", True, VISIBILITIES),
    Field("status", "enum", True, STATUSES),
    Field("versions", "versions", description="affected: [list], fixed: optional version"),
    Field("deployment", "list", description="kubernetes, docker-compose, ..."),
    Field("services", "list", description="services named in the article"),
    Field("tags", "list"),
    Field("tickets", "list", description="source ticket ids; never rendered publicly"),
    Field("owner", "str", description="team or person responsible; never rendered publicly"),
    Field("created", "date", True),
    Field("updated", "date"),
    Field("review_by", "date"),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def sections_for(article_type: str) -> tuple[str, ...]:
    """The ordered H2 sections of a type (empty for an unknown type)."""
    return SECTIONS.get(article_type, ())


def required_sections(article_type: str) -> tuple[str, ...]:
    """The sections an article of this type must have."""
    optional = OPTIONAL_SECTIONS.get(article_type, frozenset())
    return tuple(s for s in sections_for(article_type) if s not in optional)


def as_date(value: Any) -> dt.date | None:
    """A front matter date (YAML date or ISO string), or None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_published_public(meta: dict[str, Any] | None, *, default_public: bool = True) -> bool:
    """True when a page belongs on the public site.

    Pages without a `visibility`/`status` (handbook pages outside the KB) follow
    `default_public`; KB articles must say `visibility: public` and `status: published`.
    """
    if not meta:
        return default_public
    visibility = meta.get("visibility")
    status = meta.get("status")
    if visibility is None and status is None:
        return default_public
    return visibility == "public" and status == "published"
