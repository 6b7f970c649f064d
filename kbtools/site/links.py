"""Turn links to pages left out of the build into plain text, so no URL of theirs survives."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote, urljoin, urlsplit

_ANCHOR_RE = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BASE = "http://site.invalid/"


class ExcludedTargets:
    """The URLs and source paths of every page left out of the build."""

    def __init__(self, urls: Iterable[str] = (), src_uris: Iterable[str] = ()) -> None:
        self.urls = {_normal(u) for u in urls}
        self.src_uris = {_normal(u) for u in src_uris}

    def __bool__(self) -> bool:
        return bool(self.urls or self.src_uris)

    def matches(self, href: str, page_url: str, page_src_uri: str) -> bool:
        """True when `href`, written on the page at `page_url`, points to an excluded page."""
        parts = urlsplit(html.unescape(href))
        if parts.scheme or parts.netloc or not parts.path:
            return False
        by_url = _resolve(parts.path, page_url)
        by_src = _resolve(parts.path, page_src_uri)
        return by_url in self.urls or by_src in self.src_uris or by_src in self.urls


def unlink(content: str, targets: ExcludedTargets, page_url: str, page_src_uri: str) -> str:
    """`content` with every `<a>` to an excluded page replaced by its inner text."""
    if not targets:
        return content

    def replace(match: re.Match[str]) -> str:
        href = _HREF_RE.search(match.group(1))
        if href is None:
            return match.group(0)
        value = next(g for g in href.groups() if g is not None)
        if targets.matches(value, page_url, page_src_uri):
            return match.group(2)
        return match.group(0)

    return _ANCHOR_RE.sub(replace, content)


def _resolve(path: str, base: str) -> str:
    return _normal(urlsplit(urljoin(_BASE + base, path)).path)


def _normal(path: str) -> str:
    path = unquote(path).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    path = posixpath.normpath(path) if path else ""
    return "" if path == "." else path.rstrip("/")
