"""The search step after the engine: the seam for search backends.

Today the one backend is the theme's own search (Material's index for MkDocs and
ProperDocs, Zensical's `search.json`): its settings are written into the staged config
(`engine_config.build_config`) and, for Material's index, the "Error messages" section of
each article gets a boost here. Another backend (such as Pagefind, `site.search`) would
set its own settings at the same two points: what the staged config names, and what runs
here on the built site, which holds only the audience's pages.

`kb build` calls `after_build` once the engine is done; the `kb` plugin calls it from
`on_post_build` for a plain `mkdocs build`, so both builds get the same index. The plan
says which pages are articles (`plan.articles`) and which are listings
(`plan.generated`, `plan.user_home`).
"""

from __future__ import annotations

from pathlib import Path

from kbtools.site import tuning
from kbtools.site.catalog import ERROR_SECTION
from kbtools.site.decorate import page_url
from kbtools.site.model import SitePlan
from kbtools.stage.engines import Engine


def after_build(
    engine: Engine, site_dir: Path, plan: SitePlan, *, use_directory_urls: bool
) -> None:
    """Finish the search index of a built site."""
    if engine.search_index.endswith("search_index.json"):  # Material's format
        urls = {page_url(src, use_directory_urls) for src in plan.articles}
        index = site_dir / engine.search_index
        tuning.boost_sections(index, urls, ERROR_SECTION, tuning.ERROR_SECTION_BOOST)
