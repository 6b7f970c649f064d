"""`extends: occurrence`: too many (or too few) matches of one token (SPEC §5.3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import Rule, RuleContext, as_bool, as_int, go_format


def is_code(text: str) -> bool:
    """Blank, or only masking characters (`*`, `@`): a match inside masked code."""
    return text.strip(" *@\n\t") == ""


class Occurrence(Rule):
    """Counts matches per block."""

    extends = "occurrence"
    extra_keys = frozenset({"token", "max", "min", "ignorecase"})

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        prefix = "(?i)" if as_bool(data.get("ignorecase")) else ""
        self.pattern = self.compile(prefix + "(?:" + str(data.get("token", "")) + ")")
        self.max = as_int(data.get("max"), path, "max")
        self.min = as_int(data.get("min"), path, "min")

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """One alert when the count is out of bounds."""
        text = block.text
        spans = [m.span() for m in self.pattern.finditer(text)]
        count = len(spans)
        if not ((self.max > 0 and count > self.max) or (self.min > 0 and count < self.min)):
            return []
        if count == 0:
            alert = self.alert(0, 0, text)
            alert.span = [1, 1]
            alert.match = ""
        else:
            chosen = next((s for s in spans if not is_code(text[s[0] : s[1]])), None)
            if chosen is None:
                return []
            alert = self.alert(chosen[0], chosen[1], text)
        alert.message = go_format(self.message, (str(count),))
        alert.description = go_format(self.description, (str(count),))
        return [alert]
