"""Every kind has examples that must be found and near-misses that must not (proselint style)."""

from __future__ import annotations

import pytest

from kbtools.sensitive import KINDS, RedactionContext, find

from .planted import TOKENS

CONTEXT = RedactionContext(
    people=["Jane Doe"],
    organizations=["Acme Corp", "acme-corp.com"],
    internal_domains=["sgdev.org"],
)

# kind -> (texts where exactly that kind is found, texts where nothing is found)
EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "private-key": ([TOKENS["PRIVATE_KEY"]], ["-----BEGIN RSA PRIVATE KEY-----\n...\n-----END"]),
    "github-token": (
        [f"token {TOKENS['GITHUB_TOKEN']}", TOKENS["GITHUB_PAT"]],
        ["ghp_" + "x" * 36, "ghp_<token>", "gh" + "p_" + "abcdefghijklmnopqrstuvwxyz0123456789"],
    ),
    "gitlab-token": ([TOKENS["GITLAB_TOKEN"]], ["gl" + "pat-xxxxxxxxxxxxxxxxxxxx"]),
    "slack-token": ([TOKENS["SLACK_TOKEN"]], ["xo" + "xb-your-token-here"]),
    "slack-webhook": ([TOKENS["SLACK_WEBHOOK"]], ["https://hooks.slack.com/services/XXX/YYY/ZZZ"]),
    "stripe-key": ([TOKENS["STRIPE_KEY"], TOKENS["STRIPE_WEBHOOK"]], ["sk" + "_live_..."]),
    "google-api-key": ([TOKENS["GOOGLE_KEY"]], ["AI" + "za" + "X" * 35]),
    "aws-access-key": ([TOKENS["AWS_ACCESS_KEY"]], ["AKIAIOSFODNN7EXAMPLE"]),
    "aws-secret-key": (
        [f"aws_secret_access_key = {TOKENS['AWS_SECRET_KEY']}"],
        ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    ),
    "sourcegraph-token": ([TOKENS["SOURCEGRAPH_TOKEN"]], ["sg" + "p_" + "0" * 40]),
    "npm-token": ([TOKENS["NPM_TOKEN"]], []),
    "docker-token": ([TOKENS["DOCKER_TOKEN"]], []),
    "openai-key": ([TOKENS["OPENAI_KEY"]], []),
    "jwt": ([TOKENS["JWT"]], ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkw..."]),
    "url-credentials": (
        ["postgres://sg:Wq7pLx2Rv9Kz@db:5432/sg"],
        ["https://user:password@host/x", "https://${USER}:${PASS}@host/x", "git@github.com:a/b"],
    ),
    "auth-header": (
        [f"Authorization: Bearer {TOKENS['BEARER']}"],
        ["Authorization: Bearer $TOKEN", "Authorization: Bearer <token>"],
    ),
    "assigned-secret": (
        ["DB_PASSWORD=Tr0ub4dor-3x", '"apiKey": "9fKq2LmX4vB7"', "password: hunter2x"],
        [
            "password: <password>",
            "token: ${TOKEN}",
            "api_key: $(cat key.txt)",
            "secret: your-token-here",
            "existingSecret: pgsql-auth",
            "token: $slack-token",
            "password_ttl=3600s" + "",
            'admin.password: "$2a$10$rRyBsGSHK6.uc8fntPwVIuLVHgsAhAX7TcdrqW/RADU0uh7CaChLa"',
            "password: c3Ryb25nLXBhc3N3b3Jk",
            "Cookie: argocd.token=eyJhbGciOiJIUzI1Ni...",
        ],
    ),
    "high-entropy": (
        [f'SESSION_SIGNING: "{TOKENS["HIGH_ENTROPY"]}"'],
        [
            "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "SHA256:46OSHA1Rmj8E8ERTC6xkNcmGOw9oFxYr0WF6zWW8l1E",
            "curl $ARGOCD_SERVER/api/v1/applications/guestbook",
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA8Uv3nVXjMLzRYVaXW",
            "123e4567-e89b-12d3-a456-426614174000",
        ],
    ),
    "email": (
        ["mail peter.gibbons@initech.com", "jane@acme-corp.com"],
        [
            "admin@example.com",
            "git@github.com:org/repo",
            "noreply@github.com",
            "https://www.mail-archive.com/haproxy@formilux.org/msg1.html",
            "https://contoso@dev.azure.com/org",
            "ops@company.com",
        ],
    ),
    "phone": (
        [
            "+1 512 867 5309",
            "(512) 867-5309",
            "512-867-5309",
            "+44 20 7946 0321",
            "cell 867-5309",
            "call +44 20 7946 0958 after 5",
            "+49 30 1234567",
            "+33 1 23 45 67 89",  # counts up, but a country code and groups say phone
            "+44 (0)20 7946 0958",
            "+81-3-1234-5678",
            "Phone: 020 7946 0958",
            "Tel: 020 7946 0958",
            "Tel.: 030 1234567",
            "Telephone: (020) 7946-0958",
            "Telefon: 030 1234567",
            "Tél : 01 23 45 67 89",
            "Mobile: 07700 900123",
            "call Hans on 030 1234567",
            "you can reach Maria Lopez at 07700 900123",
        ],
        [
            "version 1.2.3",
            "2024-06-01",
            "port 8080",
            "123-456-7890",
            "upgraded from 5.2.4 to 5.3.0",
            "v10.12.3 and 4.0.12",
            "on 2024-05-02 at 10:04:11",
            "01/06/2024 and 2024.06.01",
            "listening on :3080 and port 443",
            "ticket 51230 and #48812, ZD-1234567",
            "commit 4f2a9c1e0b7d 9fceb02d0ae598e95dc970b74767f19372d61af8",
            "id 3f2b5c1e-4d6a-4b8e-9c0f-1a2b3c4d5e6f",
            "image sourcegraph/frontend:5.2.4@sha256:e3b0c44298fc1c149afbf4c8996fb924",
            "Phone: 5.2.4",
            "Tel: 2024-06-01",
            "+1234567",
            "Phone: 000 000 0000",
            "Intel 8086 1234567",
            "took 1234 5678 ms",
            "+2024.06.01",
            "Phone: 1234567",
            "we call it on 5.2.4",
            "call the API at 10:30 on 2024-06-01",
            "recall on 12345678",
        ],
    ),
    "ipv4": (
        ["from 73.158.64.21", "10.14.2.17"],
        ["192.0.2.33", "127.0.0.1", "0.0.0.0", "v1.2.3.4", "1.2.3.4", "255.255.255.0", "2.4.6.8"],
    ),
    "ipv6": (
        ["2600:1f18:4a3:6e00:ae5f:3a1b:92c4:10d7", "fe80::1ff:fe23:4567:890a"],
        ["2001:db8::1", "::1", "12:30:45"],
    ),
    "hostname": (
        ["db-primary.initech.internal", "jump01.corp", "build.sgdev.org", "git.acme-corp.com"],
        ["argocd-server.argocd.svc.cluster.local", "host.docker.internal", "app.example.internal"],
    ),
    "person": (["Jane Doe said", "ask Jane"], ["jane street"]),
    "customer": (["Acme Corp", "github.com/acme-corp/api", "ACME's admins"], ["acmecorporate"]),
}


def test_every_kind_has_examples() -> None:
    missing = set(KINDS) - set(EXAMPLES) - {"pypi-token", "sendgrid-key"}
    assert not missing


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_examples_are_found(kind: str) -> None:
    for text in EXAMPLES[kind][0]:
        found = [d.kind for d in find(text, CONTEXT)]
        assert kind in found, f"{kind} not found in {text!r}: {found}"


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_near_misses_are_not_found(kind: str) -> None:
    for text in EXAMPLES[kind][1]:
        found = [d.kind for d in find(text, CONTEXT)]
        assert kind not in found, f"{kind} wrongly found in {text!r}"


def test_lint_mode_skips_private_addresses_only() -> None:
    text = "10.14.2.17 and 73.158.64.21 and fd00::17"
    kinds = [d.value for d in find(text, private_addresses=False)]
    assert kinds == ["73.158.64.21"]


def test_overlaps_keep_the_most_specific_kind() -> None:
    text = f"GITHUB_TOKEN={TOKENS['GITHUB_TOKEN']}"
    assert [d.kind for d in find(text)] == ["github-token"]


def test_base64_of_a_secret_is_found_but_base64_of_text_is_not() -> None:
    import base64

    url = base64.b64encode(b"postgres://sg:Wq7pLx2Rv9Kz@db.prod:5432/sourcegraph").decode()
    name = base64.b64encode(b"the quick brown fox jumps over the lazy dog").decode()
    assert [d.kind for d in find(f"  DB_URL: {url}")] == ["high-entropy"]
    assert find(f"  GREETING: {name}") == []


def test_dotted_identifiers_are_not_hosts() -> None:
    assert find("set `new.internal_domains` and `lint.local_rules`") == []
