"""The one Redactor of an article: told who the people and the customer of the ticket are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbtools.errors import InputError

if TYPE_CHECKING:
    from kbtools.sensitive import Redactor
    from kbtools.ticket import Ticket


def redactor_for(ticket: Ticket, internal_domains: Sequence[str]) -> Redactor:
    """A recall-first Redactor for one write-up (`kb new`): examples are redacted too.

    People come from the parser (labelled fields, chat speakers, Zendesk users, greetings,
    sign-offs, signatures, mail headers); every later mention of them is redacted.
    """
    try:
        from kbtools.sensitive import RedactionContext, Redactor, context_from_text
        from kbtools.sensitive.names import organizations_in_text, people_in_text
    except ImportError:  # pragma: no cover - a broken install must not write unredacted text
        raise InputError(
            "the redaction layer (kbtools.sensitive) is not available: refusing to write "
            "an article that was not redacted"
        ) from None
    from kbtools.sources.common import organizations_from_emails

    domains = list(internal_domains)
    organizations = [*ticket.organizations, *organizations_from_emails(ticket.emails, domains)]
    people = list(ticket.people)
    context = RedactionContext(people=people, organizations=organizations, internal_domains=domains)
    # Defense in depth: labelled names the source parser did not take (e.g. "From: ..." in a
    # pasted email, or a label inside an internal section) are redacted too. For a Zendesk
    # export `raw` holds the comment bodies, not the JSON.
    text = ticket.texts or ticket.raw
    context = context_from_text(text, context)
    found = RedactionContext(people=people_in_text(text), organizations=organizations_in_text(text))
    return Redactor(context.merged(found), recall=True)
