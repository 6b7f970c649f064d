"""`extends: repetition`: the same token twice in a row (SPEC §5.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import (
    Rule,
    RuleContext,
    as_bool,
    as_int,
    as_list,
    build_exceptions,
    go_format,
    is_match,
)


class Repetition(Rule):
    """Flags `the the`."""

    extends = "repetition"
    extra_keys = frozenset({"tokens", "max", "ignorecase", "alpha", "exceptions", "vocab"})

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        self.ignorecase = as_bool(data.get("ignorecase"))
        self.alpha = as_bool(data.get("alpha"))
        self.max = as_int(data.get("max"), path, "max")
        prefix = "(?i)" if self.ignorecase else ""
        self.pattern = self.compile(prefix + "(" + "|".join(as_list(data.get("tokens"))) + ")")
        self.exceptions = build_exceptions(
            as_list(data.get("exceptions")), ctx, as_bool(data.get("vocab"), True)
        )

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """Alerts spanning each repeated pair."""
        text = block.text
        alerts: list[Alert] = []
        prev = ""
        prev_start = 0
        count = 0
        for match in self.pattern.finditer(text):
            curr = match.group(0).strip()
            if self.ignorecase:
                hit = curr != "" and curr.casefold() == prev.casefold()
            else:
                hit = curr != "" and curr == prev
            hit = hit and (not self.alpha or curr.isalpha())
            if hit:
                count += 1
            if hit and count > self.max:
                span_text = text[prev_start : match.end()]
                if "\n" not in span_text and not is_match(self.exceptions, span_text):
                    alert = self.alert(prev_start, match.end(), text)
                    alert.message = go_format(self.message, (curr,))
                    alert.description = go_format(self.description, (curr,))
                    alerts.append(alert)
                    count = 0
            prev_start = match.start()
            prev = curr
        return alerts
