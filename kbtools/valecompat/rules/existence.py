"""`extends: existence`: report every match of a list of tokens (SPEC §5.1)."""

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

NONWORD_TEMPLATE = r"(?m)(?:%s)"


def make_regexp(template: str, ignorecase: bool, word: bool, piece: str, append: bool) -> str:
    """Vale's makeRegexp: word (or nonword) template around tokens, raw before or after."""
    regex = template if word else NONWORD_TEMPLATE
    regex = regex + piece if append else piece + regex
    if ignorecase:
        regex = "(?i)" + regex
    return regex


class Existence(Rule):
    """Flags each occurrence of any token."""

    extends = "existence"
    extra_keys = frozenset(
        {"tokens", "raw", "exceptions", "ignorecase", "nonword", "append", "vocab"}
    )

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        tokens = [t for t in as_list(data.get("tokens")) if t.strip()]
        raw = "".join(as_list(data.get("raw")))
        nonword = as_bool(data.get("nonword"))
        regex = make_regexp(
            ctx.word_template,
            as_bool(data.get("ignorecase")),
            not nonword and bool(tokens),
            raw,
            as_bool(data.get("append")),
        )
        self.pattern = self.compile(regex.replace("%s", "|".join(tokens), 1))
        self.exceptions = build_exceptions(
            as_list(data.get("exceptions")), ctx, as_bool(data.get("vocab"), True)
        )

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """One alert per non-excepted match."""
        text = block.text
        alerts: list[Alert] = []
        for match in self.pattern.finditer(text):
            observed = match.group(0).strip()
            if not is_match(self.exceptions, observed):
                alerts.append(self.alert(match.start(), match.end(), text))
        return alerts
