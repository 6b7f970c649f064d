"""Material settings a KB needs: search that understands error messages, small pages.

Applied in `on_config` only where the site has not chosen a value itself.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from kbtools.atomic import mode_for

SEPARATOR = r"""[\s\-,:;!?=\[\]()"'`|{}\\]+|\.(?!\d)|&[lg]t;|&amp;|&quot;|(?!\b)(?=[A-Z][a-z])"""
r"""Split on the punctuation of log lines (`host:port:`, `"quoted"`, `(x)`, `k=v`, the `\`
of `\"` and `\n` in Go errors) and on sentence dots, but keep versions and addresses
(`5.2.1`, `10.0.3.44`) whole; split camel case (`DeadlineExceeded`). `/` does not split, so
`i/o` stays one word instead of becoming `i*` and `o*`, which match nearly every page.
Material tokenizes index and query with it."""

FIELDS = {"title": 5.0, "tags": 5.0}
"""Search field boosts. Material's defaults (title 1000, tags 1000000) let one word of a
pasted error line that happens to start a title or name a tag outrank the article whose
"Error messages" section matches every word. Measured on the demo KB: at 10, the title
`... fail with dial tcp 10.0.3.44:9000: connect: ...` still outranked the article that lists
`dial tcp 203.0.113.25:443: i/o timeout` for that exact query; at 5 every demo query ranks
its article first (tests/site/test_search_browser.py)."""

FEATURES = ("navigation.prune", "content.code.copy")
"""`navigation.prune` renders only the visible part of the nav into each page (the main
lever on page size in a large KB); `content.code.copy` makes error messages copyable."""

ERROR_SECTION_BOOST = 4.0

SEARCH_SCRIPT = "assets/javascripts/kb-search.js"
r"""Where the site gets `kbtools/site/assets/kb-search.js`: it rewrites each query on its way
to Material's search worker so that the `:`, `"` and `\` of a pasted error line are
punctuation, not Lunr query syntax (a separator cannot do this: Material parses the query
syntax before it splits words)."""


def material_search_plugins(config: Any) -> list[Any]:
    """The Material search plugin instances of a site (usually one, or none)."""
    try:
        from material.plugins.search.plugin import SearchPlugin
    except ImportError:
        return []
    return [p for p in config.plugins.values() if isinstance(p, SearchPlugin)]


def tune_search(config: Any) -> bool:
    """Give Material's search our separator and field boosts where the site set none."""
    changed = False
    for plugin in material_search_plugins(config):
        if not plugin.config.separator:
            plugin.config.separator = SEPARATOR
            changed = True
        fields = plugin.config.fields
        for name, boost in FIELDS.items():
            if name not in fields:
                fields[name] = {"boost": boost}
                changed = True
    return changed


def add_search_script(config: Any) -> bool:
    """Load the query rewriter on every page of a site searched with Material's search."""
    if not material_search_plugins(config):
        return False
    if SEARCH_SCRIPT not in (str(script) for script in config.extra_javascript):
        config.extra_javascript.append(SEARCH_SCRIPT)
    return True


def search_script() -> str:
    """The text of the query rewriter."""
    return (Path(__file__).parent / "assets" / "kb-search.js").read_text(encoding="utf-8")


def tune_theme(config: Any) -> list[str]:
    """Add the page-size and copy features to a Material theme; returns those added."""
    theme = config.theme
    if getattr(theme, "name", None) != "material":
        return []
    features = theme.get("features")
    if features is None:
        features = []
        theme["features"] = features
    added = []
    for feature in FEATURES:
        # Material documents navigation.prune as incompatible with navigation.expand.
        if feature == "navigation.prune" and "navigation.expand" in features:
            continue
        if feature not in features:
            features.append(feature)
            added.append(feature)
    return added


def boost_sections(
    index_path: Path, article_urls: Collection[str], title: str, boost: float
) -> int:
    """Multiply the search boost of the section called `title` of each article; returns count.

    Material gives each section its own index entry, so boosting the "Error messages"
    entry ranks an article that lists the error above one that only mentions its words.
    Section entries also lose the page's tags: Material shows the tags of every entry of a
    result, so each tag chip appeared twice (once for the page, once for the section).
    """
    if not index_path.is_file():
        return 0
    data = json.loads(index_path.read_text(encoding="utf-8"))
    wanted = title.casefold()
    count = 0
    changed = False
    for entry in data.get("docs", []):
        location = str(entry.get("location", ""))
        page = location.split("#", 1)[0]
        if "#" in location and entry.pop("tags", None) is not None:
            changed = True
        if "#" in location and page in article_urls and entry.get("title", "").casefold() == wanted:
            entry["boost"] = float(entry.get("boost", 1.0)) * boost
            count += 1
    if count or changed:
        atomic_write(index_path, json.dumps(data, separators=(",", ":"), default=str))
    return count


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).chmod(mode_for(path))  # the index Material wrote keeps its mode, not 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
