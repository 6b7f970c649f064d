"""The `kb` command line: a click group with one module per command; `main(argv) -> int`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from kbtools import __version__
from kbtools.errors import ExitCode, KbError, exit_code_table


def _exit_code_epilog() -> str:
    rows = "\n".join(f"  {code:<4} {meaning}" for code, meaning in exit_code_table())
    return f"\b\nExit status (every command):\n{rows}"


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=_exit_code_epilog(),
)
@click.version_option(__version__, "-V", "--version", prog_name="kb")
def cli() -> None:
    """Knowledge-base tools for support teams whose KB is an MkDocs site in git.

    \b
      kb new notes.md        turn a resolved ticket's write-up into a KB article
      kb triage logs.txt     find the article or docs section that already solved it
      kb lint                check links, front matter, structure and style
      kb build / kb serve    build or preview the searchable site
      kb report              recurring problems, stale articles, coverage
      kb init DIR            start a new KB repository

    Every command finds mkdocs.yml upward from the current directory (-f overrides).
    """


def _register() -> None:
    from kbtools.cli import build, init, lint, new, report, triage

    cli.add_command(init.init_command)
    cli.add_command(new.new_command)
    cli.add_command(triage.triage_command)
    cli.add_command(lint.lint_command)
    cli.add_command(build.build_command)
    cli.add_command(build.serve_command)
    cli.add_command(report.report_command)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Run `kb` with these arguments and return the exit code (never raises for user errors).

    The one error path of the CLI: every expected failure becomes one `kb: error:` line on
    stderr and its exit code from `kbtools.errors.ExitCode`.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="kb", standalone_mode=False)
    except KbError as exc:
        return _fail(exc.line(), exc.exit_code)
    except click.exceptions.Abort as exc:
        # click turns Ctrl-C (and end of input at a prompt) into Abort.
        if isinstance(exc.__context__, EOFError):
            return _fail("the input ended before every question was answered", ExitCode.USAGE)
        return _interrupted()
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        return _fail(f"{exc.format_message()}{hint}", ExitCode.USAGE)
    except click.ClickException as exc:
        return _fail(exc.format_message(), ExitCode.USAGE)
    except KeyboardInterrupt:
        return _interrupted()
    except OSError as exc:
        # A file, folder or socket the command needed and could not use.
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}", ExitCode.USAGE)
    return int(result) if isinstance(result, int) else int(ExitCode.OK)


def _fail(message: str, code: ExitCode) -> int:
    click.echo(f"kb: error: {message}", err=True)
    return int(code)


def _interrupted() -> int:
    click.echo("kb: interrupted", err=True)
    return int(ExitCode.INTERRUPTED)
