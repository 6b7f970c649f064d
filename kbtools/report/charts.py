"""The two charts of the HTML report and the health page, drawn from a Report."""

from __future__ import annotations

import datetime as dt

from kbtools.report import svg
from kbtools.report.model import Report
from kbtools.report.recurring import month_key

CHART_ARTICLES = 5
WINDOW_MONTHS = 12


def months(report: Report) -> list[str]:
    """The chart's months: from --since (or 11 months back) to the report's month."""
    end = report.generated
    start = report.since or _months_back(end, WINDOW_MONTHS - 1)
    keys = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def tickets_chart(report: Report, top: int = CHART_ARTICLES) -> str:
    """Tickets added per month for the top recurring articles, or "" without history."""
    if not report.history.available or not report.recurring:
        return ""
    axis = months(report)
    series = [
        (
            f"{r.article.id or r.article.path} {r.article.title}",
            [r.by_month.get(m, 0) for m in axis],
        )
        for r in report.recurring[:top]
    ]
    return svg.line_chart(
        f"Tickets added per month, top {len(series)} recurring articles", axis, series
    )


def coverage_chart(report: Report) -> str:
    """Articles and linked tickets of each product area."""
    if not report.coverage:
        return ""
    rows = [(c.area, c.articles, c.tickets) for c in report.coverage]
    return svg.bar_chart("Articles and tickets per product area", rows, ("articles", "tickets"))


def _months_back(day: dt.date, count: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


__all__ = ["coverage_chart", "month_key", "months", "tickets_chart"]
