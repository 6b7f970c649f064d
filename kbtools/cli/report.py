"""`kb report`: recurring problems, stale articles, quality and coverage of the KB."""

from __future__ import annotations

from pathlib import Path

import click

from kbtools.cli.options import config_file_option


@click.command("report")
@click.option(
    "--since",
    metavar="DATE",
    help="Count tickets added on or after DATE (YYYY-MM-DD, YYYY-MM, or 90d, 12w, 6m, 1y back). Needs git.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text for a terminal, json for scripts, html for a self-contained page with charts.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option("--area", metavar="AREA", help="Only the articles of this product area.")
@config_file_option
def report_command(
    since: str | None,
    output_format: str,
    output: str | None,
    area: str | None,
    config_file: str | None,
) -> int:
    """Show which problems keep coming back and which articles need attention.

    Ticket history comes from git (the articles folder's log, renames followed); without
    git the report gives what front matter alone says. Exit 0 (the report is information,
    not a check); 2 for bad config, a bad --since, or --since without git history.
    """
    from kbtools.atomic import write_text_atomic
    from kbtools.clock import today
    from kbtools.project import Project
    from kbtools.report import render_html, render_json, render_text
    from kbtools.report.build import build_report, parse_since

    project = Project.load(config_file)
    day = today()
    start = parse_since(since, day) if since is not None else None
    report = build_report(project, day, since=start, area=area)
    if output_format == "json":
        text = render_json.render(report)
    elif output_format == "html":
        where = Path(output).resolve().parent if output else Path.cwd()
        text = render_html.render(report, root=project.root, out_dir=where)
    else:
        text = render_text.render(report)
    if output:
        write_text_atomic(Path(output), text)
        click.echo(f"kb: wrote {output_format} report to {output}", err=True)
    else:
        click.echo(text, nl=False)
    return 0
