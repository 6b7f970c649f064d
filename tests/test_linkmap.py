"""linkmap: URL mapping, resolution corner cases and the may-link prefilter."""

from __future__ import annotations

import pytest

from kbtools.linkmap import SiteMap, Status, checkable_fragment, may_link_to

FILES = {"index.md", "a/index.md", "a/b.md", "a/b/c.md", "x.md", "img/p.png", "d/README.md"}


def test_urls_follow_use_directory_urls() -> None:
    site = SiteMap(files=set(FILES))
    assert [site.url_of(p) for p in ("index.md", "a/index.md", "a/b.md", "d/README.md")] == [
        "",
        "a/",
        "a/b/",
        "d/",
    ]
    flat = SiteMap(files=set(FILES), use_directory_urls=False)
    assert flat.url_of("a/b.md") == "a/b.html"
    assert flat.url_of("a/index.md") == "a/index.html"


def test_readme_is_dropped_when_index_exists() -> None:
    site = SiteMap(files={"index.md", "README.md"})
    assert site.resolve_target("index.md", "README.md").status is Status.OK
    assert site.excluded == {"README.md"}


@pytest.mark.parametrize(
    ("page", "target", "status", "path"),
    [
        ("a/b/c.md", "..", Status.OK, "a/b.md"),  # c is served at a/b/c/, so .. is a/b/
        ("a/b/c.md", "../../", Status.OK, "a/index.md"),
        ("a/b.md", "./", Status.OK, "a/b.md"),
        ("a/b.md", "../img/p.png", Status.OK, "img/p.png"),
        ("a/b.md", "../../up.md", Status.OUTSIDE, "../up.md"),
        ("x.md", "A/B.md", Status.CASE, "A/B.md"),
        ("x.md", "?q=1", Status.SKIP, ""),
        ("x.md", "data:image/png;base64,xx", Status.SKIP, ""),
        ("x.md", "//cdn.example.com/x.js", Status.SKIP, ""),
    ],
)
def test_resolution(page: str, target: str, status: Status, path: str) -> None:
    result = SiteMap(files=set(FILES)).resolve_target(page, target)
    assert (result.status, result.path) == (status, path)


def test_fragments_that_are_not_ids() -> None:
    assert checkable_fragment(":~:text=hello") == ""
    assert checkable_fragment("setup:~:text=x") == "setup"
    assert checkable_fragment("L10-L20") == ""
    assert checkable_fragment("l10") == "l10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[a](b.md)", True),
        ("[a](../b/)", True),
        ('<a href="b">', True),
        ("[r]: b.md", True),
        ("just a b here", False),
        ("[a](bb.md) [c](a-b.md)", False),
    ],
)
def test_prefilter_never_misses_a_link(text: str, expected: bool) -> None:
    site = SiteMap(files=set(FILES))
    assert may_link_to(site, "x.md", text, "a/b.md") is expected
    # Pages inside the target's URL folder can reach it with ../ alone.
    assert may_link_to(site, "a/b/c.md", "[up](../)", "a/b.md") is True
