"""External http(s) links through LinkChecker (links.external*), only with --external."""

from __future__ import annotations

from kbtools.checks.base import Check


class ExternalCheck(Check):
    """Not implemented yet: declares no rules and finds nothing."""

    name = "external"
