"""The nav of a KB site as a `nav` setting: one mkdocs.yml value every engine reads.

`kb build` writes it into the staged config; the `kb` plugin sets it in `on_files` for a plain
`mkdocs build`. Without an explicit `nav` it is MkDocs' automatic nav with the KB section
grouped by product area; with one, the user's nav without the pages left out, and the KB
pages it cannot name (generated pages, new articles) added after the KB home.

With the `areas` layout the KB section lists the home, known issues, tags and one entry per
product area; articles are reached from their area page (and carry breadcrumbs and a pager,
`site/decorate.py`), so no page carries a whole area's links.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kbtools.site.layout import area_title
from kbtools.site.model import SitePlan

log = logging.getLogger("mkdocs.plugins.kb")

KB_TITLE = "Knowledge base"


def sort_key(src_uri: str) -> tuple[tuple[str, ...], bool, str]:
    """MkDocs' file order: by folder, the index first (`mkdocs.structure.files.file_sort_key`)."""
    parts = tuple(src_uri.split("/"))
    name = parts[-1].rsplit(".", 1)[0]
    return (parts[:-1], name != "index", parts[-1])


def site_nav(
    raw_nav: Any,
    in_nav: Iterable[str],
    site: SitePlan,
    *,
    is_docs_file: Callable[[str], bool],
) -> list[Any]:
    """The nav setting for this site.

    `in_nav` are the pages of the site that belong in an automatic nav (generated ones
    included); `is_docs_file(value)` says whether a nav value names a file of the original
    docs (kept only when the site still has it).
    """
    kept = set(in_nav)
    if raw_nav is None:
        nested = _nest(sorted(kept, key=sort_key))
        return _group_auto(nested, kept, site)
    pages = set(kept) | set(site.selection.pages) | set(site.generated)
    items = _prune(raw_nav if isinstance(raw_nav, list) else [raw_nav], pages, site, is_docs_file)
    listed = set(_values(items))
    home = site.layout.home
    prefix = site.layout.root + "/"
    unlisted = sorted(
        (p for p in kept if p.startswith(prefix) and p not in listed),
        key=sort_key,
    )
    if site.nav_layout == "areas":
        unlisted = [p for p in unlisted if p not in site.articles]
    if home not in listed:
        if unlisted:
            log.info(
                f"kb: the nav does not name '{home}', so {len(unlisted)} KB pages "
                "(generated pages and articles it does not list) are not in the navigation"
            )
        return items
    if unlisted:
        _place(items, home, kb_children(unlisted, site))
    return items


def kb_children(srcs: Sequence[str], site: SitePlan) -> list[Any]:
    """KB pages in nav order: home, known issues, tags, health, one entry per area, the rest."""
    layout = site.layout
    present = set(srcs)
    first = (layout.home, layout.known_issues, layout.tags_index, layout.health)
    lead: list[Any] = [s for s in first if s in present]
    grouped: list[Any] = []
    by_title = sorted(site.articles.values(), key=lambda a: a.title.casefold())
    for area in site.areas:
        area_src = layout.area(area)
        members = [
            a.src_uri
            for a in by_title
            if (a.product_area or "other") == area and a.src_uri in present
        ]
        children = ([area_src] if area_src in present else []) + members
        if not children:
            continue
        if site.nav_layout == "areas" and area_src in present:
            grouped.append({area_title(area): area_src})
            if members:  # articles the user's nav names stay listed
                grouped[-1] = {area_title(area): children}
        else:
            grouped.append({area_title(area): children})
    placed = set(lead) | {c for entry in grouped for c in _values([entry])}
    rest = [s for s in srcs if s not in placed and s not in site.not_in_nav]
    return lead + grouped + rest


def _group_auto(nested: list[Any], kept: set[str], site: SitePlan) -> list[Any]:
    layout = site.layout
    members = [
        s
        for s in sorted(kept, key=sort_key)
        if s.startswith(layout.root + "/")
        and (site.nav_layout != "areas" or s not in site.articles)
    ]
    path = _section_path(nested, layout.home) or next(
        (p for a in site.articles if (p := _section_path(nested, a))), None
    )
    if path is None:
        return nested
    holder, index = path
    title, _ = _entry(holder[index])
    if title in (None, "", layout.root.rsplit("/", 1)[-1].capitalize()):
        title = KB_TITLE
    holder[index] = {title: kb_children(members, site)}
    return nested


def _nest(paths: Sequence[str]) -> list[Any]:
    from mkdocs.utils import nest_paths

    return list(nest_paths(paths))


def _entry(item: Any) -> tuple[str | None, Any]:
    if isinstance(item, dict) and len(item) == 1:
        ((title, value),) = item.items()
        return (str(title) if title is not None else None), value
    return None, item


def _values(items: Iterable[Any]) -> Iterable[str]:
    for item in items:
        _, value = _entry(item)
        if isinstance(value, list):
            yield from _values(value)
        elif isinstance(value, str):
            yield value


def _section_path(items: list[Any], src_uri: str) -> tuple[list[Any], int] | None:
    """The list holding the section whose direct children include `src_uri`, and its index."""
    for index, item in enumerate(items):
        _, value = _entry(item)
        if isinstance(value, list):
            if any(_entry(c)[1] == src_uri for c in value):
                return items, index
            found = _section_path(value, src_uri)
            if found is not None:
                return found
    return None


def _prune(
    items: list[Any], pages: set[str], site: SitePlan, is_docs_file: Callable[[str], bool]
) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        title, value = _entry(item)
        if isinstance(value, list):
            children = _prune(value, pages, site, is_docs_file)
            if children:
                kept.append({title: children})
            continue
        if not isinstance(value, str):
            kept.append(item)
            continue
        target = value.lstrip("/") if not value.startswith("//") else value
        if target in pages:
            kept.append(item)
        elif is_docs_file(target):
            continue  # a page of the docs this audience does not get
        elif not site.excluded_targets.matches(value, "", ""):
            kept.append(item)
    return kept


def _place(items: list[Any], home: str, added: list[Any]) -> None:
    """Append `added` to the section that holds `home` (a top-level home gets a section)."""
    path = _section_path(items, home)
    if path is not None:
        holder, index = path
        title, children = _entry(holder[index])
        holder[index] = {title: [*children, *added]}
        return
    for index, item in enumerate(items):
        title, value = _entry(item)
        if value == home:
            items[index] = {title or KB_TITLE: [item, *added]}
            return
