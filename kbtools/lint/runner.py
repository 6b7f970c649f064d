"""The lint run: load every Markdown file once, run the checks, apply selection and pragmas."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kbtools.checks import default_checks
from kbtools.checks.base import Check, LintContext, LintOptions, finding
from kbtools.errors import ConfigError, KbError
from kbtools.findings import Finding, Severity, sort_findings
from kbtools.lint.collector import collector_paused
from kbtools.lint.documents import DocumentStore
from kbtools.lint.selection import Selection
from kbtools.lint.suppress import parse_pragmas
from kbtools.project import Project
from kbtools.rules import RuleInfo, RuleRegistry

FILE_READ = RuleInfo("file.read", Severity.ERROR, "The file cannot be read as Markdown text.")
FILE_ENCODING = RuleInfo("file.encoding", Severity.ERROR, "The file is not valid UTF-8.")
FILE_OUTSIDE = RuleInfo(
    "file.outside", Severity.ERROR, "A path given to kb lint is outside docs_dir."
)
FILE_MISSING = RuleInfo("file.missing", Severity.ERROR, "A path given to kb lint does not exist.")
FILE_SYMLINK_LOOP = RuleInfo(
    "file.symlink-loop", Severity.WARNING, "A symbolic link loop under docs_dir."
)
CHECK_CRASH = RuleInfo(
    "internal.check-error", Severity.ERROR, "A checker failed on this file (a bug in kbtools)."
)
RUN_RULES = (FILE_READ, FILE_ENCODING, FILE_OUTSIDE, FILE_MISSING, FILE_SYMLINK_LOOP, CHECK_CRASH)
_SKIP_RULES = {rule.id: rule for rule in RUN_RULES}


@dataclass
class LintResult:
    """What a run found, over which files, and how long it took."""

    findings: list[Finding]
    files: list[str]
    registry: RuleRegistry
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0
    suppressed: int = 0

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    def fails(self, fail_on: Severity) -> bool:
        """True when a finding is at or above `fail_on`."""
        return any(f.severity.rank >= fail_on.rank for f in self.findings)


def run_lint(
    project: Project,
    paths: Sequence[str] = (),
    options: LintOptions | None = None,
    checks: Sequence[Check] | None = None,
    target_filter: Callable[[LintContext], set[str]] | None = None,
) -> LintResult:
    """Lint the project's docs (or `paths`) and return every selected, unsuppressed finding."""
    with collector_paused():
        return _run(project, paths, options, checks, target_filter)


def _run(
    project: Project,
    paths: Sequence[str],
    options: LintOptions | None,
    checks: Sequence[Check] | None,
    target_filter: Callable[[LintContext], set[str]] | None,
) -> LintResult:
    started = time.perf_counter()
    if not project.docs_dir.is_dir():
        raise ConfigError(
            f"{project.config.path}: docs_dir '{project.rel(project.docs_dir)}' does not exist"
        )
    options = options or LintOptions()
    selection = Selection(project.kb.lint.rules)
    # A check whose every rule is `off` does not run (nor, by prefix, get imported).
    checks = list(default_checks(skip=selection.silences) if checks is None else checks)
    checks = [c for c in checks if not selection.silences("", [r.id for r in c.rules])]
    registry = RuleRegistry(RUN_RULES)
    for check in checks:
        for rule in check.rules:
            registry.add(rule)

    findings: list[Finding] = []
    files: dict[str, Path] = {}
    for path in project.markdown_files():
        docs_rel = project.docs_rel(path)
        if docs_rel is not None and not project.is_excluded(docs_rel):
            files.setdefault(docs_rel, path)
    # Parsed on demand: a --changed-since run parses only what its few targets need.
    documents = DocumentStore(project, files)
    if target_filter is None:
        documents.load_all()

    if paths:
        targets = {
            docs_rel
            for path in project.resolve_arguments(paths)
            if (docs_rel := project.docs_rel(path)) is not None
        }
    else:
        targets = set(documents.paths())
    ctx = LintContext(project=project, documents=documents, targets=targets, options=options)
    if target_filter is not None:
        ctx.targets = target_filter(ctx)

    for skipped in project.skipped:
        rule = _SKIP_RULES[skipped.rule]
        findings.append(
            finding(rule, project.rel(skipped.path, resolve=False), 1, 1, skipped.reason)
        )

    for doc in ctx.target_documents():
        for check in checks:
            findings.extend(_guarded(check, doc.rel_path, partial(check.check_document, doc, ctx)))
    config_path = project.rel(project.config.path)
    for check in checks:
        findings.extend(_guarded(check, config_path, partial(check.check_project, ctx)))
    for key in sorted(ctx.targets & documents.errors.keys()):
        exc = documents.errors[key]
        rule = FILE_ENCODING if "UTF-8" in exc.message else FILE_READ
        findings.append(finding(rule, project.rel(files[key]), exc.line, exc.column, exc.message))

    pragmas = {doc.rel_path: parse_pragmas(doc) for doc in documents.loaded() if doc.comments}
    kept: list[Finding] = []
    suppressed = 0
    for item in findings:
        selected = selection.apply(item)
        if selected is None:
            continue
        suppressions = pragmas.get(selected.path)
        if suppressions is not None and suppressions.suppresses(selected):
            suppressed += 1
            continue
        kept.append(selected)

    linted = sorted(project.rel(files[p]) for p in ctx.targets if p in files)
    return LintResult(
        findings=sort_findings(kept),
        files=linted,
        registry=registry,
        notes=list(ctx.notes),
        duration=time.perf_counter() - started,
        suppressed=suppressed,
    )


def _guarded(check: Check, where: str, call: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """Run a checker; a crash becomes a finding instead of ending the run."""
    try:
        return list(call())
    except KbError:
        raise  # unusable configuration (e.g. a broken style) ends the run with exit 2
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"checker '{check.name}' failed: {type(exc).__name__}: {exc} "
            f"({Path(frame.filename).name}:{frame.lineno})"
        )
        return [finding(CHECK_CRASH, where, 1, 1, message)]
