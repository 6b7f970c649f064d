"""The error panel (issue 17) on the triage set: the same ranking in Python and in the browser.

Two sites are built once for this module, public audience: this repository's docs (the demo
KB) and a copy of the Argo CD docs of tests/fixtures/triage/argo-cd with a minimal
mkdocs.yml written the way an adopter's looks after `kb init` (Material, search, kb, the
Markdown extensions the pages need), since Argo CD's own names plugins this machine does not
have. Then:

- parity: every `public: true` case but the Zendesk exports, of both labelled sets, through
  `kb triage --audience public` (Python) and through kb-error-panel.js in node over the built
  `kb-error/` index: the same top-3;
- browser: every case pasted into the search box of the built site in Chromium; the panel's
  links scored like `kb triage` (tests/triage/scoring.py) and compared with it (cases.yml;
  `KB_ERROR_PANEL_SET=tests/fixtures/triage/heldout.yml` measures another set);
- ordinary word queries get no panel and the theme's results.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kbtools.cli import main
from kbtools.project import Project
from kbtools.triage.query import parse_query
from kbtools.triage.search import search

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "triage"))

from scoring import CASES, HELDOUT, Case, Ranked, load_cases, score  # noqa: E402

from tests.site.test_search_browser import ARGS, CHROMIUM  # noqa: E402

NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("error_panel_node.js")
ARGO_DOCS = ROOT / "tests" / "fixtures" / "triage" / "argo-cd" / "docs"
MINIMAL_MKDOCS_YML = """\
site_name: Argo CD
theme:
  name: material
markdown_extensions:
  - admonition
  - toc:
      permalink: true
  - pymdownx.superfences
plugins:
  - search
  - kb
"""
TOP = 3
PARITY = 0.95
TOP3_TARGET = 0.85
TOP1_TARGET = 0.65

pytestmark = [pytest.mark.slow]


@dataclass(frozen=True)
class Site:
    config: Path
    folder: Path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    """The demo docs and the Argo CD copy, each built once for the public audience."""
    root = tmp_path_factory.mktemp("error-panel")
    demo = root / "demo-site"
    assert (
        main(["build", "--audience", "public", "-f", str(ROOT / "mkdocs.yml"), "-d", str(demo)])
        == 0
    )
    argo = root / "argo-cd"
    shutil.copytree(ARGO_DOCS, argo / "docs")
    (argo / "mkdocs.yml").write_text(MINIMAL_MKDOCS_YML, encoding="utf-8")
    assert (
        main(
            [
                "build",
                "--audience",
                "public",
                "-f",
                str(argo / "mkdocs.yml"),
                "-d",
                str(argo / "site"),
            ]
        )
        == 0
    )
    return {
        "demo": Site(ROOT / "mkdocs.yml", demo),
        "argo-cd": Site(argo / "mkdocs.yml", argo / "site"),
    }


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return public_pastes(Path(os.environ.get("KB_ERROR_PANEL_SET", CASES)))


def public_pastes(path: Path) -> list[Case]:
    """What a customer could paste into the public site's search box: a public answer, and
    not a Zendesk ticket export (that is what support engineers give `kb triage`)."""
    return [c for c in load_cases(path) if c.public and c.kind != "zendesk"]


@pytest.fixture(scope="module")
def python_top(sites: dict[str, Site], cases: list[Case]) -> dict[str, Ranked]:
    return kb_triage_top(sites, cases)


def kb_triage_top(sites: dict[str, Site], cases: list[Case]) -> dict[str, Ranked]:
    """`kb triage --audience public` on each case, against the site it was built from."""
    projects = {name: Project.load(str(site.config)) for name, site in sites.items()}
    result = {}
    for case in cases:
        found = search(projects[case.corpus], case.text, audience="public", top=TOP)
        result[case.id] = Ranked(tuple((m.path, m.anchor) for m in found.matches), found.abstained)
    return result


def node_top(site: Site, texts: list[str]) -> list[Ranked]:
    assert NODE, "node is needed for the parity test"
    done = subprocess.run(
        [NODE, str(HARNESS), str(site.folder), str(TOP)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        Ranked(tuple((m["path"], m["anchor"]) for m in r["matches"]), r["abstained"])
        for r in json.loads(done.stdout)
    ]


def agreement(
    a: dict[str, Ranked], b: dict[str, Ranked], cases: list[Case]
) -> tuple[float, list[str]]:
    differ = [c.id for c in cases if a[c.id].results[:TOP] != b[c.id].results[:TOP]]
    return 1 - len(differ) / len(cases), differ


@pytest.mark.skipif(NODE is None, reason="needs node")
@pytest.mark.parametrize("labelled", [CASES, HELDOUT], ids=lambda p: p.stem)
def test_node_ranks_like_kb_triage(sites: dict[str, Site], labelled: Path) -> None:
    cases = public_pastes(labelled)
    python_top = kb_triage_top(sites, cases)
    js: dict[str, Ranked] = {}
    for name, site in sites.items():
        mine = [c for c in cases if c.corpus == name]
        for case, ranked in zip(mine, node_top(site, [c.text for c in mine]), strict=True):
            js[case.id] = ranked
    share, differ = agreement(python_top, js, cases)
    # The version tie-breaker is not ported: any other difference is a bug of the port.
    by_id = {c.id: c for c in cases}
    unexplained = [d for d in differ if not parse_query(by_id[d].text).versions]
    assert not unexplained, [(d, python_top[d], js[d]) for d in unexplained]
    assert share >= PARITY, differ


def test_index_holds_the_units_kb_triage_ranks(sites: dict[str, Site]) -> None:
    manifest = json.loads((sites["argo-cd"].folder / "kb-error" / "manifest.json").read_text())
    rules = (sites["argo-cd"].folder / "kb-error" / "rules.json").read_text()
    assert rules == (ROOT / "kbtools" / "match" / "rules.json").read_text()
    assert manifest["units"] > 2000
    assert len(manifest["unit_length"]) == manifest["units"]
    assert (sites["argo-cd"].folder / "assets" / "javascripts" / "kb-error-panel.js").is_file()


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def servers(sites: dict[str, Site]) -> Iterator[dict[str, str]]:
    started = []
    urls = {}
    for name, site in sites.items():
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.folder))
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, thread))
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield urls
    finally:
        for server, thread in started:
            server.shutdown()
            thread.join()


@pytest.fixture(scope="module")
def page(servers: dict[str, str]) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
        )
        tab = context.new_page()
        try:
            yield tab
        finally:
            browser.close()


def paste(page: Any, text: str) -> dict[str, Any]:
    """Paste `text` into the search box; the panel's state once it answered."""
    box = "input.md-search__input"
    page.click(box)
    page.fill(box, "")
    before = page.evaluate("() => window.kbErrorPanel.generation")
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.keyboard.press("Control+V")
    page.wait_for_function(
        "n => window.kbErrorPanel.generation > n"
        " && window.kbErrorPanel.done === window.kbErrorPanel.generation",
        arg=before,
        timeout=20000,
    )
    state: dict[str, Any] = page.evaluate("() => ({...window.kbErrorPanel})")
    state["links"] = page.eval_on_selector_all(
        ".kb-error-panel__link",
        "links => links.map(a => [a.dataset.kbPath, a.dataset.kbAnchor || null, a.href])",
    )
    return state


def theme_results(page: Any, site_url: str, locations: dict[str, tuple[str, str | None]]) -> Ranked:
    """Material's own results (the first link of each item), once the list stops changing."""
    previous: list[str] | None = None
    for _ in range(16):
        page.wait_for_timeout(250)
        hrefs: list[str] = page.eval_on_selector_all(
            ".md-search-result__item > a", "links => links.map(a => a.href)"
        )
        if hrefs and hrefs == previous:
            break
        previous = hrefs
    found = []
    for href in previous or []:
        rel = href.removeprefix(site_url).split("?", 1)[0]
        page_url, _, anchor = rel.partition("#")
        if page_url in locations:
            found.append((locations[page_url][0], anchor or None))
    return Ranked(tuple(found[:TOP]))


def unit_locations(site: Site) -> dict[str, tuple[str, str | None]]:
    """Published page URL -> (path, None), from the error index's own unit rows."""
    result: dict[str, tuple[str, str | None]] = {}
    for block in sorted((site.folder / "kb-error" / "u").glob("*.json")):
        for row in json.loads(block.read_text(encoding="utf-8")):
            result.setdefault(row[6].split("#", 1)[0], (row[0], None))
    return result


@pytest.mark.browser
def test_pasted_errors_in_chromium(
    page: Any,
    servers: dict[str, str],
    sites: dict[str, Site],
    cases: list[Case],
    python_top: dict[str, Ranked],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    shots = tmp_path_factory.mktemp("error-panel-shots")
    browser: dict[str, Ranked] = {}
    theme: dict[str, Ranked] = {}
    times: list[int] = []
    slowest: list[tuple[int, str]] = []
    for corpus, url in servers.items():
        locations = unit_locations(sites[corpus])
        page.goto(url)
        page.wait_for_function("() => window.kbErrorPanel !== undefined")
        for case in [c for c in cases if c.corpus == corpus]:
            state = paste(page, case.text)
            links = [(path, anchor) for path, anchor, _ in state["links"]]
            browser[case.id] = Ranked(tuple(links), not state["shown"])
            times.append(state["ms"])
            slowest.append((state["ms"], case.id))
            theme[case.id] = theme_results(page, url, locations)
            if case.id in ("demo-pq-password-compose", "argo-repo-x509"):
                page.screenshot(path=str(shots / f"{case.id}.png"))
    ours = score(cases, lambda c: browser[c.id])
    theirs = score(cases, lambda c: python_top[c.id])
    baseline = score(cases, lambda c: theme[c.id])
    share, differ = agreement(python_top, browser, cases)
    report = {
        "browser": ours.summary(),
        "kb triage": theirs.summary(),
        "theme search (baseline)": baseline.summary(),
        "same top-3": share,
        "differ": differ,
        "median ms": sorted(times)[len(times) // 2],
        "max ms": max(times),
        "over 300 ms": sum(1 for t in times if t > 300),
        "slowest": sorted(slowest, reverse=True)[:5],
    }
    print(json.dumps(report, indent=2))
    assert share >= PARITY, report
    if theirs.top3_rate < TOP3_TARGET or theirs.top1_rate < TOP1_TARGET:
        pytest.xfail(f"kb triage itself is under the targets on these cases: {report}")
    assert ours.top3_rate >= TOP3_TARGET, report
    assert ours.top1_rate >= TOP1_TARGET, report


@pytest.mark.browser
@pytest.mark.parametrize("query", ["sso", "upgrade", "helm"])
def test_word_queries_keep_the_theme_search(page: Any, servers: dict[str, str], query: str) -> None:
    page.goto(servers["demo"])
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item > a", timeout=15000)
    page.wait_for_function(
        "() => window.kbErrorPanel.done === window.kbErrorPanel.generation", timeout=10000
    )
    assert page.evaluate("() => window.kbErrorPanel.shown") is False
    assert page.query_selector(".kb-error-panel") is None


@pytest.mark.browser
@pytest.mark.parametrize("how", ["paste", "type"])
def test_the_theme_results_follow_the_panel_for_an_error(
    page: Any, servers: dict[str, str], how: str
) -> None:
    """The theme's keyup waits while the panel ranks, then goes on: both lists show."""
    page.goto(servers["demo"])
    page.wait_for_function("() => window.kbErrorPanel !== undefined")
    error = 'FATAL:  password authentication failed for user "sg"'
    if how == "paste":
        state = paste(page, f"{error}\n{error}")
    else:
        page.click("input.md-search__input")
        page.keyboard.type(error)
        page.wait_for_function(
            "() => window.kbErrorPanel.done === window.kbErrorPanel.generation", timeout=10000
        )
        state = page.evaluate("() => ({...window.kbErrorPanel})")
    assert state["shown"] is True
    page.wait_for_selector(".md-search-result__item > a", timeout=15000)
    assert page.query_selector(".kb-error-panel .kb-error-panel__link") is not None
    shown = page.eval_on_selector(".md-search-result__meta", "meta => meta.textContent")
    assert "matching" in shown.lower() or any(ch.isdigit() for ch in shown), shown
