"""Each input format becomes a Ticket with canonical sections, error lines and fields."""

from __future__ import annotations

import json

import pytest

from kbtools import extract, sources
from tests.new.support import fixture_text, github_token


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("gitserver-disk-full.md", "markdown"),
        ("summary-template-reordered.md", "markdown"),
        ("no-headings.txt", "text"),
        ("chat-thread.txt", "text"),
        ("zendesk-proxy.json", "zendesk"),
        ("faq-batch-changes.md", "markdown"),
    ],
)
def test_auto_detects_the_format(fixture: str, expected: str) -> None:
    text = fixture_text(fixture)
    assert sources.detect(text, "") == expected or fixture.endswith(".md")
    assert sources.detect(text, fixture) == expected


def test_markdown_synonym_headings_map_to_canonical_sections() -> None:
    ticket = sources.parse(fixture_text("gitserver-disk-full.md"), "notes.md")
    assert list(ticket.sections) == ["Problem", "Troubleshooting", "Cause", "Resolution"]
    assert "clone in progress" in ticket.sections["Problem"]
    assert "sized for the initial 800 repositories" in ticket.sections["Cause"]
    assert "kubectl patch pvc" in ticket.sections["Resolution"]
    assert ticket.fields["version"] == "v5.2.4"
    assert ticket.tickets == ["48213"]
    assert ticket.people == ["Jane Okafor"]
    assert ticket.organizations == ["Acme Robotics"]
    assert len(ticket.error_lines) == 3
    assert ticket.error_lines[0].startswith("t=2024-03-04T09:12:44Z lvl=eror")


def test_internal_notes_section_is_dropped() -> None:
    ticket = sources.parse(fixture_text("gitserver-disk-full.md"), "notes.md")
    everything = ticket.all_text()
    assert "credit" not in everything
    assert github_token() not in everything
    assert any("Internal notes" in w for w in ticket.warnings)


def test_headings_in_another_order_and_bold_labels() -> None:
    ticket = sources.parse(fixture_text("summary-template-reordered.md"), "x.md")
    assert ticket.section("Resolution").startswith("Set `SRC_HTTP_CLI_EXTERNAL_TIMEOUT=5m`")
    assert "Request timed out" in ticket.section("Problem")
    assert "60 seconds" in ticket.section("Cause")
    assert ticket.fields == {"version": "5.3.2", "deployment": "docker-compose"}
    assert ticket.tickets == ["50917"]
    assert ticket.people == ["Priya Raman"]
    assert ticket.emails == ["priya.raman@globex.io"]
    # The indented log block under "Logs" is kept verbatim, repeats removed.
    assert (
        ticket.error_lines[0]
        == "ERROR frontend: request timed out after 60s path=/api/graphql?TreeEntries"
    )


def test_text_without_headings_recovers_problem_cause_and_fix() -> None:
    ticket = sources.parse(fixture_text("no-headings.txt"), "notes.txt")
    assert ticket.source_format == "text"
    assert ticket.section("Problem").startswith("Customer (Initech, ticket 51230) could not log in")
    assert "serviceProviderIssuer was not set" in ticket.section("Cause")
    assert ticket.section("Resolution").startswith("We fixed it by setting")
    assert "Okta" in ticket.section("Troubleshooting")
    assert ticket.error_lines[0].startswith("ERROR auth.saml: SAML response validation failed")
    assert ticket.tickets == ["51230"]
    assert "Initech" in ticket.organizations


def test_chat_thread_drops_speakers_timestamps_and_chatter() -> None:
    ticket = sources.parse(fixture_text("chat-thread.txt"), "chat.txt")
    everything = ticket.all_text()
    assert "[10:" not in everything
    assert "maria.lopez" not in everything and "dev.patel" not in everything
    assert "thanks" not in everything.lower()
    assert "closing the ticket" not in everything
    assert ticket.section("Problem").startswith("Searches for anything in our monorepo time out")
    assert "4Gi memory limit" in ticket.section("Cause")
    assert "raise the memory limit" in ticket.section("Resolution")
    assert ticket.error_lines[0].startswith("2024-05-02T10:04:11Z ERROR zoekt-webserver")
    assert ticket.people == ["maria.lopez", "Maria Lopez", "dev.patel", "Dev Patel"]
    assert ticket.organizations == ["Umbrella Health"]


def test_zendesk_comments_hold_the_fix_and_internal_notes_never_count() -> None:
    ticket = sources.parse(fixture_text("zendesk-proxy.json"), "ticket.json")
    assert ticket.title.endswith("x509 certificate error behind corporate proxy")
    assert ticket.tickets == ["52044"]
    assert "re-signs TLS traffic" in ticket.section("Cause")
    assert "SSL_CERT_FILE" in ticket.section("Resolution")
    assert "docker compose up -d" in ticket.section("Resolution")
    everything = ticket.all_text()
    assert "strategic account" not in everything
    assert github_token() not in everything
    assert "slack.com" not in everything
    assert "That worked" not in everything  # the customer's thanks is not the fix
    assert "Let me know" not in everything
    assert "Gavin Belson" in ticket.people and "Richard Hendricks" in ticket.people
    assert "Hooli" in ticket.organizations
    assert ticket.fields["version"] == "5.2.4"
    assert any("internal note" in w for w in ticket.warnings)


def test_zendesk_comment_marked_private_is_dropped_even_if_it_holds_a_fix() -> None:
    data = {
        "ticket": {
            "id": 7,
            "subject": "Search is slow",
            "description": "Search is slow.",
            "requester_id": 1,
        },
        "comments": [
            {"author_id": 2, "public": False, "body": "To fix it, use the SECRET-FIX flag."},
            {"author_id": 2, "public": True, "body": "To fix it, restart zoekt-webserver."},
        ],
    }
    ticket = sources.parse(json.dumps(data), "t.json")
    assert "SECRET-FIX" not in ticket.all_text()
    assert "restart zoekt-webserver" in ticket.section("Resolution")


def test_bad_zendesk_json_is_a_source_error() -> None:
    with pytest.raises(sources.SourceError, match="not a zendesk ticket"):
        sources.parse('{"ticket": ', "t.json", "zendesk")
    with pytest.raises(sources.SourceError, match="empty"):
        sources.parse("  \n", "t.md")


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        ("gitserver-disk-full.md", "Repositories stopped updating after the weekend on Kubernetes"),
        ("no-headings.txt", "Could not log in with SAML after upgrading from 5.1.8 to 5.2.0"),
        (
            "chat-thread.txt",
            "Searches for anything in our monorepo time out since this morning on Kubernetes",
        ),
        (
            "slack-thread.txt",
            'Since the upgrade to 5.3.0 the Grafana dashboards show "No data" on Docker Compose',
        ),
        (
            "zendesk-proxy.json",
            "Code host sync failing with x509 certificate error behind corporate proxy",
        ),
        (
            "chat-greetings.txt",
            "The frontend pods fail to start with a migration error on Kubernetes",
        ),
    ],
)
def test_title_is_the_symptom_plus_environment(fixture: str, title: str) -> None:
    ticket = sources.parse(fixture_text(fixture), fixture)
    got = extract.title(
        ticket, extract.deployments(ticket), names=ticket.organizations + ticket.people
    )
    assert got == title
    assert len(got) <= 90


def test_chat_opening_pleasantries_are_not_the_problem() -> None:
    ticket = sources.parse(fixture_text("chat-greetings.txt"), "chat.txt")
    problem = ticket.section("Problem")
    assert problem.startswith("We upgraded to 5.4.1 last night. Since then the frontend pods")
    for chatter in ("Morning", "hope you", "weekend", "quick one", "one sec"):
        assert chatter not in problem
    assert ticket.section("Cause").startswith("The cause is a migration")
    assert ticket.error_lines[0].startswith('{"SeverityText":"ERROR"')


def _chat_title(*messages: str) -> str:
    lines = [f"[10:{n:02d}] ana.silva (Acme): {m}" for n, m in enumerate(messages)]
    lines.append("[10:59] lee (support): to fix it, raise the limit and restart")
    ticket = sources.parse("\n".join(lines), "chat.txt")
    return extract.title(
        ticket, extract.deployments(ticket), names=ticket.organizations + ticket.people
    )


@pytest.mark.parametrize(
    ("messages", "title"),
    [
        (
            (
                "Good morning team",
                "hope you're all well!",
                "we have a problem with our instance",
                'since yesterday, cloning a repo from the UI fails with "exit status 128" on our '
                "docker-compose setup",
            ),
            'Cloning a repo from the UI fails with "exit status 128" on Docker Compose',
        ),
        (
            (
                "Hey!",
                "Is anyone around?",
                "Our Okta login loops back to the sign-in page after upgrading to 5.3.2, we run "
                "sourcegraph on k8s with kustomize",
            ),
            "Our Okta login loops back to the sign-in page after upgrading to 5.3.2 on Kubernetes",
        ),
        (
            (
                "Morning all :)",
                "Thanks for the help last week, much appreciated. Unfortunately the "
                "precise-code-intel-worker now keeps crashing with OOMKilled every few minutes, "
                "and uploads are stuck in queued state for hours, which hurts our developers",
            ),
            "The precise-code-intel-worker now keeps crashing with OOMKilled every few minutes",
        ),
        (
            ("Hi, search fails for `repo:^github\\.com/` queries",),
            "Search fails for repo:^github\\.com/ queries",
        ),
        (
            ("hello!", "we want to set up SSO with Okta for all users"),
            "We want to set up SSO with Okta for all users",
        ),
    ],
)
def test_chat_title_is_the_first_symptom_sentence(messages: tuple[str, ...], title: str) -> None:
    got = _chat_title(*messages)
    assert got == title
    assert len(got) <= 90


def test_versions_deployment_and_services() -> None:
    ticket = sources.parse(fixture_text("gitserver-disk-full.md"), "x.md")
    assert extract.versions(ticket) == ["5.2.4"]
    assert extract.deployments(ticket) == ["kubernetes", "helm"]
    assert extract.services(ticket) == ["gitserver"]
    chat = sources.parse(fixture_text("chat-thread.txt"), "c.txt")
    assert extract.versions(chat) == ["5.2.6"]
    assert extract.services(chat) == ["zoekt-webserver", "zoekt-indexserver"]


def test_product_area_from_keywords() -> None:
    areas = ["install", "upgrades", "auth", "search", "storage", "networking", "observability"]
    expect = {
        "gitserver-disk-full.md": "storage",
        "no-headings.txt": "auth",
        "chat-thread.txt": "search",
        "zendesk-proxy.json": "networking",
    }
    for fixture, area in expect.items():
        ticket = sources.parse(fixture_text(fixture), fixture)
        assert extract.product_area(ticket, areas) == area, fixture


def test_error_lines_are_deduplicated_once_masked() -> None:
    lines = [
        "2024-01-01T10:00:00Z ERROR gitserver: fetch failed repo=42 ip=10.0.0.1",
        "2024-01-01T10:05:13Z ERROR gitserver: fetch failed repo=43 ip=10.0.0.2",
        "ERROR other",
    ]
    assert extract.unique_error_lines(lines) == [lines[0], lines[2]]


def test_short_version_and_v_prefix() -> None:
    ticket = sources.parse(
        "# Upgrade to v5.3 fails\n\n## Problem\n\nAfter upgrading to 5.2 the "
        "migrator fails. The disk is 0.5 full at 10.0.0.1.\n",
        "x.md",
    )
    assert extract.versions(ticket) == ["5.3", "5.2"]


def test_inline_labels_split_one_paragraph_into_sections() -> None:
    ticket = sources.parse(
        "Problem: search broken after the upgrade\nCause: zoekt shards were deleted\n"
        "Fix: restart zoekt-indexserver\n\nIt reindexed within an hour.\n",
        "notes.txt",
    )
    assert ticket.section("Problem") == "Search broken after the upgrade"
    assert ticket.section("Cause") == "Zoekt shards were deleted"
    assert ticket.section("Resolution") == (
        "Restart zoekt-indexserver\n\nIt reindexed within an hour."
    )


def test_pasted_slack_thread() -> None:
    ticket = sources.parse(fixture_text("slack-thread.txt"), "slack.txt")
    assert ticket.people == ["Ana Souza", "Luis Ortega"]
    assert ticket.organizations == ["Initrode"]
    assert ticket.section("Problem").startswith("Since the upgrade to 5.3.0 the Grafana dashboards")
    assert "renamed the frontend container" in ticket.section("Cause")
    assert "remove the prometheus target override" in ticket.section("Resolution")
    assert ticket.error_lines[0].startswith("level=error ts=2024-08-02T09:30:12.441Z")
    everything = ticket.all_text()
    assert "9:14 AM" not in everything and "That worked" not in everything
    assert "Can you check" not in everything
