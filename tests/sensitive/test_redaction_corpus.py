"""The redaction corpus: planted secrets and personal data in notes, chat and a Zendesk export.

Each fixture in tests/fixtures/redaction/ has a `<name>.expect.json` (markitdown's
FileTestVector idea): the planted values that must not survive, the text that must (typed
placeholders and the words around them), and the redaction counts by kind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kbtools.sensitive import RedactionContext, Redactor, context_from_text

from .planted import TOKENS, fill

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "redaction"
CASES = sorted(p.name for p in FIXTURES.iterdir() if not p.name.endswith(".expect.json"))


def load(name: str) -> tuple[str, dict[str, Any]]:
    """The fixture text with tokens filled in, and its expectations."""
    text = fill((FIXTURES / name).read_text(encoding="utf-8"), json_strings=name.endswith(".json"))
    expect = json.loads((FIXTURES / f"{name}.expect.json").read_text(encoding="utf-8"))
    return text, expect


def redact(name: str) -> tuple[str, Redactor, dict[str, Any]]:
    """Redact a fixture as `kb new` would: Markdown and chat as prose, JSON as data."""
    text, expect = load(name)
    spec = expect["context"]
    context = RedactionContext(
        list(spec.get("people", [])),
        list(spec.get("organizations", [])),
        list(spec.get("internal_domains", [])),
    )
    if spec.get("from_labels"):
        context = context_from_text(text, context)
    redactor = Redactor(context)
    out = redactor.redact(text, in_code=name.endswith(".json"))
    return out, redactor, expect


@pytest.mark.parametrize("name", CASES)
def test_planted_values_are_removed(name: str) -> None:
    out, _, expect = redact(name)
    for planted in expect["must_not_include"]:
        value = fill(planted)
        assert value not in out, f"{name}: planted value {planted!r} survived redaction"


@pytest.mark.parametrize("name", CASES)
def test_placeholders_and_surrounding_text_are_kept(name: str) -> None:
    out, _, expect = redact(name)
    for kept in expect["must_include"]:
        assert kept in out, f"{name}: expected {kept!r} in the redacted text"


@pytest.mark.parametrize("name", CASES)
def test_redactions_are_reported_by_kind(name: str) -> None:
    _, redactor, expect = redact(name)
    assert redactor.counts == expect["counts"]


def test_json_export_stays_valid_json() -> None:
    out, _, _ = redact("zendesk-export.json")
    data = json.loads(out)
    assert data["users"][0]["name"] == "[person-1]"


def test_corpus_plants_at_least_forty_items_of_every_kind() -> None:
    planted = 0
    kinds: set[str] = set()
    for name in CASES:
        _, expect = load(name)
        planted += len(expect["must_not_include"])
        kinds.update(expect["counts"])
    assert planted >= 40
    wanted = {
        "github-token",
        "gitlab-token",
        "slack-token",
        "slack-webhook",
        "stripe-key",
        "google-api-key",
        "aws-access-key",
        "aws-secret-key",
        "sourcegraph-token",
        "jwt",
        "private-key",
        "url-credentials",
        "assigned-secret",
        "high-entropy",
        "email",
        "phone",
        "ipv4",
        "ipv6",
        "hostname",
        "person",
        "customer",
        "internal-link",
    }
    assert wanted <= kinds


def test_no_token_shaped_literal_is_committed() -> None:
    for path in FIXTURES.iterdir():
        text = path.read_text(encoding="utf-8")
        for value in TOKENS.values():
            assert value not in text
