"""`extends: readability`: average grade of standard readability formulas (SPEC §5.9)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.rules.base import Rule, RuleContext, as_list, go_format
from kbtools.valecompat.textstats import Stats, summarize


def grade(metric: str, s: Stats) -> float:
    """One readability grade from document statistics."""
    words, sentences = max(s.words, 1.0), max(s.sentences, 1.0)
    if metric == "Gunning Fog":
        return 0.4 * (words / sentences + 100.0 * s.complex_words / words)
    if metric == "Coleman-Liau":
        return 0.0588 * (s.characters / words * 100) - 0.296 * (sentences / words * 100) - 15.8
    if metric == "Flesch-Kincaid":
        return 0.39 * (words / sentences) + 11.8 * (s.syllables / words) - 15.59
    if metric == "SMOG":
        return 1.0430 * math.sqrt(s.polysyllabic_words * 30.0 / sentences) + 3.1291
    if metric == "Automated Readability":
        return 4.71 * (s.characters / words) + 0.5 * (words / sentences) - 21.43
    return 0.0


class Readability(Rule):
    """One document-level alert when the average grade is above `grade`."""

    extends = "readability"
    extra_keys = frozenset({"metrics", "grade"})

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        data = {**data, "scope": "summary"}
        super().__init__(name, data, path, ctx)
        self.metrics = as_list(data.get("metrics"))
        self.grade = float(data.get("grade") or 0)

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """Average the chosen grades over the summary text."""
        stats = summarize(block.text)
        if stats.words == 0 or not self.metrics:
            return []
        value = sum(grade(m, stats) for m in self.metrics) / len(self.metrics)
        if value <= self.grade:
            return []
        alert = self.alert(0, 0, block.text)
        alert.span = [1, 1]
        alert.match = ""
        alert.message = go_format(self.message, (f"{value:.2f}",))
        return [alert]
