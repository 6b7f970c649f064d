"""`kb new`: turn a resolved ticket's write-up into a KB article."""

from __future__ import annotations

import click

from kbtools.errors import InputError


@click.command("new")
@click.argument("source", required=False)
def new_command(source: str | None) -> int:
    """Create a KB article from SOURCE (not available yet)."""
    raise InputError("kb new is not available yet")
