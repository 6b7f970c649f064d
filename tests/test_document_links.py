"""Document link extraction details the links check relies on."""

from __future__ import annotations

from pathlib import Path

from markdown.extensions.toc import slugify

from kbtools.config import TocSettings
from kbtools.document import parse_document

TOC = TocSettings(slugify=slugify)


def links(text: str) -> list[tuple[str, str, int, int, bool]]:
    doc = parse_document(text, Path("x.md"), "docs/x.md", TOC, docs_path="x.md")
    return [(link.kind, link.target, link.line, link.column, link.reference) for link in doc.links]


def test_reference_style_links_and_images_are_marked() -> None:
    text = (
        "[inline](a.md) [full][r] [collapsed][] [r] ![img](i.png) ![rimg][i]\n\n"
        "[r]: b.md\n[collapsed]: c.md\n[i]: i.png\n"
    )
    assert links(text) == [
        ("link", "a.md", 1, 1, False),
        ("link", "b.md", 1, 16, True),
        ("link", "c.md", 1, 26, True),
        ("link", "b.md", 1, 40, True),
        ("image", "i.png", 1, 44, False),
        ("image", "i.png", 1, 58, True),
        ("definition", "b.md", 3, 1, False),
        ("definition", "c.md", 4, 1, False),
        ("definition", "i.png", 5, 1, False),
    ]


def test_links_in_code_are_not_links() -> None:
    text = "`[a](x.md)`\n\n```\n[b](y.md)\n```\n\n    [c](z.md)\n\n[d](ok.md)\n"
    assert links(text) == [("link", "ok.md", 9, 1, False)]
