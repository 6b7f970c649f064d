"""Which search backend a build uses: `site.search` (`auto`, `material` or `pagefind`)."""

from __future__ import annotations

import importlib.util

BACKENDS = ("auto", "material", "pagefind")

AUTO_PAGEFIND_ARTICLES = 500
"""With `site.search: auto`, a KB with this many articles in the build or more gets Pagefind.

Measured with benchmarks/site_scale.py --search (benchmarks/RESULTS.md, "Search backends"):
Material downloads its whole index on every page load, about 0.47 KB compressed per public
article (205 KB at 426, 807 KB at 1,708); Pagefind's first search stays at 180-280 KB (about
140 KB of script, WebAssembly and metadata, plus the index chunks of the words searched). At
500 articles the two download about the same and Pagefind already answers sooner; above, the
gap grows with the KB. Below, Material downloads less and needs no extra package."""


def pagefind_available() -> bool:
    """True when the Pagefind binary wheel (`kbtools[pagefind]`) is installed."""
    from kbtools.search.pagefind_index import BINARY_MODULES

    return any(importlib.util.find_spec(name) is not None for name in BINARY_MODULES)


def choose(setting: str, articles: int) -> str:
    """`material` or `pagefind` for a build of `articles` articles under `setting`.

    `auto` falls back to Material when Pagefind is not installed (the caller says so), so a
    growing KB never stops building; an explicit `pagefind` without it is an error there.
    """
    if setting == "auto":
        if articles >= AUTO_PAGEFIND_ARTICLES and pagefind_available():
            return "pagefind"
        return "material"
    return setting
