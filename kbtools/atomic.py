"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Modes follow what any editor does: a replaced file keeps its mode, and a new file gets
0666 less the umask (0644 under the usual 022), not the 0600 of a bare temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode a newly created file gets: 0666 less the umask."""
    return 0o666 & ~current_umask()


def mode_for(path: Path) -> int:
    """The mode to give a file written at `path`: its current one, else a new file's."""
    try:
        return Path(path).stat().st_mode & 0o7777
    except OSError:
        return new_file_mode()


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace `path` with `text` via a temporary file in the same folder and os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Replace `path` with `content` via a temporary file in the same folder and os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create_text_exclusive(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Create a new file with `text`; raises FileExistsError when the path exists (O_EXCL)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def create_bytes_atomic(path: Path, content: bytes) -> bool:
    """Create `path` with `content` unless it exists; False when it already did.

    The bytes go to a temporary file in the same folder first; a hard link then publishes
    it under the final name, which fails instead of replacing a file created meanwhile.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(new_file_mode())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # Some file systems have no hard links: fall back to a rename after a last check.
            if os.path.lexists(path):
                return False
            os.replace(tmp, path)
        return True
    finally:
        if os.path.lexists(tmp):
            Path(tmp).unlink()
