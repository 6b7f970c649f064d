"""The address policy: what counts as private, how hosts are vetted, and the engine's use.

No test here sends anything beyond 127.0.0.1: the unit tests resolve through a resolver the
test controls and never connect; the engine tests play a "public" host on 127.0.0.1 with an
injected classifier, and their "private" target is 127.0.0.2 (loopback too), where nothing
listens, so even a wrong follow could not leave the machine.
"""

from __future__ import annotations

import socket

import pytest

from kbtools.engines.netpolicy import AddressPolicy, classify_address
from kbtools.engines.urlcheck import EngineSettings, Outcome, get_engine
from tests.httpserver import LocalServer, http_server

__all__ = ["http_server"]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.216.34", ""),
        ("2606:2800:220:1:248:1893:25c8:1946", ""),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("172.31.255.1", "private"),
        ("192.168.1.20", "private"),
        ("100.64.3.4", "private"),
        ("fd12:3456::1", "private"),
        ("fc00::5", "private"),
        ("169.254.10.1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("0.0.0.0", "unspecified"),
        ("not-an-address", "private"),
    ],
)
def test_classify_address(address: str, kind: str) -> None:
    assert classify_address(address) == kind


def fake_resolver(table: dict[str, list[str]]) -> object:
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


def test_vet_resolves_once_and_any_private_address_taints_the_host() -> None:
    resolver = fake_resolver(
        {
            "docs.example.test": ["93.184.216.34"],
            "rebind.example.test": ["93.184.216.34", "10.0.0.5"],
            "metadata.example.test": ["169.254.169.254"],
        }
    )
    policy = AddressPolicy(resolver=resolver)  # type: ignore[arg-type]
    assert policy.vet("docs.example.test", 443).public
    assert policy.vet("docs.example.test", 443).addresses == ("93.184.216.34",)
    rebind = policy.vet("rebind.example.test", 80)
    assert (rebind.public, rebind.kind, rebind.address) == (False, "private", "10.0.0.5")
    assert policy.vet("metadata.example.test", 80).kind == "metadata"
    assert policy.vet("169.254.169.254", 80).kind == "metadata"  # literal: not resolved
    assert policy.vet("[::1]", 80).kind == "loopback"
    assert resolver.asked == [  # type: ignore[attr-defined]
        "docs.example.test",
        "rebind.example.test",
        "metadata.example.test",
    ]
    with pytest.raises(socket.gaierror):
        policy.vet("nowhere.example.test", 80)


def _policy(server: LocalServer) -> AddressPolicy:
    """public.test is the loopback server, played as public; inside.test is 127.0.0.2."""
    table = {"public.test": ["127.0.0.1"], "inside.test": ["127.0.0.2"]}

    def classify(address: str) -> str:
        return (
            ""
            if address == "127.0.0.1"
            else "metadata"
            if address == "127.0.0.2"
            else (classify_address(address))
        )

    return AddressPolicy(resolver=fake_resolver(table), classify=classify)  # type: ignore[arg-type]


@pytest.mark.parametrize("allow_private", [False, True])
def test_redirect_from_public_host_to_private_address_is_not_followed(
    http_server: LocalServer, allow_private: bool
) -> None:
    port = http_server.port
    http_server.route(
        "/start", status=302, headers={"Location": f"http://inside.test:{port}/latest"}
    )
    http_server.route("/hop", status=301, headers={"Location": f"http://public.test:{port}/start"})
    http_server.route("/fine", status=302, headers={"Location": "/page"})
    http_server.route("/page")
    urls = [f"http://public.test:{port}/{p}" for p in ("start", "hop", "fine")]
    settings = EngineSettings(
        timeout=1.0, deadline=10.0, allow_private=allow_private, policy=_policy(http_server)
    )
    results = get_engine("builtin").check(urls, settings)
    for url in urls[:2]:
        result = results[url]
        assert result.outcome is Outcome.PRIVATE_REDIRECT, result
        assert "inside.test, a metadata address (127.0.0.2): not followed" in result.message
    assert results[urls[2]].outcome is Outcome.OK  # public -> public is fine
    assert http_server.count("/latest") == 0


def test_links_to_private_hosts_are_checked_only_when_allowed(http_server: LocalServer) -> None:
    url = http_server.route("/intranet")
    skipped = get_engine("builtin").check([url], EngineSettings(timeout=1.0, deadline=10.0))
    assert skipped[url].outcome is Outcome.SKIPPED
    assert "127.0.0.1 is a loopback address" in skipped[url].message
    assert "allow_private" in skipped[url].message
    assert http_server.total() == 0
    allowed = EngineSettings(timeout=1.0, deadline=10.0, allow_private=True)
    assert get_engine("builtin").check([url], allowed)[url].outcome is Outcome.OK
    assert http_server.count("/intranet") == 1


def test_linkchecker_skips_private_links_too(http_server: LocalServer) -> None:
    url = http_server.route("/intranet")
    results = get_engine("linkchecker").check([url], EngineSettings(timeout=1.0, deadline=10.0))
    assert results[url].outcome is Outcome.SKIPPED
    assert http_server.total() == 0
