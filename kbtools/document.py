"""Document: a Markdown file read once, with front matter, tokens, headings, links and code.

Every check works on the same Document, so a file is read and tokenized once per run.
Positions are 1-based line and column in the source file as it is on disk (front matter
included; a BOM is not counted).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

from kbtools.config import TocSettings
from kbtools.frontmatter_yaml import FrontMatterError, parse_front_matter

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_CONTAINER_RE = re.compile(r"^(?:!!!|\?\?\?\+?|===\+?)(?:\s|$)")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_ATTR_LIST_RE = re.compile(r"\s*\{:?([^{}]*)\}\s*$")
_ATTR_ID_RE = re.compile(r"(?:^|\s)#([^\s}]+)")
_HTML_ATTR_RE = re.compile(
    r"""\b(href|src|id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
_HTML_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.DOTALL)


class DocumentError(Exception):
    """The file cannot be read as Markdown text at all (binary, bad encoding, unreadable)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Heading:
    """A heading and the anchor id the site will give it."""

    level: int
    text: str
    anchor: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class Link:
    """A link, image or reference definition as written in the source.

    `kind` is one of `link`, `image`, `autolink`, `html` (href/src in raw HTML) or
    `definition` (a reference definition `[label]: target`). `reference` is True for a
    reference-style link or image (`[text][label]`, `[label]`), whose target comes from
    a definition elsewhere in the file.
    """

    kind: str
    target: str
    line: int
    column: int
    text: str = ""
    reference: bool = False

    @property
    def is_image(self) -> bool:
        """True for Markdown images and `src=` in raw HTML."""
        return self.kind == "image" or (self.kind == "html" and self.text == "src")

    @property
    def scheme(self) -> str:
        """The URL scheme in lower case (`http`, `mailto`), or "" for a relative target."""
        match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", self.target)
        return match.group(1).lower() if match else ""

    @property
    def is_external(self) -> bool:
        """True for http(s) URLs and protocol-relative `//host` URLs."""
        return self.scheme in ("http", "https") or self.target.startswith("//")

    @property
    def path(self) -> str:
        """The decoded path part of a relative target (no query, no fragment)."""
        target = self.target.split("#", 1)[0].split("?", 1)[0]
        return unquote(target)

    @property
    def fragment(self) -> str:
        """The decoded fragment after `#`, or ""."""
        return unquote(self.target.split("#", 1)[1]) if "#" in self.target else ""


@dataclass(frozen=True)
class Comment:
    """An HTML comment (used for inline pragmas such as `<!-- kb-lint disable ... -->`)."""

    text: str
    line: int
    end_line: int
    column: int = 1


@dataclass
class Document:
    """One Markdown file, parsed once."""

    path: Path
    rel_path: str
    text: str
    front_matter: dict[str, Any] | None = None
    front_matter_error: FrontMatterError | None = None
    front_matter_lines: int = 0
    body_line: int = 1
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    extra_ids: set[str] = field(default_factory=set)
    code_lines: set[int] = field(default_factory=set)
    code_spans: list[tuple[int, int, int]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    docs_path: str | None = None
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _spans_by_line: dict[int, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _spans_indexed: int = field(default=0, repr=False)
    _tokens: list[Token] = field(default_factory=list, repr=False)
    _unparsed: list[Token] = field(default_factory=list, repr=False)
    _env: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def tokens(self) -> list[Token]:
        """The markdown-it tokens of the body, as `MarkdownIt.parse` gives them.

        The parse inline-parses only what the document's facts depend on (see
        `_needs_inline`); the other inline tokens get their children here, on first use.
        """
        if self._unparsed:
            for token in self._unparsed:
                _parse_inline(token, self._env)
            self._unparsed = []
        return self._tokens

    @tokens.setter
    def tokens(self, value: list[Token]) -> None:
        self._tokens = value
        self._unparsed = []

    @property
    def lines(self) -> list[str]:
        """Source lines without line endings."""
        return self.text.split("\n")

    @property
    def anchors(self) -> set[str]:
        """Every id a link fragment may target: headings, attr_list ids, raw HTML id/name."""
        return {h.anchor for h in self.headings} | self.extra_ids

    @property
    def meta(self) -> dict[str, Any]:
        """Front matter as a plain mapping (empty when absent or broken)."""
        return dict(self.front_matter) if isinstance(self.front_matter, dict) else {}

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into `text`."""
        import bisect

        if not self._line_starts:
            starts = [0]
            starts.extend(m.end() for m in re.finditer("\n", self.text))
            self._line_starts = starts
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def is_code(self, line: int, column: int | None = None) -> bool:
        """True when the position is inside a fenced/indented code block or a code span."""
        if line in self.code_lines:
            return True
        if column is None:
            return False
        if self._spans_indexed != len(self.code_spans):
            # Links are checked one by one against code spans: index the spans by line.
            self._spans_by_line = {}
            for ln, start, end in self.code_spans:
                self._spans_by_line.setdefault(ln, []).append((start, end))
            self._spans_indexed = len(self.code_spans)
        return any(start <= column < end for start, end in self._spans_by_line.get(line, ()))

    def key_line(self, key: str) -> int:
        """Line of a front matter key (the opening `---` line when unknown)."""
        fm = self.front_matter
        lc = getattr(fm, "lc", None)
        if lc is not None and isinstance(fm, dict) and key in fm:
            try:
                return int(lc.key(key)[0]) + 2
            except (KeyError, TypeError, IndexError):
                pass
        return 1


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text (BOM removed, CRLF and CR turned into LF)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise DocumentError("binary file, not Markdown text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DocumentError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", line=line, column=column
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_document(
    path: Path, rel_path: str, toc: TocSettings, *, docs_path: str | None = None
) -> Document:
    """Read and parse one Markdown file. Raises DocumentError for unreadable files."""
    return parse_document(read_text(path), path, rel_path, toc, docs_path=docs_path)


def parse_document(
    text: str, path: Path, rel_path: str, toc: TocSettings, *, docs_path: str | None = None
) -> Document:
    """Parse Markdown text already read (tests and `kb new` use this directly)."""
    doc = Document(path=path, rel_path=rel_path, text=text, docs_path=docs_path)
    body = text
    match = FRONT_MATTER_RE.match(text)
    if match:
        doc.front_matter_lines = match.group(0).count("\n") + (
            0 if match.group(0).endswith("\n") else 1
        )
        try:
            doc.front_matter = parse_front_matter(match.group(1) or "", first_line=2)
        except FrontMatterError as exc:
            doc.front_matter_error = exc
        # Keep line numbers: the front matter becomes blank lines for the Markdown parser.
        body = "\n" * doc.front_matter_lines + text[match.end() :]
    elif text.startswith("---\n") or text.startswith("---\r") or text.rstrip() == "---":
        doc.front_matter_error = FrontMatterError(
            "front matter starts with '---' but never ends", 1
        )
    doc.body_line = doc.front_matter_lines + 1
    _parse_body(doc, body, toc)
    return doc


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def front_matter_of(text: str) -> dict[str, Any]:
    """Front matter of a page as a plain mapping, without parsing the Markdown ({} if none)."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return {}
    try:
        data = parse_front_matter(match.group(1) or "", first_line=2)
    except FrontMatterError:
        return {}
    return dict(data) if isinstance(data, dict) else {}


def anchors_of(text: str, toc: TocSettings) -> set[str]:
    """The ids a page's Markdown gives it: equal to `parse_document(...).anchors`, cheaper.

    Only headings and inline runs that contain raw HTML are parsed inline, which is what
    anchors depend on; other checks need the full parse, so this is for pages a run only
    links to (`--changed-since`).
    """
    doc = Document(path=Path(), rel_path="", text=text)
    match = FRONT_MATTER_RE.match(text)
    body = text
    if match:
        blank = match.group(0).count("\n") + (0 if match.group(0).endswith("\n") else 1)
        body = "\n" * blank + text[match.end() :]
    _parse_body(doc, body, toc, anchors_only=True)
    return doc.anchors


@cache
def _block_markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")


def _parse_inline(token: Token, env: dict[str, Any]) -> None:
    """Run the inline rules on one inline token, as markdown-it's core `inline` step does."""
    if token.children:
        return
    md = _markdown()
    token.children = []
    md.inline.parse(token.content, md, env, token.children)
    state = StateCore("", md, env)
    state.tokens = [token]
    text_join(state)


def _needs_inline(content: str, anchors_only: bool) -> bool:
    """True when an inline run (not a heading) can hold a fact the Document records.

    Without `[`, `<` or a backtick, markdown-it's CommonMark inline rules (no linkify) make
    no link, image, autolink, raw HTML or code span: only text, emphasis, entities and
    line breaks. Only raw HTML gives ids, for the anchors-only parse.
    """
    if anchors_only:
        return "<" in content
    return "[" in content or "<" in content or "`" in content


def _parse_body(doc: Document, body: str, toc: TocSettings, *, anchors_only: bool = False) -> None:
    source, lines, shifts = markdown_source(body)
    env: dict[str, Any] = {}
    # Block structure first; inline runs are parsed only where a link, image, raw HTML or
    # code span can be (and for headings). The rest is plain text for every fact recorded
    # here, and the `tokens` property parses it when someone asks.
    tokens = _block_markdown().parse(source, env)
    doc.tokens = tokens
    doc._env = env
    _collect_comments(doc, body)
    explicit_ids: set[str] = set()
    pending_headings: list[tuple[int, str, str | None, int]] = []

    previous = ""
    for index, token in enumerate(tokens):
        kind, after = token.type, previous
        previous = kind
        if kind == "inline":
            if after != "heading_open" and not _needs_inline(token.content, anchors_only):
                if not anchors_only:
                    doc._unparsed.append(token)
                continue
            _parse_inline(token, env)
            if token.map:
                _collect_inline(doc, token, lines, shifts)
        elif kind in ("fence", "code_block") and token.map:
            doc.code_lines.update(range(token.map[0] + 1, token.map[1] + 1))
        elif kind == "html_block" and token.map:
            _collect_html(doc, token.content, token.map[0], lines, shifts)
        elif kind == "heading_open" and token.map:
            inline = tokens[index + 1]
            _parse_inline(inline, env)
            raw_text = _plain_text(inline)
            explicit: str | None = None
            if toc.attr_list:
                attr = _ATTR_LIST_RE.search(raw_text)
                if attr:
                    raw_text = raw_text[: attr.start()]
                    id_match = _ATTR_ID_RE.search(attr.group(1))
                    if id_match:
                        explicit = id_match.group(1)
                        explicit_ids.add(explicit)
            level = int(token.tag[1])
            pending_headings.append((level, raw_text.strip(), explicit, token.map[0]))

    for label, ref in env.get("references", {}).items():
        ref_map = ref.get("map") or [0, 1]
        line_index = ref_map[0]
        source = lines[line_index] if line_index < len(lines) else ""
        column = max(source.find("["), 0)
        doc.links.append(
            Link(
                "definition",
                unquote(ref.get("href", "")),
                line_index + 1,
                column + 1 + shifts[line_index],
                label,
            )
        )

    used: set[str] = set(explicit_ids)
    counters: dict[str, int] = {}
    for level, text, explicit, line_index in pending_headings:
        if explicit is not None:
            anchor = explicit
        else:
            anchor = _unique(toc.slugify(html.unescape(text), toc.separator), used, counters)
        doc.headings.append(Heading(level, text, anchor, line_index + 1, 1 + shifts[line_index]))
    doc.extra_ids.update(explicit_ids)
    doc.links.sort(key=lambda link: (link.line, link.column))


def _unique(anchor: str, used: set[str], counters: dict[str, int]) -> str:
    """Python-Markdown's toc `unique`: repeated ids get `_1`, `_2`, ... suffixes."""
    from markdown.extensions.toc import unique

    return str(unique(anchor, used, counters))


def markdown_source(body: str) -> tuple[str, list[str], list[int]]:
    """The text markdown-it parses (container bodies dedented), its lines, and the shifts."""
    lines = body.split("\n")
    if "!!!" in body or "???" in body or "===" in body:
        lines, shifts = _dedent_containers(lines)
        return "\n".join(lines), lines, shifts
    return body, lines, [0] * len(lines)  # nothing to dedent (most pages): skip the walk


def _dedent_containers(lines: list[str]) -> tuple[list[str], list[int]]:
    """Remove the indentation of admonition (`!!!`, `???`) and tab (`===`) bodies.

    Python-Markdown parses their indented content as Markdown; CommonMark would see an
    indented code block. Returns the new lines and, per line, how many columns were removed.
    """
    out: list[str] = []
    shifts: list[int] = []
    stack: list[int] = []
    fence: str | None = None
    for line in lines:
        expanded = line.expandtabs(4) if "\t" in line[:16] else line
        stripped = expanded.lstrip(" ")
        indent = len(expanded) - len(stripped)
        if not stripped:
            out.append("")
            shifts.append(0)
            continue
        while stack and indent < stack[-1] and fence is None:
            stack.pop()
        base = stack[-1] if stack else 0
        if fence is not None and indent < base:
            base = indent
        virtual = expanded[base:]
        shift = base if expanded is line else 0
        fence_match = _FENCE_RE.match(virtual.lstrip(" "))
        if fence is None and fence_match:
            fence = fence_match.group(1)[0] * len(fence_match.group(1))
        elif fence is not None and virtual.lstrip(" ").startswith(fence):
            rest = virtual.lstrip(" ")[len(fence) :]
            if not rest.strip(fence[0]).strip():
                fence = None
        elif fence is None and _CONTAINER_RE.match(virtual) and virtual[:1] != " ":
            stack.append(base + 4)
            out.append("")
            shifts.append(shift)
            continue
        out.append(virtual)
        shifts.append(shift)
    return out, shifts


def _plain_text(inline: Token) -> str:
    """Heading text as Python-Markdown's toc sees it: inline markup and tags removed."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "html_inline":
            continue
    return "".join(parts)


def _collect_inline(doc: Document, token: Token, lines: list[str], shifts: list[int]) -> None:
    """Record links, images, code spans and inline HTML of one inline token, with positions."""
    assert token.map is not None
    start_line, end_line = token.map
    block = "\n".join(lines[start_line:end_line])
    line_offsets = [0]
    for source_line in lines[start_line : end_line - 1]:
        line_offsets.append(line_offsets[-1] + len(source_line) + 1)

    def where(offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(line_offsets, offset) - 1
        line_index = start_line + index
        return line_index + 1, offset - line_offsets[index] + 1 + shifts[line_index]

    cursor = 0
    open_link: int | None = None
    children = token.children or []
    for child in children:
        kind = child.type
        if kind == "text" and child.content:
            found = block.find(child.content, cursor)
            if found >= 0:
                cursor = found + len(child.content)
        elif kind == "code_inline":
            found = block.find(child.markup, cursor)
            if found >= 0:
                end = block.find(child.markup, found + len(child.markup))
                end = end + len(child.markup) if end >= 0 else found + len(child.markup)
                line, col = where(found)
                last_line, end_col = where(end)
                if last_line == line:
                    doc.code_spans.append((line, col, end_col))
                else:
                    doc.code_lines.update(range(line, last_line + 1))
                cursor = end
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if child.markup == "autolink":
                found = block.find("<", cursor)
                link_kind = "autolink"
            elif child.markup == "linkify":
                found = block.find(href, cursor)
                link_kind = "autolink"
            else:
                found = block.find("[", cursor)
                link_kind = "link"
            if found < 0:
                found = cursor
            else:
                cursor = found + 1
            line, col = where(found)
            if link_kind == "link":
                open_link = len(doc.links)
            doc.links.append(
                Link(link_kind, _decode_href(href), line, col, _link_text(children, child))
            )
        elif kind == "image":
            src = str(child.attrs.get("src", ""))
            found = block.find("![", cursor)
            if found < 0:
                found = cursor
            else:
                cursor = found + 2
            line, col = where(found)
            reference = _is_reference(block, block.find("]", found + 2 + len(child.content)))
            doc.links.append(
                Link("image", _decode_href(src), line, col, child.content, reference=reference)
            )
        elif kind == "link_close" and open_link is not None:
            close = block.find("]", cursor)
            if close >= 0:
                if _is_reference(block, close):
                    doc.links[open_link] = replace(doc.links[open_link], reference=True)
                cursor = close + 1
            open_link = None
        elif kind == "html_inline":
            found = block.find(child.content, cursor)
            if found >= 0:
                _collect_html_at(doc, child.content, found, where)
                cursor = found + len(child.content)


def _is_reference(block: str, close: int) -> bool:
    """True when the `]` at `close` ends reference-style link text (no `(` follows)."""
    return close >= 0 and block[close + 1 : close + 2] != "("


def _link_text(children: list[Token], opener: Token) -> str:
    index = children.index(opener)
    parts: list[str] = []
    for child in children[index + 1 :]:
        if child.type == "link_close":
            break
        parts.append(child.content)
    return "".join(parts)


def _decode_href(href: str) -> str:
    """Undo markdown-it's percent-encoding of spaces and non-ASCII so targets read as written."""
    return unquote(href) if "%" in href else href


def _collect_html(
    doc: Document, content: str, start_line: int, lines: list[str], shifts: list[int]
) -> None:
    offsets = [0]
    for line in content.split("\n")[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)

    def where(offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(offsets, offset) - 1
        line_index = min(start_line + index, len(shifts) - 1)
        return line_index + 1, offset - offsets[index] + 1 + shifts[line_index]

    _collect_html_at(doc, content, 0, where)


def _collect_html_at(doc: Document, content: str, base: int, where: Any) -> None:
    without_comments = _HTML_COMMENT_RE.sub(lambda m: " " * len(m.group(0)), content)
    for match in _HTML_ATTR_RE.finditer(without_comments):
        name = match.group(1).lower()
        value = next(g for g in match.groups()[1:] if g is not None)
        if name in ("id", "name"):
            doc.extra_ids.add(html.unescape(value))
            continue
        line, col = where(
            base
            + match.start(
                2 if match.group(2) is not None else 3 if match.group(3) is not None else 4
            )
        )
        doc.links.append(Link("html", html.unescape(value), line, col, name))


def _collect_comments(doc: Document, body: str) -> None:
    if "<!--" not in body:
        return
    for match in _HTML_COMMENT_RE.finditer(body):
        line = body.count("\n", 0, match.start()) + 1
        column = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
        end_line = line + match.group(0).count("\n")
        doc.comments.append(Comment(match.group(1).strip(), line, end_line, column))


def iter_prose_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """(line number, text) of body lines outside code blocks (for line-based checks)."""
    for number, line in enumerate(doc.lines, start=1):
        if number >= doc.body_line and number not in doc.code_lines:
            yield number, line
