"""DocumentStore: every Markdown file of the site, parsed only when a check asks for it.

A pull-request run (`--changed-since`) lints a few files, but links into every other file
must still resolve (its anchors, its front matter). Parsing all of a large tree costs more
than the rest of the run, so the store knows every path up front and parses on access.
Iterating it parses everything, so whole-tree rules stay correct, just not cheap.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path

from kbtools.config import TocSettings
from kbtools.document import Document, DocumentError, load_document, read_text
from kbtools.lint.collector import collector_paused
from kbtools.project import Project

log = logging.getLogger(__name__)
PARALLEL_THRESHOLD = 64
"""Below this many files, starting worker processes costs more than it saves."""
MAX_WORKERS = 4

_Parsed = list[tuple[str, Document | None, DocumentError | None]]


def _parse_share(jobs: list[tuple[Path, str, str]], toc: TocSettings) -> _Parsed:
    """Parse files in a worker process; documents go back without their `tokens`."""
    parsed: _Parsed = []
    for path, rel, key in jobs:
        try:
            doc = load_document(path, rel, toc, docs_path=key)
        except DocumentError as exc:
            parsed.append((key, None, exc))
            continue
        doc.tokens = []  # every fact checks use is extracted; tokens would dominate the pickle
        parsed.append((key, doc, None))
    return parsed


def _shares(keys: list[str], sizes: Mapping[str, int], count: int) -> list[list[str]]:
    """Split keys into `count` shares of about equal bytes (largest file first)."""
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for key in sorted(keys, key=lambda k: -sizes.get(k, 0)):
        index = loads.index(min(loads))
        shares[index].append(key)
        loads[index] += sizes.get(key, 0)
    return shares


class DocumentStore(Mapping[str, Document]):
    """docs_dir-relative path -> Document, parsed lazily and at most once."""

    def __init__(self, project: Project, files: Mapping[str, Path]) -> None:
        self._project = project
        self._files = dict(files)
        self._docs: dict[str, Document] = {}
        self._texts: dict[str, str | None] = {}
        self.errors: dict[str, DocumentError] = {}
        """Files that could not be read or parsed, by docs path."""

    def paths(self) -> list[str]:
        """Every known docs path (readable or not), without parsing anything."""
        return sorted(self._files)

    def raw_text(self, key: str) -> str | None:
        """The file's text without parsing it (None when it cannot be read)."""
        if key in self._docs:
            return self._docs[key].text
        if key not in self._texts:
            path = self._files.get(key)
            try:
                self._texts[key] = read_text(path) if path is not None else None
            except DocumentError:
                self._texts[key] = None
        return self._texts[key]

    def load_all(self) -> None:
        """Parse every file now (a full run needs them all anyway).

        Large trees are split between this process and forked worker processes (one per
        extra core). Documents parsed in a worker come back without their markdown-it
        `tokens`; every fact checks use is extracted already.
        """
        pending = [key for key in self.paths() if key not in self._docs and key not in self.errors]
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        with collector_paused():
            if len(pending) >= PARALLEL_THRESHOLD and workers > 1 and hasattr(os, "fork"):
                try:
                    self._load_forked(pending, workers)
                except OSError as exc:
                    log.debug("parallel parse unavailable (%s); parsing in-process", exc)
            for key in pending:
                self._load(key)

    def _load_forked(self, keys: list[str], workers: int) -> None:
        sizes: dict[str, int] = {}
        for key in keys:
            try:
                sizes[key] = self._files[key].stat().st_size
            except OSError:
                sizes[key] = 0
        own, *others = _shares(keys, sizes, workers)
        children: dict[int, int] = {}  # pid -> read end of its pipe
        try:
            for share in others:
                pid, read_end = self._fork_worker(share)
                children[pid] = read_end
            for key in own:  # this process parses a share too, while the workers run
                self._load(key)
            for pid in list(children):
                with os.fdopen(children.pop(pid), "rb") as pipe:
                    data = pipe.read()
                _, status = os.waitpid(pid, 0)
                self._take(pid, status, data)
        finally:
            for pid, read_end in children.items():  # after an error: leave no worker behind
                os.close(read_end)  # a worker still writing gets EPIPE and exits
                os.waitpid(pid, 0)

    def _fork_worker(self, share: list[str]) -> tuple[int, int]:
        """Start a worker process that parses `share` and pickles the result to a pipe."""
        jobs = [(self._files[k], self._project.rel(self._files[k]), k) for k in share]
        toc = self._project.config.toc
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the worker (coverage does not follow it)
            status = 1
            try:
                os.close(read_end)
                data = pickle.dumps(_parse_share(jobs, toc), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)  # no cleanup of the parent's state, no output flushed twice
        os.close(write_end)
        return pid, read_end

    def _take(self, pid: int, status: int, data: bytes) -> None:
        """Store what a worker parsed; a failed worker's files are parsed here later."""
        try:
            parsed: _Parsed = pickle.loads(data) if status == 0 and data else []
        except Exception as exc:  # a truncated or unreadable result: parse those files here
            log.debug("worker %d sent an unreadable result (%s)", pid, exc)
            return
        if not parsed:
            log.debug("worker %d failed (status %d); parsing its share here", pid, status)
        for key, doc, error in parsed:
            if doc is not None:
                self._docs[key] = doc
            elif error is not None:
                self.errors[key] = error

    def peek(self, key: str) -> Document | None:
        """The document if it is parsed already; never parses."""
        return self._docs.get(key)

    def loaded(self) -> list[Document]:
        """The documents parsed so far."""
        return list(self._docs.values())

    def _load(self, key: str) -> Document | None:
        doc = self._docs.get(key)
        if doc is not None or key in self.errors:
            return doc
        path = self._files.get(key)
        if path is None:
            return None
        rel = self._project.rel(path)
        try:
            text = self._texts.get(key)
            if text is None:
                doc = load_document(path, rel, self._project.config.toc, docs_path=key)
            else:
                from kbtools.document import parse_document

                doc = parse_document(text, path, rel, self._project.config.toc, docs_path=key)
        except DocumentError as exc:
            self.errors[key] = exc
            return None
        self._docs[key] = doc
        self._texts.pop(key, None)
        return doc

    def __getitem__(self, key: str) -> Document:
        doc = self._load(key)
        if doc is None:
            raise KeyError(key)
        return doc

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._load(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter([key for key in self.paths() if self._load(key) is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)
