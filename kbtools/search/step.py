"""The search step after the engine, for whichever backend `site.search` picks.

One call for every build path (the `kb` plugin's `on_post_build`, or a step after a staged
build): it returns the backend used, so the caller finishes Material's own index (the
"Error messages" boost) only when Material's search is the one that answers.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

from kbtools.search import backend
from kbtools.wording import plural

log = logging.getLogger("mkdocs.plugins.kb")


def after_engine(
    site_dir: Path,
    *,
    setting: str,
    article_urls: Collection[str],
    listing_urls: Collection[str] = (),
) -> str:
    """Index the built site in `site_dir` when Pagefind is chosen; returns the backend.

    `article_urls` are the KB articles of the build (they decide `auto`); `listing_urls` are
    generated listings and the KB home, which stay out of Pagefind's index.
    """
    chosen = backend.choose(setting, len(article_urls))
    if chosen == "material":
        if setting == "auto" and len(article_urls) >= backend.AUTO_PAGEFIND_ARTICLES:
            log.info(
                f"kb: {plural(len(article_urls), 'article')}: Pagefind would keep the first search "
                "small (install it with: pip install 'kbtools[pagefind]')"
            )
        return chosen
    from kbtools.search.pagefind_index import index_site

    result = index_site(site_dir, article_urls=article_urls, skip_urls=listing_urls)
    log.info(f"kb: Pagefind indexed {plural(result.pages, 'page')} in {result.seconds:.1f} s")
    return chosen
