"""Redactor: replace detections with typed placeholders that stay consistent across calls."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter

from kbtools.sensitive.detect import find
from kbtools.sensitive.links import URL_RE, is_internal_link
from kbtools.sensitive.model import KINDS, Detection, RedactionContext

INTERNAL_LINK = "internal-link"

_MD_LINK_RE = re.compile(
    r"\[(?P<text>[^\[\]\n]*)\]\([ \t]*<?(?P<url>[^()\s<>]+)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)"
)
_AUTOLINK_RE = re.compile(r"<(?P<url>(?:https?|ftp)://[^\s<>]+)>", re.IGNORECASE)


class Redactor:
    """Redacts the texts of one article: one value always gets the same placeholder.

    Secrets become `<redacted:KIND>`; personal data gets numbered placeholders per type
    (`<email-1>`, `<host-2>`, `<ip-1>`, `<person-1>`) and the customer becomes `<customer>`.
    Links to internal chat, ticket and document systems are dropped (a Markdown link keeps
    its text; a bare URL becomes `<internal-link>`).
    """

    def __init__(self, context: RedactionContext | None = None) -> None:
        self.context = context or RedactionContext()
        self._numbers: dict[tuple[str, str], int] = {}
        self._next: Counter[str] = Counter()
        self._counts: Counter[str] = Counter()

    @property
    def counts(self) -> dict[str, int]:
        """How many items of each kind were redacted so far (kind -> count, never values)."""
        return dict(sorted(self._counts.items()))

    def redact(self, text: str, *, in_code: bool = False) -> str:
        """`text` with every detection replaced by its placeholder.

        Placeholders are written as is (`<email-1>`): a caller that puts the result into
        Markdown prose escapes `<` like any other raw HTML. With `in_code=False` the text is
        Markdown, so an internal `[text](url)` link keeps its text and an autolink
        `<jane@acme.com>` becomes one placeholder; with `in_code=True` (code, logs) only
        bare URLs are links.
        """
        return self._redact(text, markdown=not in_code)

    def placeholder(self, detection: Detection) -> str:
        """The placeholder text (without escaping) for one detection."""
        info = KINDS[detection.kind]
        if info.category == "secret":
            return f"<redacted:{detection.kind}>"
        if not info.numbered:
            return f"<{info.placeholder}>"
        identity = (info.placeholder, _canonical(detection))
        number = self._numbers.get(identity)
        if number is None:
            self._next[info.placeholder] += 1
            number = self._numbers[identity] = self._next[info.placeholder]
        return f"<{info.placeholder}-{number}>"

    def _redact(self, text: str, *, markdown: bool) -> str:
        edits: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for regex in (_MD_LINK_RE, _AUTOLINK_RE, URL_RE) if markdown else (URL_RE,):
            for match in regex.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                url = match.group(0) if regex is URL_RE else match.group("url")
                if not is_internal_link(url, self.context):
                    continue
                self._counts[INTERNAL_LINK] += 1
                if (
                    regex is _MD_LINK_RE
                    and match.group("text").strip()
                    and not URL_RE.fullmatch(match.group("text").strip())
                ):
                    replacement = self._redact(match.group("text"), markdown=True)
                else:
                    replacement = f"<{INTERNAL_LINK}>"
                edits.append((match.start(), match.end(), replacement))
                taken.append(match.span())
        for detection in find(text, self.context):
            if any(s < detection.end and detection.start < e for s, e in taken):
                continue
            self._counts[detection.kind] += 1
            start, end = detection.start, detection.end
            if markdown and text[start - 1 : start] == "<" and text[end : end + 1] == ">":
                start, end = start - 1, end + 1  # an autolink `<jane@acme.com>` goes whole
            edits.append((start, end, self.placeholder(detection)))
        if not edits:
            return text
        out: list[str] = []
        last = 0
        for start, end, replacement in sorted(edits):
            out.append(text[last:start])
            out.append(replacement)
            last = end
        out.append(text[last:])
        return "".join(out)


def _canonical(detection: Detection) -> str:
    if detection.key:
        return detection.key
    value = detection.value
    if detection.kind in ("ipv4", "ipv6"):
        try:
            return str(ipaddress.ip_address(value.split("%", 1)[0]))
        except ValueError:
            return value
    if detection.kind == "phone":
        return re.sub(r"\D", "", value)
    return value.casefold()
