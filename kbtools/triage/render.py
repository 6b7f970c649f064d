"""The text output of `kb triage`: a short ranked list a person reads in a terminal.

Matched words are highlighted with ANSI styles; `click.echo` strips them when the output
is not a terminal, so a pipe or a file gets plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from kbtools.triage.search import Evidence, Match, Result

_WIDTH = 100
_SNIPPET = 160


def render(result: Result) -> str:
    """The ranked list, or the abstention with a hint to write the article."""
    out: list[str] = []
    lines = len(result.query.error_lines)
    subject = f"{lines} error line{'s' if lines != 1 else ''}" if lines else "the text"
    if result.abstained:
        out.append(
            f"No {result.audience} article, FAQ entry or docs section matches {subject} well "
            f"enough (best score {result.best_score:.2f}, threshold {result.threshold:.2f})."
        )
        if result.near:
            out.append("Closest, for what it is worth:")
            out.extend(f"  {m.score:.2f}  {_location(m)}  {m.title}" for m in result.near)
        out.append(
            "Once the ticket is solved, write the article so the next one is found: "
            "kb new <write-up>"
        )
        return "\n".join(out) + "\n"
    count = len(result.matches)
    out.append(
        f"{count} match{'es' if count != 1 else ''} for {subject} "
        f"({result.audience} pages, best first):"
    )
    for number, match in enumerate(result.matches, 1):
        out.append("")
        title = click.style(match.title, bold=True)
        out.append(f"{number}. {match.score:.2f}  {title}")
        where = _location(match) + (f"  ({match.id})" if match.id else "")
        out.append(f"   {where}")
        if match.url:
            out.append(f"   {match.url}")
        for evidence in match.evidence[:1]:
            out.extend(_evidence(evidence))
    return "\n".join(out) + "\n"


def _location(match: Match) -> str:
    return match.path + (f"#{match.anchor}" if match.anchor else "")


def _evidence(evidence: Evidence) -> list[str]:
    if evidence.kind == "words":
        return [f"   words: {', '.join(evidence.terms)}"]
    where = f"line {evidence.line_number}" if evidence.line_number else "line"
    return [
        f"   ticket: {_highlight(_snippet(evidence.query, evidence.terms), evidence.terms)}",
        f"   {where}: {_highlight(_snippet(evidence.line, evidence.terms), evidence.terms)}",
    ]


def _snippet(text: str, terms: Iterable[str]) -> str:
    """At most `_SNIPPET` characters of a line, around its first matched word."""
    if len(text) <= _SNIPPET:
        return text
    first = min(
        (m.start() for t in terms for m in [re.search(re.escape(t), text, re.IGNORECASE)] if m),
        default=0,
    )
    start = max(0, min(first - 20, len(text) - _SNIPPET))
    piece = text[start : start + _SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + _SNIPPET < len(text) else "")


def _highlight(text: str, terms: Iterable[str]) -> str:
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return text
    pattern = re.compile(
        r"(?<![\w])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])", re.IGNORECASE
    )
    return pattern.sub(lambda m: click.style(m.group(1), fg="yellow", bold=True), text)
