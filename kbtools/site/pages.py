"""Generated pages: the KB home, one page per product area, known issues and tag pages.

Each function takes the articles of this build only (the audience filter has already
run), so a generated page can never list a page that is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from kbtools.site.catalog import Article
from kbtools.site.layout import Layout, area_title, relative, slug
from kbtools.wording import plural

TYPE_TITLES = {
    "troubleshooting": "Troubleshooting",
    "how-to": "How-to guides",
    "known-issue": "Known issues",
    "faq": "Questions",
}
# Listing pages are navigation, not answers: keep them out of search so a query made of an
# error message lands on the article, not on a page that merely lists its title.
_FRONT_MATTER = "---\nsearch:\n  exclude: true\nkb_generated: true\n---\n\n"
_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>|#])")
LATEST = 10
AREA_LISTED = 10


def md_escape(text: str) -> str:
    """Text safe to put inside Markdown link text or a table cell."""
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def ordered_areas(articles: Iterable[Article], configured: Sequence[str]) -> list[str]:
    """Product areas that have articles: configured order first, then the rest sorted."""
    present = {a.product_area or "other" for a in articles}
    return [a for a in configured if a in present] + sorted(present - set(configured))


def home_page(layout: Layout, articles: Sequence[Article], areas: Sequence[str]) -> str:
    """The KB home: articles by product area, then the newest and recently updated ones.

    Each area lists at most AREA_LISTED articles by title and links to its area page, which
    lists them all; that keeps the home small in a KB of thousands of articles.
    """
    here = layout.home
    lines = [_FRONT_MATTER + "# Knowledge base", ""]
    lines.append(
        f"{_count(len(articles))}. Paste an error message into the search box to find the "
        "article that fixes it."
    )
    see = []
    if any(a.type == "known-issue" for a in articles):
        see.append(f"the [known issues]({relative(layout.known_issues, here)}) of each release")
    if any(a.tags for a in articles):
        see.append(f"[all tags]({relative(layout.tags_index, here)})")
    if see:
        lines += ["", f"See also {' and '.join(see)}."]
    lines += ["", "## Product areas"]
    by_area = group_by_area(articles)
    for area in areas:
        link = relative(layout.area(area), here)
        members = sorted(by_area[area], key=lambda a: a.title.casefold())
        lines += ["", f"### [{md_escape(area_title(area))}]({link})", ""]
        lines += [_item(a, here, None) for a in members[:AREA_LISTED]]
        if len(members) > AREA_LISTED:
            lines.append(f"- [All {_count(len(members))} in {md_escape(area_title(area))}]({link})")
    newest = sorted(articles, key=lambda a: (a.created or dt.date.min, a.title), reverse=True)
    lines += ["", "## Newest", ""]
    lines += [_item(a, here, a.created) for a in newest[:LATEST]]
    updated = [a for a in articles if a.updated and a.updated != a.created]
    updated.sort(key=lambda a: (a.updated or dt.date.min, a.title), reverse=True)
    if updated:
        lines += ["", "## Recently updated", ""]
        lines += [_item(a, here, a.updated) for a in updated[:LATEST]]
    return "\n".join(lines) + "\n"


def area_page(layout: Layout, area: str, articles: Sequence[Article]) -> str:
    """One product area: its articles grouped by type, by title."""
    here = layout.area(area)
    lines = [_FRONT_MATTER + f"# {md_escape(area_title(area))}", ""]
    lines.append(f"{_count(len(articles))}.")
    for kind, members in by_type(articles):
        lines += ["", f"## {TYPE_TITLES.get(kind, kind.capitalize() or 'Other')}", ""]
        for article in members:
            summary = f": {md_escape(article.summary)}" if article.summary else ""
            lines.append(
                f"- [{md_escape(article.title)}]({relative(article.src_uri, here)}){summary}"
            )
    return "\n".join(lines) + "\n"


def by_type(articles: Sequence[Article]) -> list[tuple[str, list[Article]]]:
    """Articles grouped by type (known types first), each group by title: the area order."""
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[article.type].append(article)
    order = [t for t in TYPE_TITLES if t in grouped] + sorted(set(grouped) - set(TYPE_TITLES))
    return [(kind, sorted(grouped[kind], key=lambda a: a.title.casefold())) for kind in order]


def area_order(articles: Sequence[Article]) -> list[Article]:
    """The articles of one area in the order its page lists them (previous/next follow it)."""
    return [a for _, members in by_type(articles) for a in members]


def known_issues_page(layout: Layout, articles: Sequence[Article], *, tables: bool) -> str:
    """Known issues by affected version (newest first), with status and fix version."""
    here = layout.known_issues
    issues = [a for a in articles if a.type == "known-issue"]
    lines = [_FRONT_MATTER + "# Known issues", ""]
    if not issues:
        return "\n".join([*lines, "No known issues."]) + "\n"
    by_version: dict[str, list[Article]] = defaultdict(list)
    for issue in issues:
        for version in issue.affected or ("Unspecified",):
            by_version[version].append(issue)
    for version in sorted(by_version, key=version_key, reverse=True):
        lines += ["", f"## {md_escape(version)}", ""]
        if tables:
            lines += ["| Issue | Status | Fixed in |", "| --- | --- | --- |"]
        for issue in sorted(by_version[version], key=lambda a: a.title.casefold()):
            link = f"[{md_escape(issue.title)}]({relative(issue.src_uri, here)})"
            status = "Fixed" if issue.fixed else "Open"
            fixed = md_escape(issue.fixed) if issue.fixed else "not yet"
            if tables:
                lines.append(f"| {link} | {status} | {fixed} |")
            else:
                lines.append(f"- {link}: {status}, fixed in {fixed}")
    return "\n".join(lines) + "\n"


def tag_pages(layout: Layout, articles: Sequence[Article]) -> dict[str, str]:
    """The tag index and one page per tag (tags whose slugs collide share a page)."""
    by_slug: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in articles:
        for tag in dict.fromkeys(article.tags):
            names.setdefault(slug(tag), tag)
            by_slug[slug(tag)].append(article)
    if not by_slug:
        return {}
    pages: dict[str, str] = {}
    index_lines = [_FRONT_MATTER + "# Tags", ""]
    for key in sorted(by_slug, key=lambda k: names[k].casefold()):
        path = layout.tag(names[key])
        tagged = sorted(by_slug[key], key=lambda a: a.title.casefold())
        index_lines.append(
            f"- [{md_escape(names[key])}]({relative(path, layout.tags_index)}) ({len(tagged)})"
        )
        lines = [_FRONT_MATTER + f"# Tag: {md_escape(names[key])}", ""]
        lines += [f"- [{md_escape(a.title)}]({relative(a.src_uri, path)})" for a in tagged]
        pages[path] = "\n".join(lines) + "\n"
    pages[layout.tags_index] = "\n".join(index_lines) + "\n"
    return pages


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders `5.10` after `5.9` and puts text after numbers."""
    parts = re.split(r"[.\-+]", version.lstrip("vV"))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def group_by_area(articles: Iterable[Article]) -> dict[str, list[Article]]:
    """Articles keyed by product area (`other` for none)."""
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[article.product_area or "other"].append(article)
    return grouped


def _count(n: int) -> str:
    return plural(n, "article")


def _item(article: Article, here: str, day: dt.date | None) -> str:
    when = f" ({day.isoformat()})" if day else ""
    return f"- [{md_escape(article.title)}]({relative(article.src_uri, here)}){when}"
