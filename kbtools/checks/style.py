"""Prose style: Vale styles through Vale or the built-in engine (style.*)."""

from __future__ import annotations

from kbtools.checks.base import Check


class StyleCheck(Check):
    """Not implemented yet: declares no rules and finds nothing."""

    name = "style"
