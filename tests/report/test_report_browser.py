"""The HTML report and the internal site's KB health page in headless Chromium: the SVG
charts render with a real size, and the links work. Screenshots are saved as artifacts
under the pytest temp dir (the path is printed), or in $KB_SCREENSHOT_DIR when set."""

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
from tests.report.conftest import EPOCH, build_history

CHROMIUM = Path(os.environ.get("KB_TEST_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    root = build_history(tmp_path / "kb-repo").root
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(root)
    assert main(["report", "--format", "html", "-o", "out/health.html"]) == 0
    assert main(["build", "--audience", "internal", "-d", str(root / "site")]) == 0
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        thread.join()


def chart_boxes(page: Any) -> list[dict[str, float]]:
    boxes: list[dict[str, float]] = page.eval_on_selector_all(
        "svg.kb-chart",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " const s = e.querySelector('.kb-series, .kb-bar').getBBox();"
        " return {width: r.width, height: r.height, inner: s.width * s.height}; })",
    )
    return boxes


def test_report_page_and_health_page_render_charts_and_links(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = served
    shots = Path(os.environ.get("KB_SCREENSHOT_DIR") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            # The standalone page: two charts with a real size, anchors and article links.
            page.goto(base + "out/health.html")
            boxes = chart_boxes(page)
            assert len(boxes) == 2
            assert all(b["width"] > 100 and b["height"] > 50 and b["inner"] > 0 for b in boxes)
            assert page.locator("svg.kb-chart polyline").count() == 3
            page.click("nav >> text=Stale")
            assert page.url.endswith("#stale")
            hrefs = page.eval_on_selector_all("td a", "as => as.map(a => a.href)")
            assert base + "docs/kb/search-timeout-large-repos.md" in hrefs
            for href in set(hrefs):
                assert page.request.get(href).status == 200, href
            page.screenshot(path=str(shots / "report-html.png"), full_page=True)

            # The internal site's KB health page, reached from the KB section's nav.
            page.goto(base + "site/kb/")
            page.click(".md-nav--primary >> text=KB health")
            page.wait_for_url("**/kb/health/")
            boxes = chart_boxes(page)
            assert len(boxes) == 2 and all(b["width"] > 100 and b["inner"] > 0 for b in boxes)
            page.screenshot(path=str(shots / "health-page.png"), full_page=True)
            page.click("article li > a >> text=KB-0001 Search times out on large repositories")
            page.wait_for_url("**/kb/search-timeout-large-repos/")
            assert "Search times out on large repositories" in page.title()
        finally:
            browser.close()
    print(f"screenshots: {shots}")
