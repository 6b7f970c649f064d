"""Benchmark the `kb new` duplicate check against a generated KB of N articles.

Usage: python benchmarks/dedupe.py [--articles 2000] [--repeat 5]
Prints the time to load every article and score one write-up against all of them, and the
wall time of a whole `kb new --dry-run` (in process: config, parse, redact, dedupe, ids).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from kbtools.article import dedupe

AREAS = ["install", "upgrades", "auth", "search", "storage", "networking", "observability"]
SERVICES = ["gitserver", "frontend", "zoekt-webserver", "repo-updater", "searcher", "worker"]
SYMPTOMS = [
    "returns no results",
    "times out",
    "fails with HTTP 502",
    "is slow after upgrade",
    "loops back to the login page",
    "runs out of disk",
    "crashes with OOMKilled",
    "cannot reach the code host",
    "shows stale results",
    "fails to start",
]
_WORDS_TEXT = (
    "repository index shard cluster pod memory disk certificate proxy token migration schema "
    "database user session query limit replica volume config secret ingress helm compose"
)
WORDS = _WORDS_TEXT.split()


def make_article(number: int, rng: random.Random) -> str:
    """One realistic-looking troubleshooting article."""
    service = rng.choice(SERVICES)
    symptom = rng.choice(SYMPTOMS)
    words = " ".join(rng.choice(WORDS) for _ in range(60))
    title = f"{service} {symptom} when {rng.choice(WORDS)} {rng.choice(WORDS)} changes"
    error = (
        f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T10:{rng.randint(10, 59)}:00Z ERROR "
        f"{service}: {rng.choice(WORDS)} {rng.choice(WORDS)} failed id={rng.randint(1, 99999)}"
    )
    return (
        f"---\nid: KB-{number:04d}\ntitle: {title}\nsummary: {title}.\ntype: troubleshooting\n"
        f"product_area: {rng.choice(AREAS)}\nvisibility: public\nstatus: published\n"
        f"created: 2024-01-01\n---\n\n## Problem\n\n{words}\n\n## Error messages\n\n"
        f"```text\n{error}\n```\n\n## Environment\n\n- Version: 5.2.{rng.randint(0, 9)}\n\n"
        f"## Cause\n\n{words[:200]}\n\n## Resolution\n\nRestart {service}.\n"
    )


def main() -> None:
    """Generate the KB, then time load + score for one write-up."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb"
        for number in range(1, args.articles + 1):
            folder = kb / AREAS[number % len(AREAS)]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"article-{number}.md").write_text(make_article(number, rng))
        timings: list[float] = []
        cpu: list[float] = []
        found = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            cpu_start = time.process_time()
            entries = dedupe.load_entries(kb)
            candidates = dedupe.find_duplicates(
                entries,
                "gitserver runs out of disk when repository volume changes",
                "Repositories stop updating; the gitserver volume is full.",
                ["2024-03-01T10:12:00Z ERROR gitserver: disk volume failed id=4242"],
                0.45,
            )
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
            found = len(candidates)
        print(
            f"duplicate check: articles={len(entries)} repeat={args.repeat} "
            f"median={statistics.median(timings):.3f}s max={max(timings):.3f}s "
            f"cpu median={statistics.median(cpu):.3f}s candidates={found}"
        )
        print(f"kb new --dry-run: {_whole_command(Path(tmp), kb, args.repeat)}")


def _whole_command(root: Path, kb: Path, repeat: int) -> str:
    """Median wall time of `kb new --dry-run` on the generated KB (in process)."""
    from kbtools.cli import main

    docs = root / "docs"
    kb.rename(docs / "kb") if docs.exists() else (docs.mkdir(), kb.rename(docs / "kb"))
    (docs / "index.md").write_text("# Home\n")
    areas = ", ".join(AREAS)
    (root / "mkdocs.yml").write_text(
        f"site_name: Bench\nplugins:\n  - kb:\n      product_areas: [{areas}]\n"
    )
    source = Path(__file__).resolve().parents[1] / "tests/fixtures/tickets/gitserver-disk-full.md"
    timings: list[float] = []
    cpu: list[float] = []
    cwd = Path.cwd()
    os.chdir(root)
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            cpu_start = time.process_time()
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                code = main(["new", str(source), "--dry-run", "--allow-duplicate"])
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
    finally:
        os.chdir(cwd)
    return (
        f"exit={code} median={statistics.median(timings):.3f}s max={max(timings):.3f}s "
        f"cpu median={statistics.median(cpu):.3f}s"
    )


if __name__ == "__main__":
    main()
