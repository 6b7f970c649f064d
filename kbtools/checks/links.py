"""Internal links, anchors, images, nav and orphans (links.*)."""

from __future__ import annotations

from kbtools.checks.base import Check


class LinksCheck(Check):
    """Not implemented yet: declares no rules and finds nothing."""

    name = "links"
