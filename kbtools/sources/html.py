"""HTML bodies (Zendesk `html_body`, pasted mail) as Markdown-ish plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "table",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "hr",
        "section",
        "article",
        "header",
        "footer",
    }
)
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag == "code" and not self.pre:
            self.code += 1
            self.out.append("`")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag == "code" and self.code:
            self.code -= 1
            self.out.append("`")
        elif tag in _BLOCKS and tag not in ("br", "li"):
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n]+", " ", data)
        self.out.append(data)


def has_markup(text: str) -> bool:
    """True for text with any HTML block or inline markup (a Zendesk field written in HTML)."""
    return bool(
        re.search(r"</?(?:p|div|br|span|b|i|strong|em|ul|ol|li|pre|table)\b[^>]*>", text, re.I)
    )


def looks_like_html(text: str) -> bool:
    """True for a body written in HTML (`<html>`, or `<p>`/`<br>` markup throughout).

    Plain text with a stray `<div>` keeps its line breaks: the Markdown sanitizer drops
    such tags later.
    """
    if re.search(r"<(?:html|body)\b", text, re.I):
        return True
    tags = len(re.findall(r"</?(?:p|div|br|li|tr|td|pre)\b[^>]*>", text, re.I))
    return tags >= 3 and tags * 8 >= text.count("\n") + 1


def html_to_text(markup: str) -> str:
    """The text of an HTML body: paragraphs, line breaks, lists and `<pre>` as fences kept."""
    parser = _Text()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient
        return html.unescape(re.sub(r"<[^>]+>", "", markup))
    text = "".join(parser.out).replace("\xa0", " ")
    lines: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.strip() == "```":
            fenced = not fenced
            lines.append("```")
            continue
        lines.append(line.rstrip() if fenced else line.strip())
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
