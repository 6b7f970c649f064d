"""End to end at scale: a 2,000-article KB (benchmarks/site_scale.py's generator) built with
the default search (`site.search: auto`, which picks Pagefind at that size); three error
lines copied from one article's "Error messages" section and pasted into the search box
land on that article first."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.site_scale import configure, error_query, generate
from kbtools.cli import main
from tests.site.test_search_browser import ARGS, open_search, results, serve

CHROMIUM = Path(os.environ.get("KB_TEST_CHROMIUM", "/usr/bin/chromium"))
ARTICLES = 2000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="session")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    pytest.importorskip("pagefind_bin_extended", reason="needs kbtools[pagefind]")
    root = tmp_path_factory.mktemp("kb-2000")
    generate(root, ARTICLES, seed=42)
    configure(root, "kb")
    site = root / "site"
    assert (
        main(["build", "--audience", "public", "-f", str(root / "mkdocs.yml"), "-d", str(site)])
        == 0
    )
    # The default backend at this size.
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    server, thread = serve(site)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root / "docs"
    finally:
        server.shutdown()
        thread.join()


def test_three_pasted_error_lines_find_their_article_first(large_site: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    url, docs = large_site
    lines, expected = error_query(docs)
    assert lines.count("\n") == 2
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page: Any = context.new_page()
        try:
            open_search(page, url)
            page.evaluate("text => navigator.clipboard.writeText(text)", lines)
            page.keyboard.press("Control+V")
            found = results(page)
        finally:
            browser.close()
    assert found and found[0] == url + expected, found[:5]
