"""`kb triage` speed on a generated 2,000-article KB plus the Argo CD docs, cold and warm cache.

    python benchmarks/triage_speed.py [--articles 2000] [--repeat 5] [--argo PATH] [--json]

The KB comes from benchmarks/site_scale.py's generator (fixed seed); the Argo CD docs
(tests/fixtures/triage/argo-cd/docs, the corpus' copy) are copied under docs/argo-cd/ of the same site. Each run is
a fresh `kb triage paste.txt --json` process (interpreter start and imports included):

- cold: `.kb-cache/match/` removed first, so every page is read, split and indexed;
- warm: the cache is fresh, so the run stats the pages and loads the stored index.

Wall time is what a person waits; CPU time (user + system of the process) is what the run
costs, and moves less when other jobs share the cores. Also prints the in-process time of a warm query (index already loaded), the index size and
the median of `--repeat` runs for each. The machine is shared: compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from site_scale import generate  # noqa: E402

ARGO = ROOT / "tests" / "fixtures" / "triage" / "argo-cd" / "docs"  # a copy of the corpus
MKDOCS_YML = """\
site_name: Acme Search and Argo CD
site_url: https://support.example.com/
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
plugins:
  - search
  - kb:
      articles_dir: kb
"""
PASTE = """\
argocd-repo-server-7d4f8b9c6-x2kzp repo-server time="2025-03-11T09:12:44Z" level=error \
msg="finished unary call with code Unknown" error="rpc error: code = Unknown desc = Get \
\\"https://git.acme.corp/platform/deploy.git/info/refs?service=git-upload-pack\\": x509: \
certificate signed by unknown authority" grpc.method=GenerateManifest
"""


def make_site(root: Path, articles: int, argo: Path) -> int:
    """Write the site; returns the number of Markdown pages."""
    generate(root, articles, seed=11)
    if not argo.is_dir():
        raise SystemExit(f"triage_speed: no Argo CD docs at {argo} (--argo PATH)")
    shutil.copytree(argo, root / "docs" / "argo-cd")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "paste.txt").write_text(PASTE, encoding="utf-8")
    return sum(1 for _ in (root / "docs").rglob("*.md"))


def run_once(root: Path) -> tuple[float, float, dict[str, object]]:
    """Wall and CPU (user + system) time of one `kb triage` process, and its JSON payload."""
    kb = Path(sys.executable).with_name("kb")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [str(kb), "triage", "paste.txt", "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(result.stdout)


def in_process(root: Path, repeat: int) -> tuple[float, float, dict[str, int]]:
    """Median time of one query with the index loaded, of one cache load, and index sizes."""
    from kbtools.match import cache
    from kbtools.match.index import describe
    from kbtools.match.rank import Facts, rank
    from kbtools.project import Project
    from kbtools.triage.query import parse_query

    project = Project.load(str(root / "mkdocs.yml"))
    loads: list[float] = []
    for _ in range(repeat):
        cache._MEMO.clear()
        started = time.perf_counter()
        loaded = cache.load_index(project, "internal")
        loads.append(time.perf_counter() - started)
    index = loaded.index
    queries: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        query = parse_query(PASTE)
        rank(index, query.lines, query.words, Facts())
        queries.append(time.perf_counter() - started)
    return statistics.median(queries), statistics.median(loads), describe(index)


def main() -> int:
    """Print cold and warm medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--argo", type=Path, default=ARGO)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        pages = make_site(root, args.articles, args.argo)
        cold: list[float] = []
        cold_cpu: list[float] = []
        for _ in range(args.repeat):
            shutil.rmtree(root / ".kb-cache", ignore_errors=True)
            seconds, cpu, _ = run_once(root)
            cold.append(seconds)
            cold_cpu.append(cpu)
        warm: list[float] = []
        warm_cpu: list[float] = []
        payload: dict[str, object] = {}
        for _ in range(args.repeat):
            seconds, cpu, payload = run_once(root)
            warm.append(seconds)
            warm_cpu.append(cpu)
        query, load, sizes = in_process(root, args.repeat)
        cache_bytes = sum(p.stat().st_size for p in (root / ".kb-cache").rglob("*.marshal"))
    matches = payload.get("matches") or []
    best = matches[0] if isinstance(matches, list) and matches else {}
    figures = {
        "pages": pages,
        **sizes,
        "cold_s": round(statistics.median(cold), 3),
        "cold_cpu_s": round(statistics.median(cold_cpu), 3),
        "warm_s": round(statistics.median(warm), 3),
        "warm_cpu_s": round(statistics.median(warm_cpu), 3),
        "warm_load_s": round(load, 3),
        "warm_query_s": round(query, 3),
        "cache_mb": round(cache_bytes / 1e6, 1),
        "best": f"{best.get('path')}#{best.get('anchor')}" if best else None,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:14} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
