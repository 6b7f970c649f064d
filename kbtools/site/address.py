"""The preview server's address: parsed from `-a IP:PORT` and checked free before serving."""

from __future__ import annotations

import errno
import socket

from kbtools.errors import InputError

DEFAULT = "127.0.0.1:8000"


def parse(value: str, where: str = "-a/--dev-addr") -> tuple[str, int]:
    """`host:port` as (host, port); InputError naming `where` for anything else."""
    host, sep, port_text = value.strip().rpartition(":")
    if not sep:
        # A bare port (`-a 8001`) is the most common slip: serve it on loopback.
        host, port_text = "127.0.0.1", value.strip()
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit():
        raise InputError(f"{where} {value}: expected IP:PORT, such as {DEFAULT}")
    port = int(port_text)
    if not 1 <= port <= 65535:
        raise InputError(f"{where} {value}: the port must be 1-65535")
    return host, port


def ensure_free(host: str, port: int, where: str = "-a") -> None:
    """Bind and release the address as the preview server will, or say why it cannot."""
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InputError(f"{shown}: unknown host; pick another with {where}") from None
    family, kind, proto, _, sockaddr = infos[0]
    try:
        with socket.socket(family, kind, proto) as probe:
            # The same option the server sets (HTTPServer.allow_reuse_address).
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(sockaddr)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            reason = "is already in use"
        elif exc.errno == errno.EACCES:
            reason = "needs more privileges (ports below 1024)"
        elif exc.errno == errno.EADDRNOTAVAIL:
            reason = "is not an address of this machine"
        else:
            reason = f"cannot be used ({exc.strerror or exc})"
        raise InputError(f"{shown} {reason}; pick another with {where}") from None
