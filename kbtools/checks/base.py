"""The check interface: a Document (plus project context) in, Findings out. Checks never print."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbtools.findings import Finding, Severity
from kbtools.rules import RuleInfo

if TYPE_CHECKING:
    from kbtools.document import Document
    from kbtools.project import Project


@dataclass
class LintOptions:
    """What the user asked of this run (from the command line)."""

    external: bool = False
    style: str = "auto"
    changed_since: str | None = None
    progress: bool = False


@dataclass
class LintContext:
    """What checks may know beyond one file: the project and every document in it.

    `documents` maps docs_dir-relative POSIX paths to parsed Documents for every Markdown
    file of the site (loaded once; checks must not re-read files). `targets` is the set of
    those paths whose findings are reported in this run (all of them unless --changed-since
    or explicit paths narrowed the run).
    """

    project: Project
    documents: Mapping[str, Document]
    targets: set[str]
    options: LintOptions = field(default_factory=LintOptions)
    notes: list[str] = field(default_factory=list)
    """Lines the run reports once (e.g. which style engine ran, skipped rule types)."""

    def note(self, message: str) -> None:
        """Record a run-level note once."""
        if message not in self.notes:
            self.notes.append(message)

    def target_documents(self) -> list[Document]:
        """The documents whose findings this run reports, in path order."""
        return [self.documents[p] for p in sorted(self.targets) if p in self.documents]


class Check:
    """Base class of every checker module. Override one or both methods.

    `check_document` runs once per target document; `check_project` runs once per run with
    the whole context (for rules that compare files: unique ids, orphans, external URLs).
    """

    name: str = ""
    rules: tuple[RuleInfo, ...] = ()

    def check_document(self, doc: Document, ctx: LintContext) -> Iterable[Finding]:
        """Findings for one document."""
        return ()

    def check_project(self, ctx: LintContext) -> Iterable[Finding]:
        """Findings that need more than one document."""
        return ()


def finding(
    rule: RuleInfo,
    path: str,
    line: int,
    column: int,
    message: str,
    *,
    match: str = "",
    severity: Severity | None = None,
    help: str = "",
    suggestion: str = "",
    end_column: int | None = None,
) -> Finding:
    """A Finding for a registered rule at its default severity (selection may change it)."""
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        path=path,
        line=line,
        column=column,
        message=message,
        match=match,
        help=help or rule.help,
        suggestion=suggestion,
        end_column=end_column,
    )


def all_rules(checks: Sequence[Check]) -> list[RuleInfo]:
    """Every rule the given checks declare."""
    return [rule for check in checks for rule in check.rules]
