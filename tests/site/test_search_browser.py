"""End to end: build this repository's docs, open them in headless Chromium, search for error
messages copied from demo articles, and land on the article that fixes them."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kbtools.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("KB_TEST_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERIES = [
    ("exit status 128: fatal: early EOF", "kb/storage/gitserver-clone-early-eof/"),
    ("context deadline exceeded", "kb/search/search-timeout-large-monorepos/"),
    (
        'pq: password authentication failed for user "sg"',
        "kb/install/postgres-password-authentication-failed/",
    ),
    # Words found only in an "Error messages" section; Material's default boosts and
    # separator rank other pages first for each of these.
    (
        "curl 18 transfer closed with outstanding read data remaining",
        "kb/storage/gitserver-clone-early-eof/",
    ),
    ("dial tcp 203.0.113.25:443: i/o timeout", "kb/networking/code-host-sync-behind-proxy/"),
    ("failed to apply migration 1680273941", "kb/upgrades/migrator-relation-repo-does-not-exist/"),
]
INTERNAL_QUERY = ("dial tcp 10.0.3.44:9000: connect: connection refused", "blobstore-connection")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("repo-site") / "site"
    assert (
        main(["build", "--audience", "public", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)])
        == 0
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def browser_page(site_url: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            yield page
        finally:
            browser.close()


def search(page: Any, site_url: str, query: str) -> list[str]:
    """Type `query` into Material's search box; the result links, best first."""
    page.goto(site_url)
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item > a", timeout=15000)
    page.wait_for_timeout(300)  # results settle after typing stops
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(a => a.href)"
    )
    return [h.split("?", 1)[0] for h in hrefs]


@pytest.mark.parametrize(
    ("query", "expected"),
    QUERIES,
    ids=["early-eof", "deadline", "pq-auth", "curl-18", "io-timeout", "migration"],
)
def test_error_message_search_finds_the_article_first(
    browser_page: Any,
    site_url: str,
    query: str,
    expected: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = browser_page
    results = search(page, site_url, query)
    shots = tmp_path_factory.mktemp("screenshots")
    page.screenshot(path=str(shots / f"{expected.strip('/').replace('/', '_')}.png"))
    assert results, f"no results for {query!r}"
    assert results[0] == site_url + expected, results[:5]
    page.click(".md-search-result__item > a")
    page.wait_for_url(f"{site_url}{expected}**")
    resolution = page.locator("h2#resolution")
    resolution.scroll_into_view_if_needed()
    assert resolution.is_visible()


def test_internal_article_is_not_found_publicly(browser_page: Any, site_url: str) -> None:
    query, internal = INTERNAL_QUERY
    page = browser_page
    page.goto(site_url)
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__meta", timeout=15000)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(a => a.href)"
    )
    assert not [h for h in hrefs if internal in h]
