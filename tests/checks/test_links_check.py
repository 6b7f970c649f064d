"""LinksCheck: each rule and each way of writing a link, on small doc trees in temp dirs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kbtools.checks.links import LinksCheck
from kbtools.findings import Finding
from kbtools.lint.runner import run_lint
from kbtools.project import Project

CONFIG = "site_name: t\n"


def lint(tmp_path: Path, files: dict[str, str], config: str = CONFIG) -> list[Finding]:
    """Write mkdocs.yml and docs/ files, run only the links check, return its findings."""
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith((".png", ".gif", ".html", ".txt")):
            path.write_bytes(b"x")
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    project = Project.load(str(tmp_path / "mkdocs.yml"))
    return run_lint(project, checks=[LinksCheck()]).findings


def brief(findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.path, f.line, f.column) for f in findings]


TREE = {
    "index.md": "# Home\n",
    "other.md": "# Other\n\n## Setup steps\n\n## Setup steps\n",
    "sub/index.md": "# Sub\n",
    "sub/page.md": "# Page\n",
    "img/logo.png": "",
    "files/report.html": "",
}


@pytest.mark.parametrize(
    ("page", "line"),
    [
        ("index.md", "[a](other.md)"),
        ("index.md", "[a](./other.md#setup-steps)"),
        ("index.md", "[a](other.md#setup-steps_1)"),
        ("index.md", "[a](sub/)"),
        ("index.md", "[a](sub/index.md)"),
        ("index.md", "[a](sub/page.md)"),
        ("index.md", "[a](sub/page/)"),
        ("index.md", "[a](files/report.html)"),
        ("index.md", "![logo](img/logo.png)"),
        ("index.md", "[a](mailto:help@example.com) [b](https://example.com/x.md) [c](tel:123)"),
        ("index.md", "<https://example.com/missing.md> <mailto:a@example.com>"),
        ("index.md", "[a](#home) [b](#)"),
        ("index.md", "[a]({{ config.site_url }}x/) [b]({% url 'x' %})"),
        ("index.md", "[a][ref]\n\n[ref]: other.md#setup-steps"),
        ("index.md", '<a href="other/">x</a> <img src="img/logo.png">'),
        ("index.md", "[a](/other/) [b](/sub/page/) ![c](/img/logo.png) [d](/)"),
        ("index.md", "[text fragment](other.md#:~:text=Setup) [line](other.md#L10-L20)"),
        ("index.md", "`[a](missing.md)`\n\n```\n[b](missing.md)\n```\n"),
        ("index.md", "!!! note\n\n    ```\n    [b](missing.md)\n    ```\n"),
        ("sub/page.md", "[a](../other.md) [b](../../other/) [c](index.md) [d](../)"),
        ("sub/page.md", '![a](../img/logo.png) <img src="../../img/logo.png">'),
        ("sub/index.md", '[a](../other/) <img src="../img/logo.png"> [b](page.md)'),
        ("other.md", "[a](#setup-steps) [b](#setup-steps_1)"),
    ],
)
def test_valid_links_give_no_findings(tmp_path: Path, page: str, line: str) -> None:
    files = dict(TREE)
    files[page] = files[page] + "\n" + line + "\n"
    assert brief(lint(tmp_path, files)) == []


@pytest.mark.parametrize(
    ("line", "rule", "column", "suggestion"),
    [
        ("[a](othr.md)", "links.broken", 1, "other.md"),
        ("[a](missing/deep.md)", "links.broken", 1, ""),
        ("see [a](sub/pag.md)", "links.broken", 5, "sub/page.md"),
        ("[a](other.md#setup)", "links.anchor", 1, "other.md#setup-steps"),
        ("[a](#hom)", "links.anchor", 1, "#home"),
        ("[a](Other.md)", "links.case", 1, "other.md"),
        ("[a](../outside.md)", "links.outside", 1, ""),
        ("![a](img/logo.gif)", "links.image", 1, "img/logo.png"),
        ('<img src="img/nope.png">', "links.image", 11, ""),
        ('<a href="sub/nothing/">x</a>', "links.broken", 10, ""),
        ("[a](/kb/missing/)", "links.broken", 1, ""),
        ("[a](/other.md)", "links.broken", 1, "other.md"),
        ("[a](files/report.htm)", "links.broken", 1, "files/report.html"),
        ("[a](sub/pag/)", "links.broken", 1, ""),
    ],
)
def test_broken_links_are_reported_at_their_position(
    tmp_path: Path, line: str, rule: str, column: int, suggestion: str
) -> None:
    files = dict(TREE)
    files["index.md"] = "# Home\n\n" + line + "\n"
    findings = lint(tmp_path, files)
    assert brief(findings) == [(rule, "docs/index.md", 3, column)]
    assert findings[0].suggestion == suggestion
    if suggestion:
        assert f"Did you mean '{suggestion}'?" in findings[0].message


def test_folder_link_without_md_resolves_against_the_page_url(tmp_path: Path) -> None:
    # With use_directory_urls, sub/page.md is served at sub/page/: `other/` from there
    # lands on sub/page/other/, which does not exist even though docs/other.md does.
    files = dict(TREE)
    files["sub/page.md"] = "# Page\n\n[a](other/)\n[b](../../other/)\n[c](../other/)\n"
    findings = lint(tmp_path, files)
    assert brief(findings) == [
        ("links.broken", "docs/sub/page.md", 3, 1),
        ("links.broken", "docs/sub/page.md", 5, 1),
    ]
    assert "resolves to 'sub/page/other/' on the site" in findings[0].message
    assert findings[0].suggestion == "../other.md"


def test_without_directory_urls_html_links_work(tmp_path: Path) -> None:
    files = dict(TREE)
    files["sub/page.md"] = "# Page\n\n[a](../other.html)\n[b](../other/)\n"
    findings = lint(tmp_path, files, CONFIG + "use_directory_urls: false\n")
    assert brief(findings) == [("links.broken", "docs/sub/page.md", 4, 1)]


def test_raw_html_src_is_resolved_by_the_browser_not_by_mkdocs(tmp_path: Path) -> None:
    files = dict(TREE)
    # Source-relative would be right for Markdown, but raw HTML is not rewritten.
    files["sub/page.md"] = '# Page\n\n<img src="../img/logo.png">\n'
    findings = lint(tmp_path, files)
    assert brief(findings) == [("links.image", "docs/sub/page.md", 3, 11)]
    assert findings[0].suggestion == "../../img/logo.png"


def test_reference_links_are_checked_once_at_the_definition(tmp_path: Path) -> None:
    files = dict(TREE)
    files["index.md"] = (
        "# Home\n\nSee [one][r] and [two][r] and ![img][i].\n\n[r]: gone.md\n[i]: x.png\n"
    )
    assert brief(lint(tmp_path, files)) == [
        ("links.broken", "docs/index.md", 5, 1),
        ("links.image", "docs/index.md", 6, 1),
    ]


def test_anchors_from_attr_list_raw_html_and_includes(tmp_path: Path) -> None:
    config = CONFIG + "markdown_extensions:\n  - attr_list\n  - markdown_include.include\n"
    files = {
        "index.md": (
            "# Home\n\n[a](other.md#custom) [b](other.md#raw) [c](other.md#named)\n"
            "[d](other.md#para) [e](other.md#included-heading) [f](other.md#nope)\n"
        ),
        "other.md": (
            '# Other {#custom}\n\n<a id="raw"></a>\n<a name="named"></a>\n\n'
            "Some text.\n{: #para }\n\n{!docs/part.md!}\n"
        ),
        "part.md": "## Included heading\n",
    }
    assert brief(lint(tmp_path, files, config)) == [("links.anchor", "docs/index.md", 4, 51)]


def test_absolute_links_relative_to_docs_and_site_prefix(tmp_path: Path) -> None:
    files = dict(TREE)
    files["index.md"] = "# Home\n\n[a](/other.md) [b](/sub/page.md#page)\n"
    config = CONFIG + "validation:\n  links:\n    absolute_links: relative_to_docs\n"
    assert lint(tmp_path, files, config) == []
    files["index.md"] = "# Home\n\n[a](/docs/other/) [b](/other/) [c](/docs/nope/)\n"
    config = CONFIG + "site_url: https://example.com/docs/\n"
    # /other/ is elsewhere on the host, outside this site: not ours to judge.
    assert brief(lint(tmp_path, files, config)) == [("links.broken", "docs/index.md", 3, 32)]


def test_nav_entries_must_exist(tmp_path: Path) -> None:
    config = CONFIG + (
        "nav:\n  - Home: index.md\n  - Other: othr.md\n  - Sub:\n    - sub/Page.md\n"
        "  - Ext: https://example.com/\n"
    )
    findings = lint(tmp_path, dict(TREE), config)
    nav = [f for f in findings if f.rule == "links.nav"]
    assert brief(nav) == [
        ("links.nav", "mkdocs.yml", 4, 12),
        ("links.nav", "mkdocs.yml", 6, 7),
    ]
    assert nav[0].suggestion == "other.md"
    assert nav[1].suggestion == "sub/page.md"


def test_orphans_only_with_an_explicit_nav(tmp_path: Path) -> None:
    files = dict(TREE)
    files["other.md"] = "# Other\n\n[p](sub/page.md)\n"
    files["lonely.md"] = "# Lonely\n"
    files["hidden.md"] = "# Hidden\n"
    assert [f for f in lint(tmp_path, files) if f.rule == "links.orphan"] == []
    config = CONFIG + "nav:\n  - index.md\n  - other.md\nnot_in_nav: |\n  /hidden.md\n"
    orphans = [f for f in lint(tmp_path, files, config) if f.rule == "links.orphan"]
    # sub/page.md is linked from other.md; sub/index.md is linked by nothing.
    assert brief(orphans) == [
        ("links.orphan", "docs/lonely.md", 1, 1),
        ("links.orphan", "docs/sub/index.md", 1, 1),
    ]


def test_public_page_linking_to_internal_article(tmp_path: Path) -> None:
    internal = "---\nvisibility: internal\nstatus: published\n---\n# Secret\n"
    draft = "---\nvisibility: public\nstatus: draft\n---\n# Draft\n"
    public = (
        "---\nvisibility: public\nstatus: published\n---\n# Pub\n\n[s](secret.md) [d](draft.md)\n"
    )
    files = {
        "index.md": "# Home\n\n[s](kb/secret.md)\n",
        "kb/secret.md": internal + "\n[p](pub.md)\n",
        "kb/draft.md": draft,
        "kb/pub.md": public,
    }
    findings = lint(tmp_path, files)
    assert brief(findings) == [
        ("links.unpublished", "docs/index.md", 3, 1),
        ("links.unpublished", "docs/kb/pub.md", 7, 1),
        ("links.unpublished", "docs/kb/pub.md", 7, 16),
    ]
    config = CONFIG + "plugins:\n  - kb:\n      pages_public_by_default: false\n"
    assert brief(lint(tmp_path, files, config)) == [
        ("links.unpublished", "docs/kb/pub.md", 7, 1),
        ("links.unpublished", "docs/kb/pub.md", 7, 16),
    ]


def test_excluded_docs_are_not_on_the_site(tmp_path: Path) -> None:
    files = dict(TREE)
    files["index.md"] = "# Home\n\n[a](other.md)\n"
    config = CONFIG + "exclude_docs: |\n  other.md\n"
    assert brief(lint(tmp_path, files, config)) == [("links.unpublished", "docs/index.md", 3, 1)]


def test_every_rule_has_a_test_and_help() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for rule in LinksCheck.rules:
        assert rule.help
        assert f'"{rule.id}"' in source, rule.id


def test_pages_the_kb_plugin_generates_are_link_targets(tmp_path: Path) -> None:
    article = "---\nid: KB-0001\nproduct_area: search\ntags: [Slow Queries]\n---\n# A\n"
    files = {
        "index.md": (
            "# Home\n\n[kb](kb/index.md) [area](kb/areas/search/index.md) "
            "[tag](kb/tags/slow-queries.md) [issues](kb/known-issues.md) [tags](kb/tags/)\n"
            "[nope](kb/tags/fast.md)\n"
        ),
        "kb/a.md": article,
    }
    config = CONFIG + "plugins:\n  - kb\n"
    assert brief(lint(tmp_path, files, config)) == [("links.broken", "docs/index.md", 4, 1)]
    assert len(lint(tmp_path, files)) == 6  # without the plugin nothing is generated


def test_nav_may_name_pages_the_kb_plugin_generates(tmp_path: Path) -> None:
    files = {"index.md": "# Home\n", "kb/a.md": "---\nproduct_area: search\n---\n# A\n"}
    nav = (
        "nav:\n  - index.md\n  - Support: kb/index.md\n  - kb/known-issues.md\n"
        "  - kb/areas/search/index.md\n  - kb/nosuch.md\n"
    )
    with_plugin = lint(tmp_path, files, CONFIG + "plugins:\n  - kb\n" + nav)
    assert brief(with_plugin) == [("links.nav", "mkdocs.yml", 9, 5)]
    without = [f for f in lint(tmp_path, files, CONFIG + nav) if f.rule == "links.nav"]
    assert len(without) == 4


def test_no_anchor_verdict_on_pages_plugins_write(tmp_path: Path) -> None:
    files = {
        "index.md": "# Home\n\n[a](api.md#pkg.func) [b](macro.md#made-by-macro) [c](api.md#nope)\n",
        "api.md": "# API\n\n::: pkg.func\n",
        "macro.md": "# M\n\n{{ render_section() }}\n",
    }
    assert len(lint(tmp_path, files)) == 3
    config = CONFIG + "plugins:\n  - mkdocstrings\n  - macros\n"
    assert lint(tmp_path, files, config) == []


def test_kb_articles_are_reached_through_generated_pages(tmp_path: Path) -> None:
    files = {"index.md": "# Home\n", "kb/a.md": "# A\n", "lonely.md": "# Lonely\n"}
    config = CONFIG + "nav:\n  - index.md\n"
    orphans = {f.path for f in lint(tmp_path, files, config) if f.rule == "links.orphan"}
    assert orphans == {"docs/kb/a.md", "docs/lonely.md"}
    config += "plugins:\n  - kb\n"
    orphans = {f.path for f in lint(tmp_path, files, config) if f.rule == "links.orphan"}
    assert orphans == {"docs/lonely.md"}


@pytest.mark.parametrize(
    "target",
    [
        "http://[::1",
        "%zz.md",
        "..",
        "../..",
        "/",
        "//",
        "#",
        "?",
        "a.md#%E2%82",
        "\\\\server\\share.md",
        "C:/x.md",
        "./././",
        "a/../../../../b.md",
        "<>",
        "README.md",
        "x.md#L10",
        ".md",
    ],
)
def test_odd_targets_never_crash_the_check(tmp_path: Path, target: str) -> None:
    files = dict(TREE)
    files["sub/page.md"] = f'# Page\n\n[a]({target}) <a href="{target}">b</a>\n'
    findings = lint(tmp_path, files)
    assert all(f.rule.startswith("links.") for f in findings), findings
