"""The Document model: front matter, headings and anchors, links with positions, code ranges."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from kbtools.config import TocSettings
from kbtools.document import DocumentError, load_document, parse_document

TOC = TocSettings(slugify=slugify, separator="-", attr_list=True)


def parse(text: str, toc: TocSettings = TOC):  # type: ignore[no-untyped-def]
    return parse_document(text, Path("x.md"), "docs/x.md", toc)


def at(text: str, line: int, column: int, length: int) -> str:
    return text.split("\n")[line - 1][column - 1 : column - 1 + length]


def test_front_matter_is_split_and_lines_keep_counting_from_the_file_top() -> None:
    text = "---\nid: KB-0001\ntitle: T\n---\n\n## Problem\n\nSee [x](y.md).\n"
    doc = parse(text)
    assert doc.front_matter == {"id": "KB-0001", "title": "T"}
    assert doc.body_line == 5
    assert doc.key_line("title") == 3
    assert [(h.text, h.line) for h in doc.headings] == [("Problem", 6)]
    link = doc.links[0]
    assert (link.line, link.column) == (8, 5)
    assert at(text, link.line, link.column, 9) == "[x](y.md)"


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        ("- a\n- b\n", "must be a mapping", 2),
        ("a: 1\na: 2\n", "not valid YAML", 3),
        ("a: 1\n\tb: 2\n", "not valid YAML", 3),
    ],
)
def test_broken_front_matter_is_reported_with_its_line(front: str, message: str, line: int) -> None:
    doc = parse(f"---\n{front}---\nbody\n")
    assert doc.front_matter is None
    assert doc.front_matter_error is not None
    assert message in doc.front_matter_error.message
    assert doc.front_matter_error.line == line


def test_unterminated_front_matter() -> None:
    doc = parse("---\ntitle: x\n\n# Heading\n")
    assert doc.front_matter_error is not None
    assert "never ends" in doc.front_matter_error.message


def test_bom_and_crlf_are_normalized(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff---\r\ntitle: T\r\n---\r\n\r\n## Heading\r\n".encode())
    doc = load_document(path, "a.md", TOC)
    assert doc.front_matter == {"title": "T"}
    assert doc.headings[0].line == 5


def test_binary_and_invalid_utf8_raise_document_errors(tmp_path: Path) -> None:
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(DocumentError, match="binary"):
        load_document(binary, "b.md", TOC)
    bad = tmp_path / "c.md"
    bad.write_bytes(b"line one\nbad \xff byte\n")
    with pytest.raises(DocumentError, match="invalid UTF-8") as info:
        load_document(bad, "c.md", TOC)
    assert (info.value.line, info.value.column) == (2, 5)


def test_heading_anchors_follow_python_markdown_toc() -> None:
    doc = parse(
        "# Install `kb` on Linux\n\n## Dup\n\n## Dup\n\n## Custom {#my-id}\n\n"
        "## Ünïcode & *emphasis*\n\n## Dup\n"
    )
    assert [h.anchor for h in doc.headings] == [
        "install-kb-on-linux",
        "dup",
        "dup_1",
        "my-id",
        "unicode-emphasis",
        "dup_2",
    ]


def test_attr_list_ids_are_literal_text_without_the_extension() -> None:
    toc = TocSettings(slugify=slugify, separator="-", attr_list=False)
    doc = parse("## Custom {#my-id}\n", toc)
    assert doc.headings[0].anchor == "custom-my-id"


def test_custom_slugify_and_separator() -> None:
    from pymdownx.slugs import slugify as pymdownx_slugify

    toc = TocSettings(slugify=pymdownx_slugify(case="lower"), separator="_", attr_list=False)
    doc = parse("## Größe ändern\n", toc)
    assert doc.headings[0].anchor == "größe_ändern"


def test_links_of_every_kind_with_exact_positions() -> None:
    text = (
        "Intro [inline](a.md#frag) and ![alt](img/x.png) and <https://example.com/p>.\n"
        "\n"
        'Raw <a href="raw.md">r</a> and [ref][label].\n'
        "\n"
        "[label]: ref.md#sec\n"
        "\n"
        "| col | col |\n"
        "| --- | --- |\n"
        "| [cell](cell.md) | x |\n"
    )
    doc = parse(text)
    found = {(link.kind, link.target): (link.line, link.column) for link in doc.links}
    assert found[("link", "a.md#frag")] == (1, 7)
    assert found[("image", "img/x.png")] == (1, 31)
    assert found[("autolink", "https://example.com/p")] == (1, 53)
    assert found[("html", "raw.md")] == (3, 14)
    assert found[("link", "ref.md#sec")] == (3, 32)
    assert found[("definition", "ref.md#sec")] == (5, 1)
    assert found[("link", "cell.md")] == (9, 3)


def test_links_in_code_are_not_links_and_code_ranges_are_known() -> None:
    text = "Use `[x](no.md)` here.\n\n```md\n[y](no2.md)\n```\n\n    [z](no3.md)\n"
    doc = parse(text)
    assert doc.links == []
    assert {4, 3, 5, 7} <= doc.code_lines
    assert doc.is_code(1, 6)
    assert not doc.is_code(1, 1)


def test_admonition_bodies_are_markdown_not_code() -> None:
    text = (
        '!!! note "Heads up"\n    See [inside](inside.md).\n\n    ```\n    [code](c.md)\n    ```\n'
    )
    doc = parse(text)
    assert [(link.target, link.line, link.column) for link in doc.links] == [("inside.md", 2, 9)]
    assert 5 in doc.code_lines


def test_html_ids_count_as_anchors() -> None:
    doc = parse('<a id="top"></a>\n\n<span name="legacy">x</span>\n\n## Real\n')
    assert {"top", "legacy", "real"} <= doc.anchors


def test_html_comments_are_collected_for_pragmas() -> None:
    doc = parse("text\n<!-- kb-lint disable links -->\nmore\n")
    assert [(c.text, c.line) for c in doc.comments] == [("kb-lint disable links", 2)]


@pytest.mark.slow
def test_large_file_parses(tmp_path: Path) -> None:
    block = "## Section {n}\n\nSome text with a [link](page{n}.md) and `code`.\n\n"
    path = tmp_path / "big.md"
    path.write_text("".join(block.format(n=i) for i in range(80_000)))
    assert path.stat().st_size > 5_000_000
    doc = load_document(path, "big.md", TOC)
    assert len(doc.headings) == 80_000
    assert len(doc.links) == 80_000
