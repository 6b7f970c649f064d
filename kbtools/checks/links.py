"""Internal links, anchors, images, nav and orphans (links.*), checked from the Markdown source.

Targets are resolved as MkDocs resolves them (see kbtools/linkmap.py); anchors are the ids
the site will give (toc slugify, attr_list, raw HTML, included files), taken from the
parsed Documents of the run, never by reading files again.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kbtools.article.schema import is_published_public
from kbtools.checks.base import Check, LintContext, finding
from kbtools.config import plugin_entries
from kbtools.document import Document, Link, anchors_of, front_matter_of
from kbtools.findings import Finding, Severity
from kbtools.linkmap import (
    SiteMap,
    Status,
    Target,
    checkable_fragment,
    extra_anchors,
    included_paths,
    is_markdown,
    may_link_to,
)
from kbtools.rules import RuleInfo

BROKEN = RuleInfo(
    "links.broken",
    Severity.ERROR,
    "An internal link points to a file or page that does not exist.",
    "Fix the path (relative to the page, with `.md`), or remove the link.",
)
ANCHOR = RuleInfo(
    "links.anchor",
    Severity.ERROR,
    "A link's #fragment names no heading or id on the target page.",
    "Use the heading's anchor as the site computes it (see the page's table of contents).",
)
CASE = RuleInfo(
    "links.case",
    Severity.ERROR,
    "A link's target exists only with other letter case; it breaks on case-sensitive hosts.",
    "Write the path exactly as the file is named.",
)
OUTSIDE = RuleInfo(
    "links.outside",
    Severity.ERROR,
    "A link leaves docs_dir; the site cannot serve the target.",
    "Move the file into docs_dir, or link its URL on the code host instead.",
)
IMAGE = RuleInfo(
    "links.image",
    Severity.ERROR,
    "An image points to a file that does not exist.",
    "Add the image under docs_dir or fix its path.",
)
NAV = RuleInfo(
    "links.nav",
    Severity.ERROR,
    "The nav in mkdocs.yml names a page that does not exist.",
    "Fix the path in nav (relative to docs_dir) or add the page.",
)
ORPHAN = RuleInfo(
    "links.orphan",
    Severity.WARNING,
    "A page that neither the nav nor any other page links to.",
    "Add it to nav, link it from a related page, or list it under `not_in_nav`.",
)
UNPUBLISHED = RuleInfo(
    "links.unpublished",
    Severity.ERROR,
    "A public page links to a page the public site will not contain (internal, draft, excluded).",
    "Remove the link from the public page, or publish the target.",
)

_MAX_INCLUDE_DEPTH = 5
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico")


@dataclass
class _RunState:
    """What the check computes once per run and shares between documents."""

    ctx: LintContext
    site: SiteMap
    anchors: dict[str, frozenset[str]] = field(default_factory=dict)
    inbound: set[str] | None = None
    generated: set[str] | None = None
    guesses: dict[tuple[str, bool], str | None] = field(default_factory=dict)


class LinksCheck(Check):
    """Internal links, anchors, images, nav entries, orphans and public-to-internal links."""

    name = "links"
    rules = (BROKEN, ANCHOR, CASE, OUTSIDE, IMAGE, NAV, ORPHAN, UNPUBLISHED)

    def __init__(self) -> None:
        self._state: _RunState | None = None

    def _run(self, ctx: LintContext) -> _RunState:
        # The site inventory is walked once per run, not once per document.
        if self._state is None or self._state.ctx is not ctx:
            self._state = _RunState(ctx, SiteMap.build(ctx.project))
        return self._state

    def check_document(self, doc: Document, ctx: LintContext) -> Iterable[Finding]:
        """Every internal link, image and reference definition of one page."""
        state = self._run(ctx)
        page = doc.docs_path or ctx.project.docs_rel(doc.path) or doc.rel_path
        for link in doc.links:
            if link.reference or doc.is_code(link.line, link.column):
                continue  # reference links are checked once, at their definition
            yield from self._check_link(state, doc, page, link)

    def check_project(self, ctx: LintContext) -> Iterable[Finding]:
        """Nav entries that name missing pages; pages nothing reaches."""
        state = self._run(ctx)
        nav = list(nav_findings(ctx, state.site, lambda t: _is_generated(state, t)))
        if ctx.options.changed_since and nav:
            nav = _nav_broken_by_change(ctx, nav)
        yield from nav
        yield from self._orphans(state)

    # -- one link ---------------------------------------------------------------------------

    def _check_link(
        self, state: _RunState, doc: Document, page: str, link: Link
    ) -> Iterator[Finding]:
        site = state.site
        target = site.resolve(page, link)
        if target.status is Status.SKIP:
            return
        where = (doc.rel_path, link.line, link.column)
        shown = link.target
        if target.status is Status.OUTSIDE:
            yield finding(
                OUTSIDE,
                *where,
                f"link '{shown}' leaves docs_dir (to '{_docs_rel(state, target.path)}'); "
                "the site cannot serve it",
                match=shown,
            )
            return
        if target.status is Status.CASE:
            actual = target.actual
            fix = _with_fragment(site.relative_link(page, actual), target.fragment)
            if target.url:
                fix = _with_fragment(_url_link(site, page, actual, shown), target.fragment)
            yield finding(
                CASE,
                *where,
                f"link '{shown}' matches '{actual}' only with other letter case; "
                f"it breaks on case-sensitive hosts. Did you mean '{fix}'?",
                match=shown,
                suggestion=fix,
            )
            return
        if target.status is Status.NOT_SERVED:
            fix = _with_fragment(site.relative_link(page, target.actual), target.fragment)
            yield finding(
                BROKEN,
                *where,
                f"absolute link '{shown}' names the source file '{target.actual}', but MkDocs "
                f"leaves absolute links as written and the site has no such URL. "
                f"Did you mean '{fix}'?",
                match=shown,
                suggestion=fix,
            )
            return
        if target.status is Status.MISSING:
            if not _is_generated(state, target):
                yield self._missing(state, doc, page, link, target)
            return
        yield from self._check_reached(state, doc, page, link, target)

    def _missing(
        self, state: _RunState, doc: Document, page: str, link: Link, target: Target
    ) -> Finding:
        site = state.site
        image = link.is_image or (
            link.kind == "definition" and link.path.lower().endswith(IMAGE_SUFFIXES)
        )
        rule = IMAGE if image else BROKEN
        what = "image" if image else "link"
        as_url = bool(target.url) and not posixpath.splitext(link.path.rstrip("/"))[1]
        if target.url.startswith("/"):
            where = f"URL '{target.url}'"
        elif link.kind == "html":
            where = f"'{target.url}' on the site, as browsers resolve raw HTML"
        elif as_url:
            where = f"'{target.url}' on the site, as browsers resolve links without '.md'"
        else:
            where = f"'{target.path}'"
        key = (target.path, image)
        if key not in state.guesses:  # many links often name the same missing file
            state.guesses[key] = _guess_file(site, page, target.path, image=image)
        guess = state.guesses[key]
        if guess is None and as_url:
            guess = _guess_page_for_url(site, target.url)
        fragment = checkable_fragment(target.fragment)
        # A guess is only useful when the fragment exists there too.
        if (
            guess is not None
            and fragment
            and is_markdown(guess)
            and fragment not in self._anchors(state, guess)
        ):
            guess = None
        message = f"{what} target '{link.target}' not found (resolves to {where})"
        suggestion = ""
        if guess is not None:
            fix = site.relative_link(page, guess)
            if link.kind == "html":
                fix = _url_link(site, page, guess, link.target)
            suggestion = _with_fragment(fix, target.fragment)
            message += f". Did you mean '{suggestion}'?"
        return finding(
            rule,
            doc.rel_path,
            link.line,
            link.column,
            message,
            match=link.target,
            suggestion=suggestion,
        )

    def _check_reached(
        self, state: _RunState, doc: Document, page: str, link: Link, target: Target
    ) -> Iterator[Finding]:
        ctx, site = state.ctx, state.site
        where = (doc.rel_path, link.line, link.column)
        public_source = page not in site.excluded and _is_public(ctx, doc)
        if target.path in site.excluded and page not in site.excluded:
            yield finding(
                UNPUBLISHED,
                *where,
                f"link '{link.target}' points to '{target.path}', which is excluded from the "
                "built site",
                match=link.target,
            )
            return
        target_meta = _page_meta(ctx, target.path) if target.page else None
        if (
            target_meta is not None
            and target.path != page
            and public_source
            and not _meta_public(ctx, target_meta)
        ):
            yield finding(
                UNPUBLISHED,
                *where,
                f"public page links to '{target.path}', which is not public "
                "(visibility/status); the public site will not contain it",
                match=link.target,
            )
        fragment = checkable_fragment(target.fragment)
        if not fragment or target_meta is None:
            return
        text = _text(ctx, target.path)
        if text is None or not _anchors_knowable(ctx, text):
            return
        anchors = self._anchors(state, target.path)
        if fragment in anchors:
            return
        close = _close_anchor(fragment, anchors)
        on_page = "this page" if target.path == page else f"'{target.path}'"
        message = f"anchor '#{fragment}' not found on {on_page}"
        suggestion = ""
        if close:
            base = link.target.split("#", 1)[0]
            suggestion = f"{base}#{close[0]}"
            message += f". Did you mean '{suggestion}'?"
        yield finding(ANCHOR, *where, message, match=link.target, suggestion=suggestion)

    def _anchors(self, state: _RunState, path: str, depth: int = 0) -> frozenset[str]:
        cached = state.anchors.get(path)
        if cached is not None:
            return cached
        found = _page_anchors(state.ctx, path)
        if found is None:
            return frozenset()
        ids, text = found
        ids |= extra_anchors(text, state.ctx.project)
        if depth < _MAX_INCLUDE_DEPTH:
            state.anchors[path] = frozenset(ids)  # guards include cycles
            for included in included_paths(text, state.ctx.project):
                if included != path:
                    ids |= self._anchors(state, included, depth + 1)
        result = frozenset(ids)
        state.anchors[path] = result
        return result

    # -- orphans ----------------------------------------------------------------------------

    def _orphans(self, state: _RunState) -> Iterator[Finding]:
        ctx, site = state.ctx, state.site
        nav = ctx.project.config.nav
        if not nav:
            return  # without an explicit nav MkDocs lists every page in the automatic nav
        reached = set(nav_paths(nav))
        reached.add("index.md")
        reached.add("README.md")
        not_in_nav = ctx.project.config.raw.get("not_in_nav")
        from kbtools.linkmap import _matching

        candidates = sorted(
            p
            for p in ctx.targets
            if is_markdown(p) and p not in reached and p not in site.excluded and p in site.files
        )
        candidates = [p for p in candidates if p not in _matching(set(candidates), not_in_nav)]
        project = ctx.project
        if project.config.has_kb_plugin and project.kb.site.generate_pages:
            # The generated KB home and product area pages list every article.
            candidates = [p for p in candidates if not project.is_article(p)]
        if not candidates:
            return
        for path in candidates:
            if self._linked_from_elsewhere(state, path):
                continue
            doc = ctx.documents.get(path)
            if doc is None:
                continue
            yield finding(
                ORPHAN,
                doc.rel_path,
                1,
                1,
                f"page '{path}' is not in the nav and no other page links to it",
                match=path,
            )

    def _linked_from_elsewhere(self, state: _RunState, path: str) -> bool:
        ctx, site = state.ctx, state.site
        lazy = callable(getattr(ctx.documents, "raw_text", None)) and len(ctx.targets) <= 20
        if not lazy:
            # Every document is parsed already: resolve every link once and reuse the graph.
            if state.inbound is None:
                state.inbound = set()
                for source in _keys(ctx):
                    state.inbound |= _reached_from(state, source)
            return path in state.inbound
        for source in _keys(ctx):
            if source == path:
                continue
            text = _text(ctx, source)
            if text is None or not may_link_to(site, source, text, path):
                continue
            if path in _reached_from(state, source):
                return True
        return False


def _reached_from(state: _RunState, source: str) -> set[str]:
    """Pages and files the page `source` links to or includes (itself excluded)."""
    doc = state.ctx.documents.get(source)
    if doc is None:
        return set()
    reached = set(included_paths(doc.text, state.ctx.project))
    for link in doc.links:
        if link.reference:
            continue
        target = state.site.resolve(source, link)
        if target.status is Status.OK:
            reached.add(target.path)
    reached.discard(source)
    return reached


def nav_paths(nav: object) -> Iterator[str]:
    """Every string entry of a nav (page paths and URLs), depth first."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_paths(value)


def nav_findings(
    ctx: LintContext,
    site: SiteMap,
    is_generated: Callable[[Target], bool] = lambda target: False,
) -> Iterator[Finding]:
    """links.nav findings: nav entries that name files MkDocs will not find.

    A page the kb plugin generates (`kb/index.md`, `kb/known-issues.md`, ...) exists when
    MkDocs builds the nav, so naming it in the nav is right.
    """
    nav = ctx.project.config.nav
    if not nav:
        return
    config_path = ctx.project.config.path
    try:
        lines = config_path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        lines = []
    rel = ctx.project.rel(config_path)
    start = next((i for i, line in enumerate(lines) if line.startswith("nav:")), 0)
    for entry in nav_paths(nav):
        target = site.resolve_target("index.md", entry) if not entry.startswith("/") else None
        if target is None or target.status in (Status.SKIP, Status.OK):
            continue
        if target.status is Status.MISSING and is_generated(target):
            continue
        line, column = _locate(lines, entry, start)
        if target.status is Status.CASE:
            message = (
                f"nav entry '{entry}' matches '{target.actual}' only with other letter case; "
                f"it breaks on case-sensitive hosts. Did you mean '{target.actual}'?"
            )
            yield finding(NAV, rel, line, column, message, match=entry, suggestion=target.actual)
            continue
        guess = _guess_file(site, "index.md", target.path, image=False)
        message = f"nav entry '{entry}' names a page that does not exist"
        if target.status is Status.OUTSIDE:
            message = f"nav entry '{entry}' leaves docs_dir"
        if guess:
            message += f". Did you mean '{guess}'?"
        yield finding(NAV, rel, line, column, message, match=entry, suggestion=guess or "")


def _nav_broken_by_change(ctx: LintContext, found: list[Finding]) -> list[Finding]:
    """In a pull-request run, only nav entries the change broke (config edited, page gone)."""
    from kbtools.lint.changed import collect_change

    assert ctx.options.changed_since is not None
    change = collect_change(ctx.project, ctx.options.changed_since)
    if change.config_changed:
        return found
    return [f for f in found if posixpath.normpath(f.match) in change.gone]


def _locate(lines: list[str], entry: str, start: int) -> tuple[int, int]:
    for index in range(start, len(lines)):
        column = lines[index].find(entry)
        if column >= 0:
            return index + 1, column + 1
    return 1, 1


def _guess_file(site: SiteMap, page: str, missing: str, *, image: bool) -> str | None:
    """A close existing file name for a missing target (same folder first, then anywhere)."""
    stem = posixpath.splitext(missing)[0]
    for candidate in (f"{stem}.md", f"{missing}/index.md", f"{missing}/README.md", f"{stem}"):
        if candidate in site.files and candidate != missing:
            return candidate
    page_like = not image and (is_markdown(missing) or not posixpath.splitext(missing)[1])
    pool = site.sorted_files(markdown=page_like)
    if not pool:
        return None
    name = posixpath.basename(missing)
    same_name = [p for p in pool if posixpath.basename(p) == name]
    if len(same_name) == 1:
        return same_name[0]
    same_stem = [p for p in pool if posixpath.splitext(p)[0] == stem]
    if len(same_stem) == 1:
        return same_stem[0]  # logo.gif -> logo.png
    close = difflib.get_close_matches(missing, pool, n=1, cutoff=0.9)
    if close:
        return close[0]
    folder = posixpath.dirname(missing)
    nearby = [posixpath.basename(p) for p in pool if posixpath.dirname(p) == folder]
    close = difflib.get_close_matches(name, nearby, n=1, cutoff=0.8)
    return posixpath.join(folder, close[0]) if close else None


def _close_anchor(fragment: str, anchors: Iterable[str]) -> list[str]:
    """The anchor a typo or a shortened heading most likely meant (at most one)."""
    pool = sorted(anchors)
    close = difflib.get_close_matches(fragment, pool, n=1, cutoff=0.8)
    if close:
        return close
    if len(fragment) < 4:
        return []
    # `#setup` for `#setup-steps`: a heading that grew words.
    longer = [a for a in pool if a.startswith(fragment) or (len(a) >= 4 and fragment.startswith(a))]
    return sorted(longer, key=lambda a: abs(len(a) - len(fragment)))[:1]


def _page_anchors(ctx: LintContext, path: str) -> tuple[set[str], str] | None:
    """Heading and HTML ids of a page, and its text; parsed fully only when already needed."""
    if _lazy_unloaded(ctx, path):
        # Only linked to in this run (--changed-since): the anchors-only parse is enough.
        text = _text(ctx, path)
        return None if text is None else (anchors_of(text, ctx.project.config.toc), text)
    doc = ctx.documents.get(path)
    return (set(doc.anchors), doc.text) if doc is not None else None


def _anchors_knowable(ctx: LintContext, text: str) -> bool:
    """False when a plugin writes part of the page (API docs, macros): its ids are unknown."""
    plugins = plugin_entries(ctx.project.config.raw.get("plugins"))
    if "mkdocstrings" in plugins and re.search(r"^\s*::: ", text, re.MULTILINE):
        return False
    return not ("macros" in plugins and ("{{" in text or "{%" in text))


def _lazy_unloaded(ctx: LintContext, path: str) -> bool:
    """True when the run parses documents on demand and this one is not parsed yet."""
    peek = getattr(ctx.documents, "peek", None)
    return callable(peek) and peek(path) is None


def _page_meta(ctx: LintContext, path: str) -> dict[str, Any] | None:
    """Front matter of a page (None when the run has no such readable page)."""
    if _lazy_unloaded(ctx, path):
        text = _text(ctx, path)
        return None if text is None else front_matter_of(text)
    doc = ctx.documents.get(path)
    return doc.meta if doc is not None else None


def _meta_public(ctx: LintContext, meta: dict[str, Any]) -> bool:
    return is_published_public(meta, default_public=ctx.project.kb.pages_public_by_default)


def _is_generated(state: _RunState, target: Target) -> bool:
    """True when the kb plugin generates the missing page (KB home, areas, tags, known issues)."""
    project = state.ctx.project
    kb = project.kb
    root = kb.articles_dir.strip("/") + "/"
    url = target.url.lstrip("/")
    prefix = state.site.site_prefix.lstrip("/")
    if url.startswith(prefix):
        url = url[len(prefix) :]
    if not project.config.has_kb_plugin or not kb.site.generate_pages:
        return False
    if not (target.path.startswith(root) or url.startswith(root)):
        return False
    if state.generated is None:
        from kbtools.site.layout import Layout

        layout = Layout(kb.articles_dir)
        areas = set(kb.product_areas) | {"other"}
        tags: set[str] = set()
        for path in _keys(state.ctx):
            if not project.is_article(path):
                continue
            doc = state.ctx.documents.get(path)
            meta = doc.meta if doc is not None else {}
            if isinstance(meta.get("product_area"), str):
                areas.add(meta["product_area"])
            if isinstance(meta.get("tags"), list):
                tags.update(str(t) for t in meta["tags"])
        pages = {layout.home, layout.known_issues, layout.tags_index}
        pages |= {layout.area(a) for a in areas} | {layout.tag(t) for t in tags}
        state.generated = pages | {state.site.url_of(p) for p in pages}
    return (
        target.path in state.generated
        or url in state.generated
        or (url.rstrip("/") + "/" in state.generated)
    )


def _guess_page_for_url(site: SiteMap, url: str) -> str | None:
    """The one page whose name is the URL's last segment (`.../install/` -> `x/install.md`)."""
    name = posixpath.basename(url.rstrip("/"))
    if not name:
        return None
    pages = [p for p in site.files if is_markdown(p) and _page_name(p) == name]
    return pages[0] if len(pages) == 1 else None


def _page_name(path: str) -> str:
    parent, base = posixpath.split(path)
    stem = posixpath.splitext(base)[0]
    return posixpath.basename(parent) if stem in ("index", "README") else stem


def _with_fragment(path: str, fragment: str) -> str:
    return f"{path}#{fragment}" if fragment else path


def _url_link(site: SiteMap, page: str, actual: str, written: str) -> str:
    """How a browser-resolved link (raw HTML, folder link) should name `actual`."""
    url = site.url_of(actual)
    if written.startswith("/"):
        return site.site_prefix + url
    relative = posixpath.relpath(url or ".", site.page_url_dir(page) or ".")
    return relative + "/" if url.endswith("/") or not url else relative


def _docs_rel(state: _RunState, target: str) -> str:
    return posixpath.normpath(
        posixpath.join(state.ctx.project.rel(state.ctx.project.docs_dir), target)
    )


def _is_public(ctx: LintContext, doc: Document) -> bool:
    return is_published_public(doc.meta, default_public=ctx.project.kb.pages_public_by_default)


def _keys(ctx: LintContext) -> list[str]:
    keys = getattr(ctx.documents, "paths", None)
    return sorted(keys() if callable(keys) else ctx.documents.keys())


def _text(ctx: LintContext, path: str) -> str | None:
    raw = getattr(ctx.documents, "raw_text", None)
    if callable(raw):
        value = raw(path)
        return value if isinstance(value, str) else None
    doc = ctx.documents.get(path)
    return doc.text if doc is not None else None
