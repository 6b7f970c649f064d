"""The terminal summary: top recurring articles, counts of stale reasons and quality problems.

Plain aligned columns: the project has no table library, and this needs none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kbtools.report import quality as quality_codes
from kbtools.report import stale as stale_codes
from kbtools.report.model import Flagged, Report

TOP = 10
TITLE_WIDTH = 48


def render(report: Report, *, top: int = TOP) -> str:
    """A compact summary for a terminal (a few dozen lines for any KB size)."""
    lines = [_heading(report)]
    if not report.history.available:
        lines.append(f"History unavailable: {report.history.reason}. Front matter only.")
    lines += ["", _title("Recurring", len(report.recurring))]
    if report.recurring:
        window = "since" if report.since else "30 days"
        rows: list[tuple[str, ...]] = [
            ("id", "tickets", "added" if report.since else window, "rising", "title")
        ]
        for item in report.recurring[:top]:
            rows.append(
                (
                    item.article.id or "-",
                    str(item.tickets),
                    str(item.added if report.since else item.last_30_days),
                    "yes" if item.rising else "",
                    _cut(item.article.title),
                )
            )
        lines += _table(rows, right=(1, 2))
        if len(report.recurring) > top:
            lines.append(f"... and {len(report.recurring) - top} more (--format json lists all)")
    lines += ["", _title("Stale", len(report.stale))]
    lines += _counts(report.stale, stale_codes.REASONS)
    lines += ["", _title("Quality", len(report.quality))]
    lines += _counts(report.quality, quality_codes.REASONS)
    lines += ["", _title("Coverage", len(report.coverage), noun="area")]
    if not report.coverage:
        return "\n".join([*lines, "  none"]) + "\n"
    areas: list[tuple[str, ...]] = [("area", "articles", "tickets", "recurring")]
    areas += [(c.area, str(c.articles), str(c.tickets), str(c.recurring)) for c in report.coverage]
    lines += _table(areas, right=(1, 2, 3))
    return "\n".join(lines) + "\n"


def _heading(report: Report) -> str:
    parts = [f"KB report {report.generated.isoformat()}: {_plural(report.articles, 'article')}"]
    if report.area:
        parts.append(f"area {report.area}")
    if report.since:
        parts.append(f"since {report.since.isoformat()}")
    if report.history.available:
        commits = report.history.commits
        parts.append(f"{commits} commit{'' if commits == 1 else 's'} of history")
    return ", ".join(parts)


def _title(name: str, count: int, noun: str = "article") -> str:
    return f"{name} ({_plural(count, noun)})"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _counts(items: Sequence[Flagged], order: Sequence[str]) -> list[str]:
    counts = Counter(r.code for f in items for r in f.reasons)
    if not counts:
        return ["  none"]
    rows = [(code, str(counts[code])) for code in order if counts[code]]
    return _table(rows, right=(1,))


def _table(rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        out.append(("  " + "  ".join(cells)).rstrip())
    return out


def _cut(text: str) -> str:
    return text if len(text) <= TITLE_WIDTH else text[: TITLE_WIDTH - 1] + "…"
