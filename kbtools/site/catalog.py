"""Read every page's front matter once (in `on_files`) into records the other modules share.

MkDocs reads front matter only when it renders a page, after the nav is built; the audience
filter and the generated pages need it earlier, so it is read here with MkDocs' own parser
(`mkdocs.utils.meta.get_data`) and therefore means exactly what it will mean to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mkdocs.utils.meta import YAML_RE, get_data

from kbtools.article.schema import as_date

_H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
H2_RE = re.compile(r"^##\s+(.+?)\s*#*\s*(?:\{[^}]*\})?\s*$")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
LIST_ITEM_RE = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$")
_CODE_SPAN_RE = re.compile(r"^(`+)\s?(.*?)\s?\1$")

ERROR_SECTION = "Error messages"


@dataclass(frozen=True)
class PageMeta:
    """A Markdown page's front matter and body as MkDocs will see them."""

    src_uri: str
    meta: dict[str, Any]
    body: str
    broken_front_matter: bool = False
    """True when the page starts with a front matter block MkDocs cannot parse."""


@dataclass(frozen=True)
class Article:
    """A KB article: the front matter fields the site shows or computes with."""

    src_uri: str
    id: str
    title: str
    summary: str
    type: str
    product_area: str
    visibility: str
    status: str
    affected: tuple[str, ...] = ()
    fixed: str = ""
    deployment: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tickets: tuple[str, ...] = ()
    owner: str = ""
    created: dt.date | None = None
    updated: dt.date | None = None
    review_by: dt.date | None = None
    reviewed: dt.date | None = None
    error_messages: tuple[str, ...] = field(default=())

    @property
    def last_updated(self) -> dt.date | None:
        """`updated`, or `created` for an article never updated."""
        return self.updated or self.created


def read_page(src_uri: str, text: str) -> PageMeta:
    """Split a Markdown page into front matter and body the way MkDocs does."""
    body, meta = get_data(text)
    # A `---` block MkDocs cannot parse is left in the body and rendered as text: treat the
    # page as unreadable so the audience filter can fail closed.
    broken = not meta and YAML_RE.match(text) is not None
    return PageMeta(src_uri, dict(meta), body, broken)


def to_article(page: PageMeta) -> Article:
    """An Article from a page's front matter; missing or malformed fields become empty."""
    meta = page.meta
    versions = meta.get("versions")
    versions = versions if isinstance(versions, Mapping) else {}
    return Article(
        src_uri=page.src_uri,
        id=_text(meta.get("id")),
        title=_text(meta.get("title")) or first_heading(page.body) or _stem(page.src_uri),
        summary=_text(meta.get("summary")),
        type=_text(meta.get("type")),
        product_area=_text(meta.get("product_area")),
        visibility=_text(meta.get("visibility")),
        status=_text(meta.get("status")),
        affected=_texts(versions.get("affected")),
        fixed=_text(versions.get("fixed")),
        deployment=_texts(meta.get("deployment")),
        services=_texts(meta.get("services")),
        tags=_texts(meta.get("tags")),
        tickets=_texts(meta.get("tickets")),
        owner=_text(meta.get("owner")),
        created=as_date(meta.get("created")),
        updated=as_date(meta.get("updated")),
        review_by=as_date(meta.get("review_by")),
        reviewed=as_date(meta.get("reviewed")),
        error_messages=tuple(error_messages(page.body)),
    )


def first_heading(body: str) -> str:
    """The text of the first `# ` heading outside code, or ""."""
    for line, in_code in _lines(body):
        if not in_code and (match := _H1_RE.match(line)):
            return match.group(1).strip()
    return ""


def section_lines(body: str, title: str) -> list[tuple[str, bool]]:
    """The lines (with an in-code flag) of the H2 section called `title` (case-insensitive)."""
    wanted = title.casefold()
    found: list[tuple[str, bool]] = []
    inside = False
    for line, in_code in _lines(body):
        if not in_code and (match := H2_RE.match(line)):
            inside = match.group(1).strip().casefold() == wanted
            continue
        if not in_code and line.startswith("# "):
            inside = False
        if inside:
            found.append((line, in_code))
    return found


def error_messages(body: str) -> list[str]:
    """Error lines listed under "Error messages": code block lines and list items."""
    messages: list[str] = []
    for line, in_code in section_lines(body, ERROR_SECTION):
        if in_code:
            if not FENCE_RE.match(line) and line.strip():
                messages.append(line.strip())
        elif match := LIST_ITEM_RE.match(line):
            messages.append(unwrap_code_span(match.group(1).strip()))
    return [m for m in dict.fromkeys(messages) if m]


def unwrap_code_span(text: str) -> str:
    """`text` without the backticks when it is exactly one code span."""
    match = _CODE_SPAN_RE.match(text)
    return match.group(2) if match else text


def _lines(body: str) -> Iterable[tuple[str, bool]]:
    """Each line with True when it is inside a fenced code block (fences count as inside)."""
    return code_aware(body.splitlines())


def code_aware(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each of `lines` with True when it is inside a fenced code block (fences count as inside)."""
    fence = ""
    for line in lines:
        match = FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            yield line, True
        elif match:
            fence = match.group(1)
            yield line, True
        else:
            yield line, False


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(t for t in (_text(v) for v in items) if t)


def _stem(src_uri: str) -> str:
    name = src_uri.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].replace("-", " ").replace("_", " ").capitalize()
