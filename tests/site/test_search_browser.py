"""End to end: build this repository's docs, open them in headless Chromium, type or paste
error messages copied from demo articles into the search box, and land on the article that
fixes them. Every test runs once per search backend (Material's own index, Pagefind) with
the same queries. Screenshots of each results list and article go under the pytest temp dir."""

from __future__ import annotations

import functools
import os
import threading
import time
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
EARLY_EOF = "kb/storage/gitserver-clone-early-eof/"
BUCKET = "kb/storage/external-bucket-connection-refused/"
TIMEOUT = "kb/search/search-timeout-large-monorepos/"
PQ_AUTH = "kb/install/postgres-password-authentication-failed/"
PROXY = "kb/networking/code-host-sync-behind-proxy/"
INTERNAL = "kb/storage/blobstore-connection-refused/"
"""Internal article that quotes the same `dial tcp 10.0.3.44:9000` line as BUCKET."""

TYPED = [
    # The three error lines of the issue, typed key by key as written.
    ("early-eof", "exit status 128: fatal: early EOF", EARLY_EOF),
    ("connection-refused", "dial tcp 10.0.3.44:9000: connect: connection refused", BUCKET),
    ("deadline", "context deadline exceeded", TIMEOUT),
    ("pq-auth", 'pq: password authentication failed for user "sg"', PQ_AUTH),
    # Words found only in an "Error messages" section; Material's default boosts and
    # separator rank other pages first for each of these.
    ("curl-18", "curl 18 transfer closed with outstanding read data remaining", EARLY_EOF),
    ("io-timeout", "dial tcp 203.0.113.25:443: i/o timeout", PROXY),
    (
        "migration",
        "failed to apply migration 1680273941",
        ("kb/upgrades/migrator-relation-repo-does-not-exist/"),
    ),
    # Only words before colons: Material's query syntax alone drops all of them.
    ("address-only", "10.0.3.44:9000:", BUCKET),
]
PASTED = [
    # Whole log lines from the customer's own system: their repository, user and upload
    # names differ from the article's, and quotes and `\"` are part of the line.
    (
        "gitserver-line",
        'gitserver-0 | lvl=eror msg="clone failed" repo=github.example.com/acme/payments'
        ' error="error cloning repo: repo github.example.com/acme/payments not cloneable:'
        ' exit status 128: fatal: early EOF"',
        EARLY_EOF,
    ),
    (
        "pq-line",
        'frontend-1  | lvl=crit msg="Fatal error during startup" error="failed to connect to'
        ' frontend database: pq: password authentication failed for user \\"acme_app\\""',
        PQ_AUTH,
    ),
    (
        "upload-line",
        'precise-code-intel-worker-1  | lvl=eror msg="failed to upload index"'
        ' error="RequestError: send request failed\\ncaused by: Put'
        ' \\"http://10.0.3.44:9000/lsif-uploads/upload-9120.lsif.gz\\":'
        ' dial tcp 10.0.3.44:9000: connect: connection refused"',
        BUCKET,
    ),
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


BACKENDS = ["material", "pagefind"]


def config_with_search(tmp: Path, backend: str) -> Path:
    """This repository's mkdocs.yml with `site.search` set, written under `tmp`."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs\n", f"docs_dir: {ROOT / 'docs'}\n", 1)
    marker = "      articles_dir: kb\n"
    assert marker in text
    text = text.replace(marker, marker + f"      site: {{search: {backend}}}\n", 1)
    path = tmp / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def serve(site: Path) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module", params=BACKENDS)
def site_url(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    if request.param == "pagefind":
        pytest.importorskip("pagefind_bin_extended", reason="needs kbtools[pagefind]")
    root = tmp_path_factory.mktemp(f"repo-site-{request.param}")
    config = config_with_search(root, request.param)
    site = root / "site"
    assert main(["build", "--audience", "public", "-f", str(config), "-d", str(site)]) == 0
    assert (site / "pagefind").is_dir() == (request.param == "pagefind")
    server, thread = serve(site)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory, site_url: str) -> Path:
    return tmp_path_factory.mktemp("search-screenshots")


@pytest.fixture(scope="module")
def browser_page(site_url: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
        )
        page = context.new_page()
        try:
            yield page
        finally:
            browser.close()


LISTEN = (
    "() => { window.kbHeard = []; document.addEventListener('kb:search-results',"
    " e => window.kbHeard.push(e.detail)) }"
)
ANSWERED = (
    "() => (window.kbHeard || []).some(d => d.query ==="
    " document.querySelector('input.md-search__input').value)"
)


def open_search(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.evaluate(LISTEN)
    page.click("input.md-search__input")


def results(page: Any) -> list[str]:
    """The result links, best first, once the answer to the whole query has been drawn."""
    # Each keystroke is a query; wait for the answer to the last one (both backends
    # announce their answers), then for the list to stop changing.
    page.wait_for_function(ANSWERED, timeout=30000)
    page.wait_for_selector(".md-search-result__item > a", timeout=15000)
    previous: list[str] = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        hrefs: list[str] = page.eval_on_selector_all(
            ".md-search-result__item > a", "links => links.map(a => a.href)"
        )
        current = [h.split("?", 1)[0] for h in hrefs]
        if current and current == previous:
            return current
        previous = current
    return previous


def check_first_result(
    page: Any, site_url: str, name: str, expected: str, shots: Path
) -> list[str]:
    found = results(page)
    page.screenshot(path=str(shots / f"{name}-results.png"))
    assert found, f"no results for {name}"
    assert found[0] == site_url + expected, found[:5]
    page.click(".md-search-result__item > a")
    page.wait_for_url(f"{site_url}{expected}**")
    resolution = page.locator("h2#resolution")
    resolution.scroll_into_view_if_needed()
    assert resolution.is_visible()
    page.screenshot(path=str(shots / f"{name}-article.png"))
    return found


@pytest.mark.parametrize(("name", "query", "expected"), TYPED, ids=[t[0] for t in TYPED])
def test_typed_error_message_finds_the_article_first(
    browser_page: Any, site_url: str, screenshots: Path, name: str, query: str, expected: str
) -> None:
    page = browser_page
    open_search(page, site_url)
    page.keyboard.type(query)
    found = check_first_result(page, site_url, name, expected, screenshots)
    # The internal article quoting the same error is not in the public site at all.
    assert not [h for h in found if INTERNAL in h]


@pytest.mark.parametrize(("name", "line", "expected"), PASTED, ids=[t[0] for t in PASTED])
def test_pasted_log_line_finds_the_article_first(
    browser_page: Any, site_url: str, screenshots: Path, name: str, line: str, expected: str
) -> None:
    page = browser_page
    open_search(page, site_url)
    page.evaluate("text => navigator.clipboard.writeText(text)", line)
    page.keyboard.press("Control+V")
    assert page.input_value("input.md-search__input") == line
    check_first_result(page, site_url, name, expected, screenshots)


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        ("exit status 128: fatal: early EOF", "exit status 128  fatal  early EOF"),
        ('for user \\"sg\\"', "for user   sg  "),
        ("failed\\ncaused by", "failed ncaused by"),
        ("-bash: helm: command not found", "bash  helm  command not found"),
        ("Error: unknown flag: --set-string", "Error  unknown flag  set-string"),
        ("cat ~/.kube/config", "cat  /.kube/config"),
        # Deliberate query syntax keeps its meaning.
        (
            "title:helm -password +oidc helm~1 tags:git^2",
            "title:helm -password +oidc helm~1 tags:git^2",
        ),
    ],
)
def test_search_script_turns_query_syntax_of_log_lines_into_words(
    browser_page: Any, site_url: str, query: str, sent: str
) -> None:
    page = browser_page
    if not page.url.startswith(site_url):
        page.goto(site_url)
    assert page.evaluate("q => window.kbSearchQuery(q)", query) == sent


def test_results_are_announced_to_other_scripts(browser_page: Any, site_url: str) -> None:
    """Both backends announce each answer as a `kb:search-results` event (the seam for
    scripts that add to the results), in the shape of Material's search worker."""
    page = browser_page
    open_search(page, site_url)
    query = "exit status 128: fatal: early EOF"
    page.keyboard.type(query)
    page.wait_for_function("q => window.kbHeard.some(d => d.query === q)", arg=query)
    found = results(page)
    heard = page.evaluate("q => window.kbHeard.filter(d => d.query === q)", query)
    first = page.evaluate(
        "location => new URL(location, document.baseURI).href", heard[-1]["items"][0][0]["location"]
    )
    assert first.split("?", 1)[0] == found[0] == site_url + EARLY_EOF, (first, found[:3])
