"""Time `kb lint` on the Argo CD docs (455 pages) beside `mkdocs build` on the same tree.

Usage: python benchmarks/lint_argo.py [--runs 3]

The corpus is read-only, so it is copied to a temporary folder first. Its mkdocs.yml names
a plugin and an extension that are not installed here (`gh-admonitions`,
`markdown_include`, and a theme `custom_dir` absent from the copy); the copy drops them and adds the `kb` plugin, so both tools read the
same configuration. The copy also gets the house style that `kb init` ships (`.vale.ini`
and `styles/House/`), so the style row runs the built-in Vale engine over every page. The
script fails if `kb lint` exits 2 or reports a checker crash.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpora" / "argo-cd"
SCAFFOLD = REPO / "kbtools" / "templates" / "scaffold"


def prepare(target: Path) -> Path:
    """Copy the corpus and make its mkdocs.yml buildable here, with the kb plugin."""
    shutil.copytree(CORPUS, target, symlinks=True)
    config = target / "mkdocs.yml"
    text = config.read_text()
    text = text.replace("- markdown_include.include\n", "")
    text = text.replace("- gh-admonitions\n", "- kb:\n    articles_dir: kb\n")
    text = text.replace("strict: true", "strict: false")
    text = text.replace("  custom_dir: overrides\n", "")
    config.write_text(text)
    shutil.copy(SCAFFOLD / ".vale.ini", target / ".vale.ini")
    shutil.copytree(SCAFFOLD / "styles", target / "styles")
    return target


def timed(
    cmd: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    kb = [sys.executable, "-m", "kbtools"]
    mkdocs = [sys.executable, "-m", "mkdocs"]
    rows: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tree = prepare(Path(tmp) / "argo-cd")
        pages = sum(1 for _ in (tree / "docs").rglob("*.md"))
        cases = [
            (
                "kb lint (all checks, built-in style engine)",
                [*kb, "lint", "--style", "builtin", "--format", "json", "-o", "report.json"],
            ),
            (
                "kb lint --style off",
                [*kb, "lint", "--style", "off", "--format", "json", "-o", "report-nostyle.json"],
            ),
            ("mkdocs build", [*mkdocs, "build", "-q", "-d", str(Path(tmp) / "site")]),
        ]
        for label, cmd in cases:
            times = []
            for _ in range(args.runs):
                seconds, proc = timed(cmd, tree, env)
                failed = (
                    proc.returncode != 0
                    if label == "mkdocs build"
                    else proc.returncode not in (0, 1)
                )
                if failed:
                    print(
                        f"{label}: exit {proc.returncode}\n{proc.stderr[-2000:]}", file=sys.stderr
                    )
                    return 1
                times.append(seconds)
            rows.append((label, times))
        report = json.loads((tree / "report.json").read_text())
    crashes = [f for f in report["findings"] if f["rule"] == "internal.check-error"]
    by_rule = collections.Counter(
        f["rule"].split(".")[0] if f["rule"].startswith("style.") else f["rule"]
        for f in report["findings"]
    )
    print(f"Argo CD docs: {pages} Markdown pages, {args.runs} runs each (median, min)\n")
    print("| command | median s | min s | per 100 pages (median) |")
    print("| --- | --- | --- | --- |")
    for label, times in rows:
        median = statistics.median(times)
        print(f"| {label} | {median:.2f} | {min(times):.2f} | {median / pages * 100:.2f} |")
    base = statistics.median(rows[-1][1])
    for label, times in rows[:-1]:
        print(f"\n{label}: {base / statistics.median(times):.1f}x the speed of mkdocs build")
    print(f"\nfindings: {report['summary']}\nby rule: {dict(by_rule.most_common())}")
    print(f"checker crashes: {len(crashes)}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
