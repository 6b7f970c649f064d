"""This repository's docs, built for each audience: the KB home is generated, not hand-kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools import config
from kbtools.article.schema import is_published_public
from kbtools.cli import main
from kbtools.document import load_document

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    cache: dict[str, Path] = {}

    def build(audience: str) -> Path:
        if audience not in cache:
            site = tmp_path_factory.mktemp(f"repo-{audience}") / "site"
            args = [
                "build",
                "--audience",
                audience,
                "-f",
                str(ROOT / "mkdocs.yml"),
                "-d",
                str(site),
            ]
            assert main(args) == 0
            cache[audience] = site
        return cache[audience]

    return build


def demo_articles() -> dict[str, dict[str, object]]:
    """Article URL (relative to kb/) -> front matter, for every article of the demo KB."""
    site = config.load(ROOT / "mkdocs.yml")
    out = {}
    for path in sorted((site.docs_dir / "kb").rglob("*.md")):
        if path.name == "index.md":
            continue
        doc = load_document(path, path.relative_to(ROOT).as_posix(), site.toc)
        out[path.relative_to(site.docs_dir / "kb").with_suffix("").as_posix()] = doc.meta
    return out


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_kb_home_lists_each_article_once_under_its_area(
    repo_site: Callable[[str], Path], audience: str
) -> None:
    html = (repo_site(audience) / "kb/index.html").read_text(encoding="utf-8")
    home = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    expected = {
        url: meta
        for url, meta in demo_articles().items()
        if meta["status"] != "archived" and (audience == "internal" or is_published_public(meta))
    }
    # The hand-written intro is kept and links to no article: the lists are generated.
    intro = home[: home.index('id="product-areas"')]
    assert "Acme Search is not a real product." in intro
    assert not [url for url in expected if f'href="{url}/"' in intro]
    block = home[home.index('id="product-areas"') : home.index('id="newest"')]
    parts = re.split(r'<h3 id="[^"]*"><a href="areas/([a-z-]+)/">', block)[1:]
    listed = {
        url: area
        for area, items in zip(parts[::2], parts[1::2], strict=True)
        for url in re.findall(r'<li><a href="([^"]+)/">', items)
    }
    assert listed == {url: meta["product_area"] for url, meta in expected.items()}
    newest = home[home.index('id="newest"') : home.index('id="recently-updated"')]
    assert re.findall(r'<li><a href="([^"]+)/">', newest)
    assert re.findall(r'<li><a href="([^"]+)/">', home[home.index('id="recently-updated"') :])
