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


TRICKY = """---
title: x
---
# Title \\# with *emphasis* and `code`

Setext heading
--------------

## Title # with emphasis and code

## [Linked][ref] heading <span>tag</span>

Some text <a id="inline-id"></a> and <a name="named"></a>.

<div id="block-id">
<p name="p-name">x</p>
</div>

!!! note

    ## Heading in an admonition

    ```
    ## not a heading
    ```

## Setext heading

[ref]: other.md
"""


def test_anchors_only_parse_equals_the_full_parse() -> None:
    from kbtools.document import anchors_of

    for toc in (TOC, TocSettings(slugify=slugify, separator="_", attr_list=True)):
        full = parse_document(TRICKY, Path("x.md"), "docs/x.md", toc).anchors
        assert anchors_of(TRICKY, toc) == full
        sep = toc.separator
        assert {f"setext{sep}heading", f"setext{sep}heading_1", "inline-id", "block-id"} <= full


def test_front_matter_of_reads_only_the_front_matter() -> None:
    from kbtools.document import front_matter_of

    assert front_matter_of("---\nvisibility: internal\n---\n# x\n") == {"visibility": "internal"}
    assert front_matter_of("# no front matter\n") == {}
    assert front_matter_of("---\nkey: [unclosed\n---\n") == {}
