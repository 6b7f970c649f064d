"""The detector table: one regular expression per shape of secret or personal data.

Like Drain3's masking instructions, detectors are data: a kind, a pattern whose named group
`v` (or the whole match) is the value to remove, a priority for overlaps and an optional
validator that rejects examples. Every pattern starts behind a negative look-behind, so a
long run of token characters is tried once, not at every offset (no quadratic scans).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from kbtools.sensitive import examples

Validator = Callable[[str, "re.Match[str]"], bool]


@dataclass(frozen=True)
class Detector:
    """One shape: `pattern` finds candidates, `valid` (if any) keeps the real ones."""

    kind: str
    pattern: re.Pattern[str]
    priority: int
    valid: Validator | None = None


def _token(value: str, match: re.Match[str]) -> bool:
    body = match.group("b") if "b" in match.re.groupindex and match.group("b") else value
    return not examples.is_example_token(value, body)


def _assigned(value: str, match: re.Match[str]) -> bool:
    if examples.is_placeholder_secret(value):
        return False
    # A Kubernetes object name under a key naming a Secret object is a reference, not a
    # secret: `existingSecret: pgsql-auth`, `tlsSecret: web-tls`, `token: argocd-token`.
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", value):
        return True
    names_object = re.search(r"[a-z0-9]Secrets?$", match.group("k"))
    return not (names_object or re.search(_REFERENCE_SUFFIX, value))


_REFERENCE_SUFFIX = r"-(?:secret|token|key|password|creds?|credentials|auth|tls)s?$"


def _url_credentials(value: str, match: re.Match[str]) -> bool:
    return not examples.is_placeholder_secret(match.group("pw"))


def _jwt(value: str, match: re.Match[str]) -> bool:
    header = match.group("h")
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
    except (binascii.Error, ValueError):
        return False
    return b'"alg"' in decoded or b'"typ"' in decoded


def _private_key(value: str, match: re.Match[str]) -> bool:
    body = re.sub(r"-----[^-\n]*-----|[^A-Za-z0-9+/]", "", value)
    body = re.sub(r"^(?:Proc-Type|DEK-Info)\S*", "", body)
    return len(body) >= 64 and not examples.is_low_variety(body[:200])


def _ipv4(value: str, match: re.Match[str]) -> bool:
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        return False
    octets = [int(part) for part in value.split(".")]
    if len({b - a for a, b in itertools.pairwise(octets)}) == 1:
        return False  # 1.2.3.4, 2.4.6.8, 4.3.2.1, 5.5.5.5: placeholders
    return not examples.is_example_ip(address)


def _ipv6(value: str, match: re.Match[str]) -> bool:
    bare = value.split("%", 1)[0]
    if bare.count(":") < 2 or not re.search(r"[0-9]", bare):
        return False
    try:
        address = ipaddress.IPv6Address(bare)
    except ValueError:
        return False
    return not examples.is_example_ip(address)


def _phone(value: str, match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", value)
    if not 7 <= len(digits) <= 15:
        return False
    # A run of identical or counting digits is filler, not a number.
    return not examples.is_low_variety(digits)


def _secret_token(value: str, match: re.Match[str]) -> bool:
    return _token(value, match) and not examples.is_placeholder_secret(value)


def _high_entropy(value: str, match: re.Match[str]) -> bool:
    if len(set(value)) < 12 or re.fullmatch(r"[0-9a-fA-F=-]+", value):
        return False  # hex: git SHAs, sha256 checksums, UUIDs
    before = match.string[max(0, match.start() - 8) : match.start()]
    if before.endswith(("$", "${", "%")) or re.search(r"(?i)(?:sha\d+|md5)[:\-]$", before):
        return False  # variables; base64 digests and fingerprints (`SHA256:46OS...`)
    if examples.word_fraction(value) >= 0.5:
        return False  # paths and identifiers made of words
    if examples.decoded_text(value) is not None:
        return False  # base64 of text (ids, names); keyed secrets are found as assignments
    if not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)):
        return False
    if value.startswith(("AAAA", "LS0t", "MII")):
        return False  # ssh public keys, base64 PEM certificates, DER certificates
    if examples.is_example_token(value):
        return False
    return examples.shannon_entropy(value) >= 4.2


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_B = r"(?<![A-Za-z0-9_\-])"  # token start boundary
_E = r"(?![A-Za-z0-9_\-])"  # token end boundary
_SECRET_NAME = (
    r"[A-Za-z0-9_.\-]{0,60}?(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-]?key|apikey|"
    r"access[_\-]?key|private[_\-]?key|secret[_\-]?key|client[_\-]?secret|credentials?|auth[_\-]?key)"
)

DETECTORS: tuple[Detector, ...] = (
    Detector(
        "private-key",
        _c(
            r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----"
            r"(?:[\s\S]{0,20000}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----"
            r"|(?:\n[ \t>]*[A-Za-z0-9+/=:\-, ]{16,})+)"
        ),
        100,
        _private_key,
    ),
    Detector(
        "github-token",
        _c(
            _B
            + r"(?:gh[pousr]_(?P<b>[A-Za-z0-9]{36,255})|github_pat_(?P<b2>[A-Za-z0-9_]{40,255}))"
            + _E
        ),
        90,
        _token,
    ),
    Detector(
        "gitlab-token", _c(_B + r"gl(?:pat|dt|rt|ptt)-(?P<b>[A-Za-z0-9_\-]{20,})" + _E), 90, _token
    ),
    Detector("slack-token", _c(_B + r"xox[abposre]-(?P<b>[A-Za-z0-9\-]{10,})" + _E), 90, _token),
    Detector(
        "slack-webhook",
        _c(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<b>[A-Za-z0-9_/\-]{20,})"
        ),
        92,
        _token,
    ),
    Detector(
        "stripe-key",
        _c(_B + r"(?:(?:sk|rk)_(?:live|test)_|whsec_)(?P<b>[A-Za-z0-9]{16,})" + _E),
        90,
        _token,
    ),
    Detector("google-api-key", _c(_B + r"AIza(?P<b>[0-9A-Za-z_\-]{35})" + _E), 90, _token),
    Detector(
        "aws-access-key",
        _c(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)(?P<b>[A-Z0-9]{16})(?![A-Za-z0-9])"),
        90,
        _token,
    ),
    Detector(
        "aws-secret-key",
        _c(
            r"(?i:aws_?secret_?(?:access_?)?key|secret_?access_?key)[\"']?[ \t]*(?:=|:|=>)[ \t]*"
            r"[\"']?(?P<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        88,
        _token,
    ),
    Detector(
        "sourcegraph-token",
        _c(_B + r"sg(?:p|ph|s|d)_(?:[a-f0-9]{16}_)?(?P<b>[a-f0-9]{40})" + _E),
        90,
        _token,
    ),
    Detector("npm-token", _c(_B + r"npm_(?P<b>[A-Za-z0-9]{36})" + _E), 90, _token),
    Detector("pypi-token", _c(_B + r"pypi-AgE(?P<b>[A-Za-z0-9_\-]{50,})" + _E), 90, _token),
    Detector("docker-token", _c(_B + r"dckr_pat_(?P<b>[A-Za-z0-9_\-]{27,})" + _E), 90, _token),
    Detector(
        "sendgrid-key",
        _c(_B + r"SG\.(?P<b>[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})" + _E),
        90,
        _token,
    ),
    Detector(
        "openai-key",
        _c(_B + r"sk-(?:proj-|ant-(?:api\d\d-)?)?(?P<b>[A-Za-z0-9_\-]{32,})" + _E),
        89,
        _token,
    ),
    Detector(
        "jwt",
        _c(
            r"(?<![A-Za-z0-9_\-.])(?P<h>eyJ[A-Za-z0-9_\-]{8,})\.(?P<b>eyJ[A-Za-z0-9_\-]{8,})"
            r"\.[A-Za-z0-9_\-]*(?![A-Za-z0-9_\-])"
        ),
        91,
        _jwt,
    ),
    Detector(
        "url-credentials",
        _c(
            r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,20}://"
            r"(?P<v>[^\s/:@\"'<>`]{1,100}:(?P<pw>[^\s/@\"'<>`]{1,200}))@(?=[A-Za-z0-9\[])"
        ),
        85,
        _url_credentials,
    ),
    Detector(
        "auth-header",
        _c(
            r"(?i:authorization|proxy-authorization)[\"']?[ \t]*[:=][ \t]*[\"']?"
            r"(?i:bearer|basic|token|bot)[ \t]+(?P<v>[A-Za-z0-9_\-.~+/]{12,}=*)"
        ),
        80,
        _secret_token,
    ),
    Detector(
        "assigned-secret",
        _c(
            r"(?<![A-Za-z0-9_.\-])(?P<k>" + _SECRET_NAME + r")\\?[\"']?[ \t]*(?:=|:=|:|=>)[ \t]*"
            r"(?P<q>\\?[\"']|)(?P<v>[^\s\"'`,;{}()\[\]<>\\]{0,399}[^\s\"'`,;{}()\[\]<>\\.:!?])"
            r"(?P=q)(?=[.,;:!?]?(?:[\s\"'`,;})\]\\]|$))",
            re.IGNORECASE,
        ),
        70,
        _assigned,
    ),
    Detector(
        "high-entropy",
        _c(r"(?<![A-Za-z0-9+/=_\-.])(?P<v>[A-Za-z0-9+/_\-]{32,}={0,2})(?![A-Za-z0-9+/=_\-.])"),
        30,
        _high_entropy,
    ),
    Detector(
        "email",
        _c(
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}"
            r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
        ),
        60,
        None,  # examples handled in detect (needs the domain rules)
    ),
    Detector(
        "phone",
        _c(
            r"(?<![\w+.\-/:#])(?:"
            r"\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}"  # +44 20 7946 0958, +1 (415) 555-0100
            r"|\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}"  # (415) 555-0100
            r"|\d{3}[.\-]\d{3}[.\-]\d{4}"  # 415-555-0100
            r")(?![\w.\-/]*\w)"
        ),
        40,
        _phone,
    ),
    Detector(
        "ipv4",
        _c(
            r"(?<![\w.\-])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
            r"(?![\w\-]|\.\d)"
        ),
        55,
        _ipv4,
    ),
    Detector(
        "ipv6",
        _c(
            r"(?<![\w:.\-])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:)[0-9A-Fa-f:]{3,39}(?:%[A-Za-z0-9]+)?(?![\w:])"
        ),
        55,
        _ipv6,
    ),
)

# Host names are found by shape and judged in detect (the internal suffixes depend on context).
HOSTNAME_RE = re.compile(
    r"(?<![\w.\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?![\w\-]|\.[A-Za-z0-9])"
)
INTERNAL_SUFFIXES = (
    "internal",
    "corp",
    "local",
    "lan",
    "intranet",
    "intra",
    "localdomain",
    "home.arpa",
    "private",
    "priv",
)
# Names that are the same in every install (in-cluster DNS, Docker's and minikube's host
# aliases, kops gossip clusters, ingress-nginx's default certificate): they identify nobody.
PUBLIC_INTERNAL_SUFFIXES = (
    "cluster.local",
    "k8s.local",
    "docker.internal",
    "minikube.internal",
)
PUBLIC_INTERNAL_HOSTS = ("kubernetes.local", "ingress.local", "host.docker.internal")
