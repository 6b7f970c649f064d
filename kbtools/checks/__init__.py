"""Checkers, one module each; this list is the registry the lint runner uses."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from kbtools.checks.base import Check

REGISTRY = (
    ("frontmatter", "frontmatter", "kbtools.checks.frontmatter", "FrontmatterCheck"),
    ("structure", "structure", "kbtools.checks.structure", "StructureCheck"),
    ("links", "links", "kbtools.checks.links", "LinksCheck"),
    ("external", "links.external", "kbtools.checks.external", "ExternalCheck"),
    ("secrets", "secrets", "kbtools.checks.secrets", "SecretsCheck"),
    ("style", "style", "kbtools.checks.style", "StyleCheck"),
    ("site", "site", "kbtools.checks.site", "SiteCheck"),
)
"""(name, prefix of its rule ids, module, class) of every checker, in the order they run."""


def default_checks(skip: Callable[[str], bool] | None = None) -> list[Check]:
    """Every checker, in the order they run.

    `skip(prefix)` leaves a checker out, by the prefix of its rule ids, without importing its
    module (the runner passes the rule selection: a check whose prefix is `off` costs nothing).
    """
    checks: list[Check] = []
    for name, prefix, module, cls in REGISTRY:
        if skip is not None and skip(prefix):
            continue
        check = getattr(importlib.import_module(module), cls)()
        assert isinstance(check, Check) and check.name == name
        checks.append(check)
    return checks
