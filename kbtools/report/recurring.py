"""Recurring problems: articles ranked by their linked tickets, with tickets added per month."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from kbtools.report.model import ArticleHistory, ArticleNow, History, Recurring

RECENT_DAYS = 30
"""A rising article had more tickets added in this many days than its monthly average before."""
MIN_TICKETS = 2
"""An article has recurred once it links this many tickets."""
DAYS_PER_MONTH = 30


def month_key(day: dt.date) -> str:
    """`2026-02` for any day in February 2026."""
    return f"{day.year:04d}-{day.month:02d}"


def recurring(
    articles: Iterable[ArticleNow], history: History, today: dt.date, since: dt.date | None
) -> list[Recurring]:
    """Articles linking at least MIN_TICKETS tickets, most tickets first.

    With `since`, only articles that gained a ticket on or after that day are listed,
    ranked by the tickets they gained since then.
    """
    ranked: list[Recurring] = []
    for article in articles:
        if len(article.tickets) < MIN_TICKETS:
            continue
        past = history.articles.get(article.path)
        by_month, added, recent, rising = _trend(past, today, since)
        if not history.available:
            added = len(article.tickets)
        if since is not None and added == 0:
            continue
        ranked.append(
            Recurring(
                article=article,
                tickets=len(article.tickets),
                added=added,
                by_month=by_month,
                last_30_days=recent,
                rising=rising,
            )
        )
    if since is None:
        ranked.sort(key=lambda r: (-r.tickets, not r.rising, -r.added, r.article.path))
    else:
        ranked.sort(key=lambda r: (-r.added, -r.tickets, not r.rising, r.article.path))
    return ranked


def _trend(
    past: ArticleHistory | None, today: dt.date, since: dt.date | None
) -> tuple[dict[str, int], int, int, bool]:
    """Tickets added per month (in the window), added in the window, in the last 30 days, rising."""
    if past is None:
        return {}, 0, 0, False
    cutoff = today - dt.timedelta(days=RECENT_DAYS)
    months: Counter[str] = Counter()
    added = recent = before = 0
    for addition in past.additions:
        count = len(addition.tickets)
        if addition.day > today:
            continue
        if since is None or addition.day >= since:
            months[month_key(addition.day)] += count
            added += count
        if addition.day > cutoff:
            recent += count
        else:
            before += count
    rising = False
    if past.first_day <= cutoff and recent:
        span_months = max(1.0, (cutoff - past.first_day).days / DAYS_PER_MONTH)
        rising = recent > before / span_months
    return dict(sorted(months.items())), added, recent, rising
