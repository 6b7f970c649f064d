"""Where generated pages live, and how pages link to each other inside the docs tree."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A URL-safe slug: lower-case letters, digits and dashes."""
    return _SLUG_RE.sub("-", text.casefold()).strip("-") or "untitled"


def area_title(area: str) -> str:
    """A product area name as a heading (`code-intelligence` -> `Code intelligence`)."""
    words = area.replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "Other"


def relative(target_src_uri: str, from_src_uri: str) -> str:
    """A Markdown link from one docs file to another, as MkDocs resolves it."""
    return posixpath.relpath(target_src_uri, posixpath.dirname(from_src_uri) or ".")


@dataclass(frozen=True)
class Layout:
    """Source paths (relative to docs_dir) of the generated pages of one KB."""

    articles_dir: str

    @property
    def root(self) -> str:
        """The KB folder with no trailing slash."""
        return self.articles_dir.strip("/")

    @property
    def home(self) -> str:
        """The KB home page."""
        return f"{self.root}/index.md"

    @property
    def known_issues(self) -> str:
        """The known-issues page."""
        return f"{self.root}/known-issues.md"

    @property
    def tags_index(self) -> str:
        """The page listing every tag."""
        return f"{self.root}/tags/index.md"

    @property
    def health(self) -> str:
        """The "KB health" page (internal builds only)."""
        return f"{self.root}/health.md"

    def area(self, area: str) -> str:
        """The page of one product area."""
        return f"{self.root}/areas/{slug(area)}/index.md"

    def tag(self, tag: str) -> str:
        """The page of one tag."""
        return f"{self.root}/tags/{slug(tag)}.md"

    def is_article(self, src_uri: str) -> bool:
        """True for Markdown files under the KB folder that are not index pages."""
        name = src_uri.rsplit("/", 1)[-1]
        return (
            src_uri.startswith(self.root + "/")
            and name.lower().endswith((".md", ".markdown"))
            and name not in ("index.md", "README.md")
        )
