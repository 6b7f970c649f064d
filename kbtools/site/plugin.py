"""The `kb` MkDocs plugin: event methods only; the work is done by the sibling modules."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from kbtools.article.schema import PRIVATE_FIELDS, STATUSES
from kbtools.config import KbConfig
from kbtools.errors import KbError
from kbtools.site import audience, navigation, pages, render, tuning
from kbtools.site.catalog import ERROR_SECTION, Article, PageMeta, read_page, to_article
from kbtools.site.layout import Layout
from kbtools.site.links import ExcludedTargets, unlink
from kbtools.site.related import related_articles
from kbtools.wording import plural

log = logging.getLogger("mkdocs.plugins.kb")


class KbPlugin(BasePlugin[KbConfig]):
    """Audience filter, generated KB pages and article extras for a Material site."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.audience = "public"
        self.layout = Layout("kb")
        self.meta: dict[str, PageMeta] = {}
        self.articles: dict[str, Article] = {}
        self.related: dict[str, list[Article]] = {}
        self.excluded = ExcludedTargets()
        self.user_home: str | None = None
        self.generated: set[str] = set()
        self.areas: list[str] = []
        self.search_script = False

    @event_priority(50)  # before Material's search plugin reads its separator
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Fix the audience of this build and apply Material defaults the site left unset."""
        self._reset()
        if not self.config.enabled:
            return None
        self.audience = audience.effective(self.config.site.audience)
        self.layout = Layout(self.config.articles_dir)
        if self.config.site.material_defaults:
            tuning.tune_search(config)
            tuning.tune_theme(config)
            self.search_script = tuning.add_search_script(config)
        log.info(f"kb: building the {self.audience} site")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        """Leave out pages this audience must not see, then add the generated pages."""
        if not self.config.enabled:
            return None
        excluded_urls: list[str] = []
        excluded_src: list[str] = []
        kept_text: list[str] = []
        for file in files.documentation_pages():
            if file.inclusion.is_excluded():
                continue
            page = self._read(file)
            is_article = self.layout.is_article(file.src_uri)
            if page.broken_front_matter:
                log.warning(
                    f"kb: cannot read the front matter of '{file.src_uri}' (not valid YAML, "
                    "or the file is unreadable); the page is left out of the public site"
                )
            elif is_article and not page.meta and self.audience == "public":
                log.info(f"kb: '{file.src_uri}' has no front matter; left out of the public site")
            if audience.includes(
                page.meta,
                self.audience,
                is_article=is_article,
                default_public=self.config.pages_public_by_default,
                broken_front_matter=page.broken_front_matter,
            ):
                self.meta[file.src_uri] = page
                kept_text.append(page.body)
                if is_article:
                    self.articles[file.src_uri] = to_article(page)
            else:
                file.inclusion = InclusionLevel.EXCLUDED
                excluded_urls.append(file.url)
                excluded_src.append(file.src_uri)
        excluded_src += self._exclude_orphan_attachments(files, "\n".join(kept_text))
        self.excluded = ExcludedTargets(excluded_urls, excluded_src)
        log.info(f"kb: {plural(len(excluded_src), 'file')} left out of the {self.audience} site")
        articles = list(self.articles.values())
        self.areas = pages.ordered_areas(articles, self.config.product_areas)
        self.related = related_articles(articles, self.config.site.related_articles)
        if self.config.site.generate_pages:
            self._generate(files, config, articles)
        if self.search_script and files.get_file_from_path(tuning.SEARCH_SCRIPT) is None:
            files.append(
                File.generated(config, tuning.SEARCH_SCRIPT, content=tuning.search_script())
            )
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Drop excluded pages from the nav; group an automatic KB nav by product area."""
        if not self.config.enabled:
            return None
        items = navigation.prune(
            nav.items,
            lambda page: not page.file.inclusion.is_excluded(),
            # A nav entry written as a URL (`- Rota: handbook/rota/`) is a Link, not a Page.
            lambda link: not self.excluded.matches(link.url, "", ""),
        )
        if not self.config.site.generate_pages:
            return navigation.rebuild(items)
        if config.nav is None:
            items = navigation.group_kb(items, self.layout, self.articles, self.areas)
            return navigation.rebuild(items)
        # An explicit nav: keep it, and add the KB pages it cannot know by name.
        unlisted = self._unlisted_kb_pages(items, files)
        items, has_home = navigation.place_unlisted(
            items, unlisted, self.layout, self.articles, self.areas
        )
        if not has_home and unlisted:
            log.info(
                f"kb: the nav does not name '{self.layout.home}', so {len(unlisted)} KB pages "
                "(generated pages and articles it does not list) are not in the navigation"
            )
        return navigation.rebuild(items)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Hide private fields publicly; error messages as code; listings on a hand-written home."""
        if not self.config.enabled:
            return None
        if self.audience == "public":
            for name in PRIVATE_FIELDS:
                page.meta.pop(name, None)
        if page.meta.get("status") in STATUSES:
            # Material reads `status` as its own page status and draws a bare glyph beside
            # every article in the nav; the article's status is text in its info box and banner.
            page.meta.pop("status")
        src = page.file.src_uri
        if src in self.articles:
            markdown = render.error_messages_as_code(markdown)
        if src == self.user_home:
            # The home is a map of the KB, not an answer: keep it out of search results.
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            listing = pages.home_page(self.layout, list(self.articles.values()), self.areas)
            markdown += "\n\n" + _without_front_matter_and_title(listing)
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Unlink excluded pages; add the info box, draft banner and related articles."""
        if not self.config.enabled:
            return None
        html = unlink(html, self.excluded, page.file.url, page.file.src_uri)
        src = page.file.src_uri
        top = ""
        if self.audience == "internal":
            top += self._not_public_banner(page)
        article = self.articles.get(src)
        if article is not None:
            top += render.info_box(
                article,
                internal=self.audience == "internal",
                tags=self._tag_links(article, page, files),
            )
            html += render.related_list(
                [
                    render.LinkTo(other.title, self._href(other.src_uri, page, files))
                    for other in self.related.get(src, [])
                ]
            )
        return render.insert_after_title(html, top) if top else html

    @event_priority(-100)  # after Material's search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Boost each article's "Error messages" section in the search index."""
        if not self.config.enabled:
            return
        urls = {self._url(src, config) for src in self.articles}
        index = Path(config.site_dir) / "search" / "search_index.json"
        tuning.boost_sections(index, urls, ERROR_SECTION, tuning.ERROR_SECTION_BOOST)

    # helpers (not events)

    def _not_public_banner(self, page: Page) -> str:
        kept = self.meta.get(page.file.src_uri)
        if page.file.src_uri == self.layout.health:  # generated for the internal site only
            return render.not_public_banner("it is the internal KB health report", draft=False)
        if kept is None or page.file.src_uri in self.generated:
            return ""  # a listing the plugin generated: it lists this audience's articles
        reason = audience.not_public_reason(
            kept.meta,
            is_article=self.layout.is_article(page.file.src_uri),
            default_public=self.config.pages_public_by_default,
            broken_front_matter=kept.broken_front_matter,
        )
        if reason is None:
            return ""
        return render.not_public_banner(reason, draft=audience.is_draft(kept.meta))

    def _read(self, file: File) -> PageMeta:
        try:
            return read_page(file.src_uri, file.content_string)
        except (OSError, UnicodeDecodeError):
            return PageMeta(file.src_uri, {}, "", broken_front_matter=True)

    def _exclude_orphan_attachments(self, files: Files, kept_text: str) -> list[str]:
        # Images and downloads in the KB folder that only excluded articles use would
        # otherwise be copied to the public site.
        removed = []
        prefix = self.layout.root + "/"
        for file in files:
            if file.is_documentation_page() or not file.src_uri.startswith(prefix):
                continue
            if file.inclusion.is_excluded():
                continue
            if file.src_uri.rsplit("/", 1)[-1] not in kept_text:
                file.inclusion = InclusionLevel.EXCLUDED
                removed.append(file.src_uri)
        return removed

    def _generate(self, files: Files, config: MkDocsConfig, articles: list[Article]) -> None:
        layout = self.layout
        generated: dict[str, str] = {}
        if files.get_file_from_path(layout.home) is None:
            generated[layout.home] = pages.home_page(layout, articles, self.areas)
        else:
            self.user_home = layout.home
        by_area = pages.group_by_area(articles)
        for area in self.areas:
            generated[layout.area(area)] = pages.area_page(layout, area, by_area[area])
        if any(a.type == "known-issue" for a in articles):
            tables = "tables" in config.markdown_extensions
            generated[layout.known_issues] = pages.known_issues_page(
                layout, articles, tables=tables
            )
        tag_pages = pages.tag_pages(layout, articles)
        generated.update(tag_pages)
        if self.audience == "internal" and self.config.report.health_page:
            # Ticket counts and review dates are for the team: never in a public build.
            from kbtools.report.page import health_page

            try:
                generated[layout.health] = health_page(
                    Path(config.config_file_path), layout.health, set(self.articles)
                )
            except KbError as exc:
                log.warning(f"kb: no KB health page: {exc}")
        for src_uri, content in generated.items():
            if files.get_file_from_path(src_uri) is not None:
                log.info(f"kb: '{src_uri}' exists in docs; not generating it")
                continue
            in_nav = src_uri == layout.tags_index or src_uri not in tag_pages
            inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
            self.meta[src_uri] = read_page(src_uri, content)
            self.generated.add(src_uri)

    def _unlisted_kb_pages(self, items: list[Any], files: Files) -> list[Page]:
        listed = {page.file.src_uri for page in navigation.pages(items)}
        prefix = self.layout.root + "/"
        return [
            file.page
            for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri)
            if file.src_uri.startswith(prefix)
            and file.src_uri not in listed
            and file.inclusion.is_in_nav()
            and isinstance(file.page, Page)
        ]

    def _tag_links(self, article: Article, page: Page, files: Files) -> list[render.LinkTo]:
        return [
            render.LinkTo(tag, self._href(self.layout.tag(tag), page, files))
            for tag in article.tags
        ]

    def _href(self, src_uri: str, page: Page, files: Files) -> str:
        target = files.get_file_from_path(src_uri)
        return target.url_relative_to(page.file) if target is not None else ""

    def _url(self, src_uri: str, config: MkDocsConfig) -> str:
        file = File(src_uri, None, config.site_dir, config.use_directory_urls)
        return file.url


def _without_front_matter_and_title(markdown: str) -> str:
    _, _, rest = markdown.partition("\n---\n")
    lines = rest.splitlines()
    return "\n".join(line for line in lines if not line.startswith("# "))
