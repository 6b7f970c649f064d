"""Markdown structure: one title, no skipped heading levels, and the sections of each type."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kbtools.article import schema
from kbtools.checks.base import Check, LintContext, finding
from kbtools.document import Document, Heading
from kbtools.findings import Finding, Severity
from kbtools.rules import RuleInfo

TITLE = RuleInfo(
    "structure.title", Severity.ERROR, "A page has more than one H1, or an article has no title."
)
HEADING_INCREMENT = RuleInfo(
    "structure.heading-increment", Severity.WARNING, "A heading skips a level (## then ####)."
)
SECTIONS = RuleInfo(
    "structure.sections", Severity.ERROR, "A required section of the article type is missing."
)
SECTION_ORDER = RuleInfo(
    "structure.section-order", Severity.ERROR, "Sections are not in the order of the article type."
)
UNKNOWN_SECTION = RuleInfo(
    "structure.unknown-section", Severity.WARNING, "An H2 section the article type does not define."
)
EMPTY_SECTION = RuleInfo("structure.empty-section", Severity.WARNING, "A section has no content.")
TODO = RuleInfo(
    "structure.todo",
    Severity.WARNING,
    "A TODO marker left in an article (an error once published).",
)
TODO_RE = re.compile(r"\b(TODO|FIXME|TBD)\b")


class StructureCheck(Check):
    """`structure.*`: heading shape for every page, the section template for KB articles."""

    name = "structure"
    rules = (
        TITLE,
        HEADING_INCREMENT,
        SECTIONS,
        SECTION_ORDER,
        UNKNOWN_SECTION,
        EMPTY_SECTION,
        TODO,
    )

    def check_document(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        yield from _check_headings(doc)
        if doc.docs_path is None or not ctx.project.is_article(doc.docs_path):
            return
        meta = doc.meta
        if not meta.get("title") and not any(h.level == 1 for h in doc.headings):
            yield finding(
                TITLE, doc.rel_path, 1, 1, "article has no title: set 'title' in front matter"
            )
        article_type = meta.get("type")
        if isinstance(article_type, str) and article_type in schema.SECTIONS:
            yield from _check_sections(doc, article_type)
        yield from _check_todo(doc)


def _check_headings(doc: Document) -> Iterator[Finding]:
    h1s = [h for h in doc.headings if h.level == 1]
    has_title = bool(doc.meta.get("title"))
    for extra in h1s[1:]:
        yield finding(
            TITLE,
            doc.rel_path,
            extra.line,
            extra.column,
            f"second H1 '{extra.text}': a page has one title; use ## for sections",
            match=extra.text,
        )
    if has_title and h1s and doc.docs_path is not None and _is_article_path(doc):
        first = h1s[0]
        yield finding(
            TITLE,
            doc.rel_path,
            first.line,
            first.column,
            f"H1 '{first.text}' next to a front matter title: the site shows the title; use ## for sections",
            match=first.text,
        )
    previous = 0
    for heading in doc.headings:
        if previous and heading.level > previous + 1:
            yield finding(
                HEADING_INCREMENT,
                doc.rel_path,
                heading.line,
                heading.column,
                f"heading level {heading.level} after level {previous}: use {'#' * (previous + 1)}",
                match=heading.text,
            )
        previous = heading.level


def _is_article_path(doc: Document) -> bool:
    return bool(doc.meta.get("type")) and bool(doc.meta.get("id"))


def _check_sections(doc: Document, article_type: str) -> Iterator[Finding]:
    expected = schema.sections_for(article_type)
    h2s = [h for h in doc.headings if h.level == 2]
    by_name = {h.text.strip().lower(): h for h in h2s}
    lowered = [s.lower() for s in expected]
    for required in schema.required_sections(article_type):
        if required.lower() not in by_name:
            line = h2s[-1].line if h2s else doc.body_line
            yield finding(
                SECTIONS,
                doc.rel_path,
                line,
                1,
                f"{article_type} article has no '## {required}' section (sections: {', '.join(expected)})",
                match=required,
            )
    order = [
        lowered.index(h.text.strip().lower()) for h in h2s if h.text.strip().lower() in lowered
    ]
    known = [h for h in h2s if h.text.strip().lower() in lowered]
    for index in range(1, len(order)):
        if order[index] < order[index - 1]:
            heading = known[index]
            yield finding(
                SECTION_ORDER,
                doc.rel_path,
                heading.line,
                heading.column,
                f"'## {heading.text}' comes after '## {known[index - 1].text}'; order: {', '.join(expected)}",
                match=heading.text,
            )
            break
    for heading in h2s:
        if heading.text.strip().lower() not in lowered:
            yield finding(
                UNKNOWN_SECTION,
                doc.rel_path,
                heading.line,
                heading.column,
                f"'## {heading.text}' is not a section of a {article_type} article ({', '.join(expected)}); use ### inside one",
                match=heading.text,
            )
    yield from _check_empty(doc, h2s)


def _check_empty(doc: Document, h2s: list[Heading]) -> Iterator[Finding]:
    lines = doc.lines
    for index, heading in enumerate(h2s):
        end = h2s[index + 1].line - 1 if index + 1 < len(h2s) else len(lines)
        body = [ln for ln in lines[heading.line : end] if ln.strip()]
        if not body:
            yield finding(
                EMPTY_SECTION,
                doc.rel_path,
                heading.line,
                heading.column,
                f"section '## {heading.text}' is empty: fill it in or remove it",
                match=heading.text,
            )


def _check_todo(doc: Document) -> Iterator[Finding]:
    published = doc.meta.get("status") == "published"
    for number, line in enumerate(doc.lines, start=1):
        if number < doc.body_line or number in doc.code_lines:
            continue
        for match in TODO_RE.finditer(line):
            if doc.is_code(number, match.start() + 1):
                continue
            yield finding(
                TODO,
                doc.rel_path,
                number,
                match.start() + 1,
                f"'{match.group(1)}' left in the article: finish the section before publishing",
                match=f"{match.group(1)}:{line.strip()}",
                severity=Severity.ERROR if published else None,
            )
