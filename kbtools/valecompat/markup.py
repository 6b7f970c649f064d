"""Markdown as Vale sees it: pre-processing, HTML rendering and the HTML token stream (SPEC §7)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MARKDOWN_EXTS = (".md", ".mdown", ".markdown", ".markdn")
_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)\n(.+?)\n(?:---|\+\+\+)", re.DOTALL)
_INFO_STRING = re.compile(r"`{3,}.+")
# Go's regexp: `\d` is ASCII, `^` matches at line starts in (?m) mode.
_LIST_NUMBER = re.compile(r"^[0-9]+\.", re.MULTILINE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<]*[^\s<?!.,:*_~'\")\]]")
_RAW_TEXT = ("iframe", "noscript", "textarea", "title", "xmp", "noembed", "noframes")


def sanitize(text: str) -> str:
    """Vale's Sanitize: `&rsquo;` to `'` and every line ending to LF."""
    return text.replace("&rsquo;", "'").replace("\r\n", "\n").replace("\r", "\n")


def mask_context(content: str) -> str:
    """The copy of the source alerts are located in (Vale's prepMarkdown).

    Fence info strings and ordered-list numbers at the start of a line become `*`, so a
    match is never located inside them: `1.` of a list item is not text, and leaving it
    would let a heading starting with `1.` be placed on the list item's line.
    """

    def info(match: re.Match[str]) -> str:
        parts = match.group(0).split("`")
        return "`" * (len(parts) - 1) + "*" * len(parts[-1])

    masked = _INFO_STRING.sub(info, content)
    return _LIST_NUMBER.sub(lambda m: "*" * len(m.group(0)), masked)


def _go_template(template: str) -> str:
    return template.replace("$1", "\\g<1>")


def prepare(
    content: str,
    block_ignores: list[str],
    token_ignores: list[str],
    delimiters: list[str],
) -> str:
    """The Markdown actually parsed: front matter, TokenIgnores and BlockIgnores applied."""
    from kbtools.valecompat.regex import RegexError, compile_vale

    text = _FRONT_MATTER.sub(lambda m: "\n```\n" + m.group(1) + "\n```\n", content, count=1)
    if len(delimiters) == 2:
        text = text.replace(delimiters[0], "<!--").replace(delimiters[1], "-->")
    for pattern in token_ignores:
        try:
            regex = compile_vale(pattern)
            text = regex.sub(lambda m: "`" + (m.group(1) if m.re.groups else "") + "`", text)
        except (RegexError, re.error, IndexError):
            continue
    for pattern in block_ignores:
        try:
            regex = compile_vale(pattern)
            text = regex.sub(
                lambda m: "\n```\n" + (m.group(1) if m.re.groups else "") + "\n```\n", text
            )
        except (RegexError, re.error, IndexError):
            continue
    return text


def _linkify(state: StateCore) -> None:
    """GFM's extended autolinks (bare http(s):// and www. URLs) as link tokens."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        depth = 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if (
                token.type != "text"
                or depth > 0
                or ("http" not in token.content and "www." not in token.content)
            ):
                children.append(token)
                continue
            text = token.content
            last = 0
            for match in _URL.finditer(text):
                start = match.start()
                if start > 0 and not (text[start - 1].isspace() or text[start - 1] in "*_~("):
                    continue
                url = match.group(0)
                while url.endswith(")") and url.count(")") > url.count("("):
                    url = url[:-1]
                if start > last:
                    children.append(_text_token(text[last:start]))
                href = url if not url.startswith("www.") else "http://" + url
                link = Token("link_open", "a", 1)
                link.attrs = {"href": href}
                children.extend((link, _text_token(url), Token("link_close", "a", -1)))
                last = start + len(url)
            if last < len(text):
                children.append(_text_token(text[last:]))
        block.children = children


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    try:
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.tasklists import tasklists_plugin

        md.use(footnote_plugin).use(tasklists_plugin)
    except ImportError:  # pragma: no cover - plugins ship with mkdocs-material's deps
        pass
    md.core.ruler.push("kb_linkify", _linkify)
    # goldmark writes strikethrough as <del> (an inline tag for Vale); markdown-it uses <s>.
    md.add_render_rule("s_open", lambda *args: "<del>")
    md.add_render_rule("s_close", lambda *args: "</del>")
    return md


def render_html(markdown: str) -> str:
    """CommonMark + GFM tables, strikethrough, autolinks, task lists and footnotes as HTML."""
    return str(_renderer().render(markdown))


@dataclass
class HtmlToken:
    """One token of the HTML stream: start, end, self (self-closing), text or comment."""

    kind: str
    data: str
    attrs: list[tuple[str, str]] = field(default_factory=list)

    def attr(self, key: str) -> str:
        """The attribute value, or "" (Vale's getAttribute)."""
        for name, value in self.attrs:
            if name == key:
                return value
        return ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[HtmlToken] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(HtmlToken("start", tag, [(k, v or "") for k, v in attrs]))
        if tag in _RAW_TEXT:
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(HtmlToken("self", tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(HtmlToken("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1].kind == "text":
            self.tokens[-1].data += data
        else:
            self.tokens.append(HtmlToken("text", data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(HtmlToken("comment", data))


def html_tokens(html: str) -> list[HtmlToken]:
    """The token stream Go's html.Tokenizer would produce (text unescaped)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tokens


_PY_COMMENT = re.compile(r"#[^\n]*")


@dataclass(frozen=True)
class Comment:
    """A comment in a code file: its text and where that text starts (0-based line, column)."""

    text: str
    line: int
    column: int


def python_comments(content: str) -> list[Comment]:
    """`#` comments of a Python file (strings are skipped), text after `#` and spaces."""
    comments: list[Comment] = []
    for number, line in enumerate(content.split("\n")):
        in_string = ""
        for index, ch in enumerate(line):
            if in_string:
                if ch == in_string and line[index - 1] != "\\":
                    in_string = ""
            elif ch in "\"'":
                in_string = ch
            elif ch == "#":
                body = line[index + 1 :]
                stripped = body.lstrip()
                column = index + 1 + (len(body) - len(stripped))
                if stripped.strip():
                    comments.append(Comment(stripped.rstrip(), number, column))
                break
    return comments


CODE_COMMENTS = {".py": python_comments}
