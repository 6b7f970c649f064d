"""Lint-only precision: which detections in a published docs page are not leaks.

`find()` is recall-first and shared with `kb new`, which must remove everything that could
be a secret from a ticket. A docs page is different: the site's own addresses, role
addresses, references to where a secret lives (`$(gcloud secrets ...)`, `${VAR}`, vault and
sops references, Terraform and template expressions), encoded diagrams, image data URIs and
lockfile hashes are all written there on purpose. `allowed()` names why one detection is such
a case; only the secrets check calls it, so nothing here weakens what `kb new` removes.

Vendor-shaped tokens and private keys (`STRONG_KINDS`) are never allowed by context: a real
`ghp_...` inside a command substitution is still a leak.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from kbtools.sensitive.examples import word_fraction
from kbtools.sensitive.model import Detection

EMAIL_MODES = ("all", "others", "off")

STRONG_KINDS = frozenset(
    {
        "private-key",
        "github-token",
        "gitlab-token",
        "slack-token",
        "slack-webhook",
        "stripe-key",
        "google-api-key",
        "aws-access-key",
        "aws-secret-key",
        "sourcegraph-token",
        "npm-token",
        "pypi-token",
        "docker-token",
        "sendgrid-key",
        "openai-key",
        "jwt",
    }
)
"""Kinds whose shape alone proves a credential: no context makes them harmless."""

# Local parts (first word) of addresses that reach a team or a machine, never one person.
ROLE_LOCAL_PARTS = frozenset(
    {
        "abuse",
        "accounts",
        "admin",
        "admins",
        "alerts",
        "announce",
        "billing",
        "bot",
        "bounce",
        "bounces",
        "bugs",
        "careers",
        "ci",
        "community",
        "compliance",
        "contact",
        "contributors",
        "devops",
        "docs",
        "donotreply",
        "do-not-reply",
        "dpo",
        "enquiries",
        "feedback",
        "finance",
        "gdpr",
        "hello",
        "help",
        "helpdesk",
        "hostmaster",
        "hr",
        "info",
        "inquiries",
        "invoices",
        "jobs",
        "legal",
        "licensing",
        "mailer-daemon",
        "maintainers",
        "marketing",
        "media",
        "members",
        "no-reply",
        "noreply",
        "notifications",
        "office",
        "ops",
        "oncall",
        "partners",
        "payments",
        "postmaster",
        "press",
        "privacy",
        "questions",
        "releases",
        "root",
        "sales",
        "escalations",
        "security",
        "service",
        "servicedesk",
        "sre",
        "success",
        "support",
        "team",
        "webmaster",
    }
)

# Hosts shared by many sites: a site or repository there gives no domain of its own.
_SHARED_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "git.sr.ht"}
)
_SHARED_SUFFIXES = (
    "github.io",
    "gitlab.io",
    "readthedocs.io",
    "readthedocs.org",
    "netlify.app",
    "pages.dev",
    "vercel.app",
    "azurestaticapps.net",
    "web.app",
    "firebaseapp.com",
    "herokuapp.com",
)
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu"}

# Spans whose content refers to a secret instead of holding it.
# Spans whose content refers to a secret instead of holding it. Searched only in a window
# around a detection, with bounded repetitions: an unterminated `$(` or `{{` on a long line
# costs the window, not the line (no quadratic scan of a 5 MB single-line page).
_REFERENCE_SPAN_RE = re.compile(
    r"\$\((?:[^()\n]|\((?:[^()\n]|\([^()\n]{0,200}\)){0,200}\)){0,500}\)"  # $(gcloud ...)
    r"|\$\{\{[^\n]{0,500}?\}\}"  # ${{ secrets.GITHUB_TOKEN }}
    r"|\$\{[^}\n]{0,500}\}"  # ${VAR}, ${var.db_password}
    r"|\{\{[^\n]{0,500}?\}\}|\{%[^\n]{0,500}?%\}"  # Jinja, Go templates, Helm
    r"|@Microsoft\.KeyVault\([^)\n]{0,500}\)"
)
_WINDOW = 1200
# Ciphertext: sops values (`ENC[` to the next `]`, found with bisect, linear), ansible-vault
# and age blocks.
_ENC_START_RE = re.compile(r"ENC\[[A-Z0-9_]{1,40},data:")
_ENC_END_RE = re.compile(r"[\]\n]")
_ENCRYPTED_RE = re.compile(
    r"-----BEGIN AGE ENCRYPTED FILE-----[\s\S]{0,20000}?-----END AGE ENCRYPTED FILE-----"
    r"|\$ANSIBLE_VAULT;[^\n]{0,200}(?:\n[ \t]{0,40}[0-9a-f]{20,200})+"
)
# Values that name where a secret lives: vault/sops/secret-manager references.
_REFERENCE_VALUE_RE = re.compile(
    r"(?:vault|sops|ref\+[a-z0-9]+|op|sm|gcpsm|awssm|awssecrets|azurekeyvault|akv|doppler|"
    r"infisical|bws|secretsmanager|ssm|k8s|secret)://"
    r"|vault:[A-Za-z0-9_\-]+/"
    r"|arn:aws[a-z\-]*:(?:secretsmanager|ssm|kms):"
    r"|projects/[^/\s]+/secrets/"
    r"|^!vault$",
    re.IGNORECASE,
)
# Terraform, GitHub Actions, Helm and Ansible expressions: `var.db_password`,
# `random_password.db.result`, `secrets.GITHUB_TOKEN`, `.Values.auth.token`.
_EXPRESSION_RE = re.compile(
    r"\.?(?:var|local|data|module|each|count|path|self|terraform|secrets|vars|env|inputs|steps|"
    r"needs|matrix|github|Values|Release|hostvars|lookup)(?:\.[A-Za-z_][\w\-]*|\[[^\]\s]*\])+"
    r"|[a-z][a-z0-9]*_[a-z0-9_]+\.[a-z_][\w\-]*(?:\.[a-z_][\w\-]*|\[[^\]\s]*\])+"
)
# A command-line flag whose value names a secret in a secret manager: `--secret=db-pass`.
_SECRET_NAME_FLAG_RE = re.compile(
    r"(?:^|\s)--?(?:secret|secret[-_]id|secret[-_]name|secret[-_]ref|token[-_]name|key[-_]name)"
    r"[ \t]*=?[ \t]*[\"']?$",
    re.IGNORECASE,
)
# Encoded diagrams (the URL holds the compressed diagram source) and image data URIs.
_DIAGRAM_HOSTS = ("mermaid.ink", "mermaid.live", "kroki.io", "plantuml.com", "mermaid-js.github.io")
_URL_RE = re.compile(r"https?://[^\s<>\"'`()\[\]]+", re.IGNORECASE)
_DATA_URI_RE = re.compile(r"data:image/[A-Za-z0-9.+\-]+;base64,[A-Za-z0-9+/=\s]+", re.IGNORECASE)
# Lockfile and checksum shapes: SRI (`sha512-...`), Go's `h1:`, Nix `sha256-...`.
_HASH_PREFIX_RE = re.compile(r"^(?:sha(?:1|224|256|384|512)|md5)-[A-Za-z0-9+/]{20,}={0,2}$")
_HASH_BEFORE_RE = re.compile(
    r"(?:\bh1:|\bsha(?:1|224|256|384|512)[-:]|\bintegrity[\"']?\s*[:=]\s*[\"']?)$", re.IGNORECASE
)
_YAML_REF_KEY_RE = re.compile(
    r"^([ \t-]*)(?P<key>secretKeyRef|secretRef|secretName|valueFrom|existingSecret|envFrom|"
    r"secretStoreRef|remoteRef|encryptedData|sops)[ \t]*:",
    re.MULTILINE,
)
_ENCRYPTED_KEYS = ("encryptedData", "sops")
# `password=@file.txt` (vault, curl), `--password-file`, `<(pass show x)`: read from a file.
_FILE_VALUE_RE = re.compile(r"@[\w./\-]+|<\(.*")
_CIDR_AFTER_RE = re.compile(r"/([0-9]{1,3})(?![0-9])")


@dataclass(frozen=True)
class DocsPolicy:
    """What a project allows in its published pages (from `lint.secrets` and mkdocs.yml)."""

    own_domains: tuple[str, ...] = ()
    """Domains of the site itself: addresses there are the organization's own."""
    emails: str = "others"
    """`all`: every personal address is a finding; `others`: not at the own domains nor role
    addresses; `off`: no address is a finding."""


def own_domains(
    site_url: str | None, repo_url: str | None, extra: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The site's own domains: `acme.com` from `https://docs.acme.com/`, a repo host, `extra`."""
    domains: list[str] = [d.lower().strip(".").removeprefix("*.") for d in extra if d.strip(".")]
    for url in (site_url, repo_url):
        domain = _site_domain(url or "")
        if domain:
            domains.append(domain)
    return tuple(dict.fromkeys(domains))


def _site_domain(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    if not host or "." not in host or host in _SHARED_HOSTS or re.fullmatch(r"[\d.]+", host):
        return ""
    for suffix in _SHARED_SUFFIXES:
        if host == suffix:
            return ""
        if host.endswith("." + suffix):
            return host  # `squidfunk.github.io`: the site's own, not github.io's
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_role_address(address: str) -> bool:
    """True for addresses that reach a role or a machine (`support@`, `security-team@`)."""
    local = address.rpartition("@")[0].lower().partition("+")[0]
    words = re.split(r"[._\-]", local)
    return (
        local in ROLE_LOCAL_PARTS or words[0] in ROLE_LOCAL_PARTS or words[-1] in ROLE_LOCAL_PARTS
    )


def is_own_address(address: str, domains: tuple[str, ...]) -> bool:
    """True when the address is at one of the own domains or a subdomain of one."""
    domain = address.rpartition("@")[2].lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in domains)


@dataclass
class PageText:
    """One page's text and the spans found in it once (references, diagram URLs, data URIs)."""

    text: str

    def in_reference(self, start: int, end: int) -> bool:
        """True when text[start:end] lies inside `$(...)`, `${...}`, `{{ ... }}` or the like."""
        low = max(0, start - _WINDOW)
        window = self.text[low : end + _WINDOW]
        return any(
            s + low <= start and end <= e + low
            for s, e in (m.span() for m in _REFERENCE_SPAN_RE.finditer(window))
        )

    @cached_property
    def encrypted_spans(self) -> list[tuple[int, int]]:
        """sops `ENC[...]` values, ansible-vault and age blocks."""
        if (
            "ENC[" not in self.text
            and "$ANSIBLE_VAULT" not in self.text
            and "AGE ENC" not in self.text
        ):
            return []
        spans = [m.span() for m in _ENCRYPTED_RE.finditer(self.text)]
        starts = list(_ENC_START_RE.finditer(self.text))
        if starts:
            ends = [m.start() for m in _ENC_END_RE.finditer(self.text)]
            for match in starts:
                index = bisect.bisect_left(ends, match.end())
                if index < len(ends) and self.text[ends[index]] == "]":
                    spans.append((match.start(), ends[index] + 1))
        return spans

    @cached_property
    def encoded_spans(self) -> list[tuple[int, int]]:
        """Encoded diagram URLs (mermaid.ink, kroki, `pako:`) and `data:image/...` URIs."""
        spans = [m.span() for m in _DATA_URI_RE.finditer(self.text)]
        if any(h in self.text for h in _DIAGRAM_HOSTS) or "pako:" in self.text:
            for match in _URL_RE.finditer(self.text):
                url = match.group(0)
                host = (urlsplit(url).hostname or "") if "://" in url else ""
                if "pako:" in url or any(
                    host == h or host.endswith("." + h) for h in _DIAGRAM_HOSTS
                ):
                    spans.append(match.span())
        return spans

    @cached_property
    def yaml_reference_blocks(self) -> list[tuple[int, int, bool]]:
        """YAML mappings that point to a Secret (`secretKeyRef:` ...) or hold ciphertext
        (a SealedSecret's `encryptedData:`, sops metadata): (start, end, encrypted)."""
        blocks: list[tuple[int, int, bool]] = []
        for match in _YAML_REF_KEY_RE.finditer(self.text):
            indent = len(match.group(1))
            end = self.text.find("\n", match.end())
            end = len(self.text) if end < 0 else end
            # The block runs while the following lines are indented deeper than the key.
            while end < len(self.text):
                nxt = self.text.find("\n", end + 1)
                line = self.text[end + 1 : nxt if nxt >= 0 else len(self.text)]
                stripped = line.lstrip(" \t")
                if not stripped or len(line) - len(stripped) <= indent:
                    break
                end = nxt if nxt >= 0 else len(self.text)
            blocks.append((match.start(), end, match.group("key") in _ENCRYPTED_KEYS))
        return blocks


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def allowed(page: PageText, detection: Detection, policy: DocsPolicy) -> str:
    """Why this detection is not a leak in a published page ("" when it is one)."""
    kind = detection.kind
    if kind == "email":
        return _email_reason(detection.value, policy)
    if kind in STRONG_KINDS:
        return ""
    if _inside(page.encoded_spans, detection.start, detection.end):
        return "encoded diagram or image data"
    value = detection.value
    text = page.text
    cidr = _CIDR_AFTER_RE.match(text, detection.end) if kind in ("ipv4", "ipv6") else None
    if cidr is not None and int(cidr.group(1)) < (32 if kind == "ipv4" else 128):
        return "a network range, not a host"
    if kind not in ("assigned-secret", "high-entropy", "url-credentials", "auth-header"):
        return ""
    before = text[max(0, detection.start - 40) : detection.start]
    if kind == "high-entropy" and (_HASH_PREFIX_RE.match(value) or _HASH_BEFORE_RE.search(before)):
        return "checksum or lockfile hash"
    if _REFERENCE_VALUE_RE.search(
        _word_around(text, detection.start, detection.end)
    ) or _EXPRESSION_RE.fullmatch(value):
        return "reference to a secret store or an expression"
    for start, end, encrypted in page.yaml_reference_blocks:
        if start <= detection.start and detection.end <= end and kind != "url-credentials":
            return "encrypted value" if encrypted else "a reference to a Kubernetes Secret"
    if kind == "assigned-secret":
        if _FILE_VALUE_RE.fullmatch(value):
            return "read from a file"
        name_like = word_fraction(value) >= 0.5 and re.fullmatch(r"[\w\-./:]+", value) is not None
        if name_like and _SECRET_NAME_FLAG_RE.search(_key_before(text, detection.start)):
            return "the name of a secret in a secret manager"
        if name_like and page.in_reference(detection.start, detection.end):
            return "inside a command substitution or template"
    if kind == "high-entropy" and _inside(page.encrypted_spans, detection.start, detection.end):
        # sops ciphertext and ansible-vault blobs are encrypted; a substitution's own
        # arguments may be real, so only encrypted spans count.
        return "encrypted value"
    return ""


def _word_around(text: str, start: int, end: int) -> str:
    """The whitespace- or quote-delimited word holding text[start:end] (an ARN, a vault URL)."""
    low = max(text.rfind(c, max(0, start - 200), start) for c in " \t\n\"'`(<[") + 1
    highs = [i for c in " \t\n\"'`)>]" if (i := text.find(c, end, end + 200)) >= 0]
    return text[low : min(highs) if highs else min(len(text), end + 200)]


def _key_before(text: str, start: int) -> str:
    """The text between the start of the assignment's line and the value."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[max(line_start, start - 80) : start]


def _email_reason(value: str, policy: DocsPolicy) -> str:
    if policy.emails == "off":
        return "email addresses are not checked (lint.secrets.emails: off)"
    if policy.emails == "all":
        return ""
    if is_role_address(value):
        return "a role address"
    if is_own_address(value, policy.own_domains):
        return "an address at the site's own domain"
    return ""


def published_detections(
    text: str, detections: list[Detection], policy: DocsPolicy
) -> list[Detection]:
    """The detections that stay findings in a published page."""
    page = PageText(text)
    return [d for d in detections if not allowed(page, d, policy)]
