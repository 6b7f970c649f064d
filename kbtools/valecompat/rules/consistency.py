"""`extends: consistency`: only one of two spellings per file (SPEC §5.5)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import Rule, RuleContext, as_bool
from kbtools.valecompat.rules.existence import make_regexp


class Consistency(Rule):
    """Remembers which alternative a file used; flags the other one."""

    extends = "consistency"
    strict_keys = False

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        either = data.get("either") or {}
        template = make_regexp(
            ctx.word_template,
            as_bool(data.get("ignorecase")),
            not as_bool(data.get("nonword")),
            "",
            True,
        )
        self.steps: list[tuple[re.Pattern[str], tuple[str, str]]] = []
        for index, (first, second) in enumerate(
            either.items() if isinstance(either, Mapping) else []
        ):
            subs = (f"{name}#{2 * index}", f"{name}#{2 * index + 1}")
            pair = f"(?P<g{2 * index}>{first})|(?P<g{2 * index + 1}>{second})"
            self.steps.append((self.compile(template.replace("%s", pair, 1)), subs))

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """One alert per pair and block once both alternatives were seen in the file."""
        text = block.text
        alerts: list[Alert] = []
        for pattern, subs in self.steps:
            last: tuple[int, int] | None = None
            for match in pattern.finditer(text):
                for group, sub in ((1, subs[0]), (2, subs[1])):
                    start, end = match.span(group)
                    if start >= 0:
                        last = (start, end)
                        state.sequences.append(sub)
            if last is not None and subs[0] in state.sequences and subs[1] in state.sequences:
                alerts.append(self.alert(last[0], last[1], text))
        return alerts
