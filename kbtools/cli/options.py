"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def config_file_option(func: F) -> F:
    """`-f/--config-file`: the mkdocs.yml to use instead of searching upward."""
    return click.option(
        "-f",
        "--config-file",
        type=click.Path(dir_okay=False),
        default=None,
        help="mkdocs.yml to use (default: the nearest one upward from the current directory).",
    )(func)
