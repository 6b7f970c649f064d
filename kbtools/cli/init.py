"""`kb init`: scaffold a KB repository."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from kbtools.errors import ExitCode
from kbtools.scaffold import DEFAULT_SITE_NAME


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option(
    "--site-name",
    default=DEFAULT_SITE_NAME,
    show_default=True,
    help="site_name in mkdocs.yml.",
)
@click.option(
    "--product-area",
    "product_areas",
    multiple=True,
    metavar="AREA",
    help="A product area (repeat for more; the first holds the example article) "
    "[default: install, upgrades, general].",
)
def init_command(directory: str, site_name: str, product_areas: tuple[str, ...]) -> int:
    """Scaffold a KB repository in DIRECTORY (default: the current folder).

    Writes mkdocs.yml, docs/, an example article (an internal draft), the house Vale style,
    CONTRIBUTING.md for writers, requirements.txt pinning this kbtools version, .gitignore
    and a GitHub Actions workflow that installs it. Existing files are never overwritten: they are listed as skipped.
    """
    from kbtools.scaffold import scaffold

    result = scaffold(Path(directory), site_name, product_areas)
    for path in sorted([*result.created, *result.skipped]):
        if path in result.created:
            click.echo(f"created  {path}")
        else:
            click.echo(f"skipped  {path} ({result.reasons.get(path, 'exists')})")
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"kb init: {len(result.created)} created, {len(result.skipped)} skipped in {directory}",
        err=True,
    )
    if result.created:
        here = Path(directory).resolve() == Path.cwd().resolve()
        cd = "" if here else f"cd {shlex.quote(directory)} && "
        click.echo(f"next: {cd}kb lint && kb serve (see CONTRIBUTING.md)", err=True)
    return int(ExitCode.OK)
