"""The section index of a site, built once and kept under `.kb-cache/match/`.

Which pages: every Markdown page MkDocs would publish (its default excludes and
`exclude_docs` applied, `linkmap.SiteMap`) that the audience filter of the site
(`site/audience.py`) lets into a build for the audience. A run stats every page; when every
page's modification time and size match the stored ones, the stored index is used as is.
A page whose stamp changed is read again; when its content hash is the stored one (a
checkout touched it), its units are reused. Both cache files are written atomically;
an unreadable cache is rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbtools import __version__
from kbtools.atomic import write_bytes_atomic
from kbtools.linkmap import SiteMap, is_markdown
from kbtools.match import index as index_module
from kbtools.match import rules
from kbtools.project import Project

if TYPE_CHECKING:
    from kbtools.match.sections import Unit

CACHE_FOLDER = Path(".kb-cache") / "match"
_MEMO: dict[tuple[str, str], tuple[dict[str, list[int]], index_module.Index]] = {}
"""Indexes loaded in this process (a test or a server asks many questions of one site)."""


@dataclass
class Loaded:
    """An index and how it was obtained (for benchmarks and tests)."""

    index: index_module.Index
    rebuilt: int
    """Pages read and split this run (0 when the cache was fresh)."""
    pages: int


def load_index(project: Project, audience: str, *, use_cache: bool = True) -> Loaded:
    """The index of the site for `audience`, from the cache when no page changed."""
    sitemap = SiteMap.build(project)
    pages = sorted(p for p in sitemap.files - sitemap.excluded if is_markdown(p))
    stamps = {page: _stamp(project.docs_dir / page) for page in pages}
    key = _key(project, audience)
    folder = project.root / CACHE_FOLDER
    index_file = folder / f"{audience}-index.marshal"
    pages_file = folder / f"{audience}-pages.marshal"
    memo = _MEMO.get((str(index_file), key))
    if use_cache and memo is not None and memo[0] == stamps:
        return Loaded(memo[1], 0, len(pages))
    if use_cache:
        stored = _read(index_file)
        if stored and stored.get("key") == key and stored.get("stamps") == stamps:
            index = index_module.Index(stored["data"])
            _MEMO[(str(index_file), key)] = (stamps, index)
            return Loaded(index, 0, len(pages))
    old_pages: dict[str, Any] = {}
    if use_cache:
        stored_pages = _read(pages_file)
        if stored_pages and stored_pages.get("key") == key:
            old_pages = stored_pages.get("pages", {})
    # Reading and splitting pages needs the Markdown parser: imported only when a page changed.
    from kbtools.document import DocumentError, read_text

    records: dict[str, Any] = {}
    rebuilt = 0
    for page in pages:
        old = old_pages.get(page)
        if old is not None and old[0] == stamps[page]:
            records[page] = old
            continue
        path = project.docs_dir / page
        try:
            text = read_text(path)
        except DocumentError:
            records[page] = [stamps[page], "", None]
            continue
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if old is not None and old[1] == digest:
            records[page] = [stamps[page], digest, old[2]]
            continue
        rebuilt += 1
        units = _units(project, sitemap, page, text, audience)
        records[page] = [stamps[page], digest, units]
    index = index_module.build(
        (_unit_of(row), row[11]) for page in pages for row in (records[page][2] or [])
    )
    if use_cache:
        _MEMO[(str(index_file), key)] = (stamps, index)
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(pages_file, marshal.dumps({"key": key, "pages": records}))
        write_bytes_atomic(
            index_file, marshal.dumps({"key": key, "stamps": stamps, "data": index.packed()})
        )
    return Loaded(index, rebuilt, len(pages))


def _units(
    project: Project, sitemap: SiteMap, page: str, text: str, audience: str
) -> list[list[Any]] | None:
    """The units of one page as plain rows, or None when the audience does not see it."""
    from kbtools.match.sections import page_units
    from kbtools.site import audience as audience_module
    from kbtools.site.catalog import read_page
    from kbtools.site.layout import Layout

    meta = read_page(page, text)
    # The site's own rules (site/model.py's `select`): what an article is, who sees a page.
    is_article = Layout(project.kb.articles_dir).is_article(page)
    if not audience_module.includes(
        meta.meta,
        audience,
        is_article=is_article,
        default_public=project.kb.pages_public_by_default,
        broken_front_matter=meta.broken_front_matter,
    ):
        return None
    rel = project.rel(project.docs_dir / page, resolve=False)
    url = sitemap.url_of(page)
    units = page_units(text, meta.body, meta.meta, rel, project.config.toc, is_article=is_article)
    return [_row(unit, url) for unit in units]


def _row(unit: Unit, url: str) -> list[Any]:
    return [
        unit.path,
        unit.anchor,
        unit.title,
        unit.page_title,
        unit.kind,
        unit.id,
        unit.heading_words,
        unit.body_words,
        [[line.text, line.number, line.kind, list(line.words)] for line in unit.lines],
        unit.versions,
        unit.deployment,
        url + (f"#{unit.anchor}" if unit.anchor else ""),
        unit.title_words,
    ]


def _unit_of(row: list[Any]) -> Unit:
    from kbtools.match.sections import Line, Unit

    return Unit(
        path=row[0],
        anchor=row[1],
        title=row[2],
        page_title=row[3],
        kind=row[4],
        id=row[5],
        heading_words=row[6],
        body_words=row[7],
        lines=[Line(text, number, kind, tuple(words)) for text, number, kind, words in row[8]],
        versions=row[9],
        deployment=row[10],
        title_words=row[12],
    )


def _stamp(path: Path) -> list[int]:
    try:
        status = path.stat()
    except OSError:
        return [0, -1]
    return [status.st_mtime_ns, status.st_size]


def _key(project: Project, audience: str) -> str:
    """Everything besides the pages that changes the index."""
    toc = project.config.toc
    raw = project.config.raw
    parts = {
        "format": index_module.FORMAT,
        "kbtools": __version__,
        "rules": hashlib.sha1(rules.raw_text().encode("utf-8")).hexdigest(),
        "audience": audience,
        "root": str(project.root),
        "docs_dir": str(project.docs_dir),
        "articles_dir": project.kb.articles_dir,
        "public_by_default": project.kb.pages_public_by_default,
        "toc": [getattr(toc.slugify, "__qualname__", ""), toc.separator, toc.attr_list],
        "use_directory_urls": raw.get("use_directory_urls", True),
        "exclude_docs": str(raw.get("exclude_docs", "")),
        "draft_docs": str(raw.get("draft_docs", "")),
    }
    return hashlib.sha1(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _read(path: Path) -> dict[str, Any] | None:
    try:
        # One read then `loads`: `marshal.load` on a file reads in small pieces (10x slower).
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def clear(project: Project) -> None:
    """Remove the cached indexes (tests, benchmarks' cold runs)."""
    folder = project.root / CACHE_FOLDER
    for path in folder.glob("*.marshal"):
        path.unlink(missing_ok=True)
