"""Every URL ends within its total time, however slowly the server sends (loopback only)."""

from __future__ import annotations

import time

import pytest

from kbtools.engines.urlcheck import EngineSettings, Outcome, get_engine
from tests.httpserver import LocalServer, http_server

__all__ = ["http_server"]


def settings(**overrides: object) -> EngineSettings:
    values: dict[str, object] = {"timeout": 1.0, "deadline": 30.0, "allow_private": True}
    values.update(overrides)
    return EngineSettings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("need_body", [False, True])
def test_drip_fed_body_ends_within_the_url_bound(http_server: LocalServer, need_body: bool) -> None:
    # One byte every 0.3 s never trips the 1 s read timeout; 4 KB would take 20 minutes.
    url = http_server.route("/drip", drip=0.3, body=b"<html>" + b"x" * 4096 + b"</html>")
    target = url + ("#section" if need_body else "")
    started = time.monotonic()
    result = get_engine("builtin").check([target], settings(url_time=1.5))[target]
    elapsed = time.monotonic() - started
    assert result.outcome is Outcome.UNREACHABLE
    assert result.message.startswith("body too slow: ")
    assert "the limit is 1.5 s per URL" in result.message
    assert 1.4 <= elapsed < 3.0
    assert http_server.dripped["/drip"] < 20  # the client hung up, the server stopped


def test_default_bound_is_twice_the_timeout(http_server: LocalServer) -> None:
    url = http_server.route("/drip", drip=0.2)
    started = time.monotonic()
    result = get_engine("builtin").check([url], settings(timeout=0.8))[url]
    assert result.outcome is Outcome.UNREACHABLE and "1.6 s per URL" in result.message
    assert time.monotonic() - started < 3.0


def test_drip_fed_headers_end_within_the_url_bound(http_server: LocalServer) -> None:
    url = http_server.route("/drip-head", drip_headers=0.2)
    started = time.monotonic()
    result = get_engine("builtin").check([url], settings(url_time=1.0))[url]
    assert result.outcome is Outcome.UNREACHABLE
    assert result.message.startswith("headers too slow")
    assert time.monotonic() - started < 2.5


def test_fast_pages_are_not_affected(http_server: LocalServer) -> None:
    urls = [http_server.route(f"/p{n}") for n in range(20)]
    results = get_engine("builtin").check(urls, settings(url_time=1.0))
    assert all(r.outcome is Outcome.OK for r in results.values())


def test_bound_covers_the_whole_redirect_chain(http_server: LocalServer) -> None:
    http_server.route("/a", status=302, headers={"Location": "/b"}, delay=0.6)
    http_server.route("/b", status=302, headers={"Location": "/c"}, delay=0.6)
    http_server.route("/c", delay=0.6)
    url = http_server.url("/a")
    started = time.monotonic()
    result = get_engine("builtin").check([url], settings(url_time=1.0))[url]
    assert result.outcome is Outcome.UNREACHABLE
    assert time.monotonic() - started < 2.0
