"""A clean virtual environment with kbtools installed from a wheel, once per test session.

The wheel is built from this checkout without network (`--no-build-isolation`) and
installed with `--no-deps --no-index`. The dependencies (MkDocs, Material, ...) come from
the test run's own environment through a `.pth` line: the venv sees them, but not this
checkout nor its editable install, so `kb` runs the installed package as a user's would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import build_wheel


@dataclass(frozen=True)
class CleanInstall:
    """The venv's interpreter and `kb` script, and the environment to run them in."""

    python: Path
    kb: Path
    env: dict[str, str]

    def run(
        self, args: list[str], cwd: Path, *, stdin: str | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        """Run `kb ARGS` in `cwd` and capture its output."""
        return subprocess.run(
            [str(self.kb), *args],
            cwd=cwd,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="session")
def clean_install(tmp_path_factory: pytest.TempPathFactory) -> CleanInstall:
    """kbtools from a freshly built wheel in a new venv (about 15 s, once per session)."""
    base = tmp_path_factory.mktemp("clean-install")
    pip = [sys.executable, "-m", "pip"]
    wheel = build_wheel(base)
    venv = base / "venv"
    _check([sys.executable, "-m", "venv", "--without-pip", str(venv)], base)
    python = venv / "bin" / "python"
    purelib = _check(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base
    ).strip()
    # The dependencies, and nothing of this checkout: the editable install's finder is a
    # .pth file of the outer environment, and .pth files of an added path are not read.
    deps = sysconfig.get_paths()["purelib"]
    Path(purelib, "outer-dependencies.pth").write_text(deps + "\n")
    _check(
        [*pip, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        base,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "CI")}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        NO_MKDOCS_2_WARNING="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    where = _check(
        [str(python), "-c", "import kbtools; print(kbtools.__file__)"], base, env
    ).strip()
    assert where.startswith(purelib), f"kbtools imported from {where}, not the clean venv"
    return CleanInstall(python=python, kb=venv / "bin" / "kb", env=env)


def _check(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    return proc.stdout
