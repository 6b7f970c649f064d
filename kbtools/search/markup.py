"""Pagefind attributes for a page the engine has built (Material's HTML).

- `data-pagefind-body` on the page's `<article>`: only marked pages are indexed, and only
  their content (no nav, header or footer). A page left unmarked (404, the KB home listing,
  pages with `search: exclude`) is not in the index at all.
- `data-pagefind-weight` on the title and on each article's "Error messages" section, so a
  pasted error line ranks the article that lists it above pages that only share its words.
- `data-pagefind-ignore` on what Material's search skips too (`data-search-exclude`: the
  article box and the related list) and on heading permalinks.
- The `<script>` that answers Material's search box from Pagefind, after the page's own.
"""

from __future__ import annotations

import re

TITLE_WEIGHT = 3.0
"""The title's weight (Pagefind gives an `<h1>` 7 by default, which lets one word of a pasted
line that happens to be in a title outrank the article listing the whole line; tuned with
tests/site/test_search_browser.py)."""

ERROR_SECTION_WEIGHT = 4.0
"""The weight of an article's "Error messages" section (body text is 1)."""

ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset"')
H1_RE = re.compile(r"<h1(?=[\s>])")
ERROR_SECTION_RE = re.compile(
    r'(<h2 id="error-messages"[^>]*>.*?</h2>)(.*?)(?=<h2[\s>]|</article>)', re.DOTALL
)
EXCLUDED_RE = re.compile(r"(<[a-z0-9]+\b[^>]*\sdata-search-exclude\b)")
HEADERLINK_RE = re.compile(r'<a class="headerlink"')
BODY_END = "</body>"
WORKER_RE = re.compile(r'("search": ")[^"]*assets/javascripts/workers/search\.[^"]*\.js(")')
"""Material's search worker in the page's `__config`: the bridge answers every message
meant for it, so the page names a stub instead and the browser never fetches Lunr (40 KB)."""


def mark_page(html: str, *, index: bool, article: bool, script_src: str, worker_src: str) -> str:
    """The page with the bridge script and the stub worker, and (when `index`) with
    Pagefind attributes. `worker_src` is relative to the site root, as Material's is.
    A page marked before (a dirty rebuild keeps unchanged pages) is returned as it is."""
    if f'<script src="{script_src}"></script>' in html:
        return html
    if index and ARTICLE_RE.search(html):
        html = mark_content(html, article=article)
    html = WORKER_RE.sub(
        lambda m: m.group(1) + _worker_url(m.group(0), worker_src) + m.group(2), html, count=1
    )
    return add_script(html, script_src)


def _worker_url(found: str, worker_src: str) -> str:
    # Material writes the worker URL relative to the page ("../../assets/..."): keep the prefix.
    url = found.split('": "', 1)[1].rstrip('"')
    prefix = url[: url.index("assets/javascripts/workers/")]
    return prefix + worker_src


def mark_content(html: str, *, article: bool) -> str:
    """Pagefind's body marker, weights and ignores on a Material page."""
    html = ARTICLE_RE.sub(lambda m: m.group(0) + " data-pagefind-body", html, count=1)
    html = H1_RE.sub(f'<h1 data-pagefind-weight="{TITLE_WEIGHT:g}"', html, count=1)
    if article:
        html = ERROR_SECTION_RE.sub(
            lambda m: (
                f'{m.group(1)}<div data-pagefind-weight="{ERROR_SECTION_WEIGHT:g}">'
                f"{m.group(2)}</div>"
            ),
            html,
            count=1,
        )
    html = EXCLUDED_RE.sub(r'\1 data-pagefind-ignore="all"', html)
    return HEADERLINK_RE.sub('<a data-pagefind-ignore="all" class="headerlink"', html)


def add_script(html: str, script_src: str) -> str:
    """Load `script_src` after every other script of the page."""
    tag = f'<script src="{script_src}"></script>'
    at = html.rfind(BODY_END)
    return html + tag if at < 0 else html[:at] + tag + html[at:]
