"""`kb new --dry-run` on the redaction corpus: no planted value reaches the article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbtools.cli import main

from .planted import fill

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "redaction"
MKDOCS_YML = """\
site_name: Redaction test
plugins:
  - kb:
      articles_dir: kb
      product_areas: [install, upgrades, general]
"""


@pytest.mark.parametrize("name", ["notes-initech.md", "zendesk-export.json", "chat-escalation.txt"])
def test_kb_new_article_holds_no_planted_value(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    (tmp_path / "docs" / "kb").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    source = tmp_path / name
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    source.write_text(fill(raw, json_strings=name.endswith(".json")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["new", str(source), "--no-input", "--dry-run", "--json", "--allow-incomplete"]
    args += ["--product-area", "install"]
    code = main(args)
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, captured.err
    result = json.loads(out)
    expect = json.loads((FIXTURES / f"{name}.expect.json").read_text(encoding="utf-8"))
    for planted in expect["must_not_include"]:
        assert fill(planted) not in out, f"planted value {planted!r} reached the article"
    assert result["redactions"], "nothing was redacted"
    for item in result["redactions"]:
        assert set(item) == {"kind", "count"} and isinstance(item["count"], int)


def test_an_address_in_chat_names_its_owner_and_organization() -> None:
    from kbtools.sensitive import RedactionContext, Redactor, context_from_text

    chat = (
        "[09:15] Bill: their admin is Michael Bolton, michael.bolton@initech.com\n"
        "[09:16] Milton: milton@support-vendor.io says Initech's SSO broke; ask michael.\n"
        "[09:17] Bill: Bolton will rotate the keys. See help@example.com for the template.\n"
    )
    context = context_from_text(chat, RedactionContext(internal_domains=["support-vendor.io"]))
    assert "Michael Bolton" in context.people
    assert "initech.com" in context.organizations
    assert not any("support-vendor" in org or "example" in org for org in context.organizations)
    redacted = Redactor(context).redact(chat)
    for leaked in ("Michael", "Bolton", "Initech", "initech"):
        assert leaked not in redacted
    assert "Milton" in redacted  # support staff named only as speakers stay
