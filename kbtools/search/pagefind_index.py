"""The Pagefind step after the engine: mark up, index and wire a built site.

The built site holds only the audience's pages, so its index does too: an internal build's
index is written into the internal site, a public build's into the public one. Steps:

1. Each HTML page gets Pagefind's attributes (`markup.py`) and the bridge script
   (`assets/kb-pagefind.js`) that answers Material's search box from Pagefind.
2. The bundled Pagefind binary (`pagefind[extended]`, no network) indexes the site into
   `pagefind/`: a chunked index, so a search downloads only the chunks of its words and the
   fragments of the results it shows.
3. Material's `search/search_index.json`, which its bundle downloads on every page load, is
   replaced by an empty index of a few bytes: its search worker is not used.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kbtools.atomic import write_text_atomic
from kbtools.errors import ConfigError, ExitCode, KbError
from kbtools.search import markup

OUTPUT_SUBDIR = "pagefind"
SCRIPT = "assets/javascripts/kb-pagefind.js"
STUB_WORKER = "assets/javascripts/workers/kb-pagefind-stub.js"
STUB_WORKER_TEXT = (
    "// kbtools: site.search is pagefind; kb-pagefind.js answers this worker's messages.\n"
)
MATERIAL_INDEX = "search/search_index.json"
EMPTY_MATERIAL_INDEX = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": []}}
INSTALL_HINT = "pip install 'kbtools[pagefind]'"
BINARY_MODULES = ("pagefind_bin_extended", "pagefind_bin")
"""The wheels that ship the Pagefind binary (`pagefind[extended]` installs the first)."""


class PagefindFailed(KbError):
    """The Pagefind binary ran and failed."""

    exit_code = ExitCode.FINDINGS


@dataclass(frozen=True)
class PagefindResult:
    """What indexing a built site produced."""

    pages: int
    """Pages in the index."""
    index_bytes: int
    """Size of the `pagefind/` folder (index chunks, fragments, script, WebAssembly)."""
    seconds: float


def executable() -> Path:
    """The Pagefind binary of the installed wheel, or ConfigError naming the extra."""
    for module_name in BINARY_MODULES:
        try:
            module = importlib.import_module(module_name)
            path = Path(module.get_executable())
        except (ImportError, FileNotFoundError, AttributeError):
            continue
        if path.is_file():
            return path
    raise ConfigError(
        f"site.search is pagefind but Pagefind is not installed (install it with: {INSTALL_HINT})"
    )


def page_url(relative: str) -> str:
    """The URL (relative to the site root) of a built HTML file, as MkDocs writes page URLs."""
    if relative == "index.html":
        return ""
    if relative.endswith("/index.html"):
        return relative[: -len("index.html")]
    return relative


def index_site(
    site_dir: Path,
    *,
    article_urls: Collection[str],
    skip_urls: Collection[str] = (),
) -> PagefindResult:
    """Index the built site in `site_dir` with Pagefind and wire it into the search box.

    `article_urls` are the KB articles (their "Error messages" sections are weighted);
    pages in `skip_urls` and the 404 page get the search box but are not indexed.
    """
    binary = executable()
    start = time.monotonic()
    articles = set(article_urls)
    skipped = {*skip_urls, "404.html"}
    script = site_dir / SCRIPT
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative.startswith(OUTPUT_SUBDIR + "/"):
            continue
        url = page_url(relative)
        text = path.read_text(encoding="utf-8")
        src = Path(os.path.relpath(script, path.parent)).as_posix()
        marked = markup.mark_page(
            text,
            index=url not in skipped,
            article=url in articles,
            script_src=src,
            worker_src=STUB_WORKER,
        )
        if marked != text:
            write_text_atomic(path, marked)
    script.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(script, bridge_script())
    (site_dir / STUB_WORKER).parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(site_dir / STUB_WORKER, STUB_WORKER_TEXT)
    _run(binary, site_dir)
    material_index = site_dir / MATERIAL_INDEX
    if material_index.is_file():
        write_text_atomic(material_index, json.dumps({**EMPTY_MATERIAL_INDEX, "docs": []}))
    output = site_dir / OUTPUT_SUBDIR
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    return PagefindResult(_page_count(output), size, time.monotonic() - start)


def bridge_script() -> str:
    """The text of the script that answers Material's search box from Pagefind."""
    return (Path(__file__).parent / "assets" / "kb-pagefind.js").read_text(encoding="utf-8")


def _run(binary: Path, site_dir: Path) -> None:
    command = [str(binary), "--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR]
    command += ["--force-language", "en", "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PagefindFailed(f"cannot run Pagefind ({binary}): {exc}") from None
    if result.returncode:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit status {result.returncode}"
        raise PagefindFailed(f"Pagefind failed: {' '.join(last.split())}")


def _page_count(output: Path) -> int:
    entry = output / "pagefind-entry.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(int(lang.get("page_count", 0)) for lang in data.get("languages", {}).values())
