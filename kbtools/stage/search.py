"""The search step after the engine: the seam for search backends.

Two backends answer the theme's search box (`site.search`, `kbtools/search/`): the theme's
own search (Material's index for MkDocs and ProperDocs, Zensical's `search.json`), whose
settings are written into the staged config (`engine_config.build_config`) and whose
"Error messages" sections get a boost here, or Pagefind, which indexes the built site here
(`search.step.after_engine`). The built site holds only the audience's pages, so either
index does too.

`kb build` calls `after_build` once the engine is done; the `kb` plugin calls it from
`on_post_build` for a plain `mkdocs build`, so both builds get the same index. The plan
says which pages are articles (`plan.articles`) and which are listings
(`plan.generated`, `plan.user_home`), which stay out of Pagefind's index.
"""

from __future__ import annotations

from pathlib import Path

from kbtools.errors import ConfigError
from kbtools.search import step
from kbtools.site import tuning
from kbtools.site.catalog import ERROR_SECTION
from kbtools.site.decorate import page_url
from kbtools.site.model import SitePlan
from kbtools.stage.engines import Engine

PAGEFIND_ENGINES = ("mkdocs", "properdocs")
"""Engines whose pages carry Material's search box, which Pagefind answers (kb-pagefind.js)."""


def require_backend(setting: str, engine: Engine) -> None:
    """Refuse `site.search: pagefind` where it cannot work (exit 2), before building."""
    if setting != "pagefind":
        return
    if engine.name not in PAGEFIND_ENGINES:
        raise ConfigError(
            f"site.search: pagefind answers Material's search box, which the {engine.name} "
            f"engine does not use (build with --engine {' or '.join(PAGEFIND_ENGINES)}, "
            "or set site.search: material)"
        )
    from kbtools.search.pagefind_index import executable

    executable()


def after_build(
    engine: Engine,
    site_dir: Path,
    plan: SitePlan,
    *,
    use_directory_urls: bool,
    search: str = "auto",
    search_box: bool = True,
) -> str:
    """Finish the search of a built site; returns the backend used (`material`, `pagefind`).

    `search` is `site.search`; `search_box` says whether the site has the theme's search.
    """
    urls = {page_url(src, use_directory_urls) for src in plan.articles}
    if search_box and engine.name in PAGEFIND_ENGINES:
        listings = [*sorted(plan.generated), *([plan.user_home] if plan.user_home else [])]
        used = step.after_engine(
            site_dir,
            setting=search,
            article_urls=urls,
            listing_urls={page_url(src, use_directory_urls) for src in listings},
        )
        if used == "pagefind":
            return used
    if engine.search_index.endswith("search_index.json"):  # Material's format
        index = site_dir / engine.search_index
        tuning.boost_sections(index, urls, ERROR_SECTION, tuning.ERROR_SECTION_BOOST)
    return "material"
