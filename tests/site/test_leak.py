"""The public build leaks nothing: every output file is searched for sentinel strings.

Each category of article (public, internal, draft, archived) carries its own sentinels in
its title, summary, body, error messages, tags, product area, affected and fixed versions,
file name and an attachment; `tickets` and `owner` carry sentinels in every category. After
`kb build --audience public`, every file under site/ (gzip files decompressed) is read: HTML
pages, their nav and previous/next links, the search index, sitemap.xml and .gz, tag pages,
the generated home, area and known-issues pages, the 404 page, and the error panel's index
(kb-error/: term shards, line texts, units). Each of those outputs is
also checked to hold the public sentinels, so that none of the checks can pass by missing.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kbtools.cli import main
from kbtools.report.page import MARKER as HEALTH_MARKER
from tests.site.conftest import read_all

CATEGORIES = {
    "public": ("public", "published"),
    "internal": ("internal", "published"),
    "draft": ("public", "draft"),
    "archived": ("public", "archived"),
}
EXCLUDED = ("internal", "draft", "archived")
FIELDS = ("title", "summary", "body", "error", "tag", "area", "affected", "fixed", "slug")
FILE_FIELDS = ("attachment",)
PRIVATE = ("ticket", "owner")
NAVS = ("auto-nav", "explicit-nav", "explicit-home-only")


def sentinel(category: str, field: str) -> str:
    """A token no real text contains, that survives HTML escaping and search tokenizing."""
    return f"zq{category}{field}sentinel"


def private(category: str, field: str) -> str:
    return f"zq{category}{field}private"


def slug(category: str) -> str:
    return f"{category}-{sentinel(category, 'slug')}"


def write_article(docs: Path, category: str) -> None:
    visibility, status = CATEGORIES[category]
    s = {f: sentinel(category, f) for f in (*FIELDS, *FILE_FIELDS)}
    (docs / "kb" / f"{s['attachment']}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    # The public article links to every other one, with neutral link text.
    others = [o for o in CATEGORIES if o != category] if category == "public" else []
    links = "".join(f"\n\nAlso see [another article]({slug(o)}.md)." for o in others)
    (docs / "kb" / f"{slug(category)}.md").write_text(
        f"""---
id: KB-09{len(category):02d}
title: Sync stops with {s["title"]}
summary: The sync worker stops, {s["summary"]}.
type: known-issue
product_area: {s["area"]}
visibility: {visibility}
status: {status}
versions:
  affected: ["{s["affected"]}"]
  fixed: "{s["fixed"]}"
services: [gitserver]
tags: [{s["tag"]}, storage]
tickets: [{private(category, "ticket")}]
owner: {private(category, "owner")}
created: 2026-10-01
updated: 2026-10-{len(category):02d}
---

## Problem

The sync worker stops: {s["body"]}.

![diagram]({s["attachment"]}.png)

## Error messages

- `fatal: {s["error"]} failed`

## Affected versions

All.

## Workaround

Restart the worker.{links}

## Status

Fixed.
""",
        encoding="utf-8",
    )


def write_config(project: Path, nav: str) -> Path:
    docs = project / "docs"
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "    - navigation.indexes\n", "    - navigation.indexes\n    - navigation.footer\n"
    )
    if nav == "explicit-nav":
        # MkDocs keeps excluded pages named in an explicit nav; the plugin must drop them,
        # and nav entries written as URLs to them too.
        pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
        text += "nav:\n  - kb/index.md\n" + "".join(f"  - {p}\n" for p in pages)
        text += "".join(f"  - Link {c}: kb/{slug(c)}/\n" for c in CATEGORIES)
    elif nav == "explicit-home-only":
        # Every article and generated page is added to the nav by the plugin.
        text += "nav:\n  - index.md\n  - Knowledge base: kb/index.md\n"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(params=NAVS)
def leak_project(kb_project: Path, request: pytest.FixtureRequest) -> tuple[Path, str]:
    for category in CATEGORIES:
        write_article(kb_project / "docs", category)
    return write_config(kb_project, request.param), request.param


ENGINES = [
    pytest.param(
        name,
        marks=pytest.mark.skipif(
            importlib.util.find_spec(name) is None,
            reason=f"{name} is not installed (pip install 'kbtools[{name}]')",
        ),
    )
    for name in ("mkdocs", "properdocs", "zensical")
]
SEARCH_INDEX = {
    "mkdocs": "search/search_index.json",
    "properdocs": "search/search_index.json",
    "zensical": "search.json",
}


def with_search(config: Path, backend: str) -> Path:
    """The same project built with `site.search` set to `backend`."""
    text = config.read_text(encoding="utf-8")
    marker = "      articles_dir: kb\n"
    assert marker in text
    config.write_text(
        text.replace(marker, marker + f"      site: {{search: {backend}}}\n", 1), encoding="utf-8"
    )
    return config


def build(config: Path, audience: str, engine: str = "mkdocs") -> dict[str, str]:
    site = config.parent / f"site-{audience}-{engine}"
    args = ["build", "--audience", audience, "--engine", engine, "-f", str(config), "-d", str(site)]
    assert main(args) == 0
    return read_all(site)


def holders(files: dict[str, str], token: str) -> list[str]:
    return [name for name, text in files.items() if token in text or token in name]


@pytest.mark.parametrize("engine", ENGINES)
def test_public_build_leaks_no_internal_draft_or_archived_sentinel(
    leak_project: tuple[Path, str], engine: str
) -> None:
    config, _ = leak_project
    files = build(config, "public", engine)
    assert SEARCH_INDEX[engine] in files and "sitemap.xml" in files
    for category in EXCLUDED:
        for field in (*FIELDS, *FILE_FIELDS):
            token = sentinel(category, field)
            assert not holders(files, token), f"{token} leaked into {holders(files, token)}"
    for category in CATEGORIES:
        for field in PRIVATE:
            token = private(category, field)
            assert not holders(files, token), f"{token} leaked into {holders(files, token)}"
    for field in (*FIELDS, *FILE_FIELDS):
        assert holders(files, sentinel("public", field)), field
    # The "KB health" page (ticket counts, review dates) is for the internal site only.
    assert not holders(files, HEALTH_MARKER), holders(files, HEALTH_MARKER)
    assert not holders(files, "kb/health"), holders(files, "kb/health")
    assert not holders(files, "KB health"), holders(files, "KB health")


def test_every_output_holds_the_public_sentinels(leak_project: tuple[Path, str]) -> None:
    config, nav = leak_project
    files = build(config, "public")
    s = {f: sentinel("public", f) for f in (*FIELDS, *FILE_FIELDS)}
    article = files[f"kb/{slug('public')}/index.html"]
    for field in ("title", "body", "error", "tag", "affected", "fixed"):
        assert s[field] in article, field
    assert f"{s['attachment']}.png" in article
    if nav == "explicit-nav":
        # The nav names the article: the sidebar and previous/next links carry its title.
        sidebar = article[
            article.index('class="md-nav md-nav--primary"') : article.index("<article")
        ]
        assert s["title"] in sidebar
        footer = re.compile(
            f'class="md-footer__link[^"]*" aria-label="(?:Previous|Next): [^"]*{s["title"]}"'
        )
        assert [name for name, text in files.items() if footer.search(text)]
    else:
        # The `areas` layout: the sidebar lists the areas; the article carries breadcrumbs.
        crumbs = article[article.index('class="kb-breadcrumbs"') :].split("</nav>")[0]
        assert s["area"] in crumbs
    index = files["search/search_index.json"]
    for field in ("title", "body", "error"):
        assert s[field] in index, field
    for sitemap in ("sitemap.xml", "sitemap.xml.gz"):
        assert f"kb/{slug('public')}/" in files[sitemap], sitemap
    assert s["title"] in files[f"kb/tags/{s['tag']}/index.html"]
    assert s["tag"] in files["kb/tags/index.html"]
    home = files["kb/index.html"]
    assert s["title"] in home and s["area"] in home
    area = files[f"kb/areas/{s['area']}/index.html"]
    assert s["title"] in area and s["summary"] in area
    known = files["kb/known-issues/index.html"]
    assert s["affected"] in known and s["fixed"] in known
    assert "md-nav--primary" in files["404.html"]
    if nav == "explicit-nav":
        # A flat nav is drawn on every page, the 404 page included.
        assert s["title"] in files["404.html"]
    # The error panel's index (kb-error/): its terms, line texts and units are searched too.
    shards = {name: text for name, text in files.items() if name.startswith("kb-error/")}
    for folder, fields in (
        ("t/", ("title", "body", "error")),
        ("l/", ("error",)),
        ("u/", ("title",)),
    ):
        part = {n: t for n, t in shards.items() if n.startswith(f"kb-error/{folder}")}
        for field in fields:
            assert holders(part, s[field]), (folder, field)
    # Links from the public article to the others are text now, not links.
    content = article[article.index("<article") : article.index("</article>")]
    assert content.count("Also see another article.") == len(EXCLUDED)


def test_private_fields_render_only_in_the_internal_build(
    leak_project: tuple[Path, str],
) -> None:
    config, _ = leak_project
    files = build(config, "internal")
    for category in ("public", "internal", "draft"):
        page = files[f"kb/{slug(category)}/index.html"]
        for field in PRIVATE:
            assert private(category, field) in page, (category, field)
    for field in (*FIELDS, *FILE_FIELDS):
        assert not holders(files, sentinel("archived", field)), field
    # The health page is there, in the KB section's nav, and lists the internal article.
    health = files["kb/health/index.html"]
    assert HEALTH_MARKER in health
    assert sentinel("internal", "title") in health
    assert not [name for name, text in files.items() if sentinel("archived", "title") in text]
    sidebar = health[health.index('class="md-nav md-nav--primary"') : health.index("<article")]
    assert "KB health" in sidebar
    # The internal error panel covers internal articles.
    lines = {n: t for n, t in files.items() if n.startswith("kb-error/l/")}
    assert holders(lines, sentinel("internal", "error"))
    assert holders(lines, sentinel("public", "error"))


WRITER_TEXT = ("kb new", "kb lint", "kb init", "kb serve", "pull request", "CONTRIBUTING")


def test_the_scaffold_public_site_has_no_writer_text_and_no_example(tmp_path: Path) -> None:
    """`kb init`'s public site speaks to customers only; the example article stays internal."""
    from kbtools.scaffold import scaffold

    scaffold(tmp_path)
    site = tmp_path / "public"
    assert main(["build", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(site)]) == 0
    files = read_all(site)
    assert "index.html" in files and "search/search_index.json" in files
    for text in WRITER_TEXT:
        assert not holders(files, text), text
    assert not holders(files, "example-article")
    assert not holders(files, "connect: connection refused")  # the example's error message
    # The home still says what customers can do there.
    assert "Search for your error" in files["index.html"]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_publishes_the_public_sentinels(
    leak_project: tuple[Path, str], engine: str
) -> None:
    """The engine-neutral half of the check above: each output kind holds the public page."""
    config, _ = leak_project
    files = build(config, "public", engine)
    s = {f: sentinel("public", f) for f in (*FIELDS, *FILE_FIELDS)}
    article = files[f"kb/{slug('public')}/index.html"]
    for field in ("title", "body", "error", "tag", "affected", "fixed"):
        assert s[field] in article, field
    assert f"{s['attachment']}.png" in article
    index = files[SEARCH_INDEX[engine]]
    for field in ("title", "body", "error"):
        assert s[field] in index, field
    assert f"kb/{slug('public')}/" in files["sitemap.xml"]
    assert s["title"] in files[f"kb/tags/{s['tag']}/index.html"]
    assert s["title"] in files["kb/index.html"]
    assert s["title"] in files[f"kb/areas/{s['area']}/index.html"]
    assert s["fixed"] in files["kb/known-issues/index.html"]
    content = article[article.index("<article") : article.index("</article>")]
    assert content.count("Also see another article.") == len(EXCLUDED)


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None, reason="zensical not installed")
def test_plain_zensical_build_leaks_and_kb_build_does_not(kb_project: Path) -> None:
    """Zensical reads mkdocs.yml and skips the kb plugin: the raw tree publishes everything."""
    for category in CATEGORIES:
        write_article(kb_project / "docs", category)
    config = kb_project / "mkdocs.yml"
    subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", str(config)],
        cwd=kb_project,
        check=True,
        capture_output=True,
    )
    raw = read_all(kb_project / "site")
    token = sentinel("internal", "body")
    assert holders(raw, token), "plain zensical build no longer leaks: revisit the guard"
    staged = build(config, "public", "zensical")
    for category in EXCLUDED:
        for field in (*FIELDS, *FILE_FIELDS):
            token = sentinel(category, field)
            assert not holders(staged, token), f"{token} leaked into {holders(staged, token)}"
    assert holders(staged, sentinel("public", "body"))


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_internal_build_leaves_archived_out(kb_project: Path, engine: str) -> None:
    for category in CATEGORIES:
        write_article(kb_project / "docs", category)
    files = build(write_config(kb_project, "auto-nav"), "internal", engine)
    for field in (*FIELDS, *FILE_FIELDS):
        assert not holders(files, sentinel("archived", field)), field
    for category in ("public", "internal", "draft"):
        assert holders(files, sentinel(category, "body")), category
        assert private(category, "ticket") in files[f"kb/{slug(category)}/index.html"]


def pagefind_files(files: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in files.items() if name.startswith("pagefind/")}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("nav", "engine"),
    [("auto-nav", "mkdocs"), ("explicit-nav", "mkdocs"), ("auto-nav", "properdocs")],
    ids=["auto-nav-mkdocs", "explicit-nav-mkdocs", "auto-nav-properdocs"],
)
def test_pagefind_index_holds_the_audience_only(kb_project: Path, nav: str, engine: str) -> None:
    pytest.importorskip("pagefind_bin_extended", reason="needs kbtools[pagefind]")
    if importlib.util.find_spec(engine) is None:
        pytest.skip(f"{engine} is not installed")
    for category in CATEGORIES:
        write_article(kb_project / "docs", category)
    config = with_search(write_config(kb_project, nav), "pagefind")
    public = build(config, "public", engine)
    index = pagefind_files(public)
    fragments = {n: t for n, t in index.items() if n.endswith(".pf_fragment")}
    words = {n: t for n, t in index.items() if n.endswith(".pf_index")}
    assert fragments and words, sorted(index)
    # The decompressed fragments hold the public article's text and the index its words, so
    # the absence checks below cannot pass by reading compressed bytes.
    for field in ("title", "body", "error"):
        token = sentinel("public", field)
        assert holders(fragments, token), field
        assert holders(words, token), field
    for category in EXCLUDED:
        for field in (*FIELDS, *FILE_FIELDS):
            token = sentinel(category, field)
            assert not holders(public, token), f"{token} leaked into {holders(public, token)}"
    for category in CATEGORIES:
        for field in PRIVATE:
            token = private(category, field)
            assert not holders(public, token), f"{token} leaked into {holders(public, token)}"
    # Material's own index is left empty: its bundle downloads it on every page.
    assert sentinel("public", "title") not in public["search/search_index.json"]

    internal = pagefind_files(build(config, "internal", engine))
    for category in ("public", "internal", "draft"):
        assert holders(internal, sentinel(category, "body")), category
    assert not holders(internal, sentinel("archived", "body"))
