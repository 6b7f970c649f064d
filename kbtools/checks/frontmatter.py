"""Front matter: valid YAML everywhere; the article schema for pages under the KB folder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kbtools.article import schema
from kbtools.checks.base import Check, LintContext, finding
from kbtools.document import Document, front_matter_of
from kbtools.findings import Finding, Severity
from kbtools.rules import RuleInfo

SYNTAX = RuleInfo("frontmatter.syntax", Severity.ERROR, "Front matter is not a valid YAML mapping.")
MISSING = RuleInfo("frontmatter.missing", Severity.ERROR, "A KB article has no front matter.")
REQUIRED = RuleInfo("frontmatter.required", Severity.ERROR, "A required key is missing or empty.")
TYPE = RuleInfo("frontmatter.type", Severity.ERROR, "A key has a value of the wrong type.")
ENUM = RuleInfo("frontmatter.enum", Severity.ERROR, "A key has a value outside its allowed set.")
DATE = RuleInfo("frontmatter.date", Severity.ERROR, "A date is not a YYYY-MM-DD date.")
ID = RuleInfo("frontmatter.id", Severity.ERROR, "The article id is not of the form KB-0042.")
DUPLICATE_ID = RuleInfo(
    "frontmatter.duplicate-id", Severity.ERROR, "Two articles share one id; ids are never reused."
)
UNKNOWN_KEY = RuleInfo(
    "frontmatter.unknown-key", Severity.WARNING, "A key the schema does not know."
)
DATE_ORDER = RuleInfo(
    "frontmatter.date-order", Severity.WARNING, "`updated` or `review_by` comes before `created`."
)
REVIEW_DUE = RuleInfo(
    "frontmatter.review-due", Severity.SUGGESTION, "The article's `review_by` date has passed."
)


class FrontmatterCheck(Check):
    """`frontmatter.*`: YAML syntax for every page, the schema for KB articles."""

    name = "frontmatter"
    rules = (
        SYNTAX,
        MISSING,
        REQUIRED,
        TYPE,
        ENUM,
        DATE,
        ID,
        DUPLICATE_ID,
        UNKNOWN_KEY,
        DATE_ORDER,
        REVIEW_DUE,
    )

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today

    def check_document(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        error = doc.front_matter_error
        if error is not None:
            yield finding(SYNTAX, doc.rel_path, error.line, error.column, error.message)
            return
        if doc.docs_path is None or not ctx.project.is_article(doc.docs_path):
            return
        if doc.front_matter is None:
            yield finding(
                MISSING,
                doc.rel_path,
                1,
                1,
                "KB article has no front matter (--- ... --- at the top)",
            )
            return
        yield from self._check_fields(doc, ctx)

    def _check_fields(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        meta = doc.front_matter or {}
        path = doc.rel_path
        for key in meta:
            if key not in schema.FIELDS_BY_NAME:
                known = ", ".join(schema.FIELDS_BY_NAME)
                yield finding(
                    UNKNOWN_KEY,
                    path,
                    doc.key_line(str(key)),
                    1,
                    f"unknown front matter key '{key}' (known keys: {known})",
                    match=str(key),
                )
        for field in schema.FIELDS:
            value = meta.get(field.name)
            line = doc.key_line(field.name)
            if _is_empty(value):
                if field.required:
                    yield finding(
                        REQUIRED,
                        path,
                        line,
                        1,
                        f"required key '{field.name}' is missing or empty",
                        match=field.name,
                    )
                continue
            yield from _check_value(field, value, path, line, ctx)
        yield from self._check_dates(doc)

    def _check_dates(self, doc: Document) -> Iterator[Finding]:
        meta = doc.front_matter or {}
        created = schema.as_date(meta.get("created"))
        for key in ("updated", "review_by"):
            other = schema.as_date(meta.get(key))
            if created and other and other < created:
                yield finding(
                    DATE_ORDER,
                    doc.rel_path,
                    doc.key_line(key),
                    1,
                    f"'{key}' ({other}) is before 'created' ({created})",
                    match=key,
                )
        review_by = schema.as_date(meta.get("review_by"))
        today = self.today or dt.date.today()
        if review_by and review_by < today and meta.get("status") == "published":
            yield finding(
                REVIEW_DUE,
                doc.rel_path,
                doc.key_line("review_by"),
                1,
                f"review was due on {review_by}: check the article still holds, then move review_by",
                match="review_by",
            )

    def check_project(self, ctx: LintContext) -> Iterator[Finding]:
        owners: dict[str, list[str]] = defaultdict(list)
        for docs_path in _paths(ctx):
            if ctx.project.is_article(docs_path):
                article_id = _meta(ctx, docs_path).get("id")
                if isinstance(article_id, str) and article_id.strip():
                    owners[article_id.strip()].append(docs_path)
        for article_id, keys in owners.items():
            if len(keys) < 2:
                continue
            docs = [ctx.documents[key] for key in keys]
            paths = sorted(d.rel_path for d in docs)
            for doc in docs:
                if doc.docs_path not in ctx.targets:
                    continue
                others = ", ".join(p for p in paths if p != doc.rel_path)
                yield finding(
                    DUPLICATE_ID,
                    doc.rel_path,
                    doc.key_line("id"),
                    1,
                    f"id {article_id} is also used by {others}",
                    match=article_id,
                )


def _paths(ctx: LintContext) -> list[str]:
    """Every docs path of the run, without parsing (the store knows them up front)."""
    paths = getattr(ctx.documents, "paths", None)
    return sorted(paths() if callable(paths) else ctx.documents.keys())


def _meta(ctx: LintContext, docs_path: str) -> dict[str, Any]:
    """Front matter of a page; a page not parsed yet is not parsed for it (--changed-since)."""
    peek = getattr(ctx.documents, "peek", None)
    raw_text = getattr(ctx.documents, "raw_text", None)
    if callable(peek) and callable(raw_text) and peek(docs_path) is None:
        text = raw_text(docs_path)
        return {} if text is None else front_matter_of(text)
    doc = ctx.documents.get(docs_path)
    return doc.meta if doc is not None else {}


def _check_value(
    field: schema.Field, value: Any, path: str, line: int, ctx: LintContext
) -> Iterator[Finding]:
    name = field.name
    if field.kind == "str" and not isinstance(value, str):
        yield finding(TYPE, path, line, 1, f"'{name}' must be text, not {_kind(value)}", match=name)
    elif field.kind == "list" and not (
        isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value)
    ):
        yield finding(
            TYPE,
            path,
            line,
            1,
            f"'{name}' must be a list of values, not {_kind(value)}",
            match=name,
        )
    elif field.kind == "enum":
        if value not in field.choices:
            yield finding(
                ENUM,
                path,
                line,
                1,
                f"'{name}' is '{value}'; expected one of: {', '.join(field.choices)}",
                match=name,
            )
    elif field.kind == "date" and schema.as_date(value) is None:
        yield finding(
            DATE,
            path,
            line,
            1,
            f"'{name}' is '{value}'; expected a date like 2026-01-31",
            match=name,
        )
    elif field.kind == "id" and not (isinstance(value, str) and schema.ID_PATTERN.match(value)):
        yield finding(ID, path, line, 1, f"id '{value}' must look like KB-0042", match=name)
    elif field.kind == "versions":
        yield from _check_versions(value, path, line)
    if name == "product_area" and isinstance(value, str):
        areas = ctx.project.kb.product_areas
        if areas and value not in areas:
            yield finding(
                ENUM,
                path,
                line,
                1,
                f"product_area '{value}' is not configured; expected one of: {', '.join(areas)}",
                match=name,
            )


def _check_versions(value: Any, path: str, line: int) -> Iterator[Finding]:
    if not isinstance(value, dict):
        yield finding(
            TYPE,
            path,
            line,
            1,
            f"'versions' must be a mapping with 'affected' and optional 'fixed', not {_kind(value)}",
            match="versions",
        )
        return
    affected = value.get("affected")
    if affected is not None and not isinstance(affected, list):
        yield finding(
            TYPE,
            path,
            line,
            1,
            "'versions.affected' must be a list of versions",
            match="versions.affected",
        )
    fixed = value.get("fixed")
    if fixed is not None and not isinstance(fixed, (str, int, float)):
        yield finding(
            TYPE, path, line, 1, "'versions.fixed' must be one version", match="versions.fixed"
        )
    for key in value:
        if key not in ("affected", "fixed"):
            yield finding(
                UNKNOWN_KEY,
                path,
                line,
                1,
                f"unknown key 'versions.{key}' (known: affected, fixed)",
                match=f"versions.{key}",
            )


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    return f"'{value}'"
