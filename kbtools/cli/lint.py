"""`kb lint`: check the docs tree and report findings."""

from __future__ import annotations

import click

from kbtools.errors import InputError


@click.command("lint")
def lint_command() -> int:
    """Lint the docs (being built)."""
    raise InputError("kb lint is not available yet")
