"""The public build leaks nothing: every output file is searched for sentinel strings.

Each category of article (public, internal, draft, archived) carries its own sentinels in
its title, body, error messages, tags, file name and an attachment; `tickets` and `owner`
carry sentinels in every category. After `kb build --audience public`, every file under
site/ (gzip files decompressed) is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.cli import main
from tests.site.conftest import read_all

CATEGORIES = {
    "public": ("public", "published"),
    "internal": ("internal", "published"),
    "draft": ("public", "draft"),
    "archived": ("public", "archived"),
}
FIELDS = ("title", "body", "error", "tag", "slug", "attachment")


def sentinel(category: str, field: str) -> str:
    """A token no real text contains, that survives HTML escaping and search tokenizing."""
    return f"zq{category}{field}sentinel"


def private(category: str, field: str) -> str:
    return f"zq{category}{field}private"


def write_article(docs: Path, category: str) -> None:
    visibility, status = CATEGORIES[category]
    s = {f: sentinel(category, f) for f in FIELDS}
    slug = f"{category}-{s['slug']}"
    (docs / "kb" / f"{s['attachment']}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    # The public article links to every other one, with neutral link text.
    others = [o for o in CATEGORIES if o != category] if category == "public" else []
    links = "".join(
        f"\n\nAlso see [another article]({o}-{sentinel(o, 'slug')}.md)." for o in others
    )
    (docs / "kb" / f"{slug}.md").write_text(
        f"""---
id: KB-09{len(category):02d}
title: Sync stops with {s["title"]}
summary: The sync worker stops.
type: troubleshooting
product_area: storage
visibility: {visibility}
status: {status}
versions:
  affected: ["5.2"]
services: [gitserver]
tags: [{s["tag"]}, storage]
tickets: [{private(category, "ticket")}]
owner: {private(category, "owner")}
created: 2026-10-01
---

## Problem

The sync worker stops: {s["body"]}.

![diagram]({s["attachment"]}.png)

## Error messages

- `fatal: {s["error"]} failed`

## Cause

Unknown.

## Resolution

Restart the worker.{links}
""",
        encoding="utf-8",
    )


@pytest.fixture(params=["auto-nav", "explicit-nav"])
def leak_site(kb_project: Path, request: pytest.FixtureRequest) -> Path:
    docs = kb_project / "docs"
    for category in CATEGORIES:
        write_article(docs, category)
    config = kb_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "    - navigation.indexes\n", "    - navigation.indexes\n    - navigation.footer\n"
    )
    if request.param == "explicit-nav":
        # MkDocs keeps excluded pages named in an explicit nav; the plugin must drop them.
        pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
        text += "nav:\n" + "".join(f"  - {p}\n" for p in pages)
    config.write_text(text, encoding="utf-8")
    site = kb_project / "site"
    assert main(["build", "--audience", "public", "-f", str(config), "-d", str(site)]) == 0
    return site


def test_public_build_leaks_no_internal_draft_or_archived_sentinel(leak_site: Path) -> None:
    files = read_all(leak_site)
    everything = "\n".join(f"{name}\n{text}" for name, text in files.items())
    for category in ("internal", "draft", "archived"):
        for field in FIELDS:
            token = sentinel(category, field)
            holders = [name for name, text in files.items() if token in text or token in name]
            assert not holders, f"{token} leaked into {holders}"
    for category in CATEGORIES:
        for field in ("ticket", "owner"):
            assert private(category, field) not in everything
    for field in FIELDS:
        assert sentinel("public", field) in everything, field


def test_public_article_pages_and_search_carry_public_sentinels(leak_site: Path) -> None:
    files = read_all(leak_site)
    article = next(name for name in files if sentinel("public", "slug") in name)
    for field in ("title", "body", "error", "tag"):
        assert sentinel("public", field) in files[article]
    index = files["search/search_index.json"]
    for field in ("title", "body", "error"):
        assert sentinel("public", field) in index
