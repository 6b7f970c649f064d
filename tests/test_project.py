"""Project paths: what the file walk knows saves resolving each file again, with the same answers."""

from __future__ import annotations

from pathlib import Path

from kbtools.project import Project
from tests.helpers import write_project


def test_walked_files_resolve_as_path_resolve_does(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/index.md": "# Home\n", "shared/guide.md": "# Guide\n", "shared/one.md": "# One\n"},
    )
    (tmp_path / "docs" / "linked").symlink_to(tmp_path / "shared")  # a folder link
    (tmp_path / "docs" / "alias.md").symlink_to(tmp_path / "docs" / "index.md")  # a file link
    project = Project.load(start=tmp_path)
    walked = project.markdown_files()
    assert len(walked) == 4
    fresh = Project.load(start=tmp_path)  # nothing cached: every answer from resolve()
    for path in walked:
        assert project.docs_rel(path) == fresh.docs_rel(path), path
        assert project.rel(path) == fresh.rel(path), path
    assert {project.rel(p) for p in walked} == {
        "docs/index.md",
        "shared/guide.md",
        "shared/one.md",
    }
