"""`kb report` at scale: a 2,000-article KB with 5,000 ticket additions over 24 months.

    python benchmarks/report_speed.py [--articles 2000] [--additions 5000] [--repeat 3] [--keep DIR]

The history is written with `git fast-import` (one commit per event, seconds for the whole
thing): articles are created over 24 months (the site_scale generator's articles), then
tickets are added one commit at a time, most of them to a few articles (Zipf-like
weights) so some problems recur; 40 articles are renamed along the way. Then, each in a
fresh process:

- cold: `kb report --format json` with no `.kb-cache/` (git log, every blob parsed, lint run)
- warm: the same again, caches in place (the measured target: under 2 s)
- text: `kb report` (text) warm
- lint: `kb lint` on the same tree, a peer figure on the same machine at the same time
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from site_scale import AREAS, article  # noqa: E402

START = dt.datetime(2024, 12, 1, 9, tzinfo=dt.UTC)
DAYS = 730
_TICKETS_RE = re.compile(r"^tickets: .*$", re.M)
MKDOCS = f"""site_name: Report benchmark
theme:
  name: material
plugins:
  - search
  - kb:
      product_areas: [{", ".join(AREAS)}]
      report:
        oldest_supported: "5.2"
"""


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def generate(repo: Path, articles: int, additions: int, seed: int) -> int:
    """Write the repository; returns the number of commits."""
    rng = random.Random(seed)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    created = sorted(rng.uniform(0, DAYS * 0.9) for _ in range(articles))
    docs: list[tuple[str, str, list[str], float]] = []
    for index in range(articles):
        path, text, _ = article(rng, index)
        docs.append((f"docs/kb/{path}", text, [f"ZD-{100000 + index}"], created[index]))
    weights = [1 / (rank + 1) ** 0.8 for rank in range(articles)]
    rng.shuffle(weights)
    events: list[tuple[float, str, int]] = [(d[3], "create", i) for i, d in enumerate(docs)]
    next_ticket = 200000
    for _ in range(additions):
        index = rng.choices(range(articles), weights)[0]
        when = rng.uniform(docs[index][3] + 0.01, DAYS)
        events.append((when, "ticket", index))
    for index in rng.sample(range(articles), 40):
        events.append((rng.uniform(docs[index][3] + 0.01, DAYS), "rename", index))
    events.sort()
    stream = bytearray()
    stream += b"blob\nmark :1\n" + _data(MKDOCS)
    paths = [d[0] for d in docs]
    tickets = [list(d[2]) for d in docs]
    commit = 0
    for when, kind, index in events:
        commit += 1
        stamp = int((START + dt.timedelta(days=when)).timestamp())
        who = f"Support <support@example.com> {stamp} +0000"
        stream += f"commit refs/heads/main\nauthor {who}\ncommitter {who}\n".encode()
        stream += _data(f"{kind} {index}")
        if commit == 1:
            stream += b"M 100644 :1 mkdocs.yml\n"
            stream += b"M 100644 inline docs/index.md\n" + _data("# Handbook\n\nThe KB.\n")
        if kind == "rename":
            new = paths[index].replace(".md", "-renamed.md")
            stream += f"R {paths[index]} {new}\n".encode()
            paths[index] = new
        else:
            if kind == "ticket":
                tickets[index].append(f"ZD-{next_ticket}")
                next_ticket += 1
            text = _TICKETS_RE.sub(f"tickets: [{', '.join(tickets[index])}]", docs[index][1])
            stream += f"M 100644 inline {paths[index]}\n".encode() + _data(text)
        stream += b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    return commit


def timed(repo: Path, *args: str) -> float:
    kb = Path(sys.executable).with_name("kb")
    started = time.perf_counter()
    result = subprocess.run([str(kb), *args], cwd=repo, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"kb {' '.join(args)} failed: {result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--additions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--keep", type=Path, help="Generate here and keep it.")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="kb-report-bench-"))
    repo = base / "kb"
    try:
        started = time.perf_counter()
        commits = generate(repo, args.articles, args.additions, args.seed)
        print(
            f"generated {args.articles} articles, {commits} commits in {time.perf_counter() - started:.1f} s"
        )
        env_note = os.environ.get("SOURCE_DATE_EPOCH", "today")
        print(f"report date: {env_note}")
        cold = []
        for _ in range(args.repeat):
            shutil.rmtree(repo / ".kb-cache", ignore_errors=True)
            cold.append(timed(repo, "report", "--format", "json", "-o", str(base / "report.json")))
        warm = [
            timed(repo, "report", "--format", "json", "-o", str(base / "report.json"))
            for _ in range(args.repeat)
        ]
        text = [timed(repo, "report") for _ in range(args.repeat)]
        lint = [timed(repo, "lint") for _ in range(args.repeat)]
        size = (base / "report.json").stat().st_size
        for name, runs in (
            ("cold json", cold),
            ("warm json", warm),
            ("warm text", text),
            ("kb lint", lint),
        ):
            shown = ", ".join(f"{r:.2f}" for r in runs)
            print(f"{name:10} runs {shown} s  median {statistics.median(runs):.2f} s")
        print(
            f"JSON report: {size / 1024:.0f} KB; warm/lint ratio {statistics.median(warm) / statistics.median(lint):.2f}"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
