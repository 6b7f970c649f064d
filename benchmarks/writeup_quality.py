"""How well `kb new` turns real support write-ups into articles (issue 10).

Usage: .venv/bin/python benchmarks/writeup_quality.py [--verbose] [--by-class] [FILE ...]

Runs `kb new FILE --no-input --dry-run --json --allow-duplicate --allow-incomplete` in process
for every write-up in tests/fixtures/writeups/ (or the named ones) inside a `kb init` project,
scores each field against the write-up's label (tests/new/writeup_scoring.py) and prints the
per-field table: write-ups ok, share, and ok per input kind. `--by-class` adds a table per
failure class of issue 10 (the labels' `covers`); `--verbose` lists what failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.new import writeup_scoring


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="write-ups to score (default: all)")
    parser.add_argument("--verbose", action="store_true", help="list the failures per write-up")
    parser.add_argument(
        "--by-class", action="store_true", help="also print the scores per failure class"
    )
    args = parser.parse_args()
    paths = [p.resolve() for p in args.files] or None
    missing = [str(p) for p in paths or [] if not p.is_file()]
    if missing:
        parser.error(f"no such write-up: {', '.join(missing)}")
    score = writeup_scoring.score_set(paths)
    print(f"{len(score.results)} write-ups from {writeup_scoring.SET}")
    print()
    print(score.table())
    if args.by_class:
        print()
        print(score.class_table())
    if args.verbose:
        print()
        print(score.failures())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
