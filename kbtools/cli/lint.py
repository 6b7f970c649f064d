"""`kb lint`: check the docs tree and report findings in a format CI systems understand."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtools import __version__
from kbtools.cli.options import config_file_option
from kbtools.errors import ExitCode, InputError
from kbtools.wording import plural

if TYPE_CHECKING:
    from kbtools.checks.base import LintContext


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@config_file_option
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "sarif", "github", "junit"]),
    help="Output format: text for people, github for Actions annotations, sarif for code scanning.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Lint only files changed since the git REF, and files linking to what the change moved or removed.",
)
@click.option(
    "--external",
    is_flag=True,
    help="Also check http(s) links over the network (cached in .kb-cache/).",
)
@click.option(
    "--style",
    type=click.Choice(["auto", "vale", "builtin", "off"]),
    default=None,
    help="Prose style engine [default: plugins.kb.lint.style.engine, or auto: Vale if on PATH, else built-in].",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "suggestion"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Ignore findings recorded in this baseline file; only new ones count.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record every current finding in FILE and exit 0.",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour text output [default: when stdout is a terminal].",
)
def lint_command(
    paths: tuple[str, ...],
    config_file: str | None,
    output_format: str,
    output: str | None,
    changed_since: str | None,
    external: bool,
    style: str | None,
    fail_on: str,
    baseline: str | None,
    write_baseline: str | None,
    color: bool | None,
) -> int:
    """Check links, front matter, structure, secrets and style of the docs.

    With no PATHS, lints every Markdown file under docs_dir. Exit status: 0 when nothing is
    at or above --fail-on, 1 when something is, 2 for usage, config or input errors.
    """
    from kbtools.atomic import write_text_atomic
    from kbtools.checks.base import LintOptions
    from kbtools.findings import Severity
    from kbtools.lint.baseline import filter_new, load_baseline
    from kbtools.lint.baseline import write_baseline as save_baseline
    from kbtools.lint.runner import run_lint
    from kbtools.project import Project
    from kbtools.reporters import REPORTERS, ReportOptions

    project = Project.load(config_file)
    options = LintOptions(
        external=external,
        style=style or project.kb.lint.style.engine,
        changed_since=changed_since,
        progress=sys.stderr.isatty() and not os.environ.get("CI"),
    )
    target_filter = None
    if changed_since:
        target_filter = _changed_filter(changed_since)
    result = run_lint(project, paths, options, target_filter=target_filter)

    if write_baseline:
        count = save_baseline(Path(write_baseline), result.findings)
        click.echo(f"kb: wrote {plural(count, 'finding')} to baseline {write_baseline}", err=True)
        return int(ExitCode.OK)
    if baseline:
        result.findings = filter_new(result.findings, load_baseline(Path(baseline)))

    threshold = Severity.parse(fail_on)
    use_color = sys.stdout.isatty() if color is None else color
    report_options = ReportOptions(
        color=use_color and output is None and output_format == "text",
        fail_on=threshold,
        tool_version=__version__,
    )
    report = REPORTERS[output_format](result, report_options)
    if output:
        write_text_atomic(Path(output), report)
        click.echo(f"kb: wrote {output_format} report to {output}", err=True)
    else:
        click.echo(report, nl=False, color=report_options.color)
    return int(ExitCode.FINDINGS if result.fails(threshold) else ExitCode.OK)


def _changed_filter(ref: str) -> Callable[[LintContext], set[str]]:
    try:
        changed = importlib.import_module("kbtools.lint.changed")
    except ImportError:
        raise InputError("--changed-since is not available yet") from None

    def narrow(ctx: LintContext) -> set[str]:
        return set(changed.changed_targets(ctx.project, ref, ctx.documents)) & ctx.targets

    return narrow
