"""Secrets and personal data in pages (secrets.*), sharing detectors with kb new."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from kbtools.article.schema import is_published_public
from kbtools.checks.base import Check, LintContext, finding
from kbtools.findings import Finding, Severity
from kbtools.rules import RuleInfo
from kbtools.sensitive import KINDS, SECRET, RedactionContext, find
from kbtools.sensitive.published import DocsPolicy, PageText, allowed, own_domains

if TYPE_CHECKING:
    from kbtools.document import Document

_HELP_SECRET = (
    "Remove the value from the page (use a placeholder such as `<token>`) and rotate the "
    "credential: it is in the git history now."
)
_HELP_PERSONAL = (
    "Replace personal or customer data with a placeholder (`[email-1]`, `[host-1]`, "
    "`[customer]`) or use a documentation value (`example.com`, `192.0.2.0/24`)."
)
RULES: tuple[RuleInfo, ...] = tuple(
    RuleInfo(
        f"secrets.{info.kind}",
        Severity.ERROR,
        f"{info.title[:1].upper()}{info.title[1:]} in a page",
        _HELP_SECRET if info.category == SECRET else _HELP_PERSONAL,
    )
    for info in KINDS.values()
    # Person and customer names need a ticket's context; pages have none.
    if info.kind not in ("person", "customer")
)
_RULES_BY_KIND = {rule.id.removeprefix("secrets."): rule for rule in RULES}


def value_hash(value: str) -> str:
    """A short, stable stand-in for a value (Finding.match), so baselines never hold secrets."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


class SecretsCheck(Check):
    """Secrets (errors) and personal data (errors on public pages, warnings on internal ones)."""

    name = "secrets"
    rules = RULES

    def check_document(self, doc: Document, ctx: LintContext) -> Iterable[Finding]:
        """One finding per detection; the message names the kind, never the value."""
        kb = ctx.project.kb
        public = is_published_public(doc.meta, default_public=kb.pages_public_by_default)
        context = RedactionContext(internal_domains=list(kb.new.internal_domains))
        audience = "a public" if public else "an internal"
        path = ctx.project.rel(doc.path)
        policy = docs_policy(ctx)
        page = PageText(doc.text)
        for detection in find(doc.text, context, private_addresses=False):
            rule = _RULES_BY_KIND.get(detection.kind)
            if rule is None or allowed(page, detection, policy):
                continue
            info = KINDS[detection.kind]
            secret = info.category == SECRET
            severity = Severity.ERROR if secret or public else Severity.WARNING
            line, column = doc.position(detection.start)
            end_line, end_column = doc.position(detection.end)
            found = finding(
                rule,
                path,
                line,
                column,
                f"{info.title[:1].upper()}{info.title[1:]} {_where(doc, line, column, detection.value)} of "
                f"{audience} page" + (" (remove it and rotate it)" if secret else ""),
                match=value_hash(detection.value),
                severity=severity,
                end_column=end_column if end_line == line else None,
            )
            yield replace(found, extra=(("kind", info.kind), ("category", info.category)))


def docs_policy(ctx: LintContext) -> DocsPolicy:
    """The project's policy for published pages: own domains and which addresses count."""
    raw = ctx.project.config.raw
    options = ctx.project.kb.lint.secrets
    domains = own_domains(
        _text(raw.get("site_url")), _text(raw.get("repo_url")), tuple(options.own_domains)
    )
    return DocsPolicy(own_domains=domains, emails=str(options.emails))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _where(doc: Document, line: int, column: int, value: str) -> str:
    """Where in the page a finding is: front matter, code, a link, or the text."""
    if doc.front_matter_lines and line <= doc.front_matter_lines:
        return "in the front matter"
    if doc.is_code(line, column):
        return "in code"
    if any(link.line == line and value in link.target for link in doc.links):
        return "in a link"
    return "in the text"
