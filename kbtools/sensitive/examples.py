"""Recognize values that are obviously placeholders or documentation examples, never secrets."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import itertools
import math
import re
from collections import Counter

# Values that stand for a secret rather than being one: `<token>`, `${VAR}`, `$(cat f)`,
# `{{ .Values.x }}`, `%VAR%`, `***`, `xxxx`, `...`.
_TEMPLATE_RE = re.compile(
    r"""<[^<>]*>|\$\{[^}]*\}?|\$\([^)]*\)?|\{\{.*?\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\*{3,}|\.{3}|…"""
)
# `$VAR`, and Argo CD-style secret references `$slack-token`, `$secret-name:key`.
_VARIABLE_RE = re.compile(r"^\$[A-Za-z_][\w.:\-]*$")
# Password hashes (bcrypt, sha-crypt, argon2) are checksums, not secrets.
_HASH_RE = re.compile(r"^\$(?:2[abxy]?|5|6|argon2(?:id|i|d)?|apr1)\$")
_PLACEHOLDER_WORDS_RE = re.compile(
    r"example|placeholder|redacted|dummy|sample|changeme|change[-_]me|replace[-_ ]?me|"
    r"your[-_ ]?[a-z]|my[-_]?(?:secret|token|pass|key|api)|"
    r"(?:^|[-_])(?:fake|foo|bar|baz)(?:$|[-_])|"
    r"^(?:secret|password|passwd|token|key|apikey|api[-_]key|pass|pwd|none|null|nil|true|false|"
    r"empty|string|str|value|undefined|required|optional|base64|test|testing|admin|"
    r"hello|hello[-_ ]?world|foobar|s3cr3t|letmein|qwerty|p@ssw0rd|pa55word)$|"
    r"^(?:xx+|x+y+z+|abc\w{0,3}|123\w{0,6}|[a-z]+[-_]?(?:secret|token|password|key)s?)$",
    re.IGNORECASE,
)
# Shapes documentation uses for example addresses.
_DOC_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "2001:db8::/32",
        "127.0.0.0/8",
        "::1/128",
        "0.0.0.0/32",
        "::/128",
        "255.255.255.255/32",
        "169.254.169.254/32",  # the cloud metadata endpoint: same everywhere
        # Public DNS resolvers: well known, they identify nobody.
        "8.8.8.8/32",
        "8.8.4.4/32",
        "1.1.1.1/32",
        "1.0.0.1/32",
        "9.9.9.9/32",
    )
)
EXAMPLE_EMAIL_DOMAINS = (
    "example.com",
    "example.org",
    "example.net",
    "example",
    "test",
    "invalid",
    "localhost",
    "company.com",
    "domain.com",
    "email.com",
    "test.com",
    "foo.com",
    "foobar.com",
    "sample.com",
    "yourdomain.com",
    "mydomain.com",
)
# Local parts that name a role or a placeholder, not a person.
EXAMPLE_LOCAL_PARTS = frozenset(
    {
        "test",
        "user",
        "username",
        "someone",
        "somebody",
        "name",
        "email",
        "me",
        "you",
        "foo",
        "bar",
        "john.doe",
        "jane.doe",
        "johndoe",
        "janedoe",
        "firstname.lastname",
        "first.last",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "git",
        "hg",
        "svn",
        "ssh",
    }
)


def is_template(value: str) -> bool:
    """True when the value is (or contains) a template or variable reference."""
    return bool(_TEMPLATE_RE.search(value) or _VARIABLE_RE.match(value))


def is_placeholder_word(value: str) -> bool:
    """True for words that name a secret instead of being one (`password`, `your-token`)."""
    return bool(_PLACEHOLDER_WORDS_RE.search(value))


def is_low_variety(body: str) -> bool:
    """True for bodies that are filler (`xxxx`, `0000`, `1234abcd...` sequences)."""
    if len(body) < 4:
        return True
    counts = Counter(body.lower())
    if len(counts) <= 4 or counts.most_common(1)[0][1] >= 0.5 * len(body):
        return True
    if re.search(r"(.)\1{11,}", body):
        return True  # random tokens never hold a run of 12 equal characters
    steps = sum(1 for a, b in itertools.pairwise(body) if ord(b) - ord(a) == 1)
    return steps >= 0.4 * (len(body) - 1)


def is_example_token(value: str, body: str | None = None) -> bool:
    """True when a token-shaped value is clearly an example (`AKIAIOSFODNN7EXAMPLE`, `ghp_xxx`)."""
    if "EXAMPLE" in value.upper() or is_template(value):
        return True
    return is_low_variety(body if body is not None else value)


def is_placeholder_secret(value: str) -> bool:
    """True when a value assigned to a secret-like name is a placeholder, not a secret.

    Base64-encoded placeholders count too (`c3Ryb25nLXBhc3N3b3Jk` is `strong-password`).
    """
    stripped = value.strip().strip("\"'`")
    if len(stripped) < 6 or is_template(stripped) or _HASH_RE.match(stripped):
        return True
    if is_placeholder_word(stripped) or is_low_variety(stripped):
        return True
    decoded = decoded_text(stripped)
    return decoded is not None and (is_placeholder_word(decoded) or is_template(decoded))


def decoded_text(value: str) -> str | None:
    """The text a base64 value encodes, when it decodes to printable ASCII; else None."""
    if len(value) < 8 or not re.fullmatch(r"[A-Za-z0-9+/_\-]+={0,2}", value):
        return None
    core = value.rstrip("=")
    padded = core + "=" * (-len(core) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None
    if not raw:
        return None
    printable = sum(1 for b in raw if 32 <= b < 127 or b in (9, 10, 13))
    return raw.decode("ascii", "replace") if printable >= 0.9 * len(raw) else None


def word_fraction(value: str) -> float:
    """Share of characters in runs of 4+ same-case letters (`ARGOCD_SERVER/api/v1/apps`)."""
    runs = re.findall(r"[a-z]{4,}|[A-Z]{4,}|[A-Z][a-z]{3,}", value)
    return sum(len(r) for r in runs) / len(value) if value else 0.0


def is_example_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for documentation ranges, loopback and other addresses that identify nobody."""
    if address.is_unspecified or address.is_loopback or address.is_multicast:
        return True
    if isinstance(address, ipaddress.IPv4Address) and str(address).startswith("255."):
        return True  # netmasks
    return any(address in net for net in _DOC_NETWORKS if net.version == address.version)


def is_private_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for addresses only meaningful inside one network (RFC 1918, CGNAT, ULA, link-local)."""
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return True
    return address.is_private or address.is_link_local


_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def shannon_entropy(value: str) -> float:
    """Bits of entropy per character of `value`."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())
