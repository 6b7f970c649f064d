"""Coverage: articles and tickets per product area (configured areas first, empty ones too)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from kbtools.report.model import AreaCoverage, ArticleNow, Recurring


def coverage(
    articles: Iterable[ArticleNow],
    recurring: Iterable[Recurring],
    configured: Sequence[str],
    *,
    added: dict[str, int],
) -> list[AreaCoverage]:
    """One row per product area; `added` is tickets added in the window, by article path."""
    by_area: dict[str, list[ArticleNow]] = defaultdict(list)
    for article in articles:
        by_area[article.area].append(article)
    recurring_by_area: dict[str, int] = defaultdict(int)
    for item in recurring:
        recurring_by_area[item.article.area] += 1
    areas = list(configured) + sorted(set(by_area) - set(configured))
    return [
        AreaCoverage(
            area=area,
            articles=len(by_area[area]),
            tickets=sum(len(a.tickets) for a in by_area[area]),
            added=sum(added.get(a.path, 0) for a in by_area[area]),
            recurring=recurring_by_area[area],
        )
        for area in areas
    ]
