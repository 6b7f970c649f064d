"""A scripted HTTP server on 127.0.0.1 for tests: routes, request counts, slow and silent pages.

Use the `http_server` fixture (import it into a test module) or `LocalServer` directly:

    server.route("/gone", status=410)
    server.route("/moved", status=301, headers={"Location": "/new"})
    server.route("/busy", status=429, headers={"Retry-After": "1"})
    server.route("/flaky", statuses=[429, 200], headers={"Retry-After": "0"})
    server.route("/silent", hang=True)        # accepts the request, never answers
    server.route("/drip", drip=0.5)           # headers at once, then one body byte per 0.5 s
    server.route("/drip-head", drip_headers=0.5)  # even the status line comes byte by byte
    server.url("/gone") -> "http://127.0.0.1:PORT/gone"
    server.count("/gone") -> requests seen for that path
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (timeouts, deadlines) are part of the tests


@dataclass
class Route:
    """How the server answers one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"<html><body><h1 id='top'>ok</h1></body></html>"
    content_type: str = "text/html; charset=utf-8"
    statuses: list[int] = field(default_factory=list)
    """Successive statuses for successive requests (the last one repeats)."""
    delay: float = 0.0
    hang: bool = False
    drip: float = 0.0
    """Seconds between the bytes of the body (the headers come at once)."""
    drip_headers: float = 0.0
    """Seconds between the bytes of the status line and headers."""


class LocalServer:
    """A threaded HTTP/1.1 server (keep-alive) answering scripted routes; 404 otherwise."""

    def __init__(self, host: str = "127.0.0.1", tls: tuple[Path, Path] | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.counts: Counter[str] = Counter()
        self.last_headers: dict[str, str] = {}
        self.dripped: Counter[str] = Counter()
        """Bytes sent so far by dripping routes, by path."""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self)

        self.httpd = _QuietServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.host = host
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> LocalServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Release hanging handlers and stop serving."""
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, path: str, **options: object) -> str:
        """Script the answer for `path`; returns its absolute URL."""
        self.routes[path] = Route(**options)  # type: ignore[arg-type]
        return self.url(path)

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def count(self, path: str) -> int:
        """How many requests arrived for `path` (query string excluded)."""
        with self._lock:
            return self.counts[path]

    def total(self) -> int:
        """How many requests arrived in all."""
        with self._lock:
            return sum(self.counts.values())

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.counts[path] += 1
            seen = self.counts[path]
            self.last_headers = dict(handler.headers.items())
        route = self.routes.get(path) or Route(status=404, body=b"not found")
        if route.hang:
            self._stop.wait(30)
            return
        if route.delay:
            self._stop.wait(route.delay)
        status = route.status
        if route.statuses:
            status = route.statuses[min(seen, len(route.statuses)) - 1]
        body = route.body if handler.command == "GET" else b""
        if route.drip_headers:
            head = (
                f"HTTP/1.1 {status} OK\r\nContent-Type: {route.content_type}\r\n"
                f"Content-Length: {len(route.body)}\r\n\r\n"
            ).encode()
            self._dribble(handler, head + body, route.drip_headers)
            return
        handler.send_response(status)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(route.body)))
        for name, value in route.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if route.drip:
            handler.wfile.flush()
            self._dribble(handler, body, route.drip)
            return
        handler.wfile.write(body)

    def _dribble(self, handler: BaseHTTPRequestHandler, data: bytes, pause: float) -> None:
        """Send `data` one byte at a time until done, the client leaves or the server closes."""
        handler.close_connection = True
        for index in range(len(data)):
            if self._stop.is_set():
                return
            try:
                handler.wfile.write(data[index : index + 1])
                handler.wfile.flush()
            except OSError:
                return  # the client hung up: what a bounded client does
            with self._lock:
                self.dripped[handler.path.split("?", 1)[0]] = index + 1
            self._stop.wait(pause)


def refused_url(path: str = "/") -> str:
    """A URL on a 127.0.0.1 port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A started LocalServer, closed after the test."""
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path] | None:
    """(certificate, key) for 127.0.0.1 made with the openssl command; None without it."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    argv = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    argv += ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    try:
        subprocess.run(
            argv,
            check=True,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return cert, key
