"""One triage run: parse the text, load the site's index, rank, keep the best, or abstain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbtools.errors import InputError
from kbtools.match import rules as rules_module
from kbtools.match.cache import load_index
from kbtools.match.index import Index
from kbtools.match.rank import Facts, LineMatch, Scored, rank, round_score
from kbtools.match.words import WORD_RE, masked, stem
from kbtools.project import Project
from kbtools.site.audience import AUDIENCES
from kbtools.triage.query import Query, parse_query


@dataclass(frozen=True)
class Evidence:
    """Why a unit matched: a query line and the document line, or the shared words."""

    kind: str
    query: str
    line: str
    line_number: int | None
    terms: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """One item of a match's `evidence`."""
        return {
            "kind": self.kind,
            "query": self.query,
            "line": self.line,
            "line_number": self.line_number,
            "terms": list(self.terms),
        }


@dataclass(frozen=True)
class Match:
    """A ranked answer."""

    path: str
    anchor: str | None
    title: str
    page_title: str
    id: str | None
    url: str | None
    score: float
    evidence: tuple[Evidence, ...]

    def as_json(self) -> dict[str, Any]:
        """One item of `matches`."""
        return {
            "path": self.path,
            "anchor": self.anchor,
            "title": self.title,
            "id": self.id,
            "url": self.url,
            "score": self.score,
            "evidence": [e.as_json() for e in self.evidence],
        }


@dataclass
class Result:
    """A triage run's answer."""

    query: Query
    matches: list[Match]
    abstained: bool
    threshold: float
    best_score: float
    audience: str
    units: int = 0
    near: list[Match] = field(default_factory=list)
    """The best matches under the threshold (shown in the text output when abstaining)."""

    def as_json(self) -> dict[str, Any]:
        """The `kb triage --json` payload (version 1)."""
        return {
            "version": 1,
            "query": self.query.as_json(),
            "matches": [m.as_json() for m in self.matches],
            "abstained": self.abstained,
        }


def search(
    project: Project,
    text: str,
    *,
    audience: str = "internal",
    top: int = 5,
    min_score: float | None = None,
    name: str = "",
) -> Result:
    """Rank the site's sections for `text`; abstain when none scores `min_score` or more."""
    if audience not in AUDIENCES:
        raise InputError(f"unknown audience {audience!r} (choose from {', '.join(AUDIENCES)})")
    if top < 1:
        raise InputError(f"--top must be at least 1, not {top}")
    ranking = rules_module.load().ranking
    threshold = ranking["threshold"] if min_score is None else min_score
    query = parse_query(text, name)
    index = load_index(project, audience).index
    facts = Facts(tuple(query.versions), tuple(query.deployment))
    ranked = _per_page(rank(index, query.lines, query.words, facts), index, ranking["per_page"])
    site_url = project.config.raw.get("site_url")
    best = ranked[0].score if ranked else 0.0
    # The threshold decides whether to answer at all; once the best clears it, the next
    # ones are listed while they keep `list_floor` of it (a second FAQ entry may be the
    # one) and, unless `--min-score` set the cut, `list_share` of the best (a unit a fifth
    # as good as the best is noise).
    floor = threshold * ranking["list_floor"]
    if min_score is None:
        floor = max(floor, best * ranking["list_share"])
    chosen = [s for s in ranked if s.score >= floor][:top] if best >= threshold else []
    matches = [_match(index, s, site_url) for s in chosen]
    near = [] if matches else [_match(index, s, site_url) for s in ranked[:3]]
    return Result(
        query=query,
        matches=matches,
        abstained=not matches,
        threshold=threshold,
        best_score=round_score(best),
        audience=audience,
        units=index.unit_count,
        near=near,
    )


def _per_page(ranked: list[Scored], index: Index, limit: int) -> list[Scored]:
    """At most `limit` units of one page, so one long FAQ does not fill the list."""
    seen: dict[str, int] = {}
    result: list[Scored] = []
    for scored in ranked:
        path = index.units[scored.unit][0]
        if seen.get(path, 0) >= limit:
            continue
        seen[path] = seen.get(path, 0) + 1
        result.append(scored)
    return result


def _match(index: Index, scored: Scored, site_url: object) -> Match:
    unit = index.unit(scored.unit)
    evidence = [_line_evidence(m) for m in scored.evidence]
    if not evidence and scored.text_terms:
        words = sorted(set(scored.text_terms), key=lambda w: -index.weight(w))[:8]
        evidence.append(Evidence("words", "", "", None, tuple(words)))
    url = None
    if isinstance(site_url, str) and site_url:
        url = site_url.rstrip("/") + "/" + unit.url.lstrip("/")
    return Match(
        path=unit.path,
        anchor=unit.anchor,
        title=unit.title,
        page_title=unit.page_title,
        id=unit.id,
        url=url,
        score=round_score(scored.score),
        evidence=tuple(evidence),
    )


def _line_evidence(match: LineMatch) -> Evidence:
    shared = set(match.terms)
    surface = list(
        dict.fromkeys(
            w for w in WORD_RE.findall(masked(match.line, names=True)) if stem(w) in shared
        )
    )
    return Evidence(match.kind, match.query, match.line, match.line_number, tuple(surface))
