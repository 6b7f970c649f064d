"""External http(s) links (links.external.*): checked once per URL, only with --external."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbtools.checks.base import Check, LintContext, finding
from kbtools.engines.urlcache import UrlCache
from kbtools.engines.urlcheck import EngineSettings, Outcome, UrlResult, get_engine
from kbtools.errors import ConfigError
from kbtools.findings import Finding, Severity
from kbtools.progress import ProgressBar, progress_wanted
from kbtools.rules import RuleInfo
from kbtools.wording import plural

if TYPE_CHECKING:
    from kbtools.config import ExternalConfig

BROKEN = RuleInfo(
    "links.external.broken",
    Severity.ERROR,
    "An external link leads nowhere (404, 410, or the host name does not exist).",
    "Fix or remove the link; link an archived copy if the page is gone for good.",
)
ERROR = RuleInfo(
    "links.external.error",
    Severity.ERROR,
    "An external link answers with a server error (5xx), another client error or a redirect loop.",
    "Check the page in a browser; add the status to `external.accept` if it is expected.",
)
UNREACHABLE = RuleInfo(
    "links.external.unreachable",
    Severity.WARNING,
    "An external host did not answer (timeout, connection refused, deadline reached).",
    "The far side may be down for a while; re-run later before changing the link.",
)
RATE_LIMITED = RuleInfo(
    "links.external.rate-limited",
    Severity.WARNING,
    "An external host answered 429 Too Many Requests.",
    "Lower `external.per_host`, or exclude the host with `external.exclude`.",
)
REDIRECTED = RuleInfo(
    "links.external.redirected",
    Severity.SUGGESTION,
    "An external link is permanently redirected (301/308).",
    "Link the new address directly.",
)
FRAGMENT = RuleInfo(
    "links.external.fragment",
    Severity.WARNING,
    "The linked page has no element with the link's #fragment.",
    "Update the fragment to the page's current heading id.",
)
PRIVATE_REDIRECT = RuleInfo(
    "links.external.private-redirect",
    Severity.WARNING,
    "An external link redirects from a public host to a private, loopback, link-local or "
    "cloud metadata address; the redirect was not followed.",
    "Check where the link really leads: a public page has no business sending readers (or CI) "
    "into a private network. Link the final public address, or remove the link.",
)
RULES_BY_OUTCOME = {
    Outcome.BROKEN: BROKEN,
    Outcome.ERROR: ERROR,
    Outcome.UNREACHABLE: UNREACHABLE,
    Outcome.RATE_LIMITED: RATE_LIMITED,
    Outcome.REDIRECTED: REDIRECTED,
    Outcome.FRAGMENT: FRAGMENT,
    Outcome.PRIVATE_REDIRECT: PRIVATE_REDIRECT,
}


@dataclass(frozen=True)
class Location:
    """Where a URL is used: root-relative path, line, column."""

    path: str
    line: int
    column: int


@dataclass
class ExternalRun:
    """Results of one external check and how they were obtained."""

    results: dict[str, UrlResult] = field(default_factory=dict)
    cached: int = 0
    checked: int = 0
    excluded: int = 0
    private: int = 0
    """URLs not checked because their host is private (without `allow_private`)."""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class ExternalCheck(Check):
    """Checks every distinct http(s) URL of the target documents once (cached between runs)."""

    name = "external"
    rules = (BROKEN, ERROR, UNREACHABLE, RATE_LIMITED, REDIRECTED, FRAGMENT, PRIVATE_REDIRECT)

    def check_project(self, ctx: LintContext) -> Iterable[Finding]:
        """Findings at every place a failing URL is used; nothing without --external."""
        if not ctx.options.external:
            return []
        usages = collect_urls(ctx)
        config = ctx.project.kb.lint.external
        run = check_urls(
            list(usages),
            config,
            cache_dir=ctx.project.root / config.cache_dir,
            progress=ctx.options.progress and progress_wanted(),
        )
        for note in run.notes:
            ctx.note(note)
        return list(findings_for(usages, run.results))


def normalize_url(target: str) -> str:
    """The URL to request: whitespace trimmed, protocol-relative `//host` read as https."""
    url = target.strip()
    return "https:" + url if url.startswith("//") else url


def collect_urls(ctx: LintContext) -> dict[str, list[Location]]:
    """Every distinct external URL of the target documents -> where it is used, in order."""
    usages: dict[str, list[Location]] = {}
    for doc in ctx.target_documents():
        for link in doc.links:
            if not link.is_external:
                continue
            where = Location(doc.rel_path, link.line, link.column)
            places = usages.setdefault(normalize_url(link.target), [])
            if where not in places:
                places.append(where)
    return usages


def engine_settings(config: ExternalConfig) -> EngineSettings:
    """The engine settings of the `kb.lint.external` options."""
    return EngineSettings(
        timeout=float(config.timeout),
        url_time=float(config.url_timeout),
        deadline=float(config.deadline),
        concurrency=max(1, int(config.concurrency)),
        per_host=max(1, int(config.per_host)),
        max_retry_wait=float(config.retry_wait),
        accept={str(k): [int(c) for c in v] for k, v in dict(config.accept).items()},
        allow_private=bool(config.allow_private),
    )


def check_urls(
    urls: list[str],
    config: ExternalConfig,
    *,
    cache_dir: object = None,
    progress: bool = False,
) -> ExternalRun:
    """Check URLs not excluded and not fresh in the cache; one result per URL checked."""
    from pathlib import Path

    started = time.monotonic()
    run = ExternalRun()
    excluded = _compile(config.exclude, "exclude")
    _compile(list(dict(config.accept)), "accept")
    wanted = [u for u in urls if not any(p.search(u) for p in excluded)]
    run.excluded = len(urls) - len(wanted)
    cache = None
    if cache_dir is not None and config.cache_ttl > 0:
        cache = UrlCache(Path(str(cache_dir)), float(config.cache_ttl) * 3600)
    to_check: list[str] = []
    for url in wanted:
        hit = cache.fresh(url) if cache is not None else None
        if hit is not None:
            run.results[url] = hit
        else:
            to_check.append(url)
    run.cached = len(wanted) - len(to_check)
    run.checked = len(to_check)
    if to_check:
        engine = get_engine(str(config.engine))
        bar = ProgressBar("external links", len(to_check)) if progress else None
        try:
            fresh = engine.check(to_check, engine_settings(config), bar.update if bar else None)
        finally:
            if bar is not None:
                bar.close()
        run.results.update(fresh)
        run.private = sum(1 for r in fresh.values() if r.outcome is Outcome.SKIPPED)
        run.checked -= run.private
        if cache is not None:
            cache.store(fresh.values())
    if cache is not None and cache.problem:
        run.notes.append(f"external: {cache.problem}")
    run.seconds = time.monotonic() - started
    run.notes.append(
        f"external: {plural(len(wanted), 'URL')} ({run.cached} cached, {run.checked} checked with "
        f"{config.engine}, {run.excluded} excluded"
        + (f", {plural(run.private, 'private host')} not checked" if run.private else "")
        + f") in {run.seconds:.1f} s"
    )
    return run


def findings_for(
    usages: dict[str, list[Location]], results: dict[str, UrlResult]
) -> Iterable[Finding]:
    """One finding per place a non-OK URL is used."""
    for url, places in usages.items():
        result = results.get(url)
        if result is None or result.outcome in (Outcome.OK, Outcome.SKIPPED):
            continue
        rule = RULES_BY_OUTCOME[result.outcome]
        message = f"{url}: {result.message}" if result.message else url
        for place in places:
            yield finding(
                rule,
                place.path,
                place.line,
                place.column,
                message,
                match=url,
                suggestion=result.new_url if result.outcome is Outcome.REDIRECTED else "",
            )


def _compile(patterns: Iterable[str], key: str) -> list[re.Pattern[str]]:
    compiled: list[re.Pattern[str]] = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(
                f"plugins.kb.lint.external.{key}: invalid regular expression {pattern!r}: {exc}"
            ) from None
    return compiled
