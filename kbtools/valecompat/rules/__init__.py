"""One module per Vale rule type (Vale's own layout: existence.py, substitution.py, ...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kbtools.valecompat.rules.base import Rule, RuleContext
from kbtools.valecompat.rules.capitalization import Capitalization
from kbtools.valecompat.rules.conditional import Conditional
from kbtools.valecompat.rules.consistency import Consistency
from kbtools.valecompat.rules.existence import Existence
from kbtools.valecompat.rules.metric import Metric
from kbtools.valecompat.rules.occurrence import Occurrence
from kbtools.valecompat.rules.readability import Readability
from kbtools.valecompat.rules.repetition import Repetition
from kbtools.valecompat.rules.spelling import Spelling
from kbtools.valecompat.rules.substitution import Substitution

RuleFactory = Callable[[str, Mapping[str, Any], str, RuleContext], Rule]

RULE_TYPES: dict[str, RuleFactory] = {
    "existence": Existence,
    "substitution": Substitution,
    "occurrence": Occurrence,
    "repetition": Repetition,
    "consistency": Consistency,
    "capitalization": Capitalization,
    "conditional": Conditional,
    "metric": Metric,
    "readability": Readability,
    "spelling": Spelling,
}
SKIPPED_TYPES = ("sequence", "script")
"""Rule types the built-in engine does not implement; reported once as skipped."""
