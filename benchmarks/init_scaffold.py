"""Time `kb init`: the scaffold in-process, a re-run that skips everything, and init+lint+build.

python benchmarks/init_scaffold.py --repeat 20 --e2e 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kbtools.scaffold import scaffold


def timed(func: object, repeat: int) -> list[float]:
    """Wall seconds of each call of a zero-argument function."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        runs.append(time.perf_counter() - start)
    return runs


def main() -> int:
    """Print one Markdown table row per measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--e2e", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))
        first = timed(lambda: scaffold(Path(tmp) / f"kb{next(counter)}"), args.repeat)
        again = timed(lambda: scaffold(Path(tmp) / "kb0"), args.repeat)
        files = sum(1 for p in (Path(tmp) / "kb0").rglob("*") if p.is_file())

        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        kb = [sys.executable, "-m", "kbtools"]
        steps: dict[str, list[float]] = {"kb init": [], "kb lint": [], "kb build": []}
        for n in range(args.e2e):
            demo = Path(tmp) / f"demo{n}"
            for name, argv, cwd in (
                ("kb init", [*kb, "init", str(demo)], Path(tmp)),
                ("kb lint", [*kb, "lint", "--style", "builtin"], demo),
                ("kb build", [*kb, "build", "--strict"], demo),
            ):
                start = time.perf_counter()
                subprocess.run(argv, cwd=cwd, env=env, check=True, capture_output=True)
                steps[name].append(time.perf_counter() - start)

    print(f"scaffold: {files} files")
    print("| step | runs | median (ms) | min (ms) |")
    print("| --- | --- | --- | --- |")
    for name, runs in (
        ("scaffold() into a new folder", first),
        ("scaffold() again (all skipped)", again),
        *steps.items(),
    ):
        print(
            f"| {name} | {len(runs)} | {statistics.median(runs) * 1000:.1f} | "
            f"{min(runs) * 1000:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
