"""A JSON cache of external URL results: safe to delete, safe under concurrent runs.

One file, `<cache_dir>/external-links.json`: `{"version": 1, "results": {url: {...}}}`.
Only good results (OK, permanent redirects) are stored; failures are re-checked every run.
Writes go to a temporary file in the same folder and `os.replace` it, after merging what
another run may have written meanwhile; a missing, unreadable or corrupt file counts as empty.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from kbtools.atomic import mode_for
from kbtools.engines.urlcheck import UrlResult

CACHE_FILE = "external-links.json"
VERSION = 1


class UrlCache:
    """Results by URL, fresh for `ttl` seconds after they were checked."""

    def __init__(self, directory: Path, ttl: float) -> None:
        self.path = directory / CACHE_FILE
        self.ttl = ttl
        self.problem = ""
        """Why the cache file could not be used (empty when it was fine or absent)."""
        self._entries: dict[str, UrlResult] = self._read()

    def fresh(self, url: str, now: float | None = None) -> UrlResult | None:
        """The cached result for `url` when it is still within the TTL."""
        result = self._entries.get(url)
        if result is None or not result.outcome.cacheable:
            return None
        now = time.time() if now is None else now
        if not (0 <= now - result.checked_at < self.ttl):
            return None
        return result

    def store(self, results: Iterable[UrlResult]) -> None:
        """Add good results and write the file (merged with entries written meanwhile)."""
        new = {r.url: r for r in results if r.outcome.cacheable and r.checked_at > 0}
        merged = self._read()
        for url, result in self._entries.items():
            if url not in merged or merged[url].checked_at < result.checked_at:
                merged[url] = result
        merged.update(new)
        now = time.time()
        # Drop entries long past their TTL so the file does not grow forever.
        merged = {u: r for u, r in merged.items() if now - r.checked_at < 2 * self.ttl}
        self._entries = merged
        self._write(merged)

    def _read(self) -> dict[str, UrlResult]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.problem = f"{self.path}: cannot read cache ({exc.strerror or exc}); ignored"
            return {}
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError("unknown format")
            entries = data["results"]
            if not isinstance(entries, dict):
                raise ValueError("results is not a mapping")
        except (ValueError, KeyError) as exc:
            self.problem = f"{self.path}: corrupt cache ({exc}); ignored"
            return {}
        return _parse_entries(entries)

    def _write(self, entries: Mapping[str, UrlResult]) -> None:
        data = {
            "version": VERSION,
            "results": {url: entries[url].to_json() for url in sorted(entries)},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=".external-links.", suffix=".tmp", dir=self.path.parent
            )
        except OSError as exc:
            self.problem = f"{self.path}: cannot write cache ({exc.strerror or exc})"
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.write("\n")
            Path(tmp).chmod(mode_for(self.path))  # mkstemp makes 0600; honour the umask
            os.replace(tmp, self.path)
        except OSError as exc:
            self.problem = f"{self.path}: cannot write cache ({exc.strerror or exc})"
            Path(tmp).unlink(missing_ok=True)


def _parse_entries(entries: Mapping[object, object]) -> dict[str, UrlResult]:
    parsed: dict[str, UrlResult] = {}
    for url, value in entries.items():
        if not isinstance(url, str) or not isinstance(value, Mapping):
            continue
        try:
            parsed[url] = UrlResult.from_json(url, value)
        except (KeyError, TypeError, ValueError):
            continue  # one bad entry costs one re-check, not the whole cache
    return parsed
