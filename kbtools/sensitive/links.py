"""Links to internal chat, ticket and document systems, which never belong in an article."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kbtools.sensitive.model import RedactionContext

# (host pattern, path pattern): a URL whose host and path both match is internal.
INTERNAL_LINKS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(host + r"\Z"), re.compile(path))
    for host, path in (
        # Workspaces, archives, files; hooks.slack.com URLs are secrets (slack-webhook).
        (r"(?!hooks\.)(?:[\w-]+\.)*slack\.com", r""),
        (r"(?:[\w-]+\.)*slack-(?:edge|files)\.com", r""),
        (r"teams\.microsoft\.com|teams\.live\.com", r""),
        (r"(?:www\.)?discord(?:app)?\.com", r"^/channels/"),
        (r"[\w-]+\.zendesk\.com", r"^/(?:agent|tickets|api/v2|hc/[\w-]+/requests|hc/requests)"),
        (r"[\w-]+\.freshdesk\.com", r"^/(?:a|helpdesk)/"),
        (r"[\w-]+\.service-now\.com", r""),
        (r"(?:[\w-]+\.)*(?:salesforce|force|lightning\.force)\.com", r""),
        (r"secure\.helpscout\.net|app\.frontapp\.com|app\.intercom\.com|app\.hubspot\.com", r""),
        (r"[\w-]+\.atlassian\.net", r""),  # Jira and Confluence Cloud
        (r"(?:jira|confluence)\.[\w.-]+", r""),
        (r"[\w.-]+", r"^/(?:browse|jira/software/[\w/-]*projects)/[A-Z][A-Z0-9]+-\d+"),
        (r"linear\.app", r""),
        (r"(?:www\.)?notion\.so|[\w-]+\.notion\.site", r""),
        (r"(?:docs|drive|sheets|slides)\.google\.com", r""),
        (r"[\w-]+\.sharepoint\.com", r""),
        (r"[\w-]+\.pagerduty\.com", r"^/incidents"),
        (r"app\.asana\.com", r""),
    )
)

# A URL in running text; trailing sentence punctuation is not part of it.
URL_RE = re.compile(r"(?<![\w@])(?:https?|ftp)://[^\s<>()\[\]\"'`]+(?<![.,;:!?*_])", re.IGNORECASE)


def is_internal_link(url: str, context: RedactionContext | None = None) -> bool:
    """True for links to internal chat, tickets or documents, or to an internal host."""
    try:
        parts = urlsplit(url.strip().strip("<>"))
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if not host:
        return False
    path = parts.path or "/"
    for host_re, path_re in INTERNAL_LINKS:
        if host_re.match(host) and path_re.search(path):
            return True
    # Our own internal domains (configured) are dropped too; other internal-looking hosts
    # (`*.corp`, customer domains) stay as links with the host redacted.
    domains = [d.lower().strip(".") for d in (context.internal_domains if context else [])]
    return any(host == d or host.endswith("." + d) for d in domains if d)
