"""The JSON report (a versioned contract: `"version": 1`)."""

from __future__ import annotations

import json
from typing import Any

from kbtools.report.model import Flagged, Report

VERSION = 1


def to_data(report: Report) -> dict[str, Any]:
    """The report as plain data, in the documented shape."""
    return {
        "version": VERSION,
        "generated": report.generated.isoformat(),
        "since": report.since.isoformat() if report.since else None,
        "area": report.area,
        "articles": report.articles,
        "history": {
            "available": report.history.available,
            "reason": report.history.reason or None,
            "commits": report.history.commits,
        },
        "recurring": [
            {
                "id": r.article.id,
                "path": r.article.path,
                "title": r.article.title,
                "product_area": r.article.area,
                "tickets": r.tickets,
                "added": r.added,
                "by_month": r.by_month,
                "last_30_days": r.last_30_days,
                "rising": r.rising,
            }
            for r in report.recurring
        ],
        "stale": [_flagged(f) for f in report.stale],
        "quality": [_flagged(f) for f in report.quality],
        "coverage": {
            c.area: {
                "articles": c.articles,
                "tickets": c.tickets,
                "added": c.added,
                "recurring": c.recurring,
            }
            for c in report.coverage
        },
    }


def render(report: Report) -> str:
    """The report as indented JSON with a final newline."""
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"


def _flagged(item: Flagged) -> dict[str, Any]:
    return {
        "id": item.article.id,
        "path": item.article.path,
        "title": item.article.title,
        "reasons": [r.code for r in item.reasons],
        "details": [r.detail for r in item.reasons],
    }
