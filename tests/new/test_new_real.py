"""`kb new` on real, messy write-ups: one regression test per failure seen on held-out input.

Each fixture under tests/fixtures/tickets/real-* reproduces one failure of issue 10 with
`kb init` + `kb new FILE --no-input`; the tests say what the article must (not) contain.
"""

from __future__ import annotations

import json
import re

import markdown
import pytest

from kbtools.frontmatter_yaml import parse_front_matter
from kbtools.sensitive import Redactor, find
from tests.new.support import KbProject, Result


def _article(run_new, project: KbProject, fixture: str, *extra: str) -> tuple[dict, str]:
    result: Result = run_new(str(project.source(fixture)), "--no-input", "--dry-run", *extra)
    assert result.code == 0, result.err
    meta, body = _split(result.out)
    return meta, body


def _split(text: str) -> tuple[dict, str]:
    end = text.index("\n---\n", 4)
    front = parse_front_matter(text[4 : end + 1])
    assert front is not None
    return json.loads(json.dumps(front, default=str)), text[end + 5 :]


def _section(body: str, name: str) -> str:
    match = re.search(rf"^## {re.escape(name)}\n\n(.*?)(?=^## |\Z)", body, re.M | re.S)
    return match.group(1).strip() if match else ""


# --no-input on a write-up whose area the keywords do not decide: fall back, warn, exit 0.


def test_no_input_files_an_unplaced_write_up_under_the_fallback_area(
    project: KbProject, run_new
) -> None:
    result = run_new(str(project.source("real-area-unclear.txt")), "--no-input", "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["path"].startswith("docs/kb/install/")  # no `general`: the first area
    assert any("could not tell the product area" in w for w in payload["warnings"])


def test_configured_default_product_area_is_used_and_checked(project: KbProject, run_new) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text()
    config.write_text(
        text.replace(
            "articles_dir: kb", "articles_dir: kb\n      new: {default_product_area: auth}"
        )
    )
    meta, _ = _article(run_new, project, "real-area-unclear.txt")
    assert meta["product_area"] == "auth"
    config.write_text(
        text.replace(
            "articles_dir: kb", "articles_dir: kb\n      new: {default_product_area: nope}"
        )
    )
    result = run_new(str(project.source("real-area-unclear.txt")), "--no-input", "--dry-run")
    assert result.code == 2 and "default_product_area 'nope'" in result.err


# A Zendesk export whose fix and root cause are both in the agent's last public comment.


def test_zendesk_fix_and_cause_in_the_last_agent_comment(project: KbProject, run_new) -> None:
    _meta, body = _article(run_new, project, "real-zendesk-last-comment.json")
    cause, resolution = _section(body, "Cause"), _section(body, "Resolution")
    assert cause.startswith("The root cause is the memory limit on the new nodes")
    assert resolution.startswith("Please set gitserver.resources.limits.memory to 8Gi")
    assert "root cause" not in resolution and "limits.memory" not in cause
    assert "TODO" not in body
    problem = _section(body, "Problem")
    # The requester's first comment repeats the description: the paragraph appears once.
    assert problem.count("After we moved our cluster") == 1
    assert "Sent from" not in body and "Nadia" not in body and "Regards" not in body
    assert "Could you send" not in body  # the agent's question is no troubleshooting step
    assert "Confirmed fixed" not in body


# A defect summary: the Resolution paragraph also states the root cause; a labelled field.


def test_defect_summary_cause_in_resolution_and_labelled_services(
    project: KbProject, run_new
) -> None:
    meta, body = _article(run_new, project, "real-defect-summary.md")
    assert _section(body, "Cause").startswith("The root cause was that the email action job")
    resolution = _section(body, "Resolution")
    assert resolution.startswith("We fixed it in 5.5.3") and "root cause" not in resolution
    assert "Services involved" not in body and "Services involved" not in meta["summary"]
    assert meta["services"] == ["worker", "frontend"]
    assert (
        meta["title"] == "Code monitors stop sending email notifications after a frontend restart"
    )
    assert meta["versions"] == {"affected": ["5.5.1"], "fixed": "5.5.3"}


# A pasted chat: title mid-sentence with a placeholder, version, fix and customer's cause.


def test_pasted_chat_title_version_fix_and_cause(project: KbProject, run_new) -> None:
    meta, body = _article(run_new, project, "real-pasted-chat.txt")
    title = meta["title"]
    assert title[0].isupper() and "[" not in title and "@" not in title
    assert not re.match(r"(?i)(?:and|since then|but|so)\b", title)
    assert meta["versions"]["affected"] == ["5.4.2"]
    assert _section(body, "Cause").startswith("They shortened the refresh token lifetime in Okta")
    assert _section(body, "Resolution").startswith("Set the refresh token lifetime in Okta back")
    assert "That explains it" not in body
    assert "which auth provider" not in body.lower()
    assert "closing the ticket" not in body


# A how-to template with Question / Answer sections.


def test_question_answer_template_asking_how_is_a_how_to(project: KbProject, run_new) -> None:
    meta, body = _article(run_new, project, "real-howto-template.txt")
    assert meta["type"] == "how-to"
    assert meta["title"].startswith("How do I move the Sourcegraph Postgres databases")
    assert "KB request" not in body and "Carlos" not in body
    assert _section(body, "Steps").startswith("1. Create an RDS for PostgreSQL 16 instance")


# A title from a heading with markup in it.


def test_title_from_a_heading_with_markup(project: KbProject, run_new) -> None:
    meta, body = _article(run_new, project, "real-heading-markup.md")
    assert meta["title"] == "Publishing changesets fails with 403"
    assert "Hi team" not in body and "rachel" not in body.lower()


# Redaction: sign-off name next to an email, documentation example keys, raw HTML, chat link.


def test_email_thread_redaction_for_recall(project: KbProject, run_new) -> None:
    meta, body = _article(run_new, project, "real-email-redaction.txt")
    everything = json.dumps(meta) + body
    for gone in (
        "Marcus",
        "Webb",
        "Ines",
        "globex",
        "Globex",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI",
        "555-0199",
        "slack.com",
        "Internal chat thread",
        "<div",
        "&lt;",
        "font-family",
    ):
        assert gone not in everything, gone
    assert "[redacted:aws-access-key]" in body
    assert _section(body, "Problem").startswith("Since we moved our blobstore to S3 on Friday")
    assert _section(body, "Cause").startswith("The cause is the region")
    assert "To fix it, set" in _section(body, "Resolution")
    assert (
        meta["title"] == "Uploads to S3 blobstore fail with SignatureDoesNotMatch on Docker Compose"
    )


def test_kb_lint_keeps_its_example_exemption() -> None:
    text = "key AKIAIOSFODNN7EXAMPLE for jane@example.com at 10.20.30.40 via 192.0.2.10"
    assert find(text) == []  # kb lint on docs: obvious examples are fine
    out = Redactor(recall=True).redact(text)
    # Documentation IP ranges identify nobody, and error lines keep them verbatim.
    assert out == "key [redacted:aws-access-key] for [email-1] at [ip-1] via 192.0.2.10"


def test_names_in_greetings_sign_offs_and_signatures_go_everywhere() -> None:
    from kbtools.sensitive import RedactionContext
    from kbtools.sensitive.names import people_in_text

    text = (
        "Hi Priya,\n\nthe fix is below. Priya asked about it on Monday.\n\n"
        "Thanks, Maria\n\nRegards,\nTomasz Nowak\nSenior SRE | Initech\n\n"
        "-- Jane\nCC: Ravi Kumar (ravi.kumar@initech.example)\n"
    )
    people = people_in_text(text)
    assert {"Priya", "Maria", "Tomasz Nowak", "Jane", "Ravi Kumar"} <= set(people)
    out = Redactor(RedactionContext(people=people), recall=True).redact(text)
    for name in ("Priya", "Maria", "Tomasz", "Nowak", "Jane", "Ravi"):
        assert name not in out, name


# Placeholders read as plain text in the source, for kb lint and on the site.


def test_placeholders_are_plain_text_for_lint_and_the_renderer(
    project: KbProject, run_new, capsys: pytest.CaptureFixture[str]
) -> None:
    from kbtools.cli import main

    result = run_new(str(project.source("real-heading-markup.md")), "--no-input")
    assert result.code == 0, result.err
    [path] = project.articles()
    text = path.read_text()
    assert "[email-1]" in text and "&lt;" not in text and "<email" not in text
    capsys.readouterr()
    assert main(["lint", str(path), "--style", "off", "--fail-on", "error"]) == 0
    assert "links." not in capsys.readouterr().out  # `[email-1]` is no broken reference
    html = markdown.markdown(text.split("\n---\n", 1)[1])
    assert "[email-1]" in html and "<a " not in html


# --no-input exit codes: 2 only for unusable input or a missing Resolution.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("   \n\n", "empty"),
        ("\x00\x01binary", "binary"),
        ('{"ticket": {"subject": "x"', "not valid JSON"),
    ],
)
def test_unusable_input_exits_2(project: KbProject, run_new, content: str, message: str) -> None:
    name = "t.json" if content.startswith("{") else "t.txt"
    path = project.root.parent / name
    path.write_bytes(content.encode())
    result = run_new(str(path), "--no-input")  # --format auto: the JSON is still judged
    assert result.code == 2 and message in result.err, result.err


def test_missing_resolution_exits_2_naming_it_and_allow_incomplete_writes(
    project: KbProject, run_new
) -> None:
    path = project.root.parent / "open.txt"
    path.write_text(
        "Search results are empty for every query since the upgrade to 5.4.0 on Kubernetes.\n"
    )
    result = run_new(str(path), "--no-input", "--dry-run")
    assert result.code == 2 and "no resolution" in result.err
    assert run_new(str(path), "--no-input", "--dry-run", "--allow-incomplete").code == 0


def test_missing_optional_facts_never_exit_2(project: KbProject, run_new) -> None:
    path = project.root.parent / "bare.txt"
    path.write_text("It is broken.\n\nWe restarted it and it works again.\n")
    result = run_new(str(path), "--no-input", "--dry-run")
    assert result.code == 0, result.err
    assert "could not tell the product area" in result.err
