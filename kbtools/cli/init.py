"""`kb init`: scaffold a KB repository."""

from __future__ import annotations

import click

from kbtools.errors import InputError


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def init_command(directory: str) -> int:
    """Scaffold a KB repository in DIRECTORY (not available yet)."""
    raise InputError("kb init is not available yet")
