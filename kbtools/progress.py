"""A one-line progress bar on stderr for long runs; silent when stderr is no terminal or in CI."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")


def progress_wanted(stream: TextIO | None = None) -> bool:
    """True on an interactive terminal outside CI (CI logs must not fill with bars)."""
    stream = stream or sys.stderr
    if any(os.environ.get(name) for name in CI_VARIABLES):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """`label [#####-----] done/total`, redrawn at most ten times a second; thread-safe."""

    def __init__(
        self, label: str, total: int, stream: TextIO | None = None, width: int = 30
    ) -> None:
        self.label = label
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.width = width
        self._lock = threading.Lock()
        self._last = 0.0
        self._shown = False

    def update(self, done: int, total: int | None = None) -> None:
        """Record progress; redraws when enough time has passed or the work is complete."""
        with self._lock:
            if total is not None:
                self.total = total
            now = time.monotonic()
            if done < self.total and now - self._last < 0.1:
                return
            self._last = now
            filled = self.width * done // self.total if self.total else self.width
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total}")
            self.stream.flush()
            self._shown = True

    def close(self) -> None:
        """Erase the bar so the report starts on a clean line."""
        with self._lock:
            if self._shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._shown = False
