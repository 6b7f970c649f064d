"""Quality: TODO markers, missing sections, troubleshooting without error messages, lint errors.

Nothing here checks an article itself: the lint runner found the TODO markers, missing
sections (of the article schema) and errors (see `inventory.py`), and the site's front
matter reader found the error messages.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbtools.report.model import ArticleNow, Flagged, Reason

TODO = "todo"
MISSING = "missing-section"
NO_ERRORS = "no-error-messages"
LINT = "lint-errors"
REASONS = (TODO, MISSING, NO_ERRORS, LINT)


def quality(articles: Iterable[ArticleNow]) -> list[Flagged]:
    """Articles with at least one quality problem, most problems first."""
    flagged = []
    for article in articles:
        reasons = list(_reasons(article))
        if reasons:
            flagged.append(Flagged(article, tuple(reasons)))
    flagged.sort(key=lambda f: (-len(f.reasons), f.article.path))
    return flagged


def _reasons(article: ArticleNow) -> Iterable[Reason]:
    if article.todo:
        markers = "1 TODO marker" if article.todo == 1 else f"{article.todo} TODO markers"
        yield Reason(TODO, markers)
    for section in article.missing_sections:
        yield Reason(MISSING, f"no '## {section}' section")
    if article.type == "troubleshooting" and not article.error_messages:
        yield Reason(NO_ERRORS, "troubleshooting article without error messages")
    if article.lint_errors:
        total = sum(n for _, n in article.lint_errors)
        rules = ", ".join(f"{rule} ({n})" for rule, n in article.lint_errors)
        yield Reason(LINT, f"{total} lint error{'s' if total != 1 else ''}: {rules}")
