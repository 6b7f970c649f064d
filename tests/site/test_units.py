"""Unit tests of the site modules: front matter reading, audiences, links, pages, search."""

from __future__ import annotations

import re

import pytest

from kbtools.site import audience
from kbtools.site.catalog import Article, PageMeta, error_messages, read_page, to_article
from kbtools.site.layout import Layout
from kbtools.site.links import ExcludedTargets, unlink
from kbtools.site.pages import AREA_LISTED, home_page, known_issues_page, md_escape, version_key
from kbtools.site.related import related_articles
from kbtools.site.render import error_messages_as_code
from kbtools.site.tuning import SEPARATOR

ARTICLE = """---
title: Clone fails
visibility: public
status: published
type: troubleshooting
---

## Error messages

Seen in the gitserver logs:

- `exit status 128: fatal: early EOF`
- fatal: index-pack failed

```text
error: RPC failed; curl 18 transfer closed
```

## Cause

- not an error line
"""


def test_error_messages_come_from_list_items_and_code_in_that_section_only() -> None:
    page = read_page("kb/clone.md", ARTICLE)
    assert error_messages(page.body) == [
        "exit status 128: fatal: early EOF",
        "fatal: index-pack failed",
        "error: RPC failed; curl 18 transfer closed",
    ]


def test_error_list_items_become_separate_escaped_code_blocks() -> None:
    out = error_messages_as_code("## Error messages\n\n- `a <b> & c`\n- d\n\n## Cause\n\n- e\n")
    assert re.findall(r"<code>(.*?)</code>", out) == ["a &lt;b&gt; &amp; c", "d"]
    assert out.rstrip().endswith("- e")


def test_broken_front_matter_is_flagged_and_kept_out_of_the_public_build() -> None:
    page = read_page("kb/x.md", "---\ntitle: [unclosed\nvisibility: public\n---\n\n# X\n")
    assert page.broken_front_matter
    assert not audience.includes(page.meta, "public", is_article=False, broken_front_matter=True)


@pytest.mark.parametrize(
    ("meta", "is_article", "public", "internal"),
    [
        ({"visibility": "public", "status": "published"}, True, True, True),
        ({"visibility": "internal", "status": "published"}, True, False, True),
        ({"visibility": "public", "status": "draft"}, True, False, True),
        ({"visibility": "public", "status": "archived"}, True, False, False),
        ({}, False, True, True),  # a handbook page without front matter
        ({}, True, False, True),  # an article nobody classified: not public
        ({"visibility": "internal"}, False, False, True),
    ],
)
def test_audience_table(
    meta: dict[str, str], is_article: bool, public: bool, internal: bool
) -> None:
    assert audience.includes(meta, "public", is_article=is_article) is public
    assert audience.includes(meta, "internal", is_article=is_article) is internal


def test_forced_audience_wins_and_is_restored() -> None:
    with audience.forced("internal"):
        assert audience.effective("public") == "internal"
    assert audience.effective("public") == "public"


def test_unlink_resolves_urls_and_source_paths() -> None:
    targets = ExcludedTargets(["kb/secret/"], ["kb/secret.md"])
    html = (
        '<p><a href="../secret/">one</a> <a href="../secret/#cause">two</a> '
        '<a href="../open/">three</a> <a href="https://x.test/kb/secret/">four</a></p>'
    )
    out = unlink(html, targets, "kb/page/", "kb/page.md")
    assert out == (
        '<p>one two <a href="../open/">three</a> <a href="https://x.test/kb/secret/">four</a></p>'
    )
    raw = unlink('<a href="secret.md">raw</a>', targets, "kb/page/", "kb/page.md")
    assert raw == "raw"


def test_known_issues_sorted_by_version_newest_first() -> None:
    layout = Layout("kb")
    meta = {"type": "known-issue", "title": "A | B", "versions": {"affected": ["5.9", "5.10"]}}
    article = to_article(PageMeta("kb/a.md", meta, ""))
    page = known_issues_page(layout, [article], tables=True)
    assert page.index("## 5.10") < page.index("## 5.9")
    assert "| [A \\| B](a.md) | Open | not yet |" in page
    assert version_key("5.10") > version_key("5.9")
    assert md_escape("a_b*[c]") == "a\\_b\\*\\[c\\]"


def test_home_caps_each_area_and_links_to_all_of_it() -> None:
    def art(i: int, area: str) -> Article:
        meta = {"title": f"Article {i:02d}", "product_area": area, "created": f"2026-01-{i:02d}"}
        return to_article(PageMeta(f"kb/{area}/a{i:02d}.md", meta, ""))

    big = [art(i, "search") for i in range(1, AREA_LISTED + 4)]
    small = [art(20, "auth")]
    page = home_page(Layout("kb"), [*big, *small], ["auth", "search"])
    auth, search = page.split("### [Search](areas/search/index.md)")
    assert "### [Auth](areas/auth/index.md)\n\n- [Article 20](auth/a20.md)\n" in auth
    listed = search[: search.index("## Newest")]
    assert listed.count("- [Article") == AREA_LISTED
    assert f"- [All {AREA_LISTED + 3} articles in Search](areas/search/index.md)" in listed
    assert page.startswith("---\nsearch:\n  exclude: true\n")
    assert f"{AREA_LISTED + 4} articles." in page and "1 articles" not in page


def test_related_ranks_shared_errors_above_shared_tags() -> None:
    def art(name: str, **meta: object) -> Article:
        return to_article(PageMeta(f"kb/{name}.md", dict(meta), ""))

    base = art("base", tags=["git"], services=["gitserver"])
    same_tag = art("tag", tags=["git"])
    same_service = art("service", services=["gitserver"])
    alone = art("alone", tags=["other"])
    related = related_articles([base, same_tag, same_service, alone], limit=5)
    assert [a.src_uri for a in related["kb/base.md"]] == ["kb/service.md", "kb/tag.md"]
    assert related["kb/alone.md"] == []


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "dial tcp 10.0.3.44:9000: connect: connection refused",
            ["dial", "tcp", "10.0.3.44", "9000", "connect", "connection", "refused"],
        ),
        ("exit status 128: fatal: early EOF", ["exit", "status", "128", "fatal", "early", "EOF"]),
        ("code = DeadlineExceeded desc", ["code", "Deadline", "Exceeded", "desc"]),
        ('error="pq: i/o timeout" (v5.2.1).', ["error", "pq", "i/o", "timeout", "v5.2.1"]),
        (
            'send request failed\\ncaused by: Put \\"http://blobstore:9000/x\\"',
            ["send", "request", "failed", "ncaused", "by", "Put", "http", "//blobstore", "9000/x"],
        ),
    ],
)
def test_search_separator_splits_log_punctuation(text: str, tokens: list[str]) -> None:
    assert [t for t in re.split(SEPARATOR, text) if t] == tokens
