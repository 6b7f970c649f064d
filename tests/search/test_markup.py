"""Pagefind's attributes on a built Material page, the backend choice and the binary lookup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kbtools.cli import main
from kbtools.errors import ConfigError
from kbtools.search import backend, markup, pagefind_index

PAGE = """<html><head></head><body>
<script id="__config" type="application/json">{"base": "../..", "search": "../../assets/javascripts/workers/search.a7633da7.min.js", "tags": null}</script><header>nav words</header>
<article class="md-content__inner md-typeset">
<h1>Clone fails with early EOF</h1>
<div class="kb-box" data-search-exclude><p>Type: Troubleshooting</p></div>
<h2 id="problem">Problem<a class="headerlink" href="#problem">&para;</a></h2>
<p>The clone stops.</p>
<h2 id="error-messages">Error messages<a class="headerlink" href="#error-messages">&para;</a></h2>
<div class="highlight"><pre><code>fatal: early EOF</code></pre></div>
<h2 id="resolution">Resolution</h2>
<p>Raise the timeout.</p>
</article>
<script src="bundle.js"></script></body></html>
"""


def test_an_article_gets_body_weights_ignores_and_the_script_last() -> None:
    out = markup.mark_page(
        PAGE, index=True, article=True, script_src="../kb-pagefind.js", worker_src="w.js"
    )
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in out
    assert f'<h1 data-pagefind-weight="{markup.TITLE_WEIGHT:g}">Clone fails' in out
    # The weighted block holds the section's content and ends where the next section starts.
    weighted = out.split(f'<div data-pagefind-weight="{markup.ERROR_SECTION_WEIGHT:g}">', 1)[1]
    section, _, rest = weighted.partition('</div>\n</div><h2 id="resolution">')
    assert "fatal: early EOF" in section and "Raise the timeout" in rest
    assert '<div class="kb-box" data-search-exclude data-pagefind-ignore="all">' in out
    assert out.count('<a data-pagefind-ignore="all" class="headerlink"') == 2
    assert out.endswith('<script src="../kb-pagefind.js"></script></body></html>\n')
    assert out.index("bundle.js") < out.index("kb-pagefind.js")


def test_the_page_names_the_stub_worker_instead_of_lunr() -> None:
    out = markup.mark_page(
        PAGE, index=False, article=False, script_src="s.js", worker_src="assets/w/stub.js"
    )
    assert '"search": "../../assets/w/stub.js", "tags": null' in out
    assert "search.a7633da7" not in out


def test_marking_a_marked_page_changes_nothing() -> None:
    once = markup.mark_page(PAGE, index=True, article=True, script_src="s.js", worker_src="w.js")
    again = markup.mark_page(once, index=True, article=True, script_src="s.js", worker_src="w.js")
    assert again == once


def test_a_page_that_is_not_an_article_gets_no_error_weight() -> None:
    out = markup.mark_page(PAGE, index=True, article=False, script_src="s.js", worker_src="w.js")
    assert "data-pagefind-body" in out
    assert f'data-pagefind-weight="{markup.ERROR_SECTION_WEIGHT:g}"' not in out


def test_a_page_left_out_of_the_index_still_gets_the_search_box_script() -> None:
    out = markup.mark_page(PAGE, index=False, article=True, script_src="s.js", worker_src="w.js")
    assert "data-pagefind" not in out
    assert '<script src="s.js"></script></body>' in out


@pytest.mark.parametrize(
    ("relative", "url"),
    [("index.html", ""), ("kb/a/index.html", "kb/a/"), ("kb/a.html", "kb/a.html")],
)
def test_page_urls_are_those_mkdocs_gives(relative: str, url: str) -> None:
    assert pagefind_index.page_url(relative) == url


def test_auto_switches_to_pagefind_at_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend, "pagefind_available", lambda: True)
    limit = backend.AUTO_PAGEFIND_ARTICLES
    assert backend.choose("auto", limit - 1) == "material"
    assert backend.choose("auto", limit) == "pagefind"
    assert backend.choose("material", 10 * limit) == "material"
    assert backend.choose("pagefind", 1) == "pagefind"
    monkeypatch.setattr(backend, "pagefind_available", lambda: False)
    assert backend.choose("auto", 10 * limit) == "material"


def _without_pagefind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefind_index, "BINARY_MODULES", ("kbtools_test_no_such_module",))


def test_a_missing_binary_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_pagefind(monkeypatch)
    with pytest.raises(ConfigError, match=r"kbtools\[pagefind\]"):
        pagefind_index.executable()


FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


def _project(tmp_path: Path, search: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "      articles_dir: kb\n", f"      articles_dir: kb\n      site: {{search: {search}}}\n"
    )
    config.write_text(text, encoding="utf-8")
    return config


def test_kb_build_without_pagefind_installed_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_pagefind(monkeypatch)
    config = _project(tmp_path, "pagefind")
    assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kb: error: ")
    assert "pip install 'kbtools[pagefind]'" in err[0]


def test_an_unknown_backend_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, "lunr")
    assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert "'search'" in err and "'lunr'" in err


def test_the_step_leaves_a_material_site_alone(tmp_path: Path) -> None:
    from kbtools.search import step

    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    many = [f"kb/a{i}/" for i in range(backend.AUTO_PAGEFIND_ARTICLES)]
    assert step.after_engine(tmp_path, setting="material", article_urls=many) == "material"
    assert step.after_engine(tmp_path, setting="auto", article_urls=many[:10]) == "material"
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == PAGE
    assert not (tmp_path / "pagefind").exists()


def test_pagefind_with_the_zensical_engine_is_refused_before_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, "pagefind")
    code = main(["build", "--engine", "zensical", "-f", str(config), "-d", str(tmp_path / "s")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--engine mkdocs or properdocs" in err[0]
    assert not (tmp_path / "s").exists()
