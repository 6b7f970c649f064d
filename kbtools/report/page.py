"""The "KB health" page of the internal site: the report as Markdown the site renders.

The site plugin calls `health_page()` for internal builds only; the page links articles
with Markdown links relative to the page, so the site resolves them like any other link,
and names articles the build left out as plain text.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from kbtools.report.charts import coverage_chart, tickets_chart
from kbtools.report.model import ArticleNow, Flagged, Report
from kbtools.report.render_html import summary

MARKER = "kb-health-page"
"""CSS class of the page's wrapper: the leak test looks for it in every public output."""
LISTED = 20
_FRONT_MATTER = "---\ntitle: KB health\nsearch:\n  exclude: true\nkb_generated: true\n---\n\n"


def health_page(
    config_file: Path,
    src_uri: str,
    in_build: Collection[str],
    today: dt.date | None = None,
) -> str:
    """The page for the project of `config_file`, to be served at `src_uri` (docs-relative).

    `in_build` holds the docs-relative paths of the articles this build contains.
    """
    from kbtools.clock import today as clock_today
    from kbtools.project import Project
    from kbtools.report.build import build_report

    project = Project.load(str(config_file))
    report = build_report(project, today or clock_today())
    return markdown(report, src_uri, in_build)


def markdown(report: Report, src_uri: str, in_build: Collection[str]) -> str:
    """The report as the page's Markdown (charts as inline SVG inside raw HTML blocks)."""

    def link(article: ArticleNow) -> str:
        name = _escape(f"{article.id} {article.title}".strip())
        if article.src_uri not in in_build:
            return name
        target = posixpath.relpath(article.src_uri, posixpath.dirname(src_uri) or ".")
        return f"[{name}]({target})"

    lines = [_FRONT_MATTER + "# KB health", "", f'<div class="{MARKER}" markdown="0"></div>', ""]
    lines += [f"Report of {report.generated.isoformat()}: {summary(report)}", ""]
    lines += ["## Recurring problems", ""]
    chart = tickets_chart(report)
    if chart:
        lines += [f'<div class="kb-health-chart">{chart}</div>', ""]
    for item in report.recurring[:LISTED]:
        window = (
            f"{item.added} since {report.since.isoformat()}"
            if report.since
            else f"{item.last_30_days} in the last 30 days"
        )
        rising = ", **rising**" if item.rising else ""
        lines.append(f"- {link(item.article)}: {item.tickets} tickets, {window}{rising}")
    if not report.recurring:
        lines.append("No article links two tickets or more.")
    lines += ["", "## Stale articles", ""]
    lines += _flagged(report.stale, link)
    lines += ["", "## Quality", ""]
    lines += _flagged(report.quality, link)
    lines += ["", "## Coverage by product area", ""]
    chart = coverage_chart(report)
    if chart:
        lines += [f'<div class="kb-health-chart">{chart}</div>', ""]
    for row in report.coverage:
        lines.append(
            f"- {_escape(row.area)}: {_count(row.articles, 'article')}, "
            f"{_count(row.tickets, 'ticket')}, {row.recurring} recurring"
        )
    return "\n".join(lines) + "\n"


def _flagged(items: Sequence[Flagged], link: Callable[[ArticleNow], str]) -> list[str]:
    if not items:
        return ["None."]
    lines = [
        f"- {link(f.article)}: {'; '.join(_escape(r.detail) for r in f.reasons)}"
        for f in items[:LISTED]
    ]
    if len(items) > LISTED:
        lines.append(f"- ... and {len(items) - LISTED} more (`kb report` lists all)")
    return lines


def _escape(text: str) -> str:
    from kbtools.site.pages import md_escape

    return md_escape(text)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
