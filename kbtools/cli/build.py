"""`kb build` and `kb serve`: the MkDocs site with the `kb` plugin."""

from __future__ import annotations

import click

from kbtools.errors import InputError


@click.command("build")
def build_command() -> int:
    """Build the site (not available yet)."""
    raise InputError("kb build is not available yet")


@click.command("serve")
def serve_command() -> int:
    """Preview the site (not available yet)."""
    raise InputError("kb serve is not available yet")
