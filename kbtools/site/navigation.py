"""The nav: drop pages left out of the build, and group a large KB by product area.

MkDocs keeps a page in an explicit `nav` even when it is excluded, so pruning here is what
keeps an excluded title and URL out of the sidebar, the 404 page and previous/next links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from kbtools.site.catalog import Article
from kbtools.site.layout import Layout, area_title

KB_TITLE = "Knowledge base"


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


def group_kb(
    items: list[Any],
    layout: Layout,
    articles: Mapping[str, Article],
    areas: Sequence[str],
) -> list[Any]:
    """Replace the auto-generated KB section with: home, known issues, tags, one section per area.

    Each area section starts with the area page (an `index.md`, so Material's
    `navigation.indexes` makes it the section's own page) and lists its articles by title;
    with `navigation.prune` a page then carries only its own area's links.
    """
    section = _find_section(items, layout.home) or _find_section_of(items, articles)
    if section is None:
        return items
    section.children = kb_children(list(pages(section.children)), layout, articles, areas)
    if section.title in (None, "", layout.root.rsplit("/", 1)[-1].capitalize()):
        section.title = KB_TITLE
    return items


def place_unlisted(
    items: list[Any],
    unlisted: Sequence[Page],
    layout: Layout,
    articles: Mapping[str, Article],
    areas: Sequence[str],
) -> tuple[list[Any], bool]:
    """Add the KB pages an explicit `nav` does not name (generated pages, new articles).

    They go at the end of the section that holds the KB home, grouped as in the automatic
    nav; a home at the top level becomes the first page of a new "Knowledge base" section.
    Pages the nav names stay where it puts them. Returns the items and whether the nav
    names the KB home at all (when it does not, nothing is added).
    """
    home = next((p for p in pages(items) if p.file.src_uri == layout.home), None)
    if home is None:
        return items, False
    if not unlisted:
        return items, True
    added = kb_children(unlisted, layout, articles, areas)
    _set_parents(items, None)
    parent = home.parent
    if isinstance(parent, Section):
        parent.children.extend(added)
    else:
        at = next(i for i, item in enumerate(items) if item is home)
        items[at] = Section(home.title or KB_TITLE, [home, *added])
    return items, True


def kb_children(
    pages: Sequence[Page],
    layout: Layout,
    articles: Mapping[str, Article],
    areas: Sequence[str],
) -> list[Any]:
    """KB pages in nav order: home, known issues, tags, health, one section per area, the rest."""
    by_src = {p.file.src_uri: p for p in pages}
    first = (layout.home, layout.known_issues, layout.tags_index, layout.health)
    lead = [by_src[s] for s in first if s in by_src]
    grouped: list[Any] = []
    by_title = sorted(articles.values(), key=lambda a: a.title.casefold())
    for area in areas:
        members = [
            by_src[a.src_uri]
            for a in by_title
            if (a.product_area or "other") == area and a.src_uri in by_src
        ]
        area_page = by_src.get(layout.area(area))
        children: list[Any] = ([area_page] if area_page else []) + members
        if children:
            grouped.append(Section(area_title(area), children))
    placed = {id(p) for p in lead} | {id(c) for s in grouped for c in s.children}
    # Pages under the KB folder that are neither articles nor generated keep a place.
    rest = [p for p in pages if id(p) not in placed and p.file.inclusion.is_in_nav()]
    return lead + grouped + rest


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


def _find_section(items: Iterable[Any], src_uri: str) -> Section | None:
    for item in items:
        if isinstance(item, Section):
            if any(isinstance(c, Page) and c.file.src_uri == src_uri for c in item.children):
                return item
            found = _find_section(item.children, src_uri)
            if found is not None:
                return found
    return None


def _find_section_of(items: Iterable[Any], articles: Mapping[str, Article]) -> Section | None:
    for src_uri in articles:
        found = _find_section(items, src_uri)
        if found is not None:
            return found
    return None
