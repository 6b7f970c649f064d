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


def placeholder_text(stem: str) -> str:
    """The written form of a placeholder: `[email-1]`, `[redacted:github-token]`, `[customer]`.

    Square brackets read the same in the Markdown source, in a diff and on the site (no
    HTML escape is needed, and without a link definition `[x]` is plain text).
    """
    return f"[{stem}]"


PLACEHOLDER_RE = re.compile(r"\[(?:redacted:[a-z0-9-]+|[a-z]+(?:-[a-z]+)*(?:-\d+)?)\]")
"""Matches a placeholder the Redactor writes (`[email-1]`, `[customer]`, `[redacted:jwt]`)."""

_LINK_LINE_REST_RE = re.compile(r"[\s>*_+\-–—:;,.()\[\]|]*")


def _only_points_to_link(rest: str) -> bool:
    """True for what is left of a line once its internal link is gone, when that is a label.

    "Internal chat thread: ", "- Slack: ", "see " or nothing: the line existed to carry the
    link. A sentence around the link ("we restarted it as agreed in ...") stays.
    """
    rest = re.sub(r"<[^<>]*>", " ", rest)  # `<details><summary>` markup says nothing
    words = re.findall(r"[^\W\d_][\w'’-]*", rest)
    if not words:
        return True
    label = rest.strip().rstrip("*_ ")
    pointer = words[-1].lower() in _POINTER_WORDS
    return len(words) <= 6 and (label.endswith((":", "-", "–", "—")) or len(words) <= 2 or pointer)


_POINTER_WORDS = frozenset(
    {"see", "at", "here", "in", "thread", "ticket", "link", "chat", "channel", "notes", "details"}
)


class Redactor:
    """Redacts the texts of one article: one value always gets the same placeholder.

    Secrets become `[redacted:KIND]`; personal data gets numbered placeholders per type
    (`[email-1]`, `[host-2]`, `[ip-1]`, `[person-1]`) and the customer becomes `[customer]`.
    Links to internal chat, ticket and document systems are dropped (a Markdown link keeps
    its text; a bare URL becomes `[internal-link]`).

    `recall=True` (what `kb new` uses) redacts everything secret-shaped, documentation
    examples included, and drops whole lines that only point to an internal link
    ("Slack thread: https://acme.slack.com/..."): in a customer's write-up a miss costs more
    than a needless placeholder. `kb lint` calls `find()` without it, where examples in
    published docs must stay.
    """

    def __init__(self, context: RedactionContext | None = None, *, recall: bool = False) -> None:
        self.context = context or RedactionContext()
        self.recall = recall
        self._numbers: dict[tuple[str, str], int] = {}
        self._next: Counter[str] = Counter()
        self._counts: Counter[str] = Counter()

    @property
    def counts(self) -> dict[str, int]:
        """How many items of each kind were redacted so far (kind -> count, never values)."""
        return dict(sorted(self._counts.items()))

    def redact(self, text: str, *, in_code: bool = False) -> str:
        """`text` with every detection replaced by its placeholder.

        Placeholders (`[email-1]`) are plain text in Markdown and in code alike. With
        `in_code=False` the text is Markdown, so an internal `[text](url)` link keeps its text
        and an autolink `<jane@acme.com>` becomes one placeholder; with `in_code=True` (code,
        logs) only bare URLs are links.
        """
        if self.recall and not in_code:
            text = self._without_link_lines(text)
        return self._redact(text, markdown=not in_code)

    def _without_link_lines(self, text: str) -> str:
        """The text without the lines that only point to an internal link (each counted)."""
        out: list[str] = []
        for line in text.split("\n"):
            spans = [
                match.span()
                for regex in (_MD_LINK_RE, _AUTOLINK_RE, URL_RE)
                for match in regex.finditer(line)
                if is_internal_link(
                    match.group(0) if regex is URL_RE else match.group("url"), self.context
                )
            ]
            if spans:
                rest = "".join(
                    " " if any(s <= i < e for s, e in spans) else c for i, c in enumerate(line)
                )
                if _only_points_to_link(rest):
                    self._counts[INTERNAL_LINK] += 1
                    continue
            out.append(line)
        return "\n".join(out)

    def placeholder(self, detection: Detection) -> str:
        """The placeholder text (without escaping) for one detection."""
        info = KINDS[detection.kind]
        if info.category == "secret":
            return placeholder_text(f"redacted:{detection.kind}")
        if not info.numbered:
            return placeholder_text(info.placeholder)
        identity = (info.placeholder, _canonical(detection))
        number = self._numbers.get(identity)
        if number is None:
            self._next[info.placeholder] += 1
            number = self._numbers[identity] = self._next[info.placeholder]
        return placeholder_text(f"{info.placeholder}-{number}")

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
                    replacement = placeholder_text(INTERNAL_LINK)
                edits.append((match.start(), match.end(), replacement))
                taken.append(match.span())
        for detection in find(text, self.context, recall=self.recall):
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
