"""Real builds of the fixture KB: what each audience gets, generated pages, article extras."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.cli import main
from kbtools.site import tuning
from tests.site.conftest import read_all

Built = Callable[[str], Path]

PUBLIC_ARTICLES = (
    "kb/git-clone-early-eof",
    "kb/object-storage-connection-refused",
    "kb/search-context-deadline",
    "kb/upgrade-5-1-migration-stuck",
)


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def content(html: str) -> str:
    """The <article> part of a Material page (no nav, header or footer)."""
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


def test_public_build_holds_only_published_public_pages(built: Built) -> None:
    site = built("public")
    for url in PUBLIC_ARTICLES:
        assert (site / url / "index.html").is_file()
    for url in (
        "kb/internal-pgbouncer-pool",
        "kb/draft-zoekt-oom",
        "kb/archived-redis-eviction",
        "handbook/escalation",
    ):
        assert not (site / url).exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "kb/git-clone-early-eof/" in sitemap
    assert "pgbouncer" not in sitemap and "escalation" not in sitemap


def test_internal_build_drops_only_archived_and_marks_drafts(built: Built) -> None:
    site = built("internal")
    for url in ("kb/internal-pgbouncer-pool", "kb/draft-zoekt-oom", "handbook/escalation"):
        assert (site / url / "index.html").is_file()
    assert not (site / "kb/archived-redis-eviction").exists()
    draft = content(page(site, "kb/draft-zoekt-oom"))
    assert 'class="admonition warning kb-not-public kb-draft"' in draft
    assert "kb-draft" not in content(page(site, "kb/search-context-deadline"))


def test_article_box_shows_versions_deployment_and_dates(built: Built) -> None:
    box = content(page(built("public"), "kb/upgrade-5-1-migration-stuck"))
    box = box[box.index("kb-article-info") : box.index("</table>")]
    assert "<th>Type</th><td>Known issue</td>" in box
    assert "<th>Applies to</th><td>5.1.0, 5.1.1 (fixed in 5.1.2)</td>" in box
    assert "<th>Deployment</th><td>Kubernetes, Docker Compose</td>" in box
    assert 'Last updated</th><td><time datetime="2026-07-20">' in box
    # Nobody reviewed it (no `reviewed` in its front matter): review_by alone claims nothing.
    assert "Last reviewed" not in box
    assert "data-search-exclude" in content(page(built("public"), "kb/git-clone-early-eof"))


def test_owner_and_tickets_only_in_the_internal_build(built: Built) -> None:
    public = page(built("public"), "kb/git-clone-early-eof")
    internal = page(built("internal"), "kb/git-clone-early-eof")
    for private in ("TCK-1001", "support-emea"):
        assert private not in public
        assert private in internal


def test_error_messages_are_copyable_code_blocks(built: Built) -> None:
    html = content(page(built("public"), "kb/git-clone-early-eof"))
    section = html[html.index('id="error-messages"') : html.index('id="environment"')]
    blocks = re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", section)
    assert blocks == [
        "exit status 128: fatal: early EOF",
        "fatal: fetch-pack: invalid index-pack output",
    ]


def test_link_to_an_excluded_page_becomes_plain_text(built: Built) -> None:
    public = content(page(built("public"), "kb/git-clone-early-eof"))
    assert "see the internal escalation rota." in public
    assert "escalation/" not in public
    internal = content(page(built("internal"), "kb/git-clone-early-eof"))
    assert 'href="../../handbook/escalation/"' in internal


def test_related_articles_come_from_shared_tags_services_and_errors(built: Built) -> None:
    public = content(page(built("public"), "kb/git-clone-early-eof"))
    related = public[public.index('class="kb-related"') :]
    assert 'href="../object-storage-connection-refused/"' in related
    # The draft shares a tag and a service with the search article, but only internally.
    assert "Related articles" not in content(page(built("public"), "kb/search-context-deadline"))
    internal = content(page(built("internal"), "kb/search-context-deadline"))
    assert 'href="../draft-zoekt-oom/"' in internal[internal.index('class="kb-related"') :]


def home_areas(home: str) -> dict[str, list[str]]:
    """Product area -> the article links listed under it on a KB home page."""
    block = home[home.index('id="product-areas"') : home.index('id="newest"')]
    parts = re.split(r'<h3 id="[^"]*"><a href="areas/([a-z]+)/">', block)[1:]
    return {
        area: re.findall(r'<li><a href="([^"]+)/">', listing)
        for area, listing in zip(parts[::2], parts[1::2], strict=True)
    }


@pytest.mark.parametrize(
    ("audience", "areas"),
    [
        (
            "public",
            {
                "install": ["git-clone-early-eof"],
                "upgrades": ["upgrade-5-1-migration-stuck"],
                "storage": ["object-storage-connection-refused"],
                "search": ["search-context-deadline"],
            },
        ),
        (
            "internal",
            {
                "install": ["git-clone-early-eof"],
                "upgrades": ["upgrade-5-1-migration-stuck"],
                "storage": ["internal-pgbouncer-pool", "object-storage-connection-refused"],
                "search": ["draft-zoekt-oom", "search-context-deadline"],
            },
        ),
    ],
)
def test_generated_home_lists_articles_by_area_newest_and_updated(
    built: Built, audience: str, areas: dict[str, list[str]]
) -> None:
    home = content(page(built(audience), "kb"))
    assert home_areas(home) == areas
    count = sum(len(v) for v in areas.values())
    assert f"<p>{count} articles." in home
    newest = home[home.index('id="newest"') : home.index('id="recently-updated"')]
    order = re.findall(r'<li><a href="([^"]+)/">', newest)
    assert sorted(order) == sorted(a for v in areas.values() for a in v)
    assert order.index("object-storage-connection-refused") < order.index("git-clone-early-eof")
    assert order.index("git-clone-early-eof") < order.index("upgrade-5-1-migration-stuck")
    updated = re.findall(r'<li><a href="([^"]+)/">', home[home.index('id="recently-updated"') :])
    # search-context-deadline was never updated; the newest update comes first.
    assert updated == [
        "object-storage-connection-refused",
        "git-clone-early-eof",
        "upgrade-5-1-migration-stuck",
    ]
    assert '<a href="known-issues/">known issues</a>' in home and '<a href="tags/">' in home


def test_area_page_lists_its_articles_by_type(built: Built) -> None:
    storage_public = content(page(built("public"), "kb/areas/storage"))
    assert "object-storage-connection-refused" in storage_public
    assert "pgbouncer" not in storage_public
    storage_internal = content(page(built("internal"), "kb/areas/storage"))
    assert re.search(r'id="how-to-guides".*pgbouncer', storage_internal, re.DOTALL)


def test_known_issues_by_version_with_status_and_fix(built: Built) -> None:
    known = content(page(built("public"), "kb/known-issues"))
    assert known.index('id="511"') < known.index('id="510"')
    row = re.search(r"<tr>\s*<td><a href=\"../upgrade-5-1-migration-stuck/\">.*?</tr>", known, re.S)
    assert row is not None
    assert "<td>Fixed</td>" in row.group(0) and "<td>5.1.2</td>" in row.group(0)


def test_tag_pages_exist_only_for_tags_of_included_articles(built: Built) -> None:
    public, internal = built("public"), built("internal")
    assert "git-clone-early-eof" in page(public, "kb/tags/git")
    assert not (public / "kb/tags/memory").exists()
    assert (internal / "kb/tags/memory/index.html").is_file()
    assert not (internal / "kb/tags/redis").exists()


def test_nav_groups_articles_by_area_and_prunes(built: Built) -> None:
    html = page(built("public"), "kb/git-clone-early-eof")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') : html.index("<article")]
    assert "Knowledge base" in nav
    # navigation.prune: the other areas' articles are not rendered into this page
    assert "search-context-deadline/" not in nav
    assert '"navigation.prune"' in html and '"content.code.copy"' in html


def test_search_index_tuned_for_error_messages(built: Built) -> None:
    index = json.loads((built("public") / "search/search_index.json").read_text())
    assert "(?=[A-Z][a-z])" in index["config"]["separator"]
    boosted = {d["location"] for d in index["docs"] if d.get("boost")}
    assert "kb/git-clone-early-eof/#error-messages" in boosted
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert "kb/" not in locations and "kb/tags/git/" not in locations
    assert not any("kb-article-info" in d["text"] for d in index["docs"])
    assert not any(d["location"].endswith("#related-articles") for d in index["docs"])
    texts = " ".join(d["text"] for d in index["docs"])
    assert "Last reviewed" not in texts and "Related articles" not in texts


def test_search_script_is_shipped_and_loaded_on_every_page(built: Built) -> None:
    site = built("public")
    script = (site / tuning.SEARCH_SCRIPT).read_text(encoding="utf-8")
    assert script == tuning.search_script() and "kbSearchQuery" in script
    article = page(site, "kb/git-clone-early-eof")
    assert '<script src="../../assets/javascripts/kb-search.js"></script>' in article
    # After Material's bundle, which creates the search worker the script patches.
    assert article.index("/bundle.") < article.index("kb-search.js")
    assert 'src="/assets/javascripts/kb-search.js"' in (site / "404.html").read_text()


def test_without_material_defaults_the_site_is_plain_material(kb_project: Path) -> None:
    config = kb_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "      site: {material_defaults: false}\n", encoding="utf-8")
    site = kb_project / "site"
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    assert not (site / tuning.SEARCH_SCRIPT).exists()
    assert "kb-search.js" not in page(site, "kb/git-clone-early-eof")
    index = json.loads((site / "search/search_index.json").read_text())
    assert "(?=[A-Z][a-z])" not in index["config"]["separator"]


def test_every_output_file_is_readable(built: Built) -> None:
    files = read_all(built("public"))
    assert "sitemap.xml.gz" in files and "<urlset" in files["sitemap.xml.gz"]


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("theme:\n  name: nosuchtheme\nplugins:\n  - kb\n", "Unrecognised theme name"),
        ("theme:\n  name: material\nplugins:\n  - search\n", "kb plugin is not enabled"),
        ("plugins:\n  - kb:\n      site: {audience: everyone}\n", "audience"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml: str, message: str
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n" + yaml)
    code = main(["build", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err


def test_strict_build_with_a_warning_exits_1(kb_project: Path) -> None:
    (kb_project / "docs/guide/broken.md").write_text("# Broken\n\nSee [nowhere](missing.md).\n")
    args = ["build", "-f", str(kb_project / "mkdocs.yml"), "-d", str(kb_project / "site")]
    assert main([*args, "--strict"]) == 1
    assert main(args) == 0


def test_unreadable_front_matter_warns_and_stays_out(kb_project: Path) -> None:
    (kb_project / "docs/guide/bad.md").write_text(
        "---\nvisibility: internal\ntickets: [TCK-9\n---\n\n# Bad\n", encoding="utf-8"
    )
    args = ["build", "-f", str(kb_project / "mkdocs.yml"), "-d", str(kb_project / "site")]
    assert main([*args, "--strict"]) == 1
    assert main(args) == 0
    assert not (kb_project / "site/guide/bad").exists()


def test_build_prints_pages_size_and_time(
    kb_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", "-f", str(kb_project / "mkdocs.yml"), "-d", str(kb_project / "site")])
    out = capsys.readouterr().out
    assert code == 0
    assert re.match(
        r"Built the public site with mkdocs in [\d.]+ s: 21 pages, [\d.]+ MB in total, average page [\d.]+ KB, "
        r"search index [\d.]+ KB -> ",
        out,
    ), out


def test_site_settings_win_over_material_defaults(kb_project: Path) -> None:
    config = kb_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "    - navigation.indexes\n", "    - navigation.indexes\n    - navigation.expand\n"
    )
    text = text.replace(
        "  - search\n",
        "  - search:\n      separator: '[\\s]+'\n      fields: {title: {boost: 99}}\n",
    )
    config.write_text(text, encoding="utf-8")
    site = kb_project / "site"
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    index = json.loads((site / "search/search_index.json").read_text())
    assert index["config"]["separator"] == "[\\s]+"
    assert index["config"]["fields"]["title"] == {"boost": 99}
    assert index["config"]["fields"]["tags"] == {"boost": 5.0}
    html = page(site, "kb/git-clone-early-eof")
    # Material documents navigation.prune as incompatible with navigation.expand.
    assert '"navigation.prune"' not in html and '"content.code.copy"' in html


def test_a_missing_engine_is_one_line_naming_the_extra(
    kb_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "zensical" else real(name, *a)
    )
    code = main(["build", "--engine", "zensical", "-f", str(kb_project / "mkdocs.yml")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "kb: error: the zensical engine is not installed "
        "(install it with: pip install 'kbtools[zensical]')"
    ]
    assert not (kb_project / "site").exists()


def test_site_engine_in_mkdocs_yml_picks_the_engine(
    kb_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("properdocs")
    config = kb_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "      articles_dir: kb\n", "      articles_dir: kb\n      site: {engine: properdocs}\n"
        ),
        encoding="utf-8",
    )
    assert main(["build", "-f", str(config), "-d", str(kb_project / "site")]) == 0
    assert "with properdocs" in capsys.readouterr().out
    assert (kb_project / "site/kb/git-clone-early-eof/index.html").is_file()
    staged = kb_project / ".kb-cache/stage/public"
    assert (staged / "mkdocs.yml").is_file()
    # Only the public tree is staged: no internal page, no private field.
    assert not (staged / "docs/kb/internal-pgbouncer-pool.md").exists()
    assert "tickets:" not in (staged / "docs/kb/git-clone-early-eof.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_other_engines_fail_strict_builds_in_one_line(
    kb_project: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip(engine)
    (kb_project / "docs/guide/broken.md").write_text("# Broken\n\nSee [nowhere](missing.md).\n")
    args = ["build", "--engine", engine, "-f", str(kb_project / "mkdocs.yml")]
    args += ["-d", str(kb_project / "site")]
    assert main([*args, "--strict"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("kb: error")]
    assert errors == [f"kb: error: {engine} build failed: " + errors[0].split(": ", 3)[-1]]
    assert "Aborted" in errors[0] and "Traceback" not in errors[0]
    assert main(args) == 0
    assert (kb_project / "site/guide/broken/index.html").is_file()


@pytest.mark.parametrize("target", [".", "docs", "docs/site"])
def test_a_site_folder_holding_or_inside_the_sources_is_refused(
    kb_project: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The engine sees only the staged docs, so MkDocs' own check cannot protect these.
    before = sorted(p.relative_to(kb_project) for p in kb_project.rglob("*"))
    args = ["build", "-f", str(kb_project / "mkdocs.yml"), "-d", str(kb_project / target)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"kb: error: -d/--site-dir {kb_project / target}")
    assert "should not be within" in err[0]
    assert sorted(p.relative_to(kb_project) for p in kb_project.rglob("*")) == before
