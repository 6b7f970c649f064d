"""The nav objects of a plugin build: drop pages left out, recompute parents and links.

The nav itself is decided as a `nav` setting by `site/sitenav.py` (one implementation for
staged builds and the plugin); pruning here is the plugin's second lock: MkDocs keeps a page
in an explicit `nav` even when it is excluded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page


def prune(
    items: Sequence[Any],
    keep: Callable[[Page], bool],
    keep_link: Callable[[Link], bool] = lambda link: True,
) -> list[Any]:
    """Nav items without the pages and links rejected, and without sections left empty."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            item.children = prune(item.children, keep, keep_link)
            if item.children:
                kept.append(item)
        elif isinstance(item, Page):
            if keep(item):
                kept.append(item)
        elif isinstance(item, Link):
            if keep_link(item):
                kept.append(item)
        else:
            kept.append(item)
    return kept


def rebuild(items: list[Any]) -> Navigation:
    """A Navigation over `items` with parent and previous/next links recomputed."""
    _set_parents(items, None)
    ordered = list(pages(items))
    for index, page in enumerate(ordered):
        page.previous_page = ordered[index - 1] if index > 0 else None
        page.next_page = ordered[index + 1] if index + 1 < len(ordered) else None
    return Navigation(items, ordered)


def _set_parents(items: Iterable[Any], parent: Section | None) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _set_parents(item.children, item)


def pages(items: Iterable[Any]) -> Iterable[Page]:
    """The pages of a nav tree in order (sections entered, links skipped)."""
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from pages(item.children)
        elif isinstance(item, Link):
            continue
