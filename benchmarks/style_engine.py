"""Time the built-in Vale engine (house style) over a docs tree; prints seconds per 100 pages.

    python benchmarks/style_engine.py [DOCS_DIR] [--repeat N]

DOCS_DIR defaults to ../shared/corpora/argo-cd/docs (read-only: it is copied to a temp dir).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kbtools.checks.style import run_style  # noqa: E402

DEFAULT_DOCS = REPO.parent / "shared" / "corpora" / "argo-cd" / "docs"
SCAFFOLD = REPO / "kbtools" / "templates" / "scaffold"


def main() -> int:
    """Copy the tree, lint it `--repeat` times with the built-in engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("docs", nargs="?", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", default="builtin", choices=("builtin", "vale"))
    args = parser.parse_args()
    if not args.docs.is_dir():
        print(f"no docs tree at {args.docs}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(args.docs, root / "docs")
        shutil.copy(SCAFFOLD / ".vale.ini", root / ".vale.ini")
        shutil.copytree(SCAFFOLD / "styles", root / "styles")
        documents = sorted(
            (p.relative_to(root).as_posix(), p.read_text(encoding="utf-8", errors="replace"))
            for p in (root / "docs").rglob("*.md")
        )
        timings = []
        cpu = []
        findings = []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            run = run_style(root, root / ".vale.ini", documents, args.engine)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            findings = run.findings
    pages = len(documents)
    best, median = min(timings), statistics.median(timings)
    size = sum(len(text) for _, text in documents)
    print(f"engine: {args.engine}; pages: {pages} ({size / 1e6:.1f} MB of Markdown)")
    print(f"runs: {', '.join(f'{t:.2f}' for t in timings)} s wall")
    print(f"cpu: {', '.join(f'{t:.2f}' for t in cpu)} s (this process; wall includes waiting)")
    print(f"median: {median:.2f} s for the tree, {median / pages * 100:.2f} s per 100 pages")
    print(f"best: {best:.2f} s; findings: {len(findings)}")
    for rule, count in Counter(f.rule for f in findings).most_common():
        print(f"  {rule}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
