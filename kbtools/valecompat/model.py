"""The data the engine passes around: blocks of text, alerts, per-file state."""

from __future__ import annotations

from dataclasses import dataclass, field

from kbtools.valecompat.context import SourceContext


class Block:
    """Text linted with one scope; `context` is the source it is located in (SPEC §7-8).

    The context may be given as a SourceContext: it is read only when an alert needs a
    location, before the walker blanks anything else, so reading it late is equivalent.
    """

    def __init__(self, context: str | SourceContext, text: str, scope: str, line: int = -1) -> None:
        self._context = context
        self.text = text
        self.scope = scope
        self.line = line
        self.parent = scope

    @property
    def context(self) -> str:
        """The source (with consumed text blanked) this block is located in."""
        context = self._context
        if isinstance(context, str):
            return context or self.text
        return context.text

    def sub(self, text: str, scope: str) -> Block:
        """A block with the same context and line (sentences, paragraphs)."""
        return Block(self._context, text, scope, self.line)


@dataclass
class Alert:
    """One rule match. `span` is [start, end) in code points of the block text until located;
    after location `line` is 1-based and `span` is the 1-based inclusive column range."""

    check: str
    severity: str
    span: list[int]
    match: str = ""
    message: str = ""
    description: str = ""
    link: str = ""
    action_name: str = ""
    action_params: list[str] = field(default_factory=list)
    line: int = 0
    offset: list[str] = field(default_factory=list)
    limit: int = 0


@dataclass
class FileState:
    """What rules may remember while one file is linted (document order)."""

    path: str
    sequences: list[str] = field(default_factory=list)
    metrics: dict[str, int] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
