"""The built-in engine: threads + http.client, keep-alive per host, polite scheduling."""

from __future__ import annotations

import base64
import contextlib
import email.utils
import errno
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from kbtools.engines.hostpool import HostPool, run_workers
from kbtools.engines.htmlids import fragment_needs_check, fragment_present, html_ids
from kbtools.engines.netpolicy import AddressPolicy, Vetted, connector
from kbtools.engines.urlcheck import (
    EngineSettings,
    Outcome,
    ProgressCallback,
    UrlResult,
    classify_status,
    deadline_result,
)
from kbtools.wording import plural

REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
MAX_BODY = 8 * 1024 * 1024
"""Bytes read from a page whose fragments must be checked."""
DRAIN_LIMIT = 64 * 1024
"""Bodies up to this size are read (and discarded) so the connection can be reused."""
MAX_429_RETRIES = 2
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"


class _Retry(Exception):
    """The host asked us to come back later (429 with an acceptable Retry-After)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class _TooSlow(Exception):
    """The URL used up its total time (`EngineSettings.url_limit`) in this phase."""

    def __init__(self, phase: str, received: int, seconds: float, limit: float) -> None:
        super().__init__(phase)
        self.message = (
            f"{phase} too slow: {received} bytes in {seconds:.1f} s "
            f"(the limit is {limit:g} s per URL)"
            if phase == "body"
            else f"{phase} too slow: no complete answer within {limit:g} s per URL"
        )


class _Watchdog:
    """Ends a request at its URL's deadline, whatever the server drips: it shuts the socket
    down (from a timer thread) so the blocked read returns, and remembers that it did."""

    def __init__(self, conn: http.client.HTTPConnection, deadline_at: float) -> None:
        self.conn = conn
        self.deadline_at = deadline_at
        self.expired = False
        self.received = 0
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, name="kb-urlcheck-watchdog", daemon=True
        )
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(max(0.0, self.deadline_at - time.monotonic())):
            sock = self.conn.sock
            if sock is None:  # still connecting (bounded by the timeout): look again soon
                if self._done.wait(0.05):
                    return
                self.deadline_at = time.monotonic()
                continue
            self.expired = True
            with contextlib.suppress(OSError):
                # The plain socket's shutdown, also under TLS: SSLSocket.shutdown would drop
                # the TLS state under the reading thread's feet.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            return

    def stop(self) -> None:
        """The request ended in time (or failed): stop watching."""
        self._done.set()


@dataclass
class _Job:
    base: str
    urls: list[tuple[str, str]]
    """(URL as given, its fragment) for every URL sharing this base."""
    attempts: int = 0


@dataclass
class _Response:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes
    url: str


@dataclass(frozen=True)
class _Proxy:
    host: str
    port: int
    authorization: str = ""


@dataclass
class _Connections:
    """Idle keep-alive connections by (scheme, host, port), shared by the worker threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = field(default_factory=dict)
    context: ssl.SSLContext = field(default_factory=ssl.create_default_context)
    proxies: dict[str, str] = field(default_factory=urllib.request.getproxies)
    """`http_proxy`/`https_proxy` from the environment (`no_proxy` is honoured per host)."""
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    """Resolves and classifies hosts once per run (see netpolicy)."""

    def proxy(self, scheme: str, host: str) -> _Proxy | None:
        """The proxy to reach `host` through, if the environment names one for it."""
        address = self.proxies.get(scheme)
        if not address or urllib.request.proxy_bypass(host):
            return None
        parts = urlsplit(address if "://" in address else "http://" + address)
        if not parts.hostname:
            return None
        authorization = ""
        if parts.username is not None:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            authorization = "Basic " + base64.b64encode(token.encode()).decode("ascii")
        return _Proxy(parts.hostname, parts.port or 8080, authorization)

    def get(
        self, scheme: str, host: str, port: int, timeout: float, vetted: Vetted | None = None
    ) -> tuple[http.client.HTTPConnection, bool]:
        """A connection (reused when one is idle) and whether it was reused.

        A new direct connection goes only to the `vetted` addresses (no second lookup)."""
        with self.lock:
            pool = self.idle.get((scheme, host, port))
            if pool:
                conn = pool.pop()
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)
                return conn, True
        proxy = self.proxy(scheme, host)
        if proxy is None:
            conn = (
                http.client.HTTPSConnection(host, port, timeout=timeout, context=self.context)
                if scheme == "https"
                else http.client.HTTPConnection(host, port, timeout=timeout)
            )
            if vetted is not None:
                conn._create_connection = connector(vetted)  # type: ignore[attr-defined]
            return conn, False
        if scheme == "https":  # TLS to the target through a CONNECT tunnel
            conn = http.client.HTTPSConnection(
                proxy.host, proxy.port, timeout=timeout, context=self.context
            )
            headers = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else {}
            conn.set_tunnel(host, port, headers=headers)
            return conn, False
        # plain HTTP: absolute-form requests to the proxy
        return http.client.HTTPConnection(proxy.host, proxy.port, timeout=timeout), False

    def put(self, scheme: str, host: str, port: int, conn: http.client.HTTPConnection) -> None:
        """Return a connection whose response was read to the end."""
        with self.lock:
            self.idle.setdefault((scheme, host, port), []).append(conn)

    def close_all(self) -> None:
        """Close every idle connection."""
        with self.lock:
            for pool in self.idle.values():
                for conn in pool:
                    conn.close()
            self.idle.clear()


class BuiltinEngine:
    """Checks URLs with the standard library; fast enough for thousands of links."""

    name = "builtin"

    def check(
        self,
        urls: Sequence[str],
        settings: EngineSettings,
        progress: ProgressCallback | None = None,
    ) -> dict[str, UrlResult]:
        """One result per URL; the run ends by `settings.deadline` whatever the network does."""
        started = time.monotonic()
        deadline_at = started + settings.deadline
        jobs: dict[str, _Job] = {}
        for url in dict.fromkeys(urls):
            base, _, fragment = url.partition("#")
            jobs.setdefault(base, _Job(base, [])).urls.append((url, fragment))
        results: dict[str, UrlResult] = {}
        lock = threading.Lock()
        connections = _Connections(policy=settings.address_policy())
        total = len(jobs)
        done = 0

        def work(_host: str, job: _Job) -> float | None:
            nonlocal done
            try:
                found = _check_job(job, settings, connections, deadline_at)
            except _Retry as retry:
                job.attempts += 1
                return retry.seconds
            with lock:
                results.update(found)
                done += 1
                if progress is not None:
                    progress(done, total)
            return None

        pool: HostPool[_Job] = HostPool(
            ((_host_key(job.base), job) for job in jobs.values()), settings.per_host, deadline_at
        )
        # Requests in flight at the deadline get one more second to finish their reads.
        run_workers(pool, min(settings.concurrency, total), work, settings.deadline + 1.0)
        connections.close_all()
        with lock:
            final = dict(results)
        for url in dict.fromkeys(urls):
            if url not in final:
                final[url] = deadline_result(url, settings.deadline)
        return {url: final[url] for url in dict.fromkeys(urls)}


def _host_key(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""  # malformed: the request reports it
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _check_job(
    job: _Job, settings: EngineSettings, connections: _Connections, deadline_at: float
) -> dict[str, UrlResult]:
    """Results for every URL of one job (one base URL, several fragments)."""
    need_body = any(fragment_needs_check(f) for _, f in job.urls)
    accepted = settings.accepted_codes(job.base)
    outcome, message, status, new_url, response = _fetch(
        job, settings, connections, deadline_at, need_body, accepted
    )
    now = time.time()
    results: dict[str, UrlResult] = {}
    ids: set[str] | None = None
    for url, fragment in job.urls:
        suggestion = (
            f"{new_url}#{fragment}" if new_url and fragment and "#" not in new_url else new_url
        )
        result = UrlResult(url, outcome, message, status, suggestion, now)
        if (
            response is not None
            and outcome in (Outcome.OK, Outcome.REDIRECTED)
            and fragment_needs_check(fragment)
            and _is_html(response)
        ):
            if ids is None:
                ids = html_ids(response.body, response.headers.get_content_charset())
            if not fragment_present(fragment, ids):
                result = UrlResult(
                    url,
                    Outcome.FRAGMENT,
                    f"the page has no element with id {fragment!r}",
                    status,
                    suggestion,
                    now,
                )
        results[url] = result
    return results


def _fetch(
    job: _Job,
    settings: EngineSettings,
    connections: _Connections,
    deadline_at: float,
    need_body: bool,
    accepted: set[int],
) -> tuple[Outcome, str, int | None, str, _Response | None]:
    """Follow redirects from `job.base`: (outcome, message, status, new_url, final response).

    The whole chain shares one time budget (`settings.url_limit`), and every hop is vetted
    against the address policy before anything is sent."""
    url = job.base
    seen = {url}
    permanent_to = ""
    still_permanent = True
    hops: list[int] = []
    start_public = True
    url_deadline = min(deadline_at, time.monotonic() + settings.url_limit)
    for _ in range(settings.max_redirects + 1):
        try:
            vetted = _vet(url, settings, connections)
            if vetted is not None and not vetted.public:
                if not hops:
                    start_public = False
                    if not settings.allow_private:
                        return (
                            Outcome.SKIPPED,
                            f"not checked: {vetted.host} is a {vetted.kind} address "
                            f"({vetted.address}); set lint.external.allow_private: true to check it",
                            None,
                            "",
                            None,
                        )
                elif start_public:
                    return (
                        Outcome.PRIVATE_REDIRECT,
                        f"redirect ({hops[-1]}) from a public host to {vetted.host}, a "
                        f"{vetted.kind} address ({vetted.address}): not followed",
                        hops[-1],
                        "",
                        None,
                    )
            response = _request(url, settings, connections, url_deadline, need_body, vetted)
        except _Retry:
            raise
        except _TooSlow as slow:
            return Outcome.UNREACHABLE, slow.message, None, "", None
        except Exception as exc:
            outcome, message = _classify_error(exc, settings.timeout)
            if hops:
                message += f" (after {plural(len(hops), 'redirect')}, at {url})"
            return outcome, message, None, "", None
        status = response.status
        location = response.headers.get("Location")
        if status in REDIRECTS and location and status not in accepted:
            target = urljoin(url, location.strip())
            hops.append(status)
            if still_permanent and status in PERMANENT:
                permanent_to = target
            else:
                still_permanent = False
            if target in seen:
                return Outcome.ERROR, f"redirect loop ({status} back to {target})", status, "", None
            seen.add(target)
            url = target
            continue
        if status == 429:
            retry_in = _retry_after(response.headers.get("Retry-After"))
            left = deadline_at - time.monotonic()
            wait = 1.0 if retry_in is None else retry_in
            if (
                job.attempts < MAX_429_RETRIES
                and wait <= settings.max_retry_wait
                and wait + settings.timeout < left
            ):
                raise _Retry(wait)
            hint = response.headers.get("Retry-After")
            message = "429 Too Many Requests" + (f" (Retry-After: {hint})" if hint else "")
            return Outcome.RATE_LIMITED, message, status, "", None
        outcome = classify_status(status, accepted)
        message = f"{status} {response.reason}".strip()
        if hops and outcome is not Outcome.OK:
            message += f" (after redirect to {url})"
        if outcome is Outcome.OK and permanent_to:
            return (
                Outcome.REDIRECTED,
                f"permanently redirected ({hops[0]}) to {permanent_to}",
                status,
                permanent_to,
                response,
            )
        return outcome, message, status, "", response
    return Outcome.ERROR, f"more than {settings.max_redirects} redirects", None, "", None


def _vet(url: str, settings: EngineSettings, connections: _Connections) -> Vetted | None:
    """The addresses of the URL's host, vetted; None when a proxy resolves it for us."""
    _, scheme, host, port = _endpoint(url)
    if connections.proxy(scheme, host) is not None and not _is_ip_literal(host):
        return None  # the proxy resolves the name (and we must not look it up ourselves)
    return connections.policy.vet(host, port)


def _endpoint(url: str) -> tuple[SplitResult, str, str, int]:
    """The URL's parts, lower-case scheme, ASCII host and port; ValueError if not http(s)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    host = _ascii_host(parts.hostname)
    return parts, scheme, host, parts.port or (443 if scheme == "https" else 80)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _ascii_host(hostname: str) -> str:
    return hostname.encode("idna").decode("ascii") if not hostname.isascii() else hostname


def _request(
    url: str,
    settings: EngineSettings,
    connections: _Connections,
    deadline_at: float,
    need_body: bool,
    vetted: Vetted | None = None,
) -> _Response:
    """One GET (no redirect following), on a reused connection when one is idle.

    `deadline_at` bounds everything: connecting, the headers and the body, however slowly
    the server sends them (a watchdog shuts the socket down at the deadline)."""
    parts, scheme, host, port = _endpoint(url)
    target = quote(parts.path or "/", safe=_SAFE_PATH)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE_PATH + "?")
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    headers = {
        "Host": host_header,
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "identity",
    }
    proxy = connections.proxy(scheme, host) if scheme == "http" else None
    if proxy is not None:
        target = f"http://{host_header}{target}"
        if proxy.authorization:
            headers["Proxy-Authorization"] = proxy.authorization
    started = time.monotonic()
    for attempt in range(2):
        timeout = max(0.05, min(settings.timeout, deadline_at - time.monotonic()))
        conn, reused = connections.get(scheme, host, port, timeout, vetted)
        watchdog = _Watchdog(conn, deadline_at)
        try:
            try:
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                if watchdog.expired:
                    raise _TooSlow("headers", 0, 0, settings.url_limit) from None
                if reused and attempt == 0:
                    continue  # the server closed an idle keep-alive connection: retry
                raise
            except BaseException:
                conn.close()
                if watchdog.expired:
                    raise _TooSlow("headers", 0, 0, settings.url_limit) from None
                raise
            try:
                body, complete = _read_body(
                    response, need_body and _is_html_type(response), watchdog
                )
            except BaseException:
                conn.close()
                if watchdog.expired:
                    raise _TooSlow(
                        "body", watchdog.received, time.monotonic() - started, settings.url_limit
                    ) from None
                raise
            if watchdog.expired:
                conn.close()
                raise _TooSlow(
                    "body", watchdog.received, time.monotonic() - started, settings.url_limit
                )
        finally:
            watchdog.stop()
        if complete and not response.will_close:
            connections.put(scheme, host, port, conn)
        else:
            conn.close()
        return _Response(response.status, response.reason, response.headers, body, url)
    raise ConnectionResetError("connection closed by the server")


def _read_body(
    response: http.client.HTTPResponse, want: bool, watchdog: _Watchdog
) -> tuple[bytes, bool]:
    """(body, read to the end). Reads everything when `want`, else drains small bodies only."""
    length = response.getheader("Content-Length")
    limit = MAX_BODY if want else DRAIN_LIMIT
    if length is not None and length.isdigit() and int(length) > limit:
        return b"", False
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        # read(n), unlike read1(n), releases the connection once Content-Length bytes are in.
        # A server that drips its body keeps read() waiting: the watchdog ends it.
        try:
            chunk = response.read(65536)
        except http.client.IncompleteRead as exc:
            watchdog.received = size + len(exc.partial)  # what came before the cut
            raise
        if not chunk:
            response.close()
            return (b"".join(chunks) if want else b""), not watchdog.expired
        size += len(chunk)
        watchdog.received = size
        if want:
            chunks.append(chunk)
    return b"".join(chunks), False


def _is_html_type(response: http.client.HTTPResponse) -> bool:
    return response.headers.get_content_type() in ("text/html", "application/xhtml+xml")


def _is_html(response: _Response) -> bool:
    return response.headers.get_content_type() in ("text/html", "application/xhtml+xml")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _classify_error(exc: BaseException, timeout: float) -> tuple[Outcome, str]:
    """The outcome of a request that got no HTTP response."""
    if isinstance(exc, socket.gaierror):
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
            return Outcome.BROKEN, "host name does not exist (DNS)"
        return Outcome.UNREACHABLE, f"DNS lookup failed: {exc.strerror or exc}"
    if isinstance(exc, TimeoutError | socket.timeout):
        return Outcome.UNREACHABLE, f"timed out (no answer within {timeout:g} s)"
    if isinstance(exc, ConnectionRefusedError):
        return Outcome.UNREACHABLE, "connection refused"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Outcome.ERROR, f"TLS certificate not valid: {exc.verify_message or exc}"
    if isinstance(exc, ssl.SSLError):
        return Outcome.ERROR, f"TLS error: {exc.reason or exc}"
    if isinstance(exc, http.client.HTTPException):
        return Outcome.ERROR, f"invalid HTTP response: {type(exc).__name__} {exc}".strip()
    if isinstance(exc, ValueError | UnicodeError):
        return Outcome.BROKEN, f"invalid URL: {exc}"
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return Outcome.UNREACHABLE, "network or host unreachable"
        return Outcome.UNREACHABLE, f"connection failed: {exc.strerror or exc}"
    return Outcome.ERROR, f"{type(exc).__name__}: {exc}"
