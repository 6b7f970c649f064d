"""`kb lint --changed-since REF`: which files a pull request can break.

The files changed since REF (committed or not, plus new untracked files), and every
unchanged page whose links the change broke: links to files it deleted or renamed, and
`#fragment` links to headings it removed (old headings come from `git show REF:path`).
REF is compared at its merge base with HEAD, as a pull request's diff is.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from kbtools import gitcmd
from kbtools.article.schema import is_published_public
from kbtools.checks.links import nav_paths
from kbtools.document import Document, parse_document
from kbtools.errors import InputError
from kbtools.linkmap import SiteMap, Status, checkable_fragment, is_markdown, may_link_to
from kbtools.project import Project


@dataclass
class Change:
    """What changed under docs_dir since the base commit (docs_dir-relative paths)."""

    base: str
    changed: set[str] = field(default_factory=set)
    """Added, modified, copied or renamed-to files."""
    gone: set[str] = field(default_factory=set)
    """Deleted files and the old names of renamed ones."""
    renamed: dict[str, str] = field(default_factory=dict)
    """New name -> old name of renamed files."""
    config_changed: bool = False
    """mkdocs.yml changed: nav, slugify or extensions may change every page."""


@dataclass
class BaseDiff:
    """What the change did to pages, found by comparing them with their base version."""

    removed: dict[str, set[str]] = field(default_factory=dict)
    """Page -> anchors it had at the base commit and no longer has."""
    unpublished: set[str] = field(default_factory=set)
    """Pages that were public at the base commit and are not now."""
    lost_inbound: set[str] = field(default_factory=set)
    """Files that a changed or deleted page linked to before and does not link to now."""


def changed_targets(project: Project, ref: str, documents: Mapping[str, Document]) -> set[str]:
    """docs paths to lint for a change since `ref`. Raises InputError for a bad ref or no repo."""
    change = collect_change(project, ref)
    paths = _paths(documents)
    if change.config_changed:
        return set(paths)
    targets = {p for p in change.changed if is_markdown(p) and p in paths}
    site = _site_with(project, change.gone)
    diff = compare_with_base(project, change, documents, site)
    nav = project.config.nav
    if nav:
        # A page that lost a link may have lost its last one (links.orphan).
        in_nav = {posixpath.normpath(entry) for entry in nav_paths(nav)}
        targets |= {
            p for p in diff.lost_inbound if is_markdown(p) and p in paths and p not in in_nav
        }
    broken = change.gone | diff.unpublished
    if not broken and not diff.removed:
        return targets
    return targets | linking_pages(site, documents, broken, diff.removed, skip=targets)


def collect_change(project: Project, ref: str) -> Change:
    """Ask git what changed between `ref` (its merge base with HEAD) and the working tree."""
    top = Path(_git(project.root, "rev-parse", "--show-toplevel").strip())
    if not _ok(project.root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"):
        raise InputError(f"--changed-since: '{ref}' is not a commit in {top}")
    base = ref
    merge_base = _run(project.root, "merge-base", ref, "HEAD")
    if merge_base.returncode == 0 and merge_base.stdout.strip():
        base = merge_base.stdout.strip()
    change = Change(base=base)
    diff = _git(top, "diff", "--name-status", "-z", "-M", "--no-ext-diff", base, "--")
    fields = diff.split("\0")
    index = 0
    entries: list[tuple[str, str, str]] = []
    while index < len(fields) - 1:
        status = fields[index]
        if status.startswith(("R", "C")):
            entries.append((status[0], fields[index + 1], fields[index + 2]))
            index += 3
        else:
            entries.append((status[0], fields[index + 1], fields[index + 1]))
            index += 2
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    entries.extend(("A", name, name) for name in untracked.split("\0") if name)
    config = project.config.path.resolve()
    for status, old, new in entries:
        if (top / new).resolve() == config or (top / old).resolve() == config:
            change.config_changed = True
        old_docs = project.docs_rel(top / old)
        new_docs = project.docs_rel(top / new)
        if status == "D":
            if old_docs is not None:
                change.gone.add(old_docs)
            continue
        if status == "R" and old_docs is not None:
            change.gone.add(old_docs)
            if new_docs is not None:
                change.renamed[new_docs] = old_docs
        if new_docs is not None:
            change.changed.add(new_docs)
    return change


def compare_with_base(
    project: Project, change: Change, documents: Mapping[str, Document], site: SiteMap
) -> BaseDiff:
    """Compare changed and deleted pages with their base version (`git show BASE:path`)."""
    diff = BaseDiff()
    top = Path(_git(project.root, "rev-parse", "--show-toplevel").strip()).resolve()
    default_public = project.kb.pages_public_by_default
    deleted = {p for p in change.gone if p not in change.renamed.values()}
    for path in sorted(change.changed | deleted):
        if not is_markdown(path):
            continue
        old_path = change.renamed.get(path, path)
        doc = documents.get(path) if path not in deleted else None
        if path not in deleted and doc is None:
            continue
        repo_path = (project.docs_dir / old_path).resolve().relative_to(top).as_posix()
        shown = _run(top, "show", f"{change.base}:{repo_path}")
        if shown.returncode != 0:
            continue  # new in this change: nothing could rely on its old version
        old_text = shown.stdout.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        old = parse_document(
            old_text, project.docs_dir / old_path, old_path, project.config.toc, docs_path=old_path
        )
        before = _link_targets(site, old_path, old)
        after = _link_targets(site, path, doc) if doc is not None else set()
        diff.lost_inbound |= before - after - {path, old_path}
        if doc is None:
            continue
        lost = old.anchors - doc.anchors
        if lost:
            diff.removed[path] = lost
        if is_published_public(old.meta, default_public=default_public) and not (
            is_published_public(doc.meta, default_public=default_public)
        ):
            diff.unpublished.add(path)
    return diff


def _link_targets(site: SiteMap, page: str, doc: Document) -> set[str]:
    found = set()
    for link in doc.links:
        target = site.resolve(page, link)
        if target.status is Status.OK:
            found.add(target.path)
    return found


def _site_with(project: Project, gone: set[str]) -> SiteMap:
    # Resolve as if the gone files still existed, to see which links pointed at them.
    site = SiteMap.build(project)
    return SiteMap(
        files=site.files | gone,
        use_directory_urls=site.use_directory_urls,
        absolute_relative_to_docs=site.absolute_relative_to_docs,
        site_prefix=site.site_prefix,
    )


def linking_pages(
    site: SiteMap,
    documents: Mapping[str, Document],
    gone: set[str],
    removed: Mapping[str, set[str]],
    *,
    skip: Iterable[str] = (),
) -> set[str]:
    """Pages (other than `skip`) that link to a file in `gone`, or to a removed anchor."""
    skipped = set(skip)
    found: set[str] = set()
    for source in _paths(documents):
        if source in skipped:
            continue
        text = _text(documents, source)
        if text is None or not _may_be_affected(site, source, text, gone, removed):
            continue
        doc = documents.get(source)
        if doc is None:
            continue
        for link in doc.links:
            target = site.resolve(source, link)
            if target.status is not Status.OK:
                continue
            if target.path in gone:
                found.add(source)
                break
            lost = removed.get(target.path)
            if lost and checkable_fragment(target.fragment) in lost:
                found.add(source)
                break
    return found


def _may_be_affected(
    site: SiteMap, source: str, text: str, gone: set[str], removed: Mapping[str, set[str]]
) -> bool:
    """Cheap text test before parsing: could this page link to what the change broke?"""
    if any(may_link_to(site, source, text, path) for path in gone):
        return True
    return any(
        any(a in text or quote(a) in text for a in lost) and may_link_to(site, source, text, path)
        for path, lost in removed.items()
    )


def _paths(documents: Mapping[str, Document]) -> list[str]:
    paths = getattr(documents, "paths", None)
    return list(paths()) if callable(paths) else list(documents.keys())


def _text(documents: Mapping[str, Document], path: str) -> str | None:
    raw = getattr(documents, "raw_text", None)
    if callable(raw):
        value = raw(path)
        return value if isinstance(value, str) else None
    doc = documents.get(path)
    return doc.text if doc is not None else None


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return gitcmd.run(cwd, *args)
    except gitcmd.GitError as exc:
        raise InputError(f"--changed-since: {exc}") from None


def _ok(cwd: Path, *args: str) -> bool:
    return _run(cwd, *args).returncode == 0


def _git(cwd: Path, *args: str) -> str:
    try:
        return gitcmd.output(cwd, *args)
    except gitcmd.GitError as exc:
        raise InputError(f"--changed-since: {exc}") from None
