"""Make write-up Markdown safe to publish: raw HTML escaped, script links removed, outside code."""

from __future__ import annotations

import html
import re

_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK_RE = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
_SAFE_TAGS_RE = re.compile(r"</?(?:br|kbd|sup|sub|b|i|em|strong|code|details|summary)\s*/?>", re.I)
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
    keep: list[tuple[int, int]] = [
        (m.start(), m.end())
        for pattern in (_AUTOLINK_RE, _SAFE_TAGS_RE)
        for m in pattern.finditer(text)
    ]
    result: list[str] = []
    for index, char in enumerate(text):
        if char == "<" and _TAG_RE.match(text, index) and not any(s == index for s, _ in keep):
            result.append("&lt;")
        else:
            result.append(char)
    return "".join(result)
