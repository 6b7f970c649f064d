"""The `kb` command line: a click group with one module per command; `main(argv) -> int`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from kbtools import __version__
from kbtools.errors import ExitCode, KbError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="kb")
def cli() -> None:
    """Knowledge-base tools for support teams whose KB is an MkDocs site in git.

    \b
      kb new notes.md        turn a resolved ticket's write-up into a KB article
      kb lint                check links, front matter, structure and style
      kb build / kb serve    build or preview the searchable site
      kb report              recurring problems, stale articles, coverage
      kb init DIR            start a new KB repository

    Every command finds mkdocs.yml upward from the current directory (-f overrides).
    """


def _register() -> None:
    from kbtools.cli import build, init, lint, new, report

    cli.add_command(init.init_command)
    cli.add_command(new.new_command)
    cli.add_command(lint.lint_command)
    cli.add_command(build.build_command)
    cli.add_command(build.serve_command)
    cli.add_command(report.report_command)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Run `kb` with these arguments and return the exit code (never raises for user errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="kb", standalone_mode=False)
    except KbError as exc:
        click.echo(f"kb: error: {exc}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("kb: aborted", err=True)
        return int(ExitCode.USAGE)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        click.echo("kb: interrupted", err=True)
        return 130
    return int(result) if isinstance(result, int) else int(ExitCode.OK)
