"""`mkdocs build` (the plugin) and `kb build` (staging) of this repository's docs give the same
public site: one selection, nav and page code behind both."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kbtools.cli import main
from tests.site.conftest import read_all

ROOT = Path(__file__).resolve().parents[2]
_LASTMOD = re.compile(r"<lastmod>[^<]*</lastmod>")
_BLANK_LINES = re.compile(r"\n\s*\n")
# MkDocs leaves generated files (the plugin's listing pages) out of the sitemap; staged, they
# are real files and are listed.
_GENERATED_URL = re.compile(
    r"\s*<url>\s*<loc>[^<]*/kb/(?:areas/[^<]*|tags/[^<]*|known-issues/|)</loc>\s*</url>"
)


def normalized(site: Path) -> dict[str, str]:
    out = {}
    for name, text in read_all(site).items():
        text = _BLANK_LINES.sub("\n", _LASTMOD.sub("", text))
        if name.startswith("sitemap.xml"):
            text = _GENERATED_URL.sub("", text)
        out[name] = text
    return out


@pytest.mark.slow
def test_mkdocs_build_and_kb_build_agree(tmp_path: Path) -> None:
    with_kb = tmp_path / "kb-site"
    with_mkdocs = tmp_path / "mkdocs-site"
    assert main(["build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(with_kb)]) == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(with_mkdocs)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    kb_files, mkdocs_files = normalized(with_kb), normalized(with_mkdocs)
    assert sorted(kb_files) == sorted(mkdocs_files)
    different = [name for name in kb_files if kb_files[name] != mkdocs_files[name]]
    assert different == []
    # The same public site: published public articles in, internal and draft ones out.
    assert "kb/storage/external-bucket-connection-refused/index.html" in kb_files
    assert "kb/storage/blobstore-connection-refused/index.html" not in kb_files
    assert "kb/storage/gitserver-disk-full/index.html" not in kb_files
    assert "assets/javascripts/kb-search.js" in kb_files
