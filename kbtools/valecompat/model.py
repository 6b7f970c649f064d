"""The data the engine passes around: blocks of text, alerts, per-file state."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """Text linted with one scope; `context` is the source it is located in (SPEC §7-8)."""

    context: str
    text: str
    scope: str
    line: int = -1
    parent: str = ""

    def __post_init__(self) -> None:
        if not self.context:
            self.context = self.text
        if not self.parent:
            self.parent = self.scope


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
