"""`kb triage`: the article or docs section that already solved a pasted error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kbtools.cli.options import config_file_option
from kbtools.errors import ExitCode, InputError


class _MinScoreOption(click.Option):
    """`--min-score`: its help names the default threshold of rules.json, read only when the
    help is shown (every `kb` start imports this module)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from kbtools.match import rules as rules_module

        threshold = rules_module.load().ranking["threshold"]
        self.help = (
            f"Abstain when the best score is below this (default: {threshold}, which hides"
            " no answer of the labelled sets)."
        )
        return super().get_help_record(ctx)


@click.command("triage")
@click.argument("source", required=False)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Most matches to show.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (version 1).")
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="Search what this audience's site holds (public: for answers sent to customers).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(min=0.0, max=1.0),
    default=None,
    cls=_MinScoreOption,
)
@config_file_option
def triage_command(
    source: str | None,
    top: int,
    as_json: bool,
    audience: str,
    min_score: float | None,
    config_file: str | None,
) -> int:
    """Find the KB article, FAQ entry or docs section that matches SOURCE.

    SOURCE is a file or - for stdin: a log excerpt, an error message, a ticket write-up or
    a Zendesk export. Exit 0 whether or not something matched (the output says when
    nothing did), 2 for unusable input.
    """
    from kbtools.project import Project
    from kbtools.triage.render import render
    from kbtools.triage.search import search

    text, name = _read(source)
    project = Project.load(config_file)
    result = search(project, text, audience=audience, top=top, min_score=min_score, name=name)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(render(result), nl=False)
    return int(ExitCode.OK)


def _read(source: str | None) -> tuple[str, str]:
    # The same reading and decoding rules as `kb new` (binary and bad UTF-8 are exit 2).
    from kbtools.cli.new import _decode

    if source is None:
        if sys.stdin.isatty():
            raise InputError("no SOURCE given: pass a file, or - to read the text from stdin")
        source = "-"
    if source == "-":
        return _decode(sys.stdin.buffer.read(), "<stdin>"), ""
    path = Path(source)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{source}: is a folder, not a text") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    return _decode(data, source), path.name
