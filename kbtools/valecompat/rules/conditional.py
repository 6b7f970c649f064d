"""`extends: conditional`: an antecedent needs a definition earlier in the file (SPEC §5.7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import (
    Rule,
    RuleContext,
    as_bool,
    as_list,
    build_exceptions,
    is_match,
)


class Conditional(Rule):
    """Flags `first` matches that no `second` match defined."""

    extends = "conditional"
    extra_keys = frozenset({"first", "second", "exceptions", "ignorecase", "vocab"})

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        self.second = self.compile(str(data.get("second", "")))
        self.first = self.compile(str(data.get("first", "")))
        self.exceptions = build_exceptions(
            as_list(data.get("exceptions")), ctx, as_bool(data.get("vocab"), True)
        )

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """Record definitions, then report undefined antecedents."""
        text = block.text
        for match in self.second.finditer(text):
            state.sequences.extend(g for g in match.groups() if g)
        alerts: list[Alert] = []
        for match in self.first.finditer(text):
            found = match.group(0)
            if found not in state.sequences and not is_match(self.exceptions, found):
                alerts.append(self.alert(match.start(), match.end(), text))
        return alerts
