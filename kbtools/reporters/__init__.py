"""Output formats: each module has `render(result, options) -> str`; this dict is the registry."""

from __future__ import annotations

from collections.abc import Callable

from kbtools.lint.runner import LintResult
from kbtools.reporters import github, json_format, junit, sarif, text
from kbtools.reporters.base import ReportOptions

Renderer = Callable[[LintResult, ReportOptions], str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}

__all__ = ["REPORTERS", "Renderer", "ReportOptions"]
