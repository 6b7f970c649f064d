"""The report's data: the inputs (articles now, their ticket history) and the sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ArticleNow:
    """An article as it is in the working tree, with what the lint run found in it."""

    path: str
    """POSIX path relative to the project root (as `kb lint` prints it)."""
    src_uri: str
    """POSIX path relative to docs_dir (what the site links to)."""
    id: str
    title: str
    type: str
    product_area: str
    status: str
    visibility: str
    affected: tuple[str, ...] = ()
    tickets: tuple[str, ...] = ()
    created: dt.date | None = None
    updated: dt.date | None = None
    review_by: dt.date | None = None
    error_messages: int = 0
    todo: int = 0
    """TODO markers the lint run found (`structure.todo`)."""
    missing_sections: tuple[str, ...] = ()
    """Required sections the lint run found missing (`structure.sections`)."""
    lint_errors: tuple[tuple[str, int], ...] = ()
    """Error-severity findings by rule id, other than the two above."""

    @property
    def area(self) -> str:
        """The product area, `other` when the article names none."""
        return self.product_area or "other"


@dataclass(frozen=True)
class TicketsAdded:
    """One revision of an article that linked tickets it had not linked before."""

    day: dt.date
    """The commit's author date (UTC)."""
    tickets: tuple[str, ...]


@dataclass(frozen=True)
class ArticleHistory:
    """The ticket history of one article, its renames followed."""

    first_day: dt.date
    """Author date (UTC) of the first commit that added the article."""
    additions: tuple[TicketsAdded, ...] = ()
    former_paths: tuple[str, ...] = ()
    """Earlier project-relative paths, oldest first."""


@dataclass(frozen=True)
class History:
    """Every article's ticket history at one commit, or why there is none."""

    available: bool
    reason: str = ""
    head: str = ""
    commits: int = 0
    articles: dict[str, ArticleHistory] = field(default_factory=dict)
    """Keyed by project-relative path at HEAD."""


@dataclass(frozen=True)
class Recurring:
    """An article ranked by its linked tickets."""

    article: ArticleNow
    tickets: int
    added: int
    """Tickets added in the report's window (all of history without --since)."""
    by_month: dict[str, int]
    last_30_days: int
    rising: bool


@dataclass(frozen=True)
class Reason:
    """Why an article is stale or has a quality problem: a code and a sentence."""

    code: str
    detail: str


@dataclass(frozen=True)
class Flagged:
    """An article with the reasons it is listed in a section."""

    article: ArticleNow
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class AreaCoverage:
    """Articles and tickets of one product area."""

    area: str
    articles: int
    tickets: int
    added: int
    recurring: int


@dataclass(frozen=True)
class Report:
    """Every section of a report, each computed once."""

    generated: dt.date
    since: dt.date | None
    area: str | None
    history: History
    recurring: list[Recurring]
    stale: list[Flagged]
    quality: list[Flagged]
    coverage: list[AreaCoverage]
    articles: int
    notes: list[str] = field(default_factory=list)
