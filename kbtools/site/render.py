"""HTML and Markdown added to article pages: the info box, draft banner, error messages
as copyable code, and the related articles list."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from kbtools.site.catalog import (
    ERROR_SECTION,
    FENCE_RE,
    H2_RE,
    LIST_ITEM_RE,
    Article,
    unwrap_code_span,
)

TYPE_NAMES = {
    "troubleshooting": "Troubleshooting",
    "how-to": "How-to",
    "known-issue": "Known issue",
    "faq": "FAQ",
}
DEPLOYMENT_NAMES = {
    "kubernetes": "Kubernetes",
    "helm": "Helm",
    "kustomize": "Kustomize",
    "docker-compose": "Docker Compose",
    "docker-single-container": "Docker (single container)",
    "aws-ami": "AWS AMI",
    "machine-image": "Machine image",
    "bare-metal": "Bare metal",
    "cloud": "Cloud",
}


@dataclass(frozen=True)
class LinkTo:
    """A link already resolved to a URL relative to the page it appears on."""

    title: str
    href: str


def info_box(
    article: Article,
    *,
    internal: bool,
    tags: Sequence[LinkTo] = (),
) -> str:
    """The box under the title: type, applies-to, deployments, dates (and, internally, more)."""
    rows: list[tuple[str, str]] = [("Type", _e(TYPE_NAMES.get(article.type, article.type)))]
    if article.affected or article.fixed:
        versions = ", ".join(article.affected) or "unspecified"
        fixed = f" (fixed in {article.fixed})" if article.fixed else ""
        rows.append(("Applies to", _e(versions + fixed)))
    if article.deployment:
        names = ", ".join(DEPLOYMENT_NAMES.get(d, d) for d in article.deployment)
        rows.append(("Deployment", _e(names)))
    if article.last_updated:
        rows.append(("Last updated", _date(article.last_updated)))
    reviewed = last_reviewed(article)
    if reviewed:
        rows.append(("Last reviewed", _date(reviewed)))
    if tags:
        rows.append(("Tags", ", ".join(_link(t) for t in tags)))
    if internal:
        # Only the internal build may show who owns an article and which tickets it came from.
        rows.append(
            ("Status", _e(f"{article.status or 'unknown'}, {article.visibility or 'unset'}"))
        )
        if article.owner:
            rows.append(("Owner", _e(article.owner)))
        if article.tickets:
            rows.append(("Tickets", _e(", ".join(article.tickets))))
        if article.review_by:
            rows.append(("Review by", _date(article.review_by)))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    title = _e(article.id) if article.id else "Article"
    return (
        '<div class="admonition info kb-article-info" data-search-exclude>'
        f'<p class="admonition-title">{title}</p><table><tbody>{body}</tbody></table></div>\n'
    )


def last_reviewed(article: Article) -> dt.date | None:
    """The date of the last review: front matter `reviewed`, set when a review happened.

    Nothing else counts: `review_by` only says when a review is due, and a new article
    that nobody reviewed must not claim "Last reviewed" on its creation date.
    """
    return article.reviewed


def not_public_banner(reason: str, *, draft: bool) -> str:
    """The banner on every page of the internal build that the public site leaves out."""
    title = "Draft: not public" if draft else "Not public"
    extra = " kb-draft" if draft else ""
    return (
        f'<div class="admonition warning kb-not-public{extra}" data-search-exclude>'
        f'<p class="admonition-title">{_e(title)}</p>'
        f"<p>This page is not on the public site: {_e(reason)}.</p></div>\n"
    )


def related_list(items: Sequence[LinkTo]) -> str:
    """The "Related articles" section (kept out of the search index).

    The heading has no id: Material's search indexer opens a section for every heading
    with an id, even inside `data-search-exclude`, and would index an empty duplicate.
    """
    if not items:
        return ""
    entries = "".join(f"<li>{_link(i)}</li>" for i in items)
    return (
        '<div class="kb-related" data-search-exclude>'
        f'<h2 class="kb-related-title">Related articles</h2><ul>{entries}</ul></div>\n'
    )


def insert_after_title(content: str, extra: str) -> str:
    """`extra` placed right after the page's first `</h1>`, else at the top."""
    end = content.find("</h1>")
    if end < 0:
        return extra + content
    end += len("</h1>")
    return content[:end] + "\n" + extra + content[end:]


def error_messages_as_code(markdown: str) -> str:
    """Each list item under "Error messages" becomes its own code block (with a copy button).

    Raw `<pre><code>` blocks work whatever Markdown extensions a site enables, and separate
    blocks (unlike indented code) never merge. Fenced blocks and prose are left alone.
    """
    out: list[str] = []
    fence = ""
    inside = False
    for line in markdown.splitlines():
        match = FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            out.append(line)
            continue
        if match:
            fence = match.group(1)
            out.append(line)
            continue
        heading = H2_RE.match(line)
        if heading or line.startswith("# "):
            title = heading.group(1).strip().casefold() if heading else ""
            inside = title == ERROR_SECTION.casefold()
            out.append(line)
            continue
        item = LIST_ITEM_RE.match(line) if inside else None
        if item and item.group(1).strip():
            code = _e(unwrap_code_span(item.group(1).strip()))
            out += ["", f'<pre class="kb-error-message"><code>{code}</code></pre>', ""]
            continue
        out.append(line)
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def _link(link: LinkTo) -> str:
    if not link.href:
        return _e(link.title)
    return f'<a href="{_e(link.href)}">{_e(link.title)}</a>'


def _date(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.isoformat()}</time>'


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def breadcrumbs(trail: Sequence[LinkTo]) -> str:
    """Where an article sits: the KB home and its product area (for articles not in the nav)."""
    if not trail:
        return ""
    links = " › ".join(_link(t) for t in trail)
    return (
        f'<nav class="kb-breadcrumbs" aria-label="Breadcrumbs" data-search-exclude>{links}</nav>\n'
    )


def pager(previous: LinkTo | None, following: LinkTo | None) -> str:
    """Previous and next article of the same product area, in the order of the area page."""
    if previous is None and following is None:
        return ""
    parts = []
    if previous is not None:
        parts.append(
            f'<a class="kb-pager-previous" rel="prev" href="{_e(previous.href)}">← {_e(previous.title)}</a>'
        )
    if following is not None:
        parts.append(
            f'<a class="kb-pager-next" rel="next" href="{_e(following.href)}">{_e(following.title)} →</a>'
        )
    return f'<nav class="kb-pager" aria-label="Previous and next in this area" data-search-exclude>{" ".join(parts)}</nav>\n'
