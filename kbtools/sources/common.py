"""Helpers shared by the input formats: heading synonyms, labelled fields, text cues."""

from __future__ import annotations

import re

from kbtools.ticket import Ticket

HEADING_SYNONYMS: dict[str, str] = {}
"""Lower-case heading (or inline label) -> canonical section of a Ticket."""

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Problem": (
        "problem",
        "what happened",
        "symptoms",
        "symptom",
        "issue",
        "summary",
        "description",
        "issue description",
        "problem description",
        "problem statement",
        "overview",
        "the problem",
        "customer issue",
        "reported issue",
        "issue summary",
        "context",
        "what is happening",
        "what was happening",
        "report",
        "customer report",
        "prob",
        "original problem",
        "what the customer saw",
        "what the customer sees",
        "customer saw",
        "what the user saw",
        "observed",
        "original issue",
        "reported problem",
        "customer says",
    ),
    "Cause": (
        "cause",
        "root cause",
        "why",
        "rca",
        "root cause analysis",
        "diagnosis",
        "the cause",
        "why it happened",
        "explanation",
        "underlying cause",
        "reason",
        "cause found",
    ),
    "Resolution": (
        "resolution",
        "fix",
        "solution",
        "the fix",
        "how we fixed it",
        "how it was fixed",
        "resolved by",
        "fix applied",
        "remediation",
        "what fixed it",
        "final fix",
        "what we did",
        "fixed by",
        "action taken",
        "actions taken",
    ),
    "Workaround": ("workaround", "workarounds", "temporary fix", "mitigation"),
    "Answer": ("answer", "reply", "response", "a"),
    "Steps": ("steps", "how to", "how-to", "procedure", "instructions", "step by step"),
    "Goal": ("goal", "objective", "purpose", "what the customer wanted"),
    "Question": ("question", "customer question", "the question", "faq", "q"),
    "Error messages": (
        "error messages",
        "error message",
        "error logs",
        "logs",
        "log",
        "errors",
        "error",
        "log output",
        "stack trace",
        "stacktrace",
        "log excerpt",
        "relevant logs",
        "log lines",
    ),
    "Troubleshooting": (
        "troubleshooting",
        "troubleshooting steps",
        "investigation",
        "what we tried",
        "steps taken",
        "debugging",
        "analysis",
        "what we checked",
        "things tried",
        "we checked",
        "checked",
        "we tried",
        "tried",
    ),
    "Environment": (
        "environment",
        "setup",
        "env",
        "configuration",
        "customer environment",
        "system information",
        "environment details",
        "instance details",
        "details",
    ),
    "Affected versions": ("affected versions", "versions affected", "affected version"),
    "Status": ("status", "current status", "fix status"),
    "Additional information": (
        "additional information",
        "notes",
        "references",
        "related",
        "see also",
        "links",
        "more information",
        "additional notes",
        "next steps",
        "follow-up",
        "follow up",
        "related articles",
        "related issues",
    ),
}
for _canonical, _names in _SYNONYMS.items():
    for _name in _names:
        HEADING_SYNONYMS[_name] = _canonical

PRIVATE_HEADINGS = frozenset(
    {
        "internal notes",
        "internal",
        "private notes",
        "internal only",
        "private",
        "agent notes",
        "escalation",
        "escalation notes",
        "customer contact",
        "contacts",
    }
)
"""Sections that must never reach an article (dropped with a warning)."""

FIELD_LABELS: dict[str, str] = {}
"""Lower-case label -> Ticket field name (`version`, `deployment`, `ticket`, ...)."""

_LABELS: dict[str, tuple[str, ...]] = {
    "version": (
        "version",
        "sourcegraph version",
        "product version",
        "affected version",
        "affected versions",
        "instance version",
        "versions",
        "current version",
        "app version",
    ),
    "fixed": ("fixed in", "fixed version", "fix version", "fixed in version"),
    "deployment": (
        "deployment",
        "deployments",
        "deployment type",
        "deployment method",
        "install method",
        "installation method",
        "installation type",
        "platform",
        "hosting",
        "deploy type",
    ),
    "ticket": (
        "ticket",
        "ticket id",
        "ticket #",
        "ticket number",
        "zendesk",
        "zendesk ticket",
        "tickets",
        "related tickets",
        "ticket ids",
        "support ticket",
        "case",
        "case id",
    ),
    "customer": ("customer", "company", "organization", "organisation", "org", "account"),
    "person": (
        "requester",
        "contact",
        "reported by",
        "customer contact",
        "submitter",
        "requested by",
        "engineer",
        "support engineer",
        "assignee",
        "author",
        "reporter",
        "cc",
        "csm",
        "tam",
        "account manager",
        "account executive",
        "agent",
    ),
    "type": ("type", "article type", "kb type", "ticket type", "request type", "kind"),
    "product_area": ("product area", "area", "component"),
    "services": (
        "services",
        "service",
        "affected services",
        "affected service",
        "services involved",
        "services affected",
        "impacted services",
        "affected components",
        "components involved",
    ),
    "tags": ("tags", "labels", "keywords"),
    "title": ("title", "subject", "kb title", "article title"),
    "priority": ("priority", "severity", "urgency", "impact", "sla", "prio"),
}
for _field, _labels in _LABELS.items():
    for _label in _labels:
        FIELD_LABELS[_label] = _field

_LABEL_LINE_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z0-9 #/&'-]{0,40}?(?:\s*\([^()\n]{0,80}\))?)\s*"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*(?::|->|=>)|:|\s->|\s=>)\s*(.*?)\s*$"
)
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, keeping fenced code blocks whole."""
    result: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence):
                fence = None
            continue
        match = FENCE_RE.match(line)
        if match:
            fence = match.group(1)
            current.append(line)
            continue
        if not line.strip():
            if current:
                result.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        result.append("\n".join(current))
    return result


CAUSE_CUES = re.compile(
    r"\b(root cause|caused? by|because|due to|turned out|the (?:issue|problem) was|"
    r"the cause|cause (?:is|was)|the reason|this happens when|happened because|"
    r"was triggered by)\b",
    re.IGNORECASE,
)
FIX_CUES = re.compile(
    r"\b(fixed (?:it|this|the)|fixed by|we fixed|resolved (?:it|this|by)|the fix|to fix|"
    r"solution|workaround|solved (?:it|by)|to resolve|to work around|"
    r"after (?:we |they )?(?:ran|running|setting|increasing|restarting|upgrading|changing))\b",
    re.IGNORECASE,
)
CHATTER_RE = re.compile(
    r"^(?:thanks?|thank you|ty|ok(?:ay)?|great|cool|perfect|sure|np|no problem|hi|hello|"
    r"hey|one sec|brb|lgtm|yes|no|yep|nope|awesome|nice)\b[!. ]*(?:\w+[!. ]*){0,3}$",
    re.IGNORECASE,
)


def canonical_heading(text: str) -> str | None:
    """The canonical section of a heading or inline label, or None when unknown."""
    key = normalize_label(text)
    if key in HEADING_SYNONYMS:
        return HEADING_SYNONYMS[key]
    # "Root cause analysis (RCA)", "Fix / workaround": try the first words.
    for sep in ("(", "/", " - ", " and ", ":"):
        head = key.split(sep, 1)[0].strip()
        if head in HEADING_SYNONYMS:
            return HEADING_SYNONYMS[head]
    return None


def is_private_heading(text: str) -> bool:
    """True for headings such as "Internal notes" whose content must be dropped."""
    key = normalize_label(text)
    return key in PRIVATE_HEADINGS or key.startswith(("internal ", "private "))


def normalize_label(text: str) -> str:
    """Lower case, markup, numbering and trailing punctuation removed."""
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"^\s*(?:\d+[.)]\s*|[ivx]+\.\s+)", "", text)
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text)  # "original problem (reported by ...)"
    text = re.sub(r"\s+", " ", text).strip().strip(":?.!").strip()
    return text.lower()


def parse_label_line(line: str) -> tuple[str, str] | None:
    """(label, value) of a line like `**Deployment type:** helm` or `Ticket: 123`."""
    match = _LABEL_LINE_RE.match(line)
    if not match:
        return None
    label, value = match.group(1), match.group(2)
    value = re.sub(r"^(?:\*\*|__)\s*", "", value).strip()
    if "://" in label or not label.strip():
        return None
    return label.strip(), value


def apply_field(ticket: Ticket, field: str, value: str) -> None:
    """Record a labelled value on the ticket (people and customers feed redaction)."""
    value = value.strip().strip("*_").strip()
    if not value or value.lower() in ("n/a", "na", "none", "-", "unknown", "tbd"):
        return
    if field == "ticket":
        ids = re.findall(r"[A-Za-z]*-?#?\d+", value)
        ticket.add_unique("tickets", *(i.lstrip("#") for i in ids))
        return
    if field == "person":
        for part in re.split(r"[,;]|\band\b", value):
            name, emails = split_person(part)
            if name:
                ticket.add_unique("people", name)
            ticket.add_unique("emails", *emails)
        return
    if field == "customer":
        ticket.add_unique("organizations", re.sub(r"\s*\(.*?\)\s*$", "", value))
        return
    if field == "tags":
        ticket.add_unique("tags", *(t for t in re.split(r"[,;\s]+", value) if t))
        return
    existing = ticket.fields.get(field)
    ticket.fields[field] = f"{existing}, {value}" if existing else value


def split_person(text: str) -> tuple[str, list[str]]:
    """A name and the emails in `Jane Doe <jane@example.com>`."""
    emails = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
    name = re.sub(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?", "", text)
    name = re.sub(r"[()<>\[\]\"]", " ", name)
    name = " ".join(name.split()).strip(" ,;-")
    return name, emails


FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
        "proton.me",
        "protonmail.com",
        "live.com",
        "aol.com",
        "gmx.com",
        "gmx.de",
        "example.com",
    }
)


def organizations_from_emails(emails: list[str], internal_domains: list[str]) -> list[str]:
    """Customer organization names implied by requester email domains (`acme-corp.com`)."""
    found: list[str] = []
    for email in emails:
        domain = email.rsplit("@", 1)[-1].lower()
        if domain in FREE_MAIL or any(
            domain == d or domain.endswith("." + d) for d in internal_domains
        ):
            continue
        base = domain.split(".")[-2] if domain.count(".") >= 1 else domain
        for candidate in (domain, base, base.replace("-", " ")):
            if len(candidate) >= 3 and candidate not in found:
                found.append(candidate)
    return found


def is_chatter(text: str) -> bool:
    """True for messages that carry no content ("thanks!", "ok one sec")."""
    return bool(CHATTER_RE.match(text.strip())) or len(text.split()) < 3
