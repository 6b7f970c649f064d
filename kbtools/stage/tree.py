"""Write one audience's docs tree and engine config into a build folder.

The folder holds only what the audience may see: its pages (private front matter fields
dropped from the public tree, the KB's additions rendered into the Markdown by
`site/decorate.py`), the generated pages as real files, the attachments its pages use, and
`mkdocs.yml` for the engine. Restaging rewrites only files whose bytes changed and deletes
files that no longer belong, so an engine's own watcher (`kb serve`) sees real changes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pathspec
import yaml

from kbtools.article.schema import PRIVATE_FIELDS, STATUSES
from kbtools.config import SiteConfigFile
from kbtools.linkmap import walk_docs
from kbtools.site import errorindex, model, sitenav, tuning
from kbtools.site.catalog import PageMeta
from kbtools.site.decorate import decorate, page_url
from kbtools.stage import engine_config

# libyaml's emitter when PyYAML has it: ten times faster than the Python one (2,000 articles).
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
CONFIG_NAME = "mkdocs.yml"


@dataclass(frozen=True)
class Staged:
    """A staged tree, ready for an engine."""

    folder: Path
    config_file: Path
    docs_dir: Path
    site_dir: Path
    plan: model.SitePlan
    written: int
    """Files written or replaced by this staging (0 when nothing changed)."""


def stage_folder(site: SiteConfigFile, audience: str) -> Path:
    """Where `kb build` stages an audience's tree: `.kb-cache/stage/AUDIENCE/` by mkdocs.yml."""
    return site.root / ".kb-cache" / "stage" / audience


def stage(
    site: SiteConfigFile, audience: str, *, site_dir: Path, folder: Path | None = None
) -> Staged:
    """Stage the `audience` tree of `site` into `folder` (default `stage_folder`)."""
    folder = folder or stage_folder(site, audience)
    docs = folder / "docs"
    source = site.docs_dir
    all_files = sorted(_docs_files(site))
    md = [f for f in all_files if f.lower().endswith(MARKDOWN_SUFFIXES)]
    other = [f for f in all_files if not f.lower().endswith(MARKDOWN_SUFFIXES)]
    selection = model.select(((src, _reader(source / src)) for src in md), other, site.kb, audience)
    excluded = set(selection.excluded)
    kept_other = [f for f in other if f not in excluded]
    present = set(selection.pages) | set(kept_other)
    directory_urls = bool(site.raw.get("use_directory_urls", True))
    plan = model.plan(
        selection,
        site.kb,
        existing=present.__contains__,
        excluded_urls=[page_url(s, directory_urls) for s in selection.excluded],
        tables=any(n in site.markdown_extensions for n in ("tables", "markdown.extensions.tables")),
        config_file=site.path,
    )
    wanted: dict[str, bytes] = {}
    for src, page in selection.pages.items():
        text = _page_text(source / src, page, plan, directory_urls)
        wanted[src] = text.encode("utf-8")
    for src, content in plan.generated.items():
        _, _, body = content.partition("\n---\n")
        decorated = decorate(body, src, plan, use_directory_urls=directory_urls)
        wanted[src] = (content[: len(content) - len(body)] + decorated).encode("utf-8")
    search_script = site.kb.site.material_defaults and engine_config.has_search(site)
    if search_script:
        wanted[tuning.SEARCH_SCRIPT] = tuning.search_script().encode("utf-8")
    error_panel = site.kb.site.error_panel and engine_config.has_search(site)
    if error_panel:
        wanted[errorindex.SCRIPT] = errorindex.script().encode("utf-8")
    written = _sync(docs, wanted, {src: source / src for src in kept_other})
    in_nav = [s for s in [*selection.pages, *plan.generated] if s not in plan.not_in_nav]
    nav = (
        sitenav.site_nav(site.nav, in_nav, plan, is_docs_file=lambda v: (source / v).is_file())
        if site.kb.site.generate_pages or site.nav is not None
        else None
    )
    # Relative to the staged mkdocs.yml where possible: Zensical wants both inside its folder.
    out = site_dir.resolve()
    if out.is_relative_to(folder.resolve()):
        out = out.relative_to(folder.resolve())
    settings = engine_config.build_config(
        site,
        docs_dir=Path("docs"),
        site_dir=out,
        nav=nav,
        search_script=search_script,
        error_panel=error_panel,
        not_in_nav=f"/{plan.layout.root}/"
        if nav is not None and plan.nav_layout == "areas"
        else None,
    )
    config_file = folder / CONFIG_NAME
    written += _write_if_changed(config_file, engine_config.dump(settings).encode("utf-8"))
    return Staged(folder, config_file, docs, site_dir, plan, written)


def _docs_files(site: SiteConfigFile) -> list[str]:
    files = list(walk_docs(str(site.docs_dir)))
    patterns = site.raw.get("exclude_docs")
    if patterns:
        spec = pathspec.GitIgnoreSpec.from_lines(str(patterns).splitlines())
        files = [f for f in files if not spec.match_file(f)]
    return files


def _reader(path: Path) -> Callable[[], str]:
    def read() -> str:
        return path.read_text(encoding="utf-8-sig")

    return read


def _page_text(path: Path, page: PageMeta, plan: model.SitePlan, directory_urls: bool) -> str:
    text = path.read_text(encoding="utf-8-sig")
    body = page.body
    head = text[: len(text) - len(body)] if text.endswith(body) else ""
    meta: dict[str, Any] = dict(page.meta)
    rewrite = False
    if plan.audience == "public" and any(name in meta for name in PRIVATE_FIELDS):
        for name in PRIVATE_FIELDS:
            meta.pop(name, None)
        rewrite = True
    if meta.get("status") in STATUSES:
        # Material reads `status` as its own page status and draws a bare glyph beside every
        # article in the nav; the article's status is text in its info box and banner.
        del meta["status"]
        rewrite = True
    if page.src_uri == plan.user_home:
        # The home is a map of the KB, not an answer: keep it out of search results.
        meta["search"] = {**(meta.get("search") or {}), "exclude": True}
        rewrite = True
    if rewrite:
        head = "---\n" + yaml.dump(meta, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
        head += "---\n"
    decorated = decorate(body, page.src_uri, plan, use_directory_urls=directory_urls)
    return head + decorated


def _sync(docs: Path, wanted: dict[str, bytes], copies: dict[str, Path]) -> int:
    written = 0
    keep = set(wanted) | set(copies)
    if docs.is_dir():
        for path in sorted(docs.rglob("*"), reverse=True):
            rel = path.relative_to(docs).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif rel not in keep:
                path.unlink()
                written += 1
    for src, data in wanted.items():
        written += _write_if_changed(docs / src, data)
    for src, origin in copies.items():
        target = docs / src
        stat = origin.stat()
        try:
            same = target.stat().st_size == stat.st_size and target.stat().st_mtime == stat.st_mtime
        except OSError:
            same = False
        if not same:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
            written += 1
    return written


def _write_if_changed(path: Path, data: bytes) -> int:
    try:
        if path.read_bytes() == data:
            return 0
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return 1
