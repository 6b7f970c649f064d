"""What one audience's site holds: the pages kept, the articles, the generated pages.

One implementation for both ways a site is built: `kb build` stages it into a folder
(`kbtools/stage/`), and the `kb` MkDocs plugin applies it to a plain `mkdocs build`.
Both call `select()` with the site's files, then `plan()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kbtools.config import KbConfig
from kbtools.errors import KbError
from kbtools.site import audience, pages
from kbtools.site.catalog import Article, PageMeta, read_page, to_article
from kbtools.site.layout import Layout
from kbtools.site.links import ExcludedTargets
from kbtools.site.related import related_articles
from kbtools.wording import plural

log = logging.getLogger("mkdocs.plugins.kb")

KB_NAV_LAYOUTS = ("areas", "articles")


@dataclass
class Selection:
    """The Markdown pages of one audience, and every file left out."""

    audience: str
    pages: dict[str, PageMeta] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    """Source paths of pages and attachments left out."""


@dataclass
class SitePlan:
    """A selection plus what the KB adds to it: generated pages, areas, related articles."""

    selection: Selection
    layout: Layout
    areas: list[str]
    related: dict[str, list[Article]]
    generated: dict[str, str]
    """Generated page path -> Markdown (pages the docs already have are not generated)."""
    not_in_nav: set[str]
    """Generated pages kept out of the nav (tag pages other than the index)."""
    user_home: str | None
    """The KB home when the docs have one of their own (it gets the listing appended)."""
    excluded_targets: ExcludedTargets
    nav_layout: str = "areas"
    default_public: bool = True
    """`pages_public_by_default`: pages outside the KB without front matter are public."""

    @property
    def audience(self) -> str:
        """Who the site is for."""
        return self.selection.audience

    @property
    def articles(self) -> dict[str, Article]:
        """The articles of this audience by source path."""
        return self.selection.articles

    @cached_property
    def area_order(self) -> dict[str, tuple[list[Article], dict[str, int]]]:
        """Per product area: its articles in the order of the area page, and each one's index."""
        out: dict[str, tuple[list[Article], dict[str, int]]] = {}
        for area, members in pages.group_by_area(self.articles.values()).items():
            ordered = pages.area_order(members)
            out[area] = (ordered, {a.src_uri: i for i, a in enumerate(ordered)})
        return out


def select(
    pages_text: Iterable[tuple[str, Callable[[], str]]],
    other_files: Iterable[str],
    kb: KbConfig,
    audience_name: str,
) -> Selection:
    """Keep the pages `audience_name` may see; leave out the KB attachments only they use.

    `pages_text` is each Markdown page's source path and a function reading its text;
    `other_files` the source paths of every other file.
    """
    layout = Layout(kb.articles_dir)
    selection = Selection(audience_name)
    kept_text: list[str] = []
    for src_uri, read in pages_text:
        try:
            page = read_page(src_uri, read())
        except (OSError, UnicodeDecodeError):
            page = PageMeta(src_uri, {}, "", broken_front_matter=True)
        is_article = layout.is_article(src_uri)
        if page.broken_front_matter:
            log.warning(
                f"kb: cannot read the front matter of '{src_uri}' (not valid YAML, "
                "or the file is unreadable); the page is left out of the public site"
            )
        elif is_article and not page.meta and audience_name == "public":
            log.info(f"kb: '{src_uri}' has no front matter; left out of the public site")
        if audience.includes(
            page.meta,
            audience_name,
            is_article=is_article,
            default_public=kb.pages_public_by_default,
            broken_front_matter=page.broken_front_matter,
        ):
            selection.pages[src_uri] = page
            kept_text.append(page.body)
            if is_article:
                selection.articles[src_uri] = to_article(page)
        else:
            selection.excluded.append(src_uri)
    # Images and downloads in the KB folder that only excluded articles use would
    # otherwise be copied to the public site.
    text = "\n".join(kept_text)
    prefix = layout.root + "/"
    for src_uri in other_files:
        if src_uri.startswith(prefix) and src_uri.rsplit("/", 1)[-1] not in text:
            selection.excluded.append(src_uri)
    log.info(f"kb: {plural(len(selection.excluded), 'file')} left out of the {audience_name} site")
    return selection


def plan(
    selection: Selection,
    kb: KbConfig,
    *,
    existing: Callable[[str], bool],
    excluded_urls: Sequence[str],
    tables: bool,
    config_file: Path | None = None,
) -> SitePlan:
    """The generated pages and related lists of a selection.

    `existing(src_uri)` says whether the docs (after selection) hold that page already;
    `excluded_urls` are the site URLs of the excluded files (for unlinking); `config_file`
    (the user's mkdocs.yml) is where the internal "KB health" page reads the KB's history.
    """
    layout = Layout(kb.articles_dir)
    articles = list(selection.articles.values())
    areas = pages.ordered_areas(articles, kb.product_areas)
    related = related_articles(articles, kb.site.related_articles)
    generated: dict[str, str] = {}
    not_in_nav: set[str] = set()
    user_home: str | None = None
    if kb.site.generate_pages:
        wanted: dict[str, str] = {}
        if existing(layout.home):
            user_home = layout.home
        else:
            wanted[layout.home] = pages.home_page(layout, articles, areas)
        by_area = pages.group_by_area(articles)
        for area in areas:
            wanted[layout.area(area)] = pages.area_page(layout, area, by_area[area])
        if any(a.type == "known-issue" for a in articles):
            wanted[layout.known_issues] = pages.known_issues_page(layout, articles, tables=tables)
        tag_pages = pages.tag_pages(layout, articles)
        wanted.update(tag_pages)
        if selection.audience == "internal" and kb.report.health_page and config_file:
            # Ticket counts and review dates are for the team: never in a public build.
            from kbtools.report.page import health_page

            try:
                wanted[layout.health] = health_page(
                    config_file, layout.health, set(selection.articles)
                )
            except KbError as exc:
                log.warning(f"kb: no KB health page: {exc}")
        not_in_nav = {p for p in tag_pages if p != layout.tags_index}
        for src_uri, content in wanted.items():
            if src_uri != layout.home and existing(src_uri):
                log.info(f"kb: '{src_uri}' exists in docs; not generating it")
                not_in_nav.discard(src_uri)
                continue
            generated[src_uri] = content
    return SitePlan(
        selection=selection,
        layout=layout,
        areas=areas,
        related=related,
        generated=generated,
        not_in_nav=not_in_nav,
        user_home=user_home,
        excluded_targets=ExcludedTargets(excluded_urls, selection.excluded),
        # Without generated area pages there is nothing to reach unlisted articles from.
        nav_layout=kb.site.kb_nav if kb.site.generate_pages else "articles",
        default_public=kb.pages_public_by_default,
    )
