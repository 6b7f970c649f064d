"""Lint-only precision of secrets.*: own and role addresses, references, encoded data, hashes.

The detectors stay recall-first (kb new shares them); these tests pin what a published page
may show without a finding, that vendor-shaped tokens are never let through by context, and
the acceptance figures: <= 2 % of pages flagged on two real docs trees, precision and recall
on the handbook-like fixture, and every planted value of the redaction corpus still found.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks.secrets_corpus import filled_copy, scan, score
from kbtools.checks.base import LintContext
from kbtools.checks.secrets import SecretsCheck
from kbtools.document import parse_document
from kbtools.errors import ConfigError
from kbtools.findings import Finding
from kbtools.project import Project
from kbtools.sensitive import RedactionContext, find
from kbtools.sensitive.published import (
    DocsPolicy,
    PageText,
    allowed,
    is_role_address,
    own_domains,
)
from tests.sensitive.planted import TOKENS

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the clone (/work/main -> /work/shared), or beside a worktree's folder.
CORPORA = next(
    (
        p / "shared" / "corpora"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared").is_dir()
    ),
    ROOT.parent / "shared" / "corpora",
)
HANDBOOK = ROOT / "tests" / "fixtures" / "handbook-secrets"
REDACTION = ROOT / "tests" / "fixtures" / "redaction"


def lint(tmp_path: Path, text: str, options: str = "", site_url: str = "") -> list[Finding]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    head = f"site_name: t\nsite_url: {site_url}\n" if site_url else "site_name: t\n"
    (tmp_path / "mkdocs.yml").write_text(head + "plugins:\n  - kb" + options + "\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text(text)
    project = Project.load(start=tmp_path)
    doc = parse_document(text, page, "page.md", project.config.toc)
    ctx = LintContext(project=project, documents={"page.md": doc}, targets={"page.md"})
    return list(SecretsCheck().check_document(doc, ctx))


def reasons(text: str, policy: DocsPolicy | None = None) -> list[tuple[str, str]]:
    page = PageText(text)
    return [
        (d.kind, allowed(page, d, policy or DocsPolicy()))
        for d in find(text, None, private_addresses=False)
    ]


def test_own_domains_come_from_site_url_repo_url_and_config() -> None:
    assert own_domains("https://docs.acme.com/kb/", "https://github.com/acme/docs") == ("acme.com",)
    assert own_domains("https://squidfunk.github.io/mkdocs-material/", None) == (
        "squidfunk.github.io",
    )
    assert own_domains(
        "https://handbook.acme.co.uk/", "https://git.acme-labs.io/x", ("*.acme.dev",)
    ) == (
        "acme.dev",
        "acme.co.uk",
        "acme-labs.io",
    )
    assert own_domains(None, "https://gitlab.com/acme/handbook") == ()
    assert own_domains("not a url", "http://10.0.0.1/") == ()


def test_own_domain_and_role_addresses_are_allowed_others_are_not(tmp_path: Path) -> None:
    text = (
        "# Contacts\n\nDana (dana.whitfield@acme.com), Lena (lena@eng.acme.com), "
        "support@vendor.io, security-team@other.org, platform-alerts@acme.pagerduty.com,\n"
        "and the contractor rachel.greenberg84@gmail.com.\n"
    )
    findings = lint(tmp_path, text, site_url="https://docs.acme.com/")
    assert [(f.rule, f.line) for f in findings] == [("secrets.email", 4)]
    assert "rachel" not in findings[0].message + findings[0].match


@pytest.mark.parametrize(("mode", "count"), [("all", 4), ("others", 1), ("off", 0)])
def test_emails_option_chooses_which_addresses_count(tmp_path: Path, mode: str, count: int) -> None:
    text = "jane@acme.com, support@acme.com, hello@zensical.org, bob.smith@initech.net\n"
    options = f":\n      lint:\n        secrets:\n          emails: {mode}"
    assert len(lint(tmp_path, text, options, site_url="https://acme.com/")) == count


def test_configured_own_domains(tmp_path: Path) -> None:
    options = ":\n      lint:\n        secrets:\n          own_domains: [acme-labs.io]"
    assert lint(tmp_path, "lena.vogt@acme-labs.io\n", options) == []
    assert len(lint(tmp_path, "lena.vogt@acme-labs.io\n")) == 1


def test_bad_emails_option_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'secrets'.*'emails'"):
        lint(tmp_path, "x\n", ":\n      lint:\n        secrets:\n          emails: some")


def test_role_addresses() -> None:
    for address in (
        "support@x.io",
        "noreply@x.io",
        "security-reports@x.io",
        "billing-team@x.io",
        "support+emea@x.io",
        "platform-alerts@x.io",
        "hello@x.org",
    ):
        assert is_role_address(address), address
    for address in ("jane@x.io", "jane.support.person@x.io", "marco.bianchi@x.io"):
        assert not is_role_address(address), address


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            'export API_TOKEN="$(gcloud secrets versions access latest --secret=prod_api_token)"',
            "the name of a secret",
        ),
        ("gcloud secrets versions access latest --secret=stripe_live_key", "the name of a secret"),
        ("password = var.db_password", "expression"),
        ("password = random_password.db.result", "expression"),
        ("secret: vault:secret/data/payments#stripe_key", "secret store"),
        ("password: ref+vault://secret/db#/password", "secret store"),
        ("token: op://Engineering/Stripe/credential", "secret store"),
        (
            'secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api/x-AbCdEf"',
            "secret store",
        ),
        ("vault kv put secret/smtp password=@smtp-password.txt", "file"),
        (
            "password: ENC[AES256_GCM,data:Tr8jVv1cJp0=,iv:1J8q3Jh8mQ0Yd5H2rXk1cE6f7g8h9i0j1k2l3m4n5o6=,tag:Zk9s,type:str]",
            "encrypted",
        ),
        (
            "![d](https://mermaid.ink/img/pako:eNpVkMFqwzAMhl9F6JzBSNKtTUOhbLDTDoOdxg5GjhObOlaw5ZXS9t2nJGXj6ONb_6dP8k3U3omqEa7rJ3Qd7g7ZNCnIwqTREGn0VTfi5xyFgyp3WNhe5Xz5BCnR2d1zr3aIXmzJwhR9sqk1IqQ)",
            "encoded diagram",
        ),
        (
            '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGXRFWHRTb2Z0d2FyZQBBZG9iZSBJbWFnZVJlYWR5ccllPAAAAUJJREFUeNqkU7FKA0EQfXt3gYiFaGEhWFjYWPgBFv6Cv+BH2NjZW9lY2FjYWPgJFoKFYCEoCIKFhY2FjQhB0URyd+s7L3cxIZy1G0bezLw3b3Z2L8wcGoaBjYdHhYOx8c7eQy8t7G9vz3b4jOFnERtTXwgAAAABJRU5ErkJggg==">',
            "encoded diagram or image",
        ),
        (
            '"integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="',
            "lockfile hash",
        ),
        (
            "github.com/stretchr/testify v1.9.0 h1:HtqpIVDClZ4nwg75+f6Lvsy/wHu+3BoSGCbBAcpTsTg=",
            "lockfile hash",
        ),
        ("our runners (34.89.0.0/16)", "network range"),
        (
            "spec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq1Ln8XPqd3xu2WmYYS0N7XCW0hbDgQr2DQyVZNkU0\n",
            "encrypted",
        ),
    ],
)
def test_references_and_encoded_values_are_allowed(text: str, reason: str) -> None:
    found = reasons(text)
    assert found, "the detector no longer sees this case: the test would prove nothing"
    assert all(reason in why for _, why in found), found


def test_vendor_tokens_are_never_allowed_by_context() -> None:
    token, key = TOKENS["GITHUB_TOKEN"], TOKENS["AWS_ACCESS_KEY"]
    for text in (
        f'export T="$(curl -H "Authorization: token {token}" https://api.github.com/user)"',
        f"![d](https://mermaid.ink/img/pako:{token})",
        f"value: {{{{ '{key}' }}}}",
        f"arn:aws:secretsmanager:eu-west-1:1:secret:{token}",
    ):
        kinds = [
            (kind, why) for kind, why in reasons(text) if kind in ("github-token", "aws-access-key")
        ]
        assert kinds and all(why == "" for _, why in kinds), (text, kinds)


def test_a_real_password_in_a_substitution_stays_a_finding() -> None:
    text = 'DB_URL="$(printf postgres://app:%s@db password=Tr0ub4dor-and-3xyz)"'
    assert ("assigned-secret", "") in reasons(text)


def test_message_names_kind_and_place_never_the_value(tmp_path: Path) -> None:
    token = TOKENS["GITLAB_TOKEN"]
    text = (
        f'---\ntitle: x\nnote: {token}\n---\n# Page\n\n```yaml\ntoken: "{token}"\n```\n\n'
        f"Mail rachel.greenberg84@gmail.com or [the report](https://r.example.net/x?access_token="
        f"{TOKENS['BEARER']}&a=1).\n"
    )
    messages = [f.message for f in lint(tmp_path, text)]
    assert messages == [
        "GitLab token in the front matter of a public page (remove it and rotate it)",
        "GitLab token in code of a public page (remove it and rotate it)",
        "Email address in the text of a public page",
        "Value assigned to a secret-like name in a link of a public page (remove it and rotate it)",
    ]
    for message in messages:
        assert token not in message and "rachel" not in message and TOKENS["BEARER"] not in message


@pytest.mark.parametrize(
    "name", sorted(p.name for p in REDACTION.iterdir() if not p.name.endswith(".expect.json"))
)
def test_planted_corpus_is_still_found_on_public_pages(tmp_path: Path, name: str) -> None:
    from tests.sensitive.test_redaction_corpus import load

    text, expect = load(name)
    context = RedactionContext(internal_domains=list(expect["context"].get("internal_domains", [])))
    lint_kinds = {r.id.removeprefix("secrets.") for r in SecretsCheck.rules}
    detected = [d for d in find(text, context, private_addresses=False) if d.kind in lint_kinds]
    assert detected
    page = PageText(text)
    let_through = [
        (d.kind, allowed(page, d, DocsPolicy())) for d in detected if allowed(page, d, DocsPolicy())
    ]
    assert let_through == []


def test_handbook_fixture_precision_and_recall(tmp_path: Path) -> None:
    labels = json.loads((HANDBOOK / "expected.json").read_text(encoding="utf-8"))["findings"]
    result = scan(filled_copy(HANDBOOK, tmp_path))
    scores = score(result, labels)
    assert scores["recall"] == 1.0, scores["missed"]
    assert scores["precision"] >= 0.75, scores["false_positives"]
    before = score(scan(filled_copy(HANDBOOK, tmp_path / "raw"), raw=True), labels)
    assert before["recall"] == 1.0 and before["precision"] < 0.1  # what the rules fixed


@pytest.mark.slow
@pytest.mark.parametrize(
    ("corpus", "site_url"),
    [
        ("argo-cd", "https://argo-cd.readthedocs.io/"),
        ("mkdocs-material", "https://squidfunk.github.io/mkdocs-material/"),
    ],
)
def test_real_docs_trees_flag_at_most_two_percent(
    tmp_path: Path, corpus: str, site_url: str
) -> None:
    source = CORPORA / corpus
    if not (source / "docs").is_dir():
        pytest.skip(f"{source} is not available")
    target = tmp_path / corpus
    shutil.copytree(source / "docs", target / "docs")
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    config = "\n".join(line for line in config.splitlines() if not line.startswith("site_url:"))
    (target / "mkdocs.yml").write_text(f"site_url: {site_url}\n{config}\n", encoding="utf-8")
    result = scan(target)
    assert result.pages > 90
    assert len(result.flagged) <= 0.02 * result.pages, sorted(result.flagged)
