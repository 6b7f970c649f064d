"""Patterns built from a RedactionContext: people, customer organizations, internal domains."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kbtools.sensitive.model import RedactionContext
from kbtools.sensitive.patterns import INTERNAL_SUFFIXES

_LEGAL_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "srl",
    "bv",
    "nv",
    "plc",
    "co",
    "corp",
    "corporation",
    "company",
    "group",
    "holdings",
    "pty",
    "oy",
    "ab",
    "as",
    "kk",
}
# Two-level public suffixes common enough to matter when guessing an organization's label.
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc"}
_SEPARATOR = r"[\s._\-]?"
# No look-behind here (it would slow the scan down): detect checks the character before.
_LEFT = ""
_RIGHT = r"(?![A-Za-z0-9])"


@dataclass(frozen=True)
class NamePattern:
    """One name to find: the regex and the placeholder identity it maps to."""

    pattern: re.Pattern[str]
    key: str


@dataclass(frozen=True)
class CompiledContext:
    """A RedactionContext turned into patterns, compiled once."""

    people: tuple[NamePattern, ...] = ()
    organizations: tuple[NamePattern, ...] = ()
    host_suffixes: tuple[str, ...] = field(default=())
    host_suffix_re: re.Pattern[str] = field(default=re.compile(r"(?!)"))
    """Finds the end of every host name that may be internal (generic or context suffix)."""


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s._\-,]+", name.strip()) if w]


def _joined(words: list[str]) -> str:
    return _SEPARATOR.join(re.escape(w) for w in words)


def domain_label(domain: str) -> str:
    """The organization's label of a domain: `acme-corp` for `mail.acme-corp.co.uk`."""
    labels = [lbl for lbl in domain.lower().strip(".").split(".") if lbl]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0] if labels else ""


def looks_like_domain(value: str) -> bool:
    """True for `acme.com`-like values (no spaces, a dot, a letters-only last label)."""
    return bool(re.fullmatch(r"(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24}", value.strip().strip(".")))


def organization_variants(name: str) -> list[str]:
    """Spellings of an organization name to look for (full name, without legal suffix)."""
    name = name.strip()
    if looks_like_domain(name):
        name = domain_label(name)
    words = _words(name)
    variants = [words]
    core = list(words)
    while len(core) > 1 and core[-1].lower().rstrip(".") in _LEGAL_SUFFIXES:
        core = core[:-1]
        variants.append(list(core))
    out: list[str] = []
    for variant in variants:
        text = " ".join(variant)
        if len(text.replace(" ", "")) >= 3 and text not in out:
            out.append(text)
    return out


@lru_cache(maxsize=64)
def _compile(
    people: tuple[str, ...],
    organizations: tuple[str, ...],
    internal_domains: tuple[str, ...],
    extra_suffixes: tuple[str, ...] = (),
) -> CompiledContext:
    people_patterns: list[NamePattern] = []
    for index, person in enumerate(people):
        words = _words(person)
        if not words:
            continue
        key = f"person:{index}"
        people_patterns.append(
            NamePattern(re.compile(_LEFT + _joined(words) + _RIGHT, re.IGNORECASE), key)
        )
        if len(words) > 1:
            # A first or last name alone, as written (capitalized): "Jane said ...".
            for word in words:
                if len(word) >= 3 and word[:1].isupper():
                    people_patterns.append(
                        NamePattern(re.compile(_LEFT + re.escape(word) + _RIGHT), key)
                    )
    org_patterns: list[NamePattern] = []
    suffixes: list[str] = [d.lower().strip(".") for d in internal_domains if d.strip(".")]
    suffixes.extend(extra_suffixes)
    variants: list[str] = []
    for org in organizations:
        if looks_like_domain(org):
            suffixes.append(org.lower().strip("."))
        variants.extend(
            v for v in organization_variants(org) if v.lower() not in map(str.lower, variants)
        )
    # Longest first, so "Acme Corp" wins over "Acme" where both match.
    for variant in sorted(variants, key=len, reverse=True):
        org_patterns.append(
            NamePattern(
                re.compile(_LEFT + _joined(_words(variant)) + _RIGHT, re.IGNORECASE), "customer"
            )
        )
    unique_suffixes = tuple(dict.fromkeys(suffixes))
    return CompiledContext(
        tuple(people_patterns),
        tuple(org_patterns),
        unique_suffixes,
        _suffix_re(unique_suffixes),
    )


def _suffix_re(context_suffixes: tuple[str, ...]) -> re.Pattern[str]:
    generic = "|".join(re.escape(s) for s in INTERNAL_SUFFIXES)
    specific = "".join("|" + re.escape(s) for s in sorted(context_suffixes, key=len, reverse=True))
    return re.compile(
        rf"(?:\.(?:{generic}){specific})(?![A-Za-z0-9_\-]|\.[A-Za-z0-9])", re.IGNORECASE
    )


def compile_context(
    context: RedactionContext | None, *, extra_suffixes: tuple[str, ...] = ()
) -> CompiledContext:
    """The compiled patterns of a context (cached; an empty context still finds `*.corp`).

    `extra_suffixes` are host suffixes treated like the context's domains (recall mode
    passes the reserved `.example`-style top-level domains).
    """
    if context is None:
        return _compile((), (), (), extra_suffixes)
    return _compile(
        tuple(p for p in context.people if p.strip()),
        tuple(o for o in context.organizations if o.strip()),
        tuple(d for d in context.internal_domains if d.strip()),
        extra_suffixes,
    )
