"""The project: where mkdocs.yml, docs_dir and the KB live, and which files belong to it."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kbtools import config as config_module
from kbtools.config import KbConfig, SiteConfigFile

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class SkippedPath:
    """A path the walk could not use, and why (turned into a finding by the runner)."""

    path: Path
    reason: str
    rule: str


@dataclass
class Project:
    """A KB repository: mkdocs.yml, its docs_dir and the KB articles folder."""

    config: SiteConfigFile
    skipped: list[SkippedPath] = field(default_factory=list)
    _real: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, config_file: str | None = None, start: Path | None = None) -> Project:
        """Find mkdocs.yml (upward from `start`, or `config_file`) and read it."""
        path = config_module.find_config_file(start, config_file)
        return cls(config_module.load(path))

    @property
    def root(self) -> Path:
        """The directory holding mkdocs.yml."""
        return self.config.root

    @property
    def docs_dir(self) -> Path:
        """Absolute docs_dir."""
        return self.config.docs_dir

    @property
    def kb(self) -> KbConfig:
        """The validated `kb` plugin options."""
        return self.config.kb

    @property
    def articles_dir(self) -> Path:
        """Absolute folder of KB articles."""
        return (self.docs_dir / self.kb.articles_dir).resolve()

    def rel(self, path: Path, *, resolve: bool = True) -> str:
        """POSIX path relative to the project root (as reported in findings).

        `resolve=False` keeps symbolic links as named (to report the link itself).
        """
        absolute = self._resolve(path) if resolve else Path(os.path.normpath(path.absolute()))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return os.path.relpath(absolute, self.root).replace(os.sep, "/")

    def docs_rel(self, path: Path) -> str | None:
        """POSIX path relative to docs_dir, or None when the path is outside it."""
        try:
            return self._resolve(path).relative_to(self.docs_dir).as_posix()
        except ValueError:
            return None

    def _resolve(self, path: Path) -> Path:
        # A run asks for the same file's real path several times (walk, parse, report);
        # each `resolve()` is a system call per path component.
        if not path.is_absolute():
            return path.resolve()  # depends on the working directory: not cached
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = path.resolve()
        return real

    def is_article(self, docs_rel: str) -> bool:
        """True for Markdown files under the KB articles folder (index pages excluded)."""
        prefix = self.kb.articles_dir.strip("/") + "/"
        name = docs_rel.rsplit("/", 1)[-1]
        return docs_rel.startswith(prefix) and name not in ("index.md", "README.md")

    def is_excluded(self, docs_rel: str) -> bool:
        """True when `lint.exclude` names the file."""
        return any(fnmatch.fnmatch(docs_rel, pattern) for pattern in self.kb.lint.exclude)

    def markdown_files(self) -> list[Path]:
        """Every Markdown file under docs_dir, sorted; symlink loops are recorded as skipped."""
        return sorted(self._walk(self.docs_dir))

    def resolve_arguments(self, paths: Sequence[str]) -> list[Path]:
        """Markdown files named by command-line paths (files or folders).

        Paths outside docs_dir are recorded in `skipped` (they cannot be part of the site).
        """
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                self.skipped.append(SkippedPath(path, "no such file or directory", "file.missing"))
                continue
            if self.docs_rel(path) is None:
                self.skipped.append(
                    SkippedPath(
                        path, f"outside docs_dir ({self.rel(self.docs_dir)})", "file.outside"
                    )
                )
                continue
            if path.is_dir():
                files.extend(self._walk(path.resolve()))
            else:
                files.append(path.resolve())
        return sorted(set(files))

    def _walk(self, top: Path) -> Iterator[Path]:
        seen: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:
                self.skipped.append(
                    SkippedPath(
                        Path(dirpath),
                        "symbolic link loop; folder not walked again",
                        "file.symlink-loop",
                    )
                )
                dirnames[:] = []
                continue
            seen.add(real)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.lower().endswith(MARKDOWN_SUFFIXES):
                    path = Path(dirpath) / name
                    if path.is_absolute() and not path.is_symlink():
                        # A plain file's real path is its folder's real path + its name:
                        # one lstat instead of a resolve per path component.
                        self._real.setdefault(path, Path(real) / name)
                    yield path
