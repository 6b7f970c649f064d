"""`kb build` and `kb serve`: the MkDocs site with the `kb` plugin, for one audience."""

from __future__ import annotations

from pathlib import Path

import click

from kbtools.cli.options import config_file_option
from kbtools.config import find_config_file

_AUDIENCE = click.Choice(["public", "internal"])


@click.command("build")
@click.option(
    "--audience",
    type=_AUDIENCE,
    default=None,
    help="Who the site is for (default: plugins.kb.site.audience, which defaults to public).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on any warning.")
@click.option(
    "-d", "--site-dir", type=click.Path(file_okay=False), default=None, help="Output directory."
)
@click.option("-v", "--verbose", is_flag=True, help="Also print MkDocs' info lines.")
@config_file_option
def build_command(
    audience: str | None, strict: bool, site_dir: str | None, verbose: bool, config_file: str | None
) -> int:
    """Build the site. The public build holds only published public pages.

    Exit 0 built; 1 failed (warnings under --strict, rendering errors); 2 bad config.
    """
    from kbtools.site import runner
    from kbtools.site.stats import human

    path = find_config_file(Path.cwd(), config_file)
    with runner.mkdocs_logging(verbose):
        target = str(Path(site_dir).resolve()) if site_dir else None
        result = runner.build(path, audience=audience, strict=strict, site_dir=target)
    stats = result.stats
    click.echo(
        f"Built the {result.audience} site in {result.seconds:.1f} s: {stats.pages} pages, "
        f"{human(stats.total_bytes)} in total, average page {human(stats.average_page_bytes)}, "
        f"search index {human(stats.search_index_bytes)} -> {result.site_dir}"
    )
    return 0


@click.command("serve")
@click.option("--audience", type=_AUDIENCE, default=None, help="Who the preview is for.")
@click.option("-a", "--dev-addr", default=None, metavar="IP:PORT", help="Address to serve on.")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@config_file_option
def serve_command(
    audience: str | None, dev_addr: str | None, strict: bool, config_file: str | None
) -> int:
    """Preview the site with live reload (Ctrl-C stops it)."""
    from kbtools.site import runner

    path = find_config_file(Path.cwd(), config_file)
    with runner.mkdocs_logging(verbose=True):
        runner.serve(path, audience=audience, dev_addr=dev_addr, strict=strict)
    return 0
