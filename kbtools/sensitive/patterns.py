"""The detector table: one regular expression per shape of secret or personal data.

Like Drain3's masking instructions, detectors are data: a kind, a pattern whose named group
`v` (or the whole match) is the value to remove, a priority for overlaps and an optional
validator that rejects examples.

Speed (5 MB in a few seconds): patterns start with a literal or a character class, never a
look-behind (which would defeat the regex engine's prefix scan); the character that must not
precede a match is checked in code (`left`). Shapes without a literal start are searched only
in short windows around a cheap `anchor` (`@` for emails, the secret word for assignments).
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
    """One shape: `pattern` finds candidates, `valid` (if any) keeps the real ones.

    `left`/`right`: characters that must not come right before/after a match. `anchor`: when set, the
    pattern only runs on the line around each anchor hit (from `back` characters before it
    to `ahead` after it); `lowered` searches the anchor in the lower-cased text.
    """

    kind: str
    pattern: re.Pattern[str]
    priority: int
    valid: Validator | None = None
    left: str = ""
    right: str = ""
    anchor: re.Pattern[str] | None = None
    back: int = 0
    ahead: int = 512
    lowered: bool = False
    strip: str = ""
    """Characters removed from the end of the value (sentence punctuation after it)."""


def _token(value: str, match: re.Match[str]) -> bool:
    body = match.group("b") if "b" in match.re.groupindex and match.group("b") else value
    return not examples.is_example_token(value, body)


def _assigned(value: str, match: re.Match[str]) -> bool:
    if examples.is_placeholder_secret(value):
        return False
    if value.isalpha() and value.islower():
        # "the secret: templates (...)": a plain word followed by more words is prose.
        line_end = match.string.find("\n", match.end())
        rest = match.string[match.end() : line_end if line_end >= 0 else len(match.string)]
        if len(re.findall(r"[A-Za-z]{2,}", rest)) >= 2:
            return False
    # A Kubernetes object name under a key naming a Secret object is a reference, not a
    # secret: `existingSecret: pgsql-auth`, `tlsSecret: web-tls`, `token: argocd-token`.
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", value):
        return True
    # `existingSecret:`: a camelCase key ending in "Secret" names a Secret object.
    start = match.start()
    names_object = (
        start > 0
        and (match.string[start - 1].islower() or match.string[start - 1].isdigit())
        and re.match(r"Secrets?\\?[\"']?[ \t]*[:=]", match.string[start : start + 12]) is not None
    )
    return not (names_object or re.search(_REFERENCE_SUFFIX, value))


_REFERENCE_SUFFIX = r"-(?:secret|token|key|password|creds?|credentials|auth|tls)s?$"


def _url_credentials(value: str, match: re.Match[str]) -> bool:
    return not examples.is_placeholder_secret(match.group("pw"))


def _jwt(value: str, match: re.Match[str]) -> bool:
    if len(value.rpartition(".")[2]) < 16:
        return False  # no signature: truncated (`eyJ...eyJ...`) or unsigned, not a credential
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
    if len(bare) > 39:
        return False
    if bare.count(":") < 2 or not re.search(r"[0-9]", bare):
        return False
    try:
        address = ipaddress.IPv6Address(bare)
    except ValueError:
        return False
    return not examples.is_example_ip(address)


_EMAIL_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)


def _email_shape(value: str, match: re.Match[str]) -> bool:
    return _EMAIL_DOMAIN_RE.fullmatch(value.rpartition("@")[2]) is not None


def _phone(value: str, match: re.Match[str]) -> bool:
    bare = value.strip().lstrip("+")
    if re.fullmatch(r"\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4}", bare):
        return False  # a date
    digits = re.sub(r"\D", "", value)
    if not 7 <= len(digits) <= 15 or len(set(digits)) <= 2:
        return False  # too short or long, or filler (000-000-0000)
    # Grouped digits after a phone word or a country code (+33 1 23 45 67 89): the shape
    # is deliberate, even when the digits happen to count up. "Phone: 1234567" is filler.
    labelled = "v" in match.re.groupindex
    grouped = re.search(r"\d[ .\-()]+\d", value) is not None
    if grouped and (labelled or value.startswith("+")):
        return True
    # Otherwise a run of identical or counting digits is filler, not a number.
    steps = sum(1 for a, b in itertools.pairwise(digits) if int(b) - int(a) in (0, 1))
    return steps < 0.8 * (len(digits) - 1)


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
    decoded = examples.decoded_text(value)
    if decoded is not None:
        # Base64 of text (ids, names) is no secret, unless the text holds one (a Kubernetes
        # Secret's `DB_URL: cG9zdGdyZXM6Ly91...` with credentials inside).
        from kbtools.sensitive.detect import find  # here: detect imports this module

        return any(d.category == "secret" for d in find(decoded))
    if not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)):
        return False
    if value.startswith(("AAAA", "LS0t", "MII")):
        return False  # ssh public keys, base64 PEM certificates, DER certificates
    if examples.is_example_token(value):
        return False
    return examples.shannon_entropy(value) >= 4.2


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_E = r"(?![A-Za-z0-9_\-])"  # token end boundary
_SECRET_WORDS = (
    r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|"
    r"private[_\-]?key|secret[_\-]?key|client[_\-]?secret|credentials?|auth[_\-]?key)"
)


def _tok(kind: str, pattern: str, priority: int = 90, valid: Validator = _secret_token) -> Detector:
    return Detector(kind, _c(pattern + _E), priority, valid, left=_TOKEN)


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
    _tok("github-token", r"gh[pousr]_(?P<b>[A-Za-z0-9]{36,255})"),
    _tok("github-token", r"github_pat_(?P<b>[A-Za-z0-9_]{40,255})"),
    _tok("gitlab-token", r"gl(?:pat|dt|rt|ptt)-(?P<b>[A-Za-z0-9_\-]{20,})"),
    _tok("slack-token", r"xox[abposre]-(?P<b>[A-Za-z0-9\-]{10,})"),
    Detector(
        "slack-webhook",
        _c(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<b>[A-Za-z0-9_/\-]{20,})"
        ),
        92,
        _token,
    ),
    _tok("stripe-key", r"[sr]k_(?:live|test)_(?P<b>[A-Za-z0-9]{16,})"),
    _tok("stripe-key", r"whsec_(?P<b>[A-Za-z0-9]{24,})"),
    _tok("google-api-key", r"AIza(?P<b>[0-9A-Za-z_\-]{35})"),
    Detector(
        "aws-access-key",
        _c(r"A(?:KIA|SIA|BIA|CCA|ROA|IDA)(?P<b>[A-Z0-9]{16})(?![A-Za-z0-9])"),
        90,
        _token,
        left=_TOKEN,
    ),
    Detector(
        "aws-secret-key",
        _c(
            r"(?i:aws_?secret_?(?:access_?)?key|secret_?access_?key)[\"']?[ \t]*(?:=|:|=>)[ \t]*"
            r"[\"']?(?P<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        88,
        _token,
        anchor=_c(r"secret"),
        back=12,
        lowered=True,
    ),
    _tok("sourcegraph-token", r"sg(?:p|ph|s|d)_(?:[a-f0-9]{16}_)?(?P<b>[a-f0-9]{40})"),
    _tok("npm-token", r"npm_(?P<b>[A-Za-z0-9]{36})"),
    _tok("pypi-token", r"pypi-AgE(?P<b>[A-Za-z0-9_\-]{50,})"),
    _tok("docker-token", r"dckr_pat_(?P<b>[A-Za-z0-9_\-]{27,})"),
    _tok("sendgrid-key", r"SG\.(?P<b>[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})"),
    _tok("openai-key", r"sk-(?:proj-|ant-(?:api\d\d-)?)?(?P<b>[A-Za-z0-9_\-]{32,})", 89),
    Detector(
        "jwt",
        _c(
            r"(?P<h>eyJ[A-Za-z0-9_\-]{8,})\.(?P<b>eyJ[A-Za-z0-9_\-]{8,})"
            r"\.[A-Za-z0-9_\-]*(?![A-Za-z0-9_\-])"
        ),
        91,
        _jwt,
        left=_TOKEN + ".",
    ),
    Detector(
        "url-credentials",
        _c(
            r"[A-Za-z][A-Za-z0-9+.\-]{1,20}://"
            r"(?P<v>[^\s/:@\"'<>`]{1,100}:(?P<pw>[^\s/@\"'<>`]{1,200}))@(?=[A-Za-z0-9\[])"
        ),
        85,
        _url_credentials,
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-",
        anchor=_c(r"://"),
        back=22,
    ),
    Detector(
        "auth-header",
        _c(
            r"(?i:authorization|proxy-authorization)[\"']?[ \t]*[:=][ \t]*[\"']?"
            r"(?i:bearer|basic|token|bot)[ \t]+(?P<v>[A-Za-z0-9_\-.~+/]{12,}=*)"
        ),
        80,
        _secret_token,
        anchor=_c(r"authorization"),
        back=6,
        lowered=True,
    ),
    Detector(
        "assigned-secret",
        _c(
            r"(?i:" + _SECRET_WORDS + r")\\?[\"']?[ \t]*(?:=|:=|:|=>)[ \t]*"
            r"(?P<q>\\?[\"']|)(?P<v>[^\s\"'`,;{}()\[\]<>\\=]{1,400}+={0,2})"
            r"(?P=q)(?=[\s\"'`,;})\]\\]|$)"
        ),
        70,
        _assigned,
        strip=".,:;!?",
        anchor=_c(r"pass|pwd|secret|token|api|access|private|client|credential|auth"),
        lowered=True,
    ),
    Detector(
        "assigned-secret",
        # A credential in a URL's query string: `?access_token=...&`, `&signature=...`,
        # `?sig=...` (Azure SAS): the assignment detector above stops at `&`.
        _c(
            r"[?&](?i:[A-Za-z0-9_\-]{0,30}(?:token|secret|password|passwd|api[_\-]?key|apikey|"
            r"signature|sig|auth|credentials?))=(?P<v>[A-Za-z0-9_\-.~+/%]{1,400}+)"
            r"(?=[&#\s\"'`<>)\]]|$)"
        ),
        72,
        _assigned,
        strip=".",
    ),
    Detector(
        "high-entropy",
        _c(r"[A-Za-z0-9+/_\-]{32,}={0,2}"),
        30,
        _high_entropy,
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.",
        right="=.",
    ),
    Detector(
        "email",
        _c(r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}+@[A-Za-z0-9.\-]{4,255}+"),
        60,
        _email_shape,  # examples are judged in detect (they need the context's domains)
        strip=".-",
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-",
        anchor=_c(r"@"),
        back=65,
    ),
    Detector(
        "phone",
        _c(
            r"(?:"
            r"\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}"  # +44 20 7946 0958, +1 (415) 555-0100
            r"|\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}"  # (415) 555-0100
            r"|\d{3}[.\-]\d{3}[.\-]\d{4}"  # 415-555-0100
            r")(?![\w.\-/]*\w)"
        ),
        40,
        _phone,
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+.-/:#",
    ),
    Detector(
        "phone",
        # A number after a phone word, in any local shape: "cell 555-0173", "Tel: 020 7946
        # 0958", "Telefon: 030 1234567", "call Hans on 030 1234567". The word must start a
        # word: not "Intel 8086 ...".
        _c(
            r"(?i:telephone|t[eé]l[eé]phone|telefon|phone|cell|mobile|mob|t[eé]l|fax|whatsapp|sms|"
            r"(?:call|reach)(?:[ \t]+[A-Za-z][\w'.\-]{0,20}){0,3}?(?=[ \t]+(?:at|on)[ \t]))"
            r"\.?(?:[ \t]*(?:no\.?|nr\.?|number|#))?[ \t]*(?:at|on|is)?"
            r"[ \t:=]*(?P<v>\+?\(?\d[\d ().\-]{5,18}\d)(?![\w.\-/]*\w)"
        ),
        38,
        _phone,
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        anchor=_c(r"phone|cell|mob|t[eé]l|fax|whatsapp|sms|call|reach"),
        lowered=True,
    ),
    Detector(
        "ipv4",
        _c(r"[0-9]{1,3}+\.[0-9]{1,3}+\.[0-9]{1,3}+\.[0-9]{1,3}+(?![\w\-]|\.\d)"),
        55,
        _ipv4,
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-",
    ),
    Detector(
        "ipv6",
        _c(r"[0-9A-Fa-f:]{3,}+(?:%[A-Za-z0-9]++)?(?![\w:])"),
        55,
        _ipv6,
        left="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:.-",
        anchor=_c(r"[0-9A-Fa-f]?::?[0-9A-Fa-f]{0,4}:"),
        back=40,
        ahead=48,
    ),
)

# Host names are found by their suffix and judged in detect (suffixes depend on context).
HOST_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")
HOST_SHAPE_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
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
