"""LinkChecker as a library: URLs in, one UrlResult per URL out.

Used as a library, not through its command line: as root the `linkchecker` command switches
to the `nobody` user (then cannot read private temp dirs or write its output), and its CSV
output loses positions for stdin input. Here URLs go straight into LinkChecker's queue with
recursion level 0 and a logger object collects every checked URL.
"""

from __future__ import annotations

import contextlib
import errno
import re
import threading
import time
from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

from kbtools.engines.netpolicy import AddressPolicy, Vetted
from kbtools.engines.urlcheck import (
    EngineSettings,
    Outcome,
    ProgressCallback,
    UrlResult,
    classify_status,
    deadline_result,
)

_STATUS_RE = re.compile(r"^'?(\d{3})'?\s*(.*)$")
_REDIRECT_RE = re.compile(r"Redirected to `(?P<url>[^']*)' status: (?P<code>\d{3})")
_RETRY_AFTER_RE = re.compile(r"Retry-After: (\d+)")
MAX_429_ROUNDS = 2


class LinkCheckerEngine:
    """Checks URLs with LinkChecker's checker threads, its politeness and its AnchorCheck."""

    name = "linkchecker"

    def check(
        self,
        urls: Sequence[str],
        settings: EngineSettings,
        progress: ProgressCallback | None = None,
    ) -> dict[str, UrlResult]:
        """One result per URL; LinkChecker is stopped at the deadline."""
        started = time.monotonic()
        deadline_at = started + settings.deadline
        policy = settings.address_policy()
        results: dict[str, UrlResult] = {}
        pending = []
        for url in dict.fromkeys(urls):
            vetted = _vet(url, policy)
            if vetted is not None and not vetted.public and not settings.allow_private:
                results[url] = UrlResult(
                    url,
                    Outcome.SKIPPED,
                    f"not checked: {vetted.host} is a {vetted.kind} address ({vetted.address}); "
                    "set lint.external.allow_private: true to check it",
                )
            else:
                pending.append(url)
        total = len(pending)
        for round_number in range(MAX_429_ROUNDS + 1):
            raw = _run_round(pending, settings, deadline_at, len(results), total, progress)
            retry: list[str] = []
            wait = 0.0
            for url in pending:
                data = raw.get(url)
                if data is None:
                    results[url] = deadline_result(url, settings.deadline)
                    continue
                result = _private_redirect(url, data, policy) or _to_result(url, data, settings)
                delay = _retry_delay(data)
                if (
                    result.outcome is Outcome.RATE_LIMITED
                    and round_number < MAX_429_ROUNDS
                    and delay <= settings.max_retry_wait
                ):
                    retry.append(url)
                    wait = max(wait, delay)
                results[url] = result
            if not retry or time.monotonic() + wait + settings.timeout >= deadline_at:
                break
            time.sleep(wait)
            pending = retry
        return {url: results[url] for url in dict.fromkeys(urls)}


def _vet(url: str, policy: AddressPolicy) -> Vetted | None:
    """The URL's host, vetted; None when it has no usable host (LinkChecker reports it)."""
    try:
        parts = urlsplit(url)
        if not parts.hostname:
            return None
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        return policy.vet(parts.hostname, port)
    except (OSError, ValueError, UnicodeError):
        return None


def _private_redirect(url: str, data: Any, policy: AddressPolicy) -> UrlResult | None:
    """PRIVATE_REDIRECT when LinkChecker followed a public URL into a private address.

    LinkChecker follows redirects itself, so here the hop is reported after the fact (the
    built-in engine refuses it before sending anything)."""
    start = _vet(url, policy)
    if start is None or not start.public:
        return None
    for _, message in data.warnings or []:
        match = _REDIRECT_RE.search(str(message))
        if match is None:
            continue
        hop = _vet(match.group("url"), policy)
        if hop is not None and not hop.public:
            return UrlResult(
                url,
                Outcome.PRIVATE_REDIRECT,
                f"redirect ({match.group('code')}) from a public host to {hop.host}, a "
                f"{hop.kind} address ({hop.address}) (LinkChecker follows redirects itself: "
                "use the builtin engine to refuse them)",
                int(match.group("code")),
                checked_at=time.time(),
            )
    return None


def _run_round(
    urls: list[str],
    settings: EngineSettings,
    deadline_at: float,
    done_before: int,
    total: int,
    progress: ProgressCallback | None,
) -> dict[str, Any]:
    """Run LinkChecker once over `urls`; returns its wire data by URL as given."""
    from linkcheck import checker, configuration, director
    from linkcheck.logger import _Logger

    collected: dict[str, Any] = {}
    lock = threading.Lock()

    class Collector(_Logger):  # type: ignore[misc]
        LoggerName = "kbtools"
        LoggerArgs: ClassVar[dict[str, Any]] = {}

        def start_output(self) -> None:
            pass

        def end_output(self, **kwargs: Any) -> None:
            pass

        def comment(self, s: str, **args: Any) -> None:
            pass

        def log_url(self, url_data: Any) -> None:
            with lock:
                collected[str(url_data.base_url)] = url_data
                if progress is not None:
                    progress(min(total, done_before + len(collected)), total)

    config = configuration.Configuration()
    config["recursionlevel"] = 0
    # LinkChecker sleeps between requests to one host while holding one global lock, so more
    # threads only add contention: 64 threads took 38.8 s where its default 10 took 27.3 s
    # (benchmarks/RESULTS.md, External links).
    config["threads"] = max(1, min(settings.concurrency, 10))
    config["timeout"] = settings.timeout
    config["status"] = False
    config["verbose"] = True
    config["warnings"] = True
    config["checkextern"] = True
    config["maxhttpredirects"] = settings.max_redirects
    config["aborttimeout"] = 1
    config["useragent"] = settings.user_agent
    config["enabledplugins"] = ["AnchorCheck"]
    config["logger"] = Collector()
    config["fileoutput"] = []
    # Not config.sanitize(): it would also change the process-wide default socket timeout.
    config.sanitize_plugins()
    config.sanitize_ssl()

    aggregate = director.get_aggregate(config)
    for url in urls:
        try:
            url_data = checker.get_url_from(url, 0, aggregate, extern=(0, 0))
        except Exception as exc:  # LinkChecker refuses some malformed URLs outright
            collected[url] = _Refused(f"invalid URL: {exc}")
            continue
        aggregate.urlqueue.put(url_data)

    def run() -> None:
        # LinkChecker ends an aborted run with KeyboardInterrupt; the results so far count.
        with contextlib.suppress(BaseException):
            director.check_urls(aggregate)

    thread = threading.Thread(target=run, name="kb-linkchecker", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline_at - time.monotonic()))
    if thread.is_alive():
        aggregate.cancel()
        thread.join(1.0)
    with lock:
        return dict(collected)


class _Refused:
    """Wire data for a URL LinkChecker would not even queue."""

    valid = False
    warnings: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, result: str) -> None:
        self.result = result


def _to_result(url: str, data: Any, settings: EngineSettings) -> UrlResult:
    """Classify LinkChecker's wire data for one URL."""
    now = time.time()
    text = str(data.result or "")
    warnings = [(str(tag or ""), str(message)) for tag, message in data.warnings or []]
    redirects = [m for _, message in warnings if (m := _REDIRECT_RE.search(message))]
    status_match = _STATUS_RE.match(text)
    if status_match:
        status = int(status_match.group(1))
        message = f"{status} {status_match.group(2)}".strip()
        if status == 429:
            hint = next((m for t, m in warnings if t == "http-rate-limited"), "")
            return UrlResult(
                url,
                Outcome.RATE_LIMITED,
                f"429 Too Many Requests {hint}".strip(),
                429,
                checked_at=now,
            )
        outcome = classify_status(status, settings.accepted_codes(url))
        if outcome is not Outcome.OK:
            if redirects:
                message += f" (after redirect to {redirects[-1].group('url')})"
            return UrlResult(url, outcome, message, status, checked_at=now)
        missing = next(
            (m for t, m in warnings if t == "url-anchor-not-found" or "Anchor `" in m), ""
        )
        if missing:
            return UrlResult(url, Outcome.FRAGMENT, missing, status, checked_at=now)
        permanent = ""
        for match in redirects:
            if match.group("code") not in ("301", "308"):
                break
            permanent = match.group("url")
        if permanent:
            code = redirects[0].group("code")
            return UrlResult(
                url,
                Outcome.REDIRECTED,
                f"permanently redirected ({code}) to {permanent}",
                status,
                permanent,
                now,
            )
        return UrlResult(url, Outcome.OK, message, status, checked_at=now)
    if data.valid:
        return UrlResult(url, Outcome.OK, text, checked_at=now)
    return UrlResult(url, *_classify_error_text(text, settings.timeout), checked_at=now)


def _classify_error_text(text: str, timeout: float) -> tuple[Outcome, str]:
    """The outcome of LinkChecker's error text for a request that got no HTTP status."""
    lower = text.lower()
    if lower.startswith("invalid url"):
        return Outcome.BROKEN, text
    if "redirect" in lower:
        return Outcome.ERROR, f"redirect loop or too many redirects ({text})"
    if "timeout" in lower or "timed out" in lower:
        return Outcome.UNREACHABLE, f"timed out (no answer within {timeout:g} s)"
    # LinkChecker cuts long messages ("... [Errno 111] Connection r..."), so match the errno too.
    if "connection refused" in lower or f"[errno {errno.ECONNREFUSED}]" in lower:
        return Outcome.UNREACHABLE, "connection refused"
    if (
        "name or service not known" in lower
        or "nodename nor servname" in lower
        or "no address" in lower
    ):
        return Outcome.BROKEN, "host name does not exist (DNS)"
    if "certificate" in lower or "ssl" in lower:
        return Outcome.ERROR, f"TLS error: {text}"
    if "connection" in lower:
        return Outcome.UNREACHABLE, f"connection failed: {text}"
    return Outcome.ERROR, text or "LinkChecker reported an error"


def _retry_delay(data: Any) -> float:
    for _, message in data.warnings or []:
        match = _RETRY_AFTER_RE.search(str(message))
        if match:
            return float(match.group(1))
    return 1.0
