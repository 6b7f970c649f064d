"""Make write-up Markdown safe to publish: raw HTML dropped, script links removed, outside code.

Raw HTML in a write-up is markup the writer's tool added (a Zendesk HTML body, a pasted
email), not content: tags go and their text stays; `<script>`, `<style>` and similar go
with their content. An angle-bracket placeholder that is no HTML tag (`<namespace>`) is
content: it becomes inline code, so the page shows it as written.
"""

from __future__ import annotations

import html
import re

_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_AUTOLINK_RE = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
_HTML_TAGS_WORDS = """
    a abbr address area article aside audio b base bdi bdo big blockquote body br button canvas
    caption center cite code col colgroup data dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe
    img input ins kbd label legend li link main map mark meta meter nav noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script section
    select small source span strike strong style sub summary sup svg table tbody td template
    textarea tfoot th thead time title tr track tt u ul var video wbr o:p
    """
HTML_TAGS = frozenset(_HTML_TAGS_WORDS.split())
"""Element names: a `<name ...>` with one of these is markup; any other `<word>` is text."""
_DROP_WITH_CONTENT_RE = re.compile(
    r"<(script|style|iframe|object|embed|noscript|template|svg|head|title|textarea|select)\b"
    r"[^>]*>.*?</\1\s*>|<!--.*?(?:-->|$)|<!\[CDATA\[.*?\]\]>|<\?[^>]*\?>|<!DOCTYPE[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_ANY_TAG_RE = re.compile(
    r"</?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>(?:\s+[^<>]*?)?)\s*/?>|<(?P<lone>[A-Za-z/!?])"
)
_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?((?:[^()\s<>\\]|\\.|\((?:[^()\\]|\\.)*\))*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_RE = re.compile(r"(?m)^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


def is_dangerous_url(url: str) -> bool:
    """True for javascript:, vbscript:, data: and file: URLs, however they are obfuscated."""
    decoded = html.unescape(url)
    squeezed = re.sub(r"[\x00-\x20\\]+", "", decoded).lower()
    return squeezed.startswith(_DANGEROUS_SCHEMES)


def sanitize_markdown(text: str) -> str:
    """Escape raw HTML and drop script links outside fenced code and code spans."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            out.append(line)
            if re.match(rf"^\s{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = None
            continue
        match = _FENCE_RE.match(line)
        if match:
            out.extend(_sanitize_prose("\n".join(prose)).split("\n") if prose else [])
            prose = []
            fence = match.group(1)
            out.append(line)
            continue
        prose.append(line)
    if prose:
        out.extend(_sanitize_prose("\n".join(prose)).split("\n"))
    if fence is not None:
        # An unclosed fence would swallow everything after it on the page; close it.
        out.append(fence)
    return "\n".join(out)


def _sanitize_prose(text: str) -> str:
    pieces: list[str] = []
    last = 0
    for match in _CODE_SPAN_RE.finditer(text):
        pieces.append(_sanitize_plain(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_sanitize_plain(text[last:]))
    return "".join(pieces)


def _sanitize_plain(text: str) -> str:
    def link(match: re.Match[str]) -> str:
        if is_dangerous_url(match.group(3).replace("\\", "")):
            return match.group(2)
        return match.group(0)

    text = _LINK_RE.sub(link, text)
    text = _REFERENCE_RE.sub(lambda m: "" if is_dangerous_url(m.group(1)) else m.group(0), text)
    return _without_html(text)


def _without_html(text: str) -> str:
    """Tags dropped (their text kept), dangerous elements dropped whole, `<word>` as code."""
    text = _DROP_WITH_CONTENT_RE.sub("", text)
    autolinks = [m.span() for m in _AUTOLINK_RE.finditer(text)]
    out: list[str] = []
    last = 0
    for match in _ANY_TAG_RE.finditer(text):
        if any(s <= match.start() < e for s, e in autolinks):
            continue
        out.append(text[last : match.start()])
        last = match.end()
        name = (match.group("name") or "").lower()
        if match.group("lone"):
            # A lone `<` that closes no tag ("x<y"): it cannot open one once tags are gone.
            out.append(match.group(0))
        elif name in HTML_TAGS:
            if name == "br":
                out.append("\n")
            elif name in _BLOCK_TAGS:
                out.append("\n\n")
        else:
            out.append(f"`{match.group(0)}`")
    out.append(text[last:])
    result = "".join(out)
    # Markup removal can leave runs of blank lines and trailing spaces.
    result = re.sub(r"[ \t]+\n", "\n", result)
    return re.sub(r"\n{3,}", "\n\n", result)
