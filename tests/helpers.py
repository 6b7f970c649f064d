"""Helpers shared by tests: throwaway KB projects and running `kb` in-process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kbtools.cli import main

MINIMAL_CONFIG = """\
site_name: Test KB
theme:
  name: material
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
plugins:
  - search
  - kb:
      product_areas: [install, search, auth]
"""

VALID_ARTICLE = """\
---
id: KB-0001
title: Search index stays empty after upgrade
summary: Rebuild the index when zoekt reports an empty shard after upgrading.
type: troubleshooting
product_area: search
visibility: public
status: published
versions:
  affected: [5.2.4]
  fixed: 5.2.6
deployment: [kubernetes]
services: [zoekt-webserver]
tags: [search, upgrade]
tickets: ["4411"]
owner: support-search
created: 2026-01-10
updated: 2026-02-01
review_by: 2099-01-01
---

## Problem

Search returns no results after an upgrade.

## Error messages

```
level=error msg="shard empty" path=/data/index
```

## Environment

Kubernetes with Helm.

## Cause

The shard was written by an older version.

## Resolution

Delete the shard and let the indexer rebuild it.
"""


def write_project(root: Path, files: Mapping[str, str], config: str = MINIMAL_CONFIG) -> Path:
    """Write mkdocs.yml and files (paths relative to root) and return root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8"
        )
    return root


@dataclass
class CliResult:
    """Exit code and captured output of one in-process `kb` call."""

    code: int
    out: str
    err: str


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    """Run the block with `path` as the working directory."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_kb(args: list[str], cwd: Path) -> CliResult:
    """Call `kb` in-process (click's own runner semantics) and capture its output."""
    out, err = io.StringIO(), io.StringIO()
    with chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return CliResult(code, out.getvalue(), err.getvalue())


REPO_ROOT = Path(__file__).resolve().parents[1]
PIP_WHEEL_OFFLINE = (
    sys.executable,
    "-m",
    "pip",
    "wheel",
    "-q",
    "--no-deps",
    "--no-build-isolation",
)


def build_wheel(dest: Path) -> Path:
    """Build kbtools' wheel offline into `dest` from a private copy of the sources.

    setuptools writes `build/` and `*.egg-info` into the source tree, so two builds from
    the checkout at once (pytest-xdist workers) trip over each other; a copy cannot.
    """
    source = dest / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, source / name)
    shutil.copytree(
        REPO_ROOT / "kbtools", source / "kbtools", ignore=shutil.ignore_patterns("__pycache__")
    )
    wheels = dest / "wheels"
    subprocess.run(
        [*PIP_WHEEL_OFFLINE, "-w", str(wheels), str(source)],
        check=True,
        cwd=dest,
    )
    (wheel,) = wheels.glob("kbtools-*.whl")
    return wheel
