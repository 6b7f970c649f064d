"""Secrets and personal data in pages (secrets.*), sharing detectors with kb new."""

from __future__ import annotations

from kbtools.checks.base import Check


class SecretsCheck(Check):
    """Not implemented yet: declares no rules and finds nothing."""

    name = "secrets"
