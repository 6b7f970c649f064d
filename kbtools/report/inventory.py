"""The articles as they are now: front matter as the site reads it, and the lint run's findings.

Lint findings come from the lint runner itself (`kbtools.lint.runner.run_lint`), so the
report counts exactly what `kb lint` reports: TODO markers (`structure.todo`), required
sections of the article schema that are missing (`structure.sections`) and every other
error. A run over a large KB takes seconds, so the result is cached in
`.kb-cache/report-tree.json` under a fingerprint of everything a lint run reads: the path,
size and modification time of every file under docs_dir, mkdocs.yml and the Vale styles,
and the kbtools version. Any change to one of them runs lint again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kbtools import __version__
from kbtools.atomic import write_text_atomic
from kbtools.findings import Finding, Severity
from kbtools.project import Project
from kbtools.report.model import ArticleNow

CACHE_NAME = "report-tree.json"
CACHE_FORMAT = 1
TODO_RULE = "structure.todo"
SECTIONS_RULE = "structure.sections"


def load_articles(project: Project, cache_dir: Path | None) -> tuple[list[ArticleNow], list[str]]:
    """Every article under the KB folder, sorted by path, and the lint run's notes."""
    key = fingerprint(project)
    cached = _read_cache(cache_dir, key)
    if cached is not None:
        return cached
    articles, notes = _compute(project)
    if cache_dir is not None:
        _write_cache(cache_dir, key, articles, notes)
    return articles, notes


def _compute(project: Project) -> tuple[list[ArticleNow], list[str]]:
    from kbtools.checks.base import LintOptions
    from kbtools.lint.runner import run_lint
    from kbtools.site.catalog import read_page, to_article

    sources: dict[str, Path] = {}
    for path in project.markdown_files():
        docs_rel = project.docs_rel(path)
        if docs_rel is not None and project.is_article(docs_rel):
            sources[docs_rel] = path
    findings: list[Finding] = []
    notes: list[str] = []
    if sources:
        result = run_lint(
            project,
            [str(project.articles_dir)],
            LintOptions(style=project.kb.lint.style.engine),
        )
        findings, notes = result.findings, result.notes
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for item in findings:
        by_path[item.path].append(item)
    articles = []
    for docs_rel, path in sorted(sources.items()):
        rel = project.rel(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        page = to_article(read_page(docs_rel, text))
        todo, missing, errors = _lint_facts(by_path.get(rel, []))
        articles.append(
            ArticleNow(
                path=rel,
                src_uri=docs_rel,
                id=page.id,
                title=page.title,
                type=page.type,
                product_area=page.product_area,
                status=page.status,
                visibility=page.visibility,
                affected=page.affected,
                tickets=tuple(dict.fromkeys(page.tickets)),
                created=page.created,
                updated=page.updated,
                review_by=page.review_by,
                error_messages=len(page.error_messages),
                todo=todo,
                missing_sections=missing,
                lint_errors=errors,
            )
        )
    return articles, notes


def _lint_facts(
    findings: Iterable[Finding],
) -> tuple[int, tuple[str, ...], tuple[tuple[str, int], ...]]:
    todo = 0
    missing: list[str] = []
    errors: Counter[str] = Counter()
    for item in findings:
        if item.rule == TODO_RULE:
            todo += 1
        elif item.rule == SECTIONS_RULE and item.severity is Severity.ERROR:
            missing.append(item.match or item.message)
        elif item.severity is Severity.ERROR:
            errors[item.rule] += 1
    return todo, tuple(missing), tuple(sorted(errors.items()))


def fingerprint(project: Project) -> str:
    """A hash of every input of a lint run: files under docs_dir, config and styles."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{__version__}".encode())
    roots = [project.docs_dir, project.root / "styles"]
    singles = [project.config.path, project.root / project.kb.lint.style.config]
    for single in singles:
        _add_stat(digest, single, project.root)
    for top in roots:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                _add_stat(digest, Path(dirpath) / name, project.root)
    return digest.hexdigest()


def _add_stat(digest: Any, path: Path, root: Path) -> None:
    try:
        stat = path.stat()
    except OSError:
        return
    digest.update(f"{os.path.relpath(path, root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def _read_cache(cache_dir: Path | None, key: str) -> tuple[list[ArticleNow], list[str]] | None:
    if cache_dir is None:
        return None
    try:
        data = json.loads((cache_dir / CACHE_NAME).read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT or data.get("key") != key:
            return None
        return [_from_json(item) for item in data["articles"]], [str(n) for n in data["notes"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(cache_dir: Path, key: str, articles: list[ArticleNow], notes: list[str]) -> None:
    data = {
        "format": CACHE_FORMAT,
        "key": key,
        "notes": notes,
        "articles": [asdict(a) for a in articles],
    }
    with contextlib.suppress(OSError):  # the report is still right, only the next one is slower
        write_text_atomic(cache_dir / CACHE_NAME, json.dumps(data, default=str))


def _from_json(item: Mapping[str, Any]) -> ArticleNow:
    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return ArticleNow(
        path=str(item["path"]),
        src_uri=str(item["src_uri"]),
        id=str(item["id"]),
        title=str(item["title"]),
        type=str(item["type"]),
        product_area=str(item["product_area"]),
        status=str(item["status"]),
        visibility=str(item["visibility"]),
        affected=tuple(str(v) for v in item["affected"]),
        tickets=tuple(str(v) for v in item["tickets"]),
        created=day(item["created"]),
        updated=day(item["updated"]),
        review_by=day(item["review_by"]),
        error_messages=int(item["error_messages"]),
        todo=int(item["todo"]),
        missing_sections=tuple(str(v) for v in item["missing_sections"]),
        lint_errors=tuple((str(rule), int(n)) for rule, n in item["lint_errors"]),
    )
