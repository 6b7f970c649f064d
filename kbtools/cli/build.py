"""`kb build` and `kb serve`: the MkDocs site with the `kb` plugin, for one audience."""

from __future__ import annotations

from pathlib import Path

import click

from kbtools import config
from kbtools.cli.options import config_file_option
from kbtools.config import find_config_file
from kbtools.site import audience as audiences
from kbtools.wording import plural

_AUDIENCE = click.Choice(["public", "internal"])
_ENGINE = click.Choice(["mkdocs", "properdocs", "zensical"])
_ENGINE_HELP = (
    "Engine run on the staged tree (default: plugins.kb.site.engine, which defaults to "
    "mkdocs). properdocs and zensical are extras: pip install 'kbtools[zensical]'."
)


@click.command("build")
@click.option(
    "--audience",
    type=_AUDIENCE,
    default=None,
    help="Who the site is for (default: plugins.kb.site.audience, which defaults to public). "
    "An internal build goes to site-internal/ unless -d says otherwise.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on any warning.")
@click.option(
    "-d", "--site-dir", type=click.Path(file_okay=False), default=None, help="Output directory."
)
@click.option("--engine", type=_ENGINE, default=None, help=_ENGINE_HELP)
@click.option("-v", "--verbose", is_flag=True, help="Also print the engine's info lines.")
@config_file_option
def build_command(
    audience: str | None,
    strict: bool,
    site_dir: str | None,
    engine: str | None,
    verbose: bool,
    config_file: str | None,
) -> int:
    """Build the site: stage the audience's pages into .kb-cache/stage/, then run the engine.

    The public build holds only published public pages, whatever the engine.

    Exit 0 built; 1 failed (warnings under --strict, rendering errors); 2 bad config.
    """
    from kbtools.site import runner
    from kbtools.site.stats import human

    path = find_config_file(Path.cwd(), config_file)
    site = config.load(path)  # the kb options, validated as every other command does
    effective = audience or site.kb.site.audience
    if site_dir:
        target = str(Path(site_dir).resolve())
    else:
        target = str(audiences.default_site_dir(effective, site.site_dir))
    with runner.mkdocs_logging(verbose):
        result = runner.build(
            path, audience=audience, strict=strict, site_dir=target, engine=engine, verbose=verbose
        )
    stats = result.stats
    click.echo(
        f"Built the {result.audience} site with {result.engine} in {result.seconds:.1f} s: "
        f"{plural(stats.pages, 'page')}, "
        f"{human(stats.total_bytes)} in total, average page {human(stats.average_page_bytes)}, "
        f"search index {human(stats.search_index_bytes)} -> {result.site_dir}"
    )
    if result.audience == "public" and not site.raw.get("site_url"):
        click.echo(
            f"kb: warning: {path.name} has no site_url: the sitemap stays empty and the 404 page "
            "links root paths; set site_url to the address the site is published at",
            err=True,
        )
    return 0


@click.command("serve")
@click.option(
    "--audience",
    type=_AUDIENCE,
    default=audiences.PREVIEW_AUDIENCE,
    show_default=True,
    help="Who the preview is for: internal shows drafts and internal pages, each with a "
    '"not public" banner; public shows exactly the public site.',
)
@click.option("-a", "--dev-addr", default=None, metavar="IP:PORT", help="Address to serve on.")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@click.option("--engine", type=_ENGINE, default=None, help=_ENGINE_HELP)
@config_file_option
def serve_command(
    audience: str,
    dev_addr: str | None,
    strict: bool,
    engine: str | None,
    config_file: str | None,
) -> int:
    """Preview the site with live reload; the docs are restaged on change (Ctrl-C stops it).

    Exit 0 stopped with Ctrl-C; 2 bad config, or the address is in use or invalid.
    """
    from kbtools.site import address, runner

    if dev_addr:
        host, port = address.parse(dev_addr)
        dev_addr = f"{host}:{port}"
    path = find_config_file(Path.cwd(), config_file)
    config.load(path)  # the kb options, validated as every other command does
    with runner.mkdocs_logging(verbose=True):
        runner.serve(path, audience=audience, dev_addr=dev_addr, strict=strict, engine=engine)
    return 0
