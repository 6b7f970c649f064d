"""find(): run the detector table and the context patterns over a text, resolve overlaps."""

from __future__ import annotations

import bisect
import ipaddress
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kbtools.sensitive import examples
from kbtools.sensitive.context import CompiledContext, compile_context
from kbtools.sensitive.model import KINDS, Detection, RedactionContext
from kbtools.sensitive.patterns import (
    DETECTORS,
    HOST_CHARS,
    HOST_SHAPE_RE,
    INTERNAL_SUFFIXES,
    PUBLIC_INTERNAL_HOSTS,
    PUBLIC_INTERNAL_SUFFIXES,
    Detector,
)

_PUBLIC_BLOCK_RE = re.compile(
    r"-----BEGIN (?:(?!PRIVATE)[A-Z0-9]+ ){0,4}(?:CERTIFICATE|PUBLIC KEY|PUBLIC KEY BLOCK|"
    r"SIGNATURE|X509 CRL|CERTIFICATE REQUEST)-----[\s\S]{0,40000}?-----END [A-Z0-9 ]+-----"
)
_HOST_PRIORITY = 58
_NAME_PRIORITY = 50
_EXAMPLE_LABELS = {"example", "examples", "my-company", "mycompany", "yourcompany", "your-company"}
RECALL_SUFFIXES = (
    "example",
    "test",
    "invalid",
    "rds.amazonaws.com",
    "cache.amazonaws.com",
    "elb.amazonaws.com",
    "database.windows.net",
    "azurewebsites.net",
    "cloudapp.azure.com",
)
"""Reserved top-level domains (in a customer's write-up they stand for a real host) and
cloud endpoints that name one customer's database or load balancer."""
_STRUCTURAL = frozenset({"high-entropy", "jwt", "private-key", "assigned-secret"})
"""Secret kinds whose validator checks structure, not example-ness: recall keeps it."""
_SSH_USERS = frozenset({"git", "hg", "svn", "ssh"})
_KEEP_IPS = tuple(
    ipaddress.ip_network(n)
    for n in ("169.254.169.254/32", "8.8.8.8/32", "8.8.4.4/32", "1.1.1.1/32", "1.0.0.1/32")
)


@dataclass(frozen=True, order=True)
class _Candidate:
    rank: tuple[int, int, int]  # (-priority, -length, start): best first
    kind: str
    start: int
    end: int
    key: str


def find(
    text: str,
    context: RedactionContext | None = None,
    *,
    private_addresses: bool = True,
    recall: bool = False,
) -> list[Detection]:
    """Every secret and piece of personal data in `text`, in text order, never overlapping.

    `private_addresses=False` skips IP addresses that only mean something inside one network
    (10.0.0.0/8, 192.168.0.0/16, fd00::/8...): the lint check on published docs uses it,
    where such addresses are examples; redaction of tickets keeps them (a customer's own).

    `recall=True` is for redacting a write-up (`kb new`): the "obvious example" exemptions
    that keep `kb lint` quiet on docs (`AKIAIOSFODNN7EXAMPLE`, `jane@example.com`, hosts
    under `.example`, `10.20.30.40`) do not apply; only templates (`<token>`, `${VAR}`) and
    addresses that identify nobody (documentation ranges, loopback, public resolvers) stay.
    """
    compiled = compile_context(context, extra_suffixes=RECALL_SUFFIXES if recall else ())
    candidates: list[_Candidate] = []
    lowered = text.lower() if len(text) == len(text.lower()) else _ascii_lower(text)
    for detector in DETECTORS:
        for match in _matches(detector, text, lowered):
            if detector.left and match.start() > 0 and text[match.start() - 1] in detector.left:
                continue
            if detector.right and match.end() < len(text) and text[match.end()] in detector.right:
                continue
            group = "v" if "v" in detector.pattern.groupindex else 0
            start, end = match.span(group)
            if detector.strip:
                if text.endswith(("...", "…"), start, end):
                    continue  # a truncated value (`eyJhbGci...`) is an example
                while end > start and text[end - 1] in detector.strip:
                    end -= 1
            value = text[start:end]
            if not value:
                continue
            if (
                detector.valid is not None
                and not detector.valid(value, match)
                and not (recall and _valid_for_recall(detector.kind, value, match))
            ):
                continue
            if detector.kind == "email" and (
                not (_is_personal_email(value, compiled) or (recall and _recall_email(value)))
                or _in_url(text, match.start())
            ):
                continue
            if not private_addresses and detector.kind in ("ipv4", "ipv6") and _is_private(value):
                continue
            candidates.append(_candidate(detector.kind, detector.priority, start, end, ""))
    public_blocks = [m.span() for m in _PUBLIC_BLOCK_RE.finditer(text)]
    if public_blocks:
        # Certificates and public keys are published on purpose: nothing inside is a secret.
        candidates = [
            c
            for c in candidates
            if c.kind != "high-entropy" or not any(s <= c.start < e for s, e in public_blocks)
        ]
    candidates.extend(_hosts(text, compiled))
    candidates.extend(_names(text, compiled))
    if recall:
        candidates.extend(_secrets_in_prose(text))
    return _resolve(text, candidates)


_PROSE_SECRET_RE = re.compile(
    r"(?i:\b(?:password|passwd|passphrase|pwd|secret|api[ _-]?key|access token|token)\b)"
    r"[^:\n]{0,60}?(?::[ \t]+|[ \t]+(?i:is|was|=)[ \t]+)[\"'`]?(?P<v>[^\s\"'`]{6,128})"
)
"""A secret told in a sentence: "Password for the db user, in case you need it: Tr0ub4dor&3"."""


def _secrets_in_prose(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for match in _PROSE_SECRET_RE.finditer(text):
        value = match.group("v").rstrip(".,;:!?)")
        classes = sum(
            bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")
        )
        if len(value) < 6 or classes < 3 or examples.is_template(value) or "/" in value:
            continue  # words, paths and `<token>` templates are no secret
        start = match.start("v")
        out.append(_candidate("assigned-secret", 69, start, start + len(value), ""))
    return out


def _valid_for_recall(kind: str, value: str, match: re.Match[str]) -> bool:
    """What recall keeps that the lint-side validator rejects as an obvious example."""
    if kind in ("ipv4", "ipv6"):
        try:
            address = ipaddress.ip_address(value.split("%", 1)[0])
        except ValueError:
            return False
        if address.is_loopback or address.is_unspecified or address.is_multicast:
            return False
        if any(address in net for net in _KEEP_IPS if net.version == address.version):
            return False
        if isinstance(address, ipaddress.IPv4Address):
            octets = [int(part) for part in value.split(".")]
            steps = {b - a for a, b in itertools.pairwise(octets)}
            if octets[0] == 255 or steps <= {1} or steps <= {-1} or steps == {0}:
                return False  # netmasks, 1.2.3.4, 4.3.2.1, 5.5.5.5 (10.20.30.40 is real enough)
        # Documentation ranges (192.0.2.0/24, 2001:db8::/32) are never anyone's address; the
        # lint side's "looks like filler" rule (10.20.30.40) is too generous for a write-up.
        return not examples.is_example_ip(address)
    if kind == "high-entropy":
        # AWS's documented secret key: the validator rejects it only for saying EXAMPLE.
        return (
            "EXAMPLE" in value.upper()
            and re.search(r"[a-z]", value) is not None
            and re.search(r"\d", value) is not None
            and examples.shannon_entropy(value) >= 4.0
        )
    if KINDS[kind].category != "secret" or kind in _STRUCTURAL:
        if kind == "assigned-secret":
            stripped = value.strip("\"'`")
            return (
                len(stripped) >= 6
                and not examples.is_template(stripped)
                and not (stripped.isalpha() and stripped.islower())
                and not stripped.startswith("$")
            )
        return False
    return not examples.is_template(value) and not examples.is_template(match.group(0))


def _recall_email(value: str) -> bool:
    local = value.rpartition("@")[0].lower()
    return local not in _SSH_USERS and not examples.is_template(value)


def _ascii_lower(text: str) -> str:
    # str.lower() may change lengths (e.g. "İ"); anchors need offsets that match `text`.
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _matches(detector: Detector, text: str, lowered: str) -> Iterator[re.Match[str]]:
    """The detector's matches: over the whole text, or in windows around its anchor's hits."""
    if detector.anchor is None:
        yield from detector.pattern.finditer(text)
        return
    source = lowered if detector.lowered else text
    windows: list[list[int]] = []
    for hit in detector.anchor.finditer(source):
        start, end = hit.span()
        line_start = text.rfind("\n", max(0, start - detector.back), start) + 1
        low = max(line_start, start - detector.back)
        line_end = text.find("\n", end, end + detector.ahead)
        high = line_end if line_end >= 0 else min(len(text), end + detector.ahead)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    for low, high in windows:
        yield from detector.pattern.finditer(text, low, high)


def _is_private(value: str) -> bool:
    try:
        return examples.is_private_ip(ipaddress.ip_address(value.split("%", 1)[0]))
    except ValueError:
        return False


def _candidate(kind: str, priority: int, start: int, end: int, key: str) -> _Candidate:
    return _Candidate((-priority, start - end, start), kind, start, end, key)


def _is_personal_email(value: str, compiled: CompiledContext) -> bool:
    local, _, domain = value.rpartition("@")
    domain = domain.lower()
    if any(d == domain or domain.endswith("." + d) for d in compiled.host_suffixes):
        return True  # the customer's or our own domain: always real
    if local.lower() in examples.EXAMPLE_LOCAL_PARTS or "example" in local.lower():
        return False
    if any(d == domain or domain.endswith("." + d) for d in examples.EXAMPLE_EMAIL_DOMAINS):
        return False
    if _is_generic_host(domain):
        return False
    return not any(_is_example_label(label) for label in domain.split("."))


def _in_url(text: str, start: int) -> bool:
    """True when offset `start` is inside a URL (`https://user@host`, `/list@host/msg`)."""
    token_start = max(text.rfind(c, 0, start) for c in " \t\n(<\"'`[") + 1
    prefix = text[token_start:start]
    return "://" in prefix or prefix.endswith("/")


def _is_example_label(label: str) -> bool:
    return label in _EXAMPLE_LABELS or label.startswith(("my-", "your-"))


def _is_generic_host(host: str) -> bool:
    return host in PUBLIC_INTERNAL_HOSTS or any(
        host == s or host.endswith("." + s) for s in PUBLIC_INTERNAL_SUFFIXES
    )


def is_internal_host(host: str, compiled: CompiledContext) -> bool:
    """True when a host name is internal: a private suffix, a configured or customer domain."""
    host = host.lower().rstrip(".")
    # Configured and customer domains first: a source may use `.example` names for real ones.
    if any(host == s or host.endswith("." + s) for s in compiled.host_suffixes):
        return True
    if any(_is_example_label(label) for label in host.split(".")) or _is_generic_host(host):
        return False
    return any(host.endswith("." + s) for s in INTERNAL_SUFFIXES)


def _hosts(text: str, compiled: CompiledContext) -> list[_Candidate]:
    out: list[_Candidate] = []
    for match in compiled.host_suffix_re.finditer(text):
        end = match.end()
        start = match.start()
        # Walk left over host characters to the start of the name (bounded: DNS names are short).
        floor = max(0, start - 253)
        while start > floor and text[start - 1] in HOST_CHARS:
            start -= 1
        while start < end and text[start] in ".-":
            start += 1
        shape = HOST_SHAPE_RE.search(text, start, end)
        if shape is None or shape.end() != end:
            continue
        if is_internal_host(shape.group(0), compiled):
            out.append(_candidate("hostname", _HOST_PRIORITY, shape.start(), end, ""))
    return out


def _names(text: str, compiled: CompiledContext) -> list[_Candidate]:
    out: list[_Candidate] = []
    for kind, names in (("person", compiled.people), ("customer", compiled.organizations)):
        for name in names:
            for match in name.pattern.finditer(text):
                start = match.start()
                before = text[start - 1] if start > 0 else " "
                # A word starts after a non-alphanumeric, or after a JSON/log escape (`\nJane`).
                if before.isalnum() and not (
                    before in "nrt" and text[start - 2 : start - 1] == "\\"
                ):
                    continue
                out.append(_candidate(kind, _NAME_PRIORITY, start, match.end(), name.key))
    return out


def _resolve(text: str, candidates: list[_Candidate]) -> list[Detection]:
    """Keep the best candidate where several overlap (higher priority, then longer)."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Candidate] = []
    for cand in sorted(candidates):
        index = bisect.bisect_left(starts, cand.start)
        if index > 0 and ends[index - 1] > cand.start:
            continue
        if index < len(starts) and starts[index] < cand.end:
            continue
        starts.insert(index, cand.start)
        ends.insert(index, cand.end)
        kept.insert(index, cand)
    return [
        Detection(c.kind, KINDS[c.kind].category, c.start, c.end, text[c.start : c.end], c.key)
        for c in kept
    ]
