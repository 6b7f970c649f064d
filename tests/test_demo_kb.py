"""The repository's own docs: the demo KB keeps the mix other tests rely on and lints clean."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kbtools import config
from kbtools.article.schema import SECTIONS, is_published_public
from kbtools.document import Document, load_document

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def pages() -> dict[str, Document]:
    site = config.load(ROOT / "mkdocs.yml")
    docs = site.docs_dir
    return {
        p.relative_to(docs).as_posix(): load_document(
            p, p.relative_to(ROOT).as_posix(), site.toc, docs_path=p.relative_to(docs).as_posix()
        )
        for p in sorted(docs.rglob("*.md"))
    }


def articles(pages: dict[str, Document]) -> dict[str, Document]:
    return {
        rel: doc
        for rel, doc in pages.items()
        if rel.startswith("kb/") and rel.rsplit("/", 1)[-1] != "index.md"
    }


def test_demo_kb_has_the_promised_mix(pages: dict[str, Document]) -> None:
    kb = articles(pages)
    metas = [doc.meta for doc in kb.values()]
    ids = [m["id"] for m in metas]
    assert len(kb) >= 14
    assert len(set(ids)) == len(ids)
    assert sum(is_published_public(m) for m in metas) >= 9
    assert sum(m["visibility"] == "internal" for m in metas) >= 3
    statuses = Counter(m["status"] for m in metas)
    assert statuses["draft"] >= 2 and statuses["archived"] >= 1
    types = Counter(m["type"] for m in metas)
    assert types["known-issue"] >= 2 and types["how-to"] >= 2 and types["faq"] >= 1
    site = config.load(ROOT / "mkdocs.yml")
    for rel, doc in kb.items():
        assert rel.split("/")[1] == doc.meta["product_area"], rel
        assert doc.meta["product_area"] in site.kb.product_areas, rel
        h2 = [h.text for h in doc.headings if h.level == 2]
        assert h2 == [s for s in SECTIONS[doc.meta["type"]] if s in h2], rel
        assert not [h for h in doc.headings if h.level == 1], rel


def test_kb_lint_passes_on_this_repository(capsys: pytest.CaptureFixture[str]) -> None:
    # Dogfood: the docs other tests and demos rely on stay clean under every check.
    from kbtools.cli import main

    code = main(
        ["lint", "-f", str(ROOT / "mkdocs.yml"), "--fail-on", "warning", "--style", "builtin"]
    )
    assert code == 0, capsys.readouterr().out
