"""The first search on a built site, measured in headless Chromium: bytes downloaded for
search and time to the first result.

    python benchmarks/first_search.py SITE_DIR "query" [--json]

Serves SITE_DIR on 127.0.0.1, opens the home page in a fresh browser (empty cache), pastes the
query into Material's search box (Ctrl+V) once the page has loaded, and waits for the first
result. Counted: every response that serves search (Material's index and worker, Pagefind's
script, WebAssembly, index chunks and fragments, the kb query scripts), from opening the page
to the first result (Material downloads its index on page load, Pagefind on the first query).
`bytes` is what Chromium received (body and headers, from Playwright's request sizes), from
a server that gzips text files as static hosts (GitHub Pages, Netlify) do; Pagefind's index
files are gzip already. `uncompressed_bytes` is the same responses decoded.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LISTEN = (
    "() => { window.kbHeard = []; document.addEventListener('kb:search-results',"
    " e => window.kbHeard.push(e.detail.query)) }"
)
ANSWERED = "() => window.kbHeard.includes(document.querySelector('input.md-search__input').value)"
SEARCH_PARTS = ("/search/", "/workers/", "/pagefind/", "kb-search.js", "kb-pagefind.js")


COMPRESSED_TYPES = (".html", ".js", ".json", ".css", ".xml", ".svg")


class _GzipHandler(SimpleHTTPRequestHandler):
    """Serves text files gzip-compressed when the browser asks, as static hosts do."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSED_TYPES):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def is_search(url: str) -> bool:
    return any(part in url for part in SEARCH_PARTS)


def measure(site: Path, query: str, *, typed: bool = False) -> dict[str, Any]:
    """Bytes and milliseconds of the first search of `query` on the site in `site`, pasted
    (or `typed` key by key, each keystroke a query, 50 ms apart)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_GzipHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    bodies: list[tuple[str, bytes]] = []
    sent: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
            page = context.new_page()

            def record(response: Any) -> None:
                # A redirect or an aborted response has no body.
                if is_search(response.url):
                    with contextlib.suppress(Exception):
                        bodies.append((response.url, response.body()))
                        sizes = response.request.sizes()
                        sent.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])

            page.on("response", record)
            opened = time.monotonic()
            page.goto(url, wait_until="load")
            page.evaluate(LISTEN)
            page.click("input.md-search__input")
            page.evaluate("text => navigator.clipboard.writeText(text)", query)
            started = time.monotonic()
            if typed:
                page.keyboard.type(query, delay=50)
            else:
                page.keyboard.press("Control+V")
            # The answer to the whole query (both backends announce theirs), then its list.
            page.wait_for_function(ANSWERED, timeout=120_000)
            page.wait_for_selector(".md-search-result__item > a", timeout=120_000)
            done = time.monotonic()
            first = page.eval_on_selector(".md-search-result__item > a", "a => a.href")
            page.wait_for_timeout(500)  # responses still arriving for the shown results
            browser.close()
    finally:
        server.shutdown()
        thread.join()
    largest = max(bodies, key=lambda item: len(item[1]), default=("", b""))
    return {
        "requests": len(bodies),
        "bytes": sum(sent),
        "uncompressed_bytes": sum(len(body) for _, body in bodies),
        "largest": largest[0].removeprefix(url),
        "ms_from_typing": round(1000 * (done - started)),
        "ms_from_open": round(1000 * (done - opened)),
        "first_result": first.removeprefix(url),
        "files": {u.removeprefix(url): len(b) for u, b in bodies},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("query")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--type", action="store_true", help="type key by key instead of pasting")
    args = parser.parse_args()
    result = measure(args.site, args.query, typed=args.type)
    print(json.dumps(result, indent=2) if args.json else result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
