"""Recall and precision of the `kb new` duplicate check on the labelled set.

Usage: python benchmarks/dedupe_quality.py [--threshold 0.45]

Copies tests/fixtures/dedupe/kb into a temporary project and runs `kb new --dry-run --json`
(in process, the whole pipeline: parse, redact, render, score) for every write-up under
tests/fixtures/dedupe/writeups. For each it prints the score of the labelled duplicate and the
best score of any other article, then the smallest margin on each side of the threshold.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

SET = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "dedupe"
AREAS = "install, upgrades, auth, search, storage, networking, observability, code-hosts"


def scores(root: Path, writeup: Path) -> dict[str, float]:
    """Every article's score for one write-up (id -> score)."""
    from kbtools.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cwd = Path.cwd()
        os.chdir(root)
        try:
            main(["new", str(writeup), "--dry-run", "--json", "--allow-duplicate"])
        finally:
            os.chdir(cwd)
    return {d["id"]: d["score"] for d in json.loads(out.getvalue())["duplicates"]}


def main() -> int:
    """Print the score table and whether the threshold separates the labels."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.45)
    args = parser.parse_args()
    labels = json.loads((SET / "labels.json").read_text())
    labels.pop("_about")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1717200000")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(SET / "kb", root / "docs" / "kb")
        (root / "docs" / "index.md").write_text("# Home\n")
        (root / "mkdocs.yml").write_text(
            "site_name: Labelled\nplugins:\n  - kb:\n"
            f"      product_areas: [{AREAS}]\n      new:\n        duplicate_threshold: 0.0\n"
        )
        worst_true, worst_false = 1.0, 0.0
        errors = 0
        print(f"{'write-up':38} {'label':8} {'label score':>11} {'best other':>16}")
        for name, label in labels.items():
            found = scores(root, SET / "writeups" / name)
            expected = label["duplicate"]
            own = found.get(expected, 0.0) if expected else None
            others = {k: v for k, v in found.items() if k != expected}
            best_id = max(others, key=lambda k: others[k]) if others else "-"
            best = others.get(best_id, 0.0)
            worst_false = max(worst_false, best)
            wrong = best >= args.threshold
            if own is not None:
                worst_true = min(worst_true, own)
                wrong = wrong or own < args.threshold
            errors += wrong
            own_text = f"{own:.3f}" if own is not None else "-"
            print(
                f"{name:38} {expected or 'none':8} {own_text:>11} {best_id:>8} {best:.3f}"
                + ("  WRONG" if wrong else "")
            )
    print(
        f"threshold {args.threshold}: lowest true duplicate {worst_true:.3f}, "
        f"highest other article {worst_false:.3f}, {errors} wrong"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
