"""Size figures of a built site: what `kb build` prints and the benchmark records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SiteStats:
    """Pages, bytes and the search index of a built site directory."""

    pages: int
    page_bytes: int
    total_bytes: int
    search_index_bytes: int

    @property
    def average_page_bytes(self) -> float:
        """Mean size of an HTML page (0 for an empty site)."""
        return self.page_bytes / self.pages if self.pages else 0.0


def measure(site_dir: Path) -> SiteStats:
    """Walk a built site: HTML pages (404 page excluded), total size and search index size."""
    pages = page_bytes = total = 0
    for path in site_dir.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html" and path.relative_to(site_dir).as_posix() != "404.html":
            pages += 1
            page_bytes += size
    # Material's (MkDocs, ProperDocs) and Zensical's search index.
    index = sum(
        p.stat().st_size
        for p in (site_dir / "search" / "search_index.json", site_dir / "search.json")
        if p.is_file()
    )
    # Pagefind's chunked index (site.search: pagefind), its script and WebAssembly.
    index += sum(p.stat().st_size for p in (site_dir / "pagefind").rglob("*") if p.is_file())
    return SiteStats(pages, page_bytes, total, index)


def human(size: float) -> str:
    """A byte count as `512 B`, `3.4 KB`, `12.0 MB`."""
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"
