"""The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from kbtools.report.charts import coverage_chart, tickets_chart
from kbtools.report.model import ArticleNow, Flagged, Report

TABLE_ROWS = 50
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1b1f24;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
td.n,th.n{text-align:right}.rising{color:#b42318;font-weight:600}
nav a{margin-right:1rem}.note{color:#57606a}svg.kb-chart{max-width:100%;height:auto}
"""


def render(report: Report, *, root: Path, out_dir: Path) -> str:
    """The page; article links point at the Markdown files, relative to `out_dir`."""

    def href(article: ArticleNow) -> str:
        return Path(os.path.relpath(root / article.path, out_dir)).as_posix()

    return page(report, href)


def page(report: Report, href: Callable[[ArticleNow], str]) -> str:
    """The page with article links made by `href`."""
    title = f"KB health {report.generated.isoformat()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(summary(report))}</p>',
        '<nav><a href="#recurring">Recurring</a><a href="#stale">Stale</a>'
        '<a href="#quality">Quality</a><a href="#coverage">Coverage</a></nav>',
        '<h2 id="recurring">Recurring problems</h2>',
    ]
    chart = tickets_chart(report)
    if chart:
        parts.append(f'<figure class="kb-health-chart">{chart}</figure>')
    parts.append(
        _table(
            ("Article", "Area", "Tickets", "Added" if report.since else "Last 30 days", ""),
            [
                (
                    _link(r.article, href),
                    escape(r.article.area),
                    str(r.tickets),
                    str(r.added if report.since else r.last_30_days),
                    '<span class="rising">rising</span>' if r.rising else "",
                )
                for r in report.recurring[:TABLE_ROWS]
            ],
            numeric=(2, 3),
            empty="No article links two tickets or more.",
            more=len(report.recurring) - TABLE_ROWS,
        )
    )
    parts += ['<h2 id="stale">Stale articles</h2>', _flagged(report.stale, href, "None.")]
    parts += ['<h2 id="quality">Quality</h2>', _flagged(report.quality, href, "None.")]
    parts.append('<h2 id="coverage">Coverage by product area</h2>')
    chart = coverage_chart(report)
    if chart:
        parts.append(f'<figure class="kb-health-chart">{chart}</figure>')
    parts.append(
        _table(
            ("Area", "Articles", "Tickets", "Recurring"),
            [
                (escape(c.area), str(c.articles), str(c.tickets), str(c.recurring))
                for c in report.coverage
            ],
            numeric=(1, 2, 3),
            empty="No articles.",
        )
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def summary(report: Report) -> str:
    """One sentence: what the report covers."""
    text = f"{report.articles} article{'' if report.articles == 1 else 's'}"
    if report.area:
        text += f" in {report.area}"
    if report.history.available:
        commits = report.history.commits
        text += f", {commits} commit{'' if commits == 1 else 's'} of history"
    else:
        text += f"; history unavailable ({report.history.reason}), front matter only"
    if report.since:
        text += f"; tickets added since {report.since.isoformat()}"
    return text + "."


def _link(article: ArticleNow, href: Callable[[ArticleNow], str]) -> str:
    name = escape(f"{article.id} {article.title}".strip())
    return f'<a href="{escape(href(article))}">{name}</a>'


def _flagged(items: Sequence[Flagged], href: Callable[[ArticleNow], str], empty: str) -> str:
    return _table(
        ("Article", "Reasons"),
        [
            (_link(f.article, href), "<br>".join(escape(r.detail) for r in f.reasons))
            for f in items[:TABLE_ROWS]
        ],
        empty=empty,
        more=len(items) - TABLE_ROWS,
    )


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    empty: str,
    more: int = 0,
) -> str:
    if not rows:
        return f'<p class="note">{escape(empty)}</p>'

    def cell(tag: str, i: int, text: str) -> str:
        css = ' class="n"' if i in numeric else ""
        return f"<{tag}{css}>{text}</{tag}>"

    lines = ["<table><thead><tr>"]
    lines.append("".join(cell("th", i, escape(h)) for i, h in enumerate(head)))
    lines.append("</tr></thead><tbody>")
    for row in rows:
        lines.append("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>")
    lines.append("</tbody></table>")
    if more > 0:
        lines.append(f'<p class="note">... and {more} more (--format json lists all).</p>')
    return "".join(lines)
