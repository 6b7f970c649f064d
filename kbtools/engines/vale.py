"""Adapter around the real `vale` binary: one run over every file, JSON parsed into alerts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbtools.errors import ConfigError

MIN_VERSION = (3, 0, 0)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class ValeAlert:
    """One alert as Vale reports it (line 1-based, columns 1-based inclusive, code points)."""

    path: str
    line: int
    start: int
    end: int
    check: str
    severity: str
    message: str
    match: str = ""
    link: str = ""
    description: str = ""
    replacements: tuple[str, ...] = ()


def find_vale() -> str | None:
    """Path of `vale` on PATH, or None."""
    return shutil.which("vale")


def vale_version(binary: str) -> tuple[int, int, int] | None:
    """`vale --version` as a tuple, or None when it cannot be run or read."""
    try:
        done = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(done.stdout + done.stderr)
    if match is None:
        return None
    return (int(match.group(1)), int(match.group(2)), int(match.group(3)))


def usable_vale() -> tuple[str | None, str]:
    """(binary, why-not): the binary when it is on PATH and at least MIN_VERSION."""
    binary = find_vale()
    if binary is None:
        return None, "vale not on PATH"
    version = vale_version(binary)
    if version is None:
        return None, f"{binary}: cannot read its version"
    if version < MIN_VERSION:
        wanted = ".".join(map(str, MIN_VERSION))
        found = ".".join(map(str, version))
        return None, f"vale {found} is older than {wanted}"
    return binary, ".".join(map(str, version))


def run_vale(
    binary: str, config: Path, files: Sequence[str], cwd: Path, timeout: float = 600
) -> list[ValeAlert]:
    """Lint `files` (paths relative to `cwd`) in ONE `vale` run; errors raise ConfigError."""
    if not files:
        return []
    missing = [f for f in files if not (cwd / f).is_file()]
    if missing:
        # A single missing path would be linted by Vale as literal text (SPEC §1.2).
        raise ConfigError(f"vale: no such file: {missing[0]}")
    command = [binary, "--output=JSON", "--no-global", "--no-exit", f"--config={config}", *files]
    env = {k: v for k, v in os.environ.items() if k not in ("VALE_CONFIG_PATH", "VALE_STYLES_PATH")}
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
    except OSError as exc:
        raise ConfigError(f"vale: cannot run {binary}: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"vale: no answer after {timeout:.0f} s") from None
    if done.returncode not in (0, 1):
        raise ConfigError(vale_error(done.stderr or done.stdout, config))
    return parse_output(done.stdout)


def vale_error(stderr: str, config: Path) -> str:
    """Vale's error output (JSON or text, maybe coloured) as one line."""
    text = _ANSI.sub("", stderr).strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, Mapping):
        where = ""
        if data.get("Path"):
            where = f" ({data['Path']}:{data.get('Line', '')})"
        message = f"{data.get('Code', 'E100')}: {data.get('Text', '')}{where}"
    else:
        message = " ".join(text.split()) or "vale failed without a message"
    return f"vale ({config}): {' '.join(message.split())}"


def parse_output(stdout: str) -> list[ValeAlert]:
    """Vale's `--output=JSON` (SPEC §1.4) as alerts; malformed output is a ConfigError."""
    text = stdout.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"vale: unreadable JSON output: {exc}") from None
    if not isinstance(data, Mapping):
        raise ConfigError("vale: unexpected JSON output (not an object of files)")
    alerts: list[ValeAlert] = []
    for path, items in data.items():
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, Mapping):
                alerts.append(_alert(str(path), item))
    return alerts


def _alert(path: str, item: Mapping[str, Any]) -> ValeAlert:
    span = item.get("Span") or [1, 1]
    start = int(span[0]) if span else 1
    end = int(span[1]) if len(span) > 1 else start
    action = item.get("Action") or {}
    params = action.get("Params") if isinstance(action, Mapping) else None
    return ValeAlert(
        path=path.replace("\\", "/"),
        line=int(item.get("Line") or 1),
        start=max(start, 1),
        end=max(end, 1),
        check=str(item.get("Check", "")),
        severity=str(item.get("Severity", "warning")),
        message=str(item.get("Message", "")),
        match=str(item.get("Match", "")),
        link=str(item.get("Link", "")),
        description=str(item.get("Description", "")),
        replacements=tuple(str(p) for p in params or ()),
    )
