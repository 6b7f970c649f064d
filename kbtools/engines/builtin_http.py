"""The built-in engine: threads + http.client, keep-alive per host, polite scheduling."""

from __future__ import annotations

import base64
import email.utils
import errno
import http.client
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

from kbtools.engines.hostpool import HostPool, run_workers
from kbtools.engines.htmlids import fragment_needs_check, fragment_present, html_ids
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
        self, scheme: str, host: str, port: int, timeout: float
    ) -> tuple[http.client.HTTPConnection, bool]:
        """A connection (reused when one is idle) and whether it was reused."""
        with self.lock:
            pool = self.idle.get((scheme, host, port))
            if pool:
                conn = pool.pop()
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)
                return conn, True
        proxy = self.proxy(scheme, host)
        if scheme == "https":
            if proxy is None:
                conn = http.client.HTTPSConnection(
                    host, port, timeout=timeout, context=self.context
                )
            else:  # TLS to the target through a CONNECT tunnel
                conn = http.client.HTTPSConnection(
                    proxy.host, proxy.port, timeout=timeout, context=self.context
                )
                headers = (
                    {"Proxy-Authorization": proxy.authorization} if proxy.authorization else {}
                )
                conn.set_tunnel(host, port, headers=headers)
            return conn, False
        if proxy is not None:  # plain HTTP: absolute-form requests to the proxy
            return http.client.HTTPConnection(proxy.host, proxy.port, timeout=timeout), False
        return http.client.HTTPConnection(host, port, timeout=timeout), False

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
        connections = _Connections()
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
    """Follow redirects from `job.base`: (outcome, message, status, new_url, final response)."""
    url = job.base
    seen = {url}
    permanent_to = ""
    still_permanent = True
    hops: list[int] = []
    for _ in range(settings.max_redirects + 1):
        try:
            response = _request(url, settings, connections, deadline_at, need_body)
        except _Retry:
            raise
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


def _request(
    url: str,
    settings: EngineSettings,
    connections: _Connections,
    deadline_at: float,
    need_body: bool,
) -> _Response:
    """One GET (no redirect following), on a reused connection when one is idle."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    host = (
        parts.hostname.encode("idna").decode("ascii")
        if not parts.hostname.isascii()
        else parts.hostname
    )
    port = parts.port or (443 if scheme == "https" else 80)
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
    for attempt in range(2):
        timeout = max(0.05, min(settings.timeout, deadline_at - time.monotonic()))
        conn, reused = connections.get(scheme, host, port, timeout)
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            if reused and attempt == 0:
                continue  # the server closed an idle keep-alive connection: retry on a fresh one
            raise
        except BaseException:
            conn.close()
            raise
        try:
            body, complete = _read_body(
                response, need_body and _is_html_type(response), deadline_at
            )
        except BaseException:
            conn.close()
            raise
        if complete and not response.will_close:
            connections.put(scheme, host, port, conn)
        else:
            conn.close()
        return _Response(response.status, response.reason, response.headers, body, url)
    raise ConnectionResetError("connection closed by the server")


def _read_body(
    response: http.client.HTTPResponse, want: bool, deadline_at: float
) -> tuple[bytes, bool]:
    """(body, read to the end). Reads everything when `want`, else drains small bodies only."""
    length = response.getheader("Content-Length")
    limit = MAX_BODY if want else DRAIN_LIMIT
    if length is not None and length.isdigit() and int(length) > limit:
        return b"", False
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        if time.monotonic() > deadline_at:
            return b"".join(chunks), False
        # read(n), unlike read1(n), releases the connection once Content-Length bytes are in.
        chunk = response.read(65536)
        if not chunk:
            response.close()
            return (b"".join(chunks) if want else b""), True
        size += len(chunk)
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
