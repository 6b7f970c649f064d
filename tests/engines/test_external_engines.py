"""Each external-link engine classifies real HTTP answers from a local server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kbtools.engines.urlcheck import EngineSettings, Outcome, get_engine
from tests.httpserver import LocalServer, http_server, refused_url, self_signed_certificate

__all__ = ["http_server"]

ENGINES = ["builtin", "linkchecker"]
PAGE = b"<html><body><h2 id='install'>Install</h2><a name='legacy'></a></body></html>"


def settings(**overrides: object) -> EngineSettings:
    # The test servers are on loopback: allowed explicitly, as a project would.
    values: dict[str, object] = {
        "timeout": 1.0,
        "deadline": 20.0,
        "max_retry_wait": 2.0,
        "allow_private": True,
    }
    values.update(overrides)
    return EngineSettings(**values)  # type: ignore[arg-type]


def scripted(server: LocalServer) -> dict[str, tuple[str, Outcome]]:
    """name -> (URL, expected outcome) for every acceptance case."""
    s = server
    s.route("/page", body=PAGE)
    s.route("/gone", status=410)
    s.route("/oops", status=500)
    s.route("/busy", status=429, headers={"Retry-After": "1"})
    s.route("/moved", status=301, headers={"Location": "/page"})
    s.route("/moved-dead", status=301, headers={"Location": "/missing"})
    s.route("/loop-a", status=302, headers={"Location": "/loop-b"})
    s.route("/loop-b", status=302, headers={"Location": "/loop-a"})
    s.route("/temp", status=302, headers={"Location": "/page"})
    s.route("/silent", hang=True)
    return {
        "ok": (s.url("/page"), Outcome.OK),
        "fragment-ok": (s.url("/page#install"), Outcome.OK),
        "fragment-name": (s.url("/page#legacy"), Outcome.OK),
        "fragment-missing": (s.url("/page#uninstall"), Outcome.FRAGMENT),
        "not-found": (s.url("/missing"), Outcome.BROKEN),
        "gone": (s.url("/gone"), Outcome.BROKEN),
        "server-error": (s.url("/oops"), Outcome.ERROR),
        "rate-limited": (s.url("/busy"), Outcome.RATE_LIMITED),
        "permanent": (s.url("/moved"), Outcome.REDIRECTED),
        "redirect-to-404": (s.url("/moved-dead"), Outcome.BROKEN),
        "loop": (s.url("/loop-a"), Outcome.ERROR),
        "temporary": (s.url("/temp"), Outcome.OK),
        "timeout": (s.url("/silent"), Outcome.UNREACHABLE),
        "refused": (refused_url("/x"), Outcome.UNREACHABLE),
        "malformed": ("http://[::1/x", Outcome.BROKEN),
    }


@pytest.mark.parametrize("engine_name", ENGINES)
def test_every_case_gets_its_class(http_server: LocalServer, engine_name: str) -> None:
    cases = scripted(http_server)
    urls = [url for url, _ in cases.values()]
    started = time.monotonic()
    results = get_engine(engine_name).check(urls, settings())
    elapsed = time.monotonic() - started

    got = {name: results[url].outcome for name, (url, _) in cases.items()}
    assert got == {name: expected for name, (_, expected) in cases.items()}
    assert elapsed < 20
    assert results[cases["permanent"][0]].new_url == http_server.url("/page")
    assert "timed out" in results[cases["timeout"][0]].message
    assert "refused" in results[cases["refused"][0]].message
    assert "Retry-After: 1" in results[cases["rate-limited"][0]].message
    # 429 with Retry-After: 1 is retried (within max_retry_wait) before being reported.
    assert http_server.count("/busy") == 3


@pytest.mark.parametrize("engine_name", ENGINES)
def test_page_fetched_once_for_many_fragments(http_server: LocalServer, engine_name: str) -> None:
    http_server.route("/page", body=PAGE)
    urls = [
        http_server.url("/page"),
        http_server.url("/page#install"),
        http_server.url("/page#nope"),
    ]
    results = get_engine(engine_name).check(urls, settings())
    assert [results[u].outcome for u in urls] == [Outcome.OK, Outcome.OK, Outcome.FRAGMENT]
    if engine_name == "builtin":  # LinkChecker fetches the page once per fragment
        assert http_server.count("/page") == 1


def test_retry_after_is_honoured(http_server: LocalServer) -> None:
    url = http_server.route("/flaky", statuses=[429, 200], headers={"Retry-After": "1"})
    started = time.monotonic()
    results = get_engine("builtin").check([url], settings())
    assert results[url].outcome is Outcome.OK
    assert time.monotonic() - started >= 1.0
    assert http_server.count("/flaky") == 2


def test_long_retry_after_is_reported_not_waited(http_server: LocalServer) -> None:
    url = http_server.route("/slowdown", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    results = get_engine("builtin").check([url], settings())
    assert results[url].outcome is Outcome.RATE_LIMITED
    assert time.monotonic() - started < 2
    assert http_server.count("/slowdown") == 1


@pytest.mark.parametrize("engine_name", ENGINES)
def test_deadline_reports_unchecked_urls(http_server: LocalServer, engine_name: str) -> None:
    http_server.route("/silent", hang=True)
    urls = [http_server.url(f"/silent?{n}") for n in range(6)]
    started = time.monotonic()
    results = get_engine(engine_name).check(
        urls, settings(timeout=5.0, deadline=1.0, per_host=2, concurrency=2)
    )
    elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert all(r.outcome is Outcome.UNREACHABLE for r in results.values())
    assert sum("deadline" in r.message for r in results.values()) >= 4


def test_per_host_limit_is_respected(http_server: LocalServer) -> None:
    http_server.route("/slow", delay=0.2)
    urls = [http_server.url(f"/slow?{n}") for n in range(6)]
    started = time.monotonic()
    results = get_engine("builtin").check(urls, settings(per_host=2, concurrency=16))
    elapsed = time.monotonic() - started
    assert all(r.outcome is Outcome.OK for r in results.values())
    # 6 requests, 2 at a time, 0.2 s each: at least 3 rounds.
    assert elapsed >= 0.55


def test_accept_codes_turn_a_status_into_success(http_server: LocalServer) -> None:
    url = http_server.route("/private", status=403)
    other = http_server.route("/other-private", status=403)
    results = get_engine("builtin").check([url, other], settings(accept={r"/private$": [403]}))
    assert results[url].outcome is Outcome.OK
    assert results[other].outcome is Outcome.ERROR


def test_unknown_host_is_broken() -> None:
    import socket

    from kbtools.engines.builtin_http import _classify_error

    outcome, message = _classify_error(
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"), 1
    )
    assert outcome is Outcome.BROKEN and "does not exist" in message
    outcome, _ = _classify_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"), 1)
    assert outcome is Outcome.UNREACHABLE


def test_http_proxy_from_environment(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The local server plays the proxy: it receives the absolute-form request target.
    http_server.route("http://docs.example.invalid/guide", body=PAGE)
    monkeypatch.setenv("http_proxy", f"http://user:secret@127.0.0.1:{http_server.port}")
    monkeypatch.setenv("no_proxy", "internal.example.invalid")
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    url = "http://docs.example.invalid/guide"
    results = get_engine("builtin").check([url], settings())
    assert results[url].outcome is Outcome.OK
    assert http_server.count(url) == 1
    assert http_server.last_headers["Proxy-Authorization"].startswith("Basic ")


@pytest.mark.parametrize("engine_name", ENGINES)
def test_untrusted_certificate_is_an_error(tmp_path: Path, engine_name: str) -> None:
    tls = self_signed_certificate(tmp_path)
    if tls is None:
        pytest.skip("openssl command not available")
    server = LocalServer(tls=tls).start()
    try:
        url = server.route("/secure", body=PAGE)
        results = get_engine(engine_name).check([url], settings())
    finally:
        server.close()
    assert results[url].outcome is Outcome.ERROR
    assert "certificate" in results[url].message.lower() or "ssl" in results[url].message.lower()
