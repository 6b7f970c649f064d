"""Lint files with Vale styles: blocks in document order, rules, comment controls, locations."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from kbtools.valecompat.config import LEVELS, ValeConfig, load_config
from kbtools.valecompat.context import SourceContext
from kbtools.valecompat.location import assign_loc, find_loc, substitute
from kbtools.valecompat.markup import (
    CODE_COMMENTS,
    MARKDOWN_EXTS,
    HtmlToken,
    html_tokens,
    mask_context,
    prepare,
    render_html,
    sanitize,
)
from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import Rule, clean_message
from kbtools.valecompat.styles import LoadedStyles, load_styles, load_vocab
from kbtools.valecompat.textstats import split_sentences

INLINE_TAGS = frozenset(
    [
        "b",
        "big",
        "i",
        "small",
        "abbr",
        "acronym",
        "cite",
        "dfn",
        "em",
        "kbd",
        "strong",
        "a",
        "br",
        "img",
        "span",
        "sub",
        "sup",
        "code",
        "tt",
        "del",
    ]
)
TAG_TO_SCOPE = {
    "th": "text.table.header",
    "td": "text.table.cell",
    "caption": "text.table.caption",
    "li": "text.list",
    "blockquote": "text.blockquote",
    "figcaption": "text.figure.caption",
}
SKIP_CLASSES = ("problematic", "pre", "code")
_HEADING_TAG = re.compile(r"^h\d$")
_CONTROL = re.compile(r"^vale (.+\..+) = (YES|NO)$")
_PUNCT_START = (".", "?", "!", ",", ":", ";")


@dataclass
class LintedFile:
    """The alerts of one file, sorted by position (Vale's File after linting)."""

    path: str
    alerts: list[Alert] = field(default_factory=list)


class Walker:
    """Vale's HTML walker: tracks the source context, consumed text and the current line."""

    def __init__(self, context: str) -> None:
        self.context = SourceContext(context)
        # Blanking keeps every line break in place, so line starts are computed once.
        self.newlines = [m.start() for m in re.finditer("\n", context)]
        self.idx = 0
        self.queue: list[str] = []
        self.tag_history: list[str] = []
        self.active_tag = ""
        self.active_cls = ""
        self.begin = 0
        self.end = 0

    def sub(self, text: str) -> bool:
        """Blank the first occurrence of `text` in the context."""
        return self.context.blank(text, "@")

    def update(self, text: str) -> None:
        """Blank consumed text line by line (word by word when a line is not found)."""
        if not text:
            return
        for line in text.split("\n"):
            if not self.sub(line):
                for word in line.split():
                    self.sub(word)

    def reset(self) -> None:
        """End of a block: its text is consumed."""
        for text in self.queue:
            self.update(text)
        self.queue = []
        self.tag_history = []

    def advance(self, text: str) -> int:
        """The line (0-based) where `text` appears after the current one, or -1."""
        # Vale searches every line (and word) but keeps only the last result: the last
        # line, or failing that its last word, decides.
        last = text.rsplit("\n", 1)[-1]
        pos = self.context.find(last)
        if pos < 0:
            words = last.split()
            if words:
                pos = self.context.find(words[-1])
        if pos >= 0:
            number = bisect_left(self.newlines, pos)
            if number > self.idx:
                return number
        return -1

    def append(self, text: str) -> None:
        """Queue text of the current block and move the line cursor."""
        if text:
            pos = self.advance(text)
            if pos > -1:
                self.idx = pos
            self.queue.append(text)

    def add_tag(self, tag: str) -> None:
        """Record an opened tag."""
        self.tag_history.append(tag)
        self.active_tag = tag

    def set_cls(self, tag: str, cls: bool) -> None:
        """Start skipping an element because of its class."""
        if cls:
            self.active_cls = tag
            self.begin = 1
            self.end = 0

    def add_cls(self, tag: str, start: bool) -> None:
        """Count nested openings/closings of the skipped element's tag."""
        if tag == self.active_cls:
            if start:
                self.begin += 1
            else:
                self.end += 1

    def can_close(self) -> bool:
        """True when the class-skipped element is closed."""
        return self.active_cls != "" and self.begin == self.end and self.begin > 0

    def close(self) -> None:
        """Stop class skipping."""
        self.active_cls = ""
        self.begin = 0
        self.end = 0

    def block(self, text: str, scope: str) -> Block:
        """A block at the current line (or the line its text is found on)."""
        line = self.idx
        pos = self.advance(text)
        if pos != line and pos > -1:
            line = pos
        return Block(self.context, text, scope, line)

    def replace_toks(self, token: HtmlToken) -> None:
        """URLs and ids in attributes are consumed too (they are never linted)."""
        if token.data in ("img", "a", "p", "script") and token.kind in ("start", "self"):
            from urllib.parse import unquote_plus

            for key, value in token.attrs:
                if key in ("href", "id", "src"):
                    self.update(unquote_plus(value) if key == "href" else value)

    def is_nested_list(self) -> bool:
        """True inside a list item of a list nested in another item (text gets a space)."""
        history = self.tag_history
        if self.last_tag() == "li" and len(history) > 3:
            return history[-2] in ("ol", "ul") and history[-3] == "li"
        return False

    def last_tag(self) -> str:
        """The innermost tag of the current block."""
        return self.tag_history[-1] if self.tag_history else self.active_tag


def _check_classes(attr: str, ignore: tuple[str, ...] | list[str]) -> bool:
    return any(c in ignore for c in attr.split(" "))


def _clean(text: str, attr: str, skip: bool, inline: bool) -> tuple[str, bool]:
    starter = text[:1] in _PUNCT_START and not skip
    if skip or attr == text:
        text = re.sub(r"[^\n]", "*", text)
        skip = False
    if inline and not starter:
        text = " " + text
    return text, skip


class FileLinter:
    """Lints one file: the state Vale keeps in core.File while walking it."""

    def __init__(self, engine: Engine, path: str, content: str, *, lookup: bool = False) -> None:
        self.engine = engine
        self.path = path
        self.content = sanitize(content)
        self.lines = self.content.split("\n")
        self.line_list = [line + "\n" for line in self.lines[:-1]] + self.lines[-1:]
        self.line_count = len(self.lines)
        self.real_ext = Path(path).suffix
        self.lookup = lookup
        self.state = FileState(path)
        self.comments: dict[str, bool] = {}
        self.history: set[tuple[int, int, str]] = set()
        self.limits: dict[str, int] = {}
        self.alerts: list[Alert] = []
        self.chk_to_ctx: dict[str, str] = {}
        self.markup = False
        self.base_styles, self.checks = engine.config.styles_and_checks(path)
        self.rules = [r for r in engine.rules if self._selected(r)]

    def _selected(self, rule: Rule) -> bool:
        name = ".".join(rule.name.split(".")[:2])
        if name in self.checks:
            return self.checks[name]
        if name in self.engine.config.global_checks:
            return self.engine.config.global_checks[name]
        return name.split(".")[0] in self.base_styles

    # -- comment controls -------------------------------------------------------------
    def update_comments(self, comment: str) -> None:
        """Apply a `<!-- vale ... -->` control."""
        if comment == "vale off":
            self.comments["off"] = True
        elif comment == "vale on":
            self.comments["off"] = False
        else:
            match = _CONTROL.match(comment)
            if match:
                self.comments[match.group(1)] = match.group(2) == "NO"

    def disabled(self, name: str) -> bool:
        """True when a comment control turned the rule off."""
        if not self.comments.get("off", False) and name in self.comments:
            return self.comments[name]
        return self.comments.get("off", False)

    # -- running rules ----------------------------------------------------------------
    def should_run(self, rule: Rule, block: Block) -> bool:
        """Comment state, level and scope (styles/switches were applied at selection)."""
        name = ".".join(rule.name.split(".")[:2])
        if self.disabled(name):
            return False
        if LEVELS[rule.level] < self.engine.min_level:
            return False
        return rule.scope.matches(block.scope)

    def lint_block(self, block: Block, lookup: bool) -> None:
        """Run every applicable rule on one block and locate its alerts."""
        self.chk_to_ctx = {}
        for rule in self.rules:
            if not self.should_run(rule, block):
                continue
            for alert in rule.run(block, self.state):
                alert.severity = rule.level
                alert.message = clean_message(alert.message)
                alert.description = clean_message(alert.description)
                alert.limit = rule.limit
                self.add_alert(alert, block, lookup)

    def add_alert(self, alert: Alert, block: Block, lookup: bool) -> None:
        """Locate the alert in the source and keep it unless it is a duplicate."""
        ctx = self.chk_to_ctx.get(alert.check, block.context)
        if not alert.offset and len(ctx) < 1000 and ctx.count(alert.match) > 1:
            alert.offset = ctx[: alert.span[0]].split()
        line, span = -1, [-1, -1]
        if not lookup:
            line, span = assign_loc(ctx, block, alert)
        if (not lookup and span[0] < 0) or lookup:
            lines = self.line_list if self.markup else None
            line, span = find_loc(ctx, block.text, lines, self.line_count, alert)
        alert.line, alert.span = line, span
        if span[0] <= 0:
            return
        self.chk_to_ctx[alert.check], _ = substitute(ctx, alert.match, "#")
        key = (line, span[0], alert.check)
        if key in self.history:
            return
        count = self.limits.get(alert.check, 0)
        if alert.limit == 0 or count < alert.limit:
            self.alerts.append(alert)
            self.history.add(key)
            if alert.limit > 0:
                self.limits[alert.check] = count + 1

    def lint_prose(self, block: Block) -> None:
        """A paragraph: paragraph and sentence sub-blocks (when needed), then the text."""
        ext = self.real_ext
        blocks: list[Block] = []
        if self.engine.needs_paragraphs:
            blocks.append(block.sub(block.text, "paragraph" + ext))
        if self.engine.needs_sentences:
            for sentence in split_sentences(block.text):
                sentence = sentence.strip()
                if sentence:
                    blocks.append(block.sub(sentence, "sentence" + ext))
        blocks.append(block.sub(block.text, "text" + ext))
        lookup = "\n" in block.text or self.lookup
        for sub in blocks:
            self.lint_block(sub, lookup)

    # -- formats ----------------------------------------------------------------------
    def lint(self, fmt: str) -> list[Alert]:
        """Lint as `markdown`, `code`, `text` (prose) or `lines`; then raw-scoped rules."""
        if fmt == "markdown":
            self.lint_markdown()
        elif fmt == "code":
            self.lint_code()
        elif fmt == "text":
            self.lint_prose(Block("", self.content, "text" + self.real_ext))
        else:
            self.lint_block(Block("", self.content, "text" + self.real_ext), True)
        self.lint_block(Block("", self.content, "raw" + self.real_ext), True)
        self.alerts.sort(key=lambda a: (a.line, a.span[0]))
        return self.alerts

    def lint_code(self) -> None:
        """Comments of a code file, each a `text.comment.line` block located directly."""
        extract = CODE_COMMENTS.get(self.real_ext)
        if extract is None:
            return
        ext = self.real_ext
        for comment in extract(self.content):
            block = Block(comment.text, comment.text, "text.comment.line" + ext, comment.line)
            self.chk_to_ctx = {}
            for rule in self.rules:
                if not self.should_run(rule, block):
                    continue
                for alert in rule.run(block, self.state):
                    alert.severity = rule.level
                    alert.message = clean_message(alert.message)
                    alert.limit = rule.limit
                    line = comment.line + 1
                    start = comment.column + alert.span[0] + 1
                    alert.line = line
                    alert.span = [start, start + max(len(alert.match), 1) - 1]
                    key = (line, start, alert.check)
                    if key not in self.history:
                        self.history.add(key)
                        self.alerts.append(alert)

    def lint_markdown(self) -> None:
        """Render Markdown to HTML and walk it like Vale's lintHTMLTokens."""
        self.markup = True
        config = self.engine.config
        blocks, tokens = config.ignores_for_ext(self.real_ext)
        if self.real_ext != ".md":
            more_blocks, more_tokens = config.ignores_for_ext(".md")
            blocks = blocks + [b for b in more_blocks if b not in blocks]
            tokens = tokens + [t for t in more_tokens if t not in tokens]
        source = prepare(self.content, blocks, tokens, config.comment_delimiters(self.path))
        html = render_html(source)
        self.walk_html(html_tokens(html), mask_context(self.content))

    def walk_html(self, tokens: list[HtmlToken], context: str) -> None:
        """Vale's HTML walk: build blocks at closing block tags, honour skips and comments."""
        config = self.engine.config
        skip_tags = config.skipped_scopes
        skip_classes = (*SKIP_CLASSES, *config.ignored_classes)
        ignored = config.ignored_scopes
        walker = Walker(context)
        in_block = inline = skip = False
        attr = parent_class = ""
        buf: list[str] = []
        for token in tokens:
            kind = token.kind
            txt = token.data.strip()
            walker.add_cls(txt, kind == "start")
            closed = walker.can_close()
            skip_class = _check_classes(token.attr("class"), skip_classes)
            block_skip = skip_class and txt not in INLINE_TAGS
            if kind == "start" and (txt in skip_tags or block_skip):
                walker.set_cls(txt, block_skip)
                in_block = True
                self.state.metrics[txt] = self.state.metrics.get(txt, 0) + 1
            elif in_block and (txt in skip_tags or closed):
                in_block = False
                if closed:
                    walker.close()
            elif kind == "start":
                if txt in ("em", "b") and walker.last_tag() == "code":
                    txt = "code"
                inline = txt in INLINE_TAGS
                skip = txt in ignored
                walker.add_tag(txt)
            elif kind == "end" and txt in INLINE_TAGS:
                walker.active_tag = ""
            elif kind == "comment":
                self.update_comments(txt)
            elif kind == "text":
                walker.append(txt)
                if not in_block and txt:
                    skip_class = _check_classes(parent_class, skip_classes)
                    txt, skip = _clean(txt, attr, skip or skip_class, inline)
                    if buf and not inline and walker.is_nested_list():
                        txt = " " + txt
                    buf.append(txt)
            if kind == "end" and txt not in INLINE_TAGS:
                content = "".join(buf)
                if content.strip():
                    self.lint_scope(walker, content)
                walker.reset()
                buf = []
            attr = token.attr("href")
            parent_class = token.attr("class")
            walker.replace_toks(token)
            if token.data == "img" and kind in ("start", "self") and "alt" not in skip_tags:
                for key, value in token.attrs:
                    if key == "alt":
                        self.lint_block(walker.block(value, "text.attr.alt"), False)
        self.lint_summary()

    def lint_scope(self, walker: Walker, text: str) -> None:
        """Scope a finished block by the tags opened since the previous one."""
        for tag in walker.tag_history:
            scope = TAG_TO_SCOPE.get(tag)
            if scope is not None or _HEADING_TAG.match(tag):
                if scope in ("text.blockquote", "text.list"):
                    self.state.summary.append(text + "\n\n")
                if scope is None:
                    scope = "text.heading." + tag
                key = scope.removeprefix("text.")
                self.state.metrics[key] = self.state.metrics.get(key, 0) + 1
                text = text.lstrip(" ")
                self.lint_block(walker.block(text, scope + self.real_ext), False)
                return
        self.state.summary.append(text + "\n\n")
        self.lint_prose(walker.block(text, "txt"))

    def lint_summary(self) -> None:
        """After the last block: rule-specific controls reset, then summary-scoped rules."""
        for key in self.comments:
            if key != "off":
                self.comments[key] = False
        summary = "".join(self.state.summary)
        self.lint_block(Block(self.content, summary, "summary" + self.real_ext, 0), True)


class Engine:
    """The built-in Vale engine for one configuration."""

    def __init__(
        self,
        config: ValeConfig,
        *,
        min_alert_level: str | None = None,
        ignore_syntax: bool = False,
    ) -> None:
        self.config = config
        self.vocab = load_vocab(config)
        self.styles: LoadedStyles = load_styles(config, self.vocab)
        self.rules = [self.styles.rules[name] for name in sorted(self.styles.rules)]
        level = config.min_alert_level
        if min_alert_level in LEVELS:
            level = LEVELS[min_alert_level]
        self.min_level = level
        self.ignore_syntax = ignore_syntax
        self.needs_sentences = any(r.scope.mentions("sentence") for r in self.rules)
        self.needs_paragraphs = any(r.scope.mentions("paragraph") for r in self.rules)

    @classmethod
    def from_file(cls, path: Path, **kwargs: str | bool | None) -> Engine:
        """Load `.vale.ini` and its styles."""
        return cls(load_config(path), **kwargs)  # type: ignore[arg-type]

    @property
    def skipped_rules(self) -> dict[str, str]:
        """Rules of types this engine does not implement (name -> type)."""
        return dict(self.styles.skipped)

    def format_of(self, path: str, ext_override: str | None = None) -> str:
        """`markdown`, `code`, `text` or `lines` for a file path (after `[formats]`)."""
        if self.ignore_syntax:
            return "lines"
        ext = ext_override or Path(path).suffix
        mapped = self.config.formats.get(ext.lstrip("."))
        if mapped:
            ext = "." + mapped
        if ext in MARKDOWN_EXTS:
            return "markdown"
        if ext in CODE_COMMENTS:
            return "code"
        if ext == ".txt":
            return "text"
        return "lines"

    def wants(self, path: str) -> bool:
        """False for a walked file Vale would skip (no `[*]` and no matching section)."""
        return self.config.has_global() or self.config.matches_any_section(path)

    def lint_text(
        self, path: str, content: str, *, ext_override: str | None = None, lookup: bool = False
    ) -> LintedFile:
        """Lint one document given its reported path and its text."""
        linter = FileLinter(self, path, content, lookup=lookup)
        if not linter.rules and not linter.base_styles:
            return LintedFile(path)
        alerts = linter.lint(self.format_of(path, ext_override))
        return LintedFile(path, alerts)
