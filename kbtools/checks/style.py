"""Prose style: Vale styles through Vale or the built-in engine (style.*)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kbtools.checks.base import Check, LintContext
from kbtools.engines.vale import ValeAlert, run_vale, usable_vale
from kbtools.errors import ConfigError
from kbtools.findings import Finding, Severity
from kbtools.parallel import run_forked, split_by_size, worker_count
from kbtools.wording import plural

if TYPE_CHECKING:
    from kbtools.valecompat.engine import Engine

ENGINES = ("auto", "vale", "builtin", "off")


@dataclass
class StyleRun:
    """Findings of one style run plus the notes the run should print."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    engine: str = ""


def choose_engine(requested: str) -> tuple[str, str | None, str]:
    """(engine, vale binary, note) for `auto`, `vale` or `builtin`."""
    if requested == "builtin":
        return "builtin", None, "style: built-in Vale engine (--style builtin)"
    binary, detail = usable_vale()
    if requested == "vale":
        if binary is None:
            raise ConfigError(f"--style vale: {detail} (install Vale or use --style builtin)")
        return "vale", binary, f"style: vale {detail}"
    if binary is None:
        return "builtin", None, f"style: built-in Vale engine ({detail})"
    return "vale", binary, f"style: vale {detail}"


def run_style(
    root: Path,
    config: Path,
    documents: Sequence[tuple[str, str]],
    engine: str = "auto",
) -> StyleRun:
    """Lint (root-relative path, text) pairs with the styles of `config`; one engine run."""
    if engine == "off":
        return StyleRun(notes=["style: off"], engine="off")
    chosen, binary, note = choose_engine(engine)
    run = StyleRun(notes=[note], engine=chosen)
    if chosen == "vale" and binary is not None:
        alerts = run_vale(binary, config, [path for path, _ in documents], root)
        run.findings = [_finding(a) for a in alerts]
        return run
    _run_builtin(config, documents, run)
    return run


PARALLEL_THRESHOLD = 32
"""Below this many documents, forking workers for the built-in engine costs more than it saves."""


def _run_builtin(config: Path, documents: Sequence[tuple[str, str]], run: StyleRun) -> None:
    from kbtools.valecompat.config import ValeConfigError, load_config
    from kbtools.valecompat.engine import Engine
    from kbtools.valecompat.regex import RegexError

    try:
        engine = Engine(load_config(config))
        wanted = [(path, text) for path, text in documents if engine.wants(path)]
        run.findings.extend(_lint_shared(engine, wanted))
    except (ValeConfigError, RegexError) as exc:
        raise ConfigError(f"{config}: {exc}") from None
    skipped = engine.skipped_rules
    if skipped:
        listed = ", ".join(f"{name} ({kind})" for name, kind in sorted(skipped.items()))
        run.notes.append(f"style: built-in engine skipped {plural(len(skipped), 'rule')}: {listed}")


def _lint_shared(engine: Engine, documents: list[tuple[str, str]]) -> list[Finding]:
    """Lint documents with the built-in engine, shared over worker processes when it pays.

    Each file is linted on its own (Vale keeps no state across files), so the findings are
    the same whichever process lints a file; the runner sorts them afterwards.
    """
    workers = worker_count()
    if len(documents) < PARALLEL_THRESHOLD or workers == 1:
        return _lint_documents(engine, documents)
    sizes = {index: len(text) for index, (_, text) in enumerate(documents)}
    own, *others = split_by_size(list(sizes), sizes, workers)
    found: list[Finding] = []

    def lint_share(share: Sequence[int]) -> list[Finding]:
        return _lint_documents(engine, [documents[i] for i in share])

    def lint_own() -> None:
        found.extend(lint_share(own))

    try:
        results = run_forked(others, lint_share, lint_own)
    except OSError:  # no worker could start: lint everything here
        return _lint_documents(engine, documents)
    for share, result in zip(others, results, strict=True):
        found.extend(result if result is not None else lint_share(share))
    return found


def _lint_documents(engine: Engine, documents: Sequence[tuple[str, str]]) -> list[Finding]:
    findings: list[Finding] = []
    for path, text in documents:
        linted = engine.lint_text(path, text)
        findings.extend(
            _finding(
                ValeAlert(
                    path=path,
                    line=a.line,
                    start=a.span[0],
                    end=a.span[1],
                    check=a.check,
                    severity=a.severity,
                    message=a.message,
                    match=a.match,
                    link=a.link,
                    description=a.description,
                    replacements=tuple(a.action_params),
                )
            )
            for a in linted.alerts
        )
    return findings


def _finding(alert: ValeAlert) -> Finding:
    severity = Severity.parse(alert.severity) if alert.severity else Severity.WARNING
    suggestion = alert.replacements[0] if len(alert.replacements) == 1 else ""
    return Finding(
        rule="style." + alert.check,
        severity=severity,
        path=alert.path,
        line=alert.line,
        column=alert.start,
        message=alert.message,
        match=alert.match,
        end_column=alert.end + 1,
        help=alert.link or alert.description,
        suggestion=suggestion,
    )


class StyleCheck(Check):
    """Runs the project's Vale styles once over the target documents."""

    name = "style"

    def check_project(self, ctx: LintContext) -> Iterable[Finding]:
        """One engine run over ctx.target_documents(); notes say which engine ran."""
        project = ctx.project
        style = project.kb.lint.style
        requested = (ctx.options.style or style.engine or "auto").lower()
        if requested not in ENGINES:
            raise ConfigError(f"--style: expected one of {', '.join(ENGINES)}, got {requested!r}")
        if requested == "off":
            return []
        config = (project.root / style.config).resolve()
        if not config.is_file():
            ctx.note(f"style: skipped (no {style.config} in {project.root})")
            return []
        documents = [(doc.rel_path, doc.text) for doc in ctx.target_documents()]
        run = run_style(project.root, config, documents, requested)
        for note in run.notes:
            ctx.note(note)
        return run.findings
