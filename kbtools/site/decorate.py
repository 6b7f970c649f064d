"""What the KB adds to a page's Markdown: error messages as code, links to excluded pages as
text, and on articles the breadcrumbs, info box, draft banner, related list and pager.

Written into the Markdown (raw HTML blocks), so every engine renders it the same way: the
stager (`kbtools/stage/`) writes the result into the staged tree, and the `kb` MkDocs plugin
applies the same function in `on_page_markdown`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kbtools.site import audience, pages, render
from kbtools.site.catalog import Article, code_aware
from kbtools.site.layout import area_title
from kbtools.site.links import ExcludedTargets, unlink
from kbtools.site.model import SitePlan

_INLINE_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
    r"""\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)"""
)
_REF_DEF_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s.*)?$")
_H1_LINE_RE = re.compile(r"^#\s+\S")


@lru_cache(maxsize=65536)
def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs (and engines that follow it) gives a docs file, relative to the site."""
    from mkdocs.structure.files import File

    return str(File(src_uri, "", "", use_directory_urls).url)


def href(target: str, here: str, use_directory_urls: bool) -> str:
    """A link from the page `here` to the page `target` (source paths), as a relative URL."""
    from mkdocs.utils import get_relative_url

    return str(
        get_relative_url(page_url(target, use_directory_urls), page_url(here, use_directory_urls))
    )


def unlink_markdown(markdown: str, targets: ExcludedTargets, src_uri: str, url: str) -> str:
    """Markdown with every link (and image) to an excluded file replaced by its text.

    Inline links, reference definitions and raw `<a>` tags; fenced code is left alone.
    """
    if not targets:
        return markdown
    lines = markdown.split("\n")
    dropped: set[str] = set()
    out: list[str] = []
    for line, in_code in code_aware(lines):
        if in_code:
            out.append(line)
            continue
        ref = _REF_DEF_RE.match(line)
        if ref and targets.matches(ref.group(2), url, src_uri):
            dropped.add(ref.group(1).casefold())
            continue
        out.append(line)
    text = "\n".join(out)

    def inline(match: re.Match[str]) -> str:
        if targets.matches(match.group(3), url, src_uri):
            return match.group(2)
        return match.group(0)

    result: list[str] = []
    for line, in_code in code_aware(text.split("\n")):
        if not in_code:
            line = _INLINE_LINK_RE.sub(inline, line)
            line = unlink(line, targets, url, src_uri)
            for ref_id in dropped:
                line = _unref(line, ref_id)
        result.append(line)
    return "\n".join(result)


def decorate(
    markdown: str,
    src_uri: str,
    site: SitePlan,
    *,
    use_directory_urls: bool,
) -> str:
    """The page's Markdown body as the site shows it (front matter not included)."""
    url = page_url(src_uri, use_directory_urls)
    article = site.articles.get(src_uri)
    if article is not None:
        markdown = render.error_messages_as_code(markdown)
    markdown = unlink_markdown(markdown, site.excluded_targets, src_uri, url)
    if src_uri == site.user_home:
        listing = pages.home_page(site.layout, list(site.articles.values()), site.areas)
        markdown += "\n\n" + _without_front_matter_and_title(listing)
    top = _not_public_banner(src_uri, site) if site.audience == "internal" else ""
    if article is None:
        return _insert_after_title(markdown, "", top) if top else markdown
    link = _linker(src_uri, use_directory_urls)
    tags = [render.LinkTo(tag, link(site.layout.tag(tag))) for tag in article.tags]
    top += render.info_box(article, internal=site.audience == "internal", tags=tags)
    related = [
        render.LinkTo(other.title, link(other.src_uri)) for other in site.related.get(src_uri, [])
    ]
    bottom = render.related_list(related)
    crumbs = ""
    if site.nav_layout == "areas":
        crumbs, pager = _area_links(article, site, link)
        bottom += pager
    markdown = _insert_after_title(markdown, crumbs, top)
    return markdown.rstrip("\n") + ("\n\n" + bottom if bottom else "") + "\n"


def _not_public_banner(src_uri: str, site: SitePlan) -> str:
    """The internal build's banner on every page the public site leaves out."""
    if src_uri == site.layout.health:  # generated for the internal site only
        return render.not_public_banner("it is the internal KB health report", draft=False)
    kept = site.selection.pages.get(src_uri)
    if kept is None or src_uri in site.generated:
        return ""  # a listing generated for this audience: it lists this audience's articles
    reason = audience.not_public_reason(
        kept.meta,
        is_article=site.layout.is_article(src_uri),
        default_public=site.default_public,
        broken_front_matter=kept.broken_front_matter,
    )
    if reason is None:
        return ""
    return render.not_public_banner(reason, draft=audience.is_draft(kept.meta))


def _area_links(article: Article, site: SitePlan, link: _Link) -> tuple[str, str]:
    area = article.product_area or "other"
    home = site.layout.home
    has_home = home in site.generated or home == site.user_home
    trail = [render.LinkTo("Knowledge base", link(home))] if has_home else []
    area_src = site.layout.area(area)
    area_href = link(area_src) if area_src in site.generated else ""
    trail.append(render.LinkTo(area_title(area), area_href))
    members, index = site.area_order[area]
    at = index[article.src_uri]
    before = members[at - 1] if at > 0 else None
    after = members[at + 1] if at + 1 < len(members) else None
    pager = render.pager(
        render.LinkTo(before.title, link(before.src_uri)) if before else None,
        render.LinkTo(after.title, link(after.src_uri)) if after else None,
    )
    return render.breadcrumbs(trail), pager


class _Link:
    def __init__(self, here: str, use_directory_urls: bool) -> None:
        self.here = here
        self.use_directory_urls = use_directory_urls

    def __call__(self, target: str) -> str:
        return href(target, self.here, self.use_directory_urls)


def _linker(here: str, use_directory_urls: bool) -> _Link:
    return _Link(here, use_directory_urls)


def _insert_after_title(markdown: str, before: str, after: str) -> str:
    """`before` above the page's `# ` title and `after` below it (both at the top without one)."""
    lines = markdown.split("\n")
    for index, (line, in_code) in enumerate(code_aware(lines)):
        if not in_code and _H1_LINE_RE.match(line):
            head = "\n".join(lines[:index])
            tail = "\n".join(lines[index + 1 :])
            parts = [head, _block(before), line, _block(after), tail]
            return "\n".join(p for p in parts if p)
    return "\n".join(p for p in (_block(before), _block(after), markdown) if p)


def _block(html: str) -> str:
    return f"\n{html.strip()}\n" if html.strip() else ""


def _unref(line: str, ref_id: str) -> str:
    escaped = re.escape(ref_id)
    line = re.sub(rf"\[([^\]]+)\]\[{escaped}\]", r"\1", line, flags=re.IGNORECASE)
    return re.sub(rf"\[({escaped})\](?:\[\])?(?![(:])", r"\1", line, flags=re.IGNORECASE)


def _without_front_matter_and_title(markdown: str) -> str:
    _, _, rest = markdown.partition("\n---\n")
    lines = rest.splitlines()
    return "\n".join(line for line in lines if not line.startswith("# "))
