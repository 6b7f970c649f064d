"""The engines `kb build` can run on a staged tree: MkDocs, ProperDocs and Zensical.

Each reads the staged mkdocs.yml. MkDocs runs in this process (its own `build`, so its
warnings and `--strict` behave as with `mkdocs build`); ProperDocs and Zensical run as
`python -m properdocs|zensical` in a child process (ProperDocs aliases the `mkdocs` modules
to its own, which cannot share a process with MkDocs; Zensical's build is a Rust runtime).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kbtools.errors import ConfigError, ExitCode, KbError

ENGINES = ("mkdocs", "properdocs", "zensical")


class BuildFailed(KbError):
    """The build ran but failed (warnings under --strict, or an error while rendering)."""

    exit_code = ExitCode.FINDINGS


@dataclass(frozen=True)
class Engine:
    """One engine: its Python module and the extra that installs it."""

    name: str
    module: str
    extra: str | None
    search_index: str
    """Where the engine writes its search index, relative to the site folder."""

    def require(self) -> None:
        """Raise ConfigError naming the extra to install when the engine is missing."""
        if importlib.util.find_spec(self.module) is None:
            hint = f"pip install 'kbtools[{self.extra}]'" if self.extra else "pip install mkdocs"
            raise ConfigError(f"the {self.name} engine is not installed (install it with: {hint})")


_ENGINES = {
    "mkdocs": Engine("mkdocs", "mkdocs", None, "search/search_index.json"),
    "properdocs": Engine("properdocs", "properdocs", "properdocs", "search/search_index.json"),
    "zensical": Engine("zensical", "zensical", "zensical", "search.json"),
}


def get(name: str) -> Engine:
    """The engine called `name`, or ConfigError listing the known ones."""
    try:
        return _ENGINES[name]
    except KeyError:
        raise ConfigError(
            f"unknown engine {name!r} (choose one of: {', '.join(ENGINES)})"
        ) from None


def run_child(
    engine: Engine, config_file: Path, site_dir: Path, *, strict: bool, verbose: bool
) -> None:
    """Build the staged tree with ProperDocs or Zensical in a child process."""
    if engine.name == "properdocs":
        command = [sys.executable, "-m", "properdocs", "build", "-f", str(config_file)]
        command += ["-d", str(site_dir)]
        command += ["--strict"] if strict else []
        command += ["--verbose"] if verbose else ["--quiet"] if not strict else []
        output = site_dir
    else:
        # Zensical keeps docs_dir and site_dir inside the config's folder: it builds next to
        # the staged tree, and the result replaces site_dir.
        output = config_file.parent / "site"
        command = [sys.executable, "-m", "zensical", "build", "-f", str(config_file)]
        command += ["--strict"] if strict else []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=config_file.parent, env=env, capture_output=True, text=True, check=False
    )
    if verbose or result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
    if result.returncode:
        last = next(
            (
                line
                for line in reversed((result.stderr + result.stdout).splitlines())
                if line.strip()
            ),
            f"exit status {result.returncode}",
        )
        raise BuildFailed(f"{engine.name} build failed: {' '.join(last.split())}")
    if output != site_dir:
        if site_dir.exists():
            shutil.rmtree(site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(output), str(site_dir))
