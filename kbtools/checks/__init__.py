"""Checkers, one module each; this list is the registry the lint runner uses."""

from __future__ import annotations

from kbtools.checks.base import Check


def default_checks() -> list[Check]:
    """Every checker, in the order they run."""
    from kbtools.checks.external import ExternalCheck
    from kbtools.checks.frontmatter import FrontmatterCheck
    from kbtools.checks.links import LinksCheck
    from kbtools.checks.secrets import SecretsCheck
    from kbtools.checks.structure import StructureCheck
    from kbtools.checks.style import StyleCheck

    return [
        FrontmatterCheck(),
        StructureCheck(),
        LinksCheck(),
        ExternalCheck(),
        SecretsCheck(),
        StyleCheck(),
    ]
