"""Turn a Ticket into an article: front matter and the section template of its type.

The sections come from `schema.SECTIONS`; every text field passes through one redactor
and the Markdown sanitizer before it is placed in the article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kbtools import extract
from kbtools.article import schema
from kbtools.article.sanitize import sanitize_markdown
from kbtools.frontmatter_yaml import dump_yaml
from kbtools.sensitive.redact import PLACEHOLDER_RE
from kbtools.ticket import Ticket

SOURCES_OF: dict[str, tuple[str, ...]] = {
    "Problem": ("Problem", "Question"),
    "Question": ("Question", "Problem", "Goal"),
    "Goal": ("Goal", "Question", "Problem"),
    "Resolution": ("Resolution", "Workaround", "Steps", "Answer"),
    "Steps": ("Steps", "Resolution", "Answer", "Workaround"),
    "Workaround": ("Workaround", "Resolution", "Steps", "Answer"),
    "Answer": ("Answer", "Resolution", "Steps", "Workaround"),
}
"""Which Ticket sections may fill an article section, in order of preference."""

FINISHING_SECTION = {
    "troubleshooting": "Resolution",
    "how-to": "Steps",
    "known-issue": "Workaround",
    "faq": "Answer",
}
"""The section without which an article of the type is not finished."""

TODO_TEXT = "TODO: {hint}"
HINTS = {
    "Problem": "describe the symptom in the customer's words.",
    "Environment": "add the version and deployment where this happens.",
    "Cause": "explain why this happens.",
    "Resolution": "describe the steps that fixed it.",
    "Steps": "list the steps.",
    "Goal": "say what the reader wants to achieve.",
    "Question": "state the question.",
    "Answer": "answer the question.",
    "Workaround": "describe the workaround.",
    "Affected versions": "list the affected versions.",
    "Status": "say whether a fix is released or planned.",
}

Redact = Callable[..., str]


class IncompleteError(ValueError):
    """A section that finishes the article is missing (e.g. a troubleshooting Resolution)."""

    def __init__(self, section: str, article_type: str) -> None:
        super().__init__(
            f"the write-up has no {section.lower()}: a {article_type} article needs "
            f"'## {section}' (add it, or use --allow-incomplete to save a draft with a TODO)"
        )
        self.section = section


@dataclass
class ArticleOptions:
    """What the user chose (or the config defaults) for the new article."""

    article_type: str | None = None
    product_area: str | None = None
    visibility: str = "internal"
    allow_incomplete: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    review_days: int = 180
    product_areas: Sequence[str] = ()
    area_keywords: dict[str, list[str]] = field(default_factory=dict)
    extra_services: Sequence[str] = ()
    default_area: str = ""
    """`kb.new.default_product_area`: where an article goes when nothing tells its area."""


def fallback_area(configured: str, areas: Sequence[str]) -> str:
    """The configured default area, else `general` when allowed (or nothing is), else the first."""
    if configured:
        return configured
    if not areas or "general" in areas:
        return "general"
    return areas[0]


@dataclass
class Article:
    """A rendered article: ordered front matter, H2 sections, and what happened on the way."""

    meta: dict[str, Any]
    sections: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    problem: str = ""
    error_lines: list[str] = field(default_factory=list)
    edited: str | None = None
    """The file as the user left it in `kb new --edit` (then `text()` returns it)."""

    @property
    def title(self) -> str:
        """The article title."""
        return str(self.meta.get("title", ""))

    def text(self) -> str:
        """The article file: `---` front matter `---`, then the sections."""
        if self.edited is not None:
            return self.edited
        front = dump_yaml(self.meta)
        parts = [f"---\n{front}---\n"]
        for name, body in self.sections.items():
            parts.append(f"## {name}\n\n{body.strip()}\n")
        return "\n".join(parts)


TYPE_WORDS = {
    "question": "faq",
    "faq": "faq",
    "q&a": "faq",
    "how to": "how-to",
    "howto": "how-to",
    "how-to question": "how-to",
    "known issue": "known-issue",
    "known bug": "known-issue",
    "bug": "troubleshooting",
    "defect": "troubleshooting",
    "incident": "troubleshooting",
    "problem": "troubleshooting",
}
"""A `Ticket type:` value in the writer's words -> the article type."""


def choose_type(ticket: Ticket, requested: str | None) -> str:
    """`--type` wins; else the shape of the write-up; else troubleshooting."""
    if requested:
        return requested
    named = ticket.fields.get("type", "").strip().lower()
    if named in schema.ARTICLE_TYPES:
        return named
    if named in TYPE_WORDS:
        return TYPE_WORDS[named]
    if ticket.type_hint:
        return ticket.type_hint
    if not ticket.error_lines and re.match(r"^how (?:do|to|can)\b", ticket.title, re.IGNORECASE):
        return "how-to"
    if not ticket.error_lines and re.match(
        r"^(?:can |is it possible|does |what is)", ticket.title, re.IGNORECASE
    ):
        return "faq" if ticket.title.rstrip().endswith("?") else "how-to"
    return "troubleshooting"


def build(ticket: Ticket, options: ArticleOptions, redact: Redact, article_id: str) -> Article:
    """The article for a ticket; raises IncompleteError when the finishing section is missing."""
    article_type = choose_type(ticket, options.article_type)
    warnings = list(ticket.warnings)
    deployment = extract.deployments(ticket)
    versions = extract.versions(ticket)
    fixed = extract.fixed_version(ticket)
    services = extract.services(ticket, options.extra_services)
    area = options.product_area or extract.product_area(
        ticket, options.product_areas, options.area_keywords
    )
    if not area:
        area = fallback_area(options.default_area, options.product_areas)
        warnings.append(
            f"could not tell the product area from the write-up: filed under '{area}' "
            "(use --product-area, or set kb.new.default_product_area)"
        )
    blocked = [*ticket.organizations, *ticket.people]
    title = front_text(redact(extract.title(ticket, deployment, names=blocked)), title=True)
    if not title:
        title = front_text(redact(extract.fallback_title(ticket)), title=True)
        warnings.append("no title found in the write-up: check the title")
    summary = front_text(redact(extract.summary(ticket, names=blocked))) or title

    finishing = FINISHING_SECTION[article_type]
    sections: dict[str, str] = {}
    template = schema.sections_for(article_type)
    incomplete = False
    for name in schema.sections_for(article_type):
        body = _section_body(name, ticket, versions, fixed, deployment, services, redact)
        if body.strip():
            sections[name] = body
            continue
        if name not in schema.required_sections(article_type):
            continue
        if name == finishing and not options.allow_incomplete:
            raise IncompleteError(name, article_type)
        incomplete = True
        sections[name] = TODO_TEXT.format(hint=HINTS.get(name, "fill in this section."))
        warnings.append(f"section '{name}' could not be filled from the write-up: marked TODO")
    if incomplete:
        warnings.append("article saved as a draft with TODO markers (kb lint: structure.todo)")
    if "Error messages" not in template and ticket.error_lines and sections:
        # A known issue or FAQ has no Error messages section: the lines stay, verbatim, in
        # the first section, where a search for the message finds them.
        first = next(iter(sections))
        sections[first] = (
            sections[first].rstrip() + "\n\n" + _error_messages(ticket, redact, intro=False)
        )

    meta: dict[str, Any] = {
        "id": article_id,
        "title": title,
        "summary": summary,
        "type": article_type,
        "product_area": area,
        "visibility": options.visibility,
        "status": "draft",
    }
    if versions or fixed:
        version_meta: dict[str, Any] = {"affected": versions}
        if fixed:
            version_meta["fixed"] = fixed
        meta["versions"] = version_meta
    for key, values in (
        ("deployment", deployment),
        ("services", services),
        # A tag the redactor would change names the customer (`dundermifflin`): it goes.
        ("tags", [t for t in extract.tags(ticket, blocked) if redact(t) == t]),
        ("tickets", ticket.tickets),
    ):
        if values:
            meta[key] = list(values)
    # Distinct date objects: ruamel would write one shared value as a YAML anchor/alias.
    meta["created"] = dt.date.fromordinal(options.today.toordinal())
    meta["updated"] = dt.date.fromordinal(options.today.toordinal())
    meta["review_by"] = options.today + dt.timedelta(days=options.review_days)
    # What the duplicate check compares: the problem and, when known, its cause.
    problem = extract.plain_text(
        " ".join([sections.get("Problem", sections.get("Question", "")), ticket.section("Cause")])
    )
    return Article(
        meta=_flow_lists(meta),
        sections=sections,
        warnings=warnings,
        problem=problem,
        error_lines=[
            redact(line, in_code=True) for line in extract.unique_error_lines(ticket.error_lines)
        ],
    )


_PLACEHOLDER_IN_TITLE_RE = re.compile(
    r"(?:\s+(?:for|by|from|at|of|with|to|on|in)\b)?\s*" + PLACEHOLDER_RE.pattern + r"(?:'s)?"
)


def front_text(text: str, *, title: bool = False) -> str:
    """A title or summary as plain text: no markup; a title keeps no placeholder either.

    "Sync fails for [customer]'s GitLab" says no more than "Sync fails for GitLab"; a
    summary keeps its placeholders (`[email-1]`), which read as plain text.
    """
    text = extract.plain_text(text)
    if title:
        text = _PLACEHOLDER_IN_TITLE_RE.sub(" ", text)
        text = re.sub(r"\s+([,.;:!?])", r"\1", text)
        text = " ".join(text.split()).strip(" ,;:-–")
        text = text[:1].upper() + text[1:]
    return " ".join(text.replace("<", "").replace(">", "").split())


def _section_body(
    name: str,
    ticket: Ticket,
    versions: list[str],
    fixed: str | None,
    deployment: list[str],
    services: list[str],
    redact: Redact,
) -> str:
    if name == "Error messages":
        return _error_messages(ticket, redact)
    if name == "Environment":
        return _environment(ticket, versions, deployment, services, redact)
    if name == "Affected versions":
        text = ticket.section("Affected versions")
        if text:
            return _prose(text, redact)
        return "\n".join(f"- {v}" for v in versions)
    if name == "Status":
        text = ticket.section("Status")
        if text:
            return _prose(text, redact)
        return f"Fixed in {fixed}." if fixed else ""
    for source in SOURCES_OF.get(name, (name,)):
        text = ticket.section(source)
        if text:
            return capitalize_sentences(_prose(text, redact))
    return ""


_SENTENCE_START_RE = re.compile(
    r"^(\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?)([a-z])([a-z]*)(?=[\s,:;.!?]|$)"
)
_CODE_RE = re.compile(r"`+([^`\n]+)`+")


def capitalize_sentences(markdown: str) -> str:
    """`the clock was wrong.` -> `The clock was wrong.`: each paragraph and list item of
    prose starts with a capital letter, as in the article template.

    A first word that the text also shows as code (`kubectl` in a code span or block) is a
    command, not the start of a sentence, and stays as written.
    """
    lines = markdown.split("\n")
    code_words: set[str] = set()
    fence: str | None = None
    for line in lines:
        match = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if match:
            fence = None if fence else match.group(1)
            continue
        if fence:
            code_words.update(re.findall(r"[a-z][a-z0-9-]*", line))
        for span in _CODE_RE.findall(line):
            code_words.update(re.findall(r"[a-z][a-z0-9-]*", span))
    out: list[str] = []
    fence = None
    previous = ""
    for line in lines:
        match = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if match:
            fence = None if fence else match.group(1)
        elif not fence:
            start = _SENTENCE_START_RE.match(line)
            opens = not previous.strip() or bool(start and start.group(1).strip())
            if start and opens and (start.group(2) + start.group(3)) not in code_words:
                line = line[: start.start(2)] + start.group(2).upper() + line[start.end(2) :]
        out.append(line)
        previous = line
    return "\n".join(out)


def _prose(text: str, redact: Redact) -> str:
    """Redact (code blocks as code) and sanitize one section's Markdown."""
    out: list[str] = []
    chunk: list[str] = []
    fence: str | None = None

    def flush(in_code: bool) -> None:
        if chunk:
            joined = "\n".join(chunk)
            out.append(redact(joined if in_code else without_ticket_refs(joined), in_code=in_code))
            chunk.clear()

    for line in text.split("\n"):
        match = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if fence is None and match:
            flush(False)
            fence = match.group(1)
            out.append(line)
            continue
        if fence is not None and re.match(
            rf"^\s{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line
        ):
            flush(True)
            fence = None
            out.append(line)
            continue
        chunk.append(line)
    flush(fence is not None)
    return sanitize_markdown("\n".join(out)).strip("\n")


_TICKET_PAREN_RE = re.compile(
    r"\s*\([^()\n]*\b(?:ticket|case|zendesk|zd)\s*(?:id\s*)?#?\s*\d{3,}[^()\n]*\)", re.IGNORECASE
)
_TICKET_REF_RE = re.compile(
    r"\b(?:zendesk |support )?(?:ticket|case|zd)\s*(?:id\s*)?#?\s*\d{3,}\b", re.IGNORECASE
)


def without_ticket_refs(text: str) -> str:
    """Ticket numbers are internal (they live in `tickets`): drop them from prose."""
    text = _TICKET_PAREN_RE.sub("", text)
    return _TICKET_REF_RE.sub("a support ticket", text)


def _error_messages(ticket: Ticket, redact: Redact, *, intro: bool = True) -> str:
    lines = extract.unique_error_lines(ticket.error_lines)
    intro_text = ticket.section("Error messages") if intro else ""
    parts: list[str] = []
    if intro_text:
        parts.append(_prose(intro_text, redact))
    if lines:
        code = redact("\n".join(lines), in_code=True)
        longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        parts.append(f"{fence}text\n{code}\n{fence}")
    return "\n\n".join(parts)


def _environment(
    ticket: Ticket,
    versions: list[str],
    deployment: list[str],
    services: list[str],
    redact: Redact,
) -> str:
    items: list[str] = []
    if versions:
        items.append(f"- Version: {', '.join(versions)}")
    if deployment:
        shown = [
            d
            for d in deployment
            if not (d == "kubernetes" and {"helm", "kustomize"} & set(deployment))
        ]
        items.append(
            "- Deployment: " + ", ".join(extract.DEPLOYMENT_LABELS.get(d, d) for d in shown)
        )
    if services:
        items.append("- Services: " + ", ".join(f"`{s}`" for s in services))
    prose = ticket.section("Environment")
    parts = ["\n".join(items)] if items else []
    if prose:
        parts.append(_prose(prose, redact))
    return "\n\n".join(parts)


def _flow_lists(meta: dict[str, Any]) -> dict[str, Any]:
    """Short lists as `[a, b]` so the front matter stays compact and easy to scan."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            mapping = CommentedMap()
            for key, item in value.items():
                mapping[key] = convert(item)
            return mapping
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            return seq
        return value

    result: dict[str, Any] = convert(meta)
    return result
