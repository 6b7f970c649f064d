"""`extends: substitution`: suggest a replacement for each matched key (SPEC §5.2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.regex import RegexError, compile_vale
from kbtools.valecompat.rules.base import (
    Rule,
    RuleContext,
    as_bool,
    as_list,
    build_exceptions,
    go_format,
    is_match,
)
from kbtools.valecompat.rules.existence import make_regexp

_PHRASE = re.compile(r"^[\w\s-]*$")
_CAPTURE = re.compile(r"(?<!\\)\((?!\?)")
_GO_REF = re.compile(r"\$(\d+|\{\w+\})")


def to_sentence(words: list[str], joiner: str = "or") -> str:
    """`'a'`, `'a' or 'b'`, `'a', 'b', or 'c'` (Vale's ToSentence)."""
    if len(words) == 1:
        return f"'{words[0]}'"
    if len(words) == 2:
        return f"'{words[0]}' {joiner} '{words[1]}'"
    quoted = [f"'{w}'" for w in words]
    quoted[-1] = joiner + " " + quoted[-1]
    return ", ".join(quoted)


def convert_message(message: str) -> str:
    """Unquote the first of exactly two `'%s'` (or `"%s"`) so suggestions are not double-quoted."""
    for spec in ("'%s'", '"%s"'):
        if message.count(spec) == 2:
            message = message.replace(spec, "%s", 1)
    return message


def is_phrase(text: str) -> bool:
    """Letters, digits, spaces and hyphens only (compared as plain text, not a regex)."""
    return bool(_PHRASE.match(text)) and "_" not in text


class Substitution(Rule):
    """Maps observed terms to preferred ones."""

    extends = "substitution"
    extra_keys = frozenset(
        {"swap", "exceptions", "ignorecase", "nonword", "vocab", "capitalize", "pos"}
    )

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        swap = data.get("swap") or {}
        if not isinstance(swap, Mapping):
            swap = {}
        self.ignorecase = as_bool(data.get("ignorecase"))
        self.capitalize = as_bool(data.get("capitalize"))
        keys = sorted((str(k) for k in swap), key=len, reverse=True)
        self.keys = keys
        self.replacements = [str(swap[k]) if swap[k] is not None else "" for k in keys]
        # Capture groups inside keys would shift the group numbering: make them plain groups.
        groups = "|".join("(" + _CAPTURE.sub("(?:", k) + ")" for k in keys)
        regex = make_regexp(
            ctx.word_template, self.ignorecase, not as_bool(data.get("nonword")), "", True
        )
        self.pattern = self.compile(regex.replace("%s", groups, 1)) if keys else None
        self.exceptions = build_exceptions(
            as_list(data.get("exceptions")), ctx, as_bool(data.get("vocab"), True)
        )

    def _expected(self, index: int, observed: str) -> str:
        expected = self.replacements[index]
        if self.capitalize and observed[:1].isupper():
            expected = expected[:1].upper() + expected[1:]
        if _GO_REF.search(expected):
            key = ("(?i)" if self.ignorecase else "") + self.keys[index]
            try:
                pattern = compile_vale(key)
                template = _GO_REF.sub(lambda m: "\\g<" + m.group(1).strip("{}") + ">", expected)
                expected = pattern.sub(template, observed)
            except (RegexError, re.error, IndexError):
                pass
        return expected

    def _same(self, expected: str, observed: str) -> bool:
        if is_phrase(expected):
            return expected == observed
        try:
            return compile_vale("^(?:" + expected + ")$").match(observed) is not None
        except RegexError:
            return expected == observed

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """One alert per matched key whose text differs from its replacement."""
        if self.pattern is None:
            return []
        text = block.text
        alerts: list[Alert] = []
        for match in self.pattern.finditer(text):
            for index in range(len(self.keys)):
                start, end = match.span(index + 1)
                if start < 0:
                    continue
                observed = text[start:end].strip()
                expected = self._expected(index, observed)
                if self._same(expected, observed) or is_match(self.exceptions, observed):
                    continue
                message = self.message
                params = list(self.action_params)
                if self.action_name == "replace" and not params:
                    params = expected.split("|")
                    expected = to_sentence(params)
                    message = convert_message(message)
                alert = self.alert(start, end, text)
                alert.message = go_format(message, (expected, observed))
                alert.description = go_format(self.description, (expected, observed))
                alert.action_params = params
                alerts.append(alert)
        return alerts
