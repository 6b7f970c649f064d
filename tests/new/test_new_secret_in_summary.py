"""A secret in the problem statement must not survive into derived fields (title, summary).

Regression: the summary was made by stripping Markdown emphasis (`_`) before redaction,
which turned `ghp_...` into `ghp...`, a shape no detector knows, so the token leaked.
"""

from __future__ import annotations

import pytest

from kbtools import extract
from tests.new.support import KbProject, github_token


@pytest.mark.parametrize("where", ["problem", "title"])
def test_token_never_reaches_any_field(project: KbProject, run_new, where: str) -> None:  # type: ignore[no-untyped-def]
    token = github_token()
    title = f"Clone fails with token {token}" if where == "title" else "Clones fail for large repos"
    source = project.write(
        "notes.md",
        f"# {title}\n\n## What happened\n\ngitserver clones fail. Token used: {token} on push.\n\n"
        "## Root cause\n\nThe ingress cut large packfiles.\n\n"
        "## Fix\n\nRaise proxy-body-size on the gitserver ingress.\n",
    )
    result = run_new(str(source), "--dry-run", "--no-input", "--product-area", "install")
    assert result.code == 0, result.err
    tail = token[-16:]
    assert tail not in result.out
    assert "<redacted:github-token>" in result.out or "redacted:github-token" in result.out
    assert "github-token" in result.err


def test_plain_text_keeps_identifiers_whole() -> None:
    text = "Set *proxy_body_size* and `DB_PASSWORD` with __bold__ and _em_ words."
    assert extract.plain_text(text) == "Set proxy_body_size and DB_PASSWORD with bold and em words."
