"""Where the external check may connect: no private, loopback, link-local or metadata address
unless the project allows it, and never by a redirect from a public host.

A docs page is written by anyone who can open a pull request, and a public page can redirect
anywhere: without this, `kb lint --external` in CI would fetch `http://169.254.169.254/`
(the cloud metadata service) for whoever asks. The engine resolves each host once through
`AddressPolicy.vet()`, connects only to the addresses it vetted (so DNS cannot change its
answer between the check and the connection), and reports what it refused.

The resolver and the classifier are injectable so tests can play any network on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

Resolver = Callable[[str, int], list[str]]
"""host, port -> IP addresses (as text), in the order to try them."""
Classifier = Callable[[str], str]
"""IP address -> "" when public, else what it is (`loopback`, `private`, `link-local`, ...)."""

_METADATA = {
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task credentials
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (classic)
        "fd00:ec2::254",  # AWS over IPv6
    )
}
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # carrier-grade NAT: inside one provider's network
        "fc00::/7",
    )
)


def classify_address(address: str) -> str:
    """What kind of non-public address this is, or "" for a public one (unparsable: private)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "private"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if ip in _METADATA:
        return "metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if any(ip in net for net in _PRIVATE_NETWORKS if net.version == ip.version):
        return "private"
    if ip.is_private or ip.is_reserved or ip.is_multicast:
        return "private"  # documentation, benchmarking and other special-purpose ranges
    return ""


def system_resolver(host: str, port: int) -> list[str]:
    """The system's addresses for `host` (getaddrinfo), IPv4 and IPv6, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class PrivateAddressError(OSError):
    """A connection was refused by the policy: `address` of `host` is `kind`."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} resolves to {kind} address {address}")
        self.host = host
        self.address = address
        self.kind = kind


@dataclass(frozen=True)
class Vetted:
    """A host's addresses and whether they are public (every one of them)."""

    host: str
    addresses: tuple[str, ...]
    kind: str
    """"" when public, else the kind of the first non-public address."""
    address: str = ""
    """The first non-public address (for messages)."""

    @property
    def public(self) -> bool:
        """True when every address of the host is public."""
        return not self.kind


@dataclass
class AddressPolicy:
    """Resolves hosts once per run and says which ones the check may connect to."""

    resolver: Resolver = system_resolver
    classify: Classifier = classify_address
    _cache: dict[tuple[str, int], Vetted] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def vet(self, host: str, port: int) -> Vetted:
        """The host's addresses and their kind; raises socket.gaierror when it has none."""
        key = (host.lower(), port)
        with self._lock:
            known = self._cache.get(key)
        if known is not None:
            return known
        bare = host.strip("[]")
        try:
            ipaddress.ip_address(bare.split("%", 1)[0])
            addresses = [bare]  # an IP literal: nothing to resolve
        except ValueError:
            addresses = self.resolver(host, port)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "no address")
        kind, address = "", ""
        for candidate in addresses:
            found = self.classify(candidate)
            if found:
                kind, address = found, candidate
                break
        vetted = Vetted(host, tuple(addresses), kind, address)
        with self._lock:
            self._cache[key] = vetted
        return vetted


def connector(
    vetted: Vetted,
) -> Callable[[tuple[str, int], float | None, tuple[str, int] | None], socket.socket]:
    """A `socket.create_connection` stand-in that connects only to the vetted addresses."""

    def connect(
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        error: OSError | None = None
        for ip in vetted.addresses:
            try:
                return socket.create_connection((ip, address[1]), timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError(f"no address to connect to for {vetted.host}")

    return connect
