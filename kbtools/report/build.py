"""Compute a report: load the inputs once, then each section once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kbtools.errors import ConfigError, InputError
from kbtools.project import Project
from kbtools.report.coverage import coverage
from kbtools.report.history import load_history
from kbtools.report.inventory import load_articles
from kbtools.report.model import Report
from kbtools.report.quality import quality
from kbtools.report.recurring import recurring
from kbtools.report.stale import stale

CACHE_DIR = ".kb-cache"
_RELATIVE_RE = re.compile(r"^(\d+)\s*([dwmy])$")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_since(text: str, today: dt.date) -> dt.date:
    """`2026-06-01`, `2026-06` (its first day) or a span back from today: `90d`, `12w`, `6m`, `1y`."""
    value = text.strip().lower()
    if match := _RELATIVE_RE.match(value):
        return today - dt.timedelta(days=int(match.group(1)) * _UNIT_DAYS[match.group(2)])
    try:
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date.fromisoformat(value + "-01")
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--since: '{text}' is not a date: use YYYY-MM-DD, YYYY-MM or a span such as 90d, 12w, 6m"
        ) from None


def build_report(
    project: Project,
    today: dt.date,
    *,
    since: dt.date | None = None,
    area: str | None = None,
    cache: bool = True,
) -> Report:
    """The whole report for `project` on `today` (archived articles are left out)."""
    settings = project.kb.report
    if settings.stale_days < 0 or settings.draft_days < 0:
        raise ConfigError(
            f"{project.config.path}: plugins.kb.report: stale_days and draft_days must be 0 or more"
        )
    configured = list(project.kb.product_areas)
    if area is not None and configured and area not in configured:
        raise InputError(f"--area: '{area}' is not a product area ({', '.join(configured)})")
    cache_dir = project.root / CACHE_DIR if cache else None
    history = load_history(project.root, project.articles_dir, cache_dir)
    if since is not None and not history.available:
        raise InputError(f"--since needs git history: {history.reason}")
    articles, notes = load_articles(project, cache_dir)
    articles = [a for a in articles if a.status != "archived"]
    if area is not None:
        articles = [a for a in articles if a.area == area]
        configured = [area]
    ranked = recurring(articles, history, today, since)
    added = {
        path: sum(len(a.tickets) for a in past.additions if (since is None or a.day >= since))
        for path, past in history.articles.items()
    }
    return Report(
        generated=today,
        since=since,
        area=area,
        history=history,
        recurring=ranked,
        stale=stale(
            articles,
            today,
            stale_days=settings.stale_days,
            draft_days=settings.draft_days,
            oldest_supported=settings.oldest_supported,
        ),
        quality=quality(articles),
        coverage=coverage(articles, ranked, configured, added=added),
        articles=len(articles),
        notes=notes,
    )


def cache_path(project: Project) -> Path:
    """Where the report keeps its caches (safe to delete)."""
    return project.root / CACHE_DIR
