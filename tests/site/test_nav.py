"""An explicit `nav` in mkdocs.yml: kept as written, with excluded pages dropped and the KB
pages it cannot name (generated pages, new articles) added after the KB home.

Most tests use the `articles` layout (every article in the nav); the last ones the default
`areas` layout (areas in the nav, articles reached from their area page)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from kbtools.cli import main

KB = [
    "kb/",
    "kb/known-issues/",
    "kb/tags/",
    "kb/areas/install/",
    "kb/git-clone-early-eof/",
    "kb/areas/upgrades/",
    "kb/upgrade-5-1-migration-stuck/",
    "kb/areas/storage/",
    "kb/object-storage-connection-refused/",
    "kb/areas/search/",
    "kb/search-context-deadline/",
]
_NEXT_RE = re.compile(r'<a href="([^"]*)" class="md-footer__link md-footer__link--next"')


def build(project: Path, nav: str, audience: str = "public", layout: str = "articles") -> Path:
    """Build the fixture with `nav` and footer links; returns the site directory."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "    - navigation.indexes\n", "    - navigation.indexes\n    - navigation.footer\n"
    )
    text = text.replace(
        "      articles_dir: kb\n", f"      articles_dir: kb\n      site: {{kb_nav: {layout}}}\n"
    )
    config.write_text(text + nav, encoding="utf-8")
    site = project / "site"
    assert main(["build", "--audience", audience, "-f", str(config), "-d", str(site)]) == 0
    return site


def nav_order(site: Path) -> list[str]:
    """Every page in nav order, read by following the "Next" footer links from the home."""
    order = [""]
    while len(order) < 100:
        html = (site / order[-1] / "index.html").read_text(encoding="utf-8")
        found = _NEXT_RE.search(html)
        if found is None:
            return order
        order.append(urljoin("http://x/" + order[-1], found.group(1))[len("http://x/") :])
    raise AssertionError(f"the next links loop: {order}")


def sidebar(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return html[html.index('<nav class="md-nav md-nav--primary"') : html.index("<article")]


def test_top_level_kb_home_gets_a_section_with_generated_pages_and_articles(
    kb_project: Path,
) -> None:
    nav = "nav:\n  - index.md\n  - guide/install.md\n  - Support articles: kb/index.md\n"
    site = build(kb_project, nav)
    assert nav_order(site) == ["", "guide/install/", *KB]
    side = sidebar(site, "kb/object-storage-connection-refused")
    assert "Support articles" in side and "Known issues" in side
    assert '<a href="../areas/storage/"' in side


def test_pages_the_nav_names_stay_put_and_excluded_ones_go(kb_project: Path) -> None:
    nav = (
        "nav:\n  - index.md\n  - Knowledge base:\n      - kb/index.md\n"
        "      - kb/search-context-deadline.md\n  - guide/install.md\n"
        "  - handbook/escalation.md\n  - kb/internal-pgbouncer-pool.md\n"
    )
    public = nav_order(build(kb_project, nav))
    featured = "kb/search-context-deadline/"
    rest = [u for u in KB if u != featured]
    # The listed article keeps its place after the home and is not repeated in its area;
    # the internal pages the nav names are gone.
    assert public == ["", "kb/", featured, *rest[1:], "guide/install/"]


def test_internal_build_keeps_internal_pages_where_the_nav_puts_them(kb_project: Path) -> None:
    nav = (
        "nav:\n  - index.md\n  - Knowledge base:\n      - kb/index.md\n"
        "  - handbook/escalation.md\n  - kb/internal-pgbouncer-pool.md\n"
    )
    order = nav_order(build(kb_project, nav, audience="internal"))
    assert order[-2:] == ["handbook/escalation/", "kb/internal-pgbouncer-pool/"]
    assert order.count("kb/internal-pgbouncer-pool/") == 1
    # The internal draft and its tag are added; the archived article is not.
    assert "kb/draft-zoekt-oom/" in order and "kb/archived-redis-eviction/" not in order


def test_nav_without_the_kb_home_is_left_alone(
    kb_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kb"):
        site = build(kb_project, "nav:\n  - index.md\n  - guide/install.md\n")
    assert nav_order(site) == ["", "guide/install/"]
    assert (site / "kb/areas/storage/index.html").is_file()
    assert "the nav does not name 'kb/index.md'" in caplog.text


def test_nav_links_written_as_urls_to_excluded_pages_go(kb_project: Path) -> None:
    nav = (
        "nav:\n  - index.md\n  - Knowledge base: kb/index.md\n"
        "  - Escalation rota: handbook/escalation/\n"
        "  - Pool reset: /kb/internal-pgbouncer-pool/\n"
        "  - Vendor docs: https://docs.example.com/\n"
    )
    site = build(kb_project, nav)
    side = sidebar(site, "kb/git-clone-early-eof")
    assert "Escalation rota" not in side and "Pool reset" not in side
    assert 'href="https://docs.example.com/"' in side


AREAS_KB = ["kb/", "kb/known-issues/", "kb/tags/", *[u for u in KB if u.startswith("kb/areas/")]]


@pytest.mark.parametrize(
    "nav", ["", "nav:\n  - index.md\n  - guide/install.md\n  - Support articles: kb/index.md\n"]
)
def test_areas_layout_lists_areas_and_articles_carry_breadcrumbs_and_pager(
    kb_project: Path, nav: str
) -> None:
    site = build(kb_project, nav, layout="areas")
    order = nav_order(site)
    assert [u for u in order if u.startswith("kb/")] == AREAS_KB
    article = (site / "kb/git-clone-early-eof/index.html").read_text(encoding="utf-8")
    side = sidebar(site, "kb/git-clone-early-eof")
    # No article in the sidebar: only the areas and the generated pages.
    assert "Git clone" not in side and '<a href="../areas/storage/"' in side
    crumbs = article[article.index('class="kb-breadcrumbs"') :].split("</nav>")[0]
    assert 'href="../"' in crumbs and 'href="../areas/install/"' in crumbs
    area = (site / "kb/areas/install/index.html").read_text(encoding="utf-8")
    assert 'href="../../git-clone-early-eof/"' in area


def test_areas_layout_pager_walks_an_area_in_the_order_of_its_page(kb_project: Path) -> None:
    docs = kb_project / "docs/kb"
    text = (docs / "git-clone-early-eof.md").read_text(encoding="utf-8")
    (docs / "git-clone-early-eof-2.md").write_text(
        text.replace("id: KB-", "id: KB-9").replace("title: ", "title: Zz ", 1), encoding="utf-8"
    )
    site = build(kb_project, "", layout="areas")
    first = (site / "kb/git-clone-early-eof/index.html").read_text(encoding="utf-8")
    second = (site / "kb/git-clone-early-eof-2/index.html").read_text(encoding="utf-8")
    assert 'rel="next" href="../git-clone-early-eof-2/"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="../git-clone-early-eof/"' in second and 'rel="next"' not in second
