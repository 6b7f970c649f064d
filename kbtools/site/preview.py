"""Where `kb serve` shows a page: the URL a writer opens to look at a new article."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from kbtools.config import SiteConfigFile
from kbtools.site.address import DEFAULT


def page_path(docs_rel: str, *, use_directory_urls: bool = True) -> str:
    """The URL path MkDocs gives the page at `docs_rel` (`kb/a/b.md` -> `kb/a/b/`)."""
    path = PurePosixPath(docs_rel)
    stem = path.with_suffix("").as_posix()
    if path.stem in ("index", "README"):
        parent = path.parent.as_posix()
        return "" if parent == "." else parent + "/"
    return stem + "/" if use_directory_urls else stem + ".html"


def preview_url(site: SiteConfigFile, docs_rel: str) -> str:
    """`http://127.0.0.1:8000/kb/a/b/`: the page in `kb serve`, as MkDocs mounts the site."""
    address = str(site.raw.get("dev_addr") or DEFAULT)
    mount = urlsplit(str(site.raw.get("site_url") or "/")).path or "/"
    if not mount.endswith("/"):
        mount += "/"
    use_directory_urls = site.raw.get("use_directory_urls", True) is not False
    return f"http://{address}{mount}{page_path(docs_rel, use_directory_urls=use_directory_urls)}"
