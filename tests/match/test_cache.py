"""The site index is cached under .kb-cache/match/ and rebuilt only for what changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kbtools.match import cache
from kbtools.project import Project

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "triage-kb"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".kb-cache"))
    cache._MEMO.clear()
    return root


def _load(root: Path, audience: str = "internal") -> cache.Loaded:
    cache._MEMO.clear()  # as a new process would
    return cache.load_index(Project.load(str(root / "mkdocs.yml")), audience)


def test_a_second_run_reads_nothing_again(site: Path) -> None:
    first = _load(site)
    assert first.rebuilt == first.pages > 0
    assert (site / ".kb-cache" / "match" / "internal-index.marshal").is_file()
    second = _load(site)
    assert second.rebuilt == 0
    assert second.index.plain() == first.index.plain()


def test_an_edited_page_is_read_again_and_only_it(site: Path) -> None:
    _load(site)
    faq = site / "docs" / "faq.md"
    faq.write_text(faq.read_text() + "\n## Why is `acme-cli` slow?\n\nIt is not.\n")
    loaded = _load(site)
    assert loaded.rebuilt == 1
    titles = {loaded.index.unit(n).title for n in range(loaded.index.unit_count)}
    assert "Why is acme-cli slow?" in titles


def test_a_touched_page_with_the_same_content_is_not_parsed_again(site: Path) -> None:
    _load(site)
    faq = site / "docs" / "faq.md"
    stat = faq.stat()
    os.utime(faq, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert _load(site).rebuilt == 0  # hashed on doubt


def test_a_deleted_page_leaves_the_index(site: Path) -> None:
    _load(site)
    (site / "docs" / "admin" / "troubleshooting.md").unlink()
    loaded = _load(site)
    paths = {loaded.index.unit(n).path for n in range(loaded.index.unit_count)}
    assert "docs/admin/troubleshooting.md" not in paths


def test_a_broken_cache_is_rebuilt_not_an_error(site: Path) -> None:
    first = _load(site)
    for name in ("internal-index.marshal", "internal-pages.marshal"):
        (site / ".kb-cache" / "match" / name).write_bytes(b"\x00garbage")
    loaded = _load(site)
    assert loaded.rebuilt == first.pages
    assert loaded.index.plain() == first.index.plain()


def test_each_audience_has_its_own_index(site: Path) -> None:
    internal = _load(site, "internal").index
    public = _load(site, "public").index
    ids = {public.unit(n).id for n in range(public.unit_count)}
    assert "KB-0015" in ids and "KB-0021" not in ids  # KB-0021 is internal
    assert "KB-0021" in {internal.unit(n).id for n in range(internal.unit_count)}
    assert "KB-0003" not in ids | {internal.unit(n).id for n in range(internal.unit_count)}
