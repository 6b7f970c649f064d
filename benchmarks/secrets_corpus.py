"""Run the secrets check over a docs tree and list every flagged page (false-positive audit).

Usage: python benchmarks/secrets_corpus.py /work/shared/corpora/argo-cd [--show]
Pages count as public. `--show` prints the flagged text with its line (for the audit only;
the check itself never reports values).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from kbtools.checks.base import LintContext
from kbtools.checks.secrets import SecretsCheck
from kbtools.document import load_document
from kbtools.project import Project
from kbtools.sensitive import RedactionContext, find


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    project = Project.load(start=args.root)
    project.config.kb.pages_public_by_default = True
    files = project.markdown_files()
    started = time.perf_counter()
    docs = {}
    for path in files:
        rel = project.docs_rel(path) or path.name
        docs[rel] = load_document(path, rel, project.config.toc)
    ctx = LintContext(project=project, documents=docs, targets=set(docs))
    check = SecretsCheck()
    flagged: dict[str, list[str]] = {}
    kinds: Counter[str] = Counter()
    for rel, doc in sorted(docs.items()):
        findings = list(check.check_document(doc, ctx))
        if not findings:
            continue
        flagged[rel] = [f"{f.line}:{f.column} {f.rule}" for f in findings]
        kinds.update(f.rule for f in findings)
        if args.show:
            context = RedactionContext(internal_domains=list(project.kb.new.internal_domains))
            for d in find(doc.text, context, private_addresses=False):
                line, col = doc.position(d.start)
                text = doc.lines[line - 1].strip()
                print(f"  {rel}:{line}:{col} {d.kind}: {text[:160]}")
    elapsed = time.perf_counter() - started
    for rel, items in flagged.items():
        print(f"{rel}: {', '.join(items)}")
    print(
        f"{len(flagged)} of {len(docs)} pages flagged; {sum(kinds.values())} findings; "
        f"{dict(kinds)}; {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
