"""The `kb` MkDocs plugin: event methods only; the work is done by the sibling modules.

`kb build` does not run this plugin: it stages the tree with the same modules
(`kbtools/stage/`). The plugin is for `mkdocs build` and `mkdocs serve` users, and gives
them the same site: the same selection (`model`), nav (`sitenav`) and page additions
(`decorate`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from kbtools.article.schema import PRIVATE_FIELDS, STATUSES
from kbtools.config import KbConfig
from kbtools.errors import KbError
from kbtools.site import audience, errorindex, model, navigation, sitenav, tuning
from kbtools.site.decorate import decorate
from kbtools.site.layout import Layout
from kbtools.site.links import unlink

log = logging.getLogger("mkdocs.plugins.kb")


class KbPlugin(BasePlugin[KbConfig]):
    """Audience filter, generated KB pages and article extras for a Material site."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.audience = "public"
        self.layout = Layout("kb")
        self.plan: model.SitePlan | None = None
        self.search_script = False
        self.error_panel = False

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
        if self.config.site.error_panel:
            self.error_panel = errorindex.add_script(config)
        log.info(f"kb: building the {self.audience} site")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        """Leave out pages this audience must not see, add the generated pages, set the nav."""
        if not self.config.enabled:
            return None
        docs = [f for f in files.documentation_pages() if not f.inclusion.is_excluded()]
        others = [
            f.src_uri
            for f in files
            if not f.is_documentation_page() and not f.inclusion.is_excluded()
        ]
        selection = model.select(
            ((f.src_uri, _reader(f)) for f in docs), others, self.config, self.audience
        )
        excluded_urls = []
        for src_uri in selection.excluded:
            file = files.get_file_from_path(src_uri)
            if file is not None:
                file.inclusion = InclusionLevel.EXCLUDED
                excluded_urls.append(file.url)

        def existing(src_uri: str) -> bool:
            file = files.get_file_from_path(src_uri)
            return file is not None and not file.inclusion.is_excluded()

        self.plan = plan = model.plan(
            selection,
            self.config,
            existing=existing,
            excluded_urls=excluded_urls,
            tables="tables" in config.markdown_extensions,
            config_file=Path(config.config_file_path) if config.config_file_path else None,
        )
        for src_uri, content in plan.generated.items():
            inclusion = (
                InclusionLevel.NOT_IN_NAV if src_uri in plan.not_in_nav else InclusionLevel.INCLUDED
            )
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
        if self.search_script and files.get_file_from_path(tuning.SEARCH_SCRIPT) is None:
            files.append(
                File.generated(config, tuning.SEARCH_SCRIPT, content=tuning.search_script())
            )
        if self.config.site.generate_pages or config.nav is not None:
            in_nav = [
                f.src_uri
                for f in files.documentation_pages()
                if f.inclusion.is_in_nav() and not f.inclusion.is_excluded()
            ]
            config.nav = sitenav.site_nav(
                config.nav,
                in_nav,
                plan,
                is_docs_file=lambda value: files.get_file_from_path(value) is not None,
            )
        if self.error_panel:
            errorindex.add_script_file(files, config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Drop excluded pages from the nav (the nav setting names none; this is a second lock)."""
        if not self.config.enabled or self.plan is None:
            return None
        excluded = self.plan.excluded_targets
        items = navigation.prune(
            nav.items,
            lambda page: not page.file.inclusion.is_excluded(),
            lambda link: not excluded.matches(link.url, "", ""),
        )
        return navigation.rebuild(items)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Hide private fields publicly; add what the KB adds to the page (`decorate`)."""
        if not self.config.enabled or self.plan is None:
            return None
        if self.audience == "public":
            for name in PRIVATE_FIELDS:
                page.meta.pop(name, None)
        if page.meta.get("status") in STATUSES:
            # Material reads `status` as its own page status and draws a bare glyph beside
            # every article in the nav; the article's status is text in its info box and banner.
            page.meta.pop("status")
        if page.file.src_uri == self.plan.user_home:
            # The home is a map of the KB, not an answer: keep it out of search results.
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return decorate(
            markdown,
            page.file.src_uri,
            self.plan,
            use_directory_urls=config.use_directory_urls,
        )

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Unlink excluded pages in the HTML too (raw HTML the Markdown pass cannot see)."""
        if not self.config.enabled or self.plan is None:
            return None
        return unlink(html, self.plan.excluded_targets, page.file.url, page.file.src_uri)

    @event_priority(-100)  # after Material's search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search step after the build, the same as `kb build`'s (`stage/search.py`)."""
        if not self.config.enabled or self.plan is None:
            return
        from kbtools.stage import engines, search

        try:
            search.after_build(
                engines.get("mkdocs"),
                Path(config.site_dir),
                self.plan,
                use_directory_urls=config.use_directory_urls,
                search=self.config.site.search,
                search_box=bool(tuning.material_search_plugins(config)),
            )
        except KbError as exc:  # Pagefind missing or failing: one line, not a traceback
            raise Abort(str(exc)) from None
        if self.error_panel and config.config_file_path:
            written = errorindex.build(
                Path(config.site_dir), Path(config.config_file_path), self.audience
            )
            log.info(f"kb: error panel index of {written.units} sections, {written.files} files")


def _reader(file: File) -> Callable[[], str]:
    return lambda: str(file.content_string)
