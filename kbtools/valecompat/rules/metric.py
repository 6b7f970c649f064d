"""`extends: metric`: a formula over document statistics (SPEC §5.8)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.config import ValeConfigError
from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import Rule, RuleContext, go_format
from kbtools.valecompat.textstats import summarize

VARIABLES = ("pre", "list", "blockquote", *(f"heading_h{i}" for i in range(1, 7)))
_HEADING = re.compile(r"heading\.(h[1-6])")
_MATH = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}


class _Math:
    def __getattr__(self, name: str) -> Any:
        return _MATH[name]


def evaluate(expression: str, variables: Mapping[str, float]) -> Any:
    """Evaluate a Tengo arithmetic expression (numbers, variables, `math.*`)."""
    env: dict[str, Any] = {"math": _Math(), **variables}
    code = expression.replace("&&", " and ").replace("||", " or ")
    return eval(compile(code, "<formula>", "eval"), {"__builtins__": {}}, env)


def document_metrics(state: FileState) -> dict[str, float]:
    """Variables a formula may use; empty when the summary has no words."""
    stats = summarize("".join(state.summary))
    if stats.words == 0:
        return {}
    params: dict[str, float] = {}
    for key, value in state.metrics.items():
        if not key.startswith("table"):
            params[key.replace(".", "_")] = float(value)
    params.update(
        complex_words=stats.complex_words,
        long_words=stats.long_words,
        paragraphs=stats.paragraphs - 1,
        sentences=stats.sentences,
        characters=stats.characters,
        words=stats.words,
        polysyllabic_words=stats.polysyllabic_words,
        syllables=stats.syllables,
    )
    for name in VARIABLES:
        params.setdefault(name, 0.0)
    return params


class Metric(Rule):
    """One document-level alert when the condition holds."""

    extends = "metric"
    extra_keys = frozenset({"formula", "condition"})

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        data = {**data, "scope": "summary"}
        super().__init__(name, data, path, ctx)
        self.formula = _HEADING.sub(r"heading_\1", str(data.get("formula", "")))
        self.condition = str(data.get("condition", ""))

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """Evaluate the formula once per file."""
        params = document_metrics(state)
        if not params:
            return []
        try:
            value = float(evaluate(self.formula, params))
            hit = bool(evaluate(f"{value:f} {self.condition}", params))
        except ZeroDivisionError:
            value, hit = math.inf, bool(evaluate(f"1e308 {self.condition}", params))
        except Exception as exc:
            raise ValeConfigError(f"E201 Invalid value [{self.path}]: formula: {exc}") from None
        if not hit:
            return []
        alert = self.alert(0, 0, block.text)
        alert.span = [1, 1]
        alert.match = ""
        alert.message = go_format(self.message, (f"{value:.2f}",))
        alert.description = go_format(self.description, (f"{value:.2f}",))
        return [alert]
