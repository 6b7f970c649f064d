"""Staging: only the audience's files, restaging rewrites only what changed, the engine config."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from kbtools import config as kb_config
from kbtools.stage import tree
from kbtools.stage.serve import Restager


def staged_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in (folder / "docs").rglob("*") if p.is_file()}


def test_public_stage_holds_only_public_pages_and_no_private_fields(kb_project: Path) -> None:
    site = kb_config.load(kb_project / "mkdocs.yml")
    staged = tree.stage(site, "public", site_dir=kb_project / "site")
    files = staged_files(staged.folder)
    assert "docs/kb/git-clone-early-eof.md" in files
    assert "docs/kb/areas/storage/index.md" in files  # generated, as a real file
    for left_out in ("internal-pgbouncer-pool", "draft-zoekt-oom", "archived-redis-eviction"):
        assert not any(left_out in f for f in files), left_out
    article = (staged.docs_dir / "kb/git-clone-early-eof.md").read_text(encoding="utf-8")
    assert "tickets" not in article.split("\n---\n")[0] and "kb-article-info" in article
    settings = yaml.safe_load((staged.config_file).read_text(encoding="utf-8"))
    assert settings["docs_dir"] == "docs"
    assert "kb" not in str(settings["plugins"])
    assert "navigation.prune" in settings["theme"]["features"]
    internal = tree.stage(site, "internal", site_dir=kb_project / "site-internal")
    assert "docs/kb/internal-pgbouncer-pool.md" in staged_files(internal.folder)
    assert internal.folder != staged.folder


def test_restaging_rewrites_only_changed_files_and_drops_removed_ones(kb_project: Path) -> None:
    restager = Restager(kb_project / "mkdocs.yml", "public", lambda folder: folder / "site")
    first = restager.stage()
    assert first.written > 0
    assert restager.stage().written == 0
    page = kb_project / "docs/kb/search-context-deadline.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Cause", "## Cause\n\nzqnewtext."))
    (kb_project / "docs/kb/object-storage-connection-refused.md").unlink()
    restager.changed(str(page))
    deadline = time.monotonic() + 10
    target = first.docs_dir / "kb/search-context-deadline.md"
    while "zqnewtext" not in target.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "zqnewtext" in target.read_text(encoding="utf-8")
    assert not (first.docs_dir / "kb/object-storage-connection-refused.md").exists()
    # Publishing an internal article on disk brings it into the staged tree on the next pass.
    internal = kb_project / "docs/kb/internal-pgbouncer-pool.md"
    internal.write_text(
        internal.read_text(encoding="utf-8").replace("visibility: internal", "visibility: public")
    )
    assert restager.stage().written >= 1
    assert (first.docs_dir / "kb/internal-pgbouncer-pool.md").is_file()
