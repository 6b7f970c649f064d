"""Related articles: scored by shared error messages, services and tags."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from kbtools.site.catalog import Article

# A shared error line says far more than a shared tag: the same failure, seen again.
WEIGHTS = {"error": 3.0, "service": 2.0, "tag": 1.0}


def related_articles(articles: Sequence[Article], limit: int) -> dict[str, list[Article]]:
    """For each article (by src_uri), up to `limit` others, best first; none share nothing."""
    if limit <= 0:
        return {}
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        for key in _features(article):
            postings[key].append(index)
    result: dict[str, list[Article]] = {}
    for index, article in enumerate(articles):
        scores: dict[int, float] = defaultdict(float)
        for key in _features(article):
            weight = WEIGHTS[key[0]]
            for other in postings[key]:
                if other != index:
                    scores[other] += weight
        ranked = sorted(
            scores,
            key=lambda o: (
                -scores[o],
                -(articles[o].last_updated or dt.date.min).toordinal(),
                articles[o].title.casefold(),
            ),
        )
        result[article.src_uri] = [articles[o] for o in ranked[:limit]]
    return result


def _features(article: Article) -> set[tuple[str, str]]:
    features = {("error", " ".join(m.casefold().split())) for m in article.error_messages}
    features |= {("service", s.casefold()) for s in article.services}
    features |= {("tag", t.casefold()) for t in article.tags}
    return features
