"""DocumentStore: every Markdown file of the site, parsed only when a check asks for it.

A pull-request run (`--changed-since`) lints a few files, but links into every other file
must still resolve (its anchors, its front matter). Parsing all of a large tree costs more
than the rest of the run, so the store knows every path up front and parses on access.
Iterating it parses everything, so whole-tree rules stay correct, just not cheap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from kbtools.config import TocSettings
from kbtools.document import Document, DocumentError, load_document, read_text
from kbtools.lint.collector import collector_paused
from kbtools.parallel import run_forked, split_by_size, worker_count
from kbtools.project import Project

log = logging.getLogger(__name__)
PARALLEL_THRESHOLD = 64
"""Below this many files, starting worker processes costs more than it saves."""

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
        extra core, `kbtools.parallel`). Documents parsed in a worker come back without
        their markdown-it `tokens`; every fact checks use is extracted already.
        """
        pending = [key for key in self.paths() if key not in self._docs and key not in self.errors]
        workers = worker_count()
        with collector_paused():
            if len(pending) >= PARALLEL_THRESHOLD and workers > 1:
                try:
                    self._load_forked(pending, workers)
                except OSError as exc:
                    log.debug("parallel parse unavailable (%s); parsing in-process", exc)
            for key in pending:  # what no worker delivered (or everything, without workers)
                self._load(key)

    def _load_forked(self, keys: list[str], workers: int) -> None:
        sizes: dict[str, int] = {}
        for key in keys:
            try:
                sizes[key] = self._files[key].stat().st_size
            except OSError:
                sizes[key] = 0
        own, *others = split_by_size(keys, sizes, workers)
        toc = self._project.config.toc

        def parse(share: Sequence[str]) -> _Parsed:
            jobs = [(self._files[k], self._project.rel(self._files[k]), k) for k in share]
            return _parse_share(jobs, toc)

        def parse_own() -> None:
            for key in own:
                self._load(key)

        for parsed in run_forked(others, parse, parse_own):
            for key, doc, error in parsed or []:
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
