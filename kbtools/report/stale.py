"""Stale articles: review date passed, not updated for long, old drafts, unsupported versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kbtools.report.model import ArticleNow, Flagged, Reason
from kbtools.site.pages import version_key
from kbtools.wording import plural

REVIEW = "review-lapsed"
UPDATED = "not-updated"
DRAFT = "old-draft"
UNSUPPORTED = "unsupported-versions"
REASONS = (REVIEW, UPDATED, DRAFT, UNSUPPORTED)
"""Every reason code, in the order reports list them."""


def stale(
    articles: Iterable[ArticleNow],
    today: dt.date,
    *,
    stale_days: int,
    draft_days: int,
    oldest_supported: str | None,
) -> list[Flagged]:
    """Articles with at least one reason to be looked at again, most reasons first."""
    flagged = []
    for article in articles:
        reasons = list(_reasons(article, today, stale_days, draft_days, oldest_supported))
        if reasons:
            flagged.append(Flagged(article, tuple(reasons)))
    flagged.sort(key=lambda f: (-len(f.reasons), _oldest(f.article), f.article.path))
    return flagged


def _reasons(
    article: ArticleNow,
    today: dt.date,
    stale_days: int,
    draft_days: int,
    oldest_supported: str | None,
) -> Iterable[Reason]:
    if article.review_by is not None and article.review_by < today:
        days = (today - article.review_by).days
        yield Reason(REVIEW, f"review_by {article.review_by.isoformat()} passed {_days(days)} ago")
    last = article.updated or article.created
    if last is not None and (today - last).days > stale_days:
        field = "updated" if article.updated else "created"
        yield Reason(
            UPDATED,
            f"{field} {last.isoformat()} is {_days((today - last).days)} old "
            f"(stale after {stale_days})",
        )
    if article.status == "draft" and article.created is not None:
        age = (today - article.created).days
        if age > draft_days:
            yield Reason(DRAFT, f"draft since {article.created.isoformat()} ({_days(age)})")
    if oldest_supported and article.affected and _all_older(article.affected, oldest_supported):
        yield Reason(
            UNSUPPORTED,
            f"affects only {', '.join(article.affected)}, older than {oldest_supported}",
        )


def _all_older(versions: Iterable[str], oldest: str) -> bool:
    floor = version_key(oldest)
    keys = [version_key(v) for v in versions]
    # Only versions that start with a number compare; "all" or "unknown" never make it stale.
    return all(key and key[0][0] == 0 and key < floor for key in keys)


def _oldest(article: ArticleNow) -> dt.date:
    return article.review_by or article.updated or article.created or dt.date.min


def _days(n: int) -> str:
    return plural(n, "day")
