"""The public API of kbtools.sensitive: find, Redactor, is_internal_link, context_from_text."""

from __future__ import annotations

import random

from kbtools.sensitive import (
    Detection,
    RedactionContext,
    Redactor,
    context_from_text,
    find,
    is_internal_link,
)

_RNG = random.Random(7)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _rand(n: int) -> str:
    return "".join(_RNG.choice(_ALNUM) for _ in range(n))


GITHUB = "gh" + "p_" + _rand(36)


def kinds(text: str, context: RedactionContext | None = None) -> list[str]:
    return [d.kind for d in find(text, context)]


def test_find_reports_kind_category_and_offsets() -> None:
    text = f"token {GITHUB} here"
    [detection] = find(text)
    assert (detection.kind, detection.category) == ("github-token", "secret")
    assert text[detection.start : detection.end] == GITHUB
    assert GITHUB not in repr(detection)


def test_placeholders_are_consistent_within_one_redactor() -> None:
    redactor = Redactor()
    first = redactor.redact("mail jane@acme.io and bob@acme.io", in_code=True)
    second = redactor.redact("again bob@acme.io then jane@acme.io", in_code=True)
    assert first == "mail [email-1] and [email-2]"
    assert second == "again [email-2] then [email-1]"
    assert redactor.counts == {"email": 4}


def test_markdown_autolink_email_becomes_one_placeholder() -> None:
    out = Redactor().redact("Write to <jane@acme.io> or run `ssh jane@acme.io`.")
    assert out == "Write to [email-1] or run `ssh [email-1]`."


def test_phone_numbers_get_numbered_placeholders() -> None:
    redactor = Redactor()
    out = redactor.redact(
        "Phone: +44 20 7946 0958, Tel: 020 7946 0958\nBerlin office +49 30 1234567, "
        "Paris +33 1 23 45 67 89; again +44 20 7946 0958. Running 5.2.4 on port 3080 "
        "since 2024-06-01, ticket 51230."
    )
    assert out == (
        "Phone: [phone-1], Tel: [phone-2]\nBerlin office [phone-3], "
        "Paris [phone-4]; again [phone-1]. Running 5.2.4 on port 3080 "
        "since 2024-06-01, ticket 51230."
    )
    assert redactor.counts == {"phone": 5}


def test_ips_are_normalized_for_numbering() -> None:
    out = Redactor().redact("from 10.12.0.5 via fd00::0:1 and fd00::1, 10.12.0.5", in_code=True)
    assert out == "from [ip-1] via [ip-2] and [ip-2], [ip-1]"


def test_people_and_customer_from_labels_wherever_they_recur() -> None:
    text = (
        "Customer: Acme Corp\nRequester: Jane Doe <jane.doe@acme-corp.com>\n\n"
        "Jane said ACME CORP's repo github.com/acme-corp/api fails on git.acme-corp.com.\n"
    )
    context = context_from_text(text)
    assert context.people == ["Jane Doe"]
    out = Redactor(context).redact(text, in_code=True)
    assert "Jane" not in out and "acme" not in out.lower()
    assert "github.com/[customer]/api" in out
    assert "[person-1] said [customer]'s repo" in out
    assert "on [host-1]." in out


def test_internal_links_are_dropped() -> None:
    context = RedactionContext(internal_domains=["corp.example.net"])
    assert is_internal_link("https://acme.slack.com/archives/C1/p2")
    assert is_internal_link("https://acme.zendesk.com/agent/tickets/123")
    assert is_internal_link("https://wiki.corp.example.net/x", context)
    assert not is_internal_link("https://support.zendesk.com/hc/en-us/articles/1")
    assert not is_internal_link("https://github.com/argoproj/argo-cd")
    out = Redactor().redact(
        "See [the thread](https://acme.slack.com/archives/C1/p2) and "
        "https://acme.atlassian.net/browse/OPS-12."
    )
    assert out == "See the thread and [internal-link]."


def test_never_flagged() -> None:
    text = (
        "commit 3f786850e387550fdab836ed7e6dc881de23001b, "
        "uuid 123e4567-e89b-12d3-a456-426614174000, "
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, "
        "token: <token>, password: xxxxxxxx, key AKIAIOSFODNN7EXAMPLE, "
        "GITHUB_TOKEN=${GITHUB_TOKEN}, api_key: $(cat key.txt), secret: your-token-here, "
        "ip 192.0.2.10 and 2001:db8::1 and 127.0.0.1, mail admin@example.com"
    )
    assert find(text) == []


def test_detection_is_frozen_and_hides_value() -> None:
    detection = Detection("email", "personal", 0, 3, "a@b")
    assert "a@b" not in repr(detection)


def test_labels_give_people_and_organizations() -> None:
    text = (
        "**Customer:** Initrode Ltd\n"
        "Requester: Joanna Smith <joanna@initrode.co.uk>\n"
        "Customer contact: Samir Nagheenanajar, +1 512 867 5309\n"
        "Reported by: bob@gmail.com\n"
    )
    context = context_from_text(text)
    assert context.people == ["Joanna Smith", "Samir Nagheenanajar"]
    assert context.organizations == ["Initrode Ltd", "initrode.co.uk"]


def test_internal_link_table() -> None:
    internal = [
        "https://app.slack.com/client/T1/C2",
        "https://acme.atlassian.net/wiki/spaces/OPS/pages/1",
        "https://jira.acme.io/browse/OPS-1",
        "https://linear.app/acme/issue/ENG-1",
        "https://www.notion.so/acme/Runbook-1",
        "https://docs.google.com/document/d/1/edit",
        "https://acme.lightning.force.com/lightning/r/Case/1/view",
    ]
    public = [
        "https://hooks.slack.com/services/T1/B2/x",  # a secret, redacted as slack-webhook
        "https://docs.sourcegraph.com/admin",
        "https://support.zendesk.com/hc/en-us/articles/1",
        "https://github.com/acme/api/issues/1",
    ]
    assert all(is_internal_link(u) for u in internal)
    assert not any(is_internal_link(u) for u in public)


def test_counts_never_hold_values() -> None:
    redactor = Redactor(RedactionContext(people=["Jane Doe"]))
    redactor.redact(f"Jane Doe sent {GITHUB} from 73.158.64.21", in_code=True)
    assert redactor.counts == {"github-token": 1, "ipv4": 1, "person": 1}
