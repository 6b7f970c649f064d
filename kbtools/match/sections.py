"""Pages split into the units a search answers with, each with its candidate error lines.

A KB article is one unit (the article is the answer); its "Error messages" lines are marked
as such. Any other page gives one unit for its top (before the first H2) and one per H2 and
H3 section (deeper headings stay in their H3), so a FAQ entry or a troubleshooting section is
the answer, not the whole page. Every line a document may quote an error on becomes a
`Line`: headings, code lines, inline code and quoted strings, and prose sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbtools.config import TocSettings
from kbtools.document import Heading, parse_document
from kbtools.match.kinds import is_command
from kbtools.match.words import error_sequence, text_words

ERROR_SECTION = "error messages"
SECTION_LEVELS = (2, 3)
MAX_LINE = 400
"""Characters of a line kept (a minified JSON line is not an error message)."""

_FENCE_LINE_RE = re.compile(r"^\s*(?:`{3,}|~{3,})")
_INLINE_CODE_RE = re.compile(r"`([^`\n]{6,})`")
_QUOTED_RE = re.compile(r"\"([^\"\n]{12,})\"|“([^”\n]{12,})”")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"(])")
_MARKUP_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>\n]+>|^\s*(?:[-*+]|\d+[.)]|>|!!!|\?\?\?)\s*")
_HEADING_QUOTE_RE = re.compile(r"`([^`\n]{4,})`|\"([^\"\n]{6,})\"|“([^”\n]{6,})”")


@dataclass(frozen=True)
class Line:
    """A line of a unit that may quote an error."""

    text: str
    number: int
    kind: str
    words: tuple[str, ...]
    """The compared words in line order, each once (`words.error_sequence`)."""


@dataclass
class Unit:
    """One answer: a KB article, or a section (or the top) of another page."""

    path: str
    anchor: str | None
    title: str
    page_title: str
    kind: str
    """`article`, `page` (the top of a page) or `section`."""
    id: str | None = None
    heading_words: list[str] = field(default_factory=list)
    title_words: list[str] = field(default_factory=list)
    """The words of the unit's own title (its heading, or the page or article title)."""
    body_words: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    deployment: list[str] = field(default_factory=list)


def page_units(
    text: str,
    body: str,
    meta: dict[str, Any],
    path: str,
    toc: TocSettings,
    *,
    is_article: bool,
) -> list[Unit]:
    """The units of one page (`text` as on disk, `body` after the front matter)."""
    offset = text.count("\n") - body.count("\n")
    # The front matter becomes blank lines: line numbers stay those of the file, and the
    # headings and code ranges come from the parser the rest of kb uses.
    doc = parse_document("\n" * offset + body, Path(path), path, toc)
    lines = doc.text.split("\n")
    headings = doc.headings
    page_title = _page_title(meta, headings, path)
    if is_article:
        return [_article_unit(doc.code_lines, lines, headings, meta, path, page_title)]
    cuts = [h for h in headings if h.level in SECTION_LEVELS]
    units: list[Unit] = []
    starts = [offset + 1, *(h.line for h in cuts)]
    ends = [h.line - 1 for h in cuts] + [len(lines)]
    parents: dict[int, str] = {}
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        heading = cuts[index - 1] if index else None
        if heading is None:
            unit = Unit(path, None, page_title, page_title, "page")
            unit.heading_words = text_words(page_title)
            unit.title_words = list(unit.heading_words)
        else:
            parents[heading.level] = heading.text
            context = [page_title] + [
                parents[level]
                for level in SECTION_LEVELS
                if level < heading.level and level in parents
            ]
            unit = Unit(path, heading.anchor, heading.text, page_title, "section")
            unit.title_words = text_words(heading.text)
            unit.heading_words = unit.title_words + text_words(" ".join(context))
        _fill(unit, lines, start, end, doc.code_lines, headings, error_section=False)
        if unit.lines or heading is not None:
            units.append(unit)
    return units


def _article_unit(
    code_lines: set[int],
    lines: list[str],
    headings: list[Heading],
    meta: dict[str, Any],
    path: str,
    title: str,
) -> Unit:
    unit = Unit(path, None, title, title, "article", id=_text(meta.get("id")) or None)
    unit.heading_words = text_words(title)
    unit.title_words = list(unit.heading_words)
    summary = _text(meta.get("summary"))
    if summary:
        unit.body_words.extend(text_words(summary))
        unit.lines.extend(_prose_lines(summary, 1, "prose"))
    versions = meta.get("versions")
    if isinstance(versions, dict):
        affected = versions.get("affected") or []
        unit.versions = [str(v) for v in affected] if isinstance(affected, list) else []
    deployment = meta.get("deployment") or []
    unit.deployment = [str(d) for d in deployment] if isinstance(deployment, list) else []
    h2 = [h for h in headings if h.level == 2]
    first = h2[0].line if h2 else len(lines) + 1
    _fill(unit, lines, 1, first - 1, code_lines, headings, error_section=False)
    for index, heading in enumerate(h2):
        end = h2[index + 1].line - 1 if index + 1 < len(h2) else len(lines)
        is_errors = heading.text.strip().lower() == ERROR_SECTION
        _fill(unit, lines, heading.line + 1, end, code_lines, headings, error_section=is_errors)
    return unit


def _fill(
    unit: Unit,
    lines: list[str],
    start: int,
    end: int,
    code_lines: set[int],
    headings: list[Heading],
    *,
    error_section: bool,
) -> None:
    """Add the lines `start`..`end` (1-based, inclusive) of a page to a unit."""
    by_line = {h.line: h for h in headings}
    for number in range(start, min(end, len(lines)) + 1):
        raw = lines[number - 1]
        if not raw.strip():
            continue
        heading = by_line.get(number)
        if heading is not None:
            unit.heading_words.extend(text_words(heading.text))
            _add(unit, heading.text, number, "heading")
            # A heading that quotes an error ("How do I fix `invalid cookie`?") is compared
            # by its quote too, without the question around it.
            for match in _HEADING_QUOTE_RE.finditer(raw):
                quote = next(g for g in match.groups() if g is not None)
                _add(unit, quote, number, "heading-quote")
            continue
        if number in code_lines:
            if _FENCE_LINE_RE.match(raw):
                continue
            unit.body_words.extend(text_words(raw))
            kind = "errors" if error_section else "command" if is_command(raw) else "code"
            _add(unit, raw.strip(), number, kind)
            continue
        # Words of the prose as published: link targets and HTML tags are not words of the
        # page (and a link to a page another audience does not get must not leak its name).
        unit.body_words.extend(text_words(_MARKUP_RE.sub(lambda m: m.group(1) or " ", raw)))
        for line in _prose_lines(raw, number, "errors" if error_section else "prose"):
            unit.lines.append(line)


def _prose_lines(raw: str, number: int, kind: str) -> list[Line]:
    """Quotes (inline code, quoted strings) and sentences of a prose line."""
    result: list[Line] = []
    quote_kind = "errors" if kind == "errors" else "quote"
    for match in _INLINE_CODE_RE.finditer(raw):
        result.extend(_line(match.group(1), number, quote_kind))
    for match in _QUOTED_RE.finditer(raw):
        result.extend(_line(match.group(1) or match.group(2), number, quote_kind))
    plain = _MARKUP_RE.sub(lambda m: m.group(1) or " ", raw).replace("`", "")
    for sentence in _SENTENCE_RE.split(plain):
        result.extend(_line(sentence, number, kind))
    return result


def _add(unit: Unit, text: str, number: int, kind: str) -> None:
    unit.lines.extend(_line(text, number, kind))


def _line(text: str, number: int, kind: str) -> list[Line]:
    text = " ".join(text.split())[:MAX_LINE]
    words = error_sequence(text, names=True)
    return [Line(text, number, kind, words)] if words else []


def _page_title(meta: dict[str, Any], headings: list[Heading], path: str) -> str:
    title = _text(meta.get("title"))
    if title:
        return title
    for heading in headings:
        if heading.level == 1:
            return heading.text
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or path


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""
