"""Shared helpers for site tests: copy the fixture KB, build it, read every output file."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


GZIP_MAGIC = b"\x1f\x8b"


def read_all(site: Path) -> dict[str, str]:
    """Every file under `site` as text, keyed by relative path.

    Compressed files are decompressed: sitemap.xml.gz, and Pagefind's index chunks,
    fragments and metadata (`.pf_index`, `.pf_fragment`, `.pf_meta`: gzip streams whose
    words and page text are UTF-8 inside), recognised by the gzip header, not the name.
    """
    out: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace")
    return out


@pytest.fixture
def kb_project(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/site."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


BuildFn = Callable[..., Path]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build the fixture KB once per audience per module; returns the site directory."""
    cache: dict[str, Path] = {}

    def build(audience: str) -> Path:
        if audience not in cache:
            root = tmp_path_factory.mktemp(f"site-{audience}")
            project = root / "project"
            shutil.copytree(FIXTURE, project)
            site = root / "site"
            code = main(
                [
                    "build",
                    "--audience",
                    audience,
                    "-f",
                    str(project / "mkdocs.yml"),
                    "-d",
                    str(site),
                ]
            )
            assert code == 0
            cache[audience] = site
        return cache[audience]

    return build
