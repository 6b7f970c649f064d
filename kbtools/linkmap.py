"""Where an internal link goes on the built site: the file inventory of docs_dir and resolution.

Resolution follows MkDocs 1.6 (`mkdocs/structure/pages.py`, `_RelativePathTreeprocessor`):
a relative link is first looked up as a source file next to the page (`other.md`, `img.png`);
when that fails and the path has no file extension, MkDocs leaves the link as written, so
the browser resolves it against the page's URL (`use_directory_urls` decides that URL).
Absolute links (`/kb/x/`) are site URLs unless `validation.links.absolute_links` is
`relative_to_docs`.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from kbtools.document import Link
    from kbtools.project import Project

_DEFAULT_EXCLUDE = (".*", "/templates/")
_TEXT_FRAGMENT = ":~:"
_LINE_ANCHOR_RE = re.compile(r"^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$")
_MARKDOWN_INCLUDE_RE = re.compile(r"\{!\s*([^!{}\n]+?)\s*!\}")
_SNIPPET_RE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["']?([^"'\n]+?)["']?[ \t]*$""", re.MULTILINE)
_ATTR_ID_RE = re.compile(r"\{:?[^{}\n]*?#([^\s{}#.]+)[^{}\n]*\}")
_FOOTNOTE_RE = re.compile(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)


class Status(Enum):
    """How a link resolved."""

    SKIP = "skip"  # external, other scheme, empty, or something no site check applies to
    OK = "ok"
    MISSING = "missing"
    CASE = "case"  # exists only with other letter case
    OUTSIDE = "outside"  # leaves docs_dir
    NOT_SERVED = "not-served"  # absolute link to a file the site does not serve at that URL


@dataclass(frozen=True)
class Target:
    """The result of resolving one link from one page."""

    status: Status
    path: str = ""
    """docs_dir-relative file the link reaches (or the nearest meaning of it when missing)."""
    fragment: str = ""
    url: str = ""
    """Site URL the browser ends up at, when the link was resolved as a URL."""
    actual: str = ""
    """For CASE: the file as it exists on disk. For NOT_SERVED: the source file named."""

    @property
    def page(self) -> str | None:
        """The Markdown page reached, if the target is one."""
        if self.status is Status.OK and self.path.lower().endswith((".md", ".markdown")):
            return self.path
        return None


def is_markdown(path: str) -> bool:
    """True for the Markdown suffixes MkDocs renders as pages."""
    return path.lower().endswith((".md", ".markdown"))


def checkable_fragment(fragment: str) -> str:
    """The part of a fragment that must name an element id ("" when none must).

    Browser text fragments (`#:~:text=...`) and code-host line anchors (`#L10-L20`) are
    not element ids.
    """
    if _TEXT_FRAGMENT in fragment:
        fragment = fragment.split(_TEXT_FRAGMENT, 1)[0]
    if _LINE_ANCHOR_RE.match(fragment):
        return ""
    return fragment


@dataclass
class SiteMap:
    """Every file MkDocs would put on the site, with the URL of each page."""

    files: set[str]
    use_directory_urls: bool = True
    absolute_relative_to_docs: bool = False
    site_prefix: str = "/"
    excluded: set[str] = field(default_factory=set)
    _lower: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _urls: dict[str, str] = field(default_factory=dict, repr=False)
    _url_lower: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _resolved: dict[tuple[str, str, bool], Target] = field(default_factory=dict, repr=False)
    _sorted: dict[bool, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_dir: dict[str, set[str]] = {}
        for path in self.files:
            by_dir.setdefault(posixpath.dirname(path), set()).add(posixpath.basename(path))
        for path in sorted(self.files):
            base = posixpath.basename(path)
            # MkDocs drops README.md when the folder also has an index.md.
            if base == "README.md" and "index.md" in by_dir.get(posixpath.dirname(path), set()):
                self.excluded.add(path)
            self._lower.setdefault(path.lower(), []).append(path)
        for path in sorted(self.files - self.excluded):
            url = self.url_of(path)
            self._urls.setdefault(url, path)
            self._url_lower.setdefault(url.lower(), []).append(path)

    @classmethod
    def build(cls, project: Project) -> SiteMap:
        """Walk docs_dir once (MkDocs' default excludes and `exclude_docs` applied)."""
        raw = project.config.raw
        files = set(walk_docs(str(project.docs_dir)))
        excluded = _matching(files, raw.get("exclude_docs")) | _matching(
            files, raw.get("draft_docs")
        )
        validation = raw.get("validation") or {}
        links_validation = validation.get("links") if isinstance(validation, Mapping) else None
        absolute = ""
        if isinstance(links_validation, Mapping):
            absolute = str(links_validation.get("absolute_links", ""))
        site_url = raw.get("site_url")
        prefix = urlsplit(str(site_url)).path if isinstance(site_url, str) else "/"
        return cls(
            files=files,
            use_directory_urls=bool(raw.get("use_directory_urls", True)),
            absolute_relative_to_docs=absolute == "relative_to_docs",
            site_prefix="/" + prefix.strip("/") + "/" if prefix.strip("/") else "/",
            excluded=excluded,
        )

    def url_of(self, path: str) -> str:
        """Site URL of a file, relative to the site root (`a/b/` for `a/b.md`, "" for home)."""
        if not is_markdown(path):
            return path
        parent, name = posixpath.split(path)
        stem = posixpath.splitext(name)[0]
        stem = "index" if stem == "README" else stem
        if stem == "index":
            dest = posixpath.join(parent, "index.html")
        elif self.use_directory_urls:
            dest = posixpath.join(parent, stem, "index.html")
        else:
            dest = posixpath.join(parent, stem + ".html")
        if self.use_directory_urls and dest.endswith("index.html"):
            return dest[: -len("index.html")]
        return dest

    def served(self, url: str) -> str | None:
        """The file the site serves at a root-relative URL (servers add the trailing slash)."""
        url = url.lstrip("/")
        for candidate in (url, url.rstrip("/") + "/", posixpath.join(url, "index.html")):
            if candidate in ("/", "./"):
                candidate = ""
            found = self._urls.get(candidate)
            if found is not None:
                return found
        if url.endswith("/index.html"):
            return self._urls.get(url[: -len("index.html")])
        if url == "index.html":
            return self._urls.get("")
        return None

    def served_other_case(self, url: str) -> str | None:
        """A file served at this URL in other letter case, if exactly one is."""
        url = url.lstrip("/").lower()
        for candidate in (url, url.rstrip("/") + "/"):
            found = self._url_lower.get(candidate)
            if found and len(found) == 1:
                return found[0]
        return None

    def other_case(self, path: str) -> str | None:
        """The file that exists with other letter case, if there is exactly one."""
        found = self._lower.get(path.lower())
        return found[0] if found and len(found) == 1 and found[0] != path else None

    def page_url_dir(self, page: str) -> str:
        """The folder URL a browser resolves a page's relative links against."""
        url = self.url_of(page)
        return url if url.endswith("/") or not url else posixpath.dirname(url) + "/"

    def resolve(self, page: str, link: Link) -> Target:
        """Where `link`, written in the page at docs path `page`, goes on the built site.

        MkDocs rewrites only Markdown links and images; `href`/`src` in raw HTML reach the
        browser as written, so they resolve against the page's URL.
        """
        return self.resolve_target(page, link.target, as_url=link.kind == "html")

    def resolve_target(self, page: str, target: str, *, as_url: bool = False) -> Target:
        """Resolve a raw link target written in `page` (`as_url`: skip the source lookup)."""
        key = (page, target, as_url)
        found = self._resolved.get(key)
        if found is None:
            # The map does not change during a run, and a run resolves most links twice
            # (the check, then the orphan graph).
            found = self._resolved[key] = self._resolve_target(page, target, as_url=as_url)
        return found

    def sorted_files(self, *, markdown: bool) -> list[str]:
        """The site's Markdown files (or its other files), sorted; computed once."""
        found = self._sorted.get(markdown)
        if found is None:
            found = self._sorted[markdown] = sorted(
                p for p in self.files if is_markdown(p) == markdown
            )
        return found

    def _resolve_target(self, page: str, target: str, *, as_url: bool) -> Target:
        target = target.strip()
        if not target or target.startswith("\\") or "{{" in target or "{%" in target:
            return Target(Status.SKIP)  # empty, Windows-style, or filled in by a template
        try:
            parts = urlsplit(target)
        except ValueError:
            return Target(Status.SKIP)
        if parts.scheme or parts.netloc or target.startswith("//"):
            return Target(Status.SKIP)
        from urllib.parse import unquote

        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not path:
            return Target(Status.OK, page, fragment) if fragment else Target(Status.SKIP)
        if path.startswith("/"):
            return self._resolve_absolute(path, fragment)
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        has_extension = bool(posixpath.splitext(posixpath.basename(path.rstrip("/")))[1])
        outside = target_uri == ".." or target_uri.startswith("../")
        if not as_url and outside and has_extension:
            return Target(Status.OUTSIDE, target_uri, fragment)
        if not as_url and target_uri in self.files:
            return Target(Status.OK, target_uri, fragment)
        if not as_url and has_extension and not path.endswith("/"):
            other = self.other_case(target_uri)
            if other is not None:
                return Target(Status.CASE, target_uri, fragment, actual=other)
        # Left as written by MkDocs: the browser resolves it against the page's URL.
        base = self.page_url_dir(page)
        url = posixpath.normpath(posixpath.join(base, path)) if (base or path) else ""
        if url == ".":
            url = ""
        if url == ".." or url.startswith("../"):
            return Target(Status.OUTSIDE, url, fragment, url=url)
        if path.endswith("/") and url:
            url += "/"
        served = self.served(url)
        if served is not None:
            return Target(Status.OK, served, fragment, url=url)
        other = self.served_other_case(url)
        if other is not None:
            return Target(Status.CASE, target_uri, fragment, url=url, actual=other)
        return Target(Status.MISSING, url if as_url else target_uri, fragment, url=url)

    def _resolve_absolute(self, path: str, fragment: str) -> Target:
        if self.absolute_relative_to_docs:
            return self.resolve_target(
                "index.md", path.lstrip("/") + ("#" + fragment if fragment else "")
            )
        if not path.startswith(self.site_prefix) and path.rstrip("/") + "/" != self.site_prefix:
            return Target(Status.SKIP)  # elsewhere on the host, not this site
        url = path[len(self.site_prefix) :] if path.startswith(self.site_prefix) else ""
        served = self.served(url)
        if served is not None:
            return Target(Status.OK, served, fragment, url=path)
        source = posixpath.normpath(url) if url else ""
        if source in self.files:
            # `/kb/x.md` names a source file, but MkDocs leaves absolute links as written.
            return Target(Status.NOT_SERVED, source, fragment, url=path, actual=source)
        other = self.served_other_case(url) or self.other_case(source)
        if other is not None:
            return Target(Status.CASE, source, fragment, url=path, actual=other)
        return Target(Status.MISSING, source, fragment, url=path)

    def relative_link(self, page: str, path: str) -> str:
        """How `page` should link to the docs file `path` (relative, as MkDocs wants)."""
        return posixpath.relpath(path, posixpath.dirname(page) or ".")


def walk_docs(docs_dir: str) -> Iterable[str]:
    """docs_dir-relative POSIX paths of every file, skipping what MkDocs skips by default."""
    for dirpath, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        rel_dir = os.path.relpath(dirpath, docs_dir).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = [
            d for d in dirnames if not d.startswith(".") and not (not rel_dir and d == "templates")
        ]
        for name in filenames:
            if not name.startswith("."):
                yield f"{rel_dir}/{name}" if rel_dir else name


def _matching(files: set[str], spec: Any) -> set[str]:
    if not spec:
        return set()
    import pathspec

    lines = spec.splitlines() if isinstance(spec, str) else [str(x) for x in spec]
    matcher = pathspec.GitIgnoreSpec.from_lines(lines)
    return {path for path in files if matcher.match_file(path)}


def included_paths(text: str, project: Project) -> list[str]:
    """docs paths of files a page pulls in with markdown_include `{!...!}` or snippets `--8<--`."""
    extensions = project.config.markdown_extensions
    found: list[str] = []
    if "markdown_include.include" in extensions and "{!" in text:
        base = str(extensions["markdown_include.include"].get("base_path", "."))
        for match in _MARKDOWN_INCLUDE_RE.finditer(text):
            found.extend(_docs_path(project, base, match.group(1)))
    if "pymdownx.snippets" in extensions and "8<" in text:
        bases = extensions["pymdownx.snippets"].get("base_path", ["."])
        for match in _SNIPPET_RE.finditer(text):
            for base in [bases] if isinstance(bases, str) else list(bases):
                found.extend(_docs_path(project, str(base), match.group(1)))
    return found


def _docs_path(project: Project, base: str, name: str) -> list[str]:
    full = os.path.normpath(str(project.root / base / name))
    docs_rel = os.path.relpath(full, str(project.docs_dir)).replace(os.sep, "/")
    return [] if docs_rel.startswith("../") else [docs_rel]


def extra_anchors(text: str, project: Project) -> set[str]:
    """Ids the page gets beyond headings: attr_list `{#id}` anywhere, footnotes."""
    extensions = project.config.markdown_extensions
    ids: set[str] = set()
    if project.config.toc.attr_list and "#" in text:
        ids.update(_ATTR_ID_RE.findall(text))
    if (
        "footnotes" in extensions or "markdown.extensions.footnotes" in extensions
    ) and "[^" in text:
        for label in _FOOTNOTE_RE.findall(text):
            ids.update((f"fn:{label}", f"fnref:{label}"))
    return ids


def may_link_to(site: SiteMap, source: str, text: str, target: str) -> bool:
    """Cheap prefilter: False only when the page `source` (with `text`) cannot link to `target`.

    A link names the target's file name (pages: also without `.md`, or their folder for
    index pages), unless it climbs (`../`) from inside the folder the target's URL is, so
    pages there are always candidates.
    """
    parent, name = posixpath.split(target)
    stem = posixpath.splitext(name)[0]
    if stem in ("index", "README"):
        stem = posixpath.basename(parent)
    if not stem:
        return True
    if names_in_link(text, stem if is_markdown(target) else name):
        return True
    url_dir = site.url_of(target) if is_markdown(target) else parent + "/"
    url_dir = url_dir if url_dir.endswith("/") else posixpath.dirname(url_dir) + "/"
    return source.startswith(url_dir.lstrip("/")) or url_dir in ("", "/")


def names_in_link(text: str, name: str) -> bool:
    """True when `name` occurs in `text` as a whole path segment a link could be using."""
    for candidate in {name, quote(name)}:
        start = text.find(candidate)
        while start >= 0:
            end = start + len(candidate)
            if _link_context(text, start, end):
                return True
            start = text.find(candidate, end)
    return False


def _link_context(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    if before.isalnum() or before in "_.-" or after.isalnum() or after in "_-":
        return False
    if before in "/(\"'<=:":  # (x.md) (../x/) href="x" [a]:x
        return True
    if text.startswith((".md", ".markdown", "/", "#"), end):  # ( x.md ) and x.md in prose
        return True
    # [label]: x  (a reference definition with the bare name)
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_DEFINITION_RE.match(text, line_start, start))


_DEFINITION_RE = re.compile(r"[ ]{0,3}\[[^\]]+\]:\s*<?$")
