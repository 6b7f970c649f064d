"""Run the secrets check over a docs tree and list every flagged page (false-positive audit).

Usage: python benchmarks/secrets_corpus.py ROOT [--site-url URL] [--show] [--allowed] [--raw]
       python benchmarks/secrets_corpus.py tests/fixtures/handbook-secrets --labels
ROOT holds mkdocs.yml. Pages count as public. `--site-url` sets `site_url` (the own domain).
`--show` prints the flagged text with its line (for the audit only; the check itself never
reports values); `--allowed` counts the detections the lint-only precision rules let pass,
by reason; `--raw` runs without those rules (the check as it was before them). `--labels`
scores the run against ROOT/expected.json (precision and recall), after filling the token
markers of tests/sensitive/planted.py into a copy of the tree.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kbtools.checks.base import LintContext
from kbtools.checks.secrets import RULES, SecretsCheck, docs_policy
from kbtools.document import Document, load_document
from kbtools.project import Project
from kbtools.sensitive import RedactionContext, find
from kbtools.sensitive.published import PageText, allowed

_LINT_KINDS = {rule.id.removeprefix("secrets.") for rule in RULES}


@dataclass
class Scan:
    """What the secrets check reported on one tree."""

    pages: int = 0
    flagged: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def findings(self) -> int:
        """Findings in all."""
        return sum(len(items) for items in self.flagged.values())


def scan(
    root: Path,
    *,
    site_url: str | None = None,
    raw: bool = False,
    show: bool = False,
    reasons: bool = False,
) -> Scan:
    """Run SecretsCheck on every page under ROOT (public); `raw` skips the precision rules;
    `reasons` also counts what they let through (a second detection pass per page)."""
    project = Project.load(start=root)
    project.config.kb.pages_public_by_default = True
    if site_url:
        project.config.raw["site_url"] = site_url
    started = time.perf_counter()
    docs: dict[str, Document] = {}
    for path in project.markdown_files():
        rel = project.docs_rel(path) or path.name
        docs[rel] = load_document(path, rel, project.config.toc)
    ctx = LintContext(project=project, documents=docs, targets=set(docs))
    check = SecretsCheck()
    policy = docs_policy(ctx)
    context = RedactionContext(internal_domains=list(project.kb.new.internal_domains))
    result = Scan(pages=len(docs))
    for rel, doc in sorted(docs.items()):
        if reasons:
            page = PageText(doc.text)
            for d in find(doc.text, context, private_addresses=False):
                reason = allowed(page, d, policy)
                if reason and d.kind in _LINT_KINDS:
                    result.reasons[f"{d.kind}: {reason}"] += 1
        if raw:
            items = [
                (*doc.position(d.start), f"secrets.{d.kind}")
                for d in find(doc.text, context, private_addresses=False)
                if d.kind in _LINT_KINDS
            ]
        else:
            items = [(f.line, f.column, f.rule) for f in check.check_document(doc, ctx)]
        if items:
            result.flagged[rel] = items
            if show:
                for line, col, rule in items:
                    print(f"  {rel}:{line}:{col} {rule}: {doc.lines[line - 1].strip()[:160]}")
    result.seconds = time.perf_counter() - started
    return result


def filled_copy(root: Path, into: Path) -> Path:
    """A copy of ROOT with the token markers of tests/sensitive/planted.py filled in."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script
    from tests.sensitive.planted import fill

    target = into / root.name
    shutil.copytree(root, target)
    for path in target.rglob("*.md"):
        path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def score(result: Scan, labels: list[dict[str, object]]) -> dict[str, object]:
    """Precision and recall of the findings against labelled (page, rule, line) triples."""
    expected = Counter((str(x["page"]), str(x["rule"]), int(str(x["line"]))) for x in labels)
    found = Counter(
        (page, rule, line) for page, items in result.flagged.items() for line, _, rule in items
    )
    true = sum((expected & found).values())
    return {
        "expected": sum(expected.values()),
        "found": sum(found.values()),
        "true_positives": true,
        "precision": true / sum(found.values()) if found else 1.0,
        "recall": true / sum(expected.values()) if expected else 1.0,
        "missed": sorted((expected - found).elements()),
        "false_positives": sorted((found - expected).elements()),
    }


def main(argv: list[str]) -> int:
    """Print every flagged page and the totals (and the scores with --labels)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--site-url", default=None)
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--allowed", action="store_true")
    parser.add_argument("--raw", action="store_true")
    parser.add_argument("--labels", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = filled_copy(args.root, Path(tmp)) if args.labels else args.root
        result = scan(
            root, site_url=args.site_url, raw=args.raw, show=args.show, reasons=args.allowed
        )
    for rel, items in result.flagged.items():
        print(f"{rel}: {', '.join(f'{line}:{col} {rule}' for line, col, rule in items)}")
    kinds = Counter(rule for items in result.flagged.values() for _, _, rule in items)
    share = 100 * len(result.flagged) / result.pages if result.pages else 0.0
    print(
        f"{len(result.flagged)} of {result.pages} pages flagged ({share:.1f} %); "
        f"{result.findings} findings; {dict(kinds)}; {result.seconds:.1f} s"
    )
    if args.allowed:
        print(f"allowed by the lint-only precision rules ({sum(result.reasons.values())}):")
        for reason, count in result.reasons.most_common():
            print(f"  {count:4d}  {reason}")
    if args.labels:
        labels = json.loads((args.root / "expected.json").read_text(encoding="utf-8"))["findings"]
        scores = score(result, labels)
        print(
            f"precision {scores['precision']:.2f}, recall {scores['recall']:.2f} "
            f"({scores['true_positives']} of {scores['expected']} expected, "
            f"{scores['found']} found)"
        )
        for item in scores["missed"]:  # type: ignore[attr-defined]
            print(f"  missed: {item}")
        for item in scores["false_positives"]:  # type: ignore[attr-defined]
            print(f"  false positive: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
