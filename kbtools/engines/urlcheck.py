"""The URL-checking interface every external-link engine implements: URLs in, results out."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from kbtools.engines.netpolicy import AddressPolicy

ProgressCallback = Callable[[int, int], None]
"""Called as `progress(done, total)` from any thread while an engine runs."""


class Outcome(Enum):
    """What happened to one URL; each non-OK outcome maps to one `links.external.*` rule."""

    OK = "ok"
    BROKEN = "broken"
    ERROR = "error"
    UNREACHABLE = "unreachable"
    RATE_LIMITED = "rate-limited"
    REDIRECTED = "redirected"
    FRAGMENT = "fragment"
    PRIVATE_REDIRECT = "private-redirect"
    """A public host redirected to a private, loopback, link-local or metadata address."""
    SKIPPED = "skipped"
    """Not checked on purpose (a link to a private address): no finding."""

    @property
    def cacheable(self) -> bool:
        """Good results are reused within the cache TTL; failures are always re-checked."""
        return self in (Outcome.OK, Outcome.REDIRECTED)


@dataclass(frozen=True)
class UrlResult:
    """The result of checking one URL (fragment included: `#a` and `#b` are two results)."""

    url: str
    outcome: Outcome
    message: str = ""
    status: int | None = None
    new_url: str = ""
    """For REDIRECTED: where the permanent redirect leads (the suggested replacement)."""
    checked_at: float = 0.0
    """Unix time of the check; 0 when the URL was never asked (deadline, exclusion)."""

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping (used by the cache)."""
        return {
            "outcome": self.outcome.value,
            "message": self.message,
            "status": self.status,
            "new_url": self.new_url,
            "checked_at": self.checked_at,
        }

    @classmethod
    def from_json(cls, url: str, data: Mapping[str, object]) -> UrlResult:
        """Read a mapping written by `to_json`; raises ValueError/TypeError/KeyError if malformed."""
        status = data.get("status")
        checked_at = data.get("checked_at", 0.0)
        if status is not None and not isinstance(status, int):
            raise TypeError("status")
        if not isinstance(checked_at, int | float):
            raise TypeError("checked_at")
        return cls(
            url=url,
            outcome=Outcome(str(data["outcome"])),
            message=str(data.get("message", "")),
            status=status,
            new_url=str(data.get("new_url", "")),
            checked_at=float(checked_at),
        )


@dataclass
class EngineSettings:
    """How an engine may use the network (from `kb.lint.external` in mkdocs.yml)."""

    timeout: float = 10.0
    """Seconds for connecting and for each read."""
    url_time: float = 0.0
    """Seconds one URL may take in all (connect, headers, body, redirects); 0: 2 x timeout."""
    deadline: float = 300.0
    """Seconds the whole run may take; URLs not done by then come back UNREACHABLE."""
    concurrency: int = 64
    per_host: int = 4
    max_retry_wait: float = 10.0
    """Longest Retry-After (seconds) honoured before a 429 is reported as rate-limited."""
    max_redirects: int = 10
    accept: Mapping[str, Sequence[int]] = field(default_factory=dict)
    """URL regular expression -> extra status codes that count as success."""
    user_agent: str = "kbtools-linkcheck/0.1 (+https://example.github.io/kbtools/)"
    allow_private: bool = False
    """Check links written to private, loopback and link-local hosts (redirects from a public
    host into such addresses are never followed)."""
    policy: AddressPolicy | None = None
    """Resolver and address classifier (tests inject their own); None: the system's."""

    @property
    def url_limit(self) -> float:
        """Seconds one URL may take in all."""
        return self.url_time if self.url_time > 0 else 2 * self.timeout

    def address_policy(self) -> AddressPolicy:
        """The policy to vet hosts with (a fresh one per run when none was injected)."""
        if self.policy is not None:
            return self.policy
        return AddressPolicy()

    def accepted_codes(self, url: str) -> set[int]:
        """Extra success codes configured for this URL."""
        codes: set[int] = set()
        for pattern, extra in self.accept.items():
            if re.search(pattern, url):
                codes.update(int(code) for code in extra)
        return codes


class Engine(Protocol):
    """Checks a list of distinct absolute http(s) URLs and returns one result for each."""

    name: str

    def check(
        self,
        urls: Sequence[str],
        settings: EngineSettings,
        progress: ProgressCallback | None = None,
    ) -> dict[str, UrlResult]:
        """Results keyed by the URLs given (every URL gets one, even at the deadline)."""
        ...


def classify_status(status: int, accepted: set[int] | None = None) -> Outcome:
    """The outcome of a final (non-redirect) HTTP status code."""
    if 200 <= status < 300 or status in (accepted or set()):
        return Outcome.OK
    if status == 429:
        return Outcome.RATE_LIMITED
    if status >= 500:
        return Outcome.ERROR
    if status in (404, 410):
        return Outcome.BROKEN
    # 401/403 and other client errors: the page exists but refuses us. Reported as errors
    # (configure `accept` for URLs known to need a login).
    return Outcome.ERROR


def deadline_result(url: str, deadline: float) -> UrlResult:
    """The result of a URL the run had no time to check."""
    return UrlResult(
        url,
        Outcome.UNREACHABLE,
        f"not checked: the external check's deadline of {deadline:g} s was reached",
    )


def get_engine(name: str) -> Engine:
    """The engine called `name` (`builtin` or `linkchecker`)."""
    if name == "linkchecker":
        from kbtools.engines.linkchecker import LinkCheckerEngine

        return LinkCheckerEngine()
    if name == "builtin":
        from kbtools.engines.builtin_http import BuiltinEngine

        return BuiltinEngine()
    raise ValueError(f"unknown external link engine {name!r}")
