"""Related articles: scored by shared error messages, services and tags."""

from __future__ import annotations

import datetime as dt
import heapq
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
    # Ties go to the most recently updated, then by title: rank every article once, so the
    # per-article selection compares plain integers (2,000 articles share tags widely).
    order = sorted(
        range(len(articles)),
        key=lambda i: (
            -(articles[i].last_updated or dt.date.min).toordinal(),
            articles[i].title.casefold(),
        ),
    )
    rank = [0] * len(articles)
    for position, index in enumerate(order):
        rank[index] = position
    result: dict[str, list[Article]] = {}
    for index, article in enumerate(articles):
        scores: dict[int, float] = defaultdict(float)
        for key in _features(article):
            weight = WEIGHTS[key[0]]
            for other in postings[key]:
                scores[other] += weight
        scores.pop(index, None)
        best = heapq.nsmallest(limit, ((-score, rank[o], o) for o, score in scores.items()))
        result[article.src_uri] = [articles[o] for _, _, o in best]
    return result


def _features(article: Article) -> set[tuple[str, str]]:
    features = {("error", " ".join(m.casefold().split())) for m in article.error_messages}
    features |= {("service", s.casefold()) for s in article.services}
    features |= {("tag", t.casefold()) for t in article.tags}
    return features
