"""The engines `kb build` can run on a staged tree: MkDocs, ProperDocs and Zensical.

Each reads the staged mkdocs.yml. MkDocs runs in this process (its own `build`, so its
warnings and `--strict` behave as with `mkdocs build`); ProperDocs and Zensical run as
`python -m properdocs|zensical` in a child process (ProperDocs aliases the `mkdocs` modules
to its own, which cannot share a process with MkDocs; Zensical's build is a Rust runtime).
"""

from __future__ import annotations

import importlib.util
import os
import re
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
        command += ["--verbose"] if verbose else []
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
    report = _diagnostics(result.stderr)
    if verbose:
        sys.stderr.write(result.stdout + result.stderr)
    elif engine.name == "zensical":
        # Zensical prints each issue as a framed excerpt: show them whole, without a traceback.
        if ("issue" in report and "No issues found" not in report) or result.returncode:
            sys.stderr.write(report)
    else:  # warnings always show, as MkDocs' do
        warnings = [
            line for line in report.splitlines() if line.lstrip().startswith(("WARNING", "ERROR"))
        ]
        sys.stderr.write("".join(line + "\n" for line in warnings))
    if result.returncode:
        raise BuildFailed(f"{engine.name} build failed: {_last_line(result)}")
    if output != site_dir:
        if site_dir.exists():
            shutil.rmtree(site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(output), str(site_dir))


_EXCEPTION_RE = re.compile(r"^(?:[\w.]+(?:Error|Exception)): ")


def _diagnostics(stderr: str) -> str:
    """The engine's own messages: stderr without a Python traceback."""
    head, _, _ = stderr.partition("Traceback (most recent call last):")
    return head


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The reason a child build failed: its `Aborted ...` line, else the last exception or
    `Error:` line it printed, else its last line on stderr (or stdout)."""
    lines = [" ".join(line.split()) for line in (result.stdout + "\n" + result.stderr).splitlines()]
    for wanted in (
        lambda line: "Aborted" in line,
        lambda line: bool(_EXCEPTION_RE.match(line)) or line.startswith("Error:"),
    ):
        found = [line for line in lines if wanted(line)]
        if found:
            return _clean(found[-1])
    for text in (result.stderr, result.stdout):
        rest = [line.strip() for line in text.splitlines() if line.strip()]
        if rest:
            return _clean(rest[-1])
    return f"exit status {result.returncode}"


def _clean(line: str) -> str:
    while True:  # `RuntimeError: Python error: ModuleNotFoundError: No module named 'x'`
        shorter = _EXCEPTION_RE.sub("", line).removeprefix("Python error: ").removeprefix("Error: ")
        if shorter == line:
            return line
        line = shorter
